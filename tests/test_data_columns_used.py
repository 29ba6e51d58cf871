"""Every figure DATA.md invites users to replace is used: changing it changes the outcomes.

Each column of the region's CSV files is edited in a copy of the shipped data and the
model run briefly with the growth_first scenario (it builds near stations, so
``has_station`` matters too). A column whose edit leaves the outcome table byte-identical
must be listed as informational in DATA.md ("Columns the model does not read"), and a
listed column must indeed change nothing.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from fh_sim.config import SimConfig
from fh_sim.config.scenario import HousingPolicy, ScenarioConfig
from fh_sim.region.load import embedded_data_dir
from fh_sim.runs import rundir
from fh_sim.sim.model import HousingModel

DATA_MD = Path(__file__).resolve().parents[1] / "DATA.md"
Edit = Callable[[pd.DataFrame], None]


def _scale(col: str, factor: float) -> Edit:
    def edit(df: pd.DataFrame) -> None:
        df[col] = df[col] * factor

    return edit


def _attr(name: str, factor: float) -> Edit:
    def edit(df: pd.DataFrame) -> None:
        rows = df["attribute"] == name
        df.loc[rows, "value"] = df.loc[rows, "value"] * factor

    return edit


def _text(col: str) -> Edit:
    def edit(df: pd.DataFrame) -> None:
        df[col] = df[col].astype(str) + "_x"

    return edit


def _flip(col: str) -> Edit:
    def edit(df: pd.DataFrame) -> None:
        df[col] = ~df[col].astype(str).eq("True")

    return edit


def _move_people(df: pd.DataFrame) -> None:
    """Move 3,000 persons from Helsingborg town to its rural zone (sums unchanged)."""
    df.loc[df.zone_id == "helsingborg", "population_2019"] -= 3000
    df.loc[df.zone_id == "helsingborg_rural", "population_2019"] += 3000


def _shift_coords(col: str) -> Edit:
    def edit(df: pd.DataFrame) -> None:
        df[col] = df[col] + 0.01

    return edit


def _later_years(df: pd.DataFrame) -> None:
    """Links that open in 2024 open in 2020 instead."""
    df.loc[df.first_year == 2024, "first_year"] = 2020


def _keep_links_open(df: pd.DataFrame) -> None:
    """Links replaced in 2024 stay in service; their replacements close after 2024."""
    new = df.first_year == 2024
    df.loc[df.last_year == 2023, "last_year"] = pd.NA
    df.loc[new, "last_year"] = 2024


def _split_line(df: pd.DataFrame) -> None:
    """One section of Skånebanan becomes a line of its own (a transfer on the way)."""
    df.loc[df.link_id == "pagatag_5_skanebanan:paarp-morarp", "line"] = "skanebanan_split"


# (file, column) -> edit; attributes of zone_attributes.csv are named "attribute:<name>".
EDITS: dict[tuple[str, str], Edit] = {
    ("zones.csv", "population_2019"): _move_people,
    ("zones.csv", "has_station"): _flip("has_station"),
    ("zones.csv", "is_rural"): _flip("is_rural"),
    ("zones.csv", "lat"): _shift_coords("lat"),
    ("zones.csv", "lon"): _shift_coords("lon"),
    ("zones.csv", "name"): _text("name"),
    ("zones.csv", "locality_population"): _scale("locality_population", 2),
    ("municipalities.csv", "land_area_km2"): _scale("land_area_km2", 2),
    ("municipalities.csv", "brf_price_kr_per_m2"): _scale("brf_price_kr_per_m2", 2),
    ("municipalities.csv", "reported_crimes_per_100k"): _scale("reported_crimes_per_100k", 2),
    ("municipalities.csv", "second_homes_2020"): _scale("second_homes_2020", 2),
    ("municipalities.csv", "kommun_code"): _text("kommun_code"),
    ("external_nodes.csv", "jobs"): _scale("jobs", 3),
    ("external_nodes.csv", "population"): _scale("population", 2),
    ("links.csv", "minutes"): _scale("minutes", 1.5),
    ("links.csv", "departures_per_hour"): _scale("departures_per_hour", 0.5),
    ("links.csv", "first_year"): _later_years,
    ("links.csv", "last_year"): _keep_links_open,
    ("links.csv", "line"): _split_line,
    ("links.csv", "km"): _scale("km", 2),
    **{
        ("zone_attributes.csv", f"attribute:{a}"): _attr(a, f)
        for a, f in (
            ("dwellings_rental", 2.0),
            ("dwellings_tenant_owned", 2.0),
            ("dwellings_house", 2.0),
            ("jobs", 0.5),
            ("amenity_coast", 0.0),
            ("amenity_nature", 0.5),
            ("amenity_services", 0.5),
            ("price_index", 1.5),
            ("crime_index", 2.0),
            ("land_capacity_dwellings", 0.0),
            ("planned_dwellings_per_year", 3.0),
        )
    },
}


def informational() -> set[tuple[str, str]]:
    """(file, column) pairs DATA.md lists under "Columns the model does not read"."""
    text = DATA_MD.read_text(encoding="utf-8")
    section = text.split("## Columns the model does not read", 1)[1].split("\n## ", 1)[0]
    found = set()
    bullets = re.findall(r"^- `([a-z_]+\.csv)`: (.+?)(?=^\S|\Z)", section, flags=re.M | re.S)
    for file, text in bullets:
        columns = text.split("(", 1)[0]  # the parenthesis says why, naming other columns
        found |= {(file, c) for c in re.findall(r"`([a-z_0-9]+)`", columns)}
    return found


def _outcomes(data_dir: Path) -> bytes:
    scenario = ScenarioConfig(
        name="growth_like",
        housing_policies={
            "toc": HousingPolicy(
                construction_multiplier=1.5, transit_oriented=True, start_year=2020
            )
        },
    )
    cfg = SimConfig(seed=3, scale=0.03, end_year=2025, scenario=scenario)
    cfg.region.data_dir = str(data_dir)
    return rundir.outcomes_bytes(HousingModel(cfg).run(progress=False))


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("shipped") / "data"
    shutil.copytree(embedded_data_dir(), folder)
    return _outcomes(folder)


@pytest.mark.parametrize(("file", "column"), list(EDITS), ids=lambda v: str(v))
def test_each_column_is_used_or_marked_informational(
    file: str, column: str, shipped: bytes, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    shutil.copytree(embedded_data_dir(), folder)
    df = pd.read_csv(
        folder / file, dtype={"kommun_code": str}, keep_default_na=False, na_values=[""]
    )
    EDITS[(file, column)](df)
    df.to_csv(folder / file, index=False)
    changed = _outcomes(folder) != shipped
    name = column.removeprefix("attribute:")
    listed = (file, name) in informational()
    assert changed != listed, (
        f"{file} {name}: outcomes {'changed' if changed else 'unchanged'} but DATA.md "
        f"{'lists' if listed else 'does not list'} it as informational"
    )


def test_informational_list_names_only_edited_columns() -> None:
    edited = {(f, c.removeprefix("attribute:")) for f, c in EDITS}
    assert informational() <= edited


@pytest.mark.parametrize("file", sorted({f for f, _ in EDITS}))
def test_rewriting_a_file_unchanged_changes_nothing(
    file: str, shipped: bytes, tmp_path: Path
) -> None:
    """The control: the read-and-write of the edits alone leaves the outcomes as shipped."""
    folder = tmp_path / "data"
    shutil.copytree(embedded_data_dir(), folder)
    df = pd.read_csv(
        folder / file, dtype={"kommun_code": str}, keep_default_na=False, na_values=[""]
    )
    df.to_csv(folder / file, index=False)
    assert _outcomes(folder) == shipped
