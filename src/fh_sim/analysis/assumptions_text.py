"""The assumptions behind transit, price and migration effects, in plain words.

Each sentence is filled from the baseline's resolved config, so it states the values the
runs used; a sentence whose keys are missing is left out. The full config is the report's
appendix.
"""

from __future__ import annotations

import math
from typing import Any

from fh_sim.analysis.i18n import number


def _get(cfg: dict[str, Any], dotted: str) -> Any:
    node: Any = cfg
    for key in dotted.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _num(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def plain_assumptions(cfg: dict[str, Any], *, lang: str = "en") -> list[str]:
    """Sentences on the assumptions that carry the comparison's effects."""
    sv = lang == "sv"
    out: list[str] = []
    commute = _num(_get(cfg, "rules.utility.commute.coef"))
    cost = _num(_get(cfg, "rules.utility.housing_cost.coef"))
    if commute and cost:
        share = number(100 * commute / cost, lang)
        out.append(
            f"Vid val av bostad väger en timme längre restid till arbetet (enkel väg) lika "
            f"tungt som en boendekostnad {share} % av inkomsten högre."
            if sv
            else f"When choosing a home, one hour more of one-way commuting weighs as much as "
            f"housing costs {share} % of income higher."
        )
    beta = _num(_get(cfg, "region.access_beta_per_min"))
    if beta:
        half = number(math.log(2) / beta, lang)
        out.append(
            f"Tillgänglighet till arbetsplatser: ett jobb {half} minuter bort räknas hälften "
            "så mycket som ett jobb nära hemmet."
            if sv
            else f"Access to jobs: a job {half} minutes away counts half as much as one next "
            "to home."
        )
    cap = _num(_get(cfg, "region.wait_cap_min"))
    transfer = _num(_get(cfg, "region.transfer_penalty_min"))
    if cap is not None and transfer is not None:
        out.append(
            f"Restiden räknar väntetid som halva turintervallet (högst "
            f"{number(cap, lang)} minuter) och {number(transfer, lang)} minuter per byte; "
            "tätare trafik kortar alltså "
            "restiden."
            if sv
            else f"Travel time counts waiting as half the headway (at most {number(cap, lang)} "
            f"minutes) and {number(transfer, lang)} minutes per transfer, so more frequent "
            "service shortens it."
        )
    elasticity = _num(_get(cfg, "rules.migration.in_migration.acc_elasticity"))
    if elasticity is not None:
        out.append(
            f"Inflyttning utifrån ökar med platsens tillgänglighet (elasticitet "
            f"{number(elasticity, lang)}) och minskar med dess prisnivå."
            if sv
            else f"In-migration from outside the region rises with a place's access to jobs "
            f"(elasticity {number(elasticity, lang)}) and falls with its price level."
        )
    out.append(
        "Nya linjers restider och turtäthet är scenariots antaganden (se bilagan), inte "
        "beslutade tidtabeller."
        if sv
        else "Travel times and frequencies of new lines are the scenario's assumptions (see the "
        "appendix), not decided timetables."
    )
    out.append(
        "Modellen är ett scenarioverktyg, inte en prognos: jämför scenarier med varandra "
        "och läs effekterna tillsammans med intervallen."
        if sv
        else "The model is a scenario tool, not a forecast: compare scenarios with each other "
        "and read effects together with their intervals."
    )
    return out
