"""Synthetic regions: a tiny toy for unit tests, and copies of a region for benchmarks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from fh_sim.region.region import Region
from fh_sim.region.schema import ZONE_ATTRIBUTE_UNITS


def _provenance(zones: pd.DataFrame, source: str) -> pd.DataFrame:
    rows = [
        {
            "table": "zones",
            "id": z,
            "attribute": a,
            "value": f"{zones.at[z, a]:g}",
            "unit": ZONE_ATTRIBUTE_UNITS.get(a, ("persons",))[0],
            "status": "assumed",
            "source": source,
        }
        for z in zones.index
        for a in ["population_2019", *ZONE_ATTRIBUTE_UNITS]
    ]
    return pd.DataFrame(rows)


def toy_region(
    n_zones: int = 3,
    *,
    population_per_zone: int = 1000,
    jobs_per_zone: int = 400,
    minutes_between: float = 10.0,
    departures_per_hour: float = 2.0,
) -> Region:
    """A tiny valid region: zones on one rail line ending at one external city.

    Zones ``z0 .. z{n-1}`` lie 10 km apart along a line in municipality ``Toy``; the
    external node ``city`` is one more stop beyond the last zone. Zone 0 is the largest.

    Args:
        n_zones: number of zones (>= 1).
        population_per_zone: persons per zone (zone 0 gets twice as many).
        jobs_per_zone: jobs per zone; the city has ten times as many.
        minutes_between: in-vehicle minutes between consecutive stops.
        departures_per_hour: frequency of the line.

    Returns:
        A region that passes the loader's checks.
    """
    if n_zones < 1:
        raise ValueError("n_zones must be >= 1")
    ids = [f"z{k}" for k in range(n_zones)]
    pop = np.full(n_zones, population_per_zone, dtype=np.int64)
    pop[0] *= 2
    dw = np.ceil(pop / 2.2 / 0.98).astype(np.int64)
    zones = pd.DataFrame(
        {
            "name": [f"Zone {k}" for k in range(n_zones)],
            "municipality": "Toy",
            "lat": 56.0,
            "lon": 12.7 + 0.16 * np.arange(n_zones),
            "coord_status": "assumed",
            "is_rural": False,
            "has_station": True,
            "population_2019": pop,
            "status": "assumed",
            "source": "toy",
            "dwellings_rental": (dw * 0.4).round(),
            "dwellings_tenant_owned": (dw * 0.2).round(),
            "dwellings_house": dw - (dw * 0.4).round() - (dw * 0.2).round(),
            "jobs": float(jobs_per_zone),
            "amenity_coast": np.linspace(1, 0, n_zones),
            "amenity_nature": np.linspace(0, 1, n_zones),
            "amenity_services": np.linspace(1, 0.2, n_zones),
            "price_index": 1.0,
            "crime_index": 1.0,
            "land_capacity_dwellings": (dw * 1.2).round(),
            "planned_dwellings_per_year": (dw * 0.01).round(1),
            "income_index": 1.0,
            "age_profile": 0.0,
            "vulnerable_area": 0.0,
        },
        index=pd.Index(ids, name="zone_id"),
    )
    for col in (
        "dwellings_rental",
        "dwellings_tenant_owned",
        "dwellings_house",
        "land_capacity_dwellings",
    ):
        zones[col] = zones[col].astype(float)
    ext = pd.DataFrame(
        {
            "name": ["City"],
            "lat": [56.0],
            "lon": [12.7 + 0.16 * n_zones],
            "jobs": [10.0 * jobs_per_zone],
            "jobs_status": ["assumed"],
            "status": ["assumed"],
            "source": ["toy"],
        },
        index=pd.Index(["city"], name="node_id"),
    )
    stops = [*ids, "city"]
    links = pd.DataFrame(
        {
            "link_id": [f"toy:{a}-{b}" for a, b in zip(stops, stops[1:], strict=False)],
            "from_node": stops[:-1],
            "to_node": stops[1:],
            "mode": "rail",
            "line": "toy",
            "minutes": minutes_between,
            "departures_per_hour": departures_per_hour,
            "first_year": 1990,
            "last_year": pd.array([pd.NA] * n_zones, dtype="Int64"),
            "frequency_status": "assumed",
            "status": "assumed",
            "source": "toy",
        }
    )
    muni = pd.DataFrame(
        {
            "kommun_code": ["0000"],
            "population_2019": [int(pop.sum())],
            "land_area_km2": [100.0],
            "status": ["assumed"],
            "source": ["toy"],
        },
        index=pd.Index(["Toy"], name="municipality"),
    )
    return Region(
        municipalities=muni,
        zones=zones,
        external_nodes=ext,
        links=links,
        provenance=_provenance(zones, "toy"),
        data_dir=Path("toy"),
    )


def replicate_region(region: Region, copies: int) -> Region:
    """A larger synthetic region made of ``copies`` copies of ``region``'s zones.

    Copy 1 keeps the original ids; copy ``k >= 2`` suffixes zone ids with ``_c{k}`` and
    municipality names with `` #{k}``, and is shifted east by ``k - 1`` times the region's
    width. External nodes are shared: every copy's links to them are kept, so the copies
    connect through the external nodes.

    Args:
        region: the region to copy.
        copies: number of copies (>= 1).

    Returns:
        A region with ``copies * n_zones`` zones.
    """
    if copies < 1:
        raise ValueError("copies must be >= 1")
    if copies == 1:
        return region
    width = float(region.zones.lon.max() - region.zones.lon.min()) + 0.2
    zone_ids = set(region.zones.index)
    zones, munis, links, provs = [], [], [], []
    for k in range(1, copies + 1):
        sfx, msfx = ("", "") if k == 1 else (f"_c{k}", f" #{k}")
        z = region.zones.copy()
        z.index = pd.Index([f"{i}{sfx}" for i in z.index], name=region.zones.index.name)
        z["municipality"] = z["municipality"] + msfx
        z["lon"] = z["lon"] + (k - 1) * width
        zones.append(z)
        m = region.municipalities.copy()
        m.index = pd.Index([f"{i}{msfx}" for i in m.index], name=region.municipalities.index.name)
        munis.append(m)
        lk = region.links.copy()
        for col in ("from_node", "to_node"):
            lk[col] = [f"{n}{sfx}" if n in zone_ids else n for n in lk[col]]
        lk["link_id"] = lk["link_id"] + sfx
        lk["line"] = lk["line"] + sfx
        links.append(lk)
        p = region.provenance.copy()
        p["id"] = [f"{i}{sfx}" if i in zone_ids else i for i in p["id"]]
        provs.append(p)
    return Region(
        municipalities=pd.concat(munis),
        zones=pd.concat(zones),
        external_nodes=region.external_nodes,
        links=pd.concat(links, ignore_index=True),
        provenance=pd.concat(provs, ignore_index=True).drop_duplicates(),
        data_dir=region.data_dir,
    )
