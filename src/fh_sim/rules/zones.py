"""Zone dynamics: crime, trust, reputation and income programmes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fh_sim.population.synthesis import offer
from fh_sim.rules.registry import REGISTRY
from fh_sim.sim.state import StepContext, ZoneUpdate


def low_income_share(ctx: StepContext) -> np.ndarray:
    """float[n_zones] share of resident households in the low income group."""
    hh = ctx.households
    n = np.bincount(hh.zone, minlength=ctx.zones.n)
    low = np.bincount(hh.zone, weights=(hh.income_group == 0), minlength=ctx.zones.n)
    return np.where(n > 0, low / np.maximum(n, 1), ctx.zones.low_share_base)


@dataclass(frozen=True)
class CrimeParams:
    """Crime index drifting towards a target set by concentrated low incomes.

    target = crime_base x exp(concentration_coef x (low share - base low share))
    x programme factor; crime moves ``adjust_rate`` of the way each year.

    Attributes:
        concentration_coef: log change of the target per unit change of the zone's
            low-income share (assumption).
        adjust_rate: share of the gap closed per year.
    """

    concentration_coef: float = 2.0
    adjust_rate: float = 0.3


@REGISTRY.zone_dynamics("crime", params=CrimeParams)
def crime(ctx: StepContext, p: CrimeParams) -> ZoneUpdate:
    """New crime index per zone. Semantics: pure; no rng."""
    z = ctx.zones
    shift = low_income_share(ctx) - z.low_share_base
    target = z.crime_base * np.exp(p.concentration_coef * shift) * ctx.levers.crime_factor
    return ZoneUpdate(crime_index=z.crime_index + p.adjust_rate * (target - z.crime_index))


@dataclass(frozen=True)
class TrustParams:
    """Trust drifting towards the base level plus the programmes' increase.

    Attributes:
        adjust_rate: share of the gap closed per year.
    """

    adjust_rate: float = 0.5


@REGISTRY.zone_dynamics("trust", params=TrustParams)
def trust(ctx: StepContext, p: TrustParams) -> ZoneUpdate:
    """New trust per zone, within 0-1. Semantics: pure; no rng."""
    z = ctx.zones
    target = np.clip(ctx.assumptions.zones.trust + ctx.levers.trust_add, 0.0, 1.0)
    return ZoneUpdate(trust=np.clip(z.trust + p.adjust_rate * (target - z.trust), 0.0, 1.0))


@dataclass(frozen=True)
class ReputationParams:
    """Reputation drifting towards what a zone offers, plus brand campaigns.

    Attributes:
        adjust_rate: share of the gap closed per year (assumption: reputations move slowly).
    """

    adjust_rate: float = 0.15


@REGISTRY.zone_dynamics("reputation", params=ReputationParams)
def reputation(ctx: StepContext, p: ReputationParams) -> ZoneUpdate:
    """New reputation per zone (0-1). Semantics: pure; no rng."""
    z, d = ctx.zones, ctx.dwellings
    stock = d.stock.sum(axis=1)
    price = np.where(stock > 0, (d.price_index * d.stock).sum(axis=1) / np.maximum(stock, 1), 1.0)
    target = offer(z.amenities, z.crime_index, price, ctx.assumptions.zones.reputation_weights)
    target = np.clip(target + ctx.levers.reputation_add, 0.0, 1.0)
    return ZoneUpdate(reputation=z.reputation + p.adjust_rate * (target - z.reputation))


@dataclass(frozen=True)
class IncomeUpliftParams:
    """Employment programmes raise the incomes of reached low-income households.

    Attributes:
        effectiveness: share of the programme's income increase that materialises.
    """

    effectiveness: float = 1.0


@REGISTRY.zone_dynamics("income_uplift", params=IncomeUpliftParams)
def income_uplift(ctx: StepContext, p: IncomeUpliftParams) -> ZoneUpdate:
    """Income multipliers: reached low-income households in programme zones gain.

    Semantics: one uniform draw per household from ``ctx.rng``.
    """
    hh, lev = ctx.households, ctx.levers
    reach = lev.uplift_reach[hh.zone]
    reached = (hh.income_group == 0) & (ctx.rng.random(hh.n) < reach)
    factor = np.where(reached, 1.0 + p.effectiveness * lev.uplift_increase[hh.zone], 1.0)
    return ZoneUpdate(income_factor=factor)
