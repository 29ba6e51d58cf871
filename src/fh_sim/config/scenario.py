"""Scenario levers: dated interventions from the report's focus areas.

A scenario is a set of named interventions. Packages compose scenarios through
Hydra's defaults list; because every intervention lives in a dict under its own
name, composing merges them, and conflicting interventions (the same link edited
twice in the same year, two housing policies for one place) are refused by
:func:`fh_sim.scenarios.levers.validate_scenario`.

``places`` fields take zone ids or municipality names; an empty list means the whole
region.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class LinkEdit:
    """Add, change or remove a transit link from ``start_year`` on.

    Attributes:
        op: ``add`` a new link, ``change`` an existing one, or ``remove`` it.
        from_node: zone or external node id at one end.
        to_node: zone or external node id at the other end.
        mode: ``rail``, ``bus`` or ``ferry`` (for ``add``).
        line: line name; a new line name means a transfer to reach it.
        minutes: in-vehicle minutes (``add``: required; ``change``: new value or null).
        departures_per_hour: frequency (``add``: required; ``change``: new value or null).
        start_year: first calendar year in service.
    """

    op: str = "add"
    from_node: str = ""
    to_node: str = ""
    mode: str = "rail"
    line: str = ""
    minutes: float | None = None
    departures_per_hour: float | None = None
    start_year: int = 2025


@dataclass
class SafetyProgramme:
    """Lower the crime index of ``places`` by ``crime_reduction`` over ``years``.

    Attributes:
        places: zone ids or municipality names.
        crime_reduction: total fractional reduction reached after ``years`` (0-1).
        years: years over which the reduction is phased in linearly.
        start_year: first calendar year of the programme.
    """

    places: list[str] = field(default_factory=list)
    crime_reduction: float = 0.2
    years: int = 5
    start_year: int = 2025


@dataclass
class TrustProgramme:
    """Raise institutional trust in ``places`` (damps crime-driven moving out).

    Attributes:
        places: zone ids or municipality names.
        trust_increase: added to the zone trust level (0-1 scale).
        start_year: first calendar year of the programme.
    """

    places: list[str] = field(default_factory=list)
    trust_increase: float = 0.2
    start_year: int = 2025


@dataclass
class IncomeUplift:
    """Employment programme: raise incomes of low-income households in ``places``.

    Attributes:
        places: zone ids or municipality names.
        income_increase: fractional raise of a reached household's income.
        reach_per_year: share of the eligible low-income households reached each year.
        years: duration of the programme.
        start_year: first calendar year of the programme.
    """

    places: list[str] = field(default_factory=list)
    income_increase: float = 0.25
    reach_per_year: float = 0.05
    years: int = 10
    start_year: int = 2025


@dataclass
class BrandCampaign:
    """Raise the reputation ("brand") of ``places`` or, if empty, of the whole region.

    Attributes:
        places: zone ids or municipality names; empty = the region as a whole.
        reputation_increase: added to reputation (index, 0-1 scale) while it runs.
        years: duration of the campaign.
        start_year: first calendar year.
    """

    places: list[str] = field(default_factory=list)
    reputation_increase: float = 0.1
    years: int = 10
    start_year: int = 2025


@dataclass
class HousingPolicy:
    """Construction volume, mix and location, and the allocation's queue priority.

    Attributes:
        places: zone ids or municipality names the policy applies to; empty = region.
        construction_multiplier: factor on the planned pipeline (1 = as planned).
        rental_share: share of new dwellings built as rental flats (null = unchanged).
        tenant_owned_share: share built as tenant-owned flats (null = unchanged).
        house_share: share built as houses (null = unchanged).
        affordable_share: share of new rental flats let at affordable rent
            (``assumptions.housing.affordable_rent_factor`` of the zone's rent) to
            eligible households only (see ``affordable_income_limit``).
        affordable_income_limit: highest income that may get an affordable tenancy, as
            a multiple of the model's low/mid income limit (1 = low-income households).
        transit_oriented: build near stations first (zones with a station).
        queue_priority_residents: a local-connection queue: current residents (households
            living in the region, and those splitting from them) choose among the
            policy's vacancies before in-migrants apply, and residents eligible for the
            affordable tenancies who are priced out of their dwelling are rehoused
            through the queue before they leave the region.
        start_year: first calendar year.
    """

    places: list[str] = field(default_factory=list)
    construction_multiplier: float = 1.0
    rental_share: float | None = None
    tenant_owned_share: float | None = None
    house_share: float | None = None
    affordable_share: float = 0.0
    affordable_income_limit: float = 1.0
    transit_oriented: bool = False
    queue_priority_residents: bool = False
    start_year: int = 2025


@dataclass
class ScenarioConfig:
    """A named package of interventions; the baseline has none."""

    name: str = "baseline"
    description: str = "Trends and decided projects only; no new intervention."
    link_edits: dict[str, LinkEdit] = field(default_factory=dict)
    safety_programmes: dict[str, SafetyProgramme] = field(default_factory=dict)
    trust_programmes: dict[str, TrustProgramme] = field(default_factory=dict)
    income_uplifts: dict[str, IncomeUplift] = field(default_factory=dict)
    brand_campaigns: dict[str, BrandCampaign] = field(default_factory=dict)
    housing_policies: dict[str, HousingPolicy] = field(default_factory=dict)
    levers: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Plugin lever kinds: kind -> {intervention name -> params} (fh_sim.plugins.lever)."""
