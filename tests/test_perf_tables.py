"""Per-household values read from small tables equal the straightforward computations.

Death and birth probabilities by age (a table over the ages present), commute minutes
and housing burden (tables padded with a zero row and column for the unhoused and the
jobless) against the formulas evaluated per household.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from core_helpers import context, dwellings, households, zones
from fh_sim.calibrate.constants import ChoiceSets
from fh_sim.rules import REGISTRY
from fh_sim.rules import utility as u
from fh_sim.rules.choice import sample_pairs
from fh_sim.rules.demography import BirthsParams, DeathsParams, by_age, death_probability
from fh_sim.rules.migration import housing_burden
from fh_sim.rules.relocation import commute_minutes
from fh_sim.sim.rowops import row_max, row_sum
from fh_sim.sim.state import life_stage


def test_probabilities_by_age_equal_the_formula_bit_for_bit():
    rng = np.random.default_rng(0)
    d, b = DeathsParams(), BirthsParams()

    def birth(age):
        return b.peak * np.exp(-0.5 * ((age - b.peak_age) / b.width) ** 2)

    for n in (1, 7, 1000, 50_001):
        age = rng.integers(15, 110, n).astype(np.int16)
        np.testing.assert_array_equal(
            by_age(lambda a: death_probability(a, d), age), death_probability(age, d)
        )
        np.testing.assert_array_equal(by_age(birth, age), birth(age.astype(float)))
    assert by_age(birth, np.zeros(0, dtype=np.int16)).shape == (0,)


def test_commute_minutes_and_burden_equal_the_masked_computation():
    rng = np.random.default_rng(1)
    n, n_zones = 500, 2
    zone = rng.integers(-1, n_zones, n)
    dtype = np.where(zone >= 0, rng.integers(-1, 3, n), -1)
    work = rng.integers(-1, n_zones + 1, n)
    hh = households(
        zone=zone,
        dwelling_type=dtype,
        workplace=work,
        income_annual=rng.uniform(0.0, 6e5, n),
        affordable_tenant=rng.random(n) < 0.2,
    )
    price = rng.uniform(0.5, 2.0, (n_zones, 3))
    ctx = context(hh, dwellings=dwellings([[50, 50, 50]] * n_zones, price=price))
    minutes = ctx.commute_minutes
    works = (work >= 0) & (zone >= 0)
    want_min = np.where(works, minutes[np.maximum(zone, 0), np.maximum(work, 0)], 0.0)
    np.testing.assert_array_equal(commute_minutes(ctx, hh), want_min)
    h = ctx.assumptions.housing
    housed = (zone >= 0) & (dtype >= 0)
    z, t = np.maximum(zone, 0), np.maximum(dtype, 0)
    cost = price[z, t] * np.asarray(h.annual_cost_sek, dtype=float)[t]
    want = np.where(housed, cost / np.maximum(hh.income_annual, 1.0), 0.0)
    want = np.where(hh.affordable_tenant, want * h.affordable_rent_factor, want)
    np.testing.assert_array_equal(housing_burden(ctx, hh), want)
    assert (want_min > 0).any() and (want_min == 0).any() and (want > 0).any()


def test_zone_terms_by_segment_and_alternative_equal_the_per_pair_products():

    rng = np.random.default_rng(2)
    n_zones, n = 5, 300
    z = zones(
        n_zones,
        crime_index=rng.uniform(0.5, 1.5, n_zones),
        reputation=rng.uniform(0.0, 1.0, n_zones),
        amenities=rng.uniform(0.0, 1.0, (n_zones, 3)),
        accessibility=rng.uniform(10.0, 500.0, n_zones),
    )
    resident = households(zone=rng.integers(0, n_zones, 400), income_group=rng.integers(0, 3, 400))
    seekers = households(
        age_head=rng.integers(20, 90, n),
        size=rng.integers(1, 6, n),
        income_group=rng.integers(0, 3, n),
    )
    stock = rng.integers(0, 30, (n_zones, 3))
    ctx = context(resident, zones=z, dwellings=dwellings(stock), seekers=seekers)
    sampled = sample_pairs(seekers, stock, 6, rng)
    assert sampled.cell is not None
    plain = replace(sampled, cell=None)  # the index computed on the fly
    zone, group = sampled.zone, sampled.income_group
    counts = np.bincount(resident.zone * 3 + resident.income_group, minlength=n_zones * 3)
    counts = counts.reshape(n_zones, 3)
    share = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    acc = np.log(z.accessibility / z.accessibility.mean())
    want = {
        u.safety: 1.0 - z.crime_index[zone],
        u.reputation: z.reputation[zone],
        u.amenities: (z.amenities @ np.asarray([0.8, 0.4, 0.8]))[zone],
        u.accessibility: acc[zone],
        u.social_composition: share[zone, group] - (counts.sum(axis=0) / counts.sum())[group],
    }
    one = dict(coef=1.3, life_stage_factor=(1.0, 2.0, 3.0, 4.0))
    for term, value in want.items():
        params = REGISTRY.get("utility", term.__name__).params(**one)
        for pairs in (sampled, plain):
            got = term(ctx, pairs, params)
            want_term = u.segment_coef(sampled, params) * value
            np.testing.assert_array_equal(got, want_term, err_msg=term.__name__)


def test_row_max_and_row_sum_equal_numpy_bit_for_bit():
    rng = np.random.default_rng(3)
    for k in [*range(1, 34), 64, 128, 129]:
        scale = 10.0 ** rng.uniform(-8, 8, (2000, k))
        a = rng.normal(0.0, 1.0, (2000, k)) * scale
        np.testing.assert_array_equal(row_max(a), a.max(axis=1), err_msg=f"max, k={k}")
        np.testing.assert_array_equal(row_sum(a), a.sum(axis=1), err_msg=f"sum, k={k}")
        b = np.exp(rng.normal(0.0, 3.0, (2000, k)))[:, ::-1]  # not contiguous
        np.testing.assert_array_equal(row_sum(b), b.sum(axis=1), err_msg=f"sum, k={k}")


def test_choice_sets_shares_equal_the_logit_computed_per_call():
    """To rounding: the exponentials are taken per cell, not per candidate."""
    rng = np.random.default_rng(4)
    n, k, n_cells = 3000, 8, 40
    base = rng.normal(0.0, 2.0, (n, k))
    alt = rng.integers(0, n_cells, (n, k))
    size = rng.integers(1, 6, n).astype(float)
    sets = ChoiceSets(base, alt, size)

    def straight(c, persons):
        e = base + c[alt]
        e -= e.max(axis=1, keepdims=True)
        np.exp(e, out=e)
        e /= e.sum(axis=1, keepdims=True)
        if persons:
            e *= (size / size.mean())[:, None]
        return np.bincount(alt.reshape(-1), weights=e.reshape(-1), minlength=n_cells) / n

    c = np.zeros(n_cells)
    for step in range(4):
        first = sets.shares(c, n_cells)
        for persons in (False, True, False):  # kept probabilities reused, then recomputed
            got = sets.shares(c, n_cells, persons=persons)
            np.testing.assert_allclose(got, straight(c, persons), rtol=1e-12, atol=1e-15)
        np.testing.assert_array_equal(sets.shares(c, n_cells), first)
        c = c + rng.normal(0.0, 0.5, n_cells)  # a new array: the kept ones must not be used
        c[step] += 1e-6
    extreme = np.full(n_cells, -20.0)  # constants at their bounds: no overflow, no 0/0
    extreme[::2] = 20.0
    np.testing.assert_allclose(
        sets.shares(extreme, n_cells), straight(extreme, False), rtol=1e-12, atol=1e-15
    )


def test_life_stage_table_equals_the_rule_per_household():
    rng = np.random.default_rng(5)
    age = rng.integers(16, 105, 20_000).astype(np.int16)
    size = rng.integers(1, 8, 20_000).astype(np.int16)
    want = np.where(age < 30, 0, np.where(age >= 65, 3, np.where(size >= 3, 2, 1)))
    got = life_stage(age, size)
    np.testing.assert_array_equal(got, want)
    assert got.dtype == np.int8
    np.testing.assert_array_equal(life_stage(age.astype(float), size), want)  # not integers
    assert life_stage(age[:0], size[:0]).shape == (0,)
