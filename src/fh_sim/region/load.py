"""Load and validate a region's data folder into a :class:`Region`."""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

import networkx as nx
import pandas as pd

from fh_sim.errors import DataError
from fh_sim.region import schema as sch
from fh_sim.region.csvio import read_table
from fh_sim.region.region import Region

logger = logging.getLogger(__name__)

EMBEDDED = "embedded"


def embedded_data_dir() -> Path:
    """Folder of the Familjen Helsingborg data shipped inside the package."""
    return Path(str(resources.files("fh_sim") / "data" / "familjen_helsingborg"))


def resolve_data_dir(data_dir: str | Path | None) -> Path:
    """``None`` or ``"embedded"`` -> the packaged data; else the given folder."""
    if data_dir is None or str(data_dir) == EMBEDDED:
        return embedded_data_dir()
    path = Path(data_dir).expanduser()
    if not path.is_dir():
        raise DataError("region data folder does not exist", file=str(path))
    return path


def _required(tables: dict[str, pd.DataFrame | None], spec: sch.TableSpec) -> pd.DataFrame:
    """The table of a required file (:func:`read_table` gives None only for optional ones)."""
    table = tables[spec.file]
    if table is None:
        raise DataError("required data file is missing", file=spec.file)
    return table


def load_region(data_dir: str | Path | None = None) -> Region:
    """Read, validate and assemble the region's tables.

    Args:
        data_dir: folder with the CSV files; ``None`` or ``"embedded"`` = packaged data.

    Returns:
        The region, with a provenance long table of every shipped value.

    Raises:
        DataError: naming file, line and column of the first problem found (missing file,
            malformed CSV, bad type or unit, duplicate id, unknown node, non-positive
            minutes or frequency, negative stock, population sums, disconnected network).
    """
    folder = resolve_data_dir(data_dir)
    t = {spec.file: read_table(folder, spec) for spec in sch.ALL_TABLES}
    muni = _required(t, sch.MUNICIPALITIES)
    zones = _required(t, sch.ZONES)
    attrs = _required(t, sch.ZONE_ATTRIBUTES)
    ext = _required(t, sch.EXTERNAL_NODES)
    links = _required(t, sch.LINKS)
    path = {spec.file: str(folder / spec.file) for spec in sch.ALL_TABLES}

    _check_zones(zones, muni, path)
    wide = _pivot_attributes(attrs, zones, path[sch.ZONE_ATTRIBUTES.file])
    check_zone_figures(zones, wide, attrs, path[sch.ZONE_ATTRIBUTES.file])
    for name, line in zip(ext.node_id, ext.csv_line, strict=True):
        if name in set(zones.zone_id):
            raise DataError(
                f"node id {name!r} is also a zone id",
                file=path[sch.EXTERNAL_NODES.file],
                row=int(line),
                column="node_id",
            )
    _check_links(links, [*zones.zone_id, *ext.node_id], path[sch.LINKS.file])
    hub = str(zones.sort_values("population_2019", ascending=False).zone_id.iloc[0])
    check_connected(
        links, zones.zone_id.tolist(), ext.node_id.tolist(), hub, file=path[sch.LINKS.file]
    )

    prov = build_provenance(t)
    zone_table = zones.drop(columns=["csv_line"]).set_index("zone_id")
    zone_table = zone_table.join(wide)
    region = Region(
        municipalities=muni.drop(columns=["csv_line"]).set_index("municipality"),
        zones=zone_table,
        external_nodes=ext.drop(columns=["csv_line"]).set_index("node_id"),
        links=links.drop(columns=["csv_line"]).reset_index(drop=True),
        provenance=prov,
        data_dir=folder,
    )
    logger.info(
        "region loaded from %s: %d zones, %d external nodes, %d links",
        folder,
        region.n_zones,
        len(region.external_nodes),
        len(region.links),
    )
    return region


def _check_zones(zones: pd.DataFrame, muni: pd.DataFrame, path: dict[str, str]) -> None:
    known = set(muni.municipality)
    for m, line in zip(zones.municipality, zones.csv_line, strict=True):
        if m not in known:
            raise DataError(
                f"unknown municipality {m!r}",
                file=path[sch.ZONES.file],
                row=int(line),
                column="municipality",
            )
    with_zones = set(zones.municipality)
    for m, line in zip(muni.municipality, muni.csv_line, strict=True):
        if m not in with_zones:
            raise DataError(
                f"municipality {m!r} has no zones in {Path(path[sch.ZONES.file]).name}: "
                "every municipality needs at least one zone",
                file=path[sch.MUNICIPALITIES.file],
                row=int(line),
                column="municipality",
            )
    sums = zones.groupby("municipality").population_2019.sum()
    for m, total, line in zip(muni.municipality, muni.population_2019, muni.csv_line, strict=True):
        got = int(sums.get(m, 0))
        if got != int(total):
            raise DataError(
                f"zones of {m} sum to {got} persons, not the municipality's "
                f"population_2019 {int(total)}",
                file=path[sch.MUNICIPALITIES.file],
                row=int(line),
                column="population_2019",
            )


def check_zone_figures(
    zones: pd.DataFrame, wide: pd.DataFrame, attrs: pd.DataFrame, file: str
) -> None:
    """Figures that pass their own ranges but make no region together.

    A populated zone needs dwellings; the region needs jobs.

    Raises:
        DataError: naming the row of ``zone_attributes.csv`` that holds the bad value.
    """
    line_of = {
        (z, a): int(n)
        for z, a, n in zip(attrs.zone_id, attrs.attribute, attrs.csv_line, strict=True)
    }
    stock = wide[["dwellings_rental", "dwellings_tenant_owned", "dwellings_house"]].sum(axis=1)
    people = zones.set_index("zone_id").population_2019
    for z in zones.zone_id:
        if people[z] > 0 and stock[z] <= 0:
            raise DataError(
                f"zone {z!r} has {int(people[z])} persons but 0 dwellings "
                "(dwellings_rental + dwellings_tenant_owned + dwellings_house)",
                file=file,
                row=line_of[(z, "dwellings_rental")],
                column="value",
            )
    if float(wide["jobs"].sum()) <= 0:
        raise DataError(
            "every zone has 0 jobs: the region needs jobs for workplaces and migration",
            file=file,
        )


def _pivot_attributes(attrs: pd.DataFrame, zones: pd.DataFrame, file: str) -> pd.DataFrame:
    """Check the long attribute table and return it wide (index zone_id)."""
    known = set(zones.zone_id)
    seen: set[tuple[str, str]] = set()
    for r in attrs.itertuples():
        if r.zone_id not in known:
            raise DataError(
                f"unknown zone {r.zone_id!r}", file=file, row=r.csv_line, column="zone_id"
            )
        if r.attribute not in sch.ZONE_ATTRIBUTE_UNITS:
            raise DataError(
                f"unknown attribute {r.attribute!r}; expected one of "
                f"{', '.join(sch.ZONE_ATTRIBUTE_UNITS)}",
                file=file,
                row=r.csv_line,
                column="attribute",
            )
        unit, low, high = sch.ZONE_ATTRIBUTE_UNITS[r.attribute]
        if r.unit != unit:
            raise DataError(
                f"{r.attribute} must be in {unit!r}, found {r.unit!r}",
                file=file,
                row=r.csv_line,
                column="unit",
            )
        strict = r.attribute in sch.POSITIVE_ATTRIBUTES
        if r.value < low or (strict and r.value == low) or (high is not None and r.value > high):
            hi = "" if high is None else f" and <= {high:g}"
            sign = ">" if strict else ">="
            raise DataError(
                f"{r.attribute} must be {sign} {low:g}{hi}, found {r.value:g}",
                file=file,
                row=r.csv_line,
                column="value",
            )
        key = (r.zone_id, r.attribute)
        if key in seen:
            raise DataError(
                f"duplicate attribute {r.attribute!r} for zone {r.zone_id!r}",
                file=file,
                row=r.csv_line,
                column="attribute",
            )
        seen.add(key)
    present = {a for _, a in seen}
    for z in zones.zone_id:
        for a in sch.ZONE_ATTRIBUTE_UNITS:
            if (z, a) not in seen and (a in present or a not in sch.OPTIONAL_ZONE_ATTRIBUTES):
                raise DataError(f"zone {z!r} has no value for attribute {a!r}", file=file)
    wide = attrs.pivot(index="zone_id", columns="attribute", values="value")
    for a, default in sch.OPTIONAL_ZONE_ATTRIBUTES.items():
        if a not in wide.columns:
            wide[a] = default
    return wide[list(sch.ZONE_ATTRIBUTE_UNITS)]


def _check_links(links: pd.DataFrame, nodes: list[str], file: str) -> None:
    known = set(nodes)
    for r in links.itertuples():
        for col in ("from_node", "to_node"):
            if getattr(r, col) not in known:
                raise DataError(
                    f"unknown node {getattr(r, col)!r}", file=file, row=r.csv_line, column=col
                )
        if r.from_node == r.to_node:
            raise DataError(
                "a link must join two different nodes", file=file, row=r.csv_line, column="to_node"
            )
        if pd.notna(r.last_year) and r.last_year < r.first_year:
            raise DataError(
                f"last_year {r.last_year} is before first_year {r.first_year}",
                file=file,
                row=r.csv_line,
                column="last_year",
            )


def active_mask(links: pd.DataFrame, year: int) -> pd.Series:
    """Links in service in ``year`` (``first_year <= year <= last_year``)."""
    last = links["last_year"].astype("Float64").fillna(float("inf"))
    return (links["first_year"] <= year) & (last >= year)


def change_years(links: pd.DataFrame) -> list[int]:
    """Years in which the set of links in service changes (the first one included)."""
    years = set(links["first_year"].astype(int))
    years |= {int(y) + 1 for y in links["last_year"].dropna()}
    return sorted(years)


def check_connected(
    links: pd.DataFrame, zone_ids: list[str], node_ids: list[str], hub: str, *, file: str
) -> None:
    """Every zone and external node reaches ``hub`` in every year the network changes.

    Raises:
        DataError: naming the first node that cannot reach the hub, and the year.
    """
    for year in change_years(links):
        act = links[active_mask(links, year)]
        g = nx.Graph()
        g.add_nodes_from([*zone_ids, *node_ids])
        g.add_edges_from(zip(act.from_node, act.to_node, strict=True))
        reach = nx.node_connected_component(g, hub)
        for n in [*zone_ids, *node_ids]:
            if n not in reach:
                raise DataError(
                    f"node {n!r} cannot reach {hub!r} on the links in service in "
                    f"{year}: the network is disconnected",
                    file=file,
                )


def build_provenance(tables: dict[str, pd.DataFrame | None]) -> pd.DataFrame:
    """Long table (table, id, attribute, value, unit, status, source) of shipped values."""
    parts: list[pd.DataFrame] = []
    for spec in sch.ALL_TABLES:
        df = tables.get(spec.file)
        if df is None or df.empty:
            continue
        table = spec.file.removesuffix(".csv")
        if "attribute" in df.columns and "value" in df.columns:
            ids = df["zone_id"] if "zone_id" in df.columns else df["municipality"]
            parts.append(
                pd.DataFrame(
                    {
                        "table": table,
                        "id": ids.astype(str),
                        "attribute": df["attribute"],
                        "value": df["value"].map(lambda v: f"{v:g}"),
                        "unit": df["unit"],
                        "status": df["status"],
                        "source": df["source"],
                    }
                )
            )
            continue
        if spec.id_column is None:
            ids = df["line"] + ":" + df["from_node"] + "-" + df["to_node"]
        else:
            ids = df[spec.id_column].astype(str)
        for name, col in spec.columns.items():
            if col.unit is None:
                continue
            keep = df[name].notna()
            status_col = col.status_column if col.status_column in df.columns else "status"
            parts.append(
                pd.DataFrame(
                    {
                        "table": table,
                        "id": ids[keep],
                        "attribute": name,
                        "value": df.loc[keep, name].map(lambda v: f"{float(v):g}"),
                        "unit": col.unit,
                        "status": df.loc[keep, status_col],
                        "source": df.loc[keep, "source"],
                    }
                )
            )
    cols = ["table", "id", "attribute", "value", "unit", "status", "source"]
    return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)
