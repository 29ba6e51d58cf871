"""GTFS reader: a small feed written by the test becomes links the loader accepts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from fh_sim.errors import DataError
from fh_sim.region import load_region
from fh_sim.region.gtfs import feed_links, route_mode
from fh_sim.region.load import embedded_data_dir

# three stops at two zones of the embedded region and one between them matching nothing
STOPS = [
    ("s_c", "Centrum", 56.04425, 12.70410),  # ~5 m from zone helsingborg
    ("s_mid", "On the way", 56.05300, 12.71600),  # > 0.3 km from every node
    ("s_d", "Dalhem", 56.06760, 12.73660),  # ~10 m from zone helsingborg_dalhem
]


def _hms(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def write_feed(folder: Path) -> None:
    """Route 7 (bus): every 15 min 06:00-09:45 outbound, every 30 min inbound; 12 min
    centre to Dalhem outbound, 14 min back; a Sunday-only trip that must not count."""
    folder.mkdir()
    (folder / "agency.txt").write_text(
        "agency_id,agency_name,agency_url,agency_timezone\nA,Test,https://x.se,Europe/Stockholm\n"
    )
    stops = "stop_id,stop_name,stop_lat,stop_lon\n" + "".join(
        f"{i},{n},{la},{lo}\n" for i, n, la, lo in STOPS
    )
    (folder / "stops.txt").write_text(stops)
    (folder / "routes.txt").write_text("route_id,agency_id,route_short_name,route_type\nR7,A,7,3\n")
    (folder / "calendar.txt").write_text(
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        "WK,1,1,1,1,1,0,0,20240101,20241231\nSU,0,0,0,0,0,0,1,20240101,20241231\n"
    )
    trips, times = (
        ["route_id,service_id,trip_id,direction_id"],
        ["trip_id,arrival_time,departure_time,stop_id,stop_sequence"],
    )
    for k in range(16):  # outbound 06:00-09:45
        t0, tid = 6 * 3600 + k * 900, f"out{k}"
        trips.append(f"R7,WK,{tid},0")
        for seq, (stop, dt) in enumerate([("s_c", 0), ("s_mid", 300), ("s_d", 720)]):
            times.append(f"{tid},{_hms(t0 + dt)},{_hms(t0 + dt)},{stop},{seq + 1}")
    for k in range(8):  # inbound every 30 min
        t0, tid = 6 * 3600 + k * 1800, f"in{k}"
        trips.append(f"R7,WK,{tid},1")
        for seq, (stop, dt) in enumerate([("s_d", 0), ("s_mid", 400), ("s_c", 840)]):
            times.append(f"{tid},{_hms(t0 + dt)},{_hms(t0 + dt)},{stop},{seq + 1}")
    trips.append("R7,SU,sun0,0")
    times += ["sun0,08:00:00,08:00:00,s_c,1", "sun0,08:30:00,08:30:00,s_d,2"]
    (folder / "trips.txt").write_text("\n".join(trips) + "\n")
    (folder / "stop_times.txt").write_text("\n".join(times) + "\n")


def _nodes(region) -> pd.DataFrame:
    z = region.zones.reset_index().rename(columns={"zone_id": "node_id"})[["node_id", "lat", "lon"]]
    e = region.external_nodes.reset_index()[["node_id", "lat", "lon"]]
    return pd.concat([z, e], ignore_index=True)


@pytest.fixture(scope="module")
def region():
    return load_region()


def test_feed_becomes_links(tmp_path, region):
    write_feed(tmp_path / "feed")
    links = feed_links(tmp_path / "feed", _nodes(region), window_hours=(7, 9), max_km=0.3)
    assert len(links) == 1
    row = links.iloc[0]
    assert {row.from_node, row.to_node} == {"helsingborg", "helsingborg_dalhem"}
    assert row["mode"] == "bus" and row.line == "gtfs_7"
    assert row.minutes == pytest.approx(12.0)  # median of 16 trips at 12 and 8 at 14 min
    assert row.departures_per_hour == pytest.approx(4.0)  # 8 outbound in 07-09, busier way
    assert row.via_stops == 1  # the unmatched stop on the way
    assert row.status == "observed"


def test_feed_links_load_into_a_data_copy(tmp_path, region):
    write_feed(tmp_path / "feed")
    copy = tmp_path / "data"
    shutil.copytree(embedded_data_dir(), copy)
    new = feed_links(tmp_path / "feed", _nodes(region), max_km=0.3)
    links = pd.read_csv(copy / "links.csv")
    pd.concat([links, new], ignore_index=True).to_csv(copy / "links.csv", index=False)
    loaded = load_region(copy)
    assert "gtfs_7" in set(loaded.links.line)
    assert len(loaded.links) == len(links) + 1


def test_no_matching_stop_is_one_clear_error(tmp_path, region):
    write_feed(tmp_path / "feed")
    far = pd.DataFrame({"node_id": ["x"], "lat": [60.0], "lon": [15.0]})
    with pytest.raises(DataError, match="no stop of the feed lies within"):
        feed_links(tmp_path / "feed", far)


@pytest.mark.parametrize(
    ("route_type", "mode"), [(2, "rail"), (109, "rail"), (3, "bus"), (700, "bus"), (4, "ferry")]
)
def test_route_modes(route_type, mode):
    assert route_mode(route_type) == mode
