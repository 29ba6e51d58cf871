"""Build the embedded Familjen Helsingborg CSV files from the transcribed facts.

Run ``python -m fh_sim.data.build_familjen_helsingborg`` to regenerate
``src/fh_sim/data/familjen_helsingborg/``. Every rule named here (P1-P3, R1, H1-H4, J1-J3,
E1-E4, F1, T1-T3) is described in DATA.md.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from fh_sim.data import familjen_helsingborg_facts as facts
from fh_sim.data import familjen_helsingborg_neighbourhood_facts as nfacts
from fh_sim.data.fact_tables import fact_table, write_tables
from fh_sim.data.familjen_helsingborg_citybus import city_bus_rows
from fh_sim.data.familjen_helsingborg_lines import FOUND_TIMES, LINES
from fh_sim.data.familjen_helsingborg_split import split_localities
from fh_sim.data.familjen_helsingborg_zones import zone_attributes
from fh_sim.region.rules import apportion, haversine_km, segment_minutes

RURAL_OFFSET_KM = 4.0
FEEDER_DPH = 1.0


def largest_remainder(total: int, shares: np.ndarray) -> np.ndarray:
    """Integers proportional to ``shares`` that sum exactly to ``total`` (Hamilton)."""
    raw = total * shares / shares.sum()
    out = np.floor(raw).astype(np.int64)
    short = int(total - out.sum())
    order = np.argsort(-(raw - out), kind="stable")
    out[order[:short]] += 1
    return out


def municipal_population(municipality: str, year: int) -> float:
    """Rule P1: municipal population in ``year``, interpolated in the known series."""
    series = facts.POPULATION_SERIES[municipality]
    years = sorted(series)
    return float(np.interp(year, years, [series[y] for y in years]))


def build_municipalities() -> pd.DataFrame:
    """One row per municipality with its observed figures."""
    return fact_table(
        [(name, *figures) for name, figures in facts.MUNICIPALITIES.items()],
        [
            "municipality",
            "kommun_code",
            "population_2019",
            "land_area_km2",
            "brf_price_kr_per_m2",
            "reported_crimes_per_100k",
            "second_homes_2020",
            "status",
            "source",
        ],
        status="observed",
    )


def build_zones(muni: pd.DataFrame) -> pd.DataFrame:
    """Rules P1-P3 and R1: zone populations that sum to the 2019 municipal totals."""
    # population (index 5) becomes fractional where Bjuv's 2005 parts share a 2018 total
    loc: dict[str, tuple[str, str, float, float, str, float, int, str, bool]] = dict(
        facts.LOCALITY_ZONES
    )
    for zid, (name, m, lat, lon, csrc, pop, year, psrc) in nfacts.SMALL_LOCALITIES.items():
        loc[zid] = (name, m, lat, lon, csrc, pop, year, psrc, False)
    denom = sum(facts.BJUV_2005_PARTS.values())
    for zid, part in facts.BJUV_2005_PARTS.items():
        name, m, lat, lon, csrc, _, year, psrc, st = loc[zid]
        loc[zid] = (name, m, lat, lon, csrc, facts.BJUV_MERGED_2018 * part / denom, year, psrc, st)
    rows = []
    for m in muni.itertuples():
        members = [(z, v) for z, v in loc.items() if v[1] == m.municipality]
        shares = [v[5] / municipal_population(m.municipality, v[6]) for _, v in members]
        rural_share = 1.0 - sum(shares)
        if rural_share <= 0:
            raise ValueError(f"locality shares exceed 1 in {m.municipality}")
        pops = largest_remainder(m.population_2019, np.array([*shares, rural_share]))
        for (zid, v), share, pop in zip(members, shares, pops, strict=False):
            name, _, lat, lon, csrc, figure, year, psrc, station = v
            ref = municipal_population(m.municipality, year)
            rows.append(
                {
                    "zone_id": zid,
                    "name": name,
                    "municipality": m.municipality,
                    "lat": lat,
                    "lon": lon,
                    "coord_status": "observed",
                    "is_rural": False,
                    "has_station": station,
                    "locality_population": round(figure),
                    "locality_population_year": year,
                    "municipal_population_that_year": round(ref),
                    "population_2019": int(pop),
                    "status": "derived",
                    "source": f"population: {psrc}, share {share:.4f} of {round(ref)} "
                    f"(rules P1-P3, R1); coords: {csrc}",
                }
            )
        anchor = facts.RURAL_ANCHORS[m.municipality]
        main = loc[facts.MAIN_TOWN[m.municipality]]
        if anchor is None:
            lat = round(main[2] + RURAL_OFFSET_KM / 111.2, 6)
            lon, where = main[3], f"{RURAL_OFFSET_KM:g} km north of the main town (rule P4)"
        else:
            where = f"at {anchor[0]} (rule P4)"
            lat, lon = anchor[2], anchor[3]
        rows.append(
            {
                "zone_id": facts.RURAL_IDS[m.municipality],
                "name": f"{m.municipality} rural remainder",
                "municipality": m.municipality,
                "lat": lat,
                "lon": lon,
                "coord_status": "derived",
                "is_rural": True,
                "has_station": anchor is not None and anchor[1] == "station",
                "locality_population": None,
                "locality_population_year": None,
                "municipal_population_that_year": None,
                "population_2019": int(pops[-1]),
                "status": "derived",
                "source": f"population: S01 total minus the localities (rule P2); coords {where}",
            }
        )
    return split_localities(pd.DataFrame(rows), largest_remainder)


def build_external() -> pd.DataFrame:
    """Rule J3: external jobs = 0.5 x tätort population (assumed)."""
    rows = []
    for nid, (name, lat, lon, pop, year, src) in facts.EXTERNAL_NODES.items():
        rows.append(
            {
                "node_id": nid,
                "name": name,
                "lat": lat,
                "lon": lon,
                "population": pop,
                "population_year": year,
                "jobs": round(0.5 * pop),
                "jobs_status": "assumed",
                "status": "observed",
                "source": f"coords and population: {src}; jobs: rule J3",
            }
        )
    return pd.DataFrame(rows)


def _coords(zones: pd.DataFrame, ext: pd.DataFrame) -> dict[str, tuple[float, float]]:
    both = pd.concat(
        [zones.set_index("zone_id")[["lat", "lon"]], ext.set_index("node_id")[["lat", "lon"]]]
    )
    return {k: (r.lat, r.lon) for k, r in both.iterrows()}


def _line_rows(line, xy) -> list[dict]:
    """Rules T1-T3 over one line's segments, one row per segment and service period."""
    segs = list(zip(line.stops, line.stops[1:], strict=False))
    km, basis, est = [], [], []
    for a, b in segs:
        track = line.track_km.get((a, b))
        dist = track if track is not None else haversine_km(*xy[a], *xy[b])
        via = line.via.get((a, b), 0)
        if line.mode == "ferry":
            e = math.nan  # no rule for ferries: only found crossing times are used
        else:
            e = segment_minutes(line.mode, dist, track_km=track is not None)
            e += via * (segment_minutes(line.mode, 0.0))
        km.append(dist)
        basis.append("track" if track is not None else "straight")
        est.append(e)
    pos = {s: i for i, s in enumerate(line.stops)}
    weights = [1.0 if math.isnan(e) else e for e in est]
    anchored = apportion(weights, {pos[s]: t for s, t in line.anchors.items()})
    rows = []
    for k, (a, b) in enumerate(segs):
        anchor = anchored[k]
        minutes = anchor if anchor is not None else est[k]
        single = (
            anchor is not None
            and line.anchors.get(a) is not None
            and (line.anchors.get(b) is not None)
        )
        if single:
            status, rule = "observed", line.anchor_source
        elif anchor is not None:
            status, rule = "derived", f"rule T3 from {line.anchor_source}"
        else:
            status, rule = "derived", "rule T1" if line.mode == "rail" else "rule T2"
        for svc in line.services:
            lo, hi = pos[svc.start], pos[svc.end]
            if not lo <= k < hi:
                continue
            first = max(line.first_year, svc.first_year)
            suffix = f"@{first}" if len(line.services) > 1 and svc.first_year > 1990 else ""
            rows.append(
                {
                    "link_id": f"{line.line}:{a}-{b}{suffix}",
                    "from_node": a,
                    "to_node": b,
                    "mode": line.mode,
                    "line": line.line,
                    "minutes": round(minutes, 2),
                    "departures_per_hour": svc.departures_per_hour,
                    "first_year": first,
                    "last_year": svc.last_year,
                    "km": round(km[k], 2),
                    "km_basis": basis[k],
                    "via_stops": line.via.get((a, b), 0),
                    "rule_minutes": None if math.isnan(est[k]) else round(est[k], 2),
                    "status": status,
                    "frequency_status": svc.status,
                    "source": f"line: {line.source}; minutes: {rule}; frequency: {svc.source}",
                }
            )
    return rows


def build_links(zones: pd.DataFrame, ext: pd.DataFrame) -> pd.DataFrame:
    """Lines from the facts plus rule F1 feeders for zones no line serves in 2019."""
    xy = _coords(zones, ext)
    rows = [r for line in LINES for r in _line_rows(line, xy)]
    rail_2019 = {r[k] for r in rows if r["first_year"] <= 2019 for k in ("from_node", "to_node")}
    rows += city_bus_rows(zones, xy, served=rail_2019)
    served_2019 = {r[k] for r in rows if r["first_year"] <= 2019 for k in ("from_node", "to_node")}
    hubs = [z for z in zones["zone_id"] if z in served_2019]
    for z in zones["zone_id"]:
        if z in served_2019:
            continue
        to_hub = {h: haversine_km(*xy[z], *xy[h]) for h in hubs}
        target = min(hubs, key=to_hub.__getitem__)
        km = haversine_km(*xy[z], *xy[target])
        est = segment_minutes("bus", km)
        rows.append(
            {
                "link_id": f"feeder_{z}:{z}-{target}",
                "from_node": z,
                "to_node": target,
                "mode": "bus",
                "line": f"feeder_{z}",
                "minutes": round(est, 2),
                "departures_per_hour": FEEDER_DPH,
                "first_year": 1990,
                "last_year": None,
                "km": round(km, 2),
                "km_basis": "straight",
                "via_stops": 0,
                "rule_minutes": round(est, 2),
                "status": "derived",
                "frequency_status": "assumed",
                "source": "rule F1 (feeder bus to the nearest zone served by a line in 2019); "
                "minutes: rule T2; frequency: assumed hourly",
            }
        )
    return pd.DataFrame(rows)


def build_travel_time_facts() -> pd.DataFrame:
    """Travel times found in sources (anchors of rule T3, and checks)."""
    return fact_table(
        FOUND_TIMES,
        ["line", "from_node", "to_node", "minutes", "use", "status", "source"],
        status="observed",
    )


def build_municipality_facts() -> pd.DataFrame:
    """Observed municipal housing and commuting facts, long format."""
    return fact_table(
        facts.MUNICIPALITY_FACTS,
        ["municipality", "attribute", "value", "unit", "year", "status", "source"],
        status="observed",
    )


def build_population_observed() -> pd.DataFrame:
    """Municipal populations observed after the base year (validation, not a run input)."""
    return fact_table(
        facts.POPULATION_OBSERVED,
        ["municipality", "year", "population", "unit", "status", "source"],
        unit="persons",
        status="observed",
    )


def main() -> None:
    """Write every CSV of the embedded data set."""
    muni = build_municipalities()
    zones = build_zones(muni)
    ext = build_external()
    links = build_links(zones, ext)
    attrs = zone_attributes(zones, muni)
    tables = {
        "municipalities": muni,
        "municipality_facts": build_municipality_facts(),
        "population_observed": build_population_observed(),
        "zones": zones,
        "zone_attributes": attrs,
        "external_nodes": ext,
        "links": links,
        "travel_time_facts": build_travel_time_facts(),
    }
    write_tables(tables)


if __name__ == "__main__":
    main()
