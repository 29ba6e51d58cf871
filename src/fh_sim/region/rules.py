"""Derivation rules for travel times that no timetable figure gives.

The rules are stated once here and used both when the embedded data is built and when
tests check the rules against the travel times that were found in sources (DATA.md).

Rule T1 (rail): ``minutes = 60 * km / RAIL_SPEED_KMH + RAIL_DWELL_MIN`` per segment between
consecutive stops, with ``km`` the track length where a chainage is known, else the
straight-line (haversine) distance times ``RAIL_DETOUR``.

Rule T2 (bus): ``minutes = 60 * haversine_km * BUS_DETOUR / BUS_SPEED_KMH + BUS_DWELL_MIN``.

Rule T3 (anchored apportioning): where a line's cumulative minutes are known at some of its
stops (e.g. Helsingborg 0, Åstorp 25), the segments between two such anchors share the
anchored time in proportion to the T1/T2 estimate of each segment.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

EARTH_RADIUS_KM = 6371.0088
RAIL_DETOUR = 1.3
RAIL_SPEED_KMH = 110.0
RAIL_DWELL_MIN = 2.0
BUS_DETOUR = 1.3
BUS_SPEED_KMH = 45.0
BUS_DWELL_MIN = 2.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points.

    Args:
        lat1: latitude of the first point, degrees.
        lon1: longitude of the first point, degrees.
        lat2: latitude of the second point, degrees.
        lon2: longitude of the second point, degrees.

    Returns:
        Distance in km.
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def rail_minutes(km: float, *, track_km: bool = False) -> float:
    """Rule T1: in-vehicle minutes of one rail segment.

    Args:
        km: track length (``track_km=True``) or straight-line distance, km.
        track_km: whether ``km`` is already a track length (no detour factor).

    Returns:
        Minutes between two consecutive stops, including one stop's dwell.
    """
    length = km if track_km else km * RAIL_DETOUR
    return 60.0 * length / RAIL_SPEED_KMH + RAIL_DWELL_MIN


def bus_minutes(km: float) -> float:
    """Rule T2: in-vehicle minutes of one bus segment from straight-line km."""
    return 60.0 * km * BUS_DETOUR / BUS_SPEED_KMH + BUS_DWELL_MIN


def segment_minutes(mode: str, km: float, *, track_km: bool = False) -> float:
    """Rule T1 or T2 by mode (``rail`` or ``bus``); km as in :func:`rail_minutes`."""
    if mode == "rail":
        return rail_minutes(km, track_km=track_km)
    if mode == "bus":
        return bus_minutes(km)
    raise ValueError(f"no travel-time rule for mode {mode!r}")


def apportion(estimates: Sequence[float], anchors: dict[int, float]) -> list[float | None]:
    """Rule T3: spread anchored cumulative minutes over the segments between anchors.

    Args:
        estimates: rule minutes of each segment (``len = n_stops - 1``).
        anchors: stop position -> cumulative minutes found in a source.

    Returns:
        Minutes per segment; ``None`` for segments outside any pair of anchors (those keep
        their rule estimate).
    """
    out: list[float | None] = [None] * len(estimates)
    keys = sorted(anchors)
    for a, b in zip(keys, keys[1:], strict=False):
        total = anchors[b] - anchors[a]
        est = sum(estimates[a:b])
        for k in range(a, b):
            out[k] = total * estimates[k] / est
    return out
