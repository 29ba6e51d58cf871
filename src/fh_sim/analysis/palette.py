"""One colour per scenario, the same in every plot and report (colour-blind-safe)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

BASELINE_COLOR = "#222222"
# Okabe & Ito (2008), the colour-blind-safe qualitative palette, without its black (the
# baseline's); yellow last, it is the weakest on white.
PALETTE = ["#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442"]
# The catalogue's scenarios keep these places in the palette in every report; a scenario
# of one family (the transit measures and their package) never shares a colour.
CATALOGUE_ORDER = [
    "transit_hoganas_rail",
    "transit_skanebanan_half_hourly",
    "transit_orkelljunga_express_bus",
    "transit_soderasbanan_frequency",
    "package_transit",
    "safety_programme",
    "higher_trust",
    "income_uplift",
    "brand_campaign",
    "growth_first",
    "current_residents_first",
    "package_growth",
    "package_residents_first",
    "package_safe_and_inclusive",
]


def _preferred(name: str) -> int:
    if name in CATALOGUE_ORDER:
        return CATALOGUE_ORDER.index(name) % len(PALETTE)
    digest = hashlib.sha1(name.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % len(PALETTE)


def scenario_colors(scenarios: Sequence[str], *, baseline: str | None = None) -> dict[str, str]:
    """One colour per scenario, the same in every plot and report; the baseline dark grey.

    A scenario's colour depends on its name only (its place in the catalogue, or a hash
    of the name), unless two scenarios of one report want the same colour: then the one
    later in the catalogue, or later by name, takes the next free colour.
    """
    colors: dict[str, str] = {}
    if baseline is not None:
        colors[baseline] = BASELINE_COLOR
    others = [s for s in scenarios if s != baseline and s not in colors]
    others.sort(
        key=lambda s: (
            s not in CATALOGUE_ORDER,
            CATALOGUE_ORDER.index(s) if s in CATALOGUE_ORDER else 0,
            s,
        )
    )
    taken: set[int] = set()
    for name in others:
        k = _preferred(name)
        if len(taken) < len(PALETTE):
            while k in taken:
                k = (k + 1) % len(PALETTE)
        taken.add(k)
        colors[name] = PALETTE[k]
    return colors
