"""Migration across the region's border: out-migration hazards and the in-migrant pool."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fh_sim.population.synthesis import draw_workplaces, income_group
from fh_sim.rules.registry import REGISTRY
from fh_sim.sim.state import N_TYPES, Households, Migration, StepContext, by_age_band
from fh_sim.types import FloatArray


def housing_burden(ctx: StepContext, hh: Households) -> FloatArray:
    """Yearly housing cost over income for housed households (0 where unhoused).

    A household holding an affordable tenancy pays ``affordable_rent_factor`` of its
    zone's rent.
    """
    h = ctx.assumptions.housing
    cost = np.asarray(h.annual_cost_sek, dtype=float)
    # cost per (zone, type), padded in front with zeros for zone or type -1 (unhoused)
    table = np.zeros((ctx.dwellings.price_index.shape[0] + 1, N_TYPES + 1))
    table[1:, 1:] = ctx.dwellings.price_index * cost[None, :]
    at = hh.zone.astype(np.int64)
    at += 1
    at *= N_TYPES + 1
    at += hh.dwelling_type
    at += 1
    burden = table.reshape(-1).take(at) / np.maximum(hh.income_annual, 1.0)
    if hh.affordable_tenant.any():
        burden[hh.affordable_tenant] *= h.affordable_rent_factor
    return burden


@dataclass(frozen=True)
class OutMigrationParams:
    """Yearly hazard that a household leaves the region, by the head's age.

    Attributes:
        age_edges: upper edges of the age bands, years (last band open).
        hazard: hazard per band (assumption shaped on SCB migration by age; about 4 %
            of households a year, the level of the region's border out-migration).
        cost_threshold: housing cost over income above which households are priced out.
        cost_coef: extra hazard per unit of burden above the threshold (those leavers
            are counted as displaced).
    """

    age_edges: tuple[float, ...] = (25.0, 30.0, 40.0, 65.0)
    hazard: tuple[float, ...] = (0.10, 0.085, 0.05, 0.022, 0.010)
    cost_threshold: float = 0.45
    cost_coef: float = 0.15


def age_hazard(hh: Households, p: OutMigrationParams) -> FloatArray:
    """float[n] the age part of each household's yearly out-migration hazard."""
    return by_age_band(p.hazard, p.age_edges, hh.age_head)


@REGISTRY.migration("out_migration", params=OutMigrationParams)
def out_migration(ctx: StepContext, p: OutMigrationParams) -> Migration:
    """Households leave with an age hazard plus a housing-cost hazard.

    A leaver is displaced when its uniform draw falls in the cost part of its hazard.
    Semantics: one uniform draw per household from ``ctx.rng``.
    """
    hh = ctx.households
    base = age_hazard(hh, p)
    extra = p.cost_coef * np.maximum(housing_burden(ctx, hh) - p.cost_threshold, 0.0)
    u = ctx.rng.random(hh.n)
    leave = u < base + extra
    return Migration(leave=leave, displaced=leave & (u >= base))


@dataclass(frozen=True)
class InMigrationParams:
    """The pool of households that try to move into the region each year.

    Pool size = rate x resident households x attractiveness, where attractiveness =
    (accessibility ratio)^acc_elasticity x exp(rep_coef x reputation change)
    x (price ratio)^price_elasticity, all relative to the base year.

    Attributes:
        rate: in-migrating households per resident household (assumption, tuned so
            that in-migrants number about 4 % of the population a year and the region
            grows about 0.6 % a year, between Region Skåne's 2024 forecast and the 2010s).
        acc_elasticity: elasticity to the region's mean accessibility.
        rep_coef: response to the change of the region's mean reputation (0-1 scale).
        price_elasticity: elasticity to the region's mean price index.
        age_edges: edges of the head-age bands of in-migrants, years.
        age_shares: shares of heads per band (assumption: in-migrants are young).
        size_shares: shares of sizes 1..4 persons.
        income_ratio: in-migrants' median income relative to the assumed median.
        income_sigma: standard deviation of log income.
        employment_rate: share with a workplace on arrival.
    """

    rate: float = 0.048
    acc_elasticity: float = 0.5
    rep_coef: float = 2.0
    price_elasticity: float = -0.5
    age_edges: tuple[float, ...] = (20.0, 25.0, 30.0, 40.0, 55.0, 70.0, 85.0)
    age_shares: tuple[float, ...] = (0.22, 0.25, 0.27, 0.14, 0.08, 0.04)
    size_shares: tuple[float, ...] = (0.45, 0.25, 0.14, 0.16)
    income_ratio: float = 0.9
    income_sigma: float = 0.55
    employment_rate: float = 0.7


def attractiveness(ctx: StepContext, p: InMigrationParams) -> float:
    """The pool's multiplier from the region's indicators relative to the base year."""
    ra = ctx.region_attractiveness
    acc = max(ra.get("accessibility", 1.0), 1e-6)
    price = max(ra.get("price", 1.0), 1e-6)
    return float(
        acc**p.acc_elasticity
        * np.exp(p.rep_coef * ra.get("reputation", 0.0))
        * price**p.price_elasticity
    )


@REGISTRY.migration("in_migration", params=InMigrationParams)
def in_migration(ctx: StepContext, p: InMigrationParams) -> Migration:
    """Draw the year's in-migrant households (without a dwelling yet).

    In-migrants come for jobs in the region: a workplace is drawn by the base
    population's gravity rule from a zone drawn in proportion to its jobs (so most work
    in the job centres, a few commute on to jobs outside the region, external jobs
    weighted by the assumption ``zones.external_job_weight``).
    Semantics: Poisson pool size and attribute draws from ``ctx.rng``.
    """
    rng = ctx.rng
    n = int(rng.poisson(p.rate * ctx.households.n * attractiveness(ctx, p)))
    edges = np.asarray(p.age_edges, dtype=float)
    band = rng.choice(len(p.age_shares), size=n, p=np.asarray(p.age_shares) / sum(p.age_shares))
    age = np.floor(edges[band] + rng.random(n) * (edges[band + 1] - edges[band]))
    size = 1 + rng.choice(
        len(p.size_shares), size=n, p=np.asarray(p.size_shares) / sum(p.size_shares)
    )
    size = np.where(age < 25, np.minimum(size, 2), size)
    pa = ctx.assumptions.population
    income = (
        pa.income_median_sek
        * p.income_ratio
        * (size / 2.0) ** pa.income_size_elasticity
        * np.exp(p.income_sigma * rng.standard_normal(n))
    )
    nz = ctx.zones.n
    jobs = ctx.zones.jobs.copy()
    jobs[nz:] *= ctx.assumptions.zones.external_job_weight
    cdf = np.cumsum(jobs[:nz]) / jobs[:nz].sum()
    arrive = np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), nz - 1)
    work = draw_workplaces(
        origin=arrive,
        employed=np.ones(n, dtype=bool),
        jobs=jobs,
        minutes=ctx.commute_minutes,
        beta=ctx.assumptions.population.workplace_beta_per_min,
        rng=rng,
        balance=ctx.zones.job_balance,
    )
    employed = (age < 65) & (rng.random(n) < p.employment_rate)
    arrivals = Households.from_columns(
        zone=np.full(n, -1),
        dwelling_type=np.full(n, -1),
        size=size,
        age_head=age,
        income_annual=income,
        income_group=income_group(income, ctx.income_thresholds),
        workplace=np.where(employed, work, -1),
        years_at_address=np.zeros(n),
        is_base_resident=np.zeros(n, dtype=bool),
        home_municipality=np.full(n, -1),
    )
    return Migration(arrivals=arrivals)
