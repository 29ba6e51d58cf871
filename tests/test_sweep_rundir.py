"""The run folder's building blocks: atomic writes, byte-identical outcomes, resume check."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fh_sim.errors import FhSimError
from fh_sim.runs import rundir


def _outcomes(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    years = np.repeat(np.arange(2019, 2024), 3)
    return pd.DataFrame(
        {
            "year": years,
            "level": "municipality",
            "unit": np.tile(["Bjuv", "Klippan", "Perstorp"], 5),
            "metric": "population",
            "value": rng.normal(10_000, 100, years.size),
        }
    )


def test_same_table_gives_the_same_bytes_and_others_differ(tmp_path: Path) -> None:
    first = rundir.write_outcomes(tmp_path / "a", _outcomes(1)).read_bytes()
    again = rundir.write_outcomes(tmp_path / "b", _outcomes(1)).read_bytes()
    other = rundir.write_outcomes(tmp_path / "c", _outcomes(2)).read_bytes()
    assert first == again
    assert first != other
    back = pd.read_parquet(tmp_path / "a" / rundir.OUTCOMES)
    pd.testing.assert_frame_equal(back, _outcomes(1))


def test_atomic_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    rundir.write_manifest(tmp_path, {"status": "running", "seed": 3})
    rundir.write_manifest(tmp_path, {"status": "complete", "seed": 3})
    assert [p.name for p in tmp_path.iterdir()] == [rundir.MANIFEST]
    assert json.loads((tmp_path / rundir.MANIFEST).read_text())["status"] == "complete"


def test_unwritable_folder_names_the_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    with pytest.raises(FhSimError, match="a_file"):
        rundir.write_manifest(blocker / "run", {"status": "running"})


def test_complete_needs_status_outcomes_and_same_hash(tmp_path: Path) -> None:
    h = rundir.config_hash({"seed": 1, "scenario": {"name": "baseline"}})
    assert not rundir.is_complete(tmp_path, h)  # nothing yet
    rundir.write_manifest(tmp_path, {"status": "running", "config_hash": h})
    assert not rundir.is_complete(tmp_path, h)  # still running
    rundir.write_manifest(tmp_path, {"status": "complete", "config_hash": h})
    assert not rundir.is_complete(tmp_path, h)  # no outcome table
    rundir.write_outcomes(tmp_path, _outcomes(0))
    assert rundir.is_complete(tmp_path, h)
    assert not rundir.is_complete(tmp_path, rundir.config_hash({"seed": 2}))
    (tmp_path / rundir.MANIFEST).write_text("{not json")
    assert not rundir.is_complete(tmp_path, h)


def test_config_hash_ignores_key_order_but_not_values() -> None:
    a = rundir.config_hash({"seed": 1, "scale": 0.1, "scenario": {"name": "x", "d": "y"}})
    b = rundir.config_hash({"scenario": {"d": "y", "name": "x"}, "scale": 0.1, "seed": 1})
    c = rundir.config_hash({"seed": 2, "scale": 0.1, "scenario": {"name": "x", "d": "y"}})
    assert a == b != c


def test_remove_stale_clears_outcomes_and_temporaries(tmp_path: Path) -> None:
    rundir.write_outcomes(tmp_path, _outcomes(0))
    (tmp_path / ".outcomes.parquet.abc.tmp").write_bytes(b"half")
    rundir.remove_stale(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_versions_and_git_state_are_recorded() -> None:
    versions = rundir.package_versions()
    assert versions["numpy"] == np.__version__
    assert versions["pandas"] == pd.__version__
    state = rundir.git_state()
    assert set(state) == {"commit", "dirty"}
    if state["commit"] is not None:
        assert len(state["commit"]) == 40
