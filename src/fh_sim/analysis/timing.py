"""How long each of a scenario's levers is in force before the horizon.

A lever is any node of the scenario's config with a ``start_year`` (a link edit, a safety
programme, a housing policy...). Link edits that start in the same year are one lever
("3 network changes from 2035"). A lever that starts after the horizon never acts; one in
force for fewer than :data:`SHORT_YEARS` years has had little time to act, and the report
says so next to the scenario's effects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SHORT_YEARS = 5


@dataclass(frozen=True)
class LeverTiming:
    """One lever (or group of link edits) and its years in force.

    Attributes:
        what: the lever's key (``link_edits`` for a group of network changes).
        count: number of config entries grouped (link edits of one start year).
        start_year: first year in force.
        years_in_force: years from ``start_year`` to the horizon, inclusive (0 if later).
        years_total: years simulated after the base year.
    """

    what: str
    count: int
    start_year: int
    years_in_force: int
    years_total: int

    @property
    def short(self) -> bool:
        """True when the lever acts for fewer than :data:`SHORT_YEARS` years."""
        return self.years_in_force < SHORT_YEARS


def lever_timings(config: dict[str, Any], *, horizon: int) -> list[LeverTiming]:
    """Every lever of ``config['scenario']`` with its years in force up to ``horizon``."""
    scenario = config.get("scenario") or {}
    base_year = int((config.get("region") or {}).get("base_year", 2019))
    total = max(horizon - base_year, 1)
    found: dict[tuple[str, int], int] = {}

    def walk(node: Any, path: str) -> None:
        if not isinstance(node, dict):
            return
        start = node.get("start_year")
        if isinstance(start, int | float) and not isinstance(start, bool):
            group = "link_edits" if path.startswith("link_edits.") else path
            key = (group, int(start))
            found[key] = found.get(key, 0) + 1
            return
        for key, child in node.items():
            walk(child, f"{path}.{key}" if path else str(key))

    walk(scenario, "")
    out = []
    for (what, start), count in sorted(found.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        in_force = max(0, min(horizon - start + 1, total))
        out.append(LeverTiming(what, count, start, in_force, total))
    return out


def timing_warnings(config: dict[str, Any], *, horizon: int, lang: str = "en") -> list[str]:
    """Plain-language warnings for levers that act for under :data:`SHORT_YEARS` years."""
    lines = []
    for t in lever_timings(config, horizon=horizon):
        if not t.short:
            continue
        what = _what(t, lang)
        if t.years_in_force == 0:
            lines.append(
                f"{what} börjar {t.start_year}, efter horisonten {horizon}: verkar inte alls"
                if lang == "sv"
                else f"{what} starts in {t.start_year}, after the horizon {horizon}: never in force"
            )
        else:
            lines.append(
                f"{what} från {t.start_year}: i kraft {t.years_in_force} av {t.years_total} år"
                if lang == "sv"
                else f"{what} from {t.start_year}: in force {t.years_in_force} of "
                f"{t.years_total} years"
            )
    return lines


def _what(t: LeverTiming, lang: str) -> str:
    if t.what == "link_edits":
        if lang == "sv":
            return f"{t.count} nätändring{'ar' if t.count != 1 else ''}"
        return f"{t.count} network change{'s' if t.count != 1 else ''}"
    return t.what.replace("_", " ")
