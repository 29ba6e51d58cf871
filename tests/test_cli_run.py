"""`fh-sim run`: the run folder, its manifest, byte-identical outcomes, help and resume."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from omegaconf import OmegaConf

from cli_helpers import TINY, compose_config, fh_sim, run_dirs
from fh_sim.cli import main as fh_sim_main
from fh_sim.runs.rundir import outcomes_bytes
from fh_sim.sim.model import HousingModel

MANIFEST_KEYS = {
    "seed",
    "replicate",
    "scenario",
    "git",
    "versions",
    "wall_time_s",
    "n_households",
    "config_hash",
    "status",
    "overrides",
    "started",
    "finished",
}


def test_run_writes_a_complete_folder_and_is_byte_reproducible(tmp_path: Path) -> None:
    single = fh_sim("run", *TINY, "seed=7", "scenario=safety_programme", outputs=tmp_path / "run")
    assert single.returncode == 0, single.stderr
    (a,) = run_dirs(tmp_path / "run")
    same, other = (
        outcomes_bytes(
            HousingModel(
                OmegaConf.to_object(
                    compose_config([*TINY, f"seed={s}", "scenario=safety_programme"])
                )
            ).run(progress=False)
        )
        for s in (7, 8)
    )
    assert {p.name for p in a.iterdir()} >= {".hydra", "outcomes.parquet", "manifest.json"}
    assert (a / "outcomes.parquet").read_bytes() == same  # another process, same bytes
    assert (a / "outcomes.parquet").read_bytes() != other

    manifest = json.loads((a / "manifest.json").read_text())
    assert set(manifest) >= MANIFEST_KEYS
    assert manifest["status"] == "complete"
    assert (manifest["seed"], manifest["replicate"], manifest["scenario"]) == (
        7,
        0,
        "safety_programme",
    )
    assert manifest["versions"]["numpy"] and manifest["versions"]["hydra-core"] == "1.3.8"
    assert manifest["n_households"] > 500
    table = pd.read_parquet(a / "outcomes.parquet")
    assert list(table.columns) == ["year", "level", "unit", "metric", "value"]
    assert sorted(table["year"].unique()) == [2019, 2020, 2021]
    assert "scenario:\n  name: safety_programme" in (a / ".hydra" / "config.yaml").read_text()


def test_same_run_folder_again_is_skipped_and_a_new_config_redone(tmp_path: Path) -> None:
    run_dir = tmp_path / "fixed"
    args = ("run", *TINY, f"hydra.run.dir={run_dir}")
    assert fh_sim_main(list(args)) == 0
    before = (run_dir / "manifest.json").read_text()
    again = fh_sim(*args, outputs=tmp_path)
    assert again.returncode == 0
    assert "skipped" in again.stderr + again.stdout
    assert (run_dir / "manifest.json").read_text() == before
    assert fh_sim_main(["run", *TINY, "seed=1", f"hydra.run.dir={run_dir}"]) == 0
    assert json.loads((run_dir / "manifest.json").read_text())["seed"] == 1


def test_help_and_config_printing_pass_through_to_hydra(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert fh_sim_main(["run", "--help"]) == 0
    out = capsys.readouterr().out
    assert "scenario:" in out and "transit_hoganas_rail" in out and "fh-sim sweep" in out
    assert fh_sim_main(["sweep", "--cfg", "job", "scenario=growth_first"]) == 0
    assert "name: growth_first" in capsys.readouterr().out
    assert fh_sim_main(["--help"]) == 0
    out = capsys.readouterr().out
    assert all(c in out for c in ("run", "sweep", "scenarios"))
    assert not list(tmp_path.rglob("manifest.json"))
