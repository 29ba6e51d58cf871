r"""Example plugin: distance to a rail station, a feeder-shuttle lever and its outcome.

One file adds all four kinds of extension, without touching fh_sim:

* zone attribute ``station_km``: great-circle distance, km, from the zone's point to the
  nearest zone with a rail station (0 where the zone has one); derived from the observed
  coordinates and station flags of ``zones.csv``;
* lever kind ``station_shuttle``: a feeder shuttle in ``places`` from ``start_year`` on
  that cuts the effective distance to the station by ``cut_share``; rules read the
  factor on distance as ``ctx.levers["station_shuttle"]`` (1 = no shuttle);
* utility term ``station_proximity``: ``coef(segment) x effective km to a station``;
* outcome metric ``km_to_station``: mean effective km from a household's zone to a
  station, at every level (zone, municipality, region, segment).

The base year's calibrated (zone, type) constants absorb the term as it is in 2019, so
the term alone changes nothing; the shuttle changes the distance after the base year and
so shifts choices toward the zones it serves. ``coef = -0.2`` per km is an assumption: a
km is about 3.5 minutes by bicycle (17 km/h), valued like 3.5 minutes of commute by the
built-in commute term (-3.6 per hour).

Run from the repository root::

    fh-sim sweep --config-dir examples/plugins/conf experiment=station_access \
        scenario=baseline,station_shuttle seed=1,2 scale=0.05
    fh-sim compare outputs/sweeps/<date>/<time> --metrics km_to_station population
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fh_sim import plugins
from fh_sim.rules.utility import TermParams, segment_coef
from fh_sim.rules.zone_table import ZoneInfo
from fh_sim.sim.state import Pairs, StepContext
from fh_sim.types import FloatArray

EARTH_RADIUS_KM = 6371.0


@plugins.zone_attribute("station_km", unit="km")
def station_km(info: ZoneInfo) -> FloatArray:
    """Great-circle km from each zone's point to the nearest zone with a rail station.

    Returns:
        float[n_zones] km (0 where the zone has a station).
    Semantics: pure; no rng.
    """
    lat, lon = np.radians(info.lat), np.radians(info.lon)
    has = info["has_station"] > 0
    dlat = lat[:, None] - lat[None, has]
    dlon = lon[:, None] - lon[None, has]
    a = (
        np.sin(dlat / 2) ** 2
        + np.cos(lat[:, None]) * np.cos(lat[None, has]) * np.sin(dlon / 2) ** 2
    )
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return km.min(axis=1)


@dataclass(frozen=True)
class StationShuttle:
    """One feeder-shuttle programme.

    Attributes:
        places: zone ids or municipality names served (empty: the whole region).
        cut_share: share of the distance to the station the shuttle removes (0-1).
        start_year: first calendar year of service.
    """

    places: tuple[str, ...] = ()
    cut_share: float = 0.5
    start_year: int = 2025


@plugins.lever("station_shuttle", params=StationShuttle, neutral=1.0, unit="factor")
def station_shuttle(info: ZoneInfo, p: StationShuttle, year: int) -> FloatArray:
    """float[n_zones] factor on the distance to a station: ``1 - cut_share`` where served.

    Semantics: pure; no rng.
    """
    served = info.mask(p.places) & (year >= p.start_year)
    return np.where(served, 1.0 - p.cut_share, 1.0)


def effective_km(ctx: StepContext) -> FloatArray:
    """float[n_zones] km to a station after any shuttle (never below 0)."""
    factor = np.clip(ctx.levers["station_shuttle"], 0.0, None)
    return ctx.zones["station_km"] * factor


@dataclass(frozen=True)
class StationProximityParams(TermParams):
    """Utility per effective km from the zone to a rail station.

    Attributes:
        coef: utility per km (negative: farther is worse).
        life_stage_factor: factors for young, adult, family, senior.
        income_factor: factors for low, mid, high income.
    """

    coef: float = -0.2


@plugins.utility("station_proximity", params=StationProximityParams)
def station_proximity(ctx: StepContext, pairs: Pairs, p: StationProximityParams) -> FloatArray:
    """``coef(segment) x effective_km[zone]`` per (seeker, alternative).

    Returns:
        float[n_pairs] utility.
    Semantics: pure; no rng.
    """
    return segment_coef(pairs, p) * effective_km(ctx)[pairs.zone]


@plugins.metric("km_to_station", unit="km", per="household", how="mean")
def km_to_station(ctx: StepContext) -> FloatArray:
    """float[n_households] effective km from the household's zone to a station.

    Semantics: pure; no rng.
    """
    return effective_km(ctx)[ctx.households.zone]
