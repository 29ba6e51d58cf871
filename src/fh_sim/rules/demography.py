"""Demography events: ageing, deaths, births, leaving home, separation, partnering.

Every rule is a function over whole columns that returns an :class:`Events`; the model
applies them in config order. Rates are per household and year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fh_sim.population.synthesis import draw_workplaces, income_group
from fh_sim.rules.registry import REGISTRY
from fh_sim.sim.state import Events, Households, StepContext
from fh_sim.types import FloatArray, IntArray


@dataclass(frozen=True)
class AgeingParams:
    """Ageing has no parameter: every head gets one year older each year."""


@REGISTRY.demography("ageing", params=AgeingParams)
def ageing(ctx: StepContext, p: AgeingParams) -> Events:
    """Add one year to every head's age and to every household's years at address.

    Semantics: pure; no rng.
    """
    return Events(age_add=1)


@dataclass(frozen=True)
class DeathsParams:
    """Gompertz mortality of adults, q(age) = a * exp(b * age), capped.

    Attributes:
        gompertz_a: level, 1/year (fit to SCB's 2019 life table: q(65) ~ 1 %, q(80) ~ 4 %).
        gompertz_b: slope, 1/year of age.
        max_q: cap on the yearly death probability.
        adults_at_risk: adults per household exposed at the head's age (children's
            mortality is neglected).
    """

    gompertz_a: float = 2.1e-5
    gompertz_b: float = 0.095
    max_q: float = 0.6
    adults_at_risk: int = 2


def death_probability(age: IntArray, p: DeathsParams) -> FloatArray:
    """Yearly death probability at ``age`` (years)."""
    return np.minimum(p.gompertz_a * np.exp(p.gompertz_b * age.astype(float)), p.max_q)


def by_age(func, age: IntArray) -> FloatArray:
    """``func(age)`` for integer ages, evaluated once per age present (a table) and looked up.

    Args:
        func: elementwise function of float ages, years.
        age: int ages, years.

    Returns:
        float[len(age)]: the same values as ``func(age.astype(float))``.
    """
    if age.size == 0:
        return np.zeros(0)
    lo, hi = int(age.min()), int(age.max())
    table = func(np.arange(lo, hi + 1, dtype=float))
    return table.take(age.astype(np.intp) - lo)


@REGISTRY.demography("deaths", params=DeathsParams)
def deaths(ctx: StepContext, p: DeathsParams) -> Events:
    """Deaths among the adults of each household at the head's age.

    Returns:
        Events with ``deaths``: int[n] persons who died (a household whose every member
        dies is dissolved by the model).
    Semantics: ``adults_at_risk`` uniform draws per household from ``ctx.rng``.
    """
    hh = ctx.households
    at_risk = np.minimum(hh.size, p.adults_at_risk)
    q = by_age(lambda age: death_probability(age, p), hh.age_head)
    deaths = np.zeros(hh.n, dtype=np.int64)
    for k in range(p.adults_at_risk):  # one Bernoulli per adult at risk
        deaths += (ctx.rng.random(hh.n) < q) & (at_risk > k)
    return Events(deaths=deaths)


@dataclass(frozen=True)
class BirthsParams:
    """Yearly probability that a household has a child, by the head's age.

    p(age) = peak * exp(-0.5 * ((age - peak_age) / width)^2), times ``single_factor``
    for one-person households. Defaults give about 11 births per 1,000 persons
    (SCB 2019: 11.1 per 1,000 in Sweden; TFR 1.7).

    Attributes:
        peak: probability at the peak age.
        peak_age: head age with the highest probability, years.
        width: spread, years.
        single_factor: factor for one-person households.
        max_size: households this large get no more births.
    """

    peak: float = 0.17
    peak_age: float = 32.0
    width: float = 5.5
    single_factor: float = 0.08
    max_size: int = 8


@REGISTRY.demography("births", params=BirthsParams)
def births(ctx: StepContext, p: BirthsParams) -> Events:
    """At most one birth per household and year.

    Semantics: one uniform draw per household from ``ctx.rng``.
    """
    hh = ctx.households
    prob = by_age(
        lambda age: p.peak * np.exp(-0.5 * ((age - p.peak_age) / p.width) ** 2), hh.age_head
    )
    prob = np.where(hh.size >= 2, prob, prob * p.single_factor)
    prob = np.where(hh.size >= p.max_size, 0.0, prob)
    return Events(births=(ctx.rng.random(hh.n) < prob).astype(np.int64))


@dataclass(frozen=True)
class LeavingHomeParams:
    """A young adult leaves a household with children and forms a new household.

    Attributes:
        prob: yearly probability for an eligible household (assumption, set so that
            new young households number about one birth cohort a year).
        min_head_age: youngest eligible head, years.
        max_head_age: oldest eligible head, years.
        min_size: smallest eligible household (persons).
        young_age_min: youngest age of the leaver, years.
        young_age_max: oldest age of the leaver, years.
        income_ratio: leaver's median income relative to the assumed median.
        income_sigma: standard deviation of the leaver's log income.
        employment_rate: share of leavers with a workplace.
    """

    prob: float = 0.14
    min_head_age: int = 42
    max_head_age: int = 64
    min_size: int = 3
    young_age_min: int = 19
    young_age_max: int = 25
    income_ratio: float = 0.5
    income_sigma: float = 0.45
    employment_rate: float = 0.6


def new_households(
    ctx: StepContext,
    *,
    origin: IntArray,
    age: IntArray,
    income: FloatArray,
    employment_rate: float,
    parents: IntArray,
) -> Households:
    """New one-person households split from ``parents`` (no dwelling yet)."""
    hh = ctx.households
    n = len(origin)
    employed = ctx.rng.random(n) < employment_rate
    work = (
        draw_workplaces(
            origin=origin,
            employed=employed,
            jobs=ctx.zones.jobs,
            minutes=ctx.commute_minutes,
            beta=ctx.assumptions.population.workplace_beta_per_min,
            rng=ctx.rng,
            balance=ctx.zones.job_balance,
        )
        if n
        else np.zeros(0, dtype=np.int32)
    )
    return Households.from_columns(
        zone=origin,
        dwelling_type=np.full(n, -1),
        size=np.ones(n),
        age_head=age,
        income_annual=income,
        income_group=income_group(income, ctx.income_thresholds),
        workplace=work,
        years_at_address=np.zeros(n),
        is_base_resident=hh.is_base_resident[parents],
        home_municipality=hh.home_municipality[parents],
    )


@REGISTRY.demography("leaving_home", params=LeavingHomeParams)
def leaving_home(ctx: StepContext, p: LeavingHomeParams) -> Events:
    """One young adult leaves each selected household and looks for a dwelling.

    Returns:
        Events with ``formed`` (one-person households in the parent's zone, without a
        dwelling) and ``formed_parent``.
    Semantics: uniform draws per household, then per leaver, from ``ctx.rng``.
    """
    hh = ctx.households
    ok = (hh.size >= p.min_size) & (hh.age_head >= p.min_head_age) & (hh.age_head <= p.max_head_age)
    parents = np.flatnonzero(ok & (ctx.rng.random(hh.n) < p.prob))
    n = parents.shape[0]
    age = ctx.rng.integers(p.young_age_min, p.young_age_max + 1, size=n)
    median = ctx.assumptions.population.income_median_sek * p.income_ratio
    income = median * np.exp(p.income_sigma * ctx.rng.standard_normal(n))
    formed = new_households(
        ctx,
        origin=hh.zone[parents],
        age=age,
        income=income,
        employment_rate=p.employment_rate,
        parents=parents,
    )
    return Events(formed=formed, formed_parent=parents, parent_income_loss=np.zeros(n))


@dataclass(frozen=True)
class SeparationParams:
    """A couple separates; one partner forms a new one-person household.

    Attributes:
        prob: yearly probability for an eligible household (assumption; about 1 % of
            couples a year, in line with Swedish divorce and separation rates).
        min_head_age: youngest eligible head, years.
        max_head_age: oldest eligible head, years.
        income_share: share of the household income the leaving partner takes.
        employment_rate: share of leavers with a workplace.
    """

    prob: float = 0.012
    min_head_age: int = 25
    max_head_age: int = 64
    income_share: float = 0.45
    employment_rate: float = 0.8


@REGISTRY.demography("separation", params=SeparationParams)
def separation(ctx: StepContext, p: SeparationParams) -> Events:
    """Split selected couples: the leaver takes ``income_share`` of the income.

    Semantics: uniform draws per household from ``ctx.rng``.
    """
    hh = ctx.households
    ok = (hh.size >= 2) & (hh.age_head >= p.min_head_age) & (hh.age_head <= p.max_head_age)
    parents = np.flatnonzero(ok & (ctx.rng.random(hh.n) < p.prob))
    income = hh.income_annual[parents] * p.income_share
    formed = new_households(
        ctx,
        origin=hh.zone[parents],
        age=hh.age_head[parents],
        income=income,
        employment_rate=p.employment_rate,
        parents=parents,
    )
    return Events(formed=formed, formed_parent=parents, parent_income_loss=income)


@dataclass(frozen=True)
class PartneringParams:
    """Two one-person households form a couple in the first one's dwelling.

    Attributes:
        prob: yearly probability that an eligible single enters a couple (assumption).
        min_age: youngest eligible head, years.
        max_age: oldest eligible head, years.
    """

    prob: float = 0.12
    min_age: int = 21
    max_age: int = 45


@REGISTRY.demography("partnering", params=PartneringParams)
def partnering(ctx: StepContext, p: PartneringParams) -> Events:
    """Pair selected singles at random; the second of each pair joins the first.

    Returns:
        Events with ``merge_from`` (dissolved households) and ``merge_into``.
    Semantics: uniform draws and a permutation from ``ctx.rng``.
    """
    hh = ctx.households
    ok = (hh.size == 1) & (hh.age_head >= p.min_age) & (hh.age_head <= p.max_age)
    chosen = np.flatnonzero(ok & (ctx.rng.random(hh.n) < p.prob))
    chosen = ctx.rng.permutation(chosen)
    half = chosen.shape[0] // 2
    return Events(merge_into=chosen[:half], merge_from=chosen[half : 2 * half])


@dataclass(frozen=True)
class LabourMarketParams:
    """Retirement, job loss, job entry and job change of household heads.

    Without it a head keeps the workplace drawn at the start for ever: past 65, and after
    any number of moves, so commutes lengthen as households move. A new or changed
    workplace is drawn by the same gravity rule as the base population's, from the
    household's current zone.

    Attributes:
        retire_age: age from which a working head may retire, years.
        retire_prob: yearly probability that a working head at or above ``retire_age``
            retires (assumption: Swedes leave work at about 64-66; a minority of
            65-74-year-olds works).
        job_loss: yearly probability that a working head under ``retire_age`` stops
            working (assumption).
        job_entry: yearly probability that a head under ``retire_age`` without a
            workplace finds one (assumption; with ``job_loss`` the stationary
            employment rate is entry / (entry + loss) = 0.78, the base population's).
        job_change: yearly probability that a working head under ``retire_age`` changes
            workplace (assumption near Swedish job-to-job mobility, about 10 % a year).
    """

    retire_age: int = 65
    retire_prob: float = 0.5
    job_loss: float = 0.028
    job_entry: float = 0.1
    job_change: float = 0.1


@REGISTRY.demography("labour_market", params=LabourMarketParams)
def labour_market(ctx: StepContext, p: LabourMarketParams) -> Events:
    """New workplace column: retirements, job losses, new jobs and job changes.

    Returns:
        Events with ``workplace`` (int[n] node index, -1 none).
    Semantics: one uniform draw per household, then gravity draws for the households
    that get a new workplace, from ``ctx.rng``.
    """
    hh = ctx.households
    works = hh.workplace >= 0
    active_age = hh.age_head < p.retire_age
    u = ctx.rng.random(hh.n)
    stop = works & np.where(active_age, u < p.job_loss, u < p.retire_prob)
    new = active_age & np.where(
        works, (u >= p.job_loss) & (u < p.job_loss + p.job_change), u < p.job_entry
    )
    new &= hh.zone >= 0
    workplace = np.where(stop, -1, hh.workplace).astype(np.int32)
    rows = np.flatnonzero(new)
    if rows.size:
        workplace[rows] = draw_workplaces(
            origin=hh.zone[rows].astype(np.int64),
            employed=np.ones(rows.size, dtype=bool),
            jobs=ctx.zones.jobs,
            minutes=ctx.commute_minutes,
            beta=ctx.assumptions.population.workplace_beta_per_min,
            rng=ctx.rng,
            balance=ctx.zones.job_balance,
        )
    return Events(workplace=workplace)
