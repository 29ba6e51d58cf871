"""Allocation of dwellings under capacity: lottery rounds over ranked choices."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fh_sim.rules.registry import REGISTRY
from fh_sim.state import N_TYPES, Allocation, Pairs, StepContext
from fh_sim.types import FloatArray


@dataclass(frozen=True)
class LotteryParams:
    """Lottery rounds.

    Attributes:
        n_rounds: rounds; in round r every unplaced seeker applies to its r-th ranked
            alternative (capped by the number of alternatives per seeker).
        vacancy_chains: free the old dwelling of a placed resident mover for the
            following rounds.
    """

    n_rounds: int = 8
    vacancy_chains: bool = True


@REGISTRY.allocation("lottery_rounds", params=LotteryParams)
def lottery_rounds(
    ctx: StepContext, pairs: Pairs, utility: FloatArray, p: LotteryParams
) -> Allocation:
    """Rank each seeker's alternatives by utility + Gumbel noise, then run lotteries.

    In each round every unplaced seeker applies to its next-ranked alternative. An
    alternative with fewer vacancies than applicants admits a random subset; where the
    housing policy gives base-year residents queue priority (``ctx.levers.queue_priority``
    per zone), they are admitted first. Seekers left over after the last round stay
    unplaced (-1).

    Returns:
        Allocation: accepted pair per seeker and rejected applications per (zone, type).
    Semantics: Gumbel draws per pair and a lottery number per seeker from ``ctx.rng``;
    synchronous within a round.
    """
    seekers = ctx.seekers
    n_s = seekers.n
    n_alt = ctx.zones.n * N_TYPES
    rejected = np.zeros(n_alt, dtype=np.int64)
    choice = np.full(n_s, -1, dtype=np.int64)
    if n_s == 0 or pairs.n == 0:
        return Allocation(choice=choice, rejected=rejected.reshape(-1, N_TYPES))
    k = pairs.n // n_s
    gumbel = -np.log(-np.log(ctx.rng.random(pairs.n)))
    noisy = (utility + pairs.log_weight + gumbel).reshape(n_s, k)
    ranked = np.argsort(-noisy, axis=1) + (np.arange(n_s) * k)[:, None]
    alt_of_pair = pairs.alternative
    capacity = (ctx.dwellings.stock - ctx.dwellings.occupied).reshape(-1).astype(np.int64)
    capacity = np.maximum(capacity, 0)
    ticket = ctx.rng.random(n_s)
    by_ticket = np.argsort(-ticket)  # seekers in lottery order, once
    priority_zone = np.asarray(ctx.levers.queue_priority, dtype=bool)
    is_base = seekers.is_base_resident
    housed = (seekers.dwelling_type >= 0) & (seekers.zone >= 0)
    old_alt = np.where(housed, seekers.zone.astype(np.int64) * N_TYPES + seekers.dwelling_type, -1)
    for r in range(min(p.n_rounds, k)):
        active = by_ticket[choice[by_ticket] < 0]  # still in lottery order
        if active.shape[0] == 0:
            break
        pidx = ranked[active, r]
        alt = alt_of_pair[pidx]
        first_class = is_base[active] & priority_zone[alt // N_TYPES]
        # alternative up, queue priority first, then lottery order (stable radix sort)
        key = (alt * 2 + ~first_class).astype(np.int32 if n_alt * 2 > 32000 else np.int16)
        order = np.argsort(key, kind="stable")
        alt_sorted = alt[order]
        counts = np.bincount(alt_sorted, minlength=n_alt)
        start = np.cumsum(counts) - counts
        accept = (np.arange(order.shape[0]) - start[alt_sorted]) < capacity[alt_sorted]
        winners = active[order[accept]]
        choice[winners] = pidx[order[accept]]
        taken = np.bincount(alt_sorted[accept], minlength=n_alt)
        capacity -= taken
        rejected += counts - taken
        if p.vacancy_chains:
            freed = old_alt[winners]
            capacity += np.bincount(freed[freed >= 0], minlength=n_alt)
    return Allocation(choice=choice, rejected=rejected.reshape(-1, N_TYPES))
