"""Calibration of the (zone, type) utility constants to the base-year dwelling stock.

Without constants, a logit over zones with very different attributes sends the base
year's movers to a few places and empties others "for no reason". As in UrbanSim's
location-choice models, alternative-specific constants are set so that the expected
choices of a representative set of seekers reproduce the stock's distribution; only
changes after the base year then shift where people live.
"""

from __future__ import annotations

import logging

import numpy as np

from fh_sim.rules.choice import sample_pairs
from fh_sim.state import N_TYPES, Households, StepContext
from fh_sim.types import FloatArray

log = logging.getLogger(__name__)


def representative_seekers(
    ctx: StepContext, pipeline: dict, n_residents: int, n_arrivals: int
) -> tuple[Households, Households]:
    """Resident movers drawn by their moving hazard, and a draw of in-migrants.

    Args:
        ctx: base-year context.
        pipeline: resolved rules (family -> [(rule, params)]).
        n_residents: resident seekers to draw.
        n_arrivals: in-migrant seekers to draw at most.

    Returns:
        (residents, in-migrants); the second may be empty.
    """
    hh = ctx.households
    stay = np.ones(hh.n)
    for rule, p in pipeline["relocation"]:
        stay *= 1.0 - np.clip(rule.func(ctx, p), 0.0, 1.0)
    w = 1.0 - stay
    w = w / w.sum() if w.sum() > 0 else np.full(hh.n, 1.0 / hh.n)
    rows = ctx.rng.choice(hh.n, size=min(n_residents, hh.n), replace=True, p=w)
    came = Households.empty()
    for rule, p in pipeline["migration"]:
        arrivals = rule.func(ctx, p).arrivals
        if arrivals is not None and arrivals.n:
            came = came.concat(arrivals.take(np.arange(min(n_arrivals, arrivals.n))))
    return hh.take(rows), came


def alternative_constants(
    ctx: StepContext,
    pipeline: dict,
    *,
    n_residents: int = 4000,
    n_arrivals: int = 1500,
    iterations: int = 30,
) -> FloatArray:
    """Constants c[origin, zone, type] with mean logit shares equal to stock shares.

    Calibrated separately for residents (origin 0) and in-migrants (origin 1).

    Returns:
        float[2, n_zones, 3]; 0 where a cell has no stock.
    """
    residents, came = representative_seekers(ctx, pipeline, n_residents, n_arrivals)
    c_res = _calibrate(ctx, pipeline, residents, iterations)
    c_in = _calibrate(ctx, pipeline, came, iterations) if came.n else c_res
    return np.stack([c_res, c_in])


def _calibrate(ctx: StepContext, pipeline: dict, seekers: Households, iterations: int) -> FloatArray:
    """Iterate ``c += ln(target / predicted)`` over the full choice set (utility terms
    other than the constant are computed once)."""
    stock = ctx.dwellings.stock.astype(float)
    pairs = sample_pairs(seekers, ctx.dwellings.stock, n_sampled=stock.size, rng=ctx.rng)
    sctx = ctx.with_(seekers=seekers)
    utility = np.zeros(pairs.n)
    for rule, p in pipeline["utility"]:
        if rule.name != "alternative_constant":
            utility += rule.func(sctx, pairs, p)
    k = pairs.n // seekers.n
    base = (utility + pairs.log_weight).reshape(seekers.n, k)
    alts = pairs.alternative[:k]
    target = stock.reshape(-1)[alts] / stock.sum()
    c = np.zeros(k)
    for _ in range(iterations):
        v = base + c
        e = np.exp(v - v.max(axis=1, keepdims=True))
        pred = (e / e.sum(axis=1, keepdims=True)).mean(axis=0)
        c += np.log(target / np.maximum(pred, 1e-300))
        c -= c.mean()
    log.debug("constants calibrated: max share error %.2g", float(np.abs(pred - target).max()))
    out = np.zeros(stock.size)
    out[alts] = c
    return out.reshape(-1, N_TYPES)
