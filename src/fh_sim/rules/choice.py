"""Choice sets of the location choice: the full set or a stratified sample.

An alternative is a (zone, dwelling type) with stock. A dwelling-level logit aggregated
to (zone, type) adds the size term ``ln(stock)`` to utility, which full-set pairs carry
as ``log_weight``.

Where the set is larger than ``n_sampled``, alternatives are drawn by importance
sampling in two strata: ``n_home`` draws from the cells of the seeker's home
municipality and the rest from all other cells, each draw proportional to stock. A draw
from a stratum with total stock S and k draws represents S / k dwellings, so sampled
pairs carry ``log_weight = ln(S / k)`` (the size term and the sampling correction
``-ln(stock / S)`` cancel). Without the home stratum, seekers attached to a small
municipality would rarely see it in their sample and would leave it far more often than
the full logit says. Seekers without a home municipality draw every alternative from
the whole region.
"""

from __future__ import annotations

import numpy as np

from fh_sim.state import N_TYPES, Households, Pairs
from fh_sim.types import FloatArray, IntArray


def _draw(flat: FloatArray, cells: IntArray, n: int, rng: np.random.Generator) -> IntArray:
    """``n`` cells drawn from ``cells`` with probability proportional to ``flat[cells]``."""
    prob, alias = alias_table(flat[cells])
    slot = rng.integers(0, cells.shape[0], size=n)
    keep = rng.random(n) < prob[slot]
    return cells[np.where(keep, slot, alias[slot])]


def sample_pairs(
    seekers: Households,
    stock: IntArray,
    n_sampled: int,
    rng: np.random.Generator,
    *,
    zone_municipality: IntArray | None = None,
    n_home: int = 0,
) -> Pairs:
    """Candidate pairs for every seeker.

    Args:
        seekers: households looking for a dwelling.
        stock: int[n_zones, 3] dwellings per (zone, type).
        n_sampled: alternatives per seeker when the set is larger than this.
        rng: the run's generator.
        zone_municipality: int[n_zones] municipality of each zone (for the home stratum).
        n_home: draws from the home municipality's cells (0: no stratification).

    Returns:
        Pairs grouped by seeker, the same number per seeker.
    Semantics: uniform draws per sampled pair from ``rng`` (none for the full set).
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
        alt = np.empty((n_s, k), dtype=np.int64)
        log_w = np.empty((n_s, k))
        pending = np.ones(n_s, dtype=bool)
        if zone_municipality is not None and n_home > 0:
            pending = _stratify(seekers, flat, alts, zone_municipality, n_home, rng, alt, log_w)
        rows = np.flatnonzero(pending)
        alt[rows] = _draw(flat, alts, rows.size * k, rng).reshape(-1, k)
        log_w[rows] = np.log(flat.sum() / k)
        alt = alt.reshape(-1)
        log_w = log_w.reshape(-1)
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


def _stratify(
    seekers: Households,
    flat: FloatArray,
    alts: IntArray,
    zone_municipality: IntArray,
    n_home: int,
    rng: np.random.Generator,
    alt: IntArray,
    log_w: FloatArray,
) -> np.ndarray:
    """Fill ``alt`` and ``log_w`` (n_seekers x k, in place) by home-municipality strata.

    Returns:
        bool[n_seekers]: seekers still to draw from the whole region.
    """
    k = alt.shape[1]
    pending = np.ones(alt.shape[0], dtype=bool)
    cell_mun = np.repeat(zone_municipality, N_TYPES)
    home = seekers.home_municipality
    for m in np.unique(home[home >= 0]):  # loop over municipalities, not households
        rows = np.flatnonzero(home == m)
        inside = alts[cell_mun[alts] == m]
        outside = alts[cell_mun[alts] != m]
        if inside.size == 0 or outside.size == 0:
            continue
        h = min(n_home, k - 1)
        alt[rows, :h] = _draw(flat, inside, rows.size * h, rng).reshape(-1, h)
        alt[rows, h:] = _draw(flat, outside, rows.size * (k - h), rng).reshape(-1, k - h)
        log_w[rows, :h] = np.log(flat[inside].sum() / h)
        log_w[rows, h:] = np.log(flat[outside].sum() / (k - h))
        pending[rows] = False
    return pending


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
