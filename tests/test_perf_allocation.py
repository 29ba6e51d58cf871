"""The fast allocation rounds place exactly as the straightforward rounds, draw for draw.

``reference_rounds`` is the allocation as first written (every seeker's candidates
sorted by ``np.argsort``, the rows that may still improve re-ranked in every round);
``lottery_rounds`` must give the same placements and unmet demand from the same
generator state, and leave the generator where the reference leaves it.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from core_helpers import context, dwellings, households, zones
from fh_sim.rules.allocation import (
    UNAVAILABLE,
    LotteryParams,
    _lottery,
    lottery_rounds,
    rank_order,
)
from fh_sim.scenarios.levers import no_levers
from fh_sim.sim.state import N_TYPES, Allocation, Pairs


def reference_rounds(ctx, pairs: Pairs, utility, p: LotteryParams) -> Allocation:
    """The lottery rounds in their straightforward form (same draws from ``ctx.rng``)."""
    seekers = ctx.seekers
    n_s = seekers.n
    n_alt = ctx.zones.n * N_TYPES
    choice = np.full(n_s, -1, dtype=np.int64)
    if n_s == 0 or pairs.n == 0:
        return Allocation(choice=choice, rejected=np.zeros((ctx.zones.n, N_TYPES), np.int64))
    k = pairs.n // n_s
    u = ctx.rng.random(pairs.n)
    noisy = (utility + pairs.log_weight + -np.log(-np.log(u))).reshape(n_s, k)
    alts = pairs.alternative.reshape(n_s, k)
    top = np.argmax(noisy, axis=1)
    top_open = noisy[np.arange(n_s), top] > UNAVAILABLE
    capacity = np.maximum((ctx.dwellings.stock - ctx.dwellings.occupied).reshape(-1), 0)
    capacity = capacity.astype(np.int64)
    by_ticket = np.argsort(-ctx.rng.random(n_s))
    priority_zone = np.asarray(ctx.levers.queue_priority, dtype=bool)
    housed = (seekers.dwelling_type >= 0) & (seekers.zone >= 0)
    old_alt = np.where(housed, seekers.zone.astype(np.int64) * N_TYPES + seekers.dwelling_type, -1)
    flat = np.argsort(-noisy, axis=1, kind="stable")[by_ticket]
    flat += (by_ticket * k)[:, None]
    val = noisy.reshape(-1)[flat]
    cand = alts.reshape(-1)[flat]
    origin = old_alt[by_ticket] if p.vacancy_chains else np.full(n_s, -1)
    first_class_row = (seekers.zone >= 0)[by_ticket]
    pos = np.full(n_s, -1, dtype=np.int64)
    held = np.full(n_s, UNAVAILABLE)
    everyone = np.arange(n_s)
    phases = [(np.ones_like(cand, dtype=bool), everyone)]
    if priority_zone.any():  # residents first, in the priority zones only
        phases = [(priority_zone[cand // N_TYPES], everyone[first_class_row])]
        phases.append((np.ones_like(cand, dtype=bool), everyone))
    for only, live in phases:
        live = live[pos[live] != 0]
        for _ in range(p.n_rounds):
            better = (capacity > 0)[cand[live]] & (val[live] > held[live, None]) & only[live]
            best_l = np.argmax(better, axis=1)
            ok = better[np.arange(live.shape[0]), best_l]
            rows, best = live[ok], best_l[ok]
            if rows.shape[0] == 0:
                break
            alt = cand[rows, best]
            first_class = first_class_row[rows] & priority_zone[alt // N_TYPES]
            accept, _ = _lottery(alt, capacity, first_class, n_alt)
            win = rows[accept]
            previous = np.where(pos[win] >= 0, cand[win, np.maximum(pos[win], 0)], origin[win])
            pos[win] = best[accept]
            held[win] = val[win, best[accept]]
            capacity -= np.bincount(alt[accept], minlength=n_alt)
            capacity += np.bincount(previous[previous >= 0], minlength=n_alt)
            live = live[pos[live] != 0]
    picked = flat[np.arange(n_s), np.maximum(pos, 0)]
    choice[by_ticket] = np.where(pos >= 0, picked, -1)
    unmet = (choice != np.arange(n_s) * k + top) & top_open
    rejected = np.bincount(alts[np.arange(n_s), top][unmet], minlength=n_alt)
    return Allocation(choice=choice, rejected=rejected.reshape(-1, N_TYPES))


def market(seed: int, n_s: int, k: int, n_zones: int, *, ties: bool, priority: bool):
    """A random tight market: seekers (some housed), candidates, utilities, capacities."""
    rng = np.random.default_rng(seed)
    housed = rng.random(n_s) < 0.6
    seekers = households(
        size=rng.integers(1, 5, n_s),
        zone=np.where(housed, rng.integers(0, n_zones, n_s), -1),
        dwelling_type=np.where(housed, rng.integers(0, N_TYPES, n_s), -1),
        is_base_resident=rng.random(n_s) < 0.7,
    )
    alt = rng.integers(0, n_zones * N_TYPES, n_s * k)
    zone = alt // N_TYPES
    stage = np.repeat(seekers.life_stage(), k).astype(np.int64)
    group = np.repeat(seekers.income_group, k).astype(np.int64)
    pairs = Pairs(
        seeker=np.repeat(np.arange(n_s), k),
        zone=zone,
        dwelling_type=alt - zone * N_TYPES,
        log_weight=rng.normal(0.0, 1.0, n_s * k),
        life_stage=stage,
        income_group=group,
        alternative=alt,
        segment=stage * 3 + group,
    )
    utility = rng.normal(0.0, 2.0, n_s * k)
    if ties:  # equal noisy values are impossible with Gumbel noise; equal utilities are not
        utility = np.round(utility)
    utility[rng.random(n_s * k) < 0.15] = 10.0 * UNAVAILABLE  # closed candidates
    stock = rng.integers(0, 12, (n_zones, N_TYPES))
    occupied = np.minimum(stock, rng.integers(0, 12, (n_zones, N_TYPES)))
    levers = no_levers(n_zones)
    if priority:
        levers = replace(levers, queue_priority=rng.random(n_zones) < 0.5)
    ctx = context(
        households(size=[1]),
        zones=zones(n_zones),
        dwellings=dwellings(stock, occupied),
        n_zones=n_zones,
        seekers=seekers,
        levers=levers,
        seed=seed,
    )
    return ctx, pairs, utility


@pytest.mark.parametrize(
    "seed, n_s, k, ties, priority, chains",
    [
        (0, 400, 8, False, False, True),
        (1, 400, 8, True, True, True),
        (2, 300, 5, False, True, False),
        (3, 250, 1, False, False, True),
        (4, 120, 20, True, True, True),  # wider than the counting sort: numpy's argsort
        (5, 1, 8, False, False, True),
    ],
)
def test_lottery_rounds_equal_the_reference(seed, n_s, k, ties, priority, chains):
    ctx, pairs, utility = market(seed, n_s, k, n_zones=7, ties=ties, priority=priority)
    p = LotteryParams(vacancy_chains=chains)
    ref = reference_rounds(ctx, pairs, utility, p)
    ref_state = ctx.rng.bit_generator.state
    ctx = ctx.with_(rng=np.random.default_rng(seed))
    got = lottery_rounds(ctx, pairs, utility, p)
    np.testing.assert_array_equal(got.choice, ref.choice)
    np.testing.assert_array_equal(got.rejected, ref.rejected)
    assert ctx.rng.bit_generator.state == ref_state
    assert (ref.choice >= 0).any() and (ref.choice < 0).any() or n_s == 1


def test_rank_order_is_a_stable_descending_argsort():
    rng = np.random.default_rng(9)
    for k in (1, 2, 8, 16, 17):
        values = rng.integers(-3, 3, (500, k)).astype(float)  # many ties
        values[rng.random((500, k)) < 0.1] = -0.0
        np.testing.assert_array_equal(
            rank_order(values), np.argsort(-values, axis=1, kind="stable")
        )


def test_best_open_update_matches_a_fresh_search() -> None:
    """The round-to-round update of the best open column equals a full masked maximum."""
    from fh_sim.rules.open_columns import best_open as _best_open
    from fh_sim.rules.open_columns import best_open_update as _best_open_update

    rng = np.random.default_rng(7)
    for _ in range(30):
        n, k = int(rng.integers(1, 60)), int(rng.integers(1, 40))
        noisy = rng.integers(0, 5, size=(n, k)).astype(np.float32)  # many ties
        noisy[rng.random((n, k)) < 0.3] = -np.inf
        rows = rng.permutation(n)[: int(rng.integers(1, n + 1))]
        open_col = rng.random(k) < 0.7
        col, val = _best_open(noisy, rows, open_col)
        for _ in range(5):
            nxt = open_col.copy()
            nxt[rng.random(k) < 0.2] ^= True
            got = _best_open_update(noisy, rows, nxt, open_col, col, val)
            want = _best_open(noisy, rows, nxt)
            np.testing.assert_array_equal(got[0], want[0])
            np.testing.assert_array_equal(got[1], want[1])
            open_col, (col, val) = nxt, got
