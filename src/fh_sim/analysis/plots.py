"""Comparison plots: pure functions from summary tables to matplotlib Figures.

Inputs are the tables of :mod:`fh_sim.analysis.aggregate` (``summarise`` gives levels,
``difference_summary`` gives scenario minus baseline), each row holding ``mean``,
``q05`` and ``q95`` across seeds. No model imports; nothing is re-run. Figures are
built with :class:`matplotlib.figure.Figure` (no pyplot state), so they can be saved
from any thread or shown in a notebook.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from fh_sim.analysis import labels
from fh_sim.analysis.effects import MIN_SEEDS_FIRM
from fh_sim.analysis.i18n import TEXT, t
from fh_sim.analysis.palette import (  # noqa: F401 (re-exported)
    BASELINE_COLOR,
    CATALOGUE_ORDER,
    PALETTE,
    scenario_colors,
)

MANY = 6  # above this many scenarios, time series show the baseline's band only


def _wrap(text: str, width: int = 34) -> str:
    return textwrap.fill(text, width=width)


def _number_format(ax: Axes, axis: str = "y", lang: str = "en") -> None:
    def fmt(x: float, _pos: int) -> str:
        text = f"{x:,.0f}".replace(",", "\u2009") if abs(x) >= 1000 else f"{x:.3g}"
        return text.replace(".", ",") if lang == "sv" else text

    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(FuncFormatter(fmt))


def _grid(
    n: int, *, ncols: int, width: float, height: float, sharex: bool = False
) -> tuple[Figure, list[Axes]]:
    ncols = max(1, min(ncols, n))
    nrows = max(1, math.ceil(n / ncols))
    fig = Figure(figsize=(width * ncols, height * nrows + 0.9), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, sharex=sharex).ravel().tolist()
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes[:n]


def _empty(title: str, message: str) -> Figure:
    fig = Figure(figsize=(7, 2.5), layout="constrained")
    ax = fig.subplots()
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", wrap=True)
    fig.suptitle(title, fontweight="bold")
    return fig


def _time_lines(
    ax: Axes,
    sel: pd.DataFrame,
    scenarios: Sequence[str],
    colors: dict[str, str],
    baseline: str | None,
) -> None:
    all_bands = len(scenarios) <= MANY
    order = [x for x in scenarios if x != baseline] + [x for x in scenarios if x == baseline]
    for scen in order:
        d = sel[sel["scenario"] == scen].sort_values("year")
        if d.empty:
            continue
        is_base = scen == baseline
        ax.plot(
            d["year"],
            d["mean"],
            color=colors[scen],
            lw=2.2 if is_base else 1.5,
            label=scen,
            zorder=3 if is_base else 2,
        )
        if all_bands or is_base:
            ax.fill_between(
                d["year"], d["q05"], d["q95"], color=colors[scen], alpha=0.18, lw=0, zorder=1
            )


def _legend(fig: Figure, ax: Axes, scenarios: Sequence[str]) -> None:
    handles, names = ax.get_legend_handles_labels()
    order = [names.index(s) for s in scenarios if s in names]
    width = fig.get_figwidth()
    longest = max((len(n) for n in names), default=10)
    ncols = max(1, min(len(order), int(width / (0.09 * longest + 0.6))))
    fig.legend(
        [handles[i] for i in order],
        [names[i] for i in order],
        loc="outside lower center",
        ncols=ncols,
        fontsize=9,
        frameon=False,
    )


def _level_word(level: str, lang: str) -> str:
    key = f"level_{level}"
    return t(key, lang) if key in TEXT else level


def _band_note(scenarios: Sequence[str], baseline: str | None, lang: str = "en") -> str:
    many = len(scenarios) > MANY and baseline in scenarios
    return t("base_band" if many else "band", lang)


def time_series(
    levels: pd.DataFrame,
    *,
    metric: str,
    level: str,
    units: Sequence[str] | None = None,
    baseline: str | None = None,
    title: str | None = None,
    ncols: int = 4,
    lang: str = "en",
    colors: dict[str, str] | None = None,
) -> Figure:
    """One panel per unit (municipality, zone...), one line per scenario with its band.

    Args:
        levels: output of ``summarise``.
        metric: outcome to plot.
        level: ``region``, ``municipality``, ``zone`` or ``segment``.
        units: units to show, in order (default: all, largest first).
        baseline: baseline label (drawn in dark grey).
        title: figure title.
        ncols: panels per row.
        lang: ``en`` or ``sv``.
        colors: scenario -> colour (default: :func:`scenario_colors`).
    """
    sel = levels[(levels["metric"] == metric) & (levels["level"] == level)]
    title = title or t(
        "over_time",
        lang,
        name=labels.name(metric, lang),
        level=_level_word(level, lang),
    )
    if sel.empty:
        return _empty(title, f"No {level}-level '{metric}' in these runs.")
    if units is None:
        first = sel[sel["year"] == sel["year"].min()]
        units = first.groupby("unit")["mean"].mean().sort_values(ascending=False).index.tolist()
    scenarios = list(dict.fromkeys(sel["scenario"]))
    colors = colors or scenario_colors(scenarios, baseline=baseline)
    fig, axes = _grid(len(units), ncols=ncols, width=3.4, height=2.5, sharex=True)
    for ax, unit in zip(axes, units, strict=True):
        _time_lines(ax, sel[sel["unit"] == unit], scenarios, colors, baseline)
        ax.set_title(unit, fontsize=10)
        ax.set_ylabel(labels.unit(metric, lang) or metric, fontsize=8)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
        _number_format(ax, lang=lang)
    for ax in axes[-ncols:]:
        ax.set_xlabel(t("year", lang), fontsize=8)
        ax.tick_params(labelbottom=True)
    _legend(fig, axes[0], scenarios)
    fig.suptitle(
        f"{title}\n({_band_note(scenarios, baseline, lang)})", fontweight="bold", fontsize=11
    )
    return fig


def indicators_over_time(
    levels: pd.DataFrame,
    *,
    metrics: Sequence[str] = tuple(labels.SEGREGATION_METRICS),
    level: str = "region",
    baseline: str | None = None,
    title: str | None = None,
    lang: str = "en",
    colors: dict[str, str] | None = None,
) -> Figure:
    """One panel per metric (region level), one line per scenario with its band."""
    title = title or t("indicators", lang)
    sel = levels[levels["level"] == level]
    present = [m for m in metrics if (sel["metric"] == m).any()]
    if not present:
        return _empty(title, "None of " + ", ".join(metrics) + " in these runs.")
    scenarios = list(dict.fromkeys(sel["scenario"]))
    colors = colors or scenario_colors(scenarios, baseline=baseline)
    fig, axes = _grid(len(present), ncols=2, width=5.2, height=3.2, sharex=True)
    for ax, metric in zip(axes, present, strict=True):
        _time_lines(ax, sel[sel["metric"] == metric], scenarios, colors, baseline)
        ax.set_title(_wrap(labels.name(metric, lang), 44), fontsize=10)
        ax.set_ylabel(labels.unit(metric, lang) or metric, fontsize=8)
        ax.set_xlabel(t("year", lang), fontsize=8)
        ax.tick_params(labelbottom=True)
        ax.grid(alpha=0.3)
        _number_format(ax, lang=lang)
    _legend(fig, axes[0], scenarios)
    fig.suptitle(
        f"{title} ({_level_word(level, lang)})\n({_band_note(scenarios, baseline, lang)})",
        fontweight="bold",
        fontsize=11,
    )
    return fig


def _n_note(diffs: pd.DataFrame, lang: str = "en") -> str:
    n = diffs.groupby("scenario")["n"].max()
    if n.empty:
        return ""
    if n.nunique() == 1:
        return t("seeds", lang, n=int(n.iloc[0]))
    return t("seeds_by", lang) + ", ".join(f"{s} {int(v)}" for s, v in n.items())


def difference_at_horizon(
    diffs: pd.DataFrame,
    *,
    year: int,
    metrics: Sequence[str] | None = None,
    level: str = "region",
    unit: str | None = None,
    baseline: str = "baseline",
    ncols: int = 4,
    lang: str = "en",
    colors: dict[str, str] | None = None,
) -> Figure:
    """Scenario minus baseline in ``year``: mean and 90% interval, one panel per metric.

    Args:
        diffs: output of ``difference_summary``.
        year: the year compared (usually the horizon).
        metrics: outcomes to show (default: the key outcomes present).
        level: level of the rows compared.
        unit: the unit within ``level`` (default: the only one, e.g. the region).
        baseline: the baseline's label, for the title.
        ncols: panels per row.
        lang: ``en`` or ``sv``.
        colors: scenario -> colour (default: :func:`scenario_colors`).
    """
    sel = diffs[(diffs["year"] == year) & (diffs["level"] == level)]
    if unit is not None:
        sel = sel[sel["unit"] == unit]
    title = t("plot_minus", lang, base=baseline, year=year)
    if sel.empty:
        return _empty(title, t("plot_no_pair", lang))
    wanted = metrics if metrics is not None else labels.KEY_METRICS
    present = [m for m in wanted if (sel["metric"] == m).any()]
    if not present:
        return _empty(title, t("none", lang))
    scenarios = list(dict.fromkeys(sel["scenario"]))
    colors = colors or scenario_colors(scenarios)
    fig, axes = _grid(len(present), ncols=ncols, width=3.3, height=0.3 * len(scenarios) + 1.3)
    ypos = np.arange(len(scenarios))[::-1]
    ncols = max(1, min(ncols, len(present)))
    for k, (ax, metric) in enumerate(zip(axes, present, strict=True)):
        d = sel[sel["metric"] == metric].set_index("scenario").reindex(scenarios)
        for y, scen in zip(ypos, scenarios, strict=True):
            row = d.loc[scen]
            if np.isnan(row["mean"]):
                continue
            ax.errorbar(
                row["mean"],
                y,
                xerr=[[row["mean"] - row["q05"]], [row["q95"] - row["mean"]]],
                fmt="o",
                color=colors[scen],
                capsize=3,
                ms=5,
            )
        ax.axvline(0, color="0.4", lw=0.8, ls="--")
        ax.set_yticks(ypos, scenarios if k % ncols == 0 else [], fontsize=8)
        ax.grid(axis="y", alpha=0.15)
        ax.set_ylim(-0.6, len(scenarios) - 0.4)
        ax.set_title(_wrap(labels.name(metric, lang)), fontsize=10)
        ax.set_xlabel(labels.axis_label(metric, change=True, lang=lang), fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
        ax.grid(axis="x", alpha=0.3)
        _number_format(ax, "x", lang=lang)
    where = unit or (sel["unit"].iloc[0] if sel["unit"].nunique() == 1 else level)
    fig.suptitle(
        f"{title}, {where}\n({t('dots', lang, n=_n_note(sel, lang))})",
        fontweight="bold",
        fontsize=11,
    )
    return fig


def tradeoff(
    diffs: pd.DataFrame,
    *,
    year: int,
    growth: str = "population",
    welfare: Sequence[str] = tuple(labels.WELFARE_METRICS),
    baseline: str = "baseline",
    lang: str = "en",
    colors: dict[str, str] | None = None,
) -> Figure:
    """Growth against current residents' welfare, scenario minus baseline, region level.

    x: change in ``growth`` (population); y: change in each welfare outcome (base-year
    residents still housed, displacement, rent burden), one panel each, one point per
    scenario with 90% intervals on both axes.
    """
    sel = diffs[(diffs["year"] == year) & (diffs["level"] == "region")]
    title = t("tradeoff", lang, year=year, base=baseline)
    present = [m for m in welfare if (sel["metric"] == m).any()]
    if sel.empty or not (sel["metric"] == growth).any() or not present:
        return _empty(
            title,
            "Needs region-level population and welfare outcomes "
            "for scenarios paired with the baseline.",
        )
    scenarios = list(dict.fromkeys(sel["scenario"]))
    colors = colors or scenario_colors(scenarios)
    gx = sel[sel["metric"] == growth].set_index("scenario")
    fig, axes = _grid(len(present), ncols=3, width=4.6, height=4.2)
    numbered = len(scenarios) > 4
    names = {s: f"{k} {s}" if numbered else s for k, s in enumerate(scenarios, start=1)}
    for ax, metric in zip(axes, present, strict=True):
        gy = sel[sel["metric"] == metric].set_index("scenario")
        for k, scen in enumerate(scenarios, start=1):
            if scen not in gx.index or scen not in gy.index:
                continue
            x, y = gx.loc[scen], gy.loc[scen]
            ax.errorbar(
                x["mean"],
                y["mean"],
                xerr=[[x["mean"] - x["q05"]], [x["q95"] - x["mean"]]],
                yerr=[[y["mean"] - y["q05"]], [y["q95"] - y["mean"]]],
                fmt="o",
                color=colors[scen],
                capsize=2.5,
                ms=5,
                elinewidth=1,
                alpha=0.9,
                label=names[scen],
            )
            ax.annotate(
                str(k) if numbered else scen,
                (x["mean"], y["mean"]),
                textcoords="offset points",
                xytext=(4, 4),
                fontsize=8,
                color=colors[scen],
                fontweight="bold",
            )
        ax.plot([0], [0], marker="s", color=BASELINE_COLOR, ms=6, ls="", label=baseline)
        ax.axhline(0, color="0.6", lw=0.8, ls="--")
        ax.axvline(0, color="0.6", lw=0.8, ls="--")
        ax.set_xlabel(labels.axis_label(growth, change=True, lang=lang), fontsize=8)
        ax.set_ylabel(labels.axis_label(metric, change=True, lang=lang), fontsize=8)
        ax.set_title(_wrap(labels.name(metric, lang)), fontsize=10)
        ax.grid(alpha=0.3)
        _number_format(ax, "x", lang=lang)
        _number_format(ax, "y", lang=lang)
    _legend(fig, axes[0], [*names.values(), baseline])
    fig.suptitle(
        f"{title}\n({t('points', lang, n=_n_note(sel, lang), base=baseline)})",
        fontweight="bold",
        fontsize=11,
    )
    return fig


SEGMENT_STAGES = ("young", "family", "adult", "senior")
SEGMENT_INCOMES = ("low", "mid", "high")


def _segment_key(name: str) -> tuple[int, int, str]:
    stage, _, income = name.partition("_")
    return (
        SEGMENT_STAGES.index(stage) if stage in SEGMENT_STAGES else 99,
        SEGMENT_INCOMES.index(income) if income in SEGMENT_INCOMES else 99,
        name,
    )


def _cell_format(lim: float) -> str:
    return "{:.0f}" if lim >= 10 else "{:.1f}" if lim >= 1 else "{:.3f}"


def segments(
    table: pd.DataFrame,
    *,
    year: int,
    metrics: Sequence[str] = tuple(labels.SEGMENT_METRICS),
    change: bool = True,
    baseline: str = "baseline",
    lang: str = "en",
) -> Figure:
    """Outcomes per household segment in ``year``: a scenario x segment grid per metric.

    Cells hold the mean across seeds (colour and number). With ``change``, the number is
    bold where the 90% interval of the paired difference excludes zero.

    Args:
        table: ``difference_summary`` output (``change=True``) or ``summarise`` output.
        year: the year shown.
        metrics: segment-level outcomes to show, when present.
        change: whether ``table`` holds scenario-minus-baseline differences.
        baseline: the baseline's label, for the title.
        lang: ``en`` or ``sv``.
    """
    sel = table[(table["year"] == year) & (table["level"] == "segment")]
    what = f"scenario minus {baseline}" if change else t("level", lang)
    title = t("segments", lang, year=year, what=what)
    present = [m for m in metrics if (sel["metric"] == m).any()]
    if not present:
        return _empty(title, "No segment-level outcomes in these runs.")
    scenarios = list(dict.fromkeys(sel["scenario"]))
    segs = sorted(sel["unit"].unique(), key=_segment_key)
    ncols = 1 if len(segs) > 6 else 2  # the figure stays under ~1000 px wide
    fig, axes = _grid(
        len(present), ncols=ncols, width=0.5 * len(segs) + 3.6, height=0.3 * len(scenarios) + 2.0
    )
    for k, (ax, metric) in enumerate(zip(axes, present, strict=True)):
        d = sel[sel["metric"] == metric]
        grids = {
            c: d.pivot_table(index="scenario", columns="unit", values=c)
            .reindex(index=scenarios, columns=segs)
            .to_numpy(float)
            for c in ("mean", "q05", "q95")
        }
        mean = grids["mean"]
        lim = float(np.nanmax(np.abs(mean))) if np.isfinite(mean).any() else 1.0
        lim = lim or 1.0
        im = ax.imshow(
            mean,
            aspect="auto",
            cmap="RdBu" if change else "viridis",
            vmin=-lim if change else None,
            vmax=lim if change else None,
        )
        fmt = _cell_format(lim)
        sure = (grids["q05"] > 0) | (grids["q95"] < 0)
        if "n" in d.columns:  # a firm effect needs enough paired seeds
            n = (
                d.pivot_table(index="scenario", columns="unit", values="n")
                .reindex(index=scenarios, columns=segs)
                .to_numpy(float)
            )
            sure &= np.nan_to_num(n) >= MIN_SEEDS_FIRM
        for (i, j), v in np.ndenumerate(mean):
            if np.isnan(v):
                continue
            dark = change and abs(v) > 0.6 * lim
            cell = fmt.format(v)
            cell = cell.replace(".", ",") if lang == "sv" else cell
            ax.text(
                j,
                i,
                cell,
                ha="center",
                va="center",
                fontsize=6.5,
                color="white" if dark else "black",
                fontweight="bold" if change and sure[i, j] else "normal",
            )
        ax.set_xticks(
            range(len(segs)),
            [s.replace("_", " ") for s in segs],
            rotation=45,
            ha="right",
            fontsize=8,
        )
        ax.set_yticks(range(len(scenarios)), scenarios if k % ncols == 0 else [], fontsize=8)
        ax.set_xlabel(t("seg_axis", lang), fontsize=8)
        ax.set_title(_wrap(labels.name(metric, lang)), fontsize=10)
        fig.colorbar(im, ax=ax, shrink=0.85).set_label(
            labels.axis_label(metric, change=change, wrap=32, lang=lang), fontsize=8
        )
    note = t("seg_change", lang, k=MIN_SEEDS_FIRM) if change else t("seg_level", lang)
    fig.suptitle(f"{title}\n({note})", fontweight="bold", fontsize=11)
    return fig
