"""Zones by name for the rules: ids, names, places, coordinates and attributes with units.

Rules read a zone attribute by its name, never by position: ``ctx.zones["amenity_coast"]``
is float[n_zones] in zone order. The names are

* the state the model updates (read at the time of the call): see :data:`STATE`;
* the region's shipped attributes and zone columns (:data:`SHIPPED`);
* attributes from the region folder's optional ``user_zone_attributes.csv``
  (:data:`USER_FILE`, the same long format as ``zone_attributes.csv``);
* attributes computed by plugins (:func:`fh_sim.plugins.zone_attribute`).

``ctx.zones.info`` (a :class:`ZoneInfo`) also holds the zone ids, names, municipality
names, coordinates and the coast flag, and :meth:`ZoneInfo.mask` turns place names into
a zone mask.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from fh_sim.errors import DataError, PluginError
from fh_sim.region import schema as sch
from fh_sim.region.csvio import read_table
from fh_sim.types import BoolArray, FloatArray

if TYPE_CHECKING:
    from fh_sim.region.region import Region
    from fh_sim.rules.registry import Registry, ZoneAttribute
    from fh_sim.sim.state import Zones

USER_FILE = "user_zone_attributes.csv"
"""Optional file of a region folder: extra zone attributes, long format with units."""

USER_ATTRIBUTES = sch.TableSpec(
    USER_FILE,
    None,
    {
        "zone_id": sch.Column(),
        "attribute": sch.Column(),
        "value": sch.Column("float"),
        "unit": sch.Column(),
        "status": sch.STATUS,
        "source": sch.SOURCE,
    },
    optional_file=True,
)

STATE: dict[str, str] = {
    "crime_index": "index_region_mean_1",
    "crime_base": "index_region_mean_1",
    "trust": "index_0_1",
    "reputation": "index_0_1",
    "accessibility": "jobs",
    "land_capacity": "dwellings (scaled)",
    "planned_per_year": "dwellings_per_year (scaled)",
    "low_share_base": "share_0_1",
}
"""Zone state the model keeps (``Zones`` fields), name -> unit; read when called."""

AMENITIES = ("amenity_coast", "amenity_nature", "amenity_services")
"""Columns of ``Zones.amenities``, in order."""

SHIPPED: dict[str, str] = {
    **{a: "index_0_1" for a in AMENITIES},
    "has_station": "flag_0_1",
    "jobs": "jobs",
    "lat": "degrees",
    "lon": "degrees",
    "population_2019": "persons",
    "is_rural": "flag_0_1",
    "coast": "flag_0_1",
    "dwellings_rental": "dwellings",
    "dwellings_tenant_owned": "dwellings",
    "dwellings_house": "dwellings",
    "price_index_2019": "index_region_mean_1",
    "land_capacity_dwellings": "dwellings",
    "planned_dwellings_per_year": "dwellings_per_year",
}
"""Fixed attributes from the region's files, name -> unit (unscaled counts). Every other
attribute of ``zone_attributes.csv`` (:data:`fh_sim.region.schema.ZONE_ATTRIBUTE_UNITS`)
is readable under its own name and unit too."""
RENAMED: dict[str, str] = {"crime_index": "crime_base", "price_index": "price_index_2019"}
"""Shipped attributes whose name is taken by the state: region column -> name to read."""


@dataclass(frozen=True)
class ZoneInfo:
    """The fixed facts of every zone, in zone order (row ``i`` = zone index ``i``).

    Attributes:
        ids: zone ids (``zones.csv`` ``zone_id``).
        names: zone names.
        municipality: municipality name of each zone.
        municipalities: municipality names in index order (``Zones.municipality`` codes).
        lat: float[n_zones] latitude, degrees (WGS84).
        lon: float[n_zones] longitude, degrees (WGS84).
        coast: bool[n_zones] on the shore (``amenity_coast`` = 1; DATA.md rule E1).
        attributes: name -> float[n_zones] fixed attributes (shipped, user file, plugins).
        units: name -> unit of every attribute a rule can read (fixed and state).
    """

    ids: tuple[str, ...]
    names: tuple[str, ...]
    municipality: tuple[str, ...]
    municipalities: tuple[str, ...]
    lat: FloatArray
    lon: FloatArray
    coast: BoolArray
    attributes: Mapping[str, FloatArray] = field(default_factory=dict)
    units: Mapping[str, str] = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of zones."""
        return len(self.ids)

    def __getitem__(self, name: str) -> FloatArray:
        """float[n_zones] fixed attribute ``name``."""
        try:
            return self.attributes[name]
        except KeyError:
            raise KeyError(unknown_attribute(name, self.units)) from None

    def mask(self, places: Iterable[str], *, where: str = "places") -> BoolArray:
        """bool[n_zones] zones named by zone id or municipality name (empty: all zones).

        Raises:
            PluginError: an unknown place, naming ``where`` and the nearest valid names.
        """
        places = list(places)
        if not places:
            return np.ones(self.n, dtype=bool)
        ids = np.asarray(self.ids, dtype=object)
        muni = np.asarray(self.municipality, dtype=object)
        out = np.zeros(self.n, dtype=bool)
        for place in places:
            hit = (ids == place) | (muni == place)
            if not hit.any():
                from fh_sim.rules.registry import nearest

                raise PluginError(
                    f"unknown place '{place}'; use a zone id or a municipality name "
                    f"({nearest(place, [*self.ids, *self.municipalities])})",
                    where=where,
                )
            out |= hit
        return out


def unknown_attribute(name: str, units: Mapping[str, str]) -> str:
    """The message for a zone attribute name that does not exist."""
    from fh_sim.rules.registry import nearest

    return f"unknown zone attribute '{name}'; {nearest(name, units)}"


def read_zone(zones: Zones, name: str) -> FloatArray:
    """``zones[name]`` for :class:`fh_sim.sim.state.Zones` (state first, then fixed attributes).

    Raises:
        KeyError: an unknown name, with the nearest valid names.
    """
    if name in STATE:
        value: FloatArray = getattr(zones, name)  # every STATE name is a float field
        return value
    if name in AMENITIES:
        return zones.amenities[:, AMENITIES.index(name)]
    info = zones.info
    if info is None:
        if name == "has_station":
            return zones.has_station.astype(float)
        if name == "jobs":
            return zones.jobs[: zones.n]
        raise KeyError(unknown_attribute(name, {**STATE, **{a: "" for a in AMENITIES}}))
    return info[name]


def _read_only(values: Any) -> FloatArray:
    arr = np.array(values, dtype=float)
    arr.flags.writeable = False
    return arr


def user_attributes(
    folder: Path, zone_ids: list[str], *, taken: Iterable[str]
) -> tuple[dict[str, FloatArray], dict[str, str]]:
    """Attributes of the folder's ``user_zone_attributes.csv`` (none if it is absent).

    Every attribute needs one value for every zone, one unit and a name that is not
    already taken.

    Returns:
        (name -> float[n_zones], name -> unit).

    Raises:
        DataError: naming the file, row and column of the first problem.
    """
    table = read_table(Path(folder), USER_ATTRIBUTES)
    if table is None:
        return {}, {}
    file = str(Path(folder) / USER_FILE)
    index = {z: i for i, z in enumerate(zone_ids)}
    taken = set(taken)
    values: dict[str, np.ndarray] = {}
    units: dict[str, str] = {}
    for r in table.itertuples():
        if r.zone_id not in index:
            from fh_sim.rules.registry import nearest

            raise DataError(
                f"unknown zone {r.zone_id!r} ({nearest(r.zone_id, zone_ids)})",
                file=file,
                row=r.csv_line,
                column="zone_id",
            )
        if r.attribute in taken:
            raise DataError(
                f"attribute {r.attribute!r} is already a zone attribute; choose another name",
                file=file,
                row=r.csv_line,
                column="attribute",
            )
        if r.attribute not in values:
            values[r.attribute] = np.full(len(zone_ids), np.nan)
            units[r.attribute] = r.unit
        elif units[r.attribute] != r.unit:
            raise DataError(
                f"{r.attribute} is in {units[r.attribute]!r} on an earlier row, found {r.unit!r}",
                file=file,
                row=r.csv_line,
                column="unit",
            )
        i = index[r.zone_id]
        if not np.isnan(values[r.attribute][i]):
            raise DataError(
                f"duplicate attribute {r.attribute!r} for zone {r.zone_id!r}",
                file=file,
                row=r.csv_line,
                column="attribute",
            )
        values[r.attribute][i] = float(r.value)
    for name, arr in values.items():
        missing = np.flatnonzero(np.isnan(arr))
        if missing.size:
            raise DataError(
                f"zone {zone_ids[missing[0]]!r} has no value for attribute {name!r}", file=file
            )
    return {k: _read_only(v) for k, v in values.items()}, units


def zone_info(region: Region, zones: Zones, registry: Registry | None = None) -> ZoneInfo:
    """The :class:`ZoneInfo` of a region: shipped, user-file and plugin attributes.

    Args:
        region: the loaded :class:`fh_sim.region.region.Region`.
        zones: the model's base-year :class:`fh_sim.sim.state.Zones` (unscaled attributes
            are read from ``region``).
        registry: where plugin zone attributes are registered (None: none).

    Raises:
        DataError: a bad ``user_zone_attributes.csv``.
        PluginError: a plugin attribute that fails, has the wrong shape or a taken name.
    """
    zt = region.zones
    ids = [str(z) for z in zt.index]
    muni_names = tuple(str(m) for m in region.municipalities.index)
    amen = np.asarray(zones.amenities, dtype=float)
    attrs: dict[str, FloatArray] = {
        **{a: amen[:, k] for k, a in enumerate(AMENITIES)},
        "has_station": np.asarray(zones.has_station, dtype=float),
        "jobs": np.asarray(zones.jobs[: len(ids)], dtype=float),
        "coast": (amen[:, 0] >= 1.0).astype(float),
    }
    columns = {"price_index_2019": "price_index"}  # attribute -> region column
    for name in SHIPPED:
        column = columns.get(name, name)
        if name not in attrs and column in zt.columns:  # a region without it: no name
            attrs[name] = np.asarray(zt[column], dtype=float)
    units = {**STATE, **{k: u for k, u in SHIPPED.items() if k in attrs}}
    for name, (unit, _, _) in sch.ZONE_ATTRIBUTE_UNITS.items():  # every other attribute
        if name not in units and name not in RENAMED and name in zt.columns:
            attrs[name] = np.asarray(zt[name], dtype=float)
            units[name] = unit
    attrs = {k: _read_only(v) for k, v in attrs.items()}
    lat = attrs.get("lat", _read_only(np.full(len(ids), np.nan)))
    lon = attrs.get("lon", _read_only(np.full(len(ids), np.nan)))
    extra, extra_units = (
        user_attributes(Path(region.data_dir), ids, taken=units)
        if getattr(region, "data_dir", None) is not None
        else ({}, {})
    )
    attrs.update(extra)
    units.update(extra_units)
    info = ZoneInfo(
        ids=tuple(ids),
        names=tuple(str(n) for n in _names(zt, ids)),
        municipality=tuple(str(m) for m in zt["municipality"]),
        municipalities=muni_names,
        lat=lat,
        lon=lon,
        coast=np.asarray(attrs["coast"] > 0),
        attributes=attrs,
        units=units,
    )
    if registry is not None:
        for hook in registry.hooks("zone_attribute").values():
            info = _add_plugin_attribute(info, hook)
    return info


def _names(zt: Any, ids: list[str]) -> list[str]:
    return list(zt["name"]) if "name" in zt.columns else ids


def _add_plugin_attribute(info: ZoneInfo, hook: ZoneAttribute) -> ZoneInfo:
    from fh_sim.rules.contract import failure

    what = f"zone attribute '{hook.name}'"
    if hook.name in info.units:
        raise PluginError(f"{what}: the name is already a zone attribute; choose another")
    try:
        values = hook.func(info)
    except Exception as err:  # the user's function failed
        raise failure(what, None, err) from err
    arr = np.asarray(values)
    if arr.shape != (info.n,) or arr.dtype.kind != "f" or not np.all(np.isfinite(arr)):
        raise PluginError(
            f"{what} returned {arr.dtype}{list(arr.shape)}; expected finite "
            f"float[{info.n}] (one value per zone)"
        )
    attributes = {**info.attributes, hook.name: _read_only(arr)}
    units = {**info.units, hook.name: hook.unit}
    return ZoneInfo(**{**info.__dict__, "attributes": attributes, "units": units})
