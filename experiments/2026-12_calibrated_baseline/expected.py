"""Each scenario's expected effect, stated before measuring, and the verdict on a result.

The ranges are relative to the baseline (%, scenario minus baseline over baseline, same
replicate), from published evidence where it exists, otherwise from the argument in
``docs/scenarios.md``. ``verdicts(effects)`` takes a table of ``measure.table`` (one year)
and adds the expected range and a verdict per row:

- ``within``: the mean effect lies in the expected range;
- ``within noise``: the 90 % interval includes zero and the range allows zero;
- ``direction right, larger`` / ``smaller``: the right sign, outside the range;
- ``wrong direction``: the mean has the other sign than the whole range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

TREATED = "helsingborg_drottninghog,helsingborg_dalhem,helsingborg_fredriksdal,helsingborg_soder,landskrona_karlslund,bjuv,billesholm,astorp"
INF = math.inf


@dataclass(frozen=True)
class Expected:
    """Expected relative effect (%) of a scenario on one outcome row of the table."""

    scenario: str
    outcome: str
    units: str
    low: float
    high: float
    reason: str


EXPECTED = [
    Expected("growth_first", "population", "region", 2, 8,
             "doubling the pipeline adds about 0.6 % of the stock a year from 2025; with a "
             "price elasticity of demand of -0.5 to -1 most of it is filled"),
    Expected("growth_first", "base_residents_in_region", "region", 0, 2,
             "more dwellings house young adults leaving home; no priority"),
    Expected("growth_first", "rent_burden", "region", -5, -1,
             "more supply, lower prices and rents (vacancy response)"),
    Expected("current_residents_first", "base_residents_in_region", "region", 2, 8,
             "queue priority and affordable rental flats keep residents; same volume"),
    Expected("current_residents_first", "displaced (flow)", "region", -40, -10,
             "the channel the priority acts through"),
    Expected("current_residents_first", "waiting_households (flow)", "region", -40, -10,
             "priority and affordable flats place those who wait"),
    Expected("current_residents_first", "rent_burden low-income", "young_low,adult_low,"
             "family_low,senior_low", -10, -2, "half of new rental flats at 75 % of the rent"),
    Expected("current_residents_first", "population", "region", -1, 1,
             "same volume as the baseline; residents replace newcomers"),
    Expected("growth_first vs current_residents_first", "population", "region", 0, INF,
             "volume"),
    Expected("growth_first vs current_residents_first", "base_residents_in_region", "region",
             -INF, 0, "current_residents_first keeps more base-year residents"),
    Expected("transit_hoganas_rail", "population", "hoganas,viken,hittarp", 1, 6,
             "new commuter rail: growth near stations, small relative to a town's size"),
    Expected("transit_hoganas_rail", "price_index", "hoganas,viken,hittarp", 2, 10,
             "station premiums of a few per cent (Debrezion, Pels and Rietveld 2007)"),
    Expected("transit_hoganas_rail", "in-migrants (flow)", "hoganas,viken,hittarp", 0, INF,
             "accessibility enters the in-migrants' choice"),
    Expected("transit_skanebanan_half_hourly", "accessibility", "Perstorp,Klippan", 0, INF,
             "shorter waits (Perstorp; Klippan already half-hourly)"),
    Expected("transit_skanebanan_half_hourly", "population", "Perstorp,Klippan", 0, 3,
             "small places, accessibility gained to distant jobs"),
    Expected("transit_orkelljunga_express_bus", "population", "orkelljunga", 0, 5,
             "as rail, by bus: a smaller, less permanent signal"),
    Expected("transit_orkelljunga_express_bus", "price_index", "orkelljunga", 0, 10,
             "more demand for a small stock"),
    Expected("transit_soderasbanan_frequency", "population",
             "billesholm,kagerod,svalov,teckomatorp", 0, 5, "half-hourly service halves the wait"),
    Expected("transit_soderasbanan_frequency", "commute_cost",
             "billesholm,kagerod,svalov,teckomatorp", -INF, 0, "shorter waits"),
    Expected("safety_programme", "safety", TREATED, 25, 40,
             "safety = 1 / crime index: -25 % crime is +33 %"),
    Expected("safety_programme", "population", TREATED, 0, 3,
             "hedonic studies: -10 % crime raises prices about 1 % (Gibbons 2004)"),
    Expected("safety_programme", "moves out per 1000 hh", TREATED, -10, 0,
             "moving-out responses to crime are modest"),
    Expected("higher_trust", "moves out per 1000 hh", TREATED, -5, 0,
             "trust only damps the crime-driven part of moving"),
    Expected("income_uplift", "dissimilarity_income", "region", -5, 0,
             "5 % a year of low-income households in four towns move up a group"),
    Expected("income_uplift", "isolation_low_income", "region", -5, 0, "as above"),
    Expected("brand_campaign", "in-migrants (flow)", "region", 0, 5,
             "evidence on place marketing is weak; the campaign only shifts reputation"),
]


def _bound(x: float) -> str:
    return "" if math.isinf(x) else f"{x:+g} %"


def expected_text(e: Expected) -> str:
    """``up, +2 to +8 %``, ``down``, ``about 0, -1 to +1 %``."""
    if e.low >= 0:
        word = "up"
    elif e.high <= 0:
        word = "down"
    else:
        word = "about 0"
    if math.isinf(e.low) or math.isinf(e.high):
        return word
    return f"{word}, {_bound(e.low)} to {_bound(e.high)}"


def verdict(e: Expected, rel: float, lo: float, hi: float) -> str:
    """The verdict on a mean relative effect ``rel`` (%) with its interval ``lo, hi``."""
    if e.low <= rel <= e.high:
        return "within"
    if lo <= 0 <= hi and e.low <= 0 <= e.high:
        return "within noise"
    if (rel > 0 and e.high > 0) or (rel < 0 and e.low < 0):
        bound = e.high if rel > 0 else e.low
        return "direction right, larger" if abs(rel) > abs(bound) else "direction right, smaller"
    return "wrong direction"


def verdicts(effects: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``effects`` with an expectation, with ``expected`` and ``verdict`` added."""
    rows = []
    for e in EXPECTED:
        hit = effects[(effects.scenario == e.scenario) & (effects.outcome == e.outcome)
                      & (effects.units == e.units)]
        if hit.empty:
            continue
        r = hit.iloc[0]
        scale = 100 / r.baseline if r.baseline else math.nan
        rows.append({**r.to_dict(), "expected": expected_text(e), "reason": e.reason,
                     "verdict": verdict(e, r.rel_pct, r.lo * scale, r.hi * scale)})
    return pd.DataFrame(rows)


def _num(x: float, big: bool) -> str:
    return f"{x:+,.0f}" if big else f"{x:+.3g}"


def _cell(r: pd.Series) -> str:
    big = abs(r.baseline) >= 1000
    d, lo, hi = (_num(v, big) for v in (r["diff"], r.lo, r.hi))
    return f"{d} [{lo}, {hi}] ({r.rel_pct:+.1f} %)"


def markdown(by_year: dict[int, pd.DataFrame]) -> str:
    """One table: expected range, the result per year, the verdict per year."""
    years = sorted(by_year)
    head = ["scenario", "outcome", "units", "expected", *[f"result {y}" for y in years],
            *[f"verdict {y}" for y in years]]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    first = by_year[years[0]]
    for i, r in first.iterrows():
        cells = [f"`{r.scenario}`", r.outcome, "treated towns" if r.units == TREATED
                 else r.units, r.expected]
        cells += [_cell(by_year[y].loc[i]) for y in years]
        cells += [by_year[y].loc[i, "verdict"] for y in years]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
