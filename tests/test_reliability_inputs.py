"""Checked inputs, checked comparisons and safe run folders: the second catalogue.

Every case of the section "Checked inputs, comparisons and run folders" of
docs/errors.md runs through the ``fh-sim`` entry point (in this process, as
tests/test_cli_errors.py does) and must print exactly the documented line, exit with
code 2, show no traceback, and leave no run folder whose manifest says complete.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from compare_synthetic import write_run
from fh_sim.cli import main as fh_sim_main
from fh_sim.region.load import embedded_data_dir
from fh_sim.runs import rundir

DOC = Path(__file__).resolve().parents[1] / "docs" / "errors.md"
SECTION = "## Checked inputs, comparisons and run folders"
SMALL = ["scale=0.01", "end_year=2021"]


@dataclass(frozen=True)
class Case:
    """One bad input: the command and its arguments (``{ws}`` = the test's folder)."""

    command: str
    args: tuple[str, ...]


def data(name: str) -> tuple[str, ...]:
    return (f"region.data_dir={{ws}}/{name}",)


CONF = ("--config-dir", "{ws}/conf")
CASES: dict[str, Case] = {
    "header-only-zones": Case("run", data("data_header_zones")),
    "header-only-municipalities": Case("run", data("data_header_municipalities")),
    "header-only-zone-attributes": Case("run", data("data_header_attributes")),
    "header-only-links": Case("run", data("data_header_links")),
    "header-only-in-region-command": Case("region", ("--data-dir", "{ws}/data_header_zones")),
    "municipality-without-zones": Case("run", data("data_municipality_no_zones")),
    "zone-without-dwellings": Case("run", data("data_zone_no_dwellings")),
    "no-jobs": Case("run", data("data_no_jobs")),
    "price-index-zero": Case("run", data("data_price_zero")),
    "crime-index-zero": Case("run", data("data_crime_zero")),
    "nan-in-data": Case("run", data("data_nan")),
    "infinity-in-data": Case("run", data("data_inf")),
    "decimal-comma-in-comma-csv": Case("run", data("data_decimal_comma")),
    "not-utf8": Case("run", data("data_latin1")),
    "non-ascii-data-path": Case("run", data("dåta_utan_länkar")),
    "nan-config-value": Case("run", ("region.wait_cap_min=nan",)),
    "nan-coefficient": Case("run", ("region.access_beta_per_min=nan",)),
    "infinite-rule-parameter": Case("run", ("rules.migration.in_migration.rate=inf",)),
    "nan-in-a-list": Case(
        "run", ("assumptions.population.size_shares=[0.38,0.31,0.13,0.13,0.04,nan]",)
    ),
    "negative-replicate": Case("run", ("replicate=-1",)),
    "base-year-not-the-data's": Case("run", ("region.base_year=2010",)),
    "empty-scenario-file": Case("run", (*CONF, "scenario=empty")),
    "duplicate-yaml-key": Case("run", (*CONF, "scenario=duplicate_key")),
    "edit-of-missing-link-after-horizon": Case("run", (*CONF, "scenario=late_missing_link")),
    "second-writer": Case("run", ("hydra.run.dir={ws}/locked_run",)),
    "compare-different-scale": Case("compare", ("{ws}/cmp_scale", "--no-map")),
    "compare-different-data": Case("compare", ("{ws}/cmp_data", "--no-map")),
    "compare-different-base-year": Case("compare", ("{ws}/cmp_base_year", "--no-map")),
    "compare-different-model-version": Case("compare", ("{ws}/cmp_version", "--no-map")),
    "compare-different-horizon": Case("compare", ("{ws}/cmp_horizon", "--no-map")),
    "compare-empty-outcomes": Case("compare", ("{ws}/cmp_empty", "--no-map")),
    "compare-text-values": Case("compare", ("{ws}/cmp_text", "--no-map")),
    "compare-unwritable-out": Case(
        "compare", ("{ws}/cmp_ok", "--no-map", "--out", "{ws}/a_file/report")
    ),
}

USER_SCENARIOS = {
    "empty.yaml": "",
    "duplicate_key.yaml": "defaults: [base, _self_]\nname: duplicate_key\n"
    "description: one\ndescription: two\n",
    "late_missing_link.yaml": "defaults: [base, _self_]\nname: late_missing_link\n"
    "description: an edit dated after the run's horizon\n"
    "link_edits:\n  faster_bus: {op: change, from_node: bastad, "
    "to_node: perstorp, departures_per_hour: 4, start_year: 2045}\n",
    "late_programme.yaml": "defaults: [base, _self_]\nname: late_programme\n"
    "description: a programme that starts after the horizon\n"
    "safety_programmes:\n  bjuv: {places: [Bjuv], start_year: 2040}\n",
}


def _copy(ws: Path, name: str, edit: Callable[[Path], None]) -> None:
    folder = ws / name
    shutil.copytree(embedded_data_dir(), folder)
    edit(folder)


def _header_only(file: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        header = (folder / file).read_text(encoding="utf-8").splitlines()[0]
        (folder / file).write_text(header + "\n", encoding="utf-8")

    return edit


def _replace(file: str, old: str, new: str, *, count: int = 1) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        text = (folder / file).read_text(encoding="utf-8")
        assert old in text, (file, old)
        (folder / file).write_text(text.replace(old, new, count), encoding="utf-8")

    return edit


def _attribute(attribute: str, value: str, zones: str | None = None) -> Callable[[Path], None]:
    """Set ``attribute`` of every zone (or the zones matching regex ``zones``) to ``value``."""

    def edit(folder: Path) -> None:
        path = folder / "zone_attributes.csv"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        out = []
        for line in lines:
            parts = line.split(",", 3)
            if (
                len(parts) > 3
                and parts[1] == attribute
                and (zones is None or re.fullmatch(zones, parts[0]))
            ):
                parts[2] = value
            out.append(",".join(parts))
        path.write_text("".join(out), encoding="utf-8")

    return edit


def _latin1(folder: Path) -> None:
    path = folder / "zones.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))


def _compare_pair(
    root: Path,
    *,
    base: dict | None = None,
    other: dict | None = None,
    base_manifest: dict | None = None,
    other_manifest: dict | None = None,
    years_other: range = range(2019, 2023),
) -> None:
    for seed in (1, 2):
        b = write_run(root / f"baseline_{seed}", scenario="baseline", seed=seed, extra_config=base)
        t = write_run(
            root / f"transit_{seed}",
            scenario="transit",
            seed=seed,
            extra_config=other,
            years=years_other,
        )
        for run, extra in ((b, base_manifest), (t, other_manifest)):
            if extra:
                manifest = json.loads((run / "manifest.json").read_text())
                (run / "manifest.json").write_text(json.dumps({**manifest, **extra}))


def make_workspace(ws: Path) -> None:
    """Bad data folders, user scenario files, locked and incomparable run folders."""
    _copy(ws, "data_header_zones", _header_only("zones.csv"))
    _copy(ws, "data_header_municipalities", _header_only("municipalities.csv"))
    _copy(ws, "data_header_attributes", _header_only("zone_attributes.csv"))
    _copy(ws, "data_header_links", _header_only("links.csv"))
    _copy(
        ws,
        "data_municipality_no_zones",
        _replace(
            "municipalities.csv", "\nLandskrona,", "\nTingsryd,0000,0,,,,,assumed,test\nLandskrona,"
        ),
    )
    _copy(
        ws,
        "data_zone_no_dwellings",
        lambda f: [
            _attribute(a, "0.0", "helsingborg")(f)
            for a in ("dwellings_rental", "dwellings_tenant_owned", "dwellings_house")
        ],
    )
    _copy(ws, "data_no_jobs", _attribute("jobs", "0.0"))
    _copy(ws, "data_price_zero", _attribute("price_index", "0", "bjuv"))
    _copy(ws, "data_crime_zero", _attribute("crime_index", "0.0", "torekov"))
    _copy(ws, "data_nan", _attribute("amenity_coast", "nan", "viken"))
    _copy(ws, "data_inf", _replace("links.csv", ",4.64,2.0,", ",inf,2.0,"))
    _copy(ws, "data_decimal_comma", _replace("zones.csv", "56.044198", '"56,044198"'))
    _copy(ws, "data_latin1", _latin1)
    _copy(ws, "dåta_utan_länkar", lambda f: (f / "links.csv").unlink())
    scenarios = ws / "conf" / "scenario"
    scenarios.mkdir(parents=True)
    for name, text in USER_SCENARIOS.items():
        (scenarios / name).write_text(text, encoding="utf-8")
    (ws / "a_file").write_text("a file where the report folder should go\n")
    _compare_pair(ws / "cmp_ok")
    _compare_pair(ws / "cmp_scale", other={"scale": 0.1})
    _compare_pair(
        ws / "cmp_data",
        base_manifest={"data_hash": "a" * 64},
        other_manifest={"data_hash": "b" * 64},
    )
    _compare_pair(
        ws / "cmp_base_year", other={"region": {"data_dir": "embedded", "base_year": 2018}}
    )
    _compare_pair(
        ws / "cmp_version",
        base_manifest={"versions": {"fh_sim": "0.1.0"}},
        other_manifest={"versions": {"fh_sim": "0.2.0"}},
    )
    _compare_pair(ws / "cmp_horizon", years_other=range(2019, 2026))
    _compare_pair(ws / "cmp_empty")
    pd.DataFrame(
        {
            c: pd.Series(dtype=t)
            for c, t in (
                ("year", "int64"),
                ("level", str),
                ("unit", str),
                ("metric", str),
                ("value", "float64"),
            )
        }
    ).to_parquet(ws / "cmp_empty" / "transit_2" / "outcomes.parquet")
    _compare_pair(ws / "cmp_text")
    text_table = pd.read_parquet(ws / "cmp_text" / "transit_1" / "outcomes.parquet")
    text_table["value"] = text_table["value"].map(lambda v: f"{v:.1f} persons")
    text_table.to_parquet(ws / "cmp_text" / "transit_1" / "outcomes.parquet")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("inputs")
    make_workspace(ws)
    return ws


def documented() -> dict[str, str]:
    """case id -> the message the section documents (``<ws>`` for the folder)."""
    text = DOC.read_text(encoding="utf-8").split(SECTION, 1)[1].split("\n## ", 1)[0]
    rows = re.findall(
        r"^\| `([a-z0-9'-]+)` \|.*\| `(fh-sim \w+: error: [^`]+)` \|", text, flags=re.M
    )
    return dict(rows)


def run_cli(
    ws: Path,
    case: Case,
    outputs: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[int, str]:
    monkeypatch.setenv("FH_SIM_OUTPUTS", str(outputs))
    args = [a.replace("{ws}", str(ws)) for a in case.args]
    if case.command == "run":
        conf = args[:2] if args[:1] == ["--config-dir"] else []
        argv = ["run", *conf, *SMALL, *args[len(conf) :]]
    else:
        argv = [case.command, *args]
        if case.command == "compare" and "--out" not in args:
            argv += ["--out", str(outputs / "report")]
    code = fh_sim_main(argv)
    return code, capsys.readouterr().err


def test_every_case_is_documented() -> None:
    assert set(documented()) == set(CASES)


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_gives_the_documented_line(
    name: str,
    workspace: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    case = CASES[name]
    lock = None
    if name == "second-writer":  # another process holds the folder's lock
        lock = rundir.RunFolderLock(workspace / "locked_run")
        lock.acquire()
    try:
        code, err = run_cli(workspace, case, tmp_path / "outputs", monkeypatch, capsys)
    finally:
        if lock is not None:
            lock.release()
    lines = [ln for ln in err.splitlines() if ln.startswith(f"fh-sim {case.command}:")]
    assert code == 2, err[-3000:]
    assert len(lines) == 1, err[-3000:]
    assert "Traceback" not in err
    printed = lines[0].replace(str(workspace), "<ws>")
    printed = re.sub(r"\(pid \d+\)", "(pid <pid>)", printed)
    assert printed == documented()[name], (printed, documented()[name])
    for manifest in [
        *tmp_path.rglob("manifest.json"),
        *(workspace / "locked_run").rglob("manifest.json"),
    ]:
        assert json.loads(manifest.read_text())["status"] != "complete", manifest
