"""Maps of each scenario's change per zone, with the scenario's network changes drawn.

One panel per scenario, all on one colour scale (diverging, white = no change) with one
colour bar. Each panel shows approximate municipal areas (every point of the map given to
the municipality of the nearest zone centre, within :data:`LAND_KM` of one; not official
borders), municipality names, the transit links in service in light grey, the scenario's
new links (thick black) and changed services (thick dashed purple), and zones as circles
sized by population. Only the larger zones are named unless ``label_zones``; no coast
outline is drawn (none is available offline).
"""

from __future__ import annotations

import logging
import math
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from fh_sim.analysis import labels

log = logging.getLogger(__name__)

NOISE = 1e-8  # changes smaller than this (in the metric's unit) are drawn as no change
LAND_KM = 7.0  # map points farther than this from every zone centre are left blank
LABEL_ZONES = 10  # zones named per panel (the most populous) unless label_zones
NEW_COLOR, CHANGED_COLOR = "#000000", "#6a3d9a"
KM_PER_DEG_LAT = 111.2
WORDS = {
    "en": {
        "new": "new link",
        "changed": "changed service",
        "removed": "removed link",
        "links": "links in service",
        "title": "{name}: change per zone in {year}, scenario minus {base}",
        "sub": "(mean across common seeds; approximate "
        "municipal areas from the nearest zone centre; one colour scale for all maps)",
        "same": "no change in any zone: ",
        "minus": "{scen} minus {base}",
    },
    "sv": {
        "new": "ny länk",
        "changed": "ändrad trafik",
        "removed": "borttagen länk",
        "links": "länkar i trafik",
        "title": "{name}: förändring per zon år {year}, scenario minus {base}",
        "sub": "(medel över gemensamma seeds; ungefärliga "
        "kommunområden efter närmaste zoncentrum; samma färgskala i alla kartor)",
        "same": "ingen förändring i någon zon: ",
        "minus": "{scen} minus {base}",
    },
}


def zone_changes(diffs: pd.DataFrame, *, metric: str, year: int) -> dict[str, pd.Series]:
    """Mean scenario-minus-baseline ``metric`` per zone in ``year``, per scenario.

    Returns:
        scenario -> Series indexed by zone id (the metric's unit).
    """
    sel = diffs[(diffs["level"] == "zone") & (diffs["metric"] == metric) & (diffs["year"] == year)]
    return {
        str(scen): grp.set_index("unit")["mean"].astype(float)
        for scen, grp in sel.groupby("scenario", sort=False)
    }


def _xy(region: Any) -> dict[str, tuple[float, float]]:
    zones, ext = region.zones, region.external_nodes
    return {
        **{z: (r.lon, r.lat) for z, r in zones.iterrows()},
        **{n: (r.lon, r.lat) for n, r in ext.iterrows()},
    }


def municipal_areas(zones: pd.DataFrame, *, cells: int = 220) -> tuple[np.ndarray, ...]:
    """Nearest-zone municipality raster: ``(lon grid, lat grid, municipality index)``.

    The index is -1 farther than :data:`LAND_KM` from every zone centre.
    """
    lon, lat = zones["lon"].to_numpy(float), zones["lat"].to_numpy(float)
    kx = KM_PER_DEG_LAT * math.cos(math.radians(float(lat.mean())))
    pad = 0.08
    gx = np.linspace(lon.min() - pad, lon.max() + pad, cells)
    gy = np.linspace(lat.min() - pad / 2, lat.max() + pad / 2, cells)
    mx, my = np.meshgrid(gx, gy)
    d2 = ((mx[..., None] - lon) * kx) ** 2 + ((my[..., None] - lat) * KM_PER_DEG_LAT) ** 2
    nearest = d2.argmin(axis=-1)
    names = list(dict.fromkeys(zones["municipality"]))
    code = np.array([names.index(m) for m in zones["municipality"]])
    idx = code[nearest]
    idx[d2.min(axis=-1) > LAND_KM**2] = -1
    return mx, my, idx


def _draw_background(ax: Any, region: Any, areas: tuple[np.ndarray, ...]) -> None:
    mx, my, idx = areas
    shade = np.where(idx < 0, np.nan, idx % 2).astype(float)
    ax.pcolormesh(
        mx,
        my,
        shade,
        cmap=ListedColormap(["#f2f2f2", "#e6e6e6"]),
        shading="nearest",
        zorder=0,
        rasterized=True,
    )
    border = np.zeros(idx.shape, dtype=bool)
    border[:, 1:] |= idx[:, 1:] != idx[:, :-1]
    border[1:, :] |= idx[1:, :] != idx[:-1, :]
    border &= idx >= 0
    ax.scatter(mx[border], my[border], s=0.6, c="#8c8c8c", marker="s", lw=0, zorder=0.5)
    names = list(dict.fromkeys(region.zones["municipality"]))
    for k, muni in enumerate(names):
        inside = idx == k
        if not inside.any():
            continue
        x, y = float(mx[inside].mean()), float(my[inside].mean())
        ax.text(
            x,
            y,
            str(muni),
            ha="center",
            va="center",
            fontsize=8.5,
            fontweight="bold",
            color="#333333",
            zorder=5,
            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.6},
        )


def _draw_links(
    ax: Any,
    region: Any,
    year: int,
    edits: dict[str, dict[str, Any]],
    xy: dict[str, tuple[float, float]],
) -> None:
    from fh_sim.region.network import links_in_year

    links = links_in_year(region, year).drop_duplicates(["from_node", "to_node"])
    for r in links.itertuples():
        (x0, y0), (x1, y1) = xy[r.from_node], xy[r.to_node]
        ax.plot([x0, x1], [y0, y1], color="#9e9e9e", lw=1.0, zorder=1)
    for edit in edits.values():
        if int(edit.get("start_year", 0)) > year:
            continue
        a, b = xy.get(str(edit.get("from_node"))), xy.get(str(edit.get("to_node")))
        if a is None or b is None:
            continue
        op = edit.get("op", "add")
        style = {
            "add": (NEW_COLOR, "-"),
            "change": (CHANGED_COLOR, "--"),
            "remove": ("#b15928", ":"),
        }.get(op, (NEW_COLOR, "-"))
        ax.plot([a[0], b[0]], [a[1], b[1]], color=style[0], ls=style[1], lw=3.2, zorder=2)


def _label_zones(ax: Any, zones: pd.DataFrame, *, all_zones: bool) -> None:
    if all_zones:
        chosen = zones
    else:
        chosen = zones[~zones["is_rural"].astype(bool)].nlargest(LABEL_ZONES, "population_2019")
    munis = set(zones["municipality"].astype(str))
    for _z, r in chosen.iterrows():
        if not all_zones and str(r["name"]).split(" och ")[0] in munis:
            continue  # the municipality's name already stands near its main town
        ax.annotate(
            str(r["name"]).split(" och ")[0],
            (r.lon, r.lat),
            xytext=(4, -9),
            textcoords="offset points",
            fontsize=7.5,
            color="#222222",
            zorder=6,
        )


def change_maps(
    region: Any,
    diffs: pd.DataFrame,
    *,
    metric: str,
    year: int,
    baseline: str = "baseline",
    edits: dict[str, dict[str, dict[str, Any]]] | None = None,
    lang: str = "en",
    label_zones: bool = False,
    ncols: int = 2,
) -> Figure | None:
    """One map per scenario, zones coloured by the change in ``metric`` on one scale.

    Args:
        region: a :class:`fh_sim.region.Region` (as loaded by ``load_region``).
        diffs: output of ``difference_summary`` (must hold zone-level rows).
        metric: zone-level outcome, e.g. ``population`` or ``accessibility``.
        year: year of the network and of the change.
        baseline: the baseline's label, for the title.
        edits: scenario -> its ``link_edits`` (config dicts), drawn on its map.
        lang: ``en`` or ``sv``.
        label_zones: name every zone (default: the most populous ones).
        ncols: maps per row.

    Returns:
        The figure, or None when no scenario changes ``metric`` in any zone. Scenarios
        without a change get no map; the title names them.
    """
    words = WORDS.get(lang, WORDS["en"])
    changes = zone_changes(diffs, metric=metric, year=year)
    unchanged = [s for s, v in changes.items() if not (v.abs() >= NOISE).any()]
    changes = {s: v for s, v in changes.items() if s not in unchanged}
    if not changes:
        return None
    zones = region.zones
    ids = list(zones.index)
    values = {}
    for scen, v in changes.items():
        unknown = sorted(set(v.index) - set(ids))
        if unknown:
            log.warning("zones not in the region's data left off the map: %s", unknown)
        vals = v.reindex(ids).fillna(0.0).to_numpy(dtype=float, copy=True)
        vals[np.abs(vals) < NOISE] = 0.0  # floating-point noise of identical runs
        values[scen] = vals
    lim = max(float(np.abs(v).max()) for v in values.values()) or 1.0
    n = len(values)
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    fig = Figure(figsize=(5.4 * ncols + 1.0, 5.0 * nrows + 1.0), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    xy = _xy(region)
    areas = municipal_areas(zones)
    size = 15 + 260 * np.sqrt(
        zones["population_2019"].to_numpy(float) / zones["population_2019"].max()
    )
    mappable = None
    for ax, (scen, vals) in zip(axes, values.items(), strict=False):
        _draw_background(ax, region, areas)
        _draw_links(ax, region, year, (edits or {}).get(scen, {}), xy)
        mappable = ax.scatter(
            zones["lon"],
            zones["lat"],
            s=size,
            c=vals,
            cmap="RdBu",
            vmin=-lim,
            vmax=lim,
            edgecolors="#333333",
            lw=0.6,
            zorder=3,
        )
        _label_zones(ax, zones, all_zones=label_zones)
        ax.set_xlim(float(areas[0].min()), float(areas[0].max()))
        ax.set_ylim(float(areas[1].min()), float(areas[1].max()))
        ax.set_aspect(1 / np.cos(np.radians(float(zones["lat"].mean()))))
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(words["minus"].format(scen=scen, base=baseline), fontsize=11)
    if mappable is not None:
        fig.colorbar(mappable, ax=axes[:n].tolist(), shrink=0.6, aspect=30).set_label(
            labels.axis_label(metric, change=True, wrap=40, lang=lang), fontsize=9
        )
    handles = [
        Line2D([], [], color="#9e9e9e", lw=1.0, label=words["links"]),
        Line2D([], [], color=NEW_COLOR, lw=3.2, label=words["new"]),
        Line2D([], [], color=CHANGED_COLOR, lw=3.2, ls="--", label=words["changed"]),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=9, frameon=False)
    same = ("\n" + words["same"] + ", ".join(unchanged)) if unchanged else ""
    fig.suptitle(
        words["title"].format(name=labels.name(metric, lang), year=year, base=baseline)
        + "\n"
        + words["sub"]
        + same,
        fontweight="bold",
        fontsize=11,
    )
    return fig
