"""Allocation of dwellings under capacity: lottery rounds over the available alternatives.

Each seeker ranks its candidate alternatives once (utility + size/sampling term + Gumbel
noise): its first-ranked available alternative is its logit choice (over the full set,
the multinomial logit of docs/assumptions.md), recorded as ``Allocation.first``;
capacity and the lottery apply after it. In every round each seeker applies to its best
candidate that has a vacant dwelling at that moment and that it ranks above what it
already holds (nothing, for an unplaced seeker); where an alternative has more
applicants than vacancies, a lottery (with queue priority for current residents where
policy sets it) decides. Placements are tentative within the year: a seeker who wins a
better alternative gives back the one it held, and a resident mover's own dwelling is
freed when it is first placed (vacancy chains). Freed dwellings are offered again in the
next round to every seeker who ranks them higher than what it holds, so a zone that
becomes more attractive keeps its dwellings occupied: whoever leaves it frees a dwelling
that the next seeker who prefers it takes. Holdings only improve, so the rounds
converge.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fh_sim.rules.open_columns import best_open, best_open_update
from fh_sim.rules.registry import REGISTRY
from fh_sim.sim.full_pairs import FullPairs
from fh_sim.sim.state import N_TYPES, Allocation, Households, Pairs, StepContext
from fh_sim.types import FloatArray, IntArray

UNAVAILABLE: float = -1.0e3
"""Utility at or below which a candidate is not open to its seeker: it is never applied
to and never counted as unmet demand (a term excludes a pair by returning less, e.g.
``credit_constraint``)."""


@dataclass(frozen=True)
class LotteryParams:
    """Lottery rounds.

    Attributes:
        n_rounds: most rounds; in each round every seeker applies to its best ranked
            candidate that has a vacant dwelling and that it prefers to what it holds
            (the rounds stop early once nobody can apply).
        vacancy_chains: free the old dwelling of a placed resident mover for the
            following rounds.
    """

    n_rounds: int = 12
    vacancy_chains: bool = True

    def __post_init__(self) -> None:
        if self.n_rounds < 1:
            raise ValueError("n_rounds must be >= 1")


def _seekers(ctx: StepContext) -> Households:
    """The seekers of the choice stage (the allocation runs only there)."""
    if ctx.seekers is None:
        raise ValueError("the allocation needs the year's seekers; ctx.seekers is None")
    return ctx.seekers


def _lottery(
    alt: IntArray,
    capacity: IntArray,
    first_class: np.ndarray,
    n_alt: int,
) -> tuple[np.ndarray, IntArray]:
    """Admit applicants per alternative up to its capacity.

    Applicants (their alternatives ``alt``) come in lottery order; within an alternative
    priority applicants go first, then lottery order (stable sort).

    Returns:
        (accepted mask over the applicants, applications per alternative).
    """
    key = alt * 2 + ~first_class
    order = np.argsort(key.astype(np.int32 if n_alt * 2 > 32000 else np.int16), kind="stable")
    alt_sorted = alt[order]
    counts = np.bincount(alt_sorted, minlength=n_alt)
    start = np.cumsum(counts) - counts
    accept_sorted = (np.arange(order.shape[0]) - start[alt_sorted]) < capacity[alt_sorted]
    accept = np.empty_like(accept_sorted)
    accept[order] = accept_sorted
    return accept, counts


def rank_order(values: FloatArray) -> IntArray:
    """Each row's columns best first: ``np.argsort(-values, axis=1, kind="stable")``.

    For the few columns of a choice set (ties keep column order): a column's rank is
    the number of columns before it in that order, counted by one comparison per pair
    of columns over long contiguous arrays, then each column is scattered to its rank:
    about three times as fast as numpy's per-row sort at 8 columns.

    Args:
        values: float[n, k].

    Returns:
        int64[n, k] column indices, best first.
    """
    n, k = values.shape
    if k > 16:
        return np.argsort(-values, axis=1, kind="stable")
    cols = np.ascontiguousarray(values.T)
    rank = np.repeat(np.arange(k, dtype=np.int8)[:, None], n, axis=1)  # ties: column order
    later_wins = np.empty(n, dtype=np.int8)
    for c in range(k):
        for d in range(c + 1, k):
            np.greater(cols[d], cols[c], out=later_wins.view(bool))
            rank[c] += later_wins
            rank[d] -= later_wins
    order = np.empty((n, k), dtype=np.int64)
    flat, row_start = order.reshape(-1), np.arange(n) * k
    for c in range(k):  # column c goes to its rank in each row
        flat[row_start + rank[c]] = c
    return order


@REGISTRY.allocation("lottery_rounds", params=LotteryParams)
def lottery_rounds(
    ctx: StepContext, pairs: Pairs, utility: FloatArray, p: LotteryParams
) -> Allocation:
    """Rank each seeker's alternatives by utility + Gumbel noise, then run lotteries.

    In each round every seeker applies to its best candidate that has a vacant dwelling
    and that it prefers to the one it holds (tentatively) this year; an alternative with
    fewer vacancies than applicants admits a random subset. Where the housing policy
    gives current residents queue priority (``ctx.levers.queue_priority`` per zone),
    the rounds run twice: first only residents apply (movers and households splitting
    from resident ones, not in-migrants), and only to those zones' vacancies (a
    local-connection queue); then everyone applies everywhere, and residents still win
    ties in the priority zones. Dwellings given back by upgrading seekers and freed by
    placed resident movers are offered again in the next round. Seekers left over stay
    unplaced (-1). A candidate whose utility is at or below :data:`UNAVAILABLE` (a dwelling
    the seeker cannot finance) is never applied to.

    Returns:
        Allocation: accepted pair per seeker, and per (zone, type) the unmet demand:
        seekers whose first choice it was and who did not get it.
    Semantics: Gumbel draws per pair and a lottery number per seeker from ``ctx.rng``;
    synchronous within a round.
    """
    seekers = _seekers(ctx)
    n_s = seekers.n
    n_alt = ctx.zones.n * N_TYPES
    choice = np.full(n_s, -1, dtype=np.int64)
    if n_s == 0 or pairs.n == 0:
        return Allocation(
            choice=choice, rejected=np.zeros((ctx.zones.n, N_TYPES), np.int64), first=choice.copy()
        )
    k = pairs.n // n_s
    if isinstance(pairs, FullPairs):
        return _full_set_rounds(ctx, pairs, utility.reshape(n_s, k), p)
    gumbel = ctx.rng.random(pairs.n)  # -log(-log(u)), computed in place
    for op in (np.log, np.negative, np.log, np.negative):
        op(gumbel, out=gumbel)
    noisy = utility + pairs.log_weight
    noisy += gumbel
    del gumbel
    noisy = noisy.reshape(n_s, k)
    alts = pairs.alternative.reshape(n_s, k)
    capacity = (ctx.dwellings.stock - ctx.dwellings.occupied).reshape(-1).astype(np.int64)
    capacity = np.maximum(capacity, 0)
    ticket = ctx.rng.random(n_s)
    by_ticket = np.argsort(-ticket)  # seekers in lottery order, once
    priority_zone = np.asarray(ctx.levers.queue_priority, dtype=bool)
    housed = (seekers.dwelling_type >= 0) & (seekers.zone >= 0)
    old_alt = np.where(housed, seekers.zone.astype(np.int64) * N_TYPES + seekers.dwelling_type, -1)
    # work in lottery order (row i is seeker by_ticket[i]), each row's candidates best
    # first, so "the best candidate that has a vacancy and that the row prefers to what
    # it holds" is the first True of a boolean row: vacancy (per alternative, each
    # round) and wanted (per row, changed only when the row wins)
    val = noisy.take(by_ticket, axis=0)
    del noisy
    col = rank_order(val)  # column of each (row, rank)
    at = col + (np.arange(n_s) * k)[:, None]  # flat index in the rows, best first
    col = col.reshape(-1)
    val = val.reshape(-1).take(at)
    cand = alts.take(by_ticket, axis=0).reshape(-1).take(at)
    top = np.empty(n_s, dtype=np.int64)
    top[by_ticket] = col[::k]  # first-ranked column (np.argmax of the seeker's row)
    top_open = np.empty(n_s, dtype=bool)
    top_open[by_ticket] = val[:, 0] > UNAVAILABLE
    origin = old_alt.take(by_ticket) if p.vacancy_chains else np.full(n_s, -1)
    first_class_row = (seekers.zone >= 0).take(by_ticket)  # residents, not in-migrants
    pos = np.full(n_s, -1, dtype=np.int64)  # rank of the candidate held this year (-1: none)
    wanted = val > UNAVAILABLE  # better than what the row holds (candidates below are closed)
    # rows that may still apply (not holding their best)
    live: IntArray = np.flatnonzero(wanted[:, 0])
    flat_val, flat_cand = val.reshape(-1), cand.reshape(-1)
    phases: list[tuple[np.ndarray | None, IntArray]] = [(None, live)]
    if priority_zone.any():  # the queue, as in the full-set rounds
        phases = [(priority_zone.take(cand // N_TYPES), live[first_class_row.take(live)])]
        phases.append((None, live))
    for phase, (only, live) in enumerate(phases):
        if phase:
            live = live[pos.take(live) != 0]
        for _ in range(p.n_rounds):
            better = (capacity > 0).take(cand.take(live, axis=0))
            better &= wanted.take(live, axis=0)
            if only is not None:
                better &= only.take(live, axis=0)
            best_l = np.argmax(better, axis=1)
            ok = better.reshape(-1).take(np.arange(live.shape[0]) * k + best_l)
            rows, best = live[ok], best_l[ok]  # still in lottery order
            if rows.shape[0] == 0:
                break
            at_best = rows * k + best
            alt = flat_cand.take(at_best)
            first_class = first_class_row.take(rows) & priority_zone.take(alt // N_TYPES)
            accept, _ = _lottery(alt, capacity, first_class, n_alt)
            win = rows[accept]
            # give back what the winner held; a resident's own dwelling on first placement
            held = pos.take(win)
            previous = np.where(
                held >= 0, flat_cand.take(win * k + np.maximum(held, 0)), origin.take(win)
            )
            pos[win] = best[accept]
            wanted[win] = val.take(win, axis=0) > flat_val.take(at_best[accept])[:, None]
            capacity -= np.bincount(alt[accept], minlength=n_alt)
            capacity += np.bincount(previous[previous >= 0], minlength=n_alt)
            live = live[pos.take(live) != 0]
    column = col.take(np.arange(n_s) * k + np.maximum(pos, 0))
    choice[by_ticket] = np.where(pos >= 0, by_ticket * k + column, -1)
    unmet = (choice != np.arange(n_s) * k + top) & top_open
    rejected = np.bincount(alts[np.arange(n_s), top][unmet], minlength=n_alt)
    first = np.where(top_open, np.arange(n_s) * k + top, -1)
    return Allocation(choice=choice, rejected=rejected.reshape(-1, N_TYPES), first=first)


NOISE_BLOCK_BYTES = 1024 * 1024
"""Row blocks of the noisy utility (float32) are about this size: each block's several
passes (draw, two logarithms, sums, mask, row maximum) then run in the core's cache."""


def _noisy_utility(
    utility: FloatArray, log_size: FloatArray, rng: np.random.Generator
) -> tuple[np.ndarray, IntArray, FloatArray]:
    """Utility + size term + Gumbel noise, and each row's first-ranked column.

    Returns float32[n, k] values (-inf where not available), the first-ranked column
    per row and its value. Single precision (half the memory traffic): the Gumbel draw
    ``-ln(-ln(u))`` from a 24-bit uniform covers (-2.8, 16.6), leaving out probability below 1e-7.
    The work runs in row blocks of :data:`NOISE_BLOCK_BYTES` (in cache) with one reused
    buffer for the draws.
    Semantics: ``rng.random(dtype=float32)`` in row blocks (the same stream as one draw).
    """
    n, k = utility.shape
    noisy = np.empty((n, k), dtype=np.float32)
    top = np.empty(n, dtype=np.int64)
    top_val = np.empty(n)
    size32 = log_size.astype(np.float32)[None, :]
    tiny = np.finfo(np.float32).tiny
    step = max(1, NOISE_BLOCK_BYTES // (4 * max(k, 1)))
    g_buf = np.empty(min(n, step) * k, dtype=np.float32)  # reused by every block
    closed_buf = np.empty(min(n, step) * k, dtype=bool)
    for a in range(0, n, step):
        b = min(n, a + step)
        g = g_buf[: (b - a) * k].reshape(b - a, k)
        rng.random(out=g, dtype=np.float32)  # ln(-ln(u)) = -Gumbel, in place
        np.maximum(g, tiny, out=g)
        np.log(g, out=g)
        np.negative(g, out=g)
        np.log(g, out=g)
        block = noisy[a:b]
        block[...] = utility[a:b]
        block += size32
        block -= g
        closed = closed_buf[: (b - a) * k].reshape(b - a, k)
        np.less_equal(block, UNAVAILABLE, out=closed)
        np.copyto(block, -np.inf, where=closed)  # closed to the seeker: never applied to
        top[a:b] = np.argmax(block, axis=1)
        top_val[a:b] = block[np.arange(b - a), top[a:b]]
    return noisy, top, top_val


def _full_set_rounds(
    ctx: StepContext, pairs: FullPairs, utility: FloatArray, p: LotteryParams
) -> Allocation:
    """The lottery rounds of :func:`lottery_rounds` on full choice sets.

    Every seeker has the same alternatives (``pairs.columns``), so no ranking is
    formed: in each round, a seeker that may still improve applies to the column of
    highest noisy utility among the alternatives with a vacancy, when that beats what
    it holds. Same rule as the ranked version, one masked maximum per row and round.

    Args:
        ctx: context of the choice stage.
        pairs: the full choice sets.
        utility: float[n_seekers, k] utility of each seeker's alternatives.
        p: the lottery's parameters.
    Semantics: a Gumbel draw per pair (:func:`_noisy_utility`), then a lottery number
    per seeker, from ``ctx.rng``.
    """
    seekers = _seekers(ctx)
    n_s, k = utility.shape
    noisy, top, top_val = _noisy_utility(utility, pairs.log_size, ctx.rng)
    n_alt = ctx.zones.n * N_TYPES
    cols = pairs.columns
    capacity = (ctx.dwellings.stock - ctx.dwellings.occupied).reshape(-1).astype(np.int64)
    capacity = np.maximum(capacity, 0)
    ticket = ctx.rng.random(n_s)
    by_ticket = np.argsort(-ticket)  # seekers in lottery order, once
    priority_zone = np.asarray(ctx.levers.queue_priority, dtype=bool)
    housed = (seekers.dwelling_type >= 0) & (seekers.zone >= 0)
    old_alt = np.where(housed, seekers.zone.astype(np.int64) * N_TYPES + seekers.dwelling_type, -1)
    everyone = np.arange(n_s)
    top_open = top_val > UNAVAILABLE
    # rows are seekers; ``live`` lists those that may still improve, in lottery order
    origin = old_alt if p.vacancy_chains else np.full(n_s, -1)
    first_class_row = seekers.zone >= 0  # residents (and those splitting from them)
    held_col = np.full(n_s, -1, dtype=np.int64)  # column held this year (-1: none)
    held_val = np.full(n_s, -np.inf)
    live: IntArray = by_ticket[top_open.take(by_ticket)]
    # best open column found for each row: at first the best of all columns (an update
    # from "every column open" searches only the rows whose best column is full)
    cache_col = top.copy()
    cache_val = top_val.copy()
    prev_open = np.ones(k, dtype=bool)
    phases: list[tuple[np.ndarray | None, IntArray]] = [(None, live)]
    if priority_zone.any():
        # the queue: residents choose among the priority zones' vacancies
        # before anyone else applies there, then everyone applies everywhere
        queue_col = priority_zone.take(cols // N_TYPES)
        phases = [(queue_col, live[first_class_row.take(live)]), (None, live)]
    for phase, (only, live) in enumerate(phases):
        if phase:
            live = live[held_col.take(live) != top.take(live)]
        if only is not None or phase:
            prev_open = capacity.take(cols) > 0
            if only is not None:
                prev_open &= only
            cache_col[live], cache_val[live] = best_open(noisy, live, prev_open)
        for _ in range(p.n_rounds):
            open_col = capacity.take(cols) > 0
            if only is not None:
                open_col &= only
            best_l, best_v = best_open_update(
                noisy, live, open_col, prev_open, cache_col.take(live), cache_val.take(live)
            )
            cache_col[live] = best_l
            cache_val[live] = best_v
            prev_open = open_col
            ok = best_v > held_val.take(live)
            rows, best = live[ok], best_l[ok]
            if rows.shape[0] == 0:
                break
            alt = cols.take(best)
            first_class = first_class_row.take(rows) & priority_zone.take(alt // N_TYPES)
            accept, _ = _lottery(alt, capacity, first_class, n_alt)
            win, got = rows[accept], best[accept]
            held = held_col.take(win)
            previous = np.where(held >= 0, cols.take(np.maximum(held, 0)), origin.take(win))
            held_col[win] = got
            held_val[win] = best_v[ok][accept]
            capacity -= np.bincount(alt[accept], minlength=n_alt)
            capacity += np.bincount(previous[previous >= 0], minlength=n_alt)
            live = live[held_col.take(live) != top.take(live)]
    choice = np.where(held_col >= 0, everyone * k + held_col, -1)
    first = np.where(top_open, everyone * k + top, -1)
    unmet = (choice != first) & top_open
    rejected = np.bincount(cols.take(top[unmet]), minlength=n_alt)
    return Allocation(choice=choice, rejected=rejected.reshape(-1, N_TYPES), first=first)
