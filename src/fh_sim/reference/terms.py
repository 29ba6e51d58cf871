"""The core household rules written for one household at a time (scalars, no arrays).

Each function mirrors the registered rule of the same name in :mod:`fh_sim.rules`
(same params dataclass, same formula) but reads one :class:`HouseholdAgent` and returns
one number. They are the oracle the vectorised rules are tested against, so they are
written for reading, not for speed.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fh_sim.reference.agents import HouseholdAgent


def _commute_minutes(hh: HouseholdAgent) -> float:
    """One-way generalised commute from home to workplace, minutes (0: no workplace)."""
    if hh.workplace < 0 or hh.zone < 0:
        return 0.0
    return float(hh.model.minutes[hh.zone, hh.workplace])


def _burden(hh: HouseholdAgent) -> float:
    """Yearly housing cost over income (0 where not housed)."""
    if hh.dwelling_type < 0:
        return 0.0
    cost = hh.model.assumptions.housing.annual_cost_sek[hh.dwelling_type]
    price = hh.model.dwellings.price_index[hh.zone, hh.dwelling_type]
    return cost * price / max(hh.income_annual, 1.0)


# -- relocation triggers: yearly hazard of one household ---------------------------------
def life_stage(hh: HouseholdAgent, p: Any) -> float:
    """Hazard of the head's age band times the tenure factor."""
    band = bisect_right(list(p.age_edges), hh.age_head)
    return p.hazard[band] * p.tenure_factor[max(hh.dwelling_type, 0)]


def crowding(hh: HouseholdAgent, p: Any) -> float:
    """``coef x persons above the dwelling type's capacity``."""
    cap = hh.model.assumptions.housing.persons_capacity[max(hh.dwelling_type, 0)]
    return p.coef * max(hh.size - cap, 0.0)


def housing_cost(hh: HouseholdAgent, p: Any) -> float:
    """``coef x burden above the threshold``."""
    return p.coef * max(_burden(hh) - p.threshold, 0.0)


def commute(hh: HouseholdAgent, p: Any) -> float:
    """``coef per hour of commute above the threshold``."""
    return p.coef_per_hour * max(_commute_minutes(hh) - p.threshold_min, 0.0) / 60.0


def safety(hh: HouseholdAgent, p: Any) -> float:
    """``coef x crime above the mean x (1 - damping x trust)`` of the home zone."""
    z = hh.model.zones
    crime = z.crime_index[hh.zone]
    return p.coef * max(crime - 1.0, 0.0) * (1.0 - p.trust_damping * z.trust[hh.zone])


HAZARDS: dict[str, Callable[[HouseholdAgent, Any], float]] = {
    "life_stage": life_stage,
    "crowding": crowding,
    "housing_cost": housing_cost,
    "commute": commute,
    "safety": safety,
}


# -- utility terms: value of one (zone, dwelling type) to one household ----------------
def _coef(hh: HouseholdAgent, p: Any) -> float:
    return p.coef * p.life_stage_factor[hh.life_stage()] * p.income_factor[hh.income_group]


def u_commute(hh: HouseholdAgent, zone: int, dtype: int, p: Any) -> float:
    """Hours of commute from ``zone`` to the workplace."""
    if hh.workplace < 0:
        return 0.0
    return _coef(hh, p) * hh.model.minutes[zone, hh.workplace] / 60.0


def u_housing_cost(hh: HouseholdAgent, zone: int, dtype: int, p: Any) -> float:
    """Yearly cost of the dwelling over income."""
    cost = hh.model.assumptions.housing.annual_cost_sek[dtype]
    price = hh.model.dwellings.price_index[zone, dtype]
    return _coef(hh, p) * cost * price / max(hh.income_annual, 1.0)


def u_dwelling_fit(hh: HouseholdAgent, zone: int, dtype: int, p: Any) -> float:
    """Fit of the dwelling type to the life stage, minus crowding."""
    cap = hh.model.assumptions.housing.persons_capacity[dtype]
    fit = p.fit[hh.life_stage() * 3 + dtype]
    return _coef(hh, p) * (fit + p.crowding_coef * max(hh.size - cap, 0.0))


def u_safety(hh: HouseholdAgent, zone: int, dtype: int, p: Any) -> float:
    """Crime below the regional mean."""
    return _coef(hh, p) * (1.0 - hh.model.zones.crime_index[zone])


def u_reputation(hh: HouseholdAgent, zone: int, dtype: int, p: Any) -> float:
    """The zone's reputation."""
    return _coef(hh, p) * hh.model.zones.reputation[zone]


def u_amenities(hh: HouseholdAgent, zone: int, dtype: int, p: Any) -> float:
    """Weighted coast, nature and services."""
    amen = hh.model.zones.amenities[zone]
    return _coef(hh, p) * sum(w * a for w, a in zip(p.weights, amen, strict=True))


def u_accessibility(hh: HouseholdAgent, zone: int, dtype: int, p: Any) -> float:
    """Log accessibility relative to the mean over zones."""
    acc = hh.model.zones.accessibility[zone]
    return _coef(hh, p) * math.log(max(acc, 1e-9) / hh.model.mean_accessibility)


def u_social_composition(hh: HouseholdAgent, zone: int, dtype: int, p: Any) -> float:
    """Share of the own income group in the zone above its regional share."""
    m = hh.model
    g = hh.income_group
    return _coef(hh, p) * (m.group_share[zone][g] - m.regional_share[g])


def u_attachment(hh: HouseholdAgent, zone: int, dtype: int, p: Any) -> float:
    """Staying in the municipality the household is attached to."""
    same = hh.model.zones.municipality[zone] == hh.home_municipality
    return _coef(hh, p) * float(same)


def u_alternative_constant(hh: HouseholdAgent, zone: int, dtype: int, p: Any) -> float:
    """The calibrated constant of (zone, type) for the household's group.

    The last group for in-migrants (no home municipality), else the life stage (or 0 if
    the constants are not split by life stage).
    """
    table = hh.model.zones.alt_constant
    if table.shape[0] == 15:  # split by income group
        stage = 4 if hh.home_municipality < 0 else hh.life_stage()
        return p.coef * table[stage * 3 + hh.income_group, zone, dtype]
    last = table.shape[0] - 1
    group = last if hh.home_municipality < 0 else min(hh.life_stage(), max(last - 1, 0))
    return p.coef * table[group, zone, dtype]


def u_credit_constraint(hh: HouseholdAgent, zone: int, dtype: int, p: Any) -> float:
    """Closed (far below the allocation's threshold) where the purchase cannot be financed.

    Down payment from savings by age band and income group plus the equity of an owned
    dwelling; loan at most ``max_ltv`` of the price; stressed interest plus the required
    amortisation at most ``service_share`` of income.
    """
    from fh_sim.rules.affordability import EXCLUDED

    if dtype == 0:
        return 0.0
    m = hh.model
    price = p.purchase_price_sek[dtype] * m.dwellings.price_index[zone, dtype]
    band = bisect_right(list(p.savings_age_edges), hh.age_head)
    wealth = (
        p.savings_years[band]
        * p.savings_income_factor[hh.income_group]
        * max(hh.income_annual, 0.0)
    )
    if hh.zone >= 0 and hh.dwelling_type >= 1:
        own = p.purchase_price_sek[hh.dwelling_type]
        wealth += p.equity_share * own * m.dwellings.price_index[hh.zone, hh.dwelling_type]
    loan = max(price - wealth, 0.0)
    ltv = loan / max(price, 1.0)
    amort = 0.0
    for limit, step in zip(p.amortisation_ltv, p.amortisation_steps, strict=True):
        if ltv > limit:
            amort = step
    gross = max(hh.income_annual, 0.0) / (1.0 - p.tax_share)
    if loan > p.amortisation_dti * gross:
        amort += p.amortisation_dti_extra
    ok = ltv <= p.max_ltv + 1e-12 and (
        loan * (p.stress_interest + amort) <= p.service_share * max(hh.income_annual, 0.0)
    )
    return 0.0 if ok else EXCLUDED


TERMS: dict[str, Callable[[HouseholdAgent, int, int, Any], float]] = {
    "commute": u_commute,
    "housing_cost": u_housing_cost,
    "dwelling_fit": u_dwelling_fit,
    "safety": u_safety,
    "reputation": u_reputation,
    "amenities": u_amenities,
    "accessibility": u_accessibility,
    "social_composition": u_social_composition,
    "attachment": u_attachment,
    "credit_constraint": u_credit_constraint,
    "alternative_constant": u_alternative_constant,
}
