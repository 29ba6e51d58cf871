"""Rules N1-N3: split the large localities into neighbourhood zones.

- **N1** A neighbourhood with a population figure takes the share ``figure / locality
  population in the figure's year`` (Helsingborg: the tätort's 2010, 2018 and 2020
  figures; Ängelholm: its 2005 parts, as rule P3). A 2020 figure thus bridges to 2019 as
  a share of the 2020 tätort, scaled to the 2019 zone.
- **N2** The neighbourhoods without a figure share the rest of the locality in proportion
  to their weights: one per B-area in Helsingborg, the number of SCB DeSO areas (each
  700-2,700 inhabitants by design) elsewhere (assumed equal size per weight unit).
- **R1** Shares become persons by the largest-remainder method, so the neighbourhoods
  sum exactly to the locality zone's 2019 population and the municipality's total holds.
- **N3** Coordinates are the source's where found (``observed``); else the mean of the
  neighbourhoods the sources name as neighbours (``derived``); else a stated offset in
  km from the locality point (``assumed``). The centre keeps the locality's point and id.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from fh_sim.data import familjen_helsingborg_neighbourhood_facts as nf

KM_PER_DEG_LAT = 111.2


def _shares(locality: str, hoods: tuple[nf.Hood, ...]) -> tuple[np.ndarray, list[str]]:
    """Rules N1-N2: one share per neighbourhood and the rule behind it."""
    shares = np.zeros(len(hoods))
    how = [""] * len(hoods)
    for i, h in enumerate(hoods):
        if h.figure is None or h.year is None:
            continue
        if locality == "angelholm":
            total = sum(nf.ANGELHOLM_2005_PARTS.values())
            how[i] = f"{h.figure} of {total} in {h.year} (rule N1)"
        else:
            total = nf.LOCALITY_POPULATION[locality][h.year]
            how[i] = f"{h.figure} of the tätort's {total} in {h.year} (rule N1)"
        shares[i] = h.figure / total
    rest = 1.0 - shares.sum()
    if rest <= 0:
        raise ValueError(f"neighbourhood figures exceed the locality {locality}")
    free = [i for i, h in enumerate(hoods) if h.figure is None]
    weights = np.array([hoods[i].weight for i in free], dtype=float)
    for i, w in zip(free, weights, strict=True):
        shares[i] = rest * w / weights.sum()
        how[i] = f"weight {w:g} of {weights.sum():g} in the remainder {rest:.4f} (rule N2)"
    return shares, how


def _coords(
    hoods: tuple[nf.Hood, ...], centre: tuple[float, float]
) -> dict[str, tuple[float, float, str, str]]:
    """Rule N3: (lat, lon, status, how) per neighbourhood."""
    out: dict[str, tuple[float, float, str, str]] = {}
    for h in hoods:
        if h.lat is not None and h.lon is not None:
            out[h.zone_id] = (h.lat, h.lon, "observed", "the source's point")
        elif not h.near and h.offset is None:
            out[h.zone_id] = (*centre, "observed", "the locality point")
    for h in hoods:
        if h.zone_id in out:
            continue
        if h.near:
            pts = [out[n] for n in h.near]
            lat = round(sum(p[0] for p in pts) / len(pts), 5)
            lon = round(sum(p[1] for p in pts) / len(pts), 5)
            out[h.zone_id] = (lat, lon, "derived", "mean of neighbours " + ", ".join(h.near))
        else:
            assert h.offset is not None, h.zone_id
            north, east = h.offset
            lat = round(centre[0] + north / KM_PER_DEG_LAT, 5)
            lon = round(centre[1] + east / (KM_PER_DEG_LAT * math.cos(math.radians(centre[0]))), 5)
            out[h.zone_id] = (
                lat,
                lon,
                "assumed",
                f"{north:g} km N, {east:g} km E of the "
                "locality point (direction from the source, distance assumed)",
            )
    return out


def split_localities(zones: pd.DataFrame, largest_remainder) -> pd.DataFrame:
    """Replace each locality of :data:`nf.SPLITS` by its neighbourhood rows (N1-N3, R1)."""
    rows = []
    for z in zones.to_dict("records"):
        hoods = nf.SPLITS.get(z["zone_id"])
        z.setdefault("locality", z["name"])
        z.setdefault("area_code", "")
        if hoods is None:
            rows.append(z)
            continue
        shares, how = _shares(z["zone_id"], hoods)
        pops = largest_remainder(int(z["population_2019"]), shares)
        xy = _coords(hoods, (z["lat"], z["lon"]))
        for h, share, rule, pop in zip(hoods, shares, how, pops, strict=True):
            lat, lon, cstatus, chow = xy[h.zone_id]
            rows.append(
                {
                    **z,
                    "zone_id": h.zone_id,
                    "name": h.name,
                    "lat": lat,
                    "lon": lon,
                    "coord_status": cstatus,
                    "has_station": bool(
                        h.station or (h.zone_id == z["zone_id"] and z["has_station"])
                    ),
                    "locality": z["name"],
                    "area_code": h.code,
                    "population_2019": int(pop),
                    "status": "derived" if h.figure is not None else "assumed",
                    "source": f"population: {h.source}; share {share:.4f} of {z['zone_id']} "
                    f"2019 ({rule}, R1); coords: {chow} (rule N3)",
                }
            )
    return pd.DataFrame(rows)
