"""``fh-sim region``: summarise the region's data and draw its network map."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from fh_sim.region import load_region
from fh_sim.region.network import links_in_year
from fh_sim.region.region import Region

logger = logging.getLogger(__name__)


def summary(region: Region, year: int) -> str:
    """Plain-text summary table of the region's data for ``year``."""
    zones = region.zones
    pop = int(zones.population_2019.sum())
    lines = [f"Region data: {region.data_dir}", ""]
    lines.append(f"{'municipality':<16}{'code':>6}{'population 2019':>17}{'zones':>7}")
    for m, r in region.municipalities.iterrows():
        n = int((zones.municipality == m).sum())
        lines.append(
            f"{m:<16}{str(r.get('kommun_code', '')):>6}{int(r.population_2019):>17,}{n:>7}"
        )
    lines.append(f"{'total':<16}{'':>6}{pop:>17,}{len(zones):>7}")
    lines.append("")
    lines.append(
        f"municipalities: {len(region.municipalities)}   zones: {len(zones)} "
        f"({int(zones.is_rural.sum())} rural)   external nodes: "
        f"{len(region.external_nodes)}   population 2019: {pop:,}"
    )
    big = str(zones.population_2019.idxmax())
    lines.append(f"largest zone: {big} ({int(zones.population_2019.max()):,} persons)")
    links = links_in_year(region, year)
    by_mode = links.groupby("mode").agg(links=("link_id", "size"), lines=("line", "nunique"))
    lines.append(
        f"links in service in {year}: "
        + ", ".join(f"{m} {int(r.links)} ({int(r.lines)} lines)" for m, r in by_mode.iterrows())
    )
    counts = region.provenance.status.value_counts()
    lines.append(
        "shipped values by status: "
        + ", ".join(f"{s} {int(counts.get(s, 0))}" for s in ("observed", "derived", "assumed"))
    )
    return "\n".join(lines)


def zone_table(region: Region) -> str:
    """One line per zone: id, municipality, persons 2019, police list level, name."""
    zones = region.zones
    level = zones["vulnerable_area"] if "vulnerable_area" in zones else 0 * zones.population_2019
    lines = [f"{'zone':<28}{'municipality':<14}{'persons':>8}{'listed':>7}  name"]
    for z, m, pop, lv, name in zip(
        zones.index, zones.municipality, zones.population_2019, level, zones["name"], strict=True
    ):
        lines.append(f"{z!s:<28}{m:<14}{int(pop):>8,}{int(lv):>7}  {name}")
    return "\n".join(lines)


def main(argv: list[str], *, command: str = "region", debug: bool = False) -> int:
    """Print the region summary and write ``region_map.png``."""
    parser = argparse.ArgumentParser(prog=f"fh-sim {command}", description=__doc__)
    parser.add_argument(
        "--data-dir",
        default="embedded",
        help="folder with the region's CSV files (default: embedded data)",
    )
    parser.add_argument("--out", default=".", help="folder for region_map.png (default: .)")
    parser.add_argument("--year", type=int, default=2019, help="network year (default 2019)")
    parser.add_argument(
        "--labels",
        type=float,
        default=5000,
        help="label zones of at least this many persons on the map; 0 = every zone "
        "(default 5000; Helsingborg's inset from 2500)",
    )
    parser.add_argument(
        "--zones", action="store_true", help="also list every zone (police list: 1 risk, 2 severe)"
    )
    args = parser.parse_args(argv)
    region = load_region(args.data_dir)
    print(summary(region, args.year))
    if args.zones:
        print()
        print(zone_table(region))
    from fh_sim.region.mapplot import draw_network

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    fig = draw_network(region, args.year, label_min_population=args.labels)
    path = out / "region_map.png"
    fig.savefig(path, dpi=120, bbox_inches="tight")
    print(f"network map written to {path}")
    return 0
