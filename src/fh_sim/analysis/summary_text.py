"""The plain-words answer per scenario: its largest effects, per municipality, with intervals.

Population, commute and price always come first (a planner's first questions); the other
outcomes whose interval excludes zero follow, ranked by their size relative to the
baseline level (``rel`` of :func:`fh_sim.analysis.effects.effect_table`), up to five lines.
Each line names the municipality with the largest change (one whose interval excludes zero
first), any municipality that clearly moves the other way, and the region as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from fh_sim.analysis.effects import MIN_SEEDS_FIRM, display_unit, short_name
from fh_sim.analysis.i18n import interval_digits, number, t

MAX_LINES = 5
# A planner's first questions: always answered, even when the answer is "no clear change".
CORE = ("population", "commute_cost", "price_index")


@dataclass
class Effect:
    """One change at one place: value, interval and whether it is firm."""

    place: str
    mean: float
    q05: float
    q95: float
    firm: bool

    @property
    def clear(self) -> bool:
        """True when the interval excludes zero."""
        return bool(self.q05 > 0 or self.q95 < 0)


@dataclass
class Line:
    """One outcome of a scenario's summary."""

    metric: str
    places: list[Effect] = field(default_factory=list)


@dataclass
class ScenarioSummary:
    """The plain-words summary of one scenario."""

    scenario: str
    description: str
    n: int
    lines: list[Line] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _effect(row: pd.Series, place: str) -> Effect:
    return Effect(
        place, float(row["mean"]), float(row["q05"]), float(row["q95"]), bool(row["firm"])
    )


def pick_lines(effects: pd.DataFrame, *, region_name: str) -> list[Line]:
    """Population, commute and price, then the largest other clear effects (5 in all)."""
    scored = []
    for metric, rows in effects.groupby("metric", sort=False):
        muni = rows[rows["level"] == "municipality"]
        reg = rows[rows["level"] == "region"]
        pool = muni if not muni.empty else reg
        clear = (pool["q05"] > 0) | (pool["q95"] < 0)
        ranked = pool.assign(_c=clear, _a=pool["rel"].abs()).sort_values(
            ["_c", "_a"], ascending=False
        )
        best = ranked.iloc[0]
        if best["mean"] == 0 or not pd.notna(best["mean"]):
            continue
        line = Line(str(metric), [_effect(best, str(best["unit"]))])
        other = ranked[(ranked["_c"]) & (ranked["mean"] * best["mean"] < 0)]
        if not other.empty:
            line.places.append(_effect(other.iloc[0], str(other.iloc[0]["unit"])))
        if not reg.empty and not muni.empty:
            line.places.append(_effect(reg.iloc[0], region_name))
        scored.append((bool(best["_c"]), float(best["_a"]), line))
    core = [s[2] for s in scored if s[2].metric in CORE]
    core.sort(key=lambda line: CORE.index(line.metric))
    others = sorted(
        (s for s in scored if s[2].metric not in CORE and s[0]), key=lambda s: s[1], reverse=True
    )
    return core + [s[2] for s in others[: max(0, MAX_LINES - len(core))]]


def format_effect(e: Effect, metric: str, lang: str) -> str:
    """``Höganäs +1,200 persons (+800 to +1,600)`` with the language's number format."""
    u = display_unit(metric, lang)
    to = "till" if lang == "sv" else "to"
    unit_text = f"\u202f{u}" if u == "%" else f" {u}"
    d = interval_digits(e.mean, e.q05, e.q95)
    return (
        f"{e.place} {number(e.mean, lang, signed=True, digits=d)}{unit_text} "
        f"({number(e.q05, lang, signed=True, digits=d)} {to} "
        f"{number(e.q95, lang, signed=True, digits=d)})"
    )


def line_text(line: Line, lang: str) -> str:
    """One summary line in plain words (no markup)."""
    return (
        f"{short_name(line.metric, lang)}: "
        + "; ".join(format_effect(e, line.metric, lang) for e in line.places)
        + "."
    )


def header_text(s: ScenarioSummary, *, year: int, baseline: str, lang: str) -> str:
    """``In 2050, compared with baseline, paired on 5 seeds:``."""
    return t("vs_base", lang, year=year, base=baseline, n=s.n)


def summarise_scenarios(
    effects: pd.DataFrame,
    *,
    descriptions: dict[str, str],
    pairs: dict[str, int],
    warnings: dict[str, list[str]],
    lang: str = "en",
) -> list[ScenarioSummary]:
    """One :class:`ScenarioSummary` per scenario with paired seeds, in ``pairs`` order."""
    out = []
    for scen, n in pairs.items():
        s = ScenarioSummary(
            scen, descriptions.get(scen, ""), n, warnings=list(warnings.get(scen, []))
        )
        rows = effects[effects["scenario"] == scen]
        if n and not rows.empty:
            s.lines = pick_lines(rows, region_name=t("region", lang))
        if 0 < n < MIN_SEEDS_FIRM:
            s.warnings.append(t("few_seeds", lang, n=n, k=MIN_SEEDS_FIRM))
        out.append(s)
    return out


def plain_text(summaries: list[ScenarioSummary], *, year: int, baseline: str, lang: str) -> str:
    """The summaries as plain text (for a log or a closing note)."""
    parts = []
    for s in summaries:
        parts.append(f"{s.scenario}: {s.description}")
        parts.append("  " + header_text(s, year=year, baseline=baseline, lang=lang))
        parts += [f"  - {line_text(line, lang)}" for line in s.lines]
        if s.n and not s.lines:
            parts.append("  - " + t("no_effect", lang))
        parts += [f"  ! {w}" for w in s.warnings]
    return "\n".join(parts)
