"""Scenario levers: check a scenario against the region and turn it into zone arrays per year.

``places`` name zone ids or municipality names; an empty list means the whole region.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np

from fh_sim.config.scenario import HousingPolicy, LinkEdit, ScenarioConfig
from fh_sim.errors import FhSimError
from fh_sim.region.region import Region
from fh_sim.types import BoolArray, FloatArray

_MODES = ("rail", "bus", "ferry")
_OPS = ("add", "change", "remove")
_LAST_YEAR = 2200
# Place-based interventions: scenario group -> (field, lowest, highest) of its values
# (every one also has places and a start_year after the base year).
_RANGES: dict[str, tuple[tuple[str, float, float], ...]] = {
    "safety_programmes": (("crime_reduction", 0.0, 1.0), ("years", 1, 100)),
    "trust_programmes": (("trust_increase", -1.0, 1.0),),
    "income_uplifts": (
        ("income_increase", 0.0, 2.0),
        ("reach_per_year", 0.0, 1.0),
        ("years", 1, 100),
    ),
    "brand_campaigns": (("reputation_increase", -1.0, 1.0), ("years", 1, 100)),
    "housing_policies": (
        ("construction_multiplier", 0.0, 10.0),
        ("affordable_share", 0.0, 1.0),
        ("affordable_income_limit", 0.0, 10.0),
    ),
}


@dataclass(frozen=True)
class YearLevers:
    """The scenario's levers in force in one year, per zone.

    Attributes:
        year: calendar year.
        crime_factor: factor on the crime target from safety programmes (1 = none).
        trust_add: added to the trust target.
        reputation_add: added to the reputation target (brand campaigns).
        uplift_reach: share of low-income households reached this year.
        uplift_increase: fractional income raise of a reached household.
        construction_multiplier: factor on planned construction.
        tenure_shares: float[n_zones, 3] shares of new dwellings by type (NaN = zone mix).
        affordable_share: share of new rental flats let at affordable rent.
        affordable_income_limit: highest income that may hold an affordable tenancy,
            as a multiple of the low/mid income limit (1 = low-income households).
        transit_oriented: build near stations first.
        queue_priority: current residents choose first in allocation; priced-out ones are rehoused.
        custom: plugin lever kind -> float[n_zones] (``scenario.levers``; see
            :func:`fh_sim.plugins.lever`); ``levers[kind]`` reads one.
    """

    year: int
    crime_factor: FloatArray
    trust_add: FloatArray
    reputation_add: FloatArray
    uplift_reach: FloatArray
    uplift_increase: FloatArray
    construction_multiplier: FloatArray
    tenure_shares: FloatArray
    affordable_share: FloatArray
    affordable_income_limit: FloatArray
    transit_oriented: BoolArray
    queue_priority: BoolArray
    custom: dict[str, FloatArray] = field(default_factory=dict)

    def __getitem__(self, kind: str) -> FloatArray:
        """float[n_zones] the value of plugin lever kind ``kind`` this year."""
        try:
            return self.custom[kind]
        except KeyError:
            raise KeyError(
                f"unknown lever kind '{kind}'; loaded kinds: {sorted(self.custom)}"
            ) from None


def no_levers(n_zones: int, year: int = 0) -> YearLevers:
    """Levers of the baseline: nothing in force."""
    return YearLevers(
        year=year,
        crime_factor=np.ones(n_zones),
        trust_add=np.zeros(n_zones),
        reputation_add=np.zeros(n_zones),
        uplift_reach=np.zeros(n_zones),
        uplift_increase=np.zeros(n_zones),
        construction_multiplier=np.ones(n_zones),
        tenure_shares=np.full((n_zones, 3), np.nan),
        affordable_share=np.zeros(n_zones),
        affordable_income_limit=np.ones(n_zones),
        transit_oriented=np.zeros(n_zones, dtype=bool),
        queue_priority=np.zeros(n_zones, dtype=bool),
    )


def zone_mask(region: Region, places: list[str], *, where: str) -> BoolArray:
    """bool[n_zones] of the zones named by ``places`` (empty = all zones).

    Raises:
        FhSimError: a place that is neither a zone id nor a municipality name.
    """
    if not places:
        return np.ones(region.n_zones, dtype=bool)
    zone_ids = list(region.zones.index)
    muni = region.zones["municipality"].to_numpy()
    mask = np.zeros(region.n_zones, dtype=bool)
    for place in places:
        if place in zone_ids:
            mask[zone_ids.index(place)] = True
        elif place in set(region.municipalities.index):
            mask |= muni == place
        else:
            raise FhSimError(
                f"unknown place '{place}'; use a zone id or a municipality name "
                f"(municipalities: {sorted(region.municipalities.index)})",
                where=where,
            )
    return mask


def _check_range(value: float | None, lo: float, hi: float, name: str, where: str) -> None:
    if value is not None and not lo <= value <= hi:
        raise FhSimError(f"{name} must be in [{lo}, {hi}], got {value}", where=where)


def _check_link(edit: LinkEdit, region: Region, where: str, base_year: int) -> None:
    nodes = set(region.node_ids)
    if edit.op not in _OPS:
        raise FhSimError(f"op must be one of {list(_OPS)}, got '{edit.op}'", where=where)
    for end in (edit.from_node, edit.to_node):
        if end not in nodes:
            raise FhSimError(f"unknown node '{end}' (zone or external node id)", where=where)
    if edit.from_node == edit.to_node:
        raise FhSimError("from_node and to_node are the same", where=where)
    _check_range(edit.start_year, base_year + 1, _LAST_YEAR, "start_year", where)
    if edit.op == "add":
        if edit.mode not in _MODES:
            raise FhSimError(f"mode must be one of {list(_MODES)}, got '{edit.mode}'", where=where)
        if edit.minutes is None or edit.departures_per_hour is None:
            raise FhSimError("an added link needs minutes and departures_per_hour", where=where)
    if edit.minutes is not None and not edit.minutes > 0:
        raise FhSimError(f"minutes must be > 0, got {edit.minutes}", where=where)
    if edit.departures_per_hour is not None and not edit.departures_per_hour > 0:
        raise FhSimError(
            f"departures_per_hour must be > 0, got {edit.departures_per_hour}", where=where
        )


def _check_tenure_shares(policy: HousingPolicy, where: str) -> None:
    shares = (policy.rental_share, policy.tenant_owned_share, policy.house_share)
    given = [s for s in shares if s is not None]
    for s in given:
        _check_range(s, 0.0, 1.0, "tenure shares", where)
    if given and (len(given) != 3 or abs(sum(given) - 1.0) > 1e-6):
        raise FhSimError(
            "rental_share, tenant_owned_share and house_share must be given together "
            f"and sum to 1, got {list(shares)}",
            where=where,
        )


def validate_scenario(scenario: ScenarioConfig, region: Region, *, base_year: int = 2019) -> None:
    """Reject unknown places, out-of-range values and conflicting interventions.

    Conflicts: the same link (either direction) edited twice with the same start year;
    two housing policies covering one zone.

    Raises:
        FhSimError: naming the scenario and the intervention.
    """
    name = scenario.name

    def where(kind: str, key: str) -> str:
        return f"scenario '{name}', {kind} '{key}'"

    seen: dict[tuple[frozenset[str], int], str] = {}
    for key, e in scenario.link_edits.items():
        w = where("link_edits", key)
        _check_link(e, region, w, base_year)
        ident = (frozenset((e.from_node, e.to_node)), e.start_year)
        if ident in seen:
            raise FhSimError(
                f"edits the link {e.from_node}-{e.to_node} in {e.start_year} like "
                f"'{seen[ident]}' does; keep one",
                where=w,
            )
        seen[ident] = key
    masks = {}
    for group, ranges in _RANGES.items():
        for key, lever in getattr(scenario, group).items():
            w = where(group, key)
            mask = zone_mask(region, lever.places, where=w)
            for value_name, lo, hi in ranges:
                _check_range(getattr(lever, value_name), lo, hi, value_name, w)
            _check_range(lever.start_year, base_year + 1, _LAST_YEAR, "start_year", w)
            if group == "housing_policies":
                masks[key] = mask
                _check_tenure_shares(lever, w)
    _check_edits_apply(scenario, region, where)
    for (k1, m1), (k2, m2) in combinations(masks.items(), 2):
        both = np.flatnonzero(m1 & m2)
        if both.size:
            raise FhSimError(
                f"covers zone '{region.zones.index[both[0]]}' that housing policy '{k1}' "
                "also covers; one housing policy per place",
                where=where("housing_policies", k2),
            )


def _check_edits_apply(
    scenario: ScenarioConfig, region: Region, where: Callable[[str, str], str]
) -> None:
    """Apply every link edit in its own start year, whatever the run's horizon.

    A change or removal of a link that is not in service then fails the same way at
    ``end_year`` 2030 as at 2050.
    """
    from fh_sim.region.network import links_in_year  # imported late: network imports config

    for year in sorted({e.start_year for e in scenario.link_edits.values()}):
        links_in_year(region, year, scenario.link_edits)


def idle_levers(scenario: ScenarioConfig, end_year: int) -> list[str]:
    """Interventions that start after ``end_year``, so act in no simulated year.

    Returns:
        One line per such intervention (``scenario 'x', kind 'key': starts in ...``).
    """
    groups: dict[str, Mapping[str, Any]] = {
        "link_edits": scenario.link_edits,
        "safety_programmes": scenario.safety_programmes,
        "trust_programmes": scenario.trust_programmes,
        "income_uplifts": scenario.income_uplifts,
        "brand_campaigns": scenario.brand_campaigns,
        "housing_policies": scenario.housing_policies,
    }
    return [
        f"scenario '{scenario.name}', {kind} '{key}': start_year {lever.start_year} is after "
        f"end_year {end_year}, so it acts in no simulated year"
        for kind, levers in groups.items()
        for key, lever in levers.items()
        if lever.start_year > end_year
    ]


def levers_for_year(scenario: ScenarioConfig, region: Region, year: int) -> YearLevers:
    """The levers in force in ``year`` (a validated scenario)."""
    lev = no_levers(region.n_zones, year)
    for key, s in scenario.safety_programmes.items():
        if year >= s.start_year:
            m = zone_mask(region, s.places, where=f"safety_programmes '{key}'")
            phase = min(1.0, (year - s.start_year + 1) / s.years)
            lev.crime_factor[m] *= 1.0 - s.crime_reduction * phase
    for key, t in scenario.trust_programmes.items():
        if year >= t.start_year:
            lev.trust_add[zone_mask(region, t.places, where=f"trust '{key}'")] += t.trust_increase
    for key, u in scenario.income_uplifts.items():
        if u.start_year <= year < u.start_year + u.years:
            m = zone_mask(region, u.places, where=f"income_uplifts '{key}'")
            lev.uplift_reach[m] = 1.0 - (1.0 - lev.uplift_reach[m]) * (1.0 - u.reach_per_year)
            lev.uplift_increase[m] = np.maximum(lev.uplift_increase[m], u.income_increase)
    for key, b in scenario.brand_campaigns.items():
        if b.start_year <= year < b.start_year + b.years:
            m = zone_mask(region, b.places, where=f"brand_campaigns '{key}'")
            lev.reputation_add[m] += b.reputation_increase
    for key, h in scenario.housing_policies.items():
        if year >= h.start_year:
            m = zone_mask(region, h.places, where=f"housing_policies '{key}'")
            lev.construction_multiplier[m] = h.construction_multiplier
            if h.rental_share is not None:
                shares = [h.rental_share, h.tenant_owned_share, h.house_share]
                lev.tenure_shares[m] = np.asarray(shares, dtype=float)
            lev.affordable_share[m] = h.affordable_share
            lev.affordable_income_limit[m] = h.affordable_income_limit
            lev.transit_oriented[m] = h.transit_oriented
            lev.queue_priority[m] = h.queue_priority_residents
    return lev


def network_change_years(scenario: ScenarioConfig, region: Region, base_year: int) -> set[int]:
    """Years after the base year in which the active link set changes."""
    from fh_sim.region.load import change_years

    years = {y for y in change_years(region.links) if y > base_year}
    years |= {e.start_year for e in scenario.link_edits.values() if e.start_year > base_year}
    return years
