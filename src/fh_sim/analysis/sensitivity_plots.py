"""Figures of a sensitivity study: Morris mu*-sigma, Sobol S1/ST and HDMR S1 with intervals.

Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies);
titles are in Swedish and English.
"""

from __future__ import annotations

import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from fh_sim.analysis import labels  # noqa: E402

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
TOP = 15
TITLE_WIDTH = 70  # characters per title line at the figures' width


def _heading(kind: str, when: str, title: str) -> str:
    """Method line and the outcome, wrapped to the figure's width."""
    return f"{kind}{when}\n" + textwrap.fill(title, TITLE_WIDTH)


def outcome_title(target: str, scenario: str, metric: str, level: str, unit: str) -> str:
    """``Effect of S on <metric> (<place>)`` or ``<metric> in S (<place>)``."""
    name = (
        "Population growth since the base year"
        if metric == "population_growth"
        else labels.name(metric)
    )
    place = "region" if level == "region" else unit
    if target == "effect":
        return f"Effect of {scenario} on {name.lower()} ({place})"
    return f"{name} in {scenario} ({place})"


def outcome_unit(metric: str, target: str) -> str:
    """Unit of an outcome, or of its change (percentage points for growth)."""
    if metric == "population_growth":
        return "percentage points" if target == "effect" else "%"
    return labels.unit(metric) or "outcome unit"


def morris_plot(rows: pd.DataFrame, *, title: str, unit: str, horizon: int | None) -> Figure:
    """mu* against sigma, one point per input, the top inputs named.

    Args:
        rows: one outcome's rows of :func:`fh_sim.analysis.sensitivity.analyse`.
        title: what the outcome is.
        unit: the outcome's unit (mu* and sigma share it).
        horizon: the year the outcome is read.
    """
    fig, ax = plt.subplots(figsize=(8.5, 6.0), layout="constrained")
    top = rows.nsmallest(8, "rank")
    rest = rows.drop(top.index)
    ax.scatter(rest["mu_star"], rest["sigma"], s=22, color="#999999", label="other inputs")
    for i, (_, r) in enumerate(top.iterrows()):
        color = OKABE_ITO[i % len(OKABE_ITO)]
        ax.errorbar(
            r["mu_star"],
            r["sigma"],
            xerr=r["mu_star_conf"],
            fmt="o",
            ms=7,
            color=color,
            capsize=3,
            label=f"{int(r['rank'])}. {r['input']}",
        )
    hi = max(float(rows["mu_star"].max()), float(rows["sigma"].max()), 1e-12)
    ax.plot([0, hi], [0, hi], ls="--", lw=0.8, color="#555555")
    ax.text(hi, hi, " sigma = mu*", va="bottom", ha="right", fontsize=8, color="#555555")
    ax.set_xlabel(f"mu*: mean absolute elementary effect ({unit})")
    ax.set_ylabel(f"sigma: spread of the elementary effects ({unit})")
    when = f", {horizon}" if horizon else ""
    fig.suptitle(_heading("Morris-screening / Morris screening", when, title), fontsize=11)
    ax.legend(
        fontsize=8, loc="upper left", title="most influential (95 % CI on mu*)", title_fontsize=8
    )
    ax.grid(alpha=0.3)
    return fig


def sobol_plot(rows: pd.DataFrame, *, title: str, horizon: int | None) -> Figure:
    """First-order and total indices of the top inputs with 95 % bootstrap intervals."""
    top = rows.nsmallest(TOP, "rank").iloc[::-1]
    fig, ax = plt.subplots(figsize=(8.5, 0.38 * len(top) + 1.8), layout="constrained")
    y = range(len(top))
    ax.barh(
        [i + 0.2 for i in y],
        top["ST"],
        height=0.4,
        xerr=top["ST_conf"],
        color=OKABE_ITO[0],
        capsize=2,
        label="ST: total order (with interactions)",
    )
    ax.barh(
        [i - 0.2 for i in y],
        top["S1"],
        height=0.4,
        xerr=top["S1_conf"],
        color=OKABE_ITO[1],
        capsize=2,
        label="S1: first order (alone)",
    )
    ax.set_yticks(list(y), top["input"])
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_xlabel("share of the outcome's variance over the input ranges (0-1)")
    when = f", {horizon}" if horizon else ""
    fig.suptitle(_heading("Sobol-index / Sobol indices", when, title), fontsize=11)
    ax.legend(
        fontsize=8, loc="lower right", title="bars: 95 % bootstrap interval", title_fontsize=8
    )
    ax.grid(axis="x", alpha=0.3)
    return fig


def hdmr_plot(rows: pd.DataFrame, *, title: str, horizon: int | None) -> Figure:
    """HDMR first-order indices of the top inputs with 95 % intervals.

    Two bars above the inputs split the outcome's variance over the points into the share
    the inputs explain (the sum of the indices) and the rest (the model's run-to-run
    randomness and the interactions the first-order metamodel leaves out).
    """
    top = rows.nsmallest(TOP, "rank").iloc[::-1]
    explained = min(max(float(rows["explained"].iloc[0]), 0.0), 1.0)
    fig, ax = plt.subplots(figsize=(8.5, 0.32 * (len(top) + 3) + 2.8), layout="constrained")
    clear = (top["S1"] - top["S1_conf"] > 0).to_numpy()
    ax.barh(
        range(len(top)),
        top["S1"],
        height=0.6,
        xerr=top["S1_conf"],
        color=[OKABE_ITO[0] if c else "#BBBBBB" for c in clear],
        capsize=2,
    )
    n = len(top)
    ax.barh([n + 1, n + 2], [1.0 - explained, explained], height=0.6, color=[OKABE_ITO[1]] * 2)
    ax.axhline(n + 0.25, color="#333333", lw=0.6)
    labels_y = [
        *top["input"],
        "slump och samspel / randomness and interactions",
        "förklarat av indata / explained by the inputs",
    ]
    ax.set_yticks([*range(n), n + 1, n + 2], labels_y)
    for y, share in ((n + 1, 1.0 - explained), (n + 2, explained)):
        ax.text(share, y, f" {100 * share:.0f} %", va="center", fontsize=9)
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_xlim(right=1.08)
    ax.set_xlabel(
        "andel av utfallets varians över indatas intervall (0-1)\n"
        "share of the outcome's variance over the input ranges (0-1)"
    )
    when = f", {horizon}" if horizon else ""
    fig.suptitle(_heading("HDMR-index / HDMR indices", when, title), fontsize=11)
    fig.legend(
        handles=[
            plt.Rectangle((0, 0), 1, 1, color=OKABE_ITO[0]),
            plt.Rectangle((0, 0), 1, 1, color="#BBBBBB"),
            plt.Rectangle((0, 0), 1, 1, color=OKABE_ITO[1]),
        ],
        labels=[
            "S1, intervallet utesluter noll / interval excludes zero",
            "S1, intervallet omfattar noll / interval includes zero",
            "variansens delar / parts of the variance",
        ],
        fontsize=8,
        loc="outside lower center",
        ncols=2,
        title="streck: 95 % bootstrapintervall / bars: 95 % bootstrap interval",
        title_fontsize=8,
    )
    ax.grid(axis="x", alpha=0.3)
    return fig


def robustness_plot(table: pd.DataFrame, *, baseline: str) -> Figure:
    """Share of parameter draws in which each scenario beats the baseline, per outcome.

    Args:
        table: :func:`fh_sim.analysis.uncertainty.robustness` rows against ``baseline``.
        baseline: the scenario compared against.
    """
    rows = table[table["versus"] == baseline]
    metrics = list(dict.fromkeys(rows["metric"]))
    scenarios = list(dict.fromkeys(rows["scenario"]))
    fig, ax = plt.subplots(
        figsize=(9.0, 0.5 * len(scenarios) * max(len(metrics), 1) / 2 + 2.2), layout="constrained"
    )
    height = 0.8 / max(len(metrics), 1)
    for j, metric in enumerate(metrics):
        sub = rows[rows["metric"] == metric].set_index("scenario").reindex(scenarios)
        pos = [i + (j - (len(metrics) - 1) / 2) * height for i in range(len(scenarios))]
        better = "higher" if sub["higher_is_better"].iloc[0] else "lower"
        bars = ax.barh(
            pos,
            100 * sub["share_better"],
            height=height,
            color=OKABE_ITO[j % len(OKABE_ITO)],
            label=f"{labels.name(metric)} ({better} is better)",
        )
        # the value at every bar, so that a share of 0 % reads as a result, not a gap
        ax.bar_label(bars, fmt="%.0f %%", fontsize=7, padding=2)
    ax.axvline(50, ls="--", lw=0.8, color="#333333")
    ax.set_yticks(range(len(scenarios)), scenarios)
    ax.set_xlim(0, 108)
    ax.set_xlabel(
        f"andel parameterdragningar där scenariot slår {baseline} (%)\n"
        f"share of parameter draws in which the scenario beats {baseline} (%)"
    )
    ax.set_title(
        f"Robusthet / Robustness: how often is each scenario better than {baseline}?", fontsize=11
    )
    fig.legend(fontsize=8, loc="outside lower center", ncols=2)
    ax.grid(axis="x", alpha=0.3)
    return fig
