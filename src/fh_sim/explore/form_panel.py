"""Form controls for the explorer's levers (:class:`fh_sim.explore.scenario_form.FormLevers`).

Places, stops and lines are read from the loaded region, never fixed here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import solara

from fh_sim.explore.scenario_form import FormLevers
from fh_sim.explore.text import t

DEFAULT_MIX = (0.5, 0.3, 0.2)  # form default when the mix is switched on (rental, TO, house)


def _slider(
    label: str, value: float, lo: float, hi: float, step: float, on_value: Callable[[Any], None]
) -> None:
    """A labelled slider that keeps its full width in the narrow sidebar."""
    solara.Text(f"{label}: {value:g}", style={"font-size": "13px", "color": "#555"})
    solara.SliderFloat("", value=value, min=lo, max=hi, step=step, on_value=on_value)


def place_options(region: Any) -> list[str]:
    """Municipality names then zone ids of the region."""
    return [*sorted(region.municipalities.index), *region.zones.index]


@solara.component
def LeverInputs(
    lev: FormLevers,
    set_lever: Callable[[str], Callable[[Any], None]],  # noqa: N802
    region: Any,
    lang: str,
):
    """One card per kind of intervention; a lever at its neutral value adds nothing."""
    places = place_options(region)
    nodes = ["", *region.node_ids]
    lines = ["", *sorted(region.links["line"].unique())]
    solara.InputInt(t("start_year", lang), value=lev.start_year, on_value=set_lever("start_year"))
    with solara.Card(t("safety", lang)):
        _slider(
            t("crime_reduction", lang),
            lev.safety_reduction,
            0.0,
            0.6,
            0.05,
            set_lever("safety_reduction"),
        )
        solara.SelectMultiple(
            t("places", lang),
            values=lev.safety_places,
            all_values=places,
            on_value=set_lever("safety_places"),
            classes=["safety-places"],
        )
    with solara.Card(t("trust_card", lang)):
        _slider(t("trust", lang), lev.trust_increase, 0.0, 0.5, 0.05, set_lever("trust_increase"))
        solara.SelectMultiple(
            t("places", lang),
            values=lev.trust_places,
            all_values=places,
            on_value=set_lever("trust_places"),
        )
    with solara.Card(t("income_card", lang)):
        _slider(
            t("income", lang), lev.income_increase, 0.0, 0.5, 0.05, set_lever("income_increase")
        )
        _slider(t("reach", lang), lev.income_reach, 0.0, 0.2, 0.01, set_lever("income_reach"))
        solara.SelectMultiple(
            t("places", lang),
            values=lev.income_places,
            all_values=places,
            on_value=set_lever("income_places"),
        )
    with solara.Card(t("housing", lang)):
        _slider(
            t("construction", lang),
            lev.construction_multiplier,
            0.0,
            3.0,
            0.1,
            set_lever("construction_multiplier"),
        )
        solara.Checkbox(
            label=t("tenure_mix", lang),
            value=lev.tenure_mix is not None,
            on_value=lambda on: set_lever("tenure_mix")(DEFAULT_MIX if on else None),
        )
        if lev.tenure_mix is not None:
            mix = list(lev.tenure_mix)
            for i, key in enumerate(("rental", "tenant_owned", "house")):

                def put(v: float, i: int = i) -> None:
                    new = list(mix)
                    new[i] = float(v)
                    set_lever("tenure_mix")(tuple(new))

                solara.InputFloat(t(key, lang), value=mix[i], on_value=put, classes=[f"mix-{key}"])
        _slider(
            t("affordable", lang),
            lev.affordable_share,
            0.0,
            1.0,
            0.05,
            set_lever("affordable_share"),
        )
        solara.Checkbox(
            label=t("queue", lang), value=lev.queue_priority, on_value=set_lever("queue_priority")
        )
        solara.SelectMultiple(
            t("places", lang),
            values=lev.housing_places,
            all_values=places,
            on_value=set_lever("housing_places"),
        )
    with solara.Card(t("new_link", lang)):
        with solara.Row():
            solara.Select(
                t("from_stop", lang),
                value=lev.link_from,
                values=nodes,
                on_value=set_lever("link_from"),
                classes=["link-from"],
            )
            solara.Select(
                t("to_stop", lang),
                value=lev.link_to,
                values=nodes,
                on_value=set_lever("link_to"),
                classes=["link-to"],
            )
        solara.Select(
            t("mode", lang),
            value=lev.link_mode,
            values=["rail", "bus", "ferry"],
            on_value=set_lever("link_mode"),
        )
        with solara.Row():
            solara.InputFloat(
                t("minutes", lang), value=lev.link_minutes, on_value=set_lever("link_minutes")
            )
            solara.InputFloat(
                t("departures", lang),
                value=lev.link_departures,
                on_value=set_lever("link_departures"),
            )
            solara.InputInt(
                t("opening_year", lang), value=lev.link_year, on_value=set_lever("link_year")
            )
    with solara.Card(t("freq_change", lang)):
        solara.Select(
            t("line", lang), value=lev.freq_line, values=lines, on_value=set_lever("freq_line")
        )
        with solara.Row():
            solara.InputFloat(
                t("departures", lang),
                value=lev.freq_departures,
                on_value=set_lever("freq_departures"),
            )
            solara.InputInt(
                t("from_year", lang), value=lev.freq_year, on_value=set_lever("freq_year")
            )
