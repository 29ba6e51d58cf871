"""Schematic map of the region's network: zones at their coordinates, links by mode."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from fh_sim.region.network import links_in_year  # noqa: E402
from fh_sim.region.region import Region  # noqa: E402
from fh_sim.types import FloatArray  # noqa: E402

MODE_STYLE = {
    "rail": ("#c0392b", 2.2, "-"),
    "bus": ("#2471a3", 1.2, "--"),
    "ferry": ("#17a589", 3.0, ":"),
}
LABEL_MIN_POPULATION = 5000
# inset on the city of Helsingborg, whose neighbourhoods crowd the region's map
CITY_LAT, CITY_LON = (55.995, 56.09), (12.67, 12.78)  # degrees
CITY_LABEL_MIN_POPULATION = 2500


def _in_box(lat: FloatArray, lon: FloatArray) -> np.ndarray:
    return (lat >= CITY_LAT[0]) & (lat <= CITY_LAT[1]) & (lon >= CITY_LON[0]) & (lon <= CITY_LON[1])


def _draw_layers(ax: Axes, region: Region, links, xy: dict, size, colour_kw: dict):
    """Links by mode and zones as sized dots; returns the zones' scatter."""
    for mode in ("bus", "rail", "ferry"):
        colour, width, style = MODE_STYLE.get(mode, ("grey", 1.0, "-"))
        for r in (
            links[links["mode"] == mode].drop_duplicates(["from_node", "to_node"]).itertuples()
        ):
            (x0, y0), (x1, y1) = xy[r.from_node], xy[r.to_node]
            ax.plot([x0, x1], [y0, y1], color=colour, lw=width, ls=style, zorder=1, alpha=0.85)
    zones = region.zones
    return ax.scatter(zones.lon, zones.lat, s=size, edgecolors="black", zorder=3, **colour_kw)


def _label(ax: Axes, zones, mask: np.ndarray, fontsize: float) -> None:
    for (_z, r), show in zip(zones.iterrows(), mask, strict=True):
        if show:
            ax.annotate(
                r["name"].split(" och ")[0].split(" (")[0],
                (r.lon, r.lat),
                xytext=(4, 3),
                textcoords="offset points",
                fontsize=fontsize,
                zorder=4,
            )


def draw_network(
    region: Region,
    year: int,
    *,
    values: FloatArray | None = None,
    value_label: str | None = None,
    ax: Axes | None = None,
    label_min_population: float = LABEL_MIN_POPULATION,
    inset: bool = True,
) -> Figure:
    """Draw the network of ``year``: zones sized by population, links coloured by mode.

    Args:
        region: the region.
        year: calendar year whose links in service are drawn.
        values: optional float[n_zones] to colour the zones by (e.g. change in population
            or accessibility); a diverging colour map centred on 0 if values have both signs.
        value_label: colour-bar label for ``values``.
        ax: axes to draw into; a new figure is made when ``None``.
        label_min_population: zones of at least this many persons (2019) are labelled;
            0 labels every zone.
        inset: add an enlarged inset of Helsingborg's neighbourhoods (labelled from 2,500
            persons, or from ``label_min_population`` if smaller).

    Returns:
        The figure drawn into (the top-level figure when ``ax`` is in a subfigure).
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=(9, 9))
    else:
        root = ax.get_figure(root=True)
        if root is None:
            raise ValueError("ax is not in a figure")
        fig = root
    zones, ext = region.zones, region.external_nodes
    xy = {
        **{z: (r.lon, r.lat) for z, r in zones.iterrows()},
        **{n: (r.lon, r.lat) for n, r in ext.iterrows()},
    }
    links = links_in_year(region, year)
    size = 20 + 400 * np.sqrt(
        zones["population_2019"].to_numpy(float) / zones["population_2019"].max()
    )
    if values is None:
        colour_kw: dict = {"c": "#f5b041"}
    else:
        vals = np.asarray(values, dtype=float)
        if vals.shape != (len(zones),):
            raise ValueError(f"values must have shape ({len(zones)},), got {vals.shape}")
        two_sided = vals.min() < 0 < vals.max()
        lim = float(np.abs(vals).max()) or 1.0
        colour_kw = {
            "c": vals,
            "cmap": "RdBu" if two_sided else "viridis",
            "vmin": -lim if two_sided else None,
            "vmax": lim if two_sided else None,
        }
    sc = _draw_layers(ax, region, links, xy, size, colour_kw)
    if values is not None:
        ax.figure.colorbar(sc, ax=ax, shrink=0.6, label=value_label or "")
    ax.scatter(ext.lon, ext.lat, s=60, marker="s", c="#7f8c8d", edgecolors="black", zorder=3)
    lat, lon = zones.lat.to_numpy(float), zones.lon.to_numpy(float)
    pop = zones.population_2019.to_numpy(float)
    city = _in_box(lat, lon)
    show_inset = inset and int(city.sum()) >= 8
    rural = zones.is_rural.to_numpy(bool)
    main_labels = (pop >= label_min_population) & ~rural
    if show_inset:  # in the city only its centre is labelled on the region's map
        main_labels = (main_labels & ~city) | (zones.index.to_numpy() == "helsingborg")
    _label(ax, zones, main_labels, 8)
    if show_inset:
        sub = ax.inset_axes((0.6, 0.5, 0.4, 0.42))
        _draw_layers(sub, region, links, xy, size * 0.3, colour_kw)
        sub.set_xlim(*CITY_LON)
        sub.set_ylim(*CITY_LAT)
        sub.set_aspect(1 / np.cos(np.radians(sum(CITY_LAT) / 2)))
        sub.set_xticks([])
        sub.set_yticks([])
        sub.set_title("Helsingborg: stadsdelar / neighbourhoods", fontsize=7)
        floor = min(CITY_LABEL_MIN_POPULATION, label_min_population)
        _label(sub, zones, city & (pop >= floor) & ~rural, 6)
        ax.indicate_inset_zoom(sub, edgecolor="#555555")
    for _, r in ext.iterrows():
        ax.annotate(
            r["name"],
            (r.lon, r.lat),
            xytext=(5, -10),
            textcoords="offset points",
            fontsize=7,
            color="#555555",
            zorder=4,
        )
    handles = [Line2D([], [], color=c, lw=w, ls=s, label=m) for m, (c, w, s) in MODE_STYLE.items()]
    handles += [
        Line2D([], [], marker="o", ls="", mfc="#f5b041", mec="black", label="zone"),
        Line2D([], [], marker="s", ls="", mfc="#7f8c8d", mec="black", label="external node"),
    ]
    ax.legend(handles=handles, loc="lower right", fontsize=8)
    ax.set_aspect(1 / np.cos(np.radians(float(zones.lat.mean()))))
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    ax.set_title(f"Transit network {year}: zones sized by population")
    return fig
