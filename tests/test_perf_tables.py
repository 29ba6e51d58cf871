"""Per-household values read from small tables equal the straightforward computations.

Death and birth probabilities by age (a table over the ages present), commute minutes
and housing burden (tables padded with a zero row and column for the unhoused and the
jobless) against the formulas evaluated per household.
"""

from __future__ import annotations

import numpy as np

from core_helpers import context, dwellings, households
from fh_sim.rules.demography import BirthsParams, DeathsParams, by_age, death_probability
from fh_sim.rules.migration import housing_burden
from fh_sim.rules.relocation import commute_minutes


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
