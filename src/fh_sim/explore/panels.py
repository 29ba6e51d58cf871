"""The explorer's result panels: a comparison (map, table, charts, exports) and the stepper."""

from __future__ import annotations

import html
from typing import Any

import solara

from fh_sim.analysis import labels
from fh_sim.explore import views
from fh_sim.explore.text import level_name, metric_name, t


def _metrics(outcome: Any) -> list[str]:
    have = set(outcome.levels["metric"].unique())
    return [m for m in labels.KEY_METRICS if m in have]


@solara.component
def ResultsView(
    outcome: Any,
    region: Any,
    lang: str,  # noqa: N802
    scenario: str | None = None,
):
    """A comparison of ``scenario`` with the baseline: controls, map, table, charts, exports."""
    metric, set_metric = solara.use_state("population")
    level, set_level = solara.use_state("region")
    year, set_year = solara.use_state(outcome.year)
    scen, set_scen = solara.use_state(scenario or outcome.scenarios[0])
    if scen not in outcome.scenarios:  # a new outcome with other scenarios
        scen = outcome.scenarios[0]
    year = min(year, outcome.year)
    year_start = int(outcome.levels["year"].min())  # the base year
    metrics = _metrics(outcome)
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "center"}):
        if len(outcome.scenarios) > 1:
            solara.Select(
                t("scenario", lang), value=scen, values=outcome.scenarios, on_value=set_scen
            )
        names = {metric_name(m, lang): m for m in metrics}
        solara.Select(
            t("outcome", lang),
            value=metric_name(metric, lang),
            values=list(names),
            on_value=lambda v: set_metric(names[v]),
            style={"min-width": "300px"},
        )
        solara.Select(
            t("level", lang),
            value=level,
            values=["region", "municipality", "zone"],
            on_value=set_level,
        )
        solara.SliderInt(
            t("year", lang),
            value=year,
            min=year_start + 1,
            max=outcome.year,
            on_value=set_year,
            thumb_label="always",
        )
    mean, low, high = views.zone_change(outcome.diffs, scenario=scen, metric=metric, year=year)
    title = f"{metric_name(metric, lang)}, {scen} − {outcome.baseline}, {year}"
    links = views.network_links(region, year, outcome.link_edits.get(scen, {}))
    svg = views.region_svg(
        region,
        mean,
        title=title,
        links=links,
        low=low,
        high=high,
        value_label=f"{t('change_vs', lang)} {outcome.baseline} "
        f"({labels.unit(metric)}); {level_name('zone', lang)}",
    )
    table = views.difference_table(outcome, scenario=scen, year=year, level=level, lang=lang)
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start"}):
        with solara.Column(style={"max-width": f"{views.SIZE + 20}px"}):
            solara.HTML(tag="div", unsafe_innerHTML=svg)
            solara.Text(t("network_note", lang), style={"font-size": "12px"})
        with solara.Column(style={"max-width": "760px"}):
            solara.HTML(
                tag="b",
                unsafe_innerHTML=html.escape(
                    f"{t('table', lang)}: {scen} − {outcome.baseline}, {year}, "
                    f"{level_name(level, lang)}"
                ),
            )
            solara.HTML(
                tag="div",
                unsafe_innerHTML=views.table_html(table, lang),
                style={"max-height": "520px", "overflow": "auto"},
            )
            with solara.Row():
                solara.FileDownload(
                    lambda: table.to_csv(index=False).encode("utf-8"),
                    filename=f"differences_{scen}_{year}_{level}.csv",
                    label=t("export_csv", lang),
                    mime_type="text/csv",
                )
                solara.FileDownload(
                    lambda: (
                        views.map_png(region, outcome, scenario=scen, metric=metric, year=year)
                        or b""
                    ),
                    filename=f"map_{scen}_{metric}_{year}.png",
                    label=f"{t('map', lang)}: {t('export_png', lang)}",
                    mime_type="image/png",
                )
                solara.FileDownload(
                    svg.encode("utf-8"),
                    filename=f"map_{scen}_{metric}_{year}.svg",
                    label=f"{t('map', lang)}: SVG",
                    mime_type="image/svg+xml",
                )
    Charts(outcome, scen, metric, year, lang)


@solara.component
def Charts(outcome: Any, scen: str, metric: str, year: int, lang: str):  # noqa: N802
    """Time series per municipality and the trade-off chart, drawn in a thread."""

    def draw() -> tuple[Any, Any]:
        return (
            views.series_figure(outcome, scenario=scen, metric=metric, lang=lang),
            views.tradeoff_figure(outcome, scenario=scen, year=year),
        )

    result = solara.use_thread(draw, dependencies=[id(outcome), scen, metric, year, lang])
    if result.value is None:
        solara.ProgressLinear(True)
        return
    series, trade = result.value
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start"}):
        for fig, name, filename in (
            (series, "series", f"series_{metric}.png"),
            (trade, "tradeoff", f"tradeoff_{year}.png"),
        ):
            with solara.Column():
                solara.FigureMatplotlib(fig, format="png")
                solara.FileDownload(
                    lambda fig=fig: views.png_bytes(fig),
                    filename=filename,
                    label=f"{t(name, lang)}: {t('export_png', lang)}",
                    mime_type="image/png",
                )


@solara.component
def StepView(
    stepper: Any,
    region: Any,
    lang: str,
    year: int,
    on_step,
    playing: bool,  # noqa: N802
    on_play,
    on_reset,
    metric: str = "population",
):
    """Play / pause / step one year; the map and a chart follow the model's year."""
    with solara.Row(style={"align-items": "center"}):
        solara.Button(t("reset", lang), on_click=on_reset)
        solara.Button(
            t("step_one", lang),
            on_click=on_step,
            disabled=stepper is None or playing or stepper.done,
        )
        solara.Button(
            t("pause", lang) if playing else t("play", lang),
            on_click=on_play,
            disabled=stepper is None or (stepper.done and not playing),
        )
        solara.Text(
            f"{t('year', lang)}: {year}" if stepper is not None else "", classes=["step-year"]
        )
    if stepper is None:
        return
    change = stepper.zone_change(metric)
    links = views.network_links(region, year, dict((k, v) for k, v in _edits(stepper.sim).items()))
    svg = views.region_svg(
        region,
        change,
        links=links,
        title=f"{metric_name(metric, lang)}, {stepper.sim.scenario.name}, {year}",
        value_label=f"{year} − {stepper.base_year} ({labels.unit(metric)})",
    )
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start"}):
        solara.HTML(tag="div", unsafe_innerHTML=svg)
        fig = _series_figure(stepper, metric, lang)
        solara.FigureMatplotlib(fig, format="png", dependencies=[year, metric, lang])


def _edits(sim: Any) -> dict[str, dict[str, Any]]:
    import dataclasses

    return {k: dataclasses.asdict(v) for k, v in sim.scenario.link_edits.items()}


def _series_figure(stepper: Any, metric: str, lang: str) -> Any:
    from matplotlib.figure import Figure

    table = stepper.series(metric)
    fig = Figure(figsize=(6.5, 4.2), layout="constrained")
    ax = fig.subplots()
    for unit in table.columns:
        ax.plot(table.index, table[unit], lw=1.2, label=unit)
    ax.set_xlim(stepper.base_year, stepper.sim.end_year)
    ax.set_xlabel(t("year", lang))
    ax.set_ylabel(labels.unit(metric))
    ax.set_title(f"{metric_name(metric, lang)} / {level_name('municipality', lang)}")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, ncols=2)
    return fig
