"""Readable names and units of the outcome metrics in English and Swedish.

Definitions and units are in ``docs/outcomes.md``; this table only names them on axes
and in tables. The comparison divides counts by the runs' scale, so the names and units
here describe the real region (persons, households), not simulated agents.
"""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import PurePath
from typing import Any

LANGS = ("en", "sv")

# metric -> {lang: (readable name, unit)}
METRICS: dict[str, dict[str, tuple[str, str]]] = {
    "population": {"en": ("Population", "persons"), "sv": ("Befolkning", "personer")},
    "households": {"en": ("Households", "households"), "sv": ("Hushåll", "hushåll")},
    "births": {"en": ("Births", "persons per year"), "sv": ("Födda", "personer per år")},
    "deaths": {"en": ("Deaths", "persons per year"), "sv": ("Döda", "personer per år")},
    "in_migrants": {
        "en": ("In-migrants from outside the region", "persons per year"),
        "sv": ("Inflyttade utifrån", "personer per år"),
    },
    "out_migrants": {
        "en": ("Out-migrants to outside the region", "persons per year"),
        "sv": ("Utflyttade ur regionen", "personer per år"),
    },
    "internal_moves": {
        "en": ("Moves within the region", "households per year"),
        "sv": ("Flyttningar inom regionen", "hushåll per år"),
    },
    "moves_out": {
        "en": ("Moves out to elsewhere in the region", "households per year"),
        "sv": ("Flyttningar till annan del av regionen", "hushåll per år"),
    },
    "households_formed": {
        "en": ("Households formed", "households per year"),
        "sv": ("Nybildade hushåll", "hushåll per år"),
    },
    "households_dissolved": {
        "en": ("Households dissolved", "households per year"),
        "sv": ("Upplösta hushåll", "hushåll per år"),
    },
    "turned_away_in_migrants": {
        "en": ("In-migrants turned away", "households per year"),
        "sv": ("Inflyttare utan bostad", "hushåll per år"),
    },
    "vacancy_rate": {
        "en": ("Vacancy rate", "share of dwellings"),
        "sv": ("Vakansgrad", "andel av bostäderna"),
    },
    "price_index": {
        "en": ("Housing price level", "index, 1 = base-year regional mean"),
        "sv": ("Bostadsprisnivå", "index, 1 = regionens medel basåret"),
    },
    "rent_burden": {
        "en": ("Housing cost share of income", "share of income"),
        "sv": ("Boendekostnad som andel av inkomst", "andel av inkomsten"),
    },
    "waiting_households": {
        "en": ("Households seeking a dwelling without getting one", "households per year"),
        "sv": ("Bostadssökande hushåll utan bostad", "hushåll per år"),
    },
    "accessibility": {
        "en": ("Access to jobs", "jobs reachable, Hansen index"),
        "sv": ("Tillgänglighet till arbetsplatser", "nåbara arbetsplatser, Hansenindex"),
    },
    "commute_cost": {
        "en": ("Commute time", "minutes (generalised, one way)"),
        "sv": ("Restid till arbetet", "minuter (generaliserade, enkel väg)"),
    },
    "safety": {
        "en": ("Safety (lower crime)", "index, 1 = base-year mean"),
        "sv": ("Trygghet (lägre brottslighet)", "index, 1 = basårets medel"),
    },
    "reputation": {"en": ("Reputation", "index 0-1"), "sv": ("Rykte", "index 0-1")},
    "dissimilarity_income": {
        "en": ("Segregation: low incomes vs others (dissimilarity)", "index 0-1"),
        "sv": ("Segregation: låga inkomster mot övriga (olikhetsindex)", "index 0-1"),
    },
    "isolation_low_income": {
        "en": ("Isolation of low incomes", "share 0-1"),
        "sv": ("Isolering av låginkomsthushåll", "andel 0-1"),
    },
    "theil_income": {
        "en": ("Theil's H (income groups)", "index 0-1"),
        "sv": ("Theils H (inkomstgrupper)", "index 0-1"),
    },
    "base_residents_in_region": {
        "en": ("Base-year resident households still in the region", "households"),
        "sv": ("Basårets hushåll kvar i regionen", "hushåll"),
    },
    "displaced": {
        "en": ("Displaced households", "households per year"),
        "sv": ("Undanträngda hushåll", "hushåll per år"),
    },
    "displaced_cumulative": {
        "en": ("Displaced households since the base year", "households"),
        "sv": ("Undanträngda hushåll sedan basåret", "hushåll"),
    },
}

# Outcomes shown in the scenario-minus-baseline chart, in this order, when present.
KEY_METRICS = [
    "population",
    "households",
    "in_migrants",
    "out_migrants",
    "internal_moves",
    "vacancy_rate",
    "price_index",
    "rent_burden",
    "accessibility",
    "commute_cost",
    "safety",
    "reputation",
    "dissimilarity_income",
    "theil_income",
    "base_residents_in_region",
    "displaced_cumulative",
]
# Flow metrics (per year) that also get a running total since the base year.
CUMULATIVE = {"displaced": "displaced_cumulative"}
SEGREGATION_METRICS = [
    "dissimilarity_income",
    "isolation_low_income",
    "theil_income",
    "rent_burden",
]
WELFARE_METRICS = ["base_residents_in_region", "displaced_cumulative", "rent_burden"]
SEGMENT_METRICS = ["population", "rent_burden", "in_migrants", "out_migrants"]
# Counts of persons or households: divided by the scale to give the real region's numbers.
COUNT_UNITS = ("persons", "households")


def _entry(metric: str, lang: str) -> tuple[str, str]:
    entry = METRICS.get(metric)
    if entry is None:
        return metric.replace("_", " ").capitalize(), ""
    return entry.get(lang, entry["en"])


def is_count(metric: str) -> bool:
    """True for counts of persons or households (scaled by 1/scale for real numbers)."""
    return _entry(metric, "en")[1].startswith(COUNT_UNITS)


def name(metric: str, lang: str = "en") -> str:
    """Readable name of ``metric`` (the metric itself, capitalised, if unknown)."""
    return _entry(metric, lang)[0]


def unit(metric: str, lang: str = "en") -> str:
    """Unit of ``metric`` (empty if unknown)."""
    return _entry(metric, lang)[1]


def axis_label(metric: str, *, change: bool = False, wrap: int = 44, lang: str = "en") -> str:
    """``Name (unit)`` or ``Change in name (unit)`` for an axis."""
    readable = name(metric, lang)
    if change:
        keep_case = len(readable) > 1 and readable[1].isupper() or "'" in readable[:8]
        lowered = readable if keep_case else readable[0].lower() + readable[1:]
        readable = ("Förändring i " if lang == "sv" else "Change in ") + lowered
    u = unit(metric, lang)
    text = f"{readable} ({u})" if u else readable
    return textwrap.fill(text, width=wrap) if wrap else text


# A variant's label longer than this is replaced by its name and a short hash.
MAX_LABEL = 48


def short_value(value: Any) -> str:
    """A value as a label shows it: a path by its file stem, a list item by item."""
    if isinstance(value, list | tuple):
        return "+".join(short_value(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    if "/" in text or "\\" in text:
        return PurePath(text.replace("\\", "/")).stem
    return text


def variant_label(name: str, settings: dict[str, Any]) -> str:
    """``name [key=value, ...]`` with each key's last part, or ``name [#hash]`` if long.

    Args:
        name: the scenario's name.
        settings: the dotted config keys (and values) in which this variant differs
            from the other runs of ``name``; shown in full in the report's appendix.
    """
    items = sorted(settings.items())
    keys = [k.rsplit(".", 1)[-1] for k, _ in items]
    text = (
        f"{name} ["
        + ", ".join(f"{k}={short_value(v)}" for k, (_, v) in zip(keys, items, strict=True))
        + "]"
    )
    if len(text) <= MAX_LABEL and len(set(keys)) == len(keys):
        return text
    digest = hashlib.sha1(repr(items).encode("utf-8")).hexdigest()[:6]
    return f"{name} [#{digest}]"
