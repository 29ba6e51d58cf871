"""Readable names and units of the outcome metrics, for plots and the report.

Definitions and units are in ``docs/outcomes.md``; this table only names them on axes.
Counts are of the simulated agents (about ``scale`` times the real numbers).
"""

from __future__ import annotations

import textwrap

# metric -> (readable name, unit)
METRICS: dict[str, tuple[str, str]] = {
    "population": ("Population", "persons"),
    "households": ("Households", "households"),
    "births": ("Births", "persons per year"),
    "deaths": ("Deaths", "persons per year"),
    "in_migrants": ("In-migrants", "persons per year"),
    "out_migrants": ("Out-migrants", "persons per year"),
    "internal_moves": ("Moves within the region", "households per year"),
    "moves_out": ("Moves out to elsewhere in the region", "households per year"),
    "households_formed": ("Households formed", "households per year"),
    "households_dissolved": ("Households dissolved", "households per year"),
    "turned_away_in_migrants": ("In-migrants turned away", "households per year"),
    "vacancy_rate": ("Vacancy rate", "share of dwellings"),
    "price_index": ("Price index", "1 = base-year regional mean"),
    "rent_burden": ("Rent burden", "share of income"),
    "waiting_households": ("Households waiting for a dwelling", "households per year"),
    "accessibility": ("Accessibility to jobs", "Hansen index, jobs"),
    "commute_cost": ("Commute cost", "generalised minutes"),
    "safety": ("Safety", "1 / crime index, 1 = base-year mean"),
    "reputation": ("Reputation", "index 0-1"),
    "dissimilarity_income": ("Dissimilarity (low vs other incomes)", "index 0-1"),
    "isolation_low_income": ("Isolation of low incomes", "share 0-1"),
    "theil_income": ("Theil's H (income groups)", "index 0-1"),
    "base_residents_in_region": ("Base-year resident households still in the region",
                                 "households"),
    "displaced": ("Displaced households", "households per year"),
    "displaced_cumulative": ("Displaced households since the base year", "households"),
}

# Outcomes shown in the scenario-minus-baseline chart, in this order, when present.
KEY_METRICS = [
    "population", "households", "in_migrants", "out_migrants", "internal_moves",
    "vacancy_rate", "price_index", "rent_burden", "accessibility", "commute_cost",
    "safety", "reputation", "dissimilarity_income", "theil_income",
    "base_residents_in_region", "displaced_cumulative",
]
# Flow metrics (per year) that also get a running total since the base year.
CUMULATIVE = {"displaced": "displaced_cumulative"}
SEGREGATION_METRICS = [
    "dissimilarity_income", "isolation_low_income", "theil_income", "rent_burden",
]
WELFARE_METRICS = ["base_residents_in_region", "displaced_cumulative", "rent_burden"]
SEGMENT_METRICS = ["population", "rent_burden", "in_migrants", "out_migrants"]


def name(metric: str) -> str:
    """Readable name of ``metric`` (the metric itself if unknown)."""
    return METRICS.get(metric, (metric.replace("_", " ").capitalize(), ""))[0]


def unit(metric: str) -> str:
    """Unit of ``metric`` (empty if unknown)."""
    return METRICS.get(metric, ("", ""))[1]


def axis_label(metric: str, *, change: bool = False, wrap: int = 44) -> str:
    """``Name (unit)`` or ``Change in name (unit)`` for an axis."""
    readable = name(metric)
    if change:
        keep_case = len(readable) > 1 and readable[1].isupper() or "'" in readable[:8]
        readable = "Change in " + (readable if keep_case else readable[0].lower() + readable[1:])
    u = unit(metric)
    text = f"{readable} ({u})" if u else readable
    return textwrap.fill(text, width=wrap) if wrap else text
