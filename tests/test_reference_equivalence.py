"""The per-agent Mesa reference and the vectorised rules: exact terms, same distributions."""

from __future__ import annotations

import numpy as np
import pytest

from fh_sim.config import RulesConfig, SimConfig
from fh_sim.errors import ConfigError
from fh_sim.reference import HouseholdAgent, ReferenceModel
from fh_sim.reference.terms import HAZARDS, TERMS
from fh_sim.region.synthetic import toy_region
from fh_sim.rules.choice import sample_pairs
from fh_sim.sim.model import HousingModel
from fh_sim.sim.state import StepContext


def _cfg(seed: int, **kw) -> SimConfig:
    rules = RulesConfig()
    rules.demography = {"ageing": {}}
    rules.migration = {}
    return SimConfig(seed=seed, end_year=2022, rules=rules, **kw)


def _ctx(ref: ReferenceModel) -> StepContext:
    return ref._context()


@pytest.fixture(scope="module")
def ref() -> ReferenceModel:
    region = toy_region(4, population_per_zone=300)
    model = ReferenceModel(_cfg(5), region=region)
    model.step()  # prices, crime and reputation move away from their base values
    return model


def test_one_mesa_agent_per_household_from_the_same_initial_state():
    region = toy_region(3, population_per_zone=200)
    vec = HousingModel(_cfg(2), region=region)
    ref = ReferenceModel(_cfg(2), region=region)
    assert len(ref.agents) == vec.households.n
    assert all(isinstance(a, HouseholdAgent) for a in ref.agents)
    cols = ref.households()
    for name in ("zone", "dwelling_type", "size", "age_head", "income_annual", "workplace"):
        np.testing.assert_array_equal(getattr(cols, name), getattr(vec.households, name))


def test_per_agent_hazards_equal_the_vectorised_triggers(ref: ReferenceModel):
    ctx = _ctx(ref)
    agents = list(ref.agents)
    for rule, p in ref.core.pipeline["relocation"]:
        vec = rule.func(ctx, p)
        per_agent = [HAZARDS[rule.name](a, p) for a in agents]
        np.testing.assert_allclose(per_agent, vec, rtol=1e-12, err_msg=rule.name)


def test_per_agent_utility_terms_equal_the_vectorised_terms(ref: ReferenceModel):
    agents = list(ref.agents)[::7]
    ref._income_shares()
    ref._choice_sets()
    seekers = ref.households().take(np.arange(len(ref.agents))[::7])
    ctx = _ctx(ref).with_(seekers=seekers)
    pairs = sample_pairs(seekers, ref.dwellings.stock, 12, np.random.default_rng(0))
    assert len(ref.core.pipeline["utility"]) == len(TERMS)
    for rule, p in ref.core.pipeline["utility"]:
        vec = rule.func(ctx, pairs, p)
        per_agent = [
            TERMS[rule.name](agents[s], z, t, p)
            for s, z, t in zip(pairs.seeker, pairs.zone, pairs.dwelling_type, strict=True)
        ]
        np.testing.assert_allclose(per_agent, vec, rtol=1e-9, atol=1e-12, err_msg=rule.name)


def _summary(hh, dwellings, minutes) -> np.ndarray:
    """Aggregate shares: movers by destination zone and type, move rate, tenure by life
    stage, mean commute of workers, mean price index."""
    moved = hh.years_at_address == 0
    stage = hh.life_stage()
    works = hh.workplace >= 0
    return np.r_[
        np.bincount(hh.zone[moved], minlength=4) / moved.sum(),
        np.bincount(hh.dwelling_type[moved], minlength=3) / moved.sum(),
        moved.mean(),
        np.mean(hh.dwelling_type[stage == 2] == 2),
        np.mean(hh.dwelling_type[stage == 0] == 0),
        minutes[hh.zone[works], hh.workplace[works]].mean(),
        dwellings.price_index.mean(),
    ]


def test_vectorised_and_per_agent_agree_in_distribution_over_seeds():
    region = toy_region(4, population_per_zone=1000)
    vec, per_agent = [], []
    for seed in range(8):
        v = HousingModel(_cfg(seed), region=region)
        r = ReferenceModel(_cfg(seed), region=region)
        for _ in range(2):
            v.step()
            r.step()
        vec.append(_summary(v.households, v.dwellings, v.minutes))
        per_agent.append(_summary(r.households(), r.dwellings, r.minutes))
    vec, per_agent = np.array(vec), np.array(per_agent)
    se = np.sqrt(vec.var(axis=0, ddof=1) / 8 + per_agent.var(axis=0, ddof=1) / 8)
    z = (vec.mean(axis=0) - per_agent.mean(axis=0)) / np.maximum(se, 1e-12)
    assert np.all(np.abs(z) < 4.0), z.round(2)
    # and the moves are not trivial: about a tenth of households move each year
    assert 0.05 < per_agent[:, 7].mean() < 0.25


def test_rules_without_a_per_agent_version_are_refused():
    cfg = _cfg(1)
    cfg.rules.migration = {"out_migration": {}}
    with pytest.raises(ConfigError, match="rules.migration.out_migration.*supported"):
        ReferenceModel(cfg, region=toy_region(2, population_per_zone=100))


@pytest.mark.parametrize("n_sampled", [8, 0])
def test_choice_sets_agree_on_the_real_region(n_sampled):
    """138 (zone, type) cells: both choose from full sets (0), or both draw stratified
    samples (home municipality first)."""
    from fh_sim.region import load_region

    region = load_region(SimConfig().region.data_dir)
    n_mun = len(region.municipalities)

    def shares(hh, mun):
        moved = hh.years_at_address == 0
        dest = np.bincount(mun[hh.zone[moved]], minlength=n_mun) / moved.sum()
        same = np.mean(hh.home_municipality[moved] == mun[hh.zone[moved]])
        return np.r_[dest, moved.mean(), same]

    vec, per_agent = [], []
    for seed in range(6):
        cfg = _cfg(seed, scale=0.008)
        cfg.rules.choice.n_sampled = n_sampled
        v = HousingModel(cfg, region=region)
        r = ReferenceModel(cfg, region=region)
        v.step()
        r.step()
        vec.append(shares(v.households, v.zones.municipality))
        per_agent.append(shares(r.households(), r.zones.municipality))
    vec, per_agent = np.array(vec), np.array(per_agent)
    se = np.sqrt(vec.var(axis=0, ddof=1) / 6 + per_agent.var(axis=0, ddof=1) / 6)
    z = (vec.mean(axis=0) - per_agent.mean(axis=0)) / np.maximum(se, 1e-12)
    assert np.all(np.abs(z) < 4.0), z.round(2)
