"""The bad-input catalogue of docs/errors.md, end to end through the `fh-sim` command.

Every case runs `fh-sim run` in a subprocess and must give exactly one message line on
stderr that names what is wrong and where, the documented exit code, no traceback, and no
run folder whose manifest says complete. The message printed (with the test's folder
written as `<ws>`) must be the one docs/errors.md documents for the case. `--debug` is
checked on one case of every place an error can come from (Hydra's composition, the YAML
reader, the schemas, the rule registry, plugins, the region loader, the network, the
scenario check, the population, the output folder): it shows the traceback.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from fh_sim.region.load import embedded_data_dir

FH_SIM = Path(sys.executable).parent / "fh-sim"
SMALL = ("scale=0.01", "end_year=2021")
DOC = Path(__file__).resolve().parents[1] / "docs" / "errors.md"
LOG_LINE = re.compile(r"^\[\d{4}-\d\d-\d\d [\d:,]+\]\[")  # Hydra's job log format
PROGRESS_LINE = re.compile(r"^fh-sim:\s+\d+%\|")  # the run's progress bar


@dataclass(frozen=True)
class Case:
    """One bad input: arguments after `fh-sim run` and what the one error line must say.

    ``{ws}`` in ``args`` and ``says`` stands for the test's folder.
    """

    args: tuple[str, ...]
    says: tuple[str, ...]
    exit_code: int = 2


CONF = ("--config-dir", "{ws}/conf")
CASES: dict[str, Case] = {
    "misspelled-key": Case(("sead=3",), ("config key 'sead'", "unknown key")),
    "misspelled-key-in-file": Case(
        (*CONF, "scenario=typo"), ("'safety_programme'", "unknown key", "scenario/typo.yaml")
    ),
    "wrong-type": Case(("end_year=soon",), ("config key 'end_year'", "'soon'")),
    "negative-rate": Case(
        ("rules.migration.in_migration.rate=-0.1",),
        ("config key 'rules.migration.in_migration.rate'", ">= 0", "-0.1"),
    ),
    "probability-above-1": Case(
        ("rules.demography.leaving_home.prob=1.5",),
        ("config key 'rules.demography.leaving_home.prob'", "[0, 1]", "1.5"),
    ),
    "end-year-before-base-year": Case(("end_year=2010",), ("config key 'end_year'", "2019")),
    "unknown-scenario": Case(("scenario=nope",), ("unknown scenario 'nope'", "baseline")),
    "unknown-rule": Case(
        ("+rules.utility.nonsense={}",), ("rules.utility.nonsense", "unknown rule 'nonsense'")
    ),
    "unknown-plugin": Case(("plugins=[no_such_rules_module]",), ("no_such_rules_module",)),
    "plugin-that-raises": Case(
        ("plugins=[{ws}/exploding_plugin.py]",), ("exploding_plugin.py", "the cooling failed")
    ),
    "missing-data-folder": Case(
        ("region.data_dir={ws}/no_such_folder",), ("{ws}/no_such_folder", "does not exist")
    ),
    "missing-data-file": Case(
        ("region.data_dir={ws}/data_missing_file",), ("{ws}/data_missing_file/links.csv", "missing")
    ),
    "malformed-csv": Case(
        ("region.data_dir={ws}/data_malformed",),
        ("{ws}/data_malformed/zones.csv, row 2", "malformed CSV"),
    ),
    "negative-dwelling-stock": Case(
        ("region.data_dir={ws}/data_negative_stock",),
        (
            "{ws}/data_negative_stock/zone_attributes.csv, row 2, column 'value'",
            "dwellings_rental",
            "-5",
        ),
    ),
    "link-to-unknown-node": Case(
        ("region.data_dir={ws}/data_unknown_node",),
        ("{ws}/data_unknown_node/links.csv, row 2, column 'to_node'", "'atlantis'"),
    ),
    "unreachable-zone": Case(
        ("region.data_dir={ws}/data_unreachable",),
        ("{ws}/data_unreachable/links.csv", "'ekeby'", "disconnected"),
    ),
    "edit-of-missing-link": Case(
        (*CONF, "scenario=edit_missing_link"), ("link edit 'faster_bus'", "bastad-perstorp")
    ),
    "conflicting-scenarios": Case(
        (*CONF, "scenario=two_housing_policies"),
        ("scenario 'two_housing_policies'", "housing_policies", "one housing policy per place"),
    ),
    "empty-population-after-scale": Case(("scale=1e-9",), ("config key 'scale'", "1e-09", "empty")),
    "unwritable-output-folder": Case(("hydra.run.dir={ws}/a_file/run",), ("{ws}/a_file/run",)),
    "malformed-yaml": Case(
        (*CONF, "scenario=broken_yaml"), ("scenario/broken_yaml.yaml, line", "malformed YAML")
    ),
}
# One case per place an error comes from: run again with --debug.
DEBUG_CASES = (
    "misspelled-key",
    "malformed-yaml",
    "end-year-before-base-year",
    "probability-above-1",
    "plugin-that-raises",
    "malformed-csv",
    "edit-of-missing-link",
    "conflicting-scenarios",
    "empty-population-after-scale",
    "unwritable-output-folder",
)

USER_SCENARIOS = {
    "typo.yaml": """\
defaults: [base, _self_]
name: typo
description: a misspelled intervention group
safety_programme:
  bjuv_safety: {places: [Bjuv]}
""",
    "edit_missing_link.yaml": """\
defaults: [base, _self_]
name: edit_missing_link
description: more departures on a link that does not exist
link_edits:
  faster_bus: {op: change, from_node: bastad, to_node: perstorp, departures_per_hour: 4,
               start_year: 2020}
""",
    "two_housing_policies.yaml": """\
defaults: [base, growth_first, current_residents_first, _self_]
name: two_housing_policies
description: two packages that both set the housing policy of the whole region
""",
    "broken_yaml.yaml": """\
defaults: [base, _self_]
name: broken_yaml
description: "a quote that is never closed
""",
}

EXPLODING_PLUGIN = 'raise RuntimeError("the cooling failed")\n'


def _copy_data(ws: Path, name: str, edit) -> None:
    folder = ws / name
    shutil.copytree(embedded_data_dir(), folder)
    edit(folder)


def _replace(file: str, old: str, new: str):
    def edit(folder: Path) -> None:
        text = (folder / file).read_text(encoding="utf-8")
        assert old in text, (file, old)
        (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def _drop_links_of(node: str):
    def edit(folder: Path) -> None:
        lines = (folder / "links.csv").read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [ln for ln in lines if f",{node}," not in ln]
        assert len(kept) < len(lines)
        (folder / "links.csv").write_text("".join(kept), encoding="utf-8")

    return edit


def make_workspace(ws: Path) -> None:
    """Bad data folders, user scenario files, a plugin that raises, a file in the way."""
    _copy_data(ws, "data_missing_file", lambda f: (f / "links.csv").unlink())
    _copy_data(
        ws,
        "data_malformed",
        _replace("zones.csv", ",Helsingborg,56.044198", ',"Helsingborg,56.044198'),
    )
    _copy_data(
        ws,
        "data_negative_stock",
        _replace(
            "zone_attributes.csv",
            "helsingborg,dwellings_rental,794.0",
            "helsingborg,dwellings_rental,-5",
        ),
    )
    _copy_data(
        ws,
        "data_unknown_node",
        _replace("links.csv", ",helsingborg,helsingborg_ramlosa,", ",helsingborg,atlantis,"),
    )
    _copy_data(ws, "data_unreachable", _drop_links_of("ekeby"))
    scenarios = ws / "conf" / "scenario"
    scenarios.mkdir(parents=True)
    for name, text in USER_SCENARIOS.items():
        (scenarios / name).write_text(text, encoding="utf-8")
    (ws / "exploding_plugin.py").write_text(EXPLODING_PLUGIN, encoding="utf-8")
    (ws / "a_file").write_text("a file where the output folder should go\n")


@dataclass(frozen=True)
class Outcome:
    """What one `fh-sim` call left behind."""

    returncode: int
    stdout: str
    stderr: str
    outputs: Path


def fh_sim_run(ws: Path, name: str, case: Case, *, debug: bool) -> Outcome:
    """Run ``fh-sim [--debug] run SMALL ARGS`` with outputs under its own folder."""
    outputs = ws / ("outputs_debug" if debug else "outputs") / name
    args = [a.replace("{ws}", str(ws)) for a in case.args]
    conf = args[:2] if args[:1] == ["--config-dir"] else []
    cmd = [str(FH_SIM), *(["--debug"] if debug else []), "run", *conf, *SMALL, *args[len(conf) :]]
    env = {**os.environ, "FH_SIM_OUTPUTS": str(outputs)}
    env.pop("HYDRA_FULL_ERROR", None)
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env, cwd=ws)
    return Outcome(done.returncode, done.stdout, done.stderr, outputs)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("catalogue")
    make_workspace(ws)
    return ws


@pytest.fixture(scope="module")
def outcomes(workspace: Path) -> dict[tuple[str, bool], Outcome]:
    """Every case plainly, the debug cases with --debug; three subprocesses at a time."""
    jobs = [(name, False) for name in CASES] + [(name, True) for name in DEBUG_CASES]
    with ThreadPoolExecutor(max_workers=3) as pool:
        done = pool.map(
            lambda job: fh_sim_run(workspace, job[0], CASES[job[0]], debug=job[1]), jobs
        )
        return dict(zip(jobs, done, strict=True))


def message_lines(stderr: str) -> list[str]:
    """stderr without Hydra's log records and the progress bar."""
    return [
        ln
        for ln in stderr.splitlines()
        if ln.strip() and not LOG_LINE.match(ln) and not PROGRESS_LINE.match(ln)
    ]


def documented_messages() -> dict[str, str]:
    """case id -> the message docs/errors.md gives for it (``<ws>`` for the folder)."""
    text = DOC.read_text(encoding="utf-8").split("## The catalogue", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(
        r"^\| `([a-z0-9-]+)` \|.*\| `(fh-sim run: error: [^`]+)` \|", text, flags=re.M
    )
    return dict(rows)


def _manifests(root: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in root.rglob("manifest.json")]


def test_catalogue_has_at_least_15_cases() -> None:
    assert len(CASES) >= 15
    assert set(DEBUG_CASES) <= set(CASES)
    assert set(documented_messages()) == set(CASES)


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_gives_one_clear_line(
    name: str, workspace: Path, outcomes: dict[tuple[str, bool], Outcome]
) -> None:
    case, plain = CASES[name], outcomes[(name, False)]
    lines = message_lines(plain.stderr)
    assert plain.returncode == case.exit_code, plain.stderr[-3000:]
    assert len(lines) == 1, lines
    (line,) = lines
    assert line.startswith("fh-sim run: error: "), line
    for text in case.says:
        assert text.replace("{ws}", str(workspace)) in line, line
    assert "Traceback" not in plain.stderr + plain.stdout
    for manifest in _manifests(plain.outputs):
        assert manifest["status"] == "failed" and manifest["error"], manifest
    assert not any(m["status"] == "complete" for m in _manifests(workspace))

    documented = documented_messages().get(name)
    assert documented is not None, f"docs/errors.md has no row for `{name}`"
    printed = line.replace(str(workspace), "<ws>")
    if documented.endswith("..."):
        assert printed.startswith(documented[:-3]), (printed, documented)
    else:
        assert printed == documented, (printed, documented)


@pytest.mark.parametrize("name", DEBUG_CASES)
def test_debug_shows_the_traceback(name: str, outcomes: dict[tuple[str, bool], Outcome]) -> None:
    debug = outcomes[(name, True)]
    assert debug.returncode != 0
    assert "Traceback (most recent call last)" in debug.stderr, debug.stderr[-2000:]
    assert not any(m["status"] == "complete" for m in _manifests(debug.outputs))
