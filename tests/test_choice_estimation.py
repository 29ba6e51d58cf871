"""The location choice is the stated logit, and its coefficients can be recovered.

Runs record their choices (``record_choices``); a full-set logit fitted to the first
choices must recover the run's own coefficients (joint Wald test, two seeds); the first
choices over full sets follow the analytic logit; affordability is an availability
condition; recording changes no outcome; ``fh-sim estimate`` writes its three files.
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from scipy import stats

from core_helpers import context, dwellings, households
from fh_sim.calibrate.estimation import choice_data, fit_full, true_coefficients
from fh_sim.cli import main as cli_main
from fh_sim.config import SimConfig
from fh_sim.outcomes.choices import CHOICE_COLUMNS
from fh_sim.region import load_region
from fh_sim.rules.allocation import LotteryParams, lottery_rounds
from fh_sim.rules.choice import full_pairs
from fh_sim.runs.rundir import outcomes_bytes
from fh_sim.sim.model import HousingModel


@pytest.fixture(scope="module")
def region():
    return load_region()


def _run(region, seed: int, record: bool = True, scale: float = 0.03, end: int = 2022):
    cfg = SimConfig(seed=seed, scale=scale, end_year=end, record_choices=record)
    model = HousingModel(cfg, region=region)
    return cfg, model, model.run()


@pytest.fixture(scope="module")
def recorded(region):
    return {seed: _run(region, seed) for seed in (0, 1)}


@pytest.mark.parametrize("seed", [0, 1])
def test_full_logit_recovers_the_runs_coefficients_from_first_choices(recorded, seed):
    """Joint Wald test of estimate == true over all ten coefficients, p > 0.05."""
    cfg, model, _ = recorded[seed]
    data = choice_data(model.choices(), "first")
    est = fit_full(data)
    true = true_coefficients(cfg.rules, data.terms)
    assert est.converged and len(data.terms) == 10
    assert data.n_obs > 2000
    chi2, dof, p = est.wald(true)
    assert dof == 10
    assert p > 0.05, est.table(true).to_string()
    # and the test has power: coefficients at 0.8 x true are rejected
    assert est.wald({t: 0.8 * v for t, v in true.items()})[2] < 1e-6


def test_choice_table_long_format(recorded):
    _, model, _ = recorded[0]
    ch = model.choices()
    assert set(CHOICE_COLUMNS) <= set(ch.columns)
    per_seeker = ch.groupby(["year", "seeker"])
    n_alt = int((model.dwellings.stock > 0).sum())
    assert per_seeker.size().between(n_alt - 6, n_alt).all()  # the full set every year
    assert (per_seeker["first"].sum() <= 1).all() and (per_seeker["placed"].sum() <= 1).all()
    assert ch.loc[ch["first"] | ch["placed"], "available"].all()
    # renting is always open; only owned dwellings can be unavailable
    assert ch.loc[ch.dwelling_type == 0, "available"].all()
    assert (~ch.loc[ch.dwelling_type > 0, "available"]).any()
    assert set(ch["kind"].unique()) == {"mover", "new", "in_migrant"}


def test_recording_changes_no_outcome(region):
    _, _, on = _run(region, seed=5, record=True, scale=0.01, end=2021)
    _, _, off = _run(region, seed=5, record=False, scale=0.01, end=2021)
    assert outcomes_bytes(on) == outcomes_bytes(off)


def test_first_choices_follow_the_analytic_full_set_logit():
    """Capacity not binding: first choices match the logit over all available cells."""
    n = 40_000
    hh = households(zone=[-1] * n, dwelling_type=[-1] * n)
    stock = np.array([[300, 100, 0], [50, 0, 200]]) * n
    ctx = context(hh, n_zones=2, seekers=hh, dwellings=dwellings(stock, np.zeros_like(stock)))
    pairs = full_pairs(hh, stock)
    base = np.array([0.3, -0.2, 0.5, 0.0])
    utility = np.tile(base, n)
    utility.reshape(n, 4)[1::2, 1] = -np.inf  # every second seeker cannot have column 1
    res = lottery_rounds(ctx, pairs, utility, LotteryParams())
    col = res.first % pairs.k
    v = base + pairs.log_size
    for closed, rows in ((False, slice(0, None, 2)), (True, slice(1, None, 2))):
        w = np.exp(v) * (np.arange(4) != 1 if closed else 1.0)
        expected = w / w.sum() * col[rows].shape[0]
        observed = np.bincount(col[rows], minlength=4)
        if closed:
            assert observed[1] == 0
        keep = expected > 0
        chi2 = ((observed[keep] - expected[keep]) ** 2 / expected[keep]).sum()
        assert stats.chi2.sf(chi2, keep.sum() - 1) > 1e-3
    np.testing.assert_array_equal(res.choice, res.first)  # room for all: first = placed


def test_estimate_command_writes_estimates_fit_and_rules(recorded, tmp_path, capsys):
    _, model, _ = recorded[0]
    src = tmp_path / "choices.parquet"
    model.choices().to_parquet(src)
    out = tmp_path / "est"
    assert cli_main(["estimate", str(src), "--out", str(out)]) == 0
    assert {"estimates.csv", "fit.json", "rules.yaml"} <= {p.name for p in out.iterdir()}
    rules = yaml.safe_load((out / "rules.yaml").read_text())
    assert rules["defaults"] == ["baseline", "_self_"]
    assert set(rules["utility"]) == set(choice_data(model.choices()).terms)
    assert "rho-square" in capsys.readouterr().out


def test_estimate_command_names_a_missing_file(tmp_path, capsys):
    code = cli_main(["estimate", str(tmp_path / "nope.parquet")])
    err = capsys.readouterr().err
    assert code != 0 and "nope.parquet" in err and "Traceback" not in err


def test_full_set_terms_equal_the_per_pair_terms(region):
    """Every utility term on FullPairs (per seeker x column) equals the per-pair form."""
    from fh_sim.rules.choice import sample_pairs

    model = HousingModel(SimConfig(seed=2, scale=0.02, end_year=2021), region=region)
    model.step()
    seekers = model.households.take(np.arange(0, model.households.n, 3))
    ctx = model._context(2021, seekers=seekers)
    dense = full_pairs(seekers, model.dwellings.stock)
    per_pair = sample_pairs(seekers, model.dwellings.stock, 100_000, model.rng)
    np.testing.assert_array_equal(dense.alternative, per_pair.alternative)
    np.testing.assert_array_equal(dense.log_weight, per_pair.log_weight)
    for rule, p in model.pipeline["utility"]:
        np.testing.assert_array_equal(
            rule.func(ctx, dense, p), rule.func(ctx, per_pair, p), err_msg=rule.name
        )


def test_calibration_shares_on_full_sets_are_the_logit_per_seeker():
    """The full-set shares (two matrix-vector products) equal the logit summed per seeker,
    with unavailable alternatives (-inf) at probability 0."""
    from fh_sim.calibrate.constants import ChoiceSets

    rng = np.random.default_rng(4)
    n, cols = 300, np.array([0, 2, 3, 5, 7])
    base = rng.normal(size=(n, cols.size))
    base[rng.random(base.shape) < 0.2] = -np.inf
    base[:, 0] = rng.normal(size=n)  # one alternative always open
    size = rng.integers(1, 6, n).astype(float)
    c = rng.normal(size=8)
    sets = ChoiceSets(base, cols, size)
    e = np.exp(base + c[cols])
    prob = e / e.sum(axis=1, keepdims=True)
    want = np.zeros(8)
    np.add.at(want, cols, prob.mean(axis=0))
    np.testing.assert_allclose(sets.shares(c, 8), want, rtol=1e-12, atol=1e-15)
    want_p = np.zeros(8)
    np.add.at(want_p, cols, (prob * (size / size.mean())[:, None]).mean(axis=0))
    np.testing.assert_allclose(sets.shares(c, 8, persons=True), want_p, rtol=1e-12)
    np.testing.assert_allclose(sets.probabilities(c), prob, rtol=1e-12)


@pytest.mark.slow
def test_biogeme_on_sampled_alternatives_recovers_the_coefficients(recorded):
    """Biogeme's logit on the chosen + 4 uniformly drawn alternatives (consistent by
    McFadden's sampling result) agrees with the run's coefficients (Wald p > 0.01)."""
    from fh_sim.calibrate.estimation import fit_biogeme

    cfg, model, _ = recorded[1]
    data = choice_data(model.choices(), "first")
    est = fit_biogeme(data, n_alternatives=5, seed=3)
    assert est.converged
    assert est.wald(true_coefficients(cfg.rules, data.terms))[2] > 0.01
