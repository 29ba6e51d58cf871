"""Outcome metrics per year at the levels zone, municipality, region and segment.

Definitions and units: ``docs/outcomes.md``. Aggregation uses ``np.bincount``; the tidy
table is built once at the end of a run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fh_sim.state import N_SEGMENTS, N_TYPES, SEGMENT_NAMES, Dwellings, Households, Zones
from fh_sim.types import FloatArray, IntArray

FLOWS: tuple[str, ...] = (
    "births",
    "deaths",
    "in_persons",
    "out_persons",
    "in_households",
    "out_households",
    "moved_in_persons",
    "moved_out_persons",
    "moved_in_households",
    "moved_out_households",
    "formed",
    "dissolved",
    "internal_moves",
    "waiting",
    "displaced",
)
"""Per-zone (and per-segment) yearly counters kept by the model."""

COMMON_METRICS: tuple[str, ...] = (
    "population",
    "households",
    "births",
    "deaths",
    "in_migrants",
    "out_migrants",
    "internal_moves",
    "vacancy_rate",
    "price_index",
    "rent_burden",
    "waiting_households",
    "accessibility",
    "commute_cost",
    "safety",
    "reputation",
    "base_residents_in_region",
    "displaced",
    "households_formed",
    "households_dissolved",
)
SEGREGATION_METRICS: tuple[str, ...] = (
    "dissimilarity_income",
    "isolation_low_income",
    "theil_income",
)
SEGMENT_METRICS: tuple[str, ...] = (
    "population",
    "households",
    "in_migrants",
    "out_migrants",
    "internal_moves",
    "rent_burden",
    "commute_cost",
    "waiting_households",
    "displaced",
    "base_residents_in_region",
)
REGION_ONLY: tuple[str, ...] = ("turned_away_in_migrants",)


class Flows:
    """Yearly counters per zone and per segment.

    Attributes:
        zone: name -> float[n_zones].
        segment: name -> float[n_segments].
        turned_away: in-migrant households that found no dwelling this year.
    """

    def __init__(self, n_zones: int) -> None:
        self.n_zones = n_zones
        self.zone = {k: np.zeros(n_zones) for k in FLOWS}
        self.segment = {k: np.zeros(N_SEGMENTS) for k in FLOWS}
        self.turned_away = 0

    def add(
        self,
        name: str,
        zone: IntArray,
        segment: IntArray | None = None,
        weights: FloatArray | None = None,
    ) -> None:
        """Count events at ``zone`` (and ``segment``), weighted (default 1 each)."""
        self.zone[name] += np.bincount(zone, weights=weights, minlength=self.n_zones)
        if segment is not None:
            self.segment[name] += np.bincount(segment, weights=weights, minlength=N_SEGMENTS)


def dissimilarity(group: FloatArray, other: FloatArray) -> float:
    """Duncan's dissimilarity index between two groups over areas (0-1)."""
    g, o = group.sum(), other.sum()
    if g <= 0 or o <= 0:
        return 0.0
    return float(0.5 * np.abs(group / g - other / o).sum())


def isolation(group: FloatArray, total: FloatArray) -> float:
    """Isolation index of a group: its members' mean share of their own group (0-1)."""
    g = group.sum()
    if g <= 0:
        return 0.0
    ok = total > 0
    return float(((group[ok] / g) * (group[ok] / total[ok])).sum())


def theil_h(counts: FloatArray) -> float:
    """Theil's H (information theory index) over areas x groups (0-1)."""
    t = counts.sum(axis=1)
    total = t.sum()
    if total <= 0:
        return 0.0
    p = counts.sum(axis=0) / total

    def entropy(shares: FloatArray) -> FloatArray:
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(shares > 0, -shares * np.log(shares), 0.0)
        return terms.sum(axis=-1)

    e = float(entropy(p))
    if e <= 0:
        return 0.0
    ez = entropy(counts / np.maximum(t[:, None], 1e-12))
    return float((t * (e - ez)).sum() / (total * e))


def _segregation(counts: FloatArray) -> dict[str, float]:
    low = counts[:, 0]
    return {
        "dissimilarity_income": dissimilarity(low, counts[:, 1:].sum(axis=1)),
        "isolation_low_income": isolation(low, counts.sum(axis=1)),
        "theil_income": theil_h(counts),
    }


class Recorder:
    """Collects one year's metrics at every level; :meth:`frame` builds the tidy table."""

    def __init__(self, *, region_name: str, municipalities: list[str], zone_ids: list[str]) -> None:
        self.levels = {
            "region": [region_name],
            "municipality": list(municipalities),
            "zone": list(zone_ids),
            "segment": list(SEGMENT_NAMES),
        }
        self._rows: list[tuple[int, str, IntArray, str, FloatArray]] = []

    def _add(self, year: int, level: str, metric: str, values: FloatArray) -> None:
        idx = np.arange(len(values))
        self._rows.append((year, level, idx, metric, np.asarray(values, dtype=float)))

    def record(
        self,
        *,
        year: int,
        households: Households,
        dwellings: Dwellings,
        zones: Zones,
        flows: Flows,
        burden: FloatArray,
        commute_min: FloatArray,
    ) -> None:
        """Record the metrics of ``year`` from the end-of-year state and its flows.

        Args:
            year: calendar year.
            households: households at the end of the year.
            dwellings: dwellings at the end of the year.
            zones: zones at the end of the year.
            flows: the year's counters.
            burden: float[n_households] housing cost over income.
            commute_min: float[n_households] commute minutes (0 where no workplace).
        """
        nz = zones.n
        hh = households
        zone = hh.zone
        seg = hh.segment()
        worker = (hh.workplace >= 0).astype(float)
        size = hh.size.astype(float)
        fz, fs = flows.zone, flows.segment

        def zsum(w: FloatArray | None = None) -> FloatArray:
            return np.bincount(zone, weights=w, minlength=nz).astype(float)

        def ssum(w: FloatArray | None = None) -> FloatArray:
            return np.bincount(seg, weights=w, minlength=N_SEGMENTS).astype(float)

        stock = dwellings.stock.sum(axis=1).astype(float)
        occupied = dwellings.occupied.sum(axis=1).astype(float)
        price_w = (dwellings.price_index * dwellings.stock).sum(axis=1)
        grp = (
            np.bincount(zone.astype(np.int64) * 3 + hh.income_group, minlength=nz * 3)
            .reshape(nz, 3)
            .astype(float)
        )
        safety = 1.0 / np.maximum(zones.crime_index, 1e-6)
        zone_sums = {
            "population": zsum(size),
            "households": zsum(),
            "births": fz["births"],
            "deaths": fz["deaths"],
            "in_migrants": fz["in_persons"],
            "out_migrants": fz["out_persons"],
            "internal_moves": fz["internal_moves"],
            "waiting_households": fz["waiting"],
            "base_residents_in_region": zsum(hh.is_base_resident.astype(float)),
            "displaced": fz["displaced"],
            "households_formed": fz["formed"],
            "households_dissolved": fz["dissolved"],
        }
        # numerators and denominators of the averaged metrics, per zone
        pop = zone_sums["population"]
        n_hh = zone_sums["households"]
        ratios = {
            "vacancy_rate": (stock - occupied, stock),
            "price_index": (price_w, stock),
            "rent_burden": (zsum(burden), n_hh),
            "accessibility": (zones.accessibility * pop, pop),
            "commute_cost": (zsum(commute_min * worker), zsum(worker)),
            "safety": (safety * pop, pop),
            "reputation": (zones.reputation * pop, pop),
        }
        muni = zones.municipality
        n_mun = len(self.levels["municipality"])
        for level, agg in (
            ("zone", lambda v: v),
            ("municipality", lambda v: np.bincount(muni, weights=v, minlength=n_mun)),
            ("region", lambda v: np.array([v.sum()])),
        ):
            for name, values in zone_sums.items():
                self._add(year, level, name, agg(values))
            for name, (num, den) in ratios.items():
                n_, d_ = agg(num), agg(den)
                self._add(year, level, name, np.where(d_ > 0, n_ / np.where(d_ > 0, d_, 1), 0.0))
        # the zone level keeps accessibility, safety and reputation unweighted
        for m in SEGREGATION_METRICS:
            per_mun = [_segregation(grp[muni == k])[m] for k in range(n_mun)]
            self._add(year, "municipality", m, np.asarray(per_mun))
        for m, v in _segregation(grp).items():
            self._add(year, "region", m, np.array([v]))
        self._add(year, "region", "turned_away_in_migrants", np.array([float(flows.turned_away)]))
        seg_n = ssum()
        seg_workers = ssum(worker)
        seg_values = {
            "population": ssum(size),
            "households": seg_n,
            "in_migrants": fs["in_persons"],
            "out_migrants": fs["out_persons"],
            "internal_moves": fs["internal_moves"],
            "rent_burden": np.where(seg_n > 0, ssum(burden) / np.maximum(seg_n, 1), 0.0),
            "commute_cost": np.where(
                seg_workers > 0, ssum(commute_min * worker) / np.maximum(seg_workers, 1), 0.0
            ),
            "waiting_households": fs["waiting"],
            "displaced": fs["displaced"],
            "base_residents_in_region": ssum(hh.is_base_resident.astype(float)),
        }
        for name, values in seg_values.items():
            self._add(year, "segment", name, values)

    def frame(self) -> pd.DataFrame:
        """The tidy long table: year (int64), level, unit, metric (str), value (float64)."""
        if not self._rows:
            years = np.zeros(0, dtype=np.int64)
            levels = units = metrics = np.zeros(0, dtype=object)
            values = np.zeros(0)
        else:
            years = np.concatenate([np.full(len(r[2]), r[0], dtype=np.int64) for r in self._rows])
            levels = np.concatenate([np.full(len(r[2]), r[1], dtype=object) for r in self._rows])
            units = np.concatenate(
                [np.asarray(self.levels[r[1]], dtype=object)[r[2]] for r in self._rows]
            )
            metrics = np.concatenate([np.full(len(r[2]), r[3], dtype=object) for r in self._rows])
            values = np.concatenate([r[4] for r in self._rows]).astype(np.float64)
        return pd.DataFrame(
            {"year": years, "level": levels, "unit": units, "metric": metrics, "value": values}
        )


def stock_weighted_price(dwellings: Dwellings) -> float:
    """Regional mean price index weighted by stock."""
    s = dwellings.stock.sum()
    return float((dwellings.price_index * dwellings.stock).sum() / max(s, 1))


__all__ = [
    "COMMON_METRICS",
    "FLOWS",
    "Flows",
    "N_TYPES",
    "Recorder",
    "dissimilarity",
    "isolation",
    "stock_weighted_price",
    "theil_h",
]
