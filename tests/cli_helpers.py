"""Helpers for the run/sweep/scenario tests: compose configs, call `fh-sim` as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hydra import compose, initialize_config_dir
from omegaconf import DictConfig

from fh_sim.cli.run_cmd import VERSION_BASE, conf_dir, register_hydra_nodes

# The console script installed beside this Python (the command users type).
FH_SIM = Path(sys.executable).parent / "fh-sim"
# Small and short: a handful of households per zone, two simulated years.
TINY = ["scale=0.01", "end_year=2021"]


def compose_config(overrides: list[str]) -> DictConfig:
    """The composed job config (no ``hydra`` node) for ``overrides``."""
    register_hydra_nodes()
    with initialize_config_dir(config_dir=str(conf_dir()), version_base=VERSION_BASE):
        return compose("config", overrides=overrides)


def fh_sim(
    *args: str, outputs: Path, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``fh-sim ARGS`` in a subprocess with outputs under ``outputs``."""
    full_env = {**os.environ, "FH_SIM_OUTPUTS": str(outputs), **(env or {})}
    full_env.pop("HYDRA_FULL_ERROR", None)
    return subprocess.run(
        [str(FH_SIM), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
        cwd=outputs.parent,
    )


def run_dirs(root: Path) -> list[Path]:
    """Every folder under ``root`` that holds a manifest."""
    return sorted(p.parent for p in root.rglob("manifest.json"))
