"""The network map coloured by each scenario's change per zone (scenario minus baseline).

Drawing is delegated to :func:`fh_sim.region.mapplot.draw_network`; this module only
chooses the values (mean paired difference per zone in one year) and lays out one map
per scenario.
"""

from __future__ import annotations

import logging
import math
import textwrap
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from fh_sim.analysis import labels

log = logging.getLogger(__name__)

NOISE = 1e-8  # changes smaller than this (in the metric's unit) are drawn as no change


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


def _centre_colours(ax: Any, vals: np.ndarray) -> None:
    """Diverging colours centred on zero (white = no change), whatever the signs."""
    lim = float(np.abs(vals).max()) or 1.0
    for coll in ax.collections:
        arr = coll.get_array()
        if arr is not None and arr.shape == vals.shape:
            coll.set_cmap("RdBu")
            coll.set_clim(-lim, lim)


def change_maps(
    region: Any,
    diffs: pd.DataFrame,
    *,
    metric: str,
    year: int,
    baseline: str = "baseline",
    ncols: int = 3,
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
        The figure, or None when no scenario changes ``metric`` in any zone. Scenarios
        without a change get no map; the title names them.
    """
    from fh_sim.region.mapplot import draw_network

    changes = zone_changes(diffs, metric=metric, year=year)
    unchanged = [s for s, v in changes.items() if not (v.abs() >= NOISE).any()]
    changes = {s: v for s, v in changes.items() if s not in unchanged}
    if not changes:
        return None
    zones = list(region.zones.index)
    n = len(changes)
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    fig = Figure(figsize=(5.6 * ncols, 5.4 * nrows + 0.7), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    label = labels.axis_label(metric, change=True, wrap=30)
    for ax, (scen, values) in zip(axes, changes.items(), strict=False):
        unknown = sorted(set(values.index) - set(zones))
        if unknown:
            log.warning("zones not in the region's data left off the map: %s", unknown)
        missing = [z for z in zones if z not in values.index]
        if missing:
            log.warning("no %s change for zones %s: drawn as 0", metric, missing)
        vals = values.reindex(zones).fillna(0.0).to_numpy(dtype=float, copy=True)
        vals[np.abs(vals) < NOISE] = 0.0  # floating-point noise of identical runs
        draw_network(region, year, values=vals, value_label=label, ax=ax)
        _centre_colours(ax, vals)
        ax.set_title(f"{scen} minus {baseline}", fontsize=11)
    same = ("\n" + textwrap.fill("no change in any zone: " + ", ".join(unchanged), 120)
            if unchanged else "")
    fig.suptitle(f"{labels.name(metric)}: change per zone in {year}, scenario minus "
                 f"{baseline}\n(mean across common seeds){same}", fontweight="bold",
                 fontsize=12)
    return fig
