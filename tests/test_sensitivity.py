"""Uncertain inputs, parameter draws and `fh-sim sensitivity`.

The analytic tests run the study's own path (sampling, config values, cache, SALib
analysis) with the model replaced by a known function of the config values, so the
indices have closed forms. One test runs the real command on a tiny model.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cli_helpers import compose_config, fh_sim
from fh_sim.analysis import sensitivity as sa
from fh_sim.analysis.sensitivity_report import (
    assumptions_that_matter,
    effects_explained,
    write_outputs,
)
from fh_sim.config.uncertainty import (
    UncertainInput,
    apply_params_draw,
    check_inputs,
    draw_unit,
    quantile,
)
from fh_sim.config.uncertainty_doc import render
from fh_sim.errors import ConfigError
from fh_sim.runs.runner import to_sim_config

ROOT = Path(__file__).resolve().parent.parent
CRIME = "rules.zone_dynamics.crime.concentration_coef"  # crime_elasticity: [0.5, 3.5]
CRIME_RATE = "rules.zone_dynamics.crime.adjust_rate"  # crime_adjust_rate: [0.1, 0.5]
INPUTS = ["crime_elasticity", "crime_adjust_rate", "trust_adjust_rate"]


def test_default_spec_is_valid_and_documented():
    cfg = compose_config([])
    inputs = check_inputs(cfg)
    assert 30 <= len(inputs) <= 60
    assert all(spec.reason.strip() for spec in inputs.values())
    doc = (ROOT / "docs" / "assumptions.md").read_text(encoding="utf-8")
    assert render(doc) == doc, "run: python -m fh_sim.config.uncertainty_doc"


def test_value_ranges_hold_the_configured_values():
    cfg = compose_config([])
    from omegaconf import OmegaConf

    for name, spec in check_inputs(cfg).items():
        if spec.mode == "value":
            assert spec.low <= OmegaConf.select(cfg, spec.key) <= spec.high, name


@pytest.mark.parametrize(
    ("override", "message"),
    [
        (
            "uncertainty.inputs.crime_elasticity.key=rules.zone_dynamics.crime.nope",
            "config key 'uncertainty.inputs.crime_elasticity.key': unknown config key",
        ),
        ("uncertainty.inputs.crime_elasticity.low=9", "needs low < high"),
        ("uncertainty.inputs.crime_elasticity.dist=normal", "dist must be one of"),
        ("uncertainty.inputs.housing_cost_level.mode=value", "a list needs mode: factor"),
    ],
)
def test_bad_declarations_fail_in_one_line(override, message):
    cfg = compose_config([override, "params_draw=0"])
    with pytest.raises(ConfigError, match=message) as err:
        to_sim_config(cfg)
    assert "\n" not in str(err.value)


def test_params_draw_is_deterministic_paired_and_in_range():
    one = apply_params_draw(compose_config(["params_draw=3"]))
    again = apply_params_draw(
        compose_config(["params_draw=3", "scenario=package_transit", "seed=7"])
    )
    other = apply_params_draw(compose_config(["params_draw=4"]))
    base = compose_config([])
    assert one.rules.utility.commute.coef == again.rules.utility.commute.coef
    assert one.rules.utility.commute.coef != other.rules.utility.commute.coef
    for spec in check_inputs(base).values():
        from omegaconf import OmegaConf

        drawn, conf = OmegaConf.select(one, spec.key), OmegaConf.select(base, spec.key)
        if spec.mode == "value":
            assert spec.low <= drawn <= spec.high
        else:  # one factor multiplies every element of a list
            ratio = np.asarray(drawn, dtype=float) / np.asarray(conf, dtype=float)
            assert np.allclose(ratio, ratio.flat[0])
            assert spec.low - 1e-12 <= ratio.flat[0] <= spec.high + 1e-12
    assert (
        to_sim_config(compose_config(["params_draw=3"])).rules.utility["commute"]["coef"]
        == one.rules.utility.commute.coef
    )


def test_each_input_has_its_own_stream():
    # adding an input leaves the other inputs' draws unchanged
    assert draw_unit(["a", "b"], 5, 16)[1] == draw_unit(["b"], 5, 16)[0]
    u = np.array([draw_unit(["a"], k, 16)[0] for k in range(400)])
    assert 0.4 < u.mean() < 0.6 and u.min() >= 0 and u.max() < 1
    log = UncertainInput(key="x", low=0.5, high=2.0, dist="loguniform")
    assert quantile(log, 0.5) == pytest.approx(1.0)


def _linear(cfg):
    """2 x crime elasticity + 10 x crime adjust rate; the transit package adds 5 x rate."""
    crime, rate = (
        float(cfg.rules.zone_dynamics.crime.concentration_coef),
        float(cfg.rules.zone_dynamics.crime.adjust_rate),
    )
    y = 2.0 * crime + 10.0 * rate
    if cfg.scenario.name == "package_transit":
        y += 5.0 * rate
    return {"y|region|Familjen Helsingborg": y}


def test_morris_recovers_a_linear_function(tmp_path):
    study = sa.Study(
        method="morris",
        scenarios=["baseline", "package_transit"],
        outcomes=["y"],
        budget=4,
        inputs=INPUTS,
    )
    points = sa.run_study(study, tmp_path, jobs=1, evaluate=_linear)
    table = sa.analyse(tmp_path, points).set_index(["target", "input"])
    # elementary effects per unit of the [0, 1] cube: slope x width of the range
    assert table.loc[("level", "crime_elasticity"), "mu_star"] == pytest.approx(2.0 * 3.0)
    assert table.loc[("level", "crime_adjust_rate"), "mu_star"] == pytest.approx(10.0 * 0.4)
    assert table.loc[("level", "trust_adjust_rate"), "mu_star"] == pytest.approx(0.0)
    assert table.loc[("level", "trust_adjust_rate"), "rank"] == 3
    assert table.loc[("effect", "crime_adjust_rate"), "mu_star"] == pytest.approx(5.0 * 0.4)
    assert table.loc[("effect", "crime_elasticity"), "mu_star"] == pytest.approx(0.0)
    assert table.loc[("level", "crime_elasticity"), "sigma"] == pytest.approx(0.0, abs=1e-9)
    files = write_outputs(tmp_path, sa.analyse(tmp_path), study)
    assert {f.name for f in files} >= {"indices.parquet", "indices.csv", "ranking.md"}
    assert "1. `crime_elasticity`" in (tmp_path / "ranking.md").read_text(encoding="utf-8")
    # resumable: a second run finds every point cached and calls nothing
    sa.run_study(study, tmp_path, jobs=1, evaluate=lambda cfg: pytest.fail("re-ran a point"))


def test_sobol_recovers_variance_shares(tmp_path):
    study = sa.Study(
        method="sobol",
        scenarios=["baseline", "package_transit"],
        outcomes=["y"],
        budget=32,
        inputs=INPUTS,
    )
    sa.run_study(study, tmp_path, jobs=1, evaluate=_linear)
    table = sa.analyse(tmp_path)
    write_outputs(tmp_path, table, study)
    lv = table[table["target"] == "level"].set_index("input")
    # y = 6 u1 + 4 u2 on the unit cube: S1 = ST = 36/52 and 16/52, 0 for the third
    assert lv.loc["crime_elasticity", "ST"] == pytest.approx(36 / 52, abs=0.08)
    assert lv.loc["crime_adjust_rate", "ST"] == pytest.approx(16 / 52, abs=0.08)
    assert lv.loc["trust_adjust_rate", "ST"] == pytest.approx(0.0, abs=1e-9)
    assert (lv["ST_conf"] >= 0).all()
    top = assumptions_that_matter(tmp_path, "package_transit", "y", top=2)
    assert top["input"].iloc[0] == "crime_adjust_rate"
    row = top.iloc[0]
    # effect = 5 x rate; rate in the low third [0.1, 0.233], high third [0.367, 0.5]
    assert row["effect_low"] == pytest.approx(5 * (0.1 + 0.4 / 6), abs=0.1)
    assert row["effect_high"] == pytest.approx(5 * (0.5 - 0.4 / 6), abs=0.1)
    every = effects_explained(tmp_path, ["package_transit"], top=1)
    assert every[["scenario", "metric", "input"]].values.tolist() == [
        ["package_transit", "y", "crime_adjust_rate"]
    ]


def test_sensitivity_command_runs_the_model(tmp_path):
    out = tmp_path / "study"
    args = [
        "sensitivity",
        "method=morris",
        "budget=2",
        "scale=0.01",
        "end_year=2021",
        "jobs=1",
        "inputs=in_migration_rate,income_uplift_effectiveness,planned_factor",
        "outcomes=population_growth,vacancy_rate",
        f"out={out}",
    ]
    done = fh_sim(*args, outputs=tmp_path / "outputs", timeout=120)
    assert done.returncode == 0, done.stderr
    table = pd.read_parquet(out / "indices.parquet")
    growth = table[(table["metric"] == "population_growth") & (table["level"] == "region")]
    growth = growth.set_index("input")
    # no income programme in the baseline: its effectiveness cannot matter
    assert growth.loc["income_uplift_effectiveness", "mu_star"] == 0.0
    assert growth.loc["in_migration_rate", "mu_star"] > 0
    assert (
        growth.loc["income_uplift_effectiveness", "rank"] > growth.loc["in_migration_rate", "rank"]
    )
    assert set(table["level"]) == {"region", "municipality"}
    assert (out / "figures" / "morris_level_baseline_population_growth.png").is_file()
    assert "Which assumptions drive the answers" in done.stdout


def test_sensitivity_command_names_a_bad_input(tmp_path):
    done = fh_sim(
        "sensitivity",
        "inputs=nope,crime_elasticity",
        "budget=2",
        f"out={tmp_path / 's'}",
        outputs=tmp_path / "outputs",
    )
    assert done.returncode == 2
    assert "unknown uncertain input(s) nope" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_replicates_are_averaged_per_point(tmp_path):
    study = sa.Study(method="morris", outcomes=["y"], budget=2, inputs=INPUTS[:2], replicates=3)
    points = sa.run_study(
        study, tmp_path, jobs=1, evaluate=lambda cfg: {"y|region|R": float(cfg.replicate)}
    )
    assert (points["y|region|R"] == 1.0).all()  # mean of replicates 0, 1, 2
