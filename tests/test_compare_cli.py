"""``fh-sim compare``: exit codes, messages and outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from compare_synthetic import write_run, write_sweep
from fh_sim.cli import main


@pytest.fixture
def sweep(tmp_path: Path) -> Path:
    write_sweep(tmp_path / "sweep", scenarios={"baseline": [0, 1], "transit": [0, 1, 2]})
    return tmp_path / "sweep"


def test_compare_writes_outputs(sweep: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["compare", str(sweep), "--out", str(out), "--no-map"]) == 0
    assert f"report: {out / 'report.html'}" in capsys.readouterr().out
    names = {p.name for p in out.iterdir()}
    assert {
        "report.html",
        "summary.csv",
        "summary.parquet",
        "summary.xlsx",
        "summary.txt",
        "details.csv",
        "population_municipality.png",
        "difference_horizon.png",
        "tradeoff.png",
        "segregation_rent_burden.png",
        "segments.png",
    } <= names
    assert not any(n.endswith(".tmp") for n in names)


def test_metrics_option_restricts_summary(sweep: Path, tmp_path: Path) -> None:
    import pandas as pd

    out = tmp_path / "out"
    assert (
        main(
            [
                "compare",
                str(sweep),
                "--out",
                str(out),
                "--no-map",
                "--metrics",
                "population",
                "displaced",
            ]
        )
        == 0
    )
    assert set(pd.read_csv(out / "summary.csv")["metric"]) == {"population", "displaced"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing_folder"], "missing_folder: no such file or folder"),
        (
            ["SWEEP", "--baseline", "nope"],
            "no complete runs of baseline scenario 'nope'; scenarios found: baseline, transit",
        ),
        (["SWEEP", "--metrics", "populashun"], "unknown metric(s) populashun"),
        (["EMPTY"], "no run folders"),
        (["INCOMPLETE"], "no complete runs"),
    ],
)
def test_user_errors_one_line_exit_2(
    sweep: Path, tmp_path: Path, capsys, monkeypatch, args: list[str], message: str
) -> None:
    (tmp_path / "empty").mkdir()
    write_run(tmp_path / "inc" / "0", scenario="baseline", seed=1, status="failed")
    monkeypatch.chdir(tmp_path)
    paths = {
        "SWEEP": str(sweep),
        "EMPTY": str(tmp_path / "empty"),
        "INCOMPLETE": str(tmp_path / "inc"),
    }
    argv = ["compare", *[paths.get(a, a) for a in args], "--out", str(tmp_path / "o")]
    assert main(argv) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    err = [line for line in lines if not line.startswith(("INFO ", "DEBUG ", "WARNING "))]
    assert len(err) == 1
    assert err[0].startswith("fh-sim compare: error: ")
    assert message in err[0]
    assert "Traceback" not in err[0]
    assert not (tmp_path / "o" / "report.html").exists()


def test_incomplete_run_warned_on_the_command_line(sweep: Path, tmp_path: Path, caplog) -> None:
    bad = write_run(sweep / "99", scenario="transit", seed=7, replicate=3, status="running")
    assert main(["compare", str(sweep), "--out", str(tmp_path / "o"), "--no-map"]) == 0
    assert f"leaving out incomplete run {bad.resolve()}" in caplog.text


def test_usage_error_without_paths(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["compare"])
    assert exc.value.code == 2
    assert "PATH" in capsys.readouterr().err
