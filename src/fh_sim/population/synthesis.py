"""The base population at the end of 2019: households, dwellings and zone state.

Persons sum exactly to each zone's ``population_2019`` at scale 1.0 (at smaller scales
to ``round(population * scale)``, at least one person in every populated zone).
Loops run over zones, never over households.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from fh_sim.config.assumptions import AssumptionsConfig
from fh_sim.errors import ConfigError
from fh_sim.region.network import node_jobs
from fh_sim.region.region import Region
from fh_sim.sim.state import N_TYPES, Dwellings, Households, Zones
from fh_sim.types import FloatArray, IntArray

log = logging.getLogger(__name__)

STOCK_COLUMNS = ("dwellings_rental", "dwellings_tenant_owned", "dwellings_house")
AMENITY_COLUMNS = ("amenity_coast", "amenity_nature", "amenity_services")


def zone_persons(population: pd.Series, scale: float) -> IntArray:
    """Persons to synthesise per zone.

    Args:
        population: persons per zone at the end of the base year.
        scale: fraction simulated (0, 1].

    Returns:
        int[n_zones]; exact at scale 1, else rounded with at least 1 where populated.

    Raises:
        ConfigError: ``scale`` leaves less than one person per populated zone.
    """
    pop = population.to_numpy(dtype=np.int64)
    if scale == 1.0:
        return pop
    populated = int((pop > 0).sum())
    if pop.sum() * scale < populated:
        raise ConfigError(
            f"{scale:g} x {int(pop.sum()):,} persons is less than one person per populated "
            f"zone ({populated} zones): the scaled population would be empty; use scale >= "
            f"{populated / pop.sum():.2g}",
            key="scale",
        )
    return np.where(pop > 0, np.maximum(1, np.rint(pop * scale)), 0).astype(np.int64)


def household_sizes(
    persons: IntArray, shares: list[float], rng: np.random.Generator
) -> tuple[IntArray, IntArray]:
    """Draw household sizes per zone that sum exactly to ``persons``.

    Args:
        persons: int[n_zones] persons per zone.
        shares: shares of household sizes 1..len(shares).
        rng: the run's generator.

    Returns:
        (sizes, zone): int arrays, one row per household, zones in order.
    """
    sizes_all, zones_all = [], []
    p = np.asarray(shares, dtype=float)
    mean = float((np.arange(1, len(p) + 1) * p).sum())
    for z, total in enumerate(persons):
        if total <= 0:
            continue
        draw = rng.choice(np.arange(1, len(p) + 1), size=int(total / mean * 1.3) + 8, p=p)
        csum = np.cumsum(draw)
        while csum[-1] < total:  # rare: extend the draw
            draw = np.concatenate([draw, rng.choice(np.arange(1, len(p) + 1), size=8, p=p)])
            csum = np.cumsum(draw)
        k = int(np.searchsorted(csum, total))  # first index with csum >= total
        sizes = draw[: k + 1].copy()
        sizes[k] = total - (csum[k - 1] if k > 0 else 0)
        sizes_all.append(sizes)
        zones_all.append(np.full(k + 1, z))
    return np.concatenate(sizes_all), np.concatenate(zones_all)


AGE_PROFILE_REACH = 0.3  # share of heads redrawn at profile +-1 (assumed, rule A1)
YOUNG_HEADS, OLD_HEADS = (20, 30), (65, 85)  # years: redraw ranges of the profiles


def _head_ages(
    size: IntArray,
    a: AssumptionsConfig,
    rng: np.random.Generator,
    profile: FloatArray | None = None,
) -> IntArray:
    """Head ages; ``profile`` p (-1..1) redraws 0.3 |p| of the small households' heads.

    One- and two-person households only: in 20-29 (p > 0) or 65-84 (p < 0).
    """
    n = len(size)
    edges = np.asarray(a.population.age_band_edges, dtype=float)
    probs = np.asarray(a.population.head_age_by_size, dtype=float)
    cls = np.minimum(size, 3) - 1
    cdf = np.cumsum(probs, axis=1)
    band = (rng.random(n)[:, None] > cdf[cls]).sum(axis=1)
    band = np.minimum(band, len(edges) - 2)
    lo, hi = edges[band], edges[band + 1]
    age = np.floor(lo + rng.random(n) * (hi - lo))
    if profile is not None and np.any(profile != 0):
        u, v = rng.random(n), rng.random(n)
        redraw = u < AGE_PROFILE_REACH * np.abs(profile)
        young = np.floor(YOUNG_HEADS[0] + v * (YOUNG_HEADS[1] - YOUNG_HEADS[0]))
        old = np.floor(OLD_HEADS[0] + v * (OLD_HEADS[1] - OLD_HEADS[0]))
        redraw &= size <= 2  # a redrawn head keeps a household size that fits the age
        age = np.where(redraw, np.where(profile > 0, young, old), age)
    return age.astype(np.int16)


def _zone_attribute(zdf: pd.DataFrame, name: str, default: float) -> FloatArray:
    """A zone attribute as floats, or ``default`` where the region has none."""
    return zdf[name].to_numpy(float) if name in zdf else np.full(len(zdf), default)


def incomes(
    *,
    size: IntArray,
    age: IntArray,
    zone_price: FloatArray,
    a: AssumptionsConfig,
    rng: np.random.Generator,
    zone_income: FloatArray | None = None,
) -> FloatArray:
    """Disposable household income, SEK/year, lognormal around the assumed median.

    Args:
        size: persons per household.
        age: age of the head, years.
        zone_price: price index of each household's zone (1 = regional mean).
        a: assumptions.
        rng: the run's generator.
        zone_income: income level of each household's zone relative to its
            municipality's mean (``income_index``; None = 1).
    """
    pa = a.population
    level = np.zeros(size.shape[0]) if zone_income is None else np.log(zone_income)
    log_inc = (
        np.log(pa.income_median_sek)
        + level
        + pa.income_price_elasticity * np.log(np.maximum(zone_price, 0.05))
        + pa.income_size_elasticity * np.log(size / 2.0)
        - 0.35 * (age < 25)
        - 0.25 * (age >= 65)
        + pa.income_sigma * rng.standard_normal(size.shape[0])
    )
    return np.exp(log_inc)


def income_group(income: FloatArray, thresholds: tuple[float, float]) -> IntArray:
    """0 low, 1 mid, 2 high by the fixed real-income thresholds (SEK/year)."""
    lo, hi = sorted(float(t) for t in thresholds)
    return ((income >= lo).astype(np.int8) + (income >= hi)).astype(np.int8)


def draw_workplaces(
    *,
    origin: IntArray,
    employed: np.ndarray,
    jobs: FloatArray,
    minutes: FloatArray,
    beta: float,
    rng: np.random.Generator,
    balance: FloatArray | None = None,
) -> IntArray:
    """Workplace node per household by a gravity rule (jobs x balance x exp(-beta x cost)).

    Args:
        origin: node index each household lives in (or draws from).
        employed: bool mask of households with a workplace.
        jobs: float[n_nodes] jobs per node.
        minutes: float[n_nodes, n_nodes] generalised cost, minutes.
        beta: decay, 1/minute.
        rng: the run's generator.
        balance: float[n_nodes] balancing factor of each node's jobs (None: 1,
            :mod:`fh_sim.population.job_balance`).

    Returns:
        int[n] node index, -1 where not employed.
    """
    n_zones_used = int(origin.max()) + 1 if origin.size else 0
    pull = jobs if balance is None else jobs * balance
    weight = pull[None, :] * np.exp(-beta * minutes[:n_zones_used])
    weight[~np.isfinite(weight)] = 0.0
    cdf = np.cumsum(weight, axis=1)
    cdf /= np.where(cdf[:, -1:] > 0, cdf[:, -1:], 1.0)
    u = rng.random(len(origin))
    out = np.full(origin.shape[0], -1, dtype=np.int32)
    order = np.argsort(origin, kind="stable")
    bounds = np.searchsorted(origin[order], np.arange(n_zones_used + 1))
    for z in range(n_zones_used):
        rows = order[bounds[z] : bounds[z + 1]]
        out[rows] = np.minimum(np.searchsorted(cdf[z], u[rows], side="right"), len(jobs) - 1)
    out[~employed] = -1
    return out


def assign_dwelling_types(
    *,
    zone: IntArray,
    size: IntArray,
    age: IntArray,
    income: FloatArray,
    quotas: IntArray,
    rng: np.random.Generator,
) -> IntArray:
    """Fill each zone's occupied quotas: larger, older, richer households get houses first.

    Args:
        zone: zone per household.
        size: persons per household.
        age: age of the head, years.
        income: disposable income, SEK/year.
        quotas: int[n_zones, 3] households per (zone, type); rows sum to the zone's count.
        rng: the run's generator.

    Returns:
        int8[n] dwelling type.
    """
    rel_inc = np.log(income / np.median(income))
    score = (
        0.8 * np.minimum(size, 4)
        + 0.8 * rel_inc
        + 0.6 * ((age >= 35) & (age < 80))
        + rng.gumbel(size=zone.shape[0])
    )
    order = np.lexsort((-score, zone))
    starts = np.searchsorted(zone[order], np.arange(quotas.shape[0]))
    rank = np.empty(zone.shape[0], dtype=np.int64)
    rank[order] = np.arange(zone.shape[0]) - starts[zone[order]]
    n_house = quotas[zone, 2]
    n_owned = quotas[zone, 1]
    dtype = np.where(rank < n_house, 2, 0)
    # among the rest, richer households get the tenant-owned flats
    rest = dtype == 0
    score2 = 1.2 * rel_inc + 0.02 * (age - 40) + rng.gumbel(size=zone.shape[0])
    score2[~rest] = np.inf
    order2 = np.lexsort((-score2, zone))
    rank2 = np.empty(zone.shape[0], dtype=np.int64)
    rank2[order2] = np.arange(zone.shape[0]) - starts[zone[order2]]
    # non-rest rows sort first (score inf -> -inf in -score); offset them out
    rank2 -= n_house
    dtype = np.where(rest & (rank2 < n_owned), 1, dtype)
    return dtype.astype(np.int8)


def stock_and_quotas(
    zones: pd.DataFrame, n_households: IntArray, vacancy: float, scale: float
) -> tuple[IntArray, IntArray]:
    """Dwelling stock and occupied quotas per (zone, type).

    The stock is the data's dwelling counts (``dwellings_rental``,
    ``dwellings_tenant_owned``, ``dwellings_house``) times ``scale``. The synthesised
    households fill it in the data's tenure mix; where the data hold fewer dwellings of
    a type than those households need at the assumed minimum vacancy ``vacancy``, the
    stock of that type is raised to that need (the data's counts and the synthesised
    households are not from one source); a warning when the data hold fewer dwellings
    than there are households.

    Returns:
        (stock, quotas): int[n_zones, 3] each; quotas rows sum to ``n_households``.
    """
    raw = zones[list(STOCK_COLUMNS)].to_numpy(dtype=float)
    tot = raw.sum(axis=1, keepdims=True)
    mix = np.where(tot > 0, raw / np.where(tot > 0, tot, 1.0), 1.0 / N_TYPES)
    exact = mix * n_households[:, None]
    quotas = np.floor(exact).astype(np.int64)
    short = n_households - quotas.sum(axis=1)
    frac_order = np.argsort(-(exact - quotas), axis=1)
    for k in range(N_TYPES):  # give the remainder to the largest fractions
        add = (short > k).astype(np.int64)
        np.add.at(quotas, (np.arange(len(quotas)), frac_order[:, k]), add)
    need = np.maximum(np.ceil(quotas / (1.0 - vacancy)), quotas).astype(np.int64)
    need = np.where((need == quotas) & (quotas > 0) & (vacancy > 0), need + 1, need)
    data = np.rint(raw * scale).astype(np.int64)
    stock = np.maximum(data, need)
    added = int(stock.sum() - data.sum())
    for z in np.flatnonzero(stock.sum(axis=1) > data.sum(axis=1)):
        log.debug(
            "zone %s: data %d dwellings (x scale), stock raised to %d",
            zones.index[z],
            int(data[z].sum()),
            int(stock[z].sum()),
        )
    if data.sum() < n_households.sum():
        log.warning(
            "the data's dwellings (x scale, %d) are short of the synthesised households "
            "(%d) at the assumed minimum vacancy %g: %d dwellings added",
            int(data.sum()),
            int(n_households.sum()),
            vacancy,
            added,
        )
    return stock, quotas


def synthesise(
    *,
    region: Region,
    minutes: FloatArray,
    assumptions: AssumptionsConfig,
    scale: float,
    rng: np.random.Generator,
) -> tuple[Households, Dwellings, Zones, tuple[float, float]]:
    """Build the end-of-base-year state.

    Args:
        region: the loaded region.
        minutes: float[n_nodes, n_nodes] base-year generalised cost, minutes.
        assumptions: population, housing and zone assumptions.
        scale: fraction of real households simulated.
        rng: the run's generator.

    Returns:
        (households, dwellings, zones, income thresholds in SEK/year).
    """
    a = assumptions
    zdf = region.zones
    persons = zone_persons(zdf["population_2019"], scale)
    size, zone = household_sizes(persons, a.population.size_shares, rng)
    profile = _zone_attribute(zdf, "age_profile", 0.0)
    age = _head_ages(size, a, rng, profile[zone])
    zone_price = zdf["price_index"].to_numpy(dtype=float)
    zone_income = _zone_attribute(zdf, "income_index", 1.0)
    income = incomes(
        size=size,
        age=age,
        zone_price=zone_price[zone],
        a=a,
        rng=rng,
        zone_income=zone_income[zone],
    )
    n_hh = np.bincount(zone, minlength=len(zdf))
    stock, quotas = stock_and_quotas(zdf, n_hh, a.population.initial_vacancy, scale)
    dtype = assign_dwelling_types(
        zone=zone, size=size, age=age, income=income, quotas=quotas, rng=rng
    )
    shift = np.asarray(a.population.income_tenure_shift, dtype=float)
    if shift.any():
        income = income * np.exp(shift.take(dtype))
    thresholds = (
        float(np.quantile(income, a.population.low_income_quantile)),
        float(np.quantile(income, a.population.high_income_quantile)),
    )
    jobs = node_jobs(region)
    employed = (age < 65) & (rng.random(size.shape[0]) < a.population.employment_rate)
    workplace = draw_workplaces(
        origin=zone,
        employed=employed,
        jobs=jobs,
        minutes=minutes,
        beta=a.population.workplace_beta_per_min,
        rng=rng,
    )
    muni_index = {m: i for i, m in enumerate(region.municipalities.index)}
    zone_muni = zdf["municipality"].map(muni_index).to_numpy(dtype=np.int32)
    households = Households.from_columns(
        zone=zone,
        dwelling_type=dtype,
        size=size,
        age_head=age,
        income_annual=income,
        income_group=income_group(income, thresholds),
        workplace=workplace,
        years_at_address=np.minimum(rng.geometric(0.12, size.shape[0]) - 1, age - 18),
        is_base_resident=np.ones(size.shape[0], dtype=bool),
        home_municipality=zone_muni[zone],
    )
    occupied = np.bincount(
        zone.astype(np.int64) * N_TYPES + dtype, minlength=len(zdf) * N_TYPES
    ).reshape(-1, N_TYPES)
    dwellings = Dwellings(
        stock=stock,
        occupied=occupied,
        price_index=np.repeat(zone_price[:, None], N_TYPES, axis=1).astype(float),
        built=np.zeros(len(zdf), dtype=np.int64),
    )
    zones = initial_zones(region, a, scale, jobs)
    low = np.bincount(zone, weights=(households.income_group == 0), minlength=len(zdf))
    zones.low_share_base = low / np.maximum(n_hh, 1)
    log.debug("base population: %d households, %d persons", households.n, households.persons())
    return households, dwellings, zones, thresholds


def initial_zones(region: Region, a: AssumptionsConfig, scale: float, jobs: FloatArray) -> Zones:
    """Zone state at the end of the base year (reputation from what the zone offers)."""
    zdf = region.zones
    muni_index = {m: i for i, m in enumerate(region.municipalities.index)}
    amen = zdf[list(AMENITY_COLUMNS)].to_numpy(dtype=float)
    crime = zdf["crime_index"].to_numpy(dtype=float)
    price = zdf["price_index"].to_numpy(dtype=float)
    return Zones(
        municipality=zdf["municipality"].map(muni_index).to_numpy(dtype=np.int32),
        has_station=zdf["has_station"].to_numpy(dtype=bool),
        amenities=amen,
        crime_base=crime.copy(),
        crime_index=crime.copy(),
        trust=np.full(len(zdf), a.zones.trust),
        reputation=offer(amen, crime, price, a.zones.reputation_weights),
        jobs=jobs,
        accessibility=np.zeros(len(zdf)),
        land_capacity=zdf["land_capacity_dwellings"].to_numpy(dtype=float) * scale,
        planned_per_year=zdf["planned_dwellings_per_year"].to_numpy(dtype=float) * scale,
        low_share_base=np.zeros(len(zdf)),
        alt_constant=np.zeros((5, len(zdf), N_TYPES)),
        job_balance=np.ones(jobs.shape[0]),
    )


def offer(
    amenities: FloatArray, crime: FloatArray, price: FloatArray, weights: list[float]
) -> FloatArray:
    """What a zone offers on a 0-1 scale: weighted amenities, safety and price level.

    Safety is ``2 / (1 + crime) - 0.5`` clipped to 0-1 (0.5 at the regional mean crime
    index 1); the price level stands for demand revealed by the market
    (``price / (1 + price)``).
    """
    w = np.asarray(weights, dtype=float)
    safety = 2.0 / (1.0 + np.maximum(crime, 0.0)) - 1.0 + 0.5  # crime 1 -> 0.5
    safety = np.clip(safety, 0.0, 1.0)
    demand = price / (1.0 + price)
    cols = np.column_stack([amenities, safety, demand])
    return np.clip(cols @ w, 0.0, 1.0)
