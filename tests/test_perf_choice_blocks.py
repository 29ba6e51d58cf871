"""The full-set utility summed block by block equals the terms summed over the whole set.

:func:`fh_sim.rules.choice.pair_utility` evaluates the terms of a large full set for
blocks of seekers that share each term's seeker-independent tables (formed once, by the
first block); the sum must equal, bit for bit, each term evaluated once on the whole set
and summed in the terms' order. The search for the best open column reads only the open
columns when few are open; it must equal the masked maximum over the whole row.
"""

from __future__ import annotations

import numpy as np
import pytest

from core_helpers import context, dwellings, households, zones
from fh_sim.rules import REGISTRY
from fh_sim.rules import choice as choice_mod
from fh_sim.rules.choice import full_pairs, pair_utility
from fh_sim.rules.contract import checked
from fh_sim.rules.open_columns import best_open


def _setup(seed: int = 3, n: int = 700, n_zones: int = 7):
    rng = np.random.default_rng(seed)
    z = zones(
        n_zones,
        municipality=rng.integers(0, 3, n_zones).astype(np.int32),
        crime_index=rng.uniform(0.5, 1.5, n_zones),
        reputation=rng.uniform(0.0, 1.0, n_zones),
        amenities=rng.uniform(0.0, 1.0, (n_zones, 3)),
        accessibility=rng.uniform(10.0, 500.0, n_zones),
        alt_constant=rng.normal(0.0, 1.0, (15, n_zones, 3)),
    )
    resident = households(zone=rng.integers(0, n_zones, 500), income_group=rng.integers(0, 3, 500))
    seekers = households(
        age_head=rng.integers(20, 90, n),
        size=rng.integers(1, 8, n),
        income_group=rng.integers(0, 3, n),
        income_annual=rng.uniform(50_000.0, 900_000.0, n),
        workplace=rng.integers(-1, n_zones + 1, n),
        home_municipality=rng.integers(-1, 3, n),
    )
    stock = rng.integers(0, 30, (n_zones, 3))
    stock[0, 1] = 0  # an alternative without stock is not in the set
    price = rng.uniform(0.6, 1.6, (n_zones, 3))
    minutes = rng.uniform(5.0, 90.0, (n_zones + 1, n_zones + 1))
    ctx = context(
        resident,
        zones=z,
        dwellings=dwellings(stock, price=price),
        minutes=minutes,
        seekers=seekers,
    )
    return ctx, full_pairs(seekers, stock)


@pytest.mark.parametrize("rows_per_block", [1, 37, 256])
def test_blocked_full_set_sum_equals_the_terms_over_the_whole_set(monkeypatch, rows_per_block):
    ctx, pairs = _setup()
    rules = [REGISTRY.get("utility", name) for name in REGISTRY.names("utility")]
    terms = [(checked(rule), rule.params()) for rule in rules]
    want = np.array(terms[0][0].func(ctx, pairs, terms[0][1]), dtype=float)
    for rule, p in terms[1:]:
        want += rule.func(ctx, pairs, p)  # each term once over the whole set, in order
    monkeypatch.setattr(choice_mod, "BLOCK_PAIRS", 10)
    monkeypatch.setattr(choice_mod, "BLOCK_ROWS_PAIRS", rows_per_block * pairs.k)
    got = pair_utility(ctx, pairs, terms)
    assert np.isneginf(got).any() and np.isfinite(got).any()  # credit closes some pairs
    np.testing.assert_array_equal(got.view(np.int64), want.view(np.int64))  # same bits


def test_best_open_over_few_open_columns_equals_the_masked_row_maximum():
    rng = np.random.default_rng(11)
    for _ in range(40):
        n, k = int(rng.integers(1, 80)), int(rng.integers(1, 60))
        noisy = rng.integers(0, 4, size=(n, k)).astype(np.float32)  # many ties
        noisy[rng.random((n, k)) < 0.4] = -np.inf
        rows = rng.permutation(n)[: int(rng.integers(1, n + 1))]
        open_col = rng.random(k) < rng.uniform(0.0, 0.6)  # often fewer than half open
        masked = np.where(open_col[None, :], noisy[rows], -np.inf)
        col, val = best_open(noisy, rows, open_col)
        np.testing.assert_array_equal(col, np.argmax(masked, axis=1))
        np.testing.assert_array_equal(val, masked.max(axis=1))
