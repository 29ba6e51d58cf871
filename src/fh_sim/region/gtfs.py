"""Read an operator's GTFS timetable into rows of the region's ``links.csv``.

A planner can replace the embedded lines by the operator's own timetable: the feed's
stops are matched to the nearest zone or external node (within ``max_km``), each trip
becomes a sequence of nodes, and every pair of consecutive nodes on a route becomes one
link with the median in-vehicle minutes over the day's trips and the departures per hour
in a time window (the busier direction). Stops that match no node are passed through and
counted in ``via_stops``. Reading uses partridge (the feed of one service date).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import partridge as ptg

from fh_sim.errors import DataError
from fh_sim.region.rules import haversine_km

LINK_COLUMNS = (
    "link_id",
    "from_node",
    "to_node",
    "mode",
    "line",
    "minutes",
    "departures_per_hour",
    "first_year",
    "last_year",
    "km",
    "km_basis",
    "via_stops",
    "rule_minutes",
    "status",
    "frequency_status",
    "source",
)


def route_mode(route_type: int) -> str:
    """rail, bus or ferry from a GTFS (or extended) route type."""
    t = int(route_type)
    if t in (0, 1, 2, 5, 7, 12) or 100 <= t < 200 or 400 <= t < 500 or 900 <= t < 1000:
        return "rail"
    if t == 4 or 1000 <= t < 1100 or 1200 <= t < 1300:
        return "ferry"
    return "bus"


def match_stops(stops: pd.DataFrame, nodes: pd.DataFrame, max_km: float) -> dict[str, str]:
    """stop_id -> nearest node id within ``max_km`` (stops farther away are left out).

    Args:
        stops: GTFS stops with ``stop_id``, ``stop_lat``, ``stop_lon``.
        nodes: ``node_id``, ``lat``, ``lon`` of zones and external nodes.
        max_km: largest straight-line distance of a match, km.
    """
    out: dict[str, str] = {}
    pts = [
        (str(n), float(la), float(lo))
        for n, la, lo in zip(nodes.node_id, nodes.lat, nodes.lon, strict=True)
    ]
    for sid, lat, lon in zip(stops.stop_id, stops.stop_lat, stops.stop_lon, strict=True):
        dist = [haversine_km(float(lat), float(lon), p[1], p[2]) for p in pts]
        k = int(np.argmin(dist))
        if dist[k] <= max_km:
            out[str(sid)] = pts[k][0]
    return out


def _segments(stop_times: pd.DataFrame, stop_node: dict[str, str]) -> pd.DataFrame:
    """One row per pair of consecutive matched nodes of every trip."""
    rows = []
    st = stop_times.sort_values(["trip_id", "stop_sequence"])
    for trip, grp in st.groupby("trip_id", sort=False):
        last: str | None = None
        dep, via = math.nan, 0
        for sid, arr, leave in zip(grp.stop_id, grp.arrival_time, grp.departure_time, strict=True):
            node = stop_node.get(str(sid))
            if node is None:
                via += 1
                continue
            if last is not None and node != last:
                rows.append((trip, last, node, (float(arr) - dep) / 60.0, dep, via))
            if node != last:
                via = 0
            last, dep = node, float(leave)
    return pd.DataFrame(
        rows, columns=["trip_id", "from_node", "to_node", "minutes", "depart_s", "via_stops"]
    )


def feed_links(
    path: str | Path,
    nodes: pd.DataFrame,
    *,
    date=None,
    window_hours: tuple[float, float] = (7.0, 9.0),
    max_km: float = 1.0,
    first_year: int = 1990,
) -> pd.DataFrame:
    """Links (``links.csv`` columns) of every route in a GTFS feed on one service date.

    Args:
        path: GTFS zip file or folder.
        nodes: ``node_id``, ``lat``, ``lon`` of the region's zones and external nodes.
        date: service date (``datetime.date``); None = the feed's busiest date.
        window_hours: (from, to) hour of the day over which departures are counted.
        max_km: largest distance between a stop and the node it stands for, km.
        first_year: ``first_year`` written on every link.

    Returns:
        DataFrame with :data:`LINK_COLUMNS`, one row per route and pair of nodes.

    Raises:
        DataError: the feed has no trips on the date or no stop near any node.
    """
    path = str(path)
    if date is None:
        date, service_ids = ptg.read_busiest_date(path)
    else:
        service_ids = ptg.read_service_ids_by_date(path).get(date, frozenset())
    if not service_ids:
        raise DataError(f"the feed has no service on {date}", file=path)
    feed = ptg.load_feed(path, view={"trips.txt": {"service_id": service_ids}})
    stop_node = match_stops(feed.stops, nodes, max_km)
    if not stop_node:
        raise DataError(f"no stop of the feed lies within {max_km:g} km of a node", file=path)
    trips = feed.trips[["trip_id", "route_id"]]
    segs = _segments(feed.stop_times, stop_node).merge(trips, on="trip_id")
    routes = feed.routes.set_index("route_id")
    lo, hi = window_hours
    segs["a"] = segs[["from_node", "to_node"]].min(axis=1)
    segs["b"] = segs[["from_node", "to_node"]].max(axis=1)
    rows = []
    for (route_id, a, b), both in segs.groupby(["route_id", "a", "b"], sort=True):
        in_window = both[(both.depart_s >= lo * 3600) & (both.depart_s < hi * 3600)]
        per_dir = in_window.groupby("from_node").size()
        dph = float(per_dir.max()) / (hi - lo) if len(per_dir) else 0.0
        if dph <= 0:
            continue
        r = routes.loc[route_id]
        name = str(r.get("route_short_name") or route_id)
        line = f"gtfs_{name}"
        minutes = float(np.median(both.minutes))
        rows.append(
            {
                "link_id": f"{line}:{a}-{b}",
                "from_node": a,
                "to_node": b,
                "mode": route_mode(r.route_type),
                "line": line,
                "minutes": round(max(minutes, 0.5), 2),
                "departures_per_hour": round(dph, 3),
                "first_year": first_year,
                "last_year": None,
                "km": None,
                "km_basis": "",
                "via_stops": int(both.via_stops.max()),
                "rule_minutes": None,
                "status": "observed",
                "frequency_status": "observed",
                "source": f"GTFS {Path(path).name}, service date {date}, "
                f"departures {lo:g}-{hi:g} h (fh_sim.region.gtfs)",
            }
        )
    return pd.DataFrame(rows, columns=list(LINK_COLUMNS))
