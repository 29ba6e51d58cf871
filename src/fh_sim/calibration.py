"""Calibration of the (zone, type) utility constants to the base-year state.

Without constants, a logit over zones with very different attributes sends the base
year's movers to a few places and empties others "for no reason". As in UrbanSim's
location-choice models, alternative-specific constants are set so that, in the base
year, expected choices balance expected departures: for each life stage, residents'
choices reproduce where movers of that stage leave from (occupants weighted by their
moving hazard), so internal moves net to zero per (zone, type) and life stage (and
families do not drain from one place to another for no reason); in-migrants' choices
reproduce where out-migrants leave from (occupants weighted by their age hazard of
leaving the region): in-migrants are young and come to the places young people leave,
the job and study centres' rental flats, so that border migration balances per
(zone, type) in the base year and the region's net gain goes where the turnover is. Only
changes after the base year (prices, networks, safety, reputation, policies) then shift
where people live.
"""

from __future__ import annotations

import logging

import numpy as np

from fh_sim.rules.choice import sample_pairs
from fh_sim.rules.migration import age_hazard
from fh_sim.state import LIFE_STAGES, N_TYPES, Households, StepContext
from fh_sim.types import FloatArray

log = logging.getLogger(__name__)

N_STAGES = len(LIFE_STAGES)
_PAIRS_PER_BLOCK = 500_000
"""Pairs built at once while calibrating (bounds memory on large regions)."""


def moving_weights(ctx: StepContext, pipeline: dict) -> FloatArray:
    """float[n_households] base-year moving probability from the relocation triggers."""
    stay = np.ones(ctx.households.n)
    for rule, p in pipeline["relocation"]:
        stay *= 1.0 - np.clip(rule.func(ctx, p), 0.0, 1.0)
    return 1.0 - stay


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
    w = moving_weights(ctx, pipeline)
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
    n_residents: int = 8000,
    n_arrivals: int = 1500,
    iterations: int = 30,
) -> FloatArray:
    """Constants c[group, zone, type]: groups 0-3 are residents by life stage, 4 in-migrants.

    Targets: for residents of a stage, where movers of that stage leave from; for
    in-migrants, where out-migrants leave from (both in the base year).

    Returns:
        float[5, n_zones, 3]; 0 where a cell has no stock.
    """
    residents, came = representative_seekers(ctx, pipeline, n_residents, n_arrivals)
    hh = ctx.households
    stock = ctx.dwellings.stock.astype(float).reshape(-1)
    cell = hh.zone.astype(np.int64) * N_TYPES + hh.dwelling_type
    w = moving_weights(ctx, pipeline)
    stage_hh = hh.life_stage()
    stage_seek = residents.life_stage()
    out = []
    for stage in range(N_STAGES):
        departures = np.bincount(cell, weights=w * (stage_hh == stage), minlength=stock.size)
        seekers = residents.take(stage_seek == stage)
        if seekers.n == 0 or departures.sum() <= 0:
            departures, seekers = np.bincount(cell, weights=w, minlength=stock.size), residents
        out.append(_calibrate(ctx, pipeline, seekers, departures, iterations))
    leaving = np.bincount(cell, weights=out_migration_weights(ctx, pipeline), minlength=stock.size)
    if leaving.sum() <= 0:
        leaving = stock
    out.append(_calibrate(ctx, pipeline, came, leaving, iterations) if came.n else out[1])
    return np.stack(out)


def out_migration_weights(ctx: StepContext, pipeline: dict) -> FloatArray:
    """float[n_households] base-year age hazard of leaving the region (ones without one).

    Uses the ``out_migration`` rule's parameters when that rule is selected.
    """
    for rule, p in pipeline["migration"]:
        if rule.name == "out_migration":
            return age_hazard(ctx.households, p)
    return np.ones(ctx.households.n)


def _calibrate(
    ctx: StepContext, pipeline: dict, seekers: Households, weights: FloatArray, iterations: int
) -> FloatArray:
    """Iterate ``c += ln(target / predicted)`` over the full choice set.

    Utility terms other than the constant are computed once; target shares are
    ``weights`` over the cells with stock.
    """
    stock = ctx.dwellings.stock.astype(float)
    # seekers in blocks so that the pairs of large regions never all exist at once
    k = int((stock > 0).sum())
    block = max(1, _PAIRS_PER_BLOCK // max(k, 1))
    base = np.empty((seekers.n, k))
    for start in range(0, seekers.n, block):
        part = seekers.take(np.arange(start, min(start + block, seekers.n)))
        pairs = sample_pairs(part, ctx.dwellings.stock, n_sampled=stock.size, rng=ctx.rng)
        sctx = ctx.with_(seekers=part)
        utility = np.zeros(pairs.n)
        for rule, p in pipeline["utility"]:
            if rule.name != "alternative_constant":
                utility += rule.func(sctx, pairs, p)
        base[start : start + part.n] = (utility + pairs.log_weight).reshape(part.n, k)
    alts = pairs.alternative[:k]
    target = np.maximum(weights[alts], 1e-9 * weights.sum())
    target = target / target.sum()
    c = np.zeros(k)
    e = np.empty_like(base)  # one work array: the logit shares, computed in place
    for _ in range(iterations):
        np.add(base, c, out=e)
        e -= e.max(axis=1, keepdims=True)
        np.exp(e, out=e)
        e /= e.sum(axis=1, keepdims=True)
        pred = e.mean(axis=0)
        c += np.log(target / np.maximum(pred, 1e-300))
        c -= c.mean()
    log.debug("constants calibrated: max share error %.2g", float(np.abs(pred - target).max()))
    out = np.zeros(stock.size)
    out[alts] = c
    return out.reshape(-1, N_TYPES)
