"""The network map coloured by each scenario's change per zone (scenario minus baseline).

Drawing is delegated to :func:`fh_sim.region.mapplot.draw_network`; this module only
chooses the values (mean paired difference per zone in one year) and lays out one map
per scenario.
"""

from __future__ import annotations

import logging
import math
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from fh_sim.analysis import labels

log = logging.getLogger(__name__)


def zone_changes(diffs: pd.DataFrame, *, metric: str, year: int) -> dict[str, pd.Series]:
    """Mean scenario-minus-baseline ``metric`` per zone in ``year``, per scenario.

    Returns:
        scenario -> Series indexed by zone id (the metric's unit).
    """
    sel = diffs[(diffs["level"] == "zone") & (diffs["metric"] == metric)
                & (diffs["year"] == year)]
    return {
        str(scen): grp.set_index("unit")["mean"].astype(float)
        for scen, grp in sel.groupby("scenario", sort=False)
    }


def change_maps(
    region: Any,
    diffs: pd.DataFrame,
    *,
    metric: str,
    year: int,
    baseline: str = "baseline",
    ncols: int = 2,
) -> Figure | None:
    """One network map per scenario, zones coloured by the change in ``metric``.

    Args:
        region: a :class:`fh_sim.region.Region` (as loaded by ``load_region``).
        diffs: output of ``difference_summary`` (must hold zone-level rows).
        metric: zone-level outcome, e.g. ``population`` or ``accessibility``.
        year: year of the network and of the change.
        baseline: the baseline's label, for the title.
        ncols: maps per row.

    Returns:
        The figure, or None when no zone-level change of ``metric`` is available.
    """
    from fh_sim.region.mapplot import draw_network

    changes = zone_changes(diffs, metric=metric, year=year)
    if not changes:
        return None
    zones = list(region.zones.index)
    n = len(changes)
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    fig = Figure(figsize=(6.2 * ncols, 6.0 * nrows + 0.6), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    label = labels.axis_label(metric, change=True, wrap=30)
    for ax, (scen, values) in zip(axes, changes.items(), strict=False):
        unknown = sorted(set(values.index) - set(zones))
        if unknown:
            log.warning("zones not in the region's data left off the map: %s", unknown)
        draw_network(region, year, values=values.reindex(zones), value_label=label, ax=ax)
        ax.set_title(f"{scen} minus {baseline}", fontsize=11)
    fig.suptitle(f"{labels.name(metric)}: change per zone in {year}, scenario minus "
                 f"{baseline}\n(mean across common seeds)", fontweight="bold", fontsize=12)
    return fig
