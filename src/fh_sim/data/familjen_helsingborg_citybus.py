"""Rule F2: city buses joining the neighbourhoods to their town's centre.

The city lines found (``CITY_LINES``: Helsingborg's line 1 Råå-centre-Dalhem, and
HelsingborgsExpressen 2 Mariastaden-centre-Ramlösa from 2025) run between the listed
stops; every other neighbourhood that no rail line or city line serves in 2019 gets its
own bus to its centre zone. Minutes: straight km x 1.3 at ``CITY_BUS_KMH`` + one dwell
(assumed, city buses being slower than the regional buses of rule T2). Frequency of the
star lines: Helsingborg 6/h (N05: most of Norra staden has a bus at least every 10
minutes; assumed for the other parts), the other towns 2/h (assumed).
"""

from __future__ import annotations

from fh_sim.data import familjen_helsingborg_neighbourhood_facts as nf
from fh_sim.region.rules import haversine_km

CITY_BUS_KMH = 20.0  # assumed mean city-bus speed including stops
DWELL_MIN = 2.0


def _row(
    line: str, a: str, b: str, xy: dict, dph: float, first: int, fstatus: str, source: str
) -> dict:
    km = haversine_km(*xy[a], *xy[b])
    minutes = round(60.0 * km * 1.3 / CITY_BUS_KMH + DWELL_MIN, 2)
    return {
        "link_id": f"{line}:{a}-{b}",
        "from_node": a,
        "to_node": b,
        "mode": "bus",
        "line": line,
        "minutes": minutes,
        "departures_per_hour": dph,
        "first_year": first,
        "last_year": None,
        "km": round(km, 2),
        "km_basis": "straight",
        "via_stops": 0,
        "rule_minutes": minutes,
        "status": "derived",
        "frequency_status": fstatus,
        "source": f"line: {source}; minutes: rule F2 (straight km x 1.3 at "
        f"{CITY_BUS_KMH:g} km/h + {DWELL_MIN:g} min, assumed)",
    }


def city_bus_rows(zones, xy: dict[str, tuple[float, float]], served: set[str]) -> list[dict]:
    """Links of the city lines found and of rule F2's lines to the centre zones.

    Args:
        zones: the zone table (``zone_id``).
        xy: node id -> (lat, lon).
        served: nodes a rail line serves in 2019 (they get no star line).
    """
    rows = []
    for line, (stops, dph, fstatus, first, source) in nf.CITY_LINES.items():
        for a, b in zip(stops, stops[1:], strict=False):
            rows.append(_row(line, a, b, xy, dph, first, fstatus, source))
    served = served | {
        s for stops, _, _, first, _ in nf.CITY_LINES.values() if first <= 2019 for s in stops
    }
    centre_of = {h.zone_id: c for c, hoods in nf.SPLITS.items() for h in hoods}
    for z in zones.zone_id:
        centre = centre_of.get(z)
        if centre is None or z == centre or z in served:
            continue
        dph = 6.0 if centre == "helsingborg" else 2.0
        source = "rule F2 (city bus to the centre zone); frequency: " + (
            "N05 (Norra staden: buses at least every 10 min)" if dph == 6.0 else "assumed 2/h"
        )
        status = "derived" if dph == 6.0 else "assumed"
        rows.append(_row(f"citybus_{z}", z, centre, xy, dph, 1990, status, source))
    return rows
