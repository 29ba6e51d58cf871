"""Inputs that are read, warned about or rerun (exit 0): docs/errors.md, second catalogue.

Swedish Excel CSVs, non-ASCII data paths, levers after the horizon, resume by content
identity and checksums, the run-folder lock, ``compare --as-rates``, the dwelling stock
from the data and the meaning of ``land_capacity_dwellings``.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from compare_synthetic import write_run
from fh_sim.analysis.collect import check_comparable, collect
from fh_sim.analysis.compare import COUNT_METRICS, compare_runs, counts_as_rates
from fh_sim.cli import main as fh_sim_main
from fh_sim.config import SimConfig
from fh_sim.config.scenario import SafetyProgramme, ScenarioConfig
from fh_sim.errors import FhSimError
from fh_sim.population.synthesis import stock_and_quotas
from fh_sim.region.load import embedded_data_dir, load_region
from fh_sim.runs import rundir
from fh_sim.runs.identity import data_hash, plugins_hash
from fh_sim.scenarios.levers import idle_levers
from fh_sim.sim.model import HousingModel

SMALL = ["scale=0.01", "end_year=2021"]


def _outcomes(data_dir: Path | str = "embedded", **kw) -> bytes:
    cfg = SimConfig(seed=5, scale=0.02, end_year=2022, **kw)
    cfg.region.data_dir = str(data_dir)
    return rundir.outcomes_bytes(HousingModel(cfg).run(progress=False))


def _as_swedish_excel(path: Path) -> None:
    """Rewrite a CSV as Swedish Excel saves it: BOM, ``;`` and decimal commas."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        cells = []
        for cell in row:
            try:
                float(cell)
                cells.append(cell.replace(".", ","))
            except ValueError:
                cells.append(cell)
        writer.writerow(cells)
    path.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))


def test_swedish_excel_csvs_give_the_same_outcomes(tmp_path: Path) -> None:
    folder = tmp_path / "excel"
    shutil.copytree(embedded_data_dir(), folder)
    for name in ("zones.csv", "zone_attributes.csv", "links.csv", "municipalities.csv"):
        _as_swedish_excel(folder / name)
    assert (folder / "zones.csv").read_bytes().startswith(b"\xef\xbb\xbfzone_id;name;")
    assert b"56,044198" in (folder / "zones.csv").read_bytes()
    assert _outcomes(folder) == _outcomes()


def test_a_bom_alone_is_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "bom"
    shutil.copytree(embedded_data_dir(), folder)
    path = folder / "zones.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    region = load_region(folder)
    assert region.zones.equals(load_region().zones)


def test_non_ascii_data_path_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "Höganäs data"
    shutil.copytree(embedded_data_dir(), folder)
    monkeypatch.setenv("FH_SIM_OUTPUTS", str(tmp_path / "out"))
    run_dir = tmp_path / "run"
    code = fh_sim_main(["run", *SMALL, f"region.data_dir={folder}", f"hydra.run.dir={run_dir}"])
    assert code == 0
    manifest = rundir.read_manifest(run_dir)
    assert manifest["status"] == "complete"
    assert manifest["data_hash"] == data_hash(embedded_data_dir())


def test_a_lever_after_the_horizon_is_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    late = ScenarioConfig(
        name="late", safety_programmes={"bjuv": SafetyProgramme(places=["Bjuv"], start_year=2040)}
    )
    assert idle_levers(late, 2050) == []
    (line,) = idle_levers(late, 2022)
    assert line == (
        "scenario 'late', safety_programmes 'bjuv': start_year 2040 is after "
        "end_year 2022, so it acts in no simulated year"
    )
    with caplog.at_level(logging.WARNING, logger="fh_sim.sim.model"):
        late_bytes = _outcomes(scenario=late)
    assert line in caplog.text
    assert late_bytes == _outcomes()  # acting in no year: the baseline's outcomes


# --- resume by content -------------------------------------------------------------------


def _run(
    run_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *extra: str,
) -> str:
    """``fh-sim run`` into ``run_dir``; returns what it logged (Hydra's log handlers)."""
    monkeypatch.setenv("FH_SIM_OUTPUTS", str(tmp_path / "out"))
    capsys.readouterr()
    assert fh_sim_main(["run", *SMALL, f"hydra.run.dir={run_dir}", *extra]) == 0
    assert rundir.read_manifest(run_dir)["status"] == "complete"
    captured = capsys.readouterr()
    return captured.out + captured.err


def test_resume_reruns_on_changed_data_plugin_or_corrupt_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(embedded_data_dir(), data)
    plugin = tmp_path / "my_rules.py"
    plugin.write_text("X = 1\n", encoding="utf-8")
    run_dir = tmp_path / "run"
    args = (f"region.data_dir={data}", f"plugins=[{plugin}]")
    _run(run_dir, tmp_path, monkeypatch, capsys, *args)
    first = rundir.read_manifest(run_dir)
    assert set(first["checksums"]) == {"outcomes.parquet", "population.png"}
    assert "skipped" in _run(run_dir, tmp_path, monkeypatch, capsys, *args)

    text = (data / "zones.csv").read_text(encoding="utf-8")
    (data / "zones.csv").write_text(
        text.replace("Helsingborg,56.04", "Helsingborg,56.05", 1), encoding="utf-8"
    )
    log = _run(run_dir, tmp_path, monkeypatch, capsys, *args)
    assert "its data_hash differs from this run's: running it again" in log
    assert rundir.read_manifest(run_dir)["data_hash"] != first["data_hash"]

    plugin.write_text("X = 2\n", encoding="utf-8")
    log = _run(run_dir, tmp_path, monkeypatch, capsys, *args)
    assert "its plugins_hash differs from this run's" in log

    outcomes = run_dir / rundir.OUTCOMES
    good = outcomes.read_bytes()
    outcomes.write_bytes(good[: len(good) // 2])
    assert not rundir.is_complete(run_dir)
    log = _run(run_dir, tmp_path, monkeypatch, capsys, *args)
    assert "its files failed their recorded checksums (outcomes.parquet)" in log
    assert outcomes.read_bytes() == good  # the rerun gives the same bytes back


def test_identity_parts_follow_their_content(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(embedded_data_dir(), data)
    before = data_hash(data)
    assert before == data_hash(embedded_data_dir()) and data_hash(tmp_path / "none") is None
    (data / "links.csv").write_text((data / "links.csv").read_text() + "\n")
    assert data_hash(data) != before
    plugin = tmp_path / "p.py"
    plugin.write_text("A = 1\n")
    h = plugins_hash([str(plugin)])
    assert plugins_hash([str(plugin)]) == h
    plugin.write_text("A = 2\n")
    assert plugins_hash([str(plugin)]) != h


def test_one_writer_per_run_folder(tmp_path: Path) -> None:
    first = rundir.RunFolderLock(tmp_path / "run")
    first.acquire()
    with pytest.raises(FhSimError, match=r"another fh-sim process \(pid \d+\) is writing"):
        rundir.RunFolderLock(tmp_path / "run").acquire()
    first.release()
    with rundir.RunFolderLock(tmp_path / "run"):  # free again once released
        pass


# --- compare --as-rates ------------------------------------------------------------------


def _two_scales(root: Path) -> None:
    for seed in (1, 2):
        write_run(root / f"b{seed}", scenario="baseline", seed=seed)
        write_run(root / f"t{seed}", scenario="transit", seed=seed, extra_config={"scale": 0.1})


def test_as_rates_compares_across_scales_under_a_banner(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _two_scales(tmp_path / "runs")
    out = tmp_path / "report"
    assert fh_sim_main(["compare", str(tmp_path / "runs"), "--no-map", "--out", str(out)]) == 2
    capsys.readouterr()
    assert (
        fh_sim_main(
            ["compare", str(tmp_path / "runs"), "--no-map", "--as-rates", "--out", str(out)]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "RATES AND SHARES ONLY: the runs differ in scale" in printed
    assert "RATES AND SHARES ONLY" in (out / "report.html").read_text(encoding="utf-8")


def test_counts_become_rates() -> None:
    table = pd.DataFrame(
        {
            "run_dir": ["a"] * 6,
            "year": [2019, 2019, 2019, 2020, 2020, 2020],
            "level": ["region"] * 6,
            "unit": ["R"] * 6,
            "metric": ["population", "births", "vacancy_rate"] * 2,
            "value": [200.0, 4.0, 0.02, 250.0, 5.0, 0.03],
        }
    )
    out = counts_as_rates(table).set_index(["year", "metric"])["value"]
    assert out[(2019, "population")] == 1.0 and out[(2020, "population")] == 1.25
    assert out[(2019, "births")] == 4.0 / 200 and out[(2020, "births")] == 5.0 / 250
    assert out[(2020, "vacancy_rate")] == 0.03  # a share stays as it is
    assert {"population", "births", "displaced"} <= COUNT_METRICS
    assert "vacancy_rate" not in COUNT_METRICS


def test_as_rates_never_bridges_base_year_version_or_horizon(tmp_path: Path) -> None:
    for seed in (1, 2):
        write_run(tmp_path / f"b{seed}", scenario="baseline", seed=seed)
        write_run(tmp_path / f"t{seed}", scenario="transit", seed=seed, years=range(2019, 2025))
    runs = collect([tmp_path]).runs
    with pytest.raises(FhSimError, match="horizon 2022 .* but 2024"):
        check_comparable(runs, as_rates=True)
    with pytest.raises(FhSimError, match="horizon"):
        compare_runs([tmp_path], as_rates=True)


# --- the dwelling data are used ------------------------------------------------------------


def _zones(stock: list[list[float]]) -> pd.DataFrame:
    return pd.DataFrame(
        stock,
        columns=["dwellings_rental", "dwellings_tenant_owned", "dwellings_house"],
        index=["a", "b"],
    )


def test_stock_is_the_data_where_it_houses_the_households(
    caplog: pytest.LogCaptureFixture,
) -> None:
    households = np.array([100, 100])
    stock, quotas = stock_and_quotas(_zones([[100, 50, 150], [20, 10, 30]]), households, 0.02, 1.0)
    assert quotas.sum(axis=1).tolist() == [100, 100]
    assert stock[0].tolist() == [100, 50, 150]  # data hold more than needed: the data
    assert (stock[1] >= np.ceil(quotas[1] / 0.98)).all()  # short: raised to the need
    assert stock[1].sum() > 100 > 60
    with caplog.at_level(logging.WARNING, logger="fh_sim.population.synthesis"):
        stock_and_quotas(_zones([[10, 5, 15], [4, 2, 6]]), households, 0.02, 1.0)
    assert "short of the synthesised households" in caplog.text


def test_doubling_the_dwellings_doubles_the_stock(tmp_path: Path) -> None:
    folder = tmp_path / "double"
    shutil.copytree(embedded_data_dir(), folder)
    df = pd.read_csv(folder / "zone_attributes.csv")
    rows = df["attribute"].str.startswith("dwellings_")
    df.loc[rows, "value"] *= 2
    df.to_csv(folder / "zone_attributes.csv", index=False)
    region = load_region(folder)
    cfg = SimConfig(seed=1, scale=1.0, end_year=2020)
    cfg.region.data_dir = str(folder)
    model = HousingModel(cfg, region=region)
    data = region.zones[
        ["dwellings_rental", "dwellings_tenant_owned", "dwellings_house"]
    ].to_numpy()
    assert np.array_equal(model.dwellings.stock, np.rint(data).astype(np.int64))


def test_land_capacity_is_the_room_still_to_build() -> None:
    region = load_region()
    model = HousingModel(SimConfig(seed=1, scale=0.1, end_year=2020), region=region)
    room = region.zones["land_capacity_dwellings"].to_numpy() * 0.1
    assert np.allclose(model.zones.land_capacity, room)
    model.run(progress=False)
    built = model.dwellings.built.astype(float)
    assert np.allclose(model.zones.land_capacity, np.maximum(room - built, 0.0))


def test_no_room_no_building(tmp_path: Path) -> None:
    folder = tmp_path / "full"
    shutil.copytree(embedded_data_dir(), folder)
    df = pd.read_csv(folder / "zone_attributes.csv")
    full = (df["attribute"] == "land_capacity_dwellings") & df["zone_id"].isin(
        ["helsingborg", "landskrona"]
    )
    df.loc[full, "value"] = 0.0
    df.to_csv(folder / "zone_attributes.csv", index=False)
    cfg = SimConfig(seed=1, scale=0.1, end_year=2024)
    cfg.region.data_dir = str(folder)
    model = HousingModel(cfg)
    model.run(progress=False)
    built = dict(zip(model.zone_ids, model.dwellings.built, strict=True))
    assert built["helsingborg"] == 0 and built["landskrona"] == 0
    assert sum(built.values()) > 0


def test_manifest_records_the_identity(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run_dir = tmp_path / "run"
    _run(run_dir, tmp_path, monkeypatch, capsys)
    manifest = json.loads((run_dir / rundir.MANIFEST).read_text())
    for key in (
        "identity",
        "config_hash",
        "data_hash",
        "plugins_hash",
        "code_hash",
        "package_version",
        "checksums",
    ):
        assert manifest.get(key), key
    assert manifest["checksums"]["outcomes.parquet"] == rundir.file_sha256(
        run_dir / rundir.OUTCOMES
    )
