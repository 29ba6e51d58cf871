"""Location-choice utility terms over (seeker, zone x dwelling type) pairs.

Every term is ``coefficient(segment) x attribute(pair)``; the coefficient of a seeker's
segment is ``coef x life_stage_factor[stage] x income_factor[group]`` (stages: young,
adult, family, senior; groups: low, mid, high). All coefficients are assumptions until
calibrated (docs/assumptions.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fh_sim.rules.affordability import expected_rent_factor
from fh_sim.rules.registry import REGISTRY
from fh_sim.rules.term_tables import (
    gather_segment_table,
    seekers_of,
    segment_alternative_table,
    shared_table,
    zone_term,
)
from fh_sim.sim.state import N_TYPES, Pairs, StepContext
from fh_sim.types import FloatArray, IntArray


@dataclass(frozen=True)
class TermParams:
    """Coefficient of a utility term per household segment.

    Attributes:
        coef: utility per unit of the term's attribute.
        life_stage_factor: factors for young, adult, family, senior.
        income_factor: factors for low, mid, high income.
    """

    coef: float = 1.0
    life_stage_factor: tuple[float, ...] = (1.0, 1.0, 1.0, 1.0)
    income_factor: tuple[float, ...] = (1.0, 1.0, 1.0)

    def __post_init__(self) -> None:
        if len(self.life_stage_factor) != 4 or len(self.income_factor) != 3:
            raise ValueError("life_stage_factor needs 4 values and income_factor 3")


def segment_table(p: TermParams) -> FloatArray:
    """float[N_SEGMENTS] the term's coefficient per segment (stage x 3 + income group)."""
    return p.coef * np.outer(p.life_stage_factor, p.income_factor).reshape(-1)


def segment_coef(pairs: Pairs, p: TermParams) -> FloatArray:
    """float[n_pairs] the term's coefficient for each pair's seeker segment.

    (Inside a term, ``pairs.of_segment(segment_table(p))`` gives the same without
    forming one value per pair on full sets.)
    """
    return pairs.flat(pairs.of_segment(segment_table(p)))


def by_segment_and_alternative(pairs: Pairs, p: TermParams, value: FloatArray) -> FloatArray:
    """float[n_pairs] ``segment_coef(pairs, p) x value[segment, alternative]``.

    The products are formed once per [segment, alternative] (a few thousand) and read
    per pair with one gather (:meth:`fh_sim.sim.state.Pairs.lookup`).

    Args:
        pairs: candidate pairs.
        p: the term's coefficients.
        value: float[n_segments, n_alternatives] the attribute, or float[n_alternatives]
            when it does not depend on the segment.
    """
    return gather_segment_table(pairs, segment_alternative_table(p, value))


def _per_alternative(per_zone: FloatArray) -> FloatArray:
    """float[n_zones x N_TYPES] a zone's value for each of its (zone, type) cells."""
    return np.repeat(np.asarray(per_zone, dtype=float), N_TYPES)


@dataclass(frozen=True)
class CommuteTermParams(TermParams):
    """Utility per hour of one-way generalised commute (workers only)."""

    coef: float = -3.6
    income_factor: tuple[float, ...] = (1.2, 1.0, 0.8)


@REGISTRY.utility("commute", params=CommuteTermParams)
def commute(ctx: StepContext, pairs: Pairs, p: CommuteTermParams) -> FloatArray:
    """``coef x minutes(zone -> workplace) / 60``; 0 for seekers without a workplace.

    Semantics: pure; no rng.
    """
    seekers = seekers_of(ctx)
    n_nodes = ctx.commute_minutes.shape[1]
    keyed = shared_table(pairs, ("commute", id(p)), lambda: _commute_table(ctx, p))
    work = np.maximum(seekers.workplace.astype(np.int64) + 1, 0)
    seg = seekers.segment().astype(np.int64)  # int8: widen before the product
    return pairs.flat(pairs.lookup(keyed, seg * (n_nodes + 1) + work))


def _commute_table(ctx: StepContext, p: CommuteTermParams) -> FloatArray:
    """float[segment x (workplace + 1), alternative] the commute term (row 0: none)."""
    n_zones, n_nodes = ctx.zones.n, ctx.commute_minutes.shape[1]
    # hours from each alternative's zone to each node, row 0 for "no workplace" (0)
    table = np.zeros((n_nodes + 1, n_zones))
    table[1:] = ctx.commute_minutes[:n_zones].T / 60.0
    hours = np.repeat(table, N_TYPES, axis=1)  # [workplace + 1, alternative]
    coef = segment_table(p)
    # one table per (segment, workplace): one read per pair
    keyed: FloatArray = (coef[:, None, None] * hours[None, :, :]).reshape(-1, hours.shape[1])
    return keyed


@dataclass(frozen=True)
class HousingCostTermParams(TermParams):
    """Utility per unit of housing cost over income."""

    coef: float = -5.0
    income_factor: tuple[float, ...] = (1.4, 1.0, 0.7)


@REGISTRY.utility("housing_cost", params=HousingCostTermParams)
def housing_cost(ctx: StepContext, pairs: Pairs, p: HousingCostTermParams) -> FloatArray:
    """``coef x annual cost(zone, type) / income``.

    Where a zone has free affordable tenancies, an eligible seeker's rent of a rental
    flat there is the expected rent
    (:func:`fh_sim.rules.affordability.expected_rent_factor`).

    Semantics: pure; no rng.
    """
    cost = np.asarray(ctx.assumptions.housing.annual_cost_sek, dtype=float)
    per_alternative = (cost[None, :] * ctx.dwellings.price_index).reshape(-1)
    annual = pairs.of_alternative(per_alternative)
    income = pairs.of_seeker(np.maximum(seekers_of(ctx).income_annual, 1.0))
    factor = expected_rent_factor(ctx, pairs, income)
    if factor is not None:
        annual = annual * factor
    return pairs.flat(pairs.of_segment(segment_table(p)) / income * annual)


@dataclass(frozen=True)
class DwellingFitParams(TermParams):
    """How well a dwelling type fits the life stage, and a crowding penalty.

    Attributes:
        fit: 4 x 3 table, row-major (young, adult, family, senior) x (rental,
            tenant-owned, house): utility of each type for each stage.
        crowding_coef: utility per person above the type's capacity.
    """

    fit: tuple[float, ...] = (
        0.8, 0.3, -0.8,
        0.2, 0.4, 0.1,
        -0.6, -0.1, 0.9,
        0.1, 0.5, -0.2,
    )  # fmt: skip
    crowding_coef: float = -0.5


@REGISTRY.utility("dwelling_fit", params=DwellingFitParams)
def dwelling_fit(ctx: StepContext, pairs: Pairs, p: DwellingFitParams) -> FloatArray:
    """``coef x (fit[stage, type] + crowding_coef x persons over capacity)``.

    Semantics: pure; no rng.
    """
    table = np.asarray(p.fit, dtype=float).reshape(4, N_TYPES)
    cap = np.asarray(ctx.assumptions.housing.persons_capacity, dtype=float)
    seekers = seekers_of(ctx)
    size = seekers.size.astype(np.int64)
    if type(pairs) is Pairs:
        over = np.maximum(size.take(pairs.seeker) - cap.take(pairs.dwelling_type), 0.0)
        fit = table.reshape(-1).take(pairs.life_stage * N_TYPES + pairs.dwelling_type)
        return segment_coef(pairs, p) * (fit + p.crowding_coef * over)
    # one table per (segment, household size): one read per pair
    n_sizes = int(size.max(initial=0)) + 1
    keyed = shared_table(
        pairs, ("dwelling_fit", id(p), n_sizes), lambda: _fit_table(ctx, p, table, cap, n_sizes)
    )
    seg = seekers.segment().astype(np.int64)  # int8: widen before the product
    return pairs.flat(pairs.lookup(keyed, seg * n_sizes + size))


def _fit_table(
    ctx: StepContext, p: DwellingFitParams, table: FloatArray, cap: FloatArray, n_sizes: int
) -> FloatArray:
    """float[segment x household size (0 to n_sizes - 1), alternative] the fit term."""
    sizes = np.arange(n_sizes, dtype=float)
    over = np.maximum(sizes[:, None] - cap[None, :], 0.0)  # [size, type]
    stage = np.repeat(np.arange(4), 3)  # life stage of each segment
    value = table[stage][:, None, :] + p.crowding_coef * over[None, :, :]
    keyed = (segment_table(p)[:, None, None] * value).reshape(-1, N_TYPES)
    tiled: FloatArray = np.tile(keyed, (1, ctx.zones.n))  # [segment x size, alternative]
    return tiled


@dataclass(frozen=True)
class SafetyTermParams(TermParams):
    """Utility per unit of crime index below the regional mean (1)."""

    coef: float = 0.8
    life_stage_factor: tuple[float, ...] = (0.7, 1.0, 1.5, 1.2)


@REGISTRY.utility("safety", params=SafetyTermParams)
def safety(ctx: StepContext, pairs: Pairs, p: SafetyTermParams) -> FloatArray:
    """``coef x (1 - crime_index[zone])``. Semantics: pure; no rng."""
    return zone_term(pairs, p, "safety", lambda: _per_alternative(1.0 - ctx.zones.crime_index))


@dataclass(frozen=True)
class ReputationTermParams(TermParams):
    """Utility per unit of zone reputation (0-1)."""

    coef: float = 1.5


@REGISTRY.utility("reputation", params=ReputationTermParams)
def reputation(ctx: StepContext, pairs: Pairs, p: ReputationTermParams) -> FloatArray:
    """``coef x reputation[zone]``. Semantics: pure; no rng."""
    return zone_term(pairs, p, "reputation", lambda: _per_alternative(ctx.zones.reputation))


@dataclass(frozen=True)
class AmenitiesTermParams(TermParams):
    """Utility of coast, nature and urban services (each 0-1).

    Attributes:
        weights: weights of coast, nature and services inside the term.
    """

    coef: float = 1.0
    weights: tuple[float, ...] = (0.8, 0.4, 0.8)
    life_stage_factor: tuple[float, ...] = (0.8, 1.0, 1.0, 1.2)
    income_factor: tuple[float, ...] = (0.6, 1.0, 1.5)


@REGISTRY.utility("amenities", params=AmenitiesTermParams)
def amenities(ctx: StepContext, pairs: Pairs, p: AmenitiesTermParams) -> FloatArray:
    """``coef x sum_k weight_k x amenity_k[zone]``. Semantics: pure; no rng."""
    return zone_term(
        pairs,
        p,
        "amenities",
        lambda: _per_alternative(ctx.zones.amenities @ np.asarray(p.weights, dtype=float)),
    )


@dataclass(frozen=True)
class AccessibilityTermParams(TermParams):
    """Utility per unit of log accessibility relative to the regional mean."""

    coef: float = 0.5
    life_stage_factor: tuple[float, ...] = (1.4, 1.0, 1.0, 0.4)


@REGISTRY.utility("accessibility", params=AccessibilityTermParams)
def accessibility(ctx: StepContext, pairs: Pairs, p: AccessibilityTermParams) -> FloatArray:
    """``coef x ln(accessibility[zone] / mean accessibility)``. Semantics: pure; no rng."""
    return zone_term(pairs, p, "accessibility", lambda: _relative_accessibility(ctx))


def _relative_accessibility(ctx: StepContext) -> FloatArray:
    """float[n_zones x N_TYPES] ``ln(accessibility / mean accessibility)`` per cell."""
    acc = np.maximum(ctx.zones.accessibility, 1e-9)
    return _per_alternative(np.log(acc / acc.mean()))


@dataclass(frozen=True)
class SocialCompositionParams(TermParams):
    """Utility per unit of own-income-group share in the zone above the regional share.

    Homophily: households prefer zones where their own income group is over-represented.
    """

    coef: float = 1.5
    income_factor: tuple[float, ...] = (0.5, 0.5, 1.5)


@REGISTRY.utility("social_composition", params=SocialCompositionParams)
def social_composition(ctx: StepContext, pairs: Pairs, p: SocialCompositionParams) -> FloatArray:
    """``coef x (share of own group in zone - regional share of own group)``.

    Shares are over the resident households at the start of the choice stage.
    Semantics: pure; no rng.
    """
    return zone_term(pairs, p, "social_composition", lambda: _group_share_gap(ctx, p))


def _group_share_gap(ctx: StepContext, p: SocialCompositionParams) -> FloatArray:
    """float[segment, alternative] the segment's income-group share gap in each zone."""
    hh = ctx.households
    nz = ctx.zones.n
    counts = np.bincount(hh.zone.astype(np.int64) * 3 + hh.income_group, minlength=nz * 3).reshape(
        nz, 3
    )
    totals = counts.sum(axis=1, keepdims=True)
    share = counts / np.maximum(totals, 1)
    regional = counts.sum(axis=0) / max(counts.sum(), 1)
    per_group = (share - regional[None, :]).T  # [income group, zone]
    group = np.tile(np.arange(3), len(p.life_stage_factor))  # income group of each segment
    value: FloatArray = np.repeat(per_group[group], N_TYPES, axis=1)  # [segment, alternative]
    return value


@dataclass(frozen=True)
class AttachmentParams(TermParams):
    """Utility of staying in the municipality the household is attached to."""

    coef: float = 1.8
    life_stage_factor: tuple[float, ...] = (0.7, 1.0, 1.2, 1.5)


@REGISTRY.utility("attachment", params=AttachmentParams)
def attachment(ctx: StepContext, pairs: Pairs, p: AttachmentParams) -> FloatArray:
    """``coef`` where the zone lies in the seeker's home municipality, else 0.

    Semantics: pure; no rng.
    """
    seekers = seekers_of(ctx)
    home = seekers.home_municipality.astype(np.int64)
    if type(pairs) is Pairs:
        same = ctx.zones.municipality.take(pairs.zone) == home.take(pairs.seeker)
        return segment_coef(pairs, p) * same
    # one table per (segment, home municipality; row 0 none): one read per pair
    n_mun = int(max(int(ctx.zones.municipality.max(initial=0)), home.max(initial=0))) + 2
    keyed = shared_table(
        pairs, ("attachment", id(p), n_mun), lambda: _attachment_table(ctx, p, n_mun)
    )
    seg = seekers.segment().astype(np.int64)  # int8: widen before the product
    return pairs.flat(pairs.lookup(keyed, seg * n_mun + home + 1))


def _attachment_table(ctx: StepContext, p: AttachmentParams, n_mun: int) -> FloatArray:
    """float[segment x (home municipality + 1), alternative] the attachment term."""
    mun = np.repeat(ctx.zones.municipality, N_TYPES)
    same = (np.arange(n_mun)[:, None] - 1 == mun[None, :]).astype(float)
    keyed: FloatArray = (segment_table(p)[:, None, None] * same[None]).reshape(-1, mun.shape[0])
    return keyed


@dataclass(frozen=True)
class AlternativeConstantParams:
    """Weight of the calibrated (zone, type) constants.

    The constants are set when the model is built so that, in the base year, the
    expected choices reproduce the distribution of the dwelling stock
    (:mod:`fh_sim.calibrate.constants`); changes after the base year (prices, networks, safety,
    reputation) then move choices away from it.

    Attributes:
        coef: 1 uses the constants, 0 ignores them.
        by_income: one constant per (life stage or in-migrant, income group) instead of
            per life stage only, so that the income-dependent terms do not sort the base
            year's composition (docs/calibration.md).
    """

    coef: float = 1.0
    by_income: bool = True


@REGISTRY.utility("alternative_constant", params=AlternativeConstantParams)
def alternative_constant(
    ctx: StepContext, pairs: Pairs, p: AlternativeConstantParams
) -> FloatArray:
    """``coef x alt_constant[group, zone, type]``.

    The group is the life stage of a resident or newly formed household (0-3), or 4 for
    an in-migrant (no home municipality); with constants split by income (15 groups)
    it is ``stage x 3 + income group`` (in-migrants ``12 + income group``).

    Semantics: pure; no rng.
    """
    seekers = seekers_of(ctx)
    incomer = seekers.home_municipality < 0
    stage = np.where(incomer, 4, seekers.life_stage()).astype(np.int64)
    n_groups = ctx.zones.alt_constant.shape[0]
    group: IntArray = stage * 3 + seekers.income_group if n_groups == 15 else stage
    table = shared_table(pairs, ("alternative_constant", id(p)), lambda: _constants(ctx, p))
    return pairs.flat(pairs.lookup(table, group))


def _constants(ctx: StepContext, p: AlternativeConstantParams) -> FloatArray:
    """float[group, alternative] ``coef x alt_constant``."""
    n_groups = ctx.zones.alt_constant.shape[0]
    table: FloatArray = ctx.zones.alt_constant.reshape(n_groups, -1)
    if p.coef != 1.0:
        table = p.coef * table
    return table
