"""What the explorer shows: the region map (SVG), the charts, the difference table, exports.

The map is plain SVG so it needs no JavaScript library: zones are circles at their
coordinates coloured by a value (diverging, colour-blind-safe ``RdBu``, white = 0), links
are lines by mode, and every zone carries a ``<title>`` the browser shows on hover. The
charts are the comparison's own matplotlib figures (:mod:`fh_sim.analysis.plots`).
"""

from __future__ import annotations

import html
import io
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.colors import to_hex

from fh_sim.analysis import labels
from fh_sim.analysis.aggregate import summary_table
from fh_sim.explore.text import metric_name, t

SIZE = 560  # SVG width and height (px)
MODE_COLOUR = {"rail": "#7f7f7f", "bus": "#b0b0b0", "ferry": "#17a589"}
EDIT_COLOUR = "#000000"


def _fmt(x: float) -> str:
    if not np.isfinite(x):
        return "–"
    if x != 0 and abs(x) < 0.01:
        return f"{x:.2e}"
    return f"{x:,.3g}" if abs(x) < 1000 else f"{x:,.0f}"


def network_links(region: Any, year: int, edits: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """Links in service in ``year`` with the scenario's edits; ``edited`` marks new or changed."""
    from fh_sim.config.scenario import LinkEdit
    from fh_sim.region.network import links_in_year

    objs = {k: LinkEdit(**v) for k, v in (edits or {}).items()}
    links = links_in_year(region, year, objs).copy()
    base = links_in_year(region, year)
    cols = ["from_node", "to_node", "line", "minutes", "departures_per_hour"]
    before = set(base[cols].itertuples(index=False, name=None))
    links["edited"] = [row not in before for row in links[cols].itertuples(index=False, name=None)]
    return links


def region_svg(
    region: Any,
    values: pd.Series,
    *,
    title: str,
    value_label: str,
    links: pd.DataFrame,
    low: pd.Series | None = None,
    high: pd.Series | None = None,
) -> str:
    """The map as SVG: zones coloured by ``values`` (indexed by zone id), ``links`` drawn.

    Args:
        region: the region (zone and node coordinates, names, municipalities).
        values: value per zone id (missing zones are grey).
        title: heading drawn above the map.
        value_label: what the colours mean, with the unit.
        links: ``network_links`` output.
        low: optional 5% quantile per zone, shown on hover.
        high: optional 95% quantile per zone, shown on hover.
    """
    zones, ext = region.zones, region.external_nodes
    lon = pd.concat([zones["lon"], ext["lon"]])
    lat = pd.concat([zones["lat"], ext["lat"]])
    zone_lat = zones["lat"]
    x_scale = np.cos(np.radians(float(zone_lat.mean())))
    x0, x1 = float(zones["lon"].min()) - 0.05, float(zones["lon"].max()) + 0.05
    y0, y1 = float(zone_lat.min()) - 0.04, float(zone_lat.max()) + 0.04
    span = max((x1 - x0) * x_scale, y1 - y0)
    top, pad = 60, 20
    inner = SIZE - 2 * pad

    def xy(node: str) -> tuple[float, float]:
        return (
            pad + (float(lon[node]) - x0) * x_scale / span * inner,
            top + (y1 - float(lat[node])) / span * inner,
        )

    vals = values.reindex(zones.index).astype(float)
    finite = vals[np.isfinite(vals)]
    lim = float(finite.abs().max()) if len(finite) else 0.0
    lim = lim or 1.0
    cmap = colormaps["RdBu"]
    height = top + inner + 70
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="region-map" width="{SIZE}" '
        f'height="{height}" viewBox="0 0 {SIZE} {height}" font-family="sans-serif">',
        f'<rect width="{SIZE}" height="{height}" fill="white"/>',
        f'<text x="{SIZE / 2}" y="22" text-anchor="middle" font-size="15" '
        f'font-weight="bold">{html.escape(title)}</text>',
        f'<text x="{SIZE / 2}" y="42" text-anchor="middle" font-size="12">'
        f"{html.escape(value_label)}</text>",
        f'<clipPath id="map-area"><rect x="0" y="{top - 10}" width="{SIZE}" '
        f'height="{inner + 20}"/></clipPath><g clip-path="url(#map-area)">',
    ]
    for r in links.sort_values("edited").itertuples():
        if r.from_node not in lon.index or r.to_node not in lon.index:
            continue
        (ax, ay), (bx, by) = xy(str(r.from_node)), xy(str(r.to_node))
        colour = EDIT_COLOUR if r.edited else MODE_COLOUR.get(str(r.mode), "#999")
        width = 4 if r.edited else (2 if r.mode == "rail" else 1)
        dash = ' stroke-dasharray="5,3"' if r.mode == "bus" and not r.edited else ""
        cls = "link edited" if r.edited else "link"
        tip = (
            f"{r.line} ({r.mode}): {r.from_node}–{r.to_node}, {r.minutes:g} min, "
            f"{r.departures_per_hour:g}/h"
        )
        out.append(
            f'<line class="{cls}" x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" '
            f'y2="{by:.1f}" stroke="{colour}" stroke-width="{width}"{dash}>'
            f"<title>{html.escape(tip)}</title></line>"
        )
    pop = zones["population_2019"].astype(float)
    radius = 3 + 14 * np.sqrt(pop / pop.max())
    for z in zones.index:
        cx, cy = xy(z)
        v = vals[z]
        fill = to_hex(cmap(0.5 - 0.5 * v / lim)) if np.isfinite(v) else "#cccccc"
        tip = f"{zones.at[z, 'name']} ({zones.at[z, 'municipality']}): {_fmt(v)}"
        if low is not None and high is not None and z in low.index:
            tip += f" [{_fmt(float(low[z]))} to {_fmt(float(high[z]))}]"
        out.append(
            f'<circle class="zone" data-zone="{html.escape(str(z))}" '
            f'data-value="{v:.6g}" cx="{cx:.1f}" cy="{cy:.1f}" r="{radius[z]:.1f}" '
            f'fill="{fill}" stroke="#333" stroke-width="0.8">'
            f"<title>{html.escape(tip)}</title></circle>"
        )
    out.append("</g>")
    # colour bar: -lim (red) .. 0 (white) .. +lim (blue)
    by = top + inner + 25
    for i in range(40):
        frac = i / 39
        out.append(
            f'<rect x="{140 + i * 7}" y="{by}" width="7" height="12" fill="{to_hex(cmap(frac))}"/>'
        )
    for x, text in ((140, _fmt(-lim)), (280, "0"), (420, _fmt(lim))):
        out.append(
            f'<text x="{x}" y="{by + 28}" text-anchor="middle" font-size="11">'
            f"{html.escape(text)}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def zone_change(
    diffs: pd.DataFrame, *, scenario: str, metric: str, year: int
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Mean, q05 and q95 of the zone-level change in ``metric`` in ``year`` (by zone id)."""
    sel = diffs[
        (diffs["scenario"] == scenario)
        & (diffs["level"] == "zone")
        & (diffs["metric"] == metric)
        & (diffs["year"] == year)
    ].set_index("unit")
    return sel["mean"], sel["q05"], sel["q95"]


def difference_table(
    outcome: Any, *, scenario: str, year: int, level: str = "region", lang: str = "en"
) -> pd.DataFrame:
    """Scenario against baseline in ``year``: levels, mean difference and 90% interval.

    Returns:
        Columns ``metric, name, unit, place, baseline, scenario, difference, q05, q95,
        n_pairs`` for the key outcomes (``labels.KEY_METRICS``) at ``level``.
    """
    lv = outcome.levels[outcome.levels["scenario"].isin([scenario, outcome.baseline])]
    df = outcome.diffs[outcome.diffs["scenario"] == scenario]
    tab = summary_table(lv, df, year=year, level=level, order=labels.KEY_METRICS)
    tab = tab[tab["metric"].isin(labels.KEY_METRICS)]
    base = tab[tab["scenario"] == outcome.baseline].set_index(["metric", "unit"])["mean"]
    scen = tab[tab["scenario"] == scenario].set_index(["metric", "unit"])
    out = pd.DataFrame(
        {
            "metric": scen.index.get_level_values(0),
            "name": [metric_name(m, lang) for m in scen.index.get_level_values(0)],
            "unit": [labels.unit(m) for m in scen.index.get_level_values(0)],
            "place": scen.index.get_level_values(1),
            "baseline": base.reindex(scen.index).to_numpy(),
            "scenario": scen["mean"].to_numpy(),
            "difference": scen["diff_mean"].to_numpy(),
            "q05": scen["diff_q05"].to_numpy(),
            "q95": scen["diff_q95"].to_numpy(),
            "n_pairs": scen["n_pairs"].to_numpy(),
        }
    )
    return out.reset_index(drop=True)


def table_html(table: pd.DataFrame, lang: str) -> str:
    """The difference table as HTML (``id="diff-table"``; hover a row for its interval)."""
    head = [
        t("metric", lang),
        t("unit", lang),
        "",
        "baseline",
        t("scenario", lang),
        t("difference", lang),
        t("interval", lang),
        t("pairs", lang),
    ]
    rows = []
    for r in table.itertuples():
        name, metric = html.escape(str(r.name)), html.escape(str(r.metric))
        base, scen, diff, lo, hi = (
            _fmt(float(v)) for v in (r.baseline, r.scenario, r.difference, r.q05, r.q95)
        )
        tip = f"{name}: {diff} ({lo} to {hi}), n={r.n_pairs}"
        rows.append(
            f'<tr title="{tip}" data-metric="{metric}">'
            f"<td>{name}</td><td>{html.escape(str(r.unit))}</td>"
            f"<td>{html.escape(str(r.place))}</td><td>{base}</td>"
            f"<td>{scen}</td><td class='diff'><b>{diff}</b></td>"
            f"<td>{lo} – {hi}</td><td>{r.n_pairs}</td></tr>"
        )
    cells = "".join(f"<th style='text-align:left'>{html.escape(h)}</th>" for h in head)
    return (
        '<table id="diff-table" style="border-collapse:collapse;font-size:13px" '
        'cellpadding="4" border="1"><thead><tr>'
        + cells
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def series_figure(outcome: Any, *, scenario: str, metric: str, lang: str) -> Any:
    """Per-municipality time series of ``metric``, baseline and scenario with seed bands."""
    from fh_sim.analysis.plots import time_series

    lv = outcome.levels[outcome.levels["scenario"].isin([scenario, outcome.baseline])]
    return time_series(
        lv,
        metric=metric,
        level="municipality",
        baseline=outcome.baseline,
        title=f"{metric_name(metric, lang)} / {t('series', lang)}",
    )


def tradeoff_figure(outcome: Any, *, scenario: str, year: int) -> Any:
    """Growth against current residents' welfare (scenario minus baseline, region)."""
    from fh_sim.analysis.plots import tradeoff

    return tradeoff(
        outcome.diffs[outcome.diffs["scenario"] == scenario], year=year, baseline=outcome.baseline
    )


def png_bytes(fig: Any, dpi: int = 100) -> bytes:
    """A matplotlib figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def map_png(region: Any, outcome: Any, *, scenario: str, metric: str, year: int) -> bytes | None:
    """The change map as PNG (``fh_sim.analysis.maps``), or None when nothing changed."""
    from fh_sim.analysis.maps import change_maps

    fig = change_maps(
        region,
        outcome.diffs[outcome.diffs["scenario"] == scenario],
        metric=metric,
        year=year,
        baseline=outcome.baseline,
    )
    return None if fig is None else png_bytes(fig)
