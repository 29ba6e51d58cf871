"""Summary numbers and paired differences equal a direct computation from the run tables."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from compare_synthetic import outcome_table, write_sweep
from fh_sim.analysis import (
    collect,
    difference_summary,
    horizon_year,
    pair_seeds,
    paired_differences,
    summarise,
    summary_table,
)
from fh_sim.errors import FhSimError

YEARS = range(2019, 2024)


@pytest.fixture
def sweep(tmp_path: Path) -> Path:
    # transit shares replicates 1, 2 with the baseline; 5 and 6 have no baseline pair.
    write_sweep(
        tmp_path,
        scenarios={"baseline": [0, 1, 2], "transit": [1, 2, 5, 6], "housing": [0, 1, 2]},
        years=YEARS,
    )
    return tmp_path


def _direct(
    scenario: str, reps: list[int], *, year: int, level: str, unit: str, metric: str
) -> np.ndarray:
    vals = []
    for rep in reps:
        t = outcome_table(scenario=scenario, seed=7, replicate=rep, years=YEARS)
        row = t[(t.year == year) & (t.level == level) & (t.unit == unit) & (t.metric == metric)]
        vals.append(float(row["value"].iloc[0]))
    return np.array(vals)


def test_levels_equal_direct_mean_and_quantiles(sweep: Path) -> None:
    coll = collect([sweep])
    levels = summarise(coll.table)
    for scen, reps in {"baseline": [0, 1, 2], "transit": [1, 2, 5, 6]}.items():
        for level, unit, metric in [
            ("region", "Familjen Helsingborg", "population"),
            ("municipality", "Klippan", "rent_burden"),
            ("segment", "young_low", "displaced"),
        ]:
            direct = _direct(scen, reps, year=2023, level=level, unit=unit, metric=metric)
            row = levels[
                (levels.scenario == scen)
                & (levels.year == 2023)
                & (levels.level == level)
                & (levels.unit == unit)
                & (levels.metric == metric)
            ]
            assert len(row) == 1
            assert row["n"].iloc[0] == len(reps)
            assert row["mean"].iloc[0] == pytest.approx(direct.mean(), rel=1e-12)
            assert row["q05"].iloc[0] == pytest.approx(np.quantile(direct, 0.05), rel=1e-12)
            assert row["q95"].iloc[0] == pytest.approx(np.quantile(direct, 0.95), rel=1e-12)
            assert row["q05"].iloc[0] < row["mean"].iloc[0] < row["q95"].iloc[0]


def test_difference_uses_common_seeds_only(sweep: Path, caplog) -> None:
    coll = collect([sweep])
    with caplog.at_level(logging.INFO):
        pairing = pair_seeds(coll.runs, baseline="baseline")
    assert pairing.common["transit"] == [(7, 1), (7, 2)]
    assert pairing.unpaired == {"transit": 2, "housing": 0}
    assert "paired on 2 common seed(s), 2 run(s) without a baseline pair" in caplog.text

    per_seed = paired_differences(coll.table, pairing)
    assert set(per_seed[per_seed.scenario == "transit"]["replicate"]) == {1, 2}
    diffs = difference_summary(coll.table, pairing)
    row = diffs[
        (diffs.scenario == "transit")
        & (diffs.year == 2023)
        & (diffs.level == "region")
        & (diffs.metric == "population")
    ]
    kw = {"year": 2023, "level": "region", "unit": "Familjen Helsingborg", "metric": "population"}
    direct = _direct("transit", [1, 2], **kw) - _direct("baseline", [1, 2], **kw)
    assert row["n"].iloc[0] == 2
    assert row["mean"].iloc[0] == pytest.approx(direct.mean(), rel=1e-12)
    assert row["q05"].iloc[0] == pytest.approx(np.quantile(direct, 0.05), rel=1e-12)
    assert row["q95"].iloc[0] == pytest.approx(np.quantile(direct, 0.95), rel=1e-12)
    # Unpaired means differ from the paired difference: pairing really matters here.
    lv = summarise(coll.table)
    sel = lv[(lv.year == 2023) & (lv.level == "region") & (lv.metric == "population")]
    unpaired = sel.set_index("scenario")["mean"]
    assert abs((unpaired["transit"] - unpaired["baseline"]) - row["mean"].iloc[0]) > 1e-6
    # The synthetic effect of transit is +10 per year after the base year.
    assert row["mean"].iloc[0] == pytest.approx(40.0, abs=2.5)


def test_no_baseline_diff_rows_and_unknown_baseline(sweep: Path) -> None:
    coll = collect([sweep])
    pairing = pair_seeds(coll.runs, baseline="housing")
    diffs = difference_summary(coll.table, pairing)
    assert set(diffs["scenario"]) == {"baseline", "transit"}
    with pytest.raises(FhSimError, match="no complete runs of baseline scenario 'nope'"):
        pair_seeds(coll.runs, baseline="nope")


def test_scenario_without_common_seed_warns(tmp_path: Path, caplog) -> None:
    write_sweep(tmp_path, scenarios={"baseline": [0, 1], "transit": [3, 4]}, years=YEARS)
    coll = collect([tmp_path])
    with caplog.at_level(logging.WARNING):
        pairing = pair_seeds(coll.runs, baseline="baseline")
    assert pairing.common["transit"] == []
    assert "shares no seed with baseline" in caplog.text
    assert difference_summary(coll.table, pairing).empty


def test_summary_table_at_horizon(sweep: Path) -> None:
    coll = collect([sweep])
    pairing = pair_seeds(coll.runs, baseline="baseline")
    levels, diffs = summarise(coll.table), difference_summary(coll.table, pairing)
    year = horizon_year(coll.table)
    assert year == 2023
    summary = summary_table(
        levels, diffs, year=year, metrics=["population", "displaced"], order=["population"]
    )
    assert list(summary["metric"].unique()) == ["population", "displaced"]
    assert (summary["year"] == 2023).all() and (summary["level"] == "region").all()
    base = summary[summary.scenario == "baseline"]
    assert base["diff_mean"].isna().all() and (base["n_pairs"] == 0).all()
    tr = summary[(summary.scenario == "transit") & (summary.metric == "population")].iloc[0]
    assert (tr["n_runs"], tr["n_pairs"]) == (4, 2)
    d = diffs[
        (diffs.scenario == "transit")
        & (diffs.year == 2023)
        & (diffs.level == "region")
        & (diffs.metric == "population")
    ]["mean"].iloc[0]
    assert tr["diff_mean"] == d


def test_horizon_is_last_common_year(tmp_path: Path, caplog) -> None:
    write_sweep(tmp_path / "a", scenarios={"baseline": [0]}, years=range(2019, 2025))
    write_sweep(tmp_path / "b", scenarios={"transit": [0]}, years=range(2019, 2022))
    coll = collect([tmp_path])
    with caplog.at_level(logging.WARNING):
        assert horizon_year(coll.table) == 2021
    assert "runs end in different years" in caplog.text
    assert isinstance(coll.table, pd.DataFrame)
