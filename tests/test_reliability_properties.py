"""Random corruptions of the shipped CSV files and scenario YAML (hypothesis).

Whatever is done to the data or a scenario file, the loader raises only
:class:`fh_sim.errors.FhSimError` (or reads the data), and ``fh-sim run`` ends with exit
code 0 and a complete run, or exit code 2 and one ``error:`` line: never a traceback,
never an internal error, never a folder that says complete without its outcomes.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fh_sim.cli import main as fh_sim_main
from fh_sim.errors import FhSimError
from fh_sim.region.load import embedded_data_dir, load_region
from fh_sim.runs import rundir

SHIPPED = embedded_data_dir()
CSV_FILES = (
    "municipalities.csv",
    "zones.csv",
    "zone_attributes.csv",
    "external_nodes.csv",
    "links.csv",
)
SCENARIO = Path(__file__).resolve().parents[1] / "src/fh_sim/conf/scenario/growth_first.yaml"
BAD_CELLS = (
    "",
    " ",
    "nan",
    "inf",
    "-inf",
    "-1",
    "0",
    "abc",
    "1e400",
    '"',
    "1,5",
    "ÅÄÖ",
    "True",
    "2200",
    "-0.0",
    "1" * 40,
)
BAD_VALUES = (
    "",
    "nan",
    "inf",
    "-1",
    "0",
    "abc",
    "[]",
    "{}",
    "null",
    "'",
    "2200",
    "1.5e9",
    "[Bjuv, nowhere]",
    "!!python/object:os.system",
    "&a",
    "*a",
)


def _split(text: str) -> list[str]:
    return text.splitlines(keepends=True)


@st.composite
def csv_corruption(draw: st.DrawFn) -> tuple[str, bytes]:
    """A shipped CSV file and corrupted bytes for it."""
    file = draw(st.sampled_from(CSV_FILES))
    text = (SHIPPED / file).read_text(encoding="utf-8")
    lines = _split(text)
    kind = draw(
        st.sampled_from(
            (
                "cell",
                "cell",
                "cell",
                "drop_row",
                "duplicate_row",
                "truncate",
                "empty",
                "bom",
                "semicolon",
                "drop_column",
                "swap_header",
            )
        )
    )
    if kind == "cell":
        i = draw(st.integers(1, len(lines) - 1))
        cells = lines[i].rstrip("\r\n").split(",")
        j = draw(st.integers(0, len(cells) - 1))
        cells[j] = draw(st.sampled_from(BAD_CELLS))
        lines[i] = ",".join(cells) + "\n"
        out = "".join(lines).encode("utf-8")
    elif kind in ("drop_row", "duplicate_row"):
        i = draw(st.integers(1, len(lines) - 1))
        lines[i : i + 1] = [] if kind == "drop_row" else [lines[i], lines[i]]
        out = "".join(lines).encode("utf-8")
    elif kind == "truncate":
        raw = text.encode("utf-8")
        out = raw[: draw(st.integers(0, len(raw) - 1))]
    elif kind == "empty":
        out = b""
    elif kind == "bom":
        out = b"\xef\xbb\xbf" + text.encode("utf-8")
    elif kind == "semicolon":
        out = text.replace(",", ";").encode("utf-8")
    elif kind == "drop_column":
        j = draw(st.integers(0, lines[0].count(",")))
        rows = [ln.rstrip("\r\n").split(",") for ln in lines]
        out = "".join(",".join(r[:j] + r[j + 1 :]) + "\n" for r in rows).encode("utf-8")
    else:  # swap_header
        head = lines[0].rstrip("\n").split(",")
        a, b = draw(st.permutations(range(len(head))))[:2]
        head[a], head[b] = head[b], head[a]
        lines[0] = ",".join(head) + "\n"
        out = "".join(lines).encode("utf-8")
    return file, out


@st.composite
def yaml_corruption(draw: st.DrawFn) -> str:
    """A shipped scenario file (renamed ``corrupt``) with one random corruption."""
    text = SCENARIO.read_text(encoding="utf-8").replace("name: growth_first", "name: corrupt")
    lines = _split(text)
    kind = draw(st.sampled_from(("value", "value", "drop_line", "duplicate_line", "truncate")))
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "value":
        key, sep, _ = lines[i].partition(": ")
        lines[i] = f"{key}{sep or ': '}{draw(st.sampled_from(BAD_VALUES))}\n"
    elif kind == "drop_line":
        del lines[i]
    elif kind == "duplicate_line":
        lines.insert(i, lines[i])
    else:
        return text[: draw(st.integers(0, len(text)))]
    return "".join(lines)


def _check_run(code: int, err: str, run_dir: Path) -> None:
    assert code in (0, 2), err[-3000:]
    assert "Traceback" not in err and "internal error" not in err, err[-3000:]
    errors = [ln for ln in err.splitlines() if ln.startswith("fh-sim run: error: ")]
    manifest = rundir.read_manifest(run_dir) if run_dir.exists() else None
    if code == 0:
        assert errors == [] and manifest is not None and manifest["status"] == "complete"
    else:
        assert len(errors) == 1, err[-3000:]
        assert manifest is None or manifest["status"] != "complete", manifest
    if manifest is not None and manifest["status"] == "complete":
        assert (run_dir / rundir.OUTCOMES).is_file()
        assert not rundir.failed_checksums(run_dir, manifest)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corruption=csv_corruption())
def test_loader_reads_or_names_the_problem(corruption: tuple[str, bytes]) -> None:
    file, data = corruption
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        shutil.copytree(SHIPPED, folder)
        (folder / file).write_bytes(data)
        try:
            load_region(folder)
        except FhSimError as err:
            assert str(err).startswith(str(folder)), err
            assert "\n" not in str(err)


@pytest.mark.slow
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(corruption=csv_corruption())
def test_run_on_corrupt_data_ends_cleanly(
    corruption: tuple[str, bytes],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    file, data = corruption
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        shutil.copytree(SHIPPED, folder)
        (folder / file).write_bytes(data)
        run_dir = Path(tmp) / "run"
        monkeypatch.setenv("FH_SIM_OUTPUTS", str(Path(tmp) / "out"))
        capsys.readouterr()
        code = fh_sim_main(
            [
                "run",
                "scale=0.01",
                "end_year=2021",
                f"region.data_dir={folder}",
                f"hydra.run.dir={run_dir}",
            ]
        )
        _check_run(code, capsys.readouterr().err, run_dir)


@pytest.mark.slow
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=yaml_corruption())
def test_run_on_a_corrupt_scenario_ends_cleanly(
    text: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        conf = Path(tmp) / "conf" / "scenario"
        conf.mkdir(parents=True)
        (conf / "corrupt.yaml").write_text(text, encoding="utf-8")
        run_dir = Path(tmp) / "run"
        monkeypatch.setenv("FH_SIM_OUTPUTS", str(Path(tmp) / "out"))
        capsys.readouterr()
        code = fh_sim_main(
            [
                "run",
                "--config-dir",
                str(conf.parent),
                "scale=0.01",
                "end_year=2021",
                "scenario=corrupt",
                f"hydra.run.dir={run_dir}",
            ]
        )
        _check_run(code, capsys.readouterr().err, run_dir)
        for manifest in Path(tmp).rglob("manifest.json"):
            status = json.loads(manifest.read_text())["status"]
            assert status in ("complete", "failed"), status
