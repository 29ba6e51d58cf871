"""The plot every single run writes beside its outcome table: population over time."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402


def population_figure(outcomes: pd.DataFrame, *, title: str) -> Figure:
    """Region population (persons) and each municipality's population indexed to the base year.

    Args:
        outcomes: one run's tidy outcome table (``year, level, unit, metric, value``).
        title: figure title (e.g. the scenario name and seed).

    Returns:
        A two-panel figure: left the region in persons, right municipalities with the
        base year = 100.
    """
    pop = outcomes[outcomes["metric"] == "population"]
    region = pop[pop["level"] == "region"].sort_values("year")
    munis = pop[pop["level"] == "municipality"]
    by_muni = munis.pivot(index="year", columns="unit", values="value")
    base = by_muni.iloc[0]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8), constrained_layout=True)
    left.plot(region["year"], region["value"], color="black", lw=2)
    left.set_title("Familjen Helsingborg")
    left.set_xlabel("year")
    left.set_ylabel("population (persons)")
    left.yaxis.set_major_formatter(lambda x, _pos: f"{x:,.0f}")
    left.grid(alpha=0.3)
    order = by_muni.columns[base.argsort()[::-1]]
    cmap = plt.get_cmap("tab20")
    for i, name in enumerate(order):
        right.plot(by_muni.index, 100 * by_muni[name] / base[name], color=cmap(i), label=name)
    right.set_title("Municipalities (base year = 100)")
    right.set_xlabel("year")
    right.set_ylabel("population index")
    right.grid(alpha=0.3)
    right.legend(fontsize=8, ncols=2, loc="upper left")
    fig.suptitle(title, fontweight="bold")
    return fig


def write_population_plot(outcomes: pd.DataFrame, path: str, *, title: str) -> None:
    """Draw :func:`population_figure` and save it as PNG at ``path``."""
    fig = population_figure(outcomes, title=title)
    fig.savefig(path, dpi=110)
    plt.close(fig)
