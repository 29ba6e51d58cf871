"""Parameter draws in comparisons: variance split between parameters and seeds, robustness."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compare_synthetic import write_run
from fh_sim.analysis.aggregate import pair_seeds
from fh_sim.analysis.collect import collect
from fh_sim.analysis.uncertainty import decompose, effect_intervals, robustness
from fh_sim.cli import compare_cmd
from fh_sim.errors import FhSimError

REGION = ("region", "Familjen Helsingborg")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=30), st.integers(1, 5))
def test_the_two_parts_add_up_to_the_total(values, n_draws):
    draws = np.arange(len(values)) % n_draws
    parts = decompose(np.array(values), draws)
    assert parts["var_params"] + parts["var_seeds"] == pytest.approx(
        parts["var_total"], rel=1e-9, abs=1e-6
    )
    assert parts["q05"] <= parts["q95"]


def test_a_balanced_design_recovers_both_parts():
    a = np.array([-3.0, -1.0, 1.0, 3.0])  # parameter part: variance 5
    e = np.array([-2.0, 2.0])  # seed part: variance 4
    values = (a[:, None] + e[None, :]).ravel()
    parts = decompose(values, np.repeat(np.arange(4), 2))
    assert parts["var_params"] == pytest.approx(5.0)
    assert parts["var_seeds"] == pytest.approx(4.0)
    assert parts["share_params"] == pytest.approx(5 / 9)
    assert (parts["params_q05"], parts["params_q95"]) == pytest.approx((-2.7, 2.7))


def _table(effects: dict[str, callable], n_draws: int = 10, n_seeds: int = 3) -> pd.DataFrame:
    rows = []
    for scen, effect in effects.items():
        for k in range(n_draws):
            for s in range(n_seeds):
                rows.append(
                    {
                        "year": 2050,
                        "level": REGION[0],
                        "unit": REGION[1],
                        "metric": "population",
                        "value": 1000.0 + effect(k, s),
                        "scenario": scen,
                        "seed": 0,
                        "replicate": s,
                        "params_draw": k,
                        "run_dir": f"{scen}/{k}/{s}",
                    }
                )
    return pd.DataFrame(rows)


def test_effects_from_parameters_only_and_seeds_only():
    table = _table(
        {
            "baseline": lambda k, s: 10.0 * s,
            "by_params": lambda k, s: 10.0 * s + 2.0 * k,
            "by_seeds": lambda k, s: 10.0 * s + 5.0 * s,
        }
    )
    runs = table[["scenario", "seed", "replicate", "params_draw", "run_dir"]].drop_duplicates()
    pairing = pair_seeds(runs, baseline="baseline")
    eff = effect_intervals(table, pairing, year=2050).set_index("scenario")
    assert eff.loc["by_params", "share_params"] == pytest.approx(1.0)
    assert eff.loc["by_params", "mean"] == pytest.approx(9.0)
    assert eff.loc["by_seeds", "share_seeds"] == pytest.approx(1.0)
    assert (eff["n_draws"] == 10).all() and (eff["n_seeds"] == 3).all()


def test_robustness_counts_the_draws_a_scenario_wins():
    table = _table(
        {
            "baseline": lambda k, s: 0.0,
            "always": lambda k, s: 1.0,
            "half": lambda k, s: 1.0 if k % 2 else -1.0,
        }
    )
    rob = robustness(table, year=2050, metrics=["population"]).set_index(["scenario", "versus"])
    assert rob.loc[("always", "baseline"), "share_better"] == 1.0
    assert rob.loc[("half", "baseline"), "share_better"] == 0.5
    assert rob.loc[("baseline", "always"), "share_better"] == 0.0
    assert rob.loc[("always", "half"), "share_better"] == 0.5  # ties are not wins
    lower = robustness(
        table, year=2050, metrics=["population"], higher_is_better={"population": False}
    )
    assert (
        lower.set_index(["scenario", "versus"]).loc[("baseline", "always"), "share_better"] == 1.0
    )
    with pytest.raises(FhSimError, match="more or less"):
        robustness(table, year=2050, metrics=["mystery"])


def test_compare_writes_the_uncertainty_tables(tmp_path):
    job = 0
    for scen in ("baseline", "transit"):
        for k in range(4):
            for rep in range(2):
                write_run(
                    tmp_path / "sweep" / str(job),
                    scenario=scen,
                    seed=7,
                    replicate=rep,
                    extra_config={"params_draw": k},
                )
                job += 1
    coll = collect([tmp_path / "sweep"])
    assert sorted(coll.runs["scenario"].unique()) == ["baseline", "transit"]  # no variants
    out = tmp_path / "cmp"
    assert (
        compare_cmd.main(
            [
                str(tmp_path / "sweep"),
                "--out",
                str(out),
                "--no-map",
                "--robust",
                "population",
                "rent_burden:lower",
            ]
        )
        == 0
    )
    eff = pd.read_csv(out / "effects_uncertainty.csv")
    region = eff[(eff["level"] == "region") & (eff["metric"] == "population")].iloc[0]
    # the synthetic outcomes depend on the seed only: no variance from the parameters
    assert region["share_params"] == pytest.approx(0.0, abs=1e-9)
    assert region["n_draws"] == 4 and region["n_seeds"] == 2
    rob = pd.read_csv(out / "robustness.csv")
    assert set(rob["metric"]) <= {"population", "rent_burden"}
    assert (out / "robustness.png").is_file()


def test_one_seed_per_draw_cannot_be_split():
    parts = decompose(np.array([1.0, 2.0, 4.0]), np.array([0, 1, 2]))
    assert np.isnan(parts["share_params"]) and np.isnan(parts["share_seeds"])
    assert parts["var_params"] == pytest.approx(parts["var_total"])
