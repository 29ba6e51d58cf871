"""Sweeps: serial, joblib and submitit agree to the byte; experiments compose, run and
resume; a sweep killed midway redoes only its unfinished runs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir
from omegaconf import OmegaConf

from cli_helpers import FH_SIM, TINY, compose_config, fh_sim, run_dirs
from fh_sim.cli import main as fh_sim_main
from fh_sim.cli.run_cmd import VERSION_BASE, conf_dir, register_hydra_nodes
from fh_sim.config import SimConfig
from fh_sim.runs.rundir import outcomes_bytes
from fh_sim.runs.sweep import count_jobs
from fh_sim.scenarios.catalog import list_scenarios
from fh_sim.sim.model import HousingModel

EXPERIMENTS = sorted(p.stem for p in (conf_dir() / "experiment").glob("*.yaml"))


def _outcomes(sweep_dir: Path) -> dict[str, bytes]:
    return {d.name: (d / "outcomes.parquet").read_bytes() for d in run_dirs(sweep_dir)}


def _statuses(sweep_dir: Path) -> dict[str, str]:
    return {
        d.name: json.loads((d / "manifest.json").read_text())["status"] for d in run_dirs(sweep_dir)
    }


def test_serial_joblib_and_submitit_give_identical_outcomes(tmp_path: Path) -> None:
    serial = {
        seed: outcomes_bytes(
            HousingModel(OmegaConf.to_object(compose_config([*TINY, f"seed={seed}"]))).run(
                progress=False
            )
        )
        for seed in (3, 4)
    }
    assert serial[3] != serial[4]  # the two seeds differ
    for launcher in ("parallel", "submitit_local"):
        done = fh_sim(
            "sweep",
            *TINY,
            "seed=3,4",
            f"hydra/launcher={launcher}",
            f"hydra.sweep.dir={tmp_path / launcher}",
            outputs=tmp_path,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert set(_statuses(tmp_path / launcher).values()) == {"complete"}
        by_seed = {
            int(name.rsplit("seed=", 1)[1]): data
            for name, data in _outcomes(tmp_path / launcher).items()
        }
        assert by_seed == serial, launcher


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_experiment_composes_counts_its_jobs_and_runs_two_years(name: str) -> None:
    register_hydra_nodes()
    with initialize_config_dir(config_dir=str(conf_dir()), version_base=VERSION_BASE):
        full = compose("config", overrides=[f"experiment={name}"], return_hydra_config=True)
        n_jobs = count_jobs(full)  # glob(*) needs Hydra's config loader
    params = full.hydra.sweeper.params
    assert "replicate" in params and full.seed > 0
    assert n_jobs is not None and n_jobs >= 4
    if str(params["scenario"]).startswith("glob"):
        replicates = len(range(*map(int, str(params["replicate"])[6:-1].split(","))))
        assert replicates >= 2
        assert n_jobs == len(list_scenarios(conf_dir())) * replicates
    sim = OmegaConf.to_object(compose_config([f"experiment={name}", *TINY]))
    assert isinstance(sim, SimConfig)
    table = HousingModel(sim).run(progress=False)
    assert sorted(table["year"].unique()) == [2019, 2020, 2021]


def test_experiment_sweep_finishes_and_rerunning_redoes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = tmp_path / "outputs"
    args = (
        "sweep",
        "experiment=focus_areas_small",
        "scenario=baseline,safety_programme",
        "replicate=0",
        "end_year=2021",
    )
    first = fh_sim(*args, outputs=outputs)
    assert first.returncode == 0, first.stderr[-2000:]
    sweep_dir = outputs / "experiments" / "focus_areas_small"
    statuses = _statuses(sweep_dir)
    assert len(statuses) == 2 and set(statuses.values()) == {"complete"}
    manifests = {d: (d / "manifest.json").read_text() for d in run_dirs(sweep_dir)}
    monkeypatch.setenv("FH_SIM_OUTPUTS", str(outputs))
    assert fh_sim_main(list(args)) == 0
    captured = capsys.readouterr()
    assert (captured.out + captured.err).count("complete with the same config, skipped") == 2
    assert {d: (d / "manifest.json").read_text() for d in run_dirs(sweep_dir)} == manifests


def test_sweep_killed_midway_redoes_only_unfinished_runs(tmp_path: Path) -> None:
    sweep_dir = tmp_path / "sweep"
    args = [
        "sweep",
        "scale=0.02",
        "end_year=2022",
        "replicate=0,1,2",
        f"hydra.sweep.dir={sweep_dir}",
    ]
    env = {**os.environ, "FH_SIM_OUTPUTS": str(tmp_path)}
    proc = subprocess.Popen(
        [str(FH_SIM), *args],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    try:
        while "complete" not in _statuses(sweep_dir).values():
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.01)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    killed = _statuses(sweep_dir)
    done_before = {name for name, status in killed.items() if status == "complete"}
    assert 1 <= len(done_before) < 3
    for d in run_dirs(sweep_dir):  # nothing unfinished reads as complete
        if d.name not in done_before:
            assert json.loads((d / "manifest.json").read_text())["status"] == "running"
            assert not (d / "outcomes.parquet").exists()
    kept = {
        d.name: (d / "manifest.json").read_text()
        for d in run_dirs(sweep_dir)
        if d.name in done_before
    }

    resumed = fh_sim(*args, outputs=tmp_path)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    after = _statuses(sweep_dir)
    assert len(after) == 3 and set(after.values()) == {"complete"}
    assert (resumed.stdout + resumed.stderr).count("skipped") == len(done_before)
    for name, text in kept.items():
        assert (sweep_dir / name / "manifest.json").read_text() == text
