"""Allocation of dwellings under capacity: lottery rounds over the available alternatives.

Each seeker ranks its candidate alternatives once (utility + size/sampling term +
Gumbel noise). In every round each seeker applies to its best candidate that has a
vacant dwelling at that moment and that it ranks above what it already holds (nothing,
for an unplaced seeker); where an alternative has more applicants than vacancies, a
lottery (with queue priority for base-year residents where policy sets it) decides.
Placements are tentative within the year: a seeker who wins a better alternative gives
back the one it held, and a resident mover's own dwelling is freed when it is first
placed (vacancy chains). Freed dwellings are offered again in the next round to every
seeker who ranks them higher than what it holds, so a zone that becomes more attractive
keeps its dwellings occupied: whoever leaves it frees a dwelling that the next seeker
who prefers it takes. Holdings only improve, so the rounds converge.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fh_sim.rules.registry import REGISTRY
from fh_sim.state import N_TYPES, Allocation, Pairs, StepContext
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


@REGISTRY.allocation("lottery_rounds", params=LotteryParams)
def lottery_rounds(
    ctx: StepContext, pairs: Pairs, utility: FloatArray, p: LotteryParams
) -> Allocation:
    """Rank each seeker's alternatives by utility + Gumbel noise, then run lotteries.

    In each round every seeker applies to its best candidate that has a vacant dwelling
    and that it prefers to the one it holds (tentatively) this year; an alternative with
    fewer vacancies than applicants admits a random subset (where the housing policy
    gives base-year residents queue priority, ``ctx.levers.queue_priority`` per zone,
    they are admitted first). Dwellings given back by upgrading seekers and freed by
    placed resident movers are offered again in the next round. Seekers left over stay
    unplaced (-1). A candidate whose utility is at or below :data:`UNAVAILABLE` (a dwelling
    the seeker cannot finance) is never applied to.

    Returns:
        Allocation: accepted pair per seeker, and per (zone, type) the unmet demand:
        seekers whose first choice it was and who did not get it.
    Semantics: Gumbel draws per pair and a lottery number per seeker from ``ctx.rng``;
    synchronous within a round.
    """
    seekers = ctx.seekers
    n_s = seekers.n
    n_alt = ctx.zones.n * N_TYPES
    choice = np.full(n_s, -1, dtype=np.int64)
    if n_s == 0 or pairs.n == 0:
        return Allocation(choice=choice, rejected=np.zeros((ctx.zones.n, N_TYPES), np.int64))
    k = pairs.n // n_s
    gumbel = ctx.rng.random(pairs.n)  # -log(-log(u)), computed in place
    for op in (np.log, np.negative, np.log, np.negative):
        op(gumbel, out=gumbel)
    noisy = utility + pairs.log_weight
    noisy += gumbel
    del gumbel
    noisy = noisy.reshape(n_s, k)
    alts = pairs.alternative.reshape(n_s, k)
    top = np.argmax(noisy, axis=1)
    top_open = noisy[np.arange(n_s), top] > UNAVAILABLE
    capacity = (ctx.dwellings.stock - ctx.dwellings.occupied).reshape(-1).astype(np.int64)
    capacity = np.maximum(capacity, 0)
    ticket = ctx.rng.random(n_s)
    by_ticket = np.argsort(-ticket)  # seekers in lottery order, once
    priority_zone = np.asarray(ctx.levers.queue_priority, dtype=bool)
    is_base = seekers.is_base_resident
    housed = (seekers.dwelling_type >= 0) & (seekers.zone >= 0)
    old_alt = np.where(housed, seekers.zone.astype(np.int64) * N_TYPES + seekers.dwelling_type, -1)
    # work in lottery order (row i is seeker by_ticket[i]), each row's candidates best
    # first (stable: ties keep column order), so "best candidate that is better than
    # what the row holds and has a vacancy" is the first True of a boolean row
    flat = np.argsort(-noisy, axis=1, kind="stable")[by_ticket]
    flat += (by_ticket * k)[:, None]  # pair index of each (row, rank)
    val = noisy.reshape(-1)[flat]
    del noisy
    cand = alts.reshape(-1)[flat]
    origin = old_alt[by_ticket] if p.vacancy_chains else np.full(n_s, -1)
    first_class_row = is_base[by_ticket]
    pos = np.full(n_s, -1, dtype=np.int64)  # rank of the candidate held this year (-1: none)
    held = np.full(n_s, UNAVAILABLE)  # its value (candidates at or below are closed)
    rows_all = np.arange(n_s)
    live = rows_all  # rows that may still improve (not holding their first-ranked)
    for _ in range(p.n_rounds):
        better = (capacity > 0)[cand[live]] & (val[live] > held[live, None])
        best_l = np.argmax(better, axis=1)
        ok = better[np.arange(live.shape[0]), best_l]
        rows, best = live[ok], best_l[ok]  # still in lottery order
        if rows.shape[0] == 0:
            break
        at_best = rows * k + best
        alt = cand.reshape(-1)[at_best]
        first_class = first_class_row[rows] & priority_zone[alt // N_TYPES]
        accept, _ = _lottery(alt, capacity, first_class, n_alt)
        win = rows[accept]
        # give back what the winner held; a resident's own dwelling on first placement
        previous = np.where(pos[win] >= 0, cand[win, np.maximum(pos[win], 0)], origin[win])
        pos[win] = best[accept]
        held[win] = val.reshape(-1)[at_best[accept]]
        capacity -= np.bincount(alt[accept], minlength=n_alt)
        capacity += np.bincount(previous[previous >= 0], minlength=n_alt)
        live = live[pos[live] != 0]
    choice[by_ticket] = np.where(pos >= 0, flat.reshape(-1)[rows_all * k + np.maximum(pos, 0)], -1)
    unmet = (choice != np.arange(n_s) * k + top) & top_open
    rejected = np.bincount(alts[np.arange(n_s), top][unmet], minlength=n_alt)
    return Allocation(choice=choice, rejected=rejected.reshape(-1, N_TYPES))
