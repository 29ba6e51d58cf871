"""Hand-built fixtures for the core-model tests: tiny households, zones and contexts."""

from __future__ import annotations

import numpy as np

from fh_sim.config import AssumptionsConfig, SimConfig
from fh_sim.scenarios.levers import no_levers
from fh_sim.sim.state import Dwellings, Households, StepContext, Zones


def households(**cols) -> Households:
    """Households with sensible defaults; pass any column as a list."""
    n = len(next(iter(cols.values())))
    base = {
        "zone": [0] * n,
        "dwelling_type": [0] * n,
        "size": [2] * n,
        "age_head": [40] * n,
        "income_annual": [400_000.0] * n,
        "income_group": [1] * n,
        "workplace": [-1] * n,
        "years_at_address": [3] * n,
        "is_base_resident": [True] * n,
        "home_municipality": [0] * n,
    }
    base.update(cols)
    return Households.from_columns(**base)


def zones(n: int = 2, **cols) -> Zones:
    """Zones in one municipality (override any attribute)."""
    base = {
        "municipality": np.zeros(n, dtype=np.int32),
        "has_station": np.ones(n, dtype=bool),
        "amenities": np.full((n, 3), 0.5),
        "crime_base": np.ones(n),
        "crime_index": np.ones(n),
        "trust": np.full(n, 0.5),
        "reputation": np.full(n, 0.5),
        "jobs": np.full(n + 1, 100.0),
        "accessibility": np.full(n, 100.0),
        "land_capacity": np.full(n, 1000.0),
        "planned_per_year": np.zeros(n),
        "low_share_base": np.full(n, 0.3),
        "alt_constant": np.zeros((5, n, 3)),
        "job_balance": np.ones(n + 1),
    }
    base.update(cols)
    return Zones(**base)


def dwellings(stock, occupied=None, price=None) -> Dwellings:
    """Dwellings from [n_zones][3] lists."""
    stock = np.asarray(stock, dtype=np.int64)
    occ = np.zeros_like(stock) if occupied is None else np.asarray(occupied, dtype=np.int64)
    pr = np.ones(stock.shape) if price is None else np.asarray(price, dtype=float)
    return Dwellings(stock=stock, occupied=occ, price_index=pr, built=np.zeros(len(stock), int))


def context(hh: Households, *, n_zones: int = 2, seed: int = 0, **extra) -> StepContext:
    """A step context over ``hh`` with 2 zones + 1 external node by default."""
    z = extra.pop("zones", None) or zones(n_zones)
    d = extra.pop("dwellings", None) or dwellings([[100, 100, 100]] * z.n)
    minutes = extra.pop("minutes", None)
    if minutes is None:
        minutes = np.full((z.n + 1, z.n + 1), 30.0)
        np.fill_diagonal(minutes, 5.0)
    return StepContext(
        year=2020,
        households=hh,
        dwellings=d,
        zones=z,
        commute_minutes=minutes,
        levers=extra.pop("levers", None) or no_levers(z.n, 2020),
        assumptions=extra.pop("assumptions", None) or AssumptionsConfig(),
        rng=np.random.default_rng(seed),
        income_thresholds=extra.pop("income_thresholds", (300_000.0, 500_000.0)),
        **extra,
    )


def small_config(**kw) -> SimConfig:
    """A SimConfig with keyword overrides."""
    return SimConfig(**kw)
