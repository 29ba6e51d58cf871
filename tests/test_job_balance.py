"""Doubly constrained workplace gravity: every node keeps its share of the workers."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fh_sim.population.job_balance import (
    balancing_factors,
    expected_workers,
    gravity_weights,
    workers_by_zone,
)
from fh_sim.population.synthesis import draw_workplaces


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n_zones=st.integers(1, 6), n_ext=st.integers(0, 3))
def test_furness_meets_every_target_and_keeps_the_origins(seed, n_zones, n_ext):
    rng = np.random.default_rng(seed)
    n_nodes = n_zones + n_ext
    weights = rng.uniform(0.01, 5.0, (n_zones, n_nodes))
    origins = rng.uniform(1.0, 100.0, n_zones)
    target = rng.uniform(1.0, 50.0, n_nodes)
    balance = balancing_factors(origins, weights, target)
    got = expected_workers(origins, weights, balance)
    np.testing.assert_allclose(got, target * origins.sum() / target.sum(), rtol=1e-6)
    assert np.isfinite(balance).all()
    np.testing.assert_allclose(got.sum(), origins.sum())  # every worker has a workplace


def test_the_base_year_targets_give_factors_of_one():
    rng = np.random.default_rng(3)
    weights, origins = rng.uniform(0.1, 2.0, (4, 6)), rng.uniform(5, 50, 4)
    target = expected_workers(origins, weights, np.ones(6))
    np.testing.assert_allclose(balancing_factors(origins, weights, target), 1.0, atol=1e-9)


def test_a_fast_link_to_the_city_does_not_empty_the_towns_jobs():
    """A town (100 jobs) 90 minutes from a city (2,000 jobs) gets a 40-minute link.

    Production-constrained (factors of 1), half of the town's workers would go to the
    city and the town's jobs would lose about a third of their workers. Balanced to the
    base year's pattern, the town's jobs keep their workers: the link changes who fills
    them (city residents commuting out), not how many are filled.
    """
    jobs, beta = np.array([100.0, 2000.0]), 0.06
    workers = np.array([100.0, 2000.0])
    before = np.array([[5.0, 90.0], [90.0, 5.0]])
    after = np.array([[5.0, 40.0], [40.0, 5.0]])
    w0, w1 = (gravity_weights(jobs, m, beta, 2) for m in (before, after))
    target = expected_workers(workers, w0, np.ones(2))
    plain = expected_workers(workers, w1, np.ones(2))
    assert plain[0] < 0.8 * target[0]
    balanced = expected_workers(workers, w1, balancing_factors(workers, w1, target))
    np.testing.assert_allclose(balanced, target, rtol=1e-6)
    rng = np.random.default_rng(0)
    origin = np.repeat([0, 1], [20_000, 400_000])
    drawn = draw_workplaces(
        origin=origin,
        employed=np.ones(origin.shape[0], dtype=bool),
        jobs=jobs,
        minutes=after,
        beta=beta,
        rng=rng,
        balance=balancing_factors(workers, w1, target),
    )
    share_town = (drawn == 0).mean()
    assert abs(share_town - target[0] / target.sum()) < 0.003


def test_workers_are_counted_by_home_zone():
    got = workers_by_zone(np.array([0, 1, 1, -1, 2]), np.array([3, -1, 0, 2, 1]), 3)
    np.testing.assert_array_equal(got, [1.0, 1.0, 1.0])
