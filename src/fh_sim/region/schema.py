"""Schemas of the region's CSV files: columns, types, ranges and units.

Column names carry their units (``minutes``, ``land_area_km2``); attributes of the long
``zone_attributes.csv`` carry theirs in a ``unit`` column, checked against
:data:`ZONE_ATTRIBUTE_UNITS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

STATUSES = ("observed", "derived", "assumed")
MODES = ("rail", "bus", "ferry")


@dataclass(frozen=True)
class Column:
    """One CSV column.

    Attributes:
        kind: ``str``, ``int``, ``float``, ``bool``, ``status`` or ``mode``.
        required: an empty cell is an error (else it reads as missing).
        low: smallest allowed value (numbers).
        high: largest allowed value (numbers).
        low_open: the bound ``low`` itself is not allowed (``> low``).
        unit: unit written to the provenance table; ``None`` = not a shipped value.
        status_column: column holding this value's status (default ``status``).
    """

    kind: str = "str"
    required: bool = True
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    unit: str | None = None
    status_column: str = "status"


@dataclass(frozen=True)
class TableSpec:
    """One CSV file of the region's data."""

    file: str
    id_column: str | None
    columns: dict[str, Column] = field(default_factory=dict)
    optional_file: bool = False


STATUS = Column("status")
SOURCE = Column("str")
LAT = Column("float", low=-90, high=90, unit="degrees", status_column="coord_status")
LON = Column("float", low=-180, high=180, unit="degrees", status_column="coord_status")

MUNICIPALITIES = TableSpec(
    "municipalities.csv",
    "municipality",
    {
        "municipality": Column(),
        "kommun_code": Column(required=False),
        "population_2019": Column("int", low=0, unit="persons"),
        "land_area_km2": Column("float", required=False, low=0, unit="km2"),
        "brf_price_kr_per_m2": Column("float", required=False, low=0, unit="kr_per_m2"),
        "reported_crimes_per_100k": Column("float", required=False, low=0, unit="per_100k"),
        "second_homes_2020": Column("int", required=False, low=0, unit="dwellings"),
        "status": STATUS,
        "source": SOURCE,
    },
)

MUNICIPALITY_FACTS = TableSpec(
    "municipality_facts.csv",
    None,
    {
        "municipality": Column(),
        "attribute": Column(),
        "value": Column("float"),
        "unit": Column(),
        "year": Column(required=False),
        "status": STATUS,
        "source": SOURCE,
    },
    optional_file=True,
)

ZONES = TableSpec(
    "zones.csv",
    "zone_id",
    {
        "zone_id": Column(),
        "name": Column(),
        "municipality": Column(),
        "lat": LAT,
        "lon": LON,
        "coord_status": STATUS,
        "is_rural": Column("bool"),
        "has_station": Column("bool"),
        "population_2019": Column("int", low=0, unit="persons"),
        "status": STATUS,
        "source": SOURCE,
    },
)

ZONE_ATTRIBUTES = TableSpec(
    "zone_attributes.csv",
    None,
    {
        "zone_id": Column(),
        "attribute": Column(),
        "value": Column("float"),
        "unit": Column(),
        "status": STATUS,
        "source": SOURCE,
    },
)

EXTERNAL_NODES = TableSpec(
    "external_nodes.csv",
    "node_id",
    {
        "node_id": Column(),
        "name": Column(),
        "lat": Column("float", low=-90, high=90, unit="degrees"),
        "lon": Column("float", low=-180, high=180, unit="degrees"),
        "jobs": Column("float", low=0, unit="jobs", status_column="jobs_status"),
        "jobs_status": STATUS,
        "status": STATUS,
        "source": SOURCE,
    },
)

LINKS = TableSpec(
    "links.csv",
    "link_id",
    {
        "link_id": Column(),
        "from_node": Column(),
        "to_node": Column(),
        "mode": Column("mode"),
        "line": Column(),
        "minutes": Column("float", low=0, low_open=True, unit="minutes"),
        "departures_per_hour": Column(
            "float",
            low=0,
            low_open=True,
            unit="departures_per_hour",
            status_column="frequency_status",
        ),
        "first_year": Column("int", low=1800, high=2200),
        "last_year": Column("int", required=False, low=1800, high=2200),
        "frequency_status": STATUS,
        "status": STATUS,
        "source": SOURCE,
    },
)

TRAVEL_TIME_FACTS = TableSpec(
    "travel_time_facts.csv",
    None,
    {
        "line": Column(),
        "from_node": Column(),
        "to_node": Column(),
        "minutes": Column("float", low=0, low_open=True, unit="minutes"),
        "use": Column(),
        "status": STATUS,
        "source": SOURCE,
    },
    optional_file=True,
)

# attribute -> (unit, low, high); ``high`` None = unbounded.
# Attributes whose lower bound itself is not allowed (an index of 0 means no price or no
# crime at all, which divides or zeroes the model's terms).
POSITIVE_ATTRIBUTES = frozenset({"price_index", "crime_index"})
ZONE_ATTRIBUTE_UNITS: dict[str, tuple[str, float, float | None]] = {
    "dwellings_rental": ("dwellings", 0, None),
    "dwellings_tenant_owned": ("dwellings", 0, None),
    "dwellings_house": ("dwellings", 0, None),
    "jobs": ("jobs", 0, None),
    "amenity_coast": ("index_0_1", 0, 1),
    "amenity_nature": ("index_0_1", 0, 1),
    "amenity_services": ("index_0_1", 0, 1),
    "price_index": ("index_region_mean_1", 0, None),
    "crime_index": ("index_region_mean_1", 0, None),
    "land_capacity_dwellings": ("dwellings", 0, None),
    "planned_dwellings_per_year": ("dwellings_per_year", 0, None),
    "income_index": ("index_municipal_mean_1", 0, None),
    "age_profile": ("index_minus1_1", -1, 1),
    "vulnerable_area": ("police_list_level", 0, 2),
}
# Neighbourhood attributes a user's data copy may leave out: value used when absent.
OPTIONAL_ZONE_ATTRIBUTES: dict[str, float] = {
    "income_index": 1.0,
    "age_profile": 0.0,
    "vulnerable_area": 0.0,
}

ALL_TABLES = (
    MUNICIPALITIES,
    MUNICIPALITY_FACTS,
    ZONES,
    ZONE_ATTRIBUTES,
    EXTERNAL_NODES,
    LINKS,
    TRAVEL_TIME_FACTS,
)
