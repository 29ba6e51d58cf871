"""Loading the embedded region and the clear errors for broken data copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from fh_sim.errors import DataError
from fh_sim.region import embedded_data_dir, load_region
from fh_sim.region.load import check_connected


@pytest.fixture(scope="module")
def region():
    return load_region()


def test_embedded_totals(region):
    assert len(region.municipalities) == 11
    assert int(region.municipalities.population_2019.sum()) == 359_821
    assert int(region.zones.population_2019.sum()) == 359_821
    sums = region.zones.groupby("municipality").population_2019.sum()
    for m, total in region.municipalities.population_2019.items():
        assert sums[m] == total, m
    assert region.municipalities.loc["Helsingborg", "population_2019"] == 147_734
    assert region.municipalities.loc["Perstorp", "population_2019"] == 7_492


def test_zones_and_nodes(region):
    z = region.zones
    assert z.index[0] == "helsingborg" and z.index.is_unique
    assert z.is_rural.sum() == 11
    assert {"hoganas_rural", "angelholm", "billesholm", "kagerod"} <= set(z.index)
    assert {
        "malmo",
        "lund",
        "kavlinge",
        "eslov",
        "hassleholm",
        "kristianstad",
        "halmstad",
        "laholm",
        "helsingor",
        "kobenhavn",
    } <= set(region.external_nodes.index)
    assert all(i.isascii() for i in region.node_ids)
    for col in (
        "dwellings_rental",
        "dwellings_tenant_owned",
        "dwellings_house",
        "jobs",
        "land_capacity_dwellings",
        "planned_dwellings_per_year",
    ):
        assert (z[col] >= 0).all(), col
    stock = z[["dwellings_rental", "dwellings_tenant_owned", "dwellings_house"]].sum(axis=1)
    assert (z.land_capacity_dwellings >= stock).all()
    # price and crime indices are 1 at the population-weighted regional mean
    w = z.population_2019 / z.population_2019.sum()
    assert (w * z.price_index).sum() == pytest.approx(1.0, abs=1e-3)
    assert (w * z.crime_index).sum() == pytest.approx(1.0, abs=1e-3)
    # Helsingborg's observed tenure mix (40% rental, 23% tenant-owned, 33% houses) holds
    hbg = z[z.municipality == "Helsingborg"]
    tot = hbg[["dwellings_rental", "dwellings_tenant_owned", "dwellings_house"]].sum()
    assert tot.dwellings_rental / tot.sum() == pytest.approx(0.40 / 0.96, abs=0.005)
    assert tot.sum() == pytest.approx(147_734 / 2.19 / 0.98, abs=1)


def test_provenance(region):
    p = region.provenance
    assert list(p.columns) == ["table", "id", "attribute", "value", "unit", "status", "source"]
    assert set(p.status) == {"observed", "derived", "assumed"}
    assert (p.source.str.len() > 0).all()
    pop = p[(p.table == "municipalities") & (p.attribute == "population_2019")]
    assert len(pop) == 11 and set(pop.status) == {"observed"}
    soder = p[(p.table == "links") & p.id.str.startswith("pagatag_soderasbanan")]
    assert not soder.empty


def _copy(tmp_path: Path) -> Path:
    dst = tmp_path / "data"
    shutil.copytree(embedded_data_dir(), dst)
    return dst


def _edit(folder: Path, file: str, fn) -> None:
    path = folder / file
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    out = fn(df)
    (df if out is None else out).to_csv(path, index=False)


CASES = {
    "missing_file": (lambda d: (d / "links.csv").unlink(), "links.csv", None, None, "missing"),
    "malformed": (
        lambda d: (d / "zones.csv").write_text((d / "zones.csv").read_text() + "extra,row\n"),
        "zones.csv",
        "row 92",
        None,
        "malformed CSV",
    ),
    "missing_column": (
        lambda d: _edit(d, "links.csv", lambda df: df.drop(columns=["minutes"])),
        "links.csv",
        "row 1",
        "minutes",
        "missing",
    ),
    "bad_type": (
        lambda d: _edit(
            d,
            "links.csv",
            lambda df: df.__setitem__("minutes", df.minutes.where(df.index != 3, "ten")),
        ),
        "links.csv",
        "row 5",
        "minutes",
        "expected a number",
    ),
    "zero_minutes": (
        lambda d: _edit(
            d,
            "links.csv",
            lambda df: df.__setitem__("minutes", df.minutes.where(df.index != 0, "0")),
        ),
        "links.csv",
        "row 2",
        "minutes",
        "must be > 0",
    ),
    "negative_frequency": (
        lambda d: _edit(
            d,
            "links.csv",
            lambda df: df.__setitem__(
                "departures_per_hour", df.departures_per_hour.where(df.index != 1, "-1")
            ),
        ),
        "links.csv",
        "row 3",
        "departures_per_hour",
        "must be > 0",
    ),
    "unknown_node": (
        lambda d: _edit(
            d,
            "links.csv",
            lambda df: df.__setitem__("to_node", df.to_node.where(df.index != 2, "atlantis")),
        ),
        "links.csv",
        "row 4",
        "to_node",
        "unknown node 'atlantis'",
    ),
    "duplicate_id": (
        lambda d: _edit(
            d,
            "zones.csv",
            lambda df: df.__setitem__("zone_id", df.zone_id.where(df.index != 1, "helsingborg")),
        ),
        "zones.csv",
        "row 3",
        "zone_id",
        "duplicate id",
    ),
    "negative_stock": (
        lambda d: _edit(
            d,
            "zone_attributes.csv",
            lambda df: df.__setitem__("value", df.value.where(df.index != 0, "-5")),
        ),
        "zone_attributes.csv",
        "row 2",
        "value",
        "must be >= 0",
    ),
    "wrong_unit": (
        lambda d: _edit(
            d,
            "zone_attributes.csv",
            lambda df: df.__setitem__("unit", df.unit.where(df.index != 0, "m2")),
        ),
        "zone_attributes.csv",
        "row 2",
        "unit",
        "must be in 'dwellings'",
    ),
    "bad_status": (
        lambda d: _edit(
            d,
            "zones.csv",
            lambda df: df.__setitem__("status", df.status.where(df.index != 0, "guessed")),
        ),
        "zones.csv",
        "row 2",
        "status",
        "must be one of observed",
    ),
    "population_sum": (
        lambda d: _edit(
            d,
            "zones.csv",
            lambda df: df.__setitem__(
                "population_2019",
                df.population_2019.where(df.index != 0, str(int(df.population_2019[0]) - 1)),
            ),
        ),
        "municipalities.csv",
        "row 2",
        "population_2019",
        "sum to 359820".replace("359820", "147733"),
    ),
    "disconnected": (
        lambda d: _edit(
            d,
            "links.csv",
            lambda df: df.drop(df.index[df.link_id.str.startswith("feeder_perstorp_rural")]),
        ),
        "links.csv",
        None,
        None,
        "'perstorp_rural' cannot reach '",
    ),
    "not_utf8": (
        lambda d: (d / "municipalities.csv").write_bytes(
            (d / "municipalities.csv").read_text().encode("latin-1")
        ),
        "municipalities.csv",
        None,
        None,
        "not UTF-8",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_data_gives_clear_error(tmp_path, case):
    breaker, file, row, column, text = CASES[case]
    folder = _copy(tmp_path)
    breaker(folder)
    with pytest.raises(DataError) as info:
        load_region(folder)
    msg = str(info.value)
    assert file in msg and text in msg, msg
    if row:
        assert row in msg, msg
    if column:
        assert f"column '{column}'" in msg, msg
    assert "\n" not in msg


def test_missing_folder(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        load_region(tmp_path / "nope")


def test_soderasbanan_only_link_check(region):
    # the network is connected in every year the link set changes
    check_connected(
        region.links,
        list(region.zones.index),
        list(region.external_nodes.index),
        "helsingborg",
        file="links.csv",
    )
