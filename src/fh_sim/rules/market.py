"""Prices and construction: the housing market's response to vacancy and demand."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fh_sim.rules.registry import REGISTRY
from fh_sim.sim.state import N_TYPES, StepContext
from fh_sim.types import FloatArray, IntArray


@dataclass(frozen=True)
class VacancyResponseParams:
    """Yearly price change from the vacancy gap and from turned-away demand.

    change = vacancy_coef x (target - vacancy) + demand_coef x min(rejected / stock,
    demand_cap), clipped to +-max_change; the index stays within the assumed floor
    and ceiling.

    Attributes:
        target_vacancy: vacancy rate at which prices are stable (assumption; 2 %).
        vacancy_coef: price change per unit of vacancy gap.
        demand_coef: price change per rejected application per dwelling.
        demand_cap: cap on rejected applications per dwelling.
        max_change: bound on the yearly relative change.
    """

    target_vacancy: float = 0.02
    vacancy_coef: float = 1.0
    demand_coef: float = 0.02
    demand_cap: float = 0.5
    max_change: float = 0.03


@REGISTRY.prices("vacancy_response", params=VacancyResponseParams)
def vacancy_response(ctx: StepContext, p: VacancyResponseParams) -> FloatArray:
    """New price index per (zone, type). Semantics: pure; no rng.

    Returns:
        float[n_zones, 3].
    """
    d = ctx.dwellings
    stock = np.maximum(d.stock, 1)
    vacancy = (d.stock - d.occupied) / stock
    rejected = ctx.excess_demand if ctx.excess_demand is not None else np.zeros_like(d.stock)
    pressure = np.minimum(rejected / stock, p.demand_cap)
    change = p.vacancy_coef * (p.target_vacancy - vacancy) + p.demand_coef * pressure
    change = np.clip(change, -p.max_change, p.max_change)
    change = np.where(d.stock > 0, change, 0.0)
    h = ctx.assumptions.housing
    return np.clip(d.price_index * (1.0 + change), h.price_floor, h.price_ceiling)


@dataclass(frozen=True)
class PipelineParams:
    """Planned construction plus a demand-responsive part, limited by land.

    Attributes:
        planned_factor: factor on every zone's planned dwellings per year (the
            region data plans 1 % of the stock a year; 0.6 with the demand-responsive
            part gives about 0.6 % a year, see docs/assumptions.md).
        vacancy_coef: dwellings started per dwelling of vacancy shortfall below
            ``target_vacancy`` (the responsive part).
        target_vacancy: vacancy below which developers add to the plan.
        max_responsive_share: cap on the responsive part as a share of the zone's stock.
        min_price_index: the responsive part builds only where the price index is at
            least this (construction must pay).
        transit_shift: share of planned volume moved from zones without a station to
            station zones of the same municipality where policy is transit-oriented.
        demand_coef: dwellings started per seeker whose first choice was the (zone,
            type) and who did not get it (``ctx.excess_demand``), in the responsive part.
    """

    planned_factor: float = 0.6
    vacancy_coef: float = 0.5
    target_vacancy: float = 0.02
    max_responsive_share: float = 0.01
    min_price_index: float = 0.2
    transit_shift: float = 0.5
    demand_coef: float = 0.1


def stochastic_round(x: FloatArray, rng: np.random.Generator) -> IntArray:
    """Round to integers with the expected value kept (floor + Bernoulli(fraction))."""
    base = np.floor(x)
    return (base + (rng.random(x.shape) < (x - base))).astype(np.int64)


@REGISTRY.construction("pipeline", params=PipelineParams)
def pipeline(ctx: StepContext, p: PipelineParams) -> IntArray:
    """Dwellings completed this year per (zone, type).

    Planned volume (region data x policy multiplier, optionally shifted to station
    zones) is split by the policy's tenure shares or the zone's current mix; the
    responsive part fills a vacancy shortfall below the target and answers unmet demand
    (seekers who did not get their first choice) where prices allow, up to a share of
    the stock. The total per zone is capped by its remaining land capacity.

    Returns:
        int[n_zones, 3].
    Semantics: stochastic rounding with ``ctx.rng``.
    """
    z, d, lev = ctx.zones, ctx.dwellings, ctx.levers
    planned = z.planned_per_year * p.planned_factor * lev.construction_multiplier
    shift = np.where(lev.transit_oriented & ~z.has_station, planned * p.transit_shift, 0.0)
    planned = planned - shift
    receiver = lev.transit_oriented & z.has_station
    n_mun = int(z.municipality.max()) + 1
    moved = np.bincount(z.municipality, weights=shift, minlength=n_mun)
    recv_w = np.where(receiver, np.maximum(z.planned_per_year, 1e-9), 0.0)
    recv_tot = np.bincount(z.municipality, weights=recv_w, minlength=n_mun)
    has_recv = recv_tot[z.municipality] > 0
    received = moved[z.municipality] * recv_w / np.maximum(recv_tot[z.municipality], 1e-12)
    # shifted volume of a municipality without a station zone stays where it was planned
    planned = planned + np.where(has_recv, received, shift)
    stock_tot = np.maximum(d.stock.sum(axis=1, keepdims=True), 1)
    mix = np.where(d.stock.sum(axis=1, keepdims=True) > 0, d.stock / stock_tot, 1.0 / N_TYPES)
    shares = np.where(np.isnan(lev.tenure_shares), mix, lev.tenure_shares)
    add = planned[:, None] * shares
    shortfall = np.maximum(p.target_vacancy * d.stock - (d.stock - d.occupied), 0.0)
    unmet = ctx.excess_demand if ctx.excess_demand is not None else np.zeros_like(d.stock)
    wanted = p.vacancy_coef * shortfall + p.demand_coef * unmet
    responsive = np.minimum(wanted, p.max_responsive_share * d.stock)
    responsive = np.where(d.price_index >= p.min_price_index, responsive, 0.0)
    add = add + responsive
    total = add.sum(axis=1)
    room = np.maximum(z.land_capacity, 0.0)
    factor = np.where(total > room, room / np.maximum(total, 1e-12), 1.0)
    return stochastic_round(add * factor[:, None], ctx.rng)
