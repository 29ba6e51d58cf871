"""Bad input through `fh-sim run`: one line naming what and where, exit 2, no traceback,
and never a run folder marked complete."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_helpers import TINY, fh_sim
from fh_sim.cli import main as fh_sim_main

USER_SCENARIOS = {
    "typo.yaml": "defaults: [base, _self_]\nname: typo\ndescription: d\n"
    "safety_programme:\n  s: {places: [bjuv]}\n",
    "wrong_type.yaml": "defaults: [base, _self_]\nname: wrong_type\ndescription: d\n"
    "safety_programmes:\n  s: {places: [bjuv], crime_reduction: lots}\n",
    "bad_node.yaml": "defaults: [base, _self_]\nname: bad_node\ndescription: d\n"
    "link_edits:\n  x: {op: add, from_node: nowhere, to_node: helsingborg, "
    "mode: bus, minutes: 5, departures_per_hour: 2, start_year: 2020}\n",
    "missing_link.yaml": "defaults: [base, _self_]\nname: missing_link\ndescription: d\n"
    "link_edits:\n  y: {op: change, from_node: bastad, to_node: perstorp,"
    " departures_per_hour: 4, start_year: 2020}\n",
    "both_housing.yaml": "defaults: [base, growth_first, current_residents_first, _self_]\n"
    "name: both_housing\ndescription: d\n",
}

# (overrides, substrings the one error line must contain)
CASES: dict[str, tuple[list[str], list[str]]] = {
    "misspelled key": (["sead=3"], ["'sead'", "unknown key"]),
    "misspelled nested key": (["scenario.link_edit.x=1"], ["scenario.link_edit", "unknown key"]),
    "wrong type": (["seed=abc"], ["config key 'seed'", "abc"]),
    "negative seed": (["seed=-1"], ["config key 'seed'", ">= 0"]),
    "scale above 1": (["scale=1.5"], ["config key 'scale'", "(0, 1]"]),
    "end_year before base year": (["end_year=2010"], ["config key 'end_year'", "2019"]),
    "negative wait cap": (["region.wait_cap_min=-5"], ["region.wait_cap_min", ">= 0"]),
    "mandatory value missing": (["seed=???"], ["config key 'seed'", "missing"]),
    "unknown scenario": (["scenario=nope"], ["unknown scenario 'nope'", "baseline"]),
    "unknown launcher": (["hydra/launcher=nope"], ["unknown hydra/launcher 'nope'"]),
    "override syntax": (["seed=["], ["cannot parse the override"]),
    "typo in a user's scenario file": (
        ["scenario=typo"],
        ["'safety_programme'", "scenario/typo.yaml"],
    ),
    "wrong type in a user's scenario file": (
        ["scenario=wrong_type"],
        ["crime_reduction", "lots", "scenario/wrong_type.yaml"],
    ),
    "link to an unknown node": (["scenario=bad_node"], ["'x'", "unknown node 'nowhere'"]),
    "edit of a link that does not exist": (["scenario=missing_link"], ["link edit 'y'", "bastad"]),
    "two scenarios that conflict": (["scenario=both_housing"], ["housing"]),
}


@pytest.fixture()
def user_conf(tmp_path: Path) -> Path:
    folder = tmp_path / "my_conf" / "scenario"
    folder.mkdir(parents=True)
    for name, text in USER_SCENARIOS.items():
        (folder / name).write_text(text)
    return folder.parent


def _no_complete_run(root: Path) -> None:
    for manifest in root.rglob("manifest.json"):
        assert json.loads(manifest.read_text())["status"] != "complete", manifest


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_gives_one_line(
    case: str,
    tmp_path: Path,
    user_conf: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    overrides, expected = CASES[case]
    monkeypatch.setenv("FH_SIM_OUTPUTS", str(tmp_path / "outputs"))
    code = fh_sim_main(["run", "--config-dir", str(user_conf), *TINY, *overrides])
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("fh-sim run:")]
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith("fh-sim run: error: "), err
    for text in expected:
        assert text in lines[0], lines[0]
    assert "Traceback" not in err
    _no_complete_run(tmp_path)


def test_unwritable_output_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    monkeypatch.setenv("FH_SIM_OUTPUTS", str(blocker / "outputs"))
    assert fh_sim_main(["run", *TINY]) == 2
    (line,) = [x for x in capsys.readouterr().err.splitlines() if x.startswith("fh-sim run:")]
    assert "a_file" in line


def test_subprocess_errors_are_one_line_and_debug_shows_the_traceback(tmp_path: Path) -> None:
    for args, expected in ((["scale=1.5"], "config key 'scale'"),):
        done = fh_sim("run", *TINY, *args, outputs=tmp_path / "out")
        assert done.returncode == 2
        assert "Traceback" not in done.stderr and "HYDRA_FULL_ERROR" not in done.stderr
        (line,) = [x for x in done.stderr.splitlines() if x.startswith("fh-sim run:")]
        assert expected in line
    (failed,) = list((tmp_path / "out").rglob("manifest.json"))
    manifest = json.loads(failed.read_text())
    assert manifest["status"] == "failed" and "scale" in manifest["error"]
    assert not (failed.parent / "outcomes.parquet").exists()
    debug = fh_sim("--debug", "run", *TINY, "scale=1.5", outputs=tmp_path / "out2")
    assert debug.returncode != 0 and "Traceback" in debug.stderr
