"""`fh-sim sensitivity method=hdmr`: metamodel indices that keep the model's noise apart.

Known analytical results: for ``y = sum a_i x_i + e`` with independent uniform ``x_i`` on
[0, 1] and noise ``e`` of variance ``s2``, the first-order index of input i is
``a_i**2 / 12 / (sum a_j**2 / 12 + s2)`` and the inputs explain the signal's share of
the variance, ``(sum a_j**2 / 12) / (sum a_j**2 / 12 + s2)``. Noise added to the model
must land in ``unexplained``, not in the indices.
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd
import pytest

from cli_helpers import fh_sim
from fh_sim.analysis import sensitivity as sa
from fh_sim.analysis import sensitivity_hdmr as hdmr
from fh_sim.analysis.sensitivity_report import assumptions_that_matter, write_outputs
from fh_sim.errors import FhSimError

A = np.array([3.0, 2.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
NAMES = [f"x{i}" for i in range(len(A))]
SIGNAL = float(A @ A / 12)


def _indices(noise_share: float, n: int, seed: int) -> pd.DataFrame:
    """HDMR of the linear model with noise making up ``noise_share`` of the variance."""
    unit = hdmr.sample(NAMES, n, seed)
    noise_sd = np.sqrt(SIGNAL * noise_share / (1.0 - noise_share))
    y = unit @ A + np.random.default_rng(seed + 1000).normal(0.0, noise_sd, n)
    return hdmr.analyse(NAMES, unit, y, seed)


@pytest.mark.parametrize("seed", [0, 1])
def test_linear_model_with_noise_recovers_the_first_order_indices(seed):
    res = _indices(0.5, 600, seed).set_index("input")
    true = A**2 / 12 / (2 * SIGNAL)  # half the variance is noise
    for name, expected in zip(NAMES, true, strict=True):
        assert res.loc[name, "S1"] == pytest.approx(expected, abs=0.06), name
    # the noise is not in the indices: it is the unexplained share
    assert res["explained"].iloc[0] == pytest.approx(0.5, abs=0.08)
    assert res["S1"].sum() == pytest.approx(res["explained"].iloc[0], abs=1e-9)
    assert res["unexplained"].iloc[0] == pytest.approx(1 - res["explained"].iloc[0])
    # the fit's raw R² is inflated by the noise its coefficients absorb
    assert res["r2_fit"].iloc[0] > res["explained"].iloc[0]
    # the intervals cover the true values of the inputs with an effect
    assert (abs(res["S1"] - true) <= res["S1_conf"] + 0.01).to_numpy()[:3].all()
    assert (res["ST"] == res["S1"]).all()


def test_pure_noise_is_explained_by_no_input():
    res = _indices(1 - 1e-9, 300, 3).assign(rank=lambda t: t["S1"].rank(ascending=False))
    assert res["explained"].iloc[0] == pytest.approx(0.0, abs=0.1)
    assert (res["S1"].abs() < 0.05).all()
    finding, words = hdmr.verdict(res)
    assert not finding and "not a finding" in words


def test_no_noise_is_fully_explained_and_a_finding():
    res = _indices(1e-9, 300, 4).assign(rank=lambda t: t["S1"].rank(ascending=False))
    assert res["explained"].iloc[0] == pytest.approx(1.0, abs=0.02)
    assert res.set_index("input").loc["x0", "S1"] == pytest.approx(9 / 14, abs=0.03)
    finding, words = hdmr.verdict(res)
    assert finding and "explain 100 %" in words


def test_same_seed_same_indices_and_global_state_untouched():
    np.random.seed(7)  # noqa: NPY002 (the legacy state SALib's HDMR draws from)
    before = np.random.get_state()[1].copy()  # noqa: NPY002
    one, two = _indices(0.5, 300, 5), _indices(0.5, 300, 5)
    pd.testing.assert_frame_equal(one, two)
    assert (np.random.get_state()[1] == before).all()  # noqa: NPY002


def _noisy(cfg):
    """Linear in two crime inputs plus noise fixed by the point; the effect is noise only."""
    crime = float(cfg.rules.zone_dynamics.crime.concentration_coef)  # [0.5, 3.5]
    rate = float(cfg.rules.zone_dynamics.crime.adjust_rate)  # [0.1, 0.5]
    rng = np.random.default_rng(zlib.crc32(repr((crime, rate, cfg.scenario.name)).encode()))
    y = 2.0 * crime + 10.0 * rate + rng.normal(0.0, 1.0)
    return {"y|region|Familjen Helsingborg": y}


def test_study_separates_an_effect_made_of_noise(tmp_path):
    study = sa.Study(
        method="hdmr",
        scenarios=["baseline", "package_transit"],
        outcomes=["y"],
        budget=300,
        inputs=["crime_elasticity", "crime_adjust_rate", "trust_adjust_rate"],
    )
    sa.run_study(study, tmp_path, jobs=1, evaluate=_noisy)
    table = sa.analyse(tmp_path)
    files = write_outputs(tmp_path, table, study)
    assert (tmp_path / "figures" / "hdmr_effect_package_transit_y.png") in files
    level = table[table["target"] == "level"].set_index("input")
    # y = 6 u1 + 4 u2 + e, Var(e) = 1: signal 52/12, explained 4.33 / 5.33
    assert level["explained"].iloc[0] == pytest.approx(52 / 12 / (52 / 12 + 1), abs=0.08)
    assert level.loc["crime_elasticity", "S1"] == pytest.approx(3 / 5.333, abs=0.08)
    assert level.loc["crime_elasticity", "rank"] == 1
    effect = table[table["target"] == "effect"]
    assert effect["explained"].iloc[0] < hdmr.EXPLAINED_MIN  # difference of two noises
    words = (tmp_path / "ranking.md").read_text(encoding="utf-8")
    assert words.count("not a finding") == 1
    assert "1. `crime_elasticity`" in words
    top = assumptions_that_matter(tmp_path, "package_transit", "y", top=1)
    assert top["index_name"].iloc[0] == "ST"
    assert top["explained_share"].iloc[0] == effect["explained"].iloc[0]


def test_budget_below_the_minimum_is_refused(tmp_path):
    with pytest.raises(FhSimError, match="at least 300 points"):
        sa.Study(method="hdmr", budget=64)
    # all 50 declared inputs: 16 points per input
    every = sa.Study(method="hdmr", budget=512, outcomes=["y"])
    with pytest.raises(FhSimError, match="for 50 inputs must be at least 800 points"):
        sa.run_study(every, tmp_path, evaluate=_noisy)
    assert hdmr.min_points(12) == 300 and hdmr.min_points(25) == 400


def test_hdmr_command_analyses_a_study_and_says_what_is_noise(tmp_path):
    # the points are computed by the analytic model (a real run costs 0.4 s and HDMR
    # needs 300 points); the command finds them cached, as when it resumes a study
    out = tmp_path / "study"
    inputs = "crime_elasticity,crime_adjust_rate,trust_adjust_rate"
    study = sa.Study(
        method="hdmr",
        scenarios=["baseline", "package_transit"],
        outcomes=["y"],
        budget=300,
        inputs=inputs.split(","),
        overrides=["scale=0.01"],
    )
    sa.run_study(study, out, jobs=1, evaluate=_noisy)
    done = fh_sim(
        "sensitivity",
        "method=hdmr",
        "scenario=package_transit",
        "budget=300",
        "outcomes=y",
        f"inputs={inputs}",
        "scale=0.01",
        "jobs=1",
        f"out={out}",
        outputs=tmp_path / "outputs",
    )
    assert done.returncode == 0, done.stderr
    table = pd.read_parquet(out / "indices.parquet")
    assert {"S1", "S1_conf", "ST", "ST_conf", "rank", "explained", "unexplained"} <= set(
        table.columns
    )
    assert "The inputs explain 8" in done.stdout  # 81 %: 52/12 of 52/12 + 1
    assert "not a finding" in done.stdout  # the effect: noise only
    assert (out / "figures" / "hdmr_level_baseline_y.png").is_file()


def test_hdmr_budget_is_checked_by_the_command(tmp_path):
    done = fh_sim(
        "sensitivity",
        "method=hdmr",
        "budget=60",
        f"out={tmp_path / 's'}",
        outputs=tmp_path / "outputs",
    )
    assert done.returncode != 0
    assert "at least 300 points" in done.stderr and "Traceback" not in done.stderr
