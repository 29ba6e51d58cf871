"""The comparison's figures in report order, with titles and captions in two languages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from matplotlib.figure import Figure

from fh_sim.analysis import labels, plots

if TYPE_CHECKING:
    from fh_sim.analysis.compare import Comparison

TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "population_municipality": {
        "en": (
            "Population per municipality over time",
            "One line per scenario (mean across its runs) with the 5-95 % band across "
            "seeds; persons in the real region.",
        ),
        "sv": (
            "Befolkning per kommun över tid",
            "En linje per scenario (medel över dess körningar) med 5-95 %-bandet mellan "
            "seeds; personer i hela regionen.",
        ),
    },
    "difference_horizon": {
        "en": (
            "Scenario minus {base} in {year}, key outcomes",
            "Paired on common seeds: dot = mean change, bar = 5-95 % of the per-seed "
            "changes. Zero (dashed) = no change from the baseline.",
        ),
        "sv": (
            "Scenario minus {base} år {year}, viktiga utfall",
            "Parvis på gemensamma seeds: punkt = medelförändring, streck = 5-95 % av "
            "förändringarna per seed. Noll (streckad) = ingen förändring.",
        ),
    },
    "map": {
        "en": (
            "Map: change in {name} per zone",
            "Zones coloured by the mean change in {name} ({unit}) against {base} in "
            "{year}, one colour scale for all maps; thick lines are the scenario's new "
            "links (solid) and changed services (dashed). Municipal areas are "
            "approximate (nearest zone centre), not official borders; no coast outline "
            "is available offline.",
        ),
        "sv": (
            "Karta: förändring i {name} per zon",
            "Zonerna färgade efter medelförändringen i {name} ({unit}) mot {base} år "
            "{year}, samma färgskala i alla kartor; tjocka linjer är scenariots nya "
            "länkar (heldragna) och ändrad trafik (streckade). Kommunområdena är "
            "ungefärliga (närmaste zoncentrum), inte officiella gränser; ingen kustlinje "
            "finns tillgänglig offline.",
        ),
    },
    "tradeoff": {
        "en": (
            "Growth against current residents' welfare",
            "x: change in the region's population; y: change in base-year resident "
            "households still in the region, in displaced households and in the housing "
            "cost share. Up-right on the first panel is growth that also keeps current "
            "residents; up on the other two is worse for them.",
        ),
        "sv": (
            "Tillväxt mot nuvarande invånares välfärd",
            "x: förändring i regionens befolkning; y: förändring i basårets hushåll kvar "
            "i regionen, i undanträngda hushåll och i boendekostnadsandelen. Uppåt "
            "höger i första panelen är tillväxt som behåller nuvarande invånare; uppåt i "
            "de två andra är sämre för dem.",
        ),
    },
    "segregation_rent_burden": {
        "en": (
            "Segregation and housing cost share over time",
            "Region-level dissimilarity, isolation and Theil's H between income groups, "
            "and the housing cost share of income; mean and 5-95 % band across seeds.",
        ),
        "sv": (
            "Segregation och boendekostnadsandel över tid",
            "Olikhetsindex, isolering och Theils H mellan inkomstgrupper på regionnivå, "
            "och boendekostnadens andel av inkomsten; medel och 5-95 %-band.",
        ),
    },
    "segments": {
        "en": (
            "Outcomes per household segment",
            "Which target groups (life stage x income) each scenario attracts or loses, "
            "against the baseline on common seeds.",
        ),
        "sv": (
            "Utfall per hushållsgrupp",
            "Vilka målgrupper (livsskede x inkomst) varje scenario lockar eller förlorar, "
            "mot jämförelsescenariot på gemensamma seeds.",
        ),
    },
}


def _text(key: str, lang: str, **fields: object) -> tuple[str, str]:
    title, caption = TEXTS[key].get(lang, TEXTS[key]["en"])
    return title.format(**fields), caption.format(**fields)


def _edits(comp: Comparison) -> dict[str, dict[str, dict[str, Any]]]:
    out = {}
    for scen, cfg in comp.collection.configs.items():
        edits = (cfg.get("scenario") or {}).get("link_edits") or {}
        out[scen] = {str(k): v for k, v in edits.items() if isinstance(v, dict)}
    return out


def make_figures(
    comp: Comparison,
    *,
    metrics: Sequence[str] | None = None,
    region: Any | None = None,
    label_zones: bool = False,
) -> dict[str, tuple[Figure, str, str]]:
    """Build the comparison's figures (not saved).

    Returns:
        file stem -> (figure, title, caption), in report order.
    """
    base, year, lv, df = comp.pairing.baseline, comp.year, comp.levels, comp.diffs
    lang, colors = comp.lang, comp.colors
    has_diffs = not df.empty
    figs: dict[str, tuple[Figure, str, str]] = {}
    figs["population_municipality"] = (
        plots.time_series(
            lv, metric="population", level="municipality", baseline=base, lang=lang, colors=colors
        ),
        *_text("population_municipality", lang),
    )
    if has_diffs:
        figs["difference_horizon"] = (
            plots.difference_at_horizon(
                df, year=year, metrics=metrics, baseline=base, lang=lang, colors=colors
            ),
            *_text("difference_horizon", lang, base=base, year=year),
        )
    if has_diffs and region is not None:
        from fh_sim.analysis.maps import change_maps

        for metric in ("population", "accessibility"):
            fig = change_maps(
                region,
                df,
                metric=metric,
                year=year,
                baseline=base,
                edits=_edits(comp),
                lang=lang,
                label_zones=label_zones,
            )
            if fig is not None:
                name = labels.name(metric, lang)
                figs[f"map_{metric}_change"] = (
                    fig,
                    *_text(
                        "map",
                        lang,
                        name=name[0].lower() + name[1:],
                        unit=labels.unit(metric, lang),
                        base=base,
                        year=year,
                    ),
                )
    if has_diffs:
        figs["tradeoff"] = (
            plots.tradeoff(df, year=year, baseline=base, lang=lang, colors=colors),
            *_text("tradeoff", lang),
        )
    figs["segregation_rent_burden"] = (
        plots.indicators_over_time(lv, baseline=base, lang=lang, colors=colors),
        *_text("segregation_rent_burden", lang),
    )
    figs["segments"] = (
        plots.segments(
            df if has_diffs else lv, year=year, change=has_diffs, baseline=base, lang=lang
        ),
        *_text("segments", lang),
    )
    return figs
