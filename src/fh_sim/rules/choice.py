"""Choice sets of the location choice: the full set or a sample proportional to stock.

An alternative is a (zone, dwelling type) with stock. A dwelling-level logit aggregated
to (zone, type) adds the size term ``ln(stock)`` to utility; sampling alternatives with
probability proportional to stock adds the correction ``-ln(stock)``, so sampled pairs
carry ``log_weight = 0`` and full-set pairs carry ``ln(stock)``.
"""

from __future__ import annotations

import numpy as np

from fh_sim.state import N_TYPES, Households, Pairs
from fh_sim.types import FloatArray, IntArray


def sample_pairs(
    seekers: Households, stock: IntArray, n_sampled: int, rng: np.random.Generator
) -> Pairs:
    """Candidate pairs for every seeker.

    Args:
        seekers: households looking for a dwelling.
        stock: int[n_zones, 3] dwellings per (zone, type).
        n_sampled: alternatives per seeker when the set is larger than this.
        rng: the run's generator.

    Returns:
        Pairs grouped by seeker, the same number per seeker.
    Semantics: one uniform draw per sampled pair from ``rng`` (none for the full set).
    """
    flat = stock.reshape(-1).astype(float)
    alts = np.flatnonzero(flat > 0)
    n_s = seekers.n
    if alts.shape[0] <= n_sampled:
        k = alts.shape[0]
        alt = np.tile(alts, n_s).astype(np.int64)
        log_w = np.tile(np.log(flat[alts]), n_s)
    else:
        k = n_sampled
        prob, alias = alias_table(flat[alts])
        slot = rng.integers(0, alts.shape[0], size=n_s * k)
        keep = rng.random(n_s * k) < prob[slot]
        alt = alts[np.where(keep, slot, alias[slot])]
        log_w = np.zeros(n_s * k)
    seeker = np.repeat(np.arange(n_s), k)
    stage = seekers.life_stage()
    return Pairs(
        seeker=seeker,
        zone=(alt // N_TYPES).astype(np.int64),
        dwelling_type=(alt % N_TYPES).astype(np.int64),
        log_weight=log_w,
        life_stage=np.repeat(stage, k),
        income_group=np.repeat(seekers.income_group, k),
        alternative=alt.astype(np.int64),
        segment=np.repeat(stage * 3 + seekers.income_group, k).astype(np.int64),
    )


def alias_table(weights: FloatArray) -> tuple[FloatArray, IntArray]:
    """Walker's alias table for drawing indices with probability proportional to weights.

    Draw ``i`` uniformly, keep it with probability ``prob[i]``, else take ``alias[i]``.
    The loop runs over alternatives (not households).

    Returns:
        (prob, alias): float[n] and int[n].
    """
    n = weights.shape[0]
    scaled = weights / weights.sum() * n
    prob = np.ones(n)
    alias = np.arange(n)
    small = [i for i in range(n) if scaled[i] < 1.0]
    large = [i for i in range(n) if scaled[i] >= 1.0]
    while small and large:
        s, g = small.pop(), large.pop()
        prob[s] = scaled[s]
        alias[s] = g
        scaled[g] -= 1.0 - scaled[s]
        (small if scaled[g] < 1.0 else large).append(g)
    return prob, alias


def logit_probabilities(utility: FloatArray, log_weight: FloatArray) -> FloatArray:
    """Analytic logit choice probabilities over one seeker's full set."""
    v = utility + log_weight
    e = np.exp(v - v.max())
    return e / e.sum()
