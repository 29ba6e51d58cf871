"""Effects in planner units: per-seed transforms, firm only from five seeds, lever timing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fh_sim.analysis.aggregate import Pairing
from fh_sim.analysis.effects import MIN_SEEDS_FIRM, effect_table, real_counts
from fh_sim.analysis.i18n import interval_digits, number
from fh_sim.analysis.timing import lever_timings, timing_warnings


def _table(values: dict[tuple[str, int], dict[str, float]]) -> pd.DataFrame:
    rows = [
        (f"{scen}/{seed}", scen, seed, 0, 2030, "municipality", "Höganäs", m, v)
        for (scen, seed), metrics in values.items()
        for m, v in metrics.items()
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "run_dir",
            "scenario",
            "seed",
            "replicate",
            "year",
            "level",
            "unit",
            "metric",
            "value",
        ],
    )


def _pairing(n: int) -> Pairing:
    return Pairing("baseline", {"rail": [(s, 0) for s in range(n)]}, {"rail": 0})


def test_changes_are_computed_per_seed_in_planner_units() -> None:
    base = {
        "population": 1000.0,
        "price_index": 1.0,
        "rent_burden": 0.20,
        "commute_cost": 30.0,
        "dissimilarity_income": 0.30,
    }
    values = {}
    for seed in range(5):
        values[("baseline", seed)] = {m: v * (1 + 0.1 * seed) for m, v in base.items()}
        values[("rail", seed)] = {m: v * (1 + 0.1 * seed) * 1.05 for m, v in base.items()}
    eff = effect_table(_table(values), _pairing(5), year=2030).set_index("metric")
    # percent change per seed is exactly +5 % whatever the seed's level
    assert eff.loc["price_index", "mean"] == pytest.approx(5.0)
    assert eff.loc["price_index", "q05"] == pytest.approx(5.0)
    # shares in percentage points, indices in points, minutes and counts as differences
    b = np.array([1 + 0.1 * s for s in range(5)])
    assert eff.loc["rent_burden", "mean"] == pytest.approx(100 * 0.20 * 0.05 * b.mean())
    assert eff.loc["dissimilarity_income", "mean"] == pytest.approx(100 * 0.30 * 0.05 * b.mean())
    assert eff.loc["commute_cost", "mean"] == pytest.approx(30 * 0.05 * b.mean())
    assert eff.loc["population", "mean"] == pytest.approx(1000 * 0.05 * b.mean())
    assert eff.loc["population", "base"] == pytest.approx(1000 * b.mean())
    assert eff["firm"].all() and (eff["n"] == 5).all()


def test_no_firm_effect_below_five_seeds() -> None:
    values = {}
    for seed in range(MIN_SEEDS_FIRM - 1):
        values[("baseline", seed)] = {"population": 100.0 + seed}
        values[("rail", seed)] = {"population": 200.0 + seed}
    eff = effect_table(_table(values), _pairing(MIN_SEEDS_FIRM - 1), year=2030)
    assert eff["mean"].iloc[0] == pytest.approx(100.0)
    assert not eff["firm"].any()


def test_real_counts_divide_counts_only() -> None:
    table = _table(
        {("rail", 0): {"population": 50.0, "rent_burden": 0.3, "waiting_households": 5.0}}
    )
    out = real_counts(table, {"rail/0": 0.1}).set_index("metric")["value"]
    assert out["population"] == pytest.approx(500.0)
    assert out["waiting_households"] == pytest.approx(50.0)
    assert out["rent_burden"] == pytest.approx(0.3)


def test_lever_timing() -> None:
    cfg = {
        "region": {"base_year": 2019},
        "scenario": {
            "link_edits": {"a": {"start_year": 2035}, "b": {"start_year": 2035}},
            "safety_programme": {"start_year": 2020},
        },
    }
    timings = {t.what: t for t in lever_timings(cfg, horizon=2035)}
    assert timings["link_edits"].count == 2
    assert timings["link_edits"].years_in_force == 1
    assert timings["link_edits"].years_total == 16
    assert timings["safety_programme"].years_in_force == 16
    assert timing_warnings(cfg, horizon=2035) == [
        "2 network changes from 2035: in force 1 of 16 years"
    ]
    assert timing_warnings(cfg, horizon=2030, lang="sv") == [
        "2 nätändringar börjar 2035, efter horisonten 2030: verkar inte alls"
    ]
    assert timing_warnings(cfg, horizon=2050) == []


@given(st.floats(-1e6, 1e6), st.floats(0, 1e5), st.floats(0, 1e5))
def test_rounded_interval_keeps_its_order(mean, below, above) -> None:
    lo, hi = mean - below, mean + above
    d = interval_digits(mean, lo, hi)
    shown = [
        float(number(v, "en", digits=d).replace(",", "").replace("\u2212", "-"))
        for v in (lo, mean, hi)
    ]
    assert shown[0] <= shown[1] <= shown[2]


def test_number_formats() -> None:
    assert number(12345.0, "sv", signed=True) == "+12\u202f000"
    assert number(-0.0945, "en") == "\u22120.095"
    assert number(2.47, "sv") == "2,5"
