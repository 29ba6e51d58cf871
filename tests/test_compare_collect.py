"""Reading run folders: complete runs only, clear errors, variant labels."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from compare_synthetic import write_run, write_sweep
from fh_sim.analysis import collect, find_run_dirs
from fh_sim.errors import FhSimError


def test_incomplete_runs_left_out_with_warning(tmp_path: Path, caplog) -> None:
    write_sweep(tmp_path / "sweep", scenarios={"baseline": [0, 1]})
    running = write_run(
        tmp_path / "sweep" / "9", scenario="baseline", seed=7, replicate=2, status="running"
    )
    no_manifest = write_run(
        tmp_path / "sweep" / "10", scenario="baseline", seed=7, replicate=3, status="no-manifest"
    )
    no_outcomes = write_run(
        tmp_path / "sweep" / "11",
        scenario="baseline",
        seed=7,
        replicate=4,
        status="missing-outcomes",
    )
    with caplog.at_level(logging.WARNING):
        coll = collect([tmp_path / "sweep"])
    assert sorted(coll.runs["replicate"]) == [0, 1]
    assert set(coll.table["replicate"]) == {0, 1}
    assert sorted(coll.skipped) == sorted(p.resolve() for p in (running, no_manifest, no_outcomes))
    for folder in (running, no_manifest, no_outcomes):
        assert str(folder.resolve()) in caplog.text
    assert "status is 'running'" in caplog.text


def test_table_has_run_metadata(tmp_path: Path) -> None:
    dirs = write_sweep(tmp_path, scenarios={"baseline": [0], "transit": [0]})
    coll = collect([dirs[0], dirs[1], tmp_path])  # overlapping paths read once
    assert len(coll.runs) == 2
    for col in (
        "year",
        "level",
        "unit",
        "metric",
        "value",
        "scenario",
        "seed",
        "replicate",
        "run_dir",
    ):
        assert col in coll.table.columns
    assert coll.table["value"].dtype == "float64"
    assert coll.scenarios == ["baseline", "transit"]
    assert coll.description("transit") == "The transit scenario."
    assert coll.configs["transit"]["scale"] == 0.05


def test_several_sweep_folders(tmp_path: Path) -> None:
    write_sweep(tmp_path / "a", scenarios={"baseline": [0, 1]})
    write_sweep(tmp_path / "b" / "nested", scenarios={"transit": [0, 1]})
    coll = collect([tmp_path / "a", tmp_path / "b"])
    assert coll.runs.groupby("scenario").size().to_dict() == {"baseline": 2, "transit": 2}


def test_bad_path_no_runs_no_complete_runs(tmp_path: Path) -> None:
    with pytest.raises(FhSimError, match="no such file or folder"):
        collect([tmp_path / "missing"])
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(FhSimError, match="not a folder"):
        collect([tmp_path / "file.txt"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(FhSimError, match="no run folders"):
        collect([tmp_path / "empty"])
    write_run(tmp_path / "inc" / "0", scenario="baseline", seed=1, status="failed")
    with pytest.raises(FhSimError, match=r"no complete runs .*1 incomplete"):
        collect([tmp_path / "inc"])


def test_duplicate_run_is_an_error(tmp_path: Path) -> None:
    write_run(tmp_path / "a", scenario="baseline", seed=3, replicate=1)
    write_run(tmp_path / "b", scenario="baseline", seed=3, replicate=1)
    with pytest.raises(FhSimError, match="two runs of scenario 'baseline' with seed 3"):
        collect([tmp_path])


def test_parameter_variants_get_their_own_label(tmp_path: Path) -> None:
    for i, beta in enumerate((-1.0, -2.0)):
        for rep in (0, 1):
            write_run(
                tmp_path / f"{i}{rep}",
                scenario="baseline",
                seed=3,
                replicate=rep,
                extra_config={"rules": {"utility": {"beta": beta}}},
            )
    coll = collect([tmp_path])
    assert sorted(coll.runs["scenario"].unique()) == ["baseline [beta=-1]", "baseline [beta=-2]"]


def test_long_variants_get_short_labels(tmp_path: Path) -> None:
    """A lever's year, a plugin given by path: short labels, full keys in the config."""
    plugin = "/home/someone/" + "deep/" * 30 + "my_rule.py"
    edit = "hoganas_rail_helsingborg_hittarp_with_a_very_long_name_indeed"
    for i, year in enumerate((2027, 2035)):
        write_run(
            tmp_path / f"y{i}",
            scenario="rail",
            seed=3,
            extra_config={"scenario": {"name": "rail", "link_edits": {edit: {"start_year": year}}}},
        )
    for i, path in enumerate((plugin, "plugins/other.py")):
        write_run(tmp_path / f"p{i}", scenario="base", seed=3, extra_config={"plugin_file": path})
    labels = sorted(collect([tmp_path]).runs["scenario"].unique())
    assert labels == [
        "base [plugin_file=my_rule]",
        "base [plugin_file=other]",
        "rail [start_year=2027]",
        "rail [start_year=2035]",
    ]


def test_find_run_dirs_recurses(tmp_path: Path) -> None:
    dirs = write_sweep(tmp_path / "x" / "y", scenarios={"baseline": [0, 1, 2]})
    assert find_run_dirs([tmp_path]) == sorted(d.resolve() for d in dirs)
