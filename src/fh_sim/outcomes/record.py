"""Outcome metrics per year at the levels zone, municipality, region and segment.

Definitions and units: ``docs/outcomes.md``. Aggregation uses ``np.bincount``; the tidy
table is built once at the end of a run.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from fh_sim.sim.state import N_SEGMENTS, N_TYPES, SEGMENT_NAMES, Dwellings, Households, Zones
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
    "moves_out",
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
        weights: FloatArray | IntArray | None = None,
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


def segregation_by(counts: FloatArray, group: IntArray, n_groups: int) -> dict[str, FloatArray]:
    """Dissimilarity, isolation and Theil's H of every group of areas at once.

    Equal to :func:`dissimilarity`, :func:`isolation` and :func:`theil_h` on each group's
    rows (up to floating-point summation order), in a few bincounts instead of a loop.

    Args:
        counts: float[n_areas, n_income_groups] households per area and income group
            (column 0: low income).
        group: int[n_areas] group of each area (e.g. its municipality).
        n_groups: number of groups.

    Returns:
        ``dissimilarity_income``, ``isolation_low_income``, ``theil_income``: float[n_groups].
    """
    counts = np.asarray(counts, dtype=float)

    def gsum(w: FloatArray) -> FloatArray:
        return np.asarray(np.bincount(group, weights=w, minlength=n_groups), dtype=np.float64)

    low = counts[:, 0]
    other = counts[:, 1:].sum(axis=1)
    total = counts.sum(axis=1)
    lo_g, ot_g, tot_g = gsum(low), gsum(other), gsum(total)
    lo_a, ot_a = lo_g[group], ot_g[group]
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.abs(low / lo_a - other / ot_a)
        dis = np.where((lo_g > 0) & (ot_g > 0), 0.5 * gsum(np.where(lo_a > 0, gap, 0.0)), 0.0)
        own = np.where(total > 0, (low / lo_a) * (low / np.where(total > 0, total, 1.0)), 0.0)
        iso = np.where(lo_g > 0, gsum(np.where(lo_a > 0, own, 0.0)), 0.0)
        by_income = np.stack([gsum(counts[:, j]) for j in range(counts.shape[1])], axis=1)
        shares = by_income / tot_g[:, None]
        e_g = np.where(shares > 0, -shares * np.log(shares), 0.0).sum(axis=1)
        e_g = np.where(tot_g > 0, e_g, 0.0)
        inside = counts / np.maximum(total[:, None], 1e-12)
        e_a = np.where(inside > 0, -inside * np.log(inside), 0.0).sum(axis=1)
        ok = (tot_g > 0) & (e_g > 0)
        num = gsum(total * (e_g[group] - e_a))
        theil = np.where(ok, num / np.where(ok, tot_g * e_g, 1.0), 0.0)
    return {
        "dissimilarity_income": dis,
        "isolation_low_income": iso,
        "theil_income": theil,
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

    def add_metric(self, year: int, level: str, metric: str, values: FloatArray) -> None:
        """Add one metric of ``year`` at ``level`` (one value per unit, in unit order)."""
        self._add(year, level, metric, values)

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
        worker = hh.workplace >= 0
        # one pass per weight over (zone x segment) cells; zones and segments from them
        cell = hh.zone.astype(np.int64) * N_SEGMENTS + hh.segment()
        n_cells = nz * N_SEGMENTS

        def cells(w: FloatArray | None = None) -> FloatArray:
            c = np.bincount(cell, weights=w, minlength=n_cells).astype(float)
            return c.reshape(nz, N_SEGMENTS)

        c_n = cells()
        c_size = cells(hh.size.astype(float))
        c_base = cells(hh.is_base_resident.astype(float))
        c_work = cells(worker.astype(float))
        c_burden = cells(burden)
        c_commute = cells(np.where(worker, commute_min, 0.0))
        fz, fs = flows.zone, flows.segment
        stock = dwellings.stock.sum(axis=1).astype(float)
        occupied = dwellings.occupied.sum(axis=1).astype(float)
        price_w = (dwellings.price_index * dwellings.stock).sum(axis=1)
        # households per zone and income group (segment = life stage x 3 + income group)
        grp = c_n.reshape(nz, N_SEGMENTS // 3, 3).sum(axis=1)
        safety = 1.0 / np.maximum(zones.crime_index, 1e-6)
        zone_sums = {
            "population": c_size.sum(axis=1),
            "households": c_n.sum(axis=1),
            "births": fz["births"],
            "deaths": fz["deaths"],
            "in_migrants": fz["in_persons"],
            "out_migrants": fz["out_persons"],
            "internal_moves": fz["internal_moves"],
            "moves_out": fz["moved_out_households"],
            "waiting_households": fz["waiting"],
            "base_residents_in_region": c_base.sum(axis=1),
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
            "rent_burden": (c_burden.sum(axis=1), n_hh),
            "accessibility": (zones.accessibility * pop, pop),
            "commute_cost": (c_commute.sum(axis=1), c_work.sum(axis=1)),
            "safety": (safety * pop, pop),
            "reputation": (zones.reputation * pop, pop),
        }
        muni = zones.municipality
        n_mun = len(self.levels["municipality"])
        levels: tuple[tuple[str, Callable[[FloatArray], FloatArray]], ...] = (
            ("zone", lambda v: v),
            (
                "municipality",
                lambda v: np.asarray(np.bincount(muni, weights=v, minlength=n_mun), dtype=float),
            ),
            ("region", lambda v: np.array([v.sum()])),
        )
        for level, agg in levels:
            for name, values in zone_sums.items():
                self._add(year, level, name, agg(values))
            for name, (num, den) in ratios.items():
                n_, d_ = agg(num), agg(den)
                self._add(year, level, name, np.where(d_ > 0, n_ / np.where(d_ > 0, d_, 1), 0.0))
        # the zone level keeps accessibility, safety and reputation unweighted
        for m, v in segregation_by(grp, muni, n_mun).items():
            self._add(year, "municipality", m, v)
        for m, v in segregation_by(grp, np.zeros(nz, dtype=np.int64), 1).items():
            self._add(year, "region", m, v)
        self._add(year, "region", "turned_away_in_migrants", np.array([float(flows.turned_away)]))
        seg_n = c_n.sum(axis=0)
        seg_workers = c_work.sum(axis=0)
        seg_values = {
            "population": c_size.sum(axis=0),
            "households": seg_n,
            "in_migrants": fs["in_persons"],
            "out_migrants": fs["out_persons"],
            "internal_moves": fs["internal_moves"],
            "rent_burden": np.where(seg_n > 0, c_burden.sum(axis=0) / np.maximum(seg_n, 1), 0.0),
            "commute_cost": np.where(
                seg_workers > 0, c_commute.sum(axis=0) / np.maximum(seg_workers, 1), 0.0
            ),
            "waiting_households": fs["waiting"],
            "displaced": fs["displaced"],
            "base_residents_in_region": c_base.sum(axis=0),
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
    "segregation_by",
    "stock_weighted_price",
    "theil_h",
]
