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
        alt = np.tile(alts, n_s)
        log_w = np.tile(np.log(flat[alts]), n_s)
    else:
        k = n_sampled
        cdf = np.cumsum(flat[alts])
        draw = np.searchsorted(cdf, rng.random(n_s * k) * cdf[-1], side="right")
        alt = alts[np.minimum(draw, alts.shape[0] - 1)]
        log_w = np.zeros(n_s * k)
    seeker = np.repeat(np.arange(n_s), k)
    return Pairs(
        seeker=seeker,
        zone=(alt // N_TYPES).astype(np.int64),
        dwelling_type=(alt % N_TYPES).astype(np.int64),
        log_weight=log_w,
        life_stage=np.repeat(seekers.life_stage(), k),
        income_group=np.repeat(seekers.income_group, k),
    )


def logit_probabilities(utility: FloatArray, log_weight: FloatArray) -> FloatArray:
    """Analytic logit choice probabilities over one seeker's full set."""
    v = utility + log_weight
    e = np.exp(v - v.max())
    return e / e.sum()
