"""`fh-sim run plugins=[...]` as a user types it: broken plugins end in one clear line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cli_helpers import TINY, fh_sim, run_dirs

ONE_YEAR = [TINY[0], "end_year=2020"]

BROKEN = textwrap.dedent(
    """
    from dataclasses import dataclass

    import numpy as np

    from fh_sim import plugins


    @dataclass(frozen=True)
    class P:
        coef: float = 0.1


    @plugins.relocation("short_hazard", params=P)
    def short_hazard(ctx, p):
        return np.full(ctx.households.n - 1, p.coef)


    @plugins.relocation("global_draws", params=P)
    def global_draws(ctx, p):
        return np.random.random(ctx.households.n) * p.coef
    """
)


def _one_line_error(result, *needles: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [ln for ln in result.stderr.splitlines() if "error:" in ln]
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.mark.slow
def test_broken_plugins_fail_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "lab_rules.py").write_text(BROKEN)
    (work / "crashing.py").write_text("raise RuntimeError('lab config missing')\n")

    crash = fh_sim("run", *ONE_YEAR, "plugins=[crashing.py]", outputs=work / "out")
    _one_line_error(crash, "plugin 'crashing.py'", "RuntimeError: lab config missing")

    shape = fh_sim(
        "run",
        *ONE_YEAR,
        "plugins=[lab_rules.py]",
        "+rules.relocation.short_hazard.coef=0.2",
        outputs=work / "out",
    )
    _one_line_error(shape, "'short_hazard' (relocation)", "expected float[")

    unknown = fh_sim(
        "run",
        *ONE_YEAR,
        "plugins=[lab_rules.py]",
        "+rules.relocation.shrot_hazard.coef=0.2",
        outputs=work / "out",
    )
    _one_line_error(unknown, "rules.relocation.shrot_hazard", "short_hazard", "life_stage")

    draws = fh_sim(
        "run",
        *ONE_YEAR,
        "plugins=[lab_rules.py]",
        "+rules.relocation.global_draws={}",
        outputs=work / "out",
    )
    _one_line_error(draws, "'global_draws'", "np.random")


@pytest.mark.slow
def test_example_experiment_sweeps_a_plugin_coefficient(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    sweep_dir = tmp_path / "sweep"
    result = fh_sim(
        "sweep",
        "--config-dir",
        str(root / "examples/plugins/conf"),
        "experiment=green_space",
        *ONE_YEAR,
        f"plugins=[{root / 'examples/plugins/green_space.py'}]",
        "rules.utility.green_space.coef=0.5,2.0",
        f"hydra.sweep.dir={sweep_dir}",
        outputs=tmp_path / "out",
    )
    assert result.returncode == 0, result.stderr
    runs = run_dirs(sweep_dir)
    assert len(runs) == 2
    configs = sorted((r / ".hydra" / "config.yaml").read_text() for r in runs)
    assert "green_space:\n      coef: 0.5" in configs[0] + configs[1]
    assert "green_space:\n      coef: 2.0" in configs[0] + configs[1]
    assert all("green_deficit" in c for c in configs)
