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
    *, label: str, value: float, lo: float, hi: float, step: float, on_value: Callable[[Any], None]
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

    def row(widget: Callable[..., Any], label: str, name: str, **extra: Any) -> None:
        """One control labelled ``t(label)`` that shows and sets the lever field ``name``."""
        shown = "values" if widget is solara.SelectMultiple else "value"
        widget(
            label=t(label, lang), **{shown: getattr(lev, name)}, on_value=set_lever(name), **extra
        )

    row(solara.InputInt, "start_year", "start_year")
    with solara.Card(t("safety", lang)):
        row(_slider, "crime_reduction", "safety_reduction", lo=0.0, hi=0.6, step=0.05)
        row(
            solara.SelectMultiple,
            "places",
            "safety_places",
            all_values=places,
            classes=["safety-places"],
        )
    with solara.Card(t("trust_card", lang)):
        row(_slider, "trust", "trust_increase", lo=0.0, hi=0.5, step=0.05)
        row(solara.SelectMultiple, "places", "trust_places", all_values=places)
    with solara.Card(t("income_card", lang)):
        row(_slider, "income", "income_increase", lo=0.0, hi=0.5, step=0.05)
        row(_slider, "reach", "income_reach", lo=0.0, hi=0.2, step=0.01)
        row(solara.SelectMultiple, "places", "income_places", all_values=places)
    with solara.Card(t("housing", lang)):
        row(_slider, "construction", "construction_multiplier", lo=0.0, hi=3.0, step=0.1)
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
        row(_slider, "affordable", "affordable_share", lo=0.0, hi=1.0, step=0.05)
        row(solara.Checkbox, "queue", "queue_priority")
        row(solara.SelectMultiple, "places", "housing_places", all_values=places)
    with solara.Card(t("new_link", lang)):
        with solara.Row():
            row(solara.Select, "from_stop", "link_from", values=nodes, classes=["link-from"])
            row(solara.Select, "to_stop", "link_to", values=nodes, classes=["link-to"])
        row(solara.Select, "mode", "link_mode", values=["rail", "bus", "ferry"])
        with solara.Row():
            row(solara.InputFloat, "minutes", "link_minutes")
            row(solara.InputFloat, "departures", "link_departures")
            row(solara.InputInt, "opening_year", "link_year")
    with solara.Card(t("freq_change", lang)):
        row(solara.Select, "line", "freq_line", values=lines)
        with solara.Row():
            row(solara.InputFloat, "departures", "freq_departures")
            row(solara.InputInt, "from_year", "freq_year")
