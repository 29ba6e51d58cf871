"""Reproducibility: the manifest alone is enough to rerun a run to the byte.

(Same config and seed through `fh-sim run` and `fh-sim sweep`: tests/test_cli_run.py;
serial, joblib and submitit launchers: tests/test_sweep_launchers.py.)
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from omegaconf import OmegaConf

from fh_sim.runs import rundir

FH_SIM = Path(sys.executable).parent / "fh-sim"
OVERRIDES = [
    "scale=0.01",
    "end_year=2021",
    "seed=4",
    "replicate=1",
    "scenario=safety_programme",
    "rules.utility.safety.coef=1.2",
    "assumptions.population.income_sigma=0.5",
]


def _run(args: list[str], run_dir: Path, tmp_path: Path) -> dict:
    env = {**os.environ, "FH_SIM_OUTPUTS": str(tmp_path / "outputs")}
    done = subprocess.run(
        [str(FH_SIM), "run", *args, f"hydra.run.dir={run_dir}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads((run_dir / rundir.MANIFEST).read_text())


def test_manifest_records_what_a_rerun_needs_and_the_rerun_is_identical(tmp_path: Path) -> None:
    first = _run(OVERRIDES, tmp_path / "first", tmp_path)
    assert first["status"] == "complete"
    assert (first["seed"], first["replicate"], first["scenario"]) == (4, 1, "safety_programme")
    assert first["overrides"] == OVERRIDES
    assert re.fullmatch(r"[0-9a-f]{64}", first["config_hash"])
    commit = first["git"]["commit"]
    assert commit is None or re.fullmatch(r"[0-9a-f]{40}", commit)
    assert first["git"]["dirty"] in (True, False, None)
    assert {"fh_sim", "numpy", "pandas", "pyarrow", "hydra-core", "omegaconf"} <= set(
        first["versions"]
    )
    assert first["versions"]["numpy"] == np.__version__
    assert first["versions"]["pandas"] == pd.__version__
    assert first["python"] == ".".join(map(str, sys.version_info[:3]))

    # The stored config is the one that ran: it hashes to the manifest's config hash.
    stored = OmegaConf.load(tmp_path / "first" / ".hydra" / "config.yaml")
    assert (
        rundir.config_hash(OmegaConf.to_container(stored, resolve=True)) == (first["config_hash"])
    )

    # Rerun from the manifest alone, elsewhere: same config hash, same bytes.
    again = _run(list(first["overrides"]), tmp_path / "again", tmp_path)
    assert again["config_hash"] == first["config_hash"]
    a = (tmp_path / "first" / rundir.OUTCOMES).read_bytes()
    assert a == (tmp_path / "again" / rundir.OUTCOMES).read_bytes()

    # One changed parameter changes both the hash and the numbers.
    other = _run(
        [*OVERRIDES[:-1], "assumptions.population.income_sigma=0.6"], tmp_path / "other", tmp_path
    )
    assert other["config_hash"] != first["config_hash"]
    assert (tmp_path / "other" / rundir.OUTCOMES).read_bytes() != a
