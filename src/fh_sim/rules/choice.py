"""Choice sets of the location choice: the full set or a stratified sample.

An alternative is a (zone, dwelling type) with stock (a cell without a vacancy now may
get one through a vacancy chain during the year). A dwelling-level logit aggregated to
(zone, type) adds the size term ``ln(stock)`` to utility, which full-set pairs carry as
``log_weight``. The model uses the full set (:func:`full_pairs`,
``rules.choice.n_sampled: 0``): each seeker's choice is then the multinomial logit over
every alternative open to it. Sampling (:func:`sample_pairs`) is an option for choice
sets far larger than this region's; docs/assumptions.md gives its approximation error.

Where the set is larger than ``n_sampled``, alternatives are drawn by importance
sampling in two strata: ``n_home`` draws from the cells of the seeker's home
municipality and the rest from all other cells, each draw proportional to stock. A draw
from a stratum with total stock S and k draws represents S / k dwellings, so sampled
pairs carry ``log_weight = ln(S / k)`` (the size term and the sampling correction
``-ln(stock / S)`` cancel). Without the home stratum, seekers attached to a small
municipality would rarely see it in their sample and would leave it far more often than
the full logit says. Seekers without a home municipality draw every alternative from
the whole region.

Draws are tickets, one per dwelling: the alternatives' dwellings are laid out by
municipality, a draw from a stratum of S dwellings is the ticket ``floor(u x S)`` (one
uniform ``u``) shifted to the stratum's block (or past the home block), and a table of
one entry per dwelling maps the ticket to its alternative. All seekers and strata are
drawn at once, so the cost does not depend on the number of municipalities.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from fh_sim.sim.full_pairs import FullPairs
from fh_sim.sim.state import N_TYPES, Households, Pairs, StepContext
from fh_sim.types import FloatArray, IntArray

BLOCK_PAIRS = 1 << 19
"""Full sets of more pairs than this are summed block by block (below: in one piece)."""

BLOCK_ROWS_PAIRS = 1 << 20
"""Pairs per block when utility terms are summed over a full set (8 MiB of floats: few
enough blocks that the per-call work of the terms and the rule contract stays small)."""


def full_pairs(seekers: Households, stock: IntArray) -> FullPairs:
    """Every seeker paired with every alternative that has stock (the full set).

    Args:
        seekers: households looking for a dwelling.
        stock: int[n_zones, 3] dwellings per (zone, type).

    Returns:
        FullPairs (``log_weight = ln(stock)``). Semantics: pure; no rng.
    """
    flat = np.asarray(stock).reshape(-1)
    cols = np.flatnonzero(flat > 0)
    return FullPairs(
        cols, np.log(flat[cols].astype(float)), seekers.life_stage(), seekers.income_group
    )


def pair_utility(
    ctx: StepContext,
    pairs: Pairs,
    terms: Sequence[tuple[Any, Any]],
    on_term: Callable[[str], None] | None = None,
) -> FloatArray:
    """float[n_pairs] the sum of the utility terms over the choice sets.

    On a full set the terms are evaluated for blocks of seekers of about
    :data:`BLOCK_PAIRS` pairs each (every term is a function of the seeker and the
    alternative, so the sum is the same; a block's arrays stay in cache and in the
    allocator's reused heap).

    Args:
        ctx: context of the choice stage (``ctx.seekers`` the seekers).
        pairs: their choice sets.
        terms: (rule, params) of the utility family.
        on_term: called with each rule's name after each call (for the model's timings).
    """
    seekers = ctx.seekers
    if not isinstance(pairs, FullPairs) or pairs.n <= BLOCK_PAIRS or seekers is None:
        out = np.zeros(pairs.n)
        for rule, p in terms:
            out += rule.func(ctx, pairs, p)
            if on_term is not None:
                on_term(rule.name)
        return out
    k = pairs.k
    rows = max(1, BLOCK_ROWS_PAIRS // k)
    out = np.empty(pairs.n)
    memo: dict[Any, Any] = {}  # the terms' seeker-independent tables, once per evaluation
    for a in range(0, seekers.n, rows):  # block by block: the sum stays in cache
        idx = np.arange(a, min(seekers.n, a + rows))
        sub_pairs = pairs.block(idx, memo)
        sctx = ctx.with_(seekers=seekers.take(idx))
        acc = out[a * k : a * k + sub_pairs.n]  # summed in place, term by term
        for i, (rule, p) in enumerate(terms):
            part = rule.func(sctx, sub_pairs, p)
            if i == 0:
                acc[...] = part
            else:
                acc += part
            if on_term is not None:
                on_term(rule.name)
        if not terms:
            acc[...] = 0.0
    return out


def choice_pairs(
    seekers: Households,
    stock: IntArray,
    n_sampled: int,
    rng: np.random.Generator,
    *,
    zone_municipality: IntArray | None = None,
    n_home: int = 0,
) -> Pairs:
    """The choice sets of ``rules.choice``: full when ``n_sampled`` is 0, else sampled.

    Sampling is :func:`sample_pairs`. Semantics: draws from ``rng`` only when sampling.
    """
    if n_sampled <= 0:
        return full_pairs(seekers, stock)
    return sample_pairs(
        seekers, stock, n_sampled, rng, zone_municipality=zone_municipality, n_home=n_home
    )


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
    Semantics: one uniform draw per sampled pair from ``rng`` (none for the full set).
    """
    flat = stock.reshape(-1).astype(float)
    alts = np.flatnonzero(flat > 0)
    n_s = seekers.n
    if alts.shape[0] <= n_sampled:
        k = alts.shape[0]
        alt: IntArray = np.tile(alts, n_s).astype(np.int64)
        log_w = np.tile(np.log(flat[alts]), n_s)
    else:
        k = n_sampled
        alt, log_w = _sample(seekers, flat, alts, k, rng, zone_municipality, n_home)
    stage = seekers.life_stage().astype(np.int64)
    group = seekers.income_group.astype(np.int64)
    zone = alt // N_TYPES
    segment = np.repeat(stage * 3 + group, k)
    cell = segment * flat.shape[0]
    cell += alt
    return Pairs(
        seeker=np.repeat(np.arange(n_s), k),
        zone=zone,
        dwelling_type=alt - zone * N_TYPES,
        log_weight=log_w,
        life_stage=np.repeat(stage, k),
        income_group=np.repeat(group, k),
        alternative=alt,
        segment=segment,
        cell=cell,
    )


def _sample(
    seekers: Households,
    flat: FloatArray,
    alts: IntArray,
    k: int,
    rng: np.random.Generator,
    zone_municipality: IntArray | None,
    n_home: int,
) -> tuple[IntArray, FloatArray]:
    """``k`` alternatives per seeker, stratified by home municipality (see the module).

    Returns:
        (alternative, log_weight): int64[n_seekers * k] and float[n_seekers * k].
    """
    n_s = seekers.n
    stratify = zone_municipality is not None and n_home > 0
    cell_mun = (
        np.repeat(np.asarray(zone_municipality, dtype=np.int64), N_TYPES)[alts]
        if stratify
        else np.zeros(alts.shape[0], dtype=np.int64)
    )
    order = np.argsort(cell_mun, kind="stable")  # alternatives laid out by municipality
    laid = alts[order]
    weight = flat[laid].astype(np.int64)
    total = int(weight.sum())
    n_mun = int(cell_mun.max()) + 1
    s_in = np.bincount(cell_mun, weights=weight, minlength=n_mun).astype(np.int64)
    start = np.cumsum(s_in) - s_in  # tickets before each municipality's block
    s_out = total - s_in
    strat = np.zeros(n_s, dtype=bool)
    m = np.zeros(n_s, dtype=np.int64)
    if stratify:
        home = np.asarray(seekers.home_municipality, dtype=np.int64)
        ok = (home >= 0) & (home < n_mun)
        m = np.where(ok, home, 0)
        strat = ok & (s_in[m] > 0) & (s_out[m] > 0)
    h = min(n_home, k - 1) if strat.any() else 0
    # per seeker: tickets of the home stratum (first h draws) and of the rest
    size_in = np.where(strat, s_in[m], total)
    first_in = np.where(strat, start[m], 0)
    size_out = np.where(strat, s_out[m], total)
    skip_from = np.where(strat, start[m], total)  # outside tickets from here skip ...
    skip = np.where(strat, s_in[m], 0)  # ... the home block
    # draws laid out (k, n_seekers): long contiguous rows, transposed once at the end
    u = rng.random((k, n_s))
    ticket = np.empty((k, n_s), dtype=np.int64)
    log_w = np.empty((k, n_s))
    if h:
        t_in = (u[:h] * size_in).astype(np.int64)
        ticket[:h] = np.minimum(t_in, size_in - 1) + first_in
        log_w[:h] = np.log(size_in / np.where(strat, h, k))
    t_out = np.minimum((u[h:] * size_out).astype(np.int64), size_out - 1)
    ticket[h:] = t_out + (t_out >= skip_from) * skip
    log_w[h:] = np.log(size_out / np.where(strat, k - h, k))
    del u, t_out
    of_ticket = np.repeat(laid, weight)  # one entry per dwelling
    return of_ticket.take(ticket.T).reshape(-1), np.ascontiguousarray(log_w.T).reshape(-1)


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
