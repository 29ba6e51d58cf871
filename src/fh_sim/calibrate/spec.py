"""Targets and free parameters of a calibration, declared in ``conf/calibration/NAME.yaml``.

A target names an observed statistic (computed from ``population_history.csv``, never
from the post-2019 validation table), the model metric compared with it, the simulated
years and a weight. A free parameter names a config key (a Hydra override path) and its
bounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from fh_sim.errors import ConfigError, DataError

STATISTICS = ("annual_growth", "theil_drift")
"""Statistics a target can name: ``annual_growth`` of the population between two
observed counts; ``theil_drift``, the region's Theil index of income segregation, mean
relative change per year, whose target value is stated in the file (``value``; 0 = the
base year's composition is kept, an assumption until observed segregation is embedded)."""


@dataclass(frozen=True)
class FreeParameter:
    """A config key the fit may change, within ``[low, high]``."""

    key: str
    low: float
    high: float
    index: int | None = None

    @property
    def label(self) -> str:
        """``key`` or ``key[index]`` for an element of a list."""
        return self.key if self.index is None else f"{self.key}[{self.index}]"


@dataclass(frozen=True)
class Target:
    """An observed statistic and the model metric compared with it.

    Attributes:
        name: label in tables and plots.
        statistic: ``annual_growth``: mean annual growth of ``metric`` (share per year).
        level: ``municipality`` or ``region``.
        unit: the municipality (or region name) the statistic is for.
        observed_from, observed_to: the dates (YYYY-MM-DD) of the two observed counts.
        years: (first, last) simulated years the model's growth is taken over.
        weight: weight of the squared error in the loss.
        observed: the observed value (share per year).
        source: the source keys of the observed counts.
    """

    name: str
    statistic: str
    level: str
    unit: str
    observed_from: str
    observed_to: str
    years: tuple[int, int]
    weight: float
    observed: float
    source: str


@dataclass(frozen=True)
class CalibrationSpec:
    """A calibration: targets, free parameters and the evaluation settings."""

    name: str
    description: str
    targets: list[Target]
    parameters: list[FreeParameter]
    seeds: list[int]
    scale: float
    end_year: int
    overrides: list[str]


def history_table(data_dir: Path) -> pd.DataFrame:
    """``population_history.csv`` (counts up to 2019 only) with a check that no year is later."""
    path = data_dir / "population_history.csv"
    if not path.is_file():
        raise DataError("observed history not found", file=str(path))
    table = pd.read_csv(path)
    late = table[table["year"] > 2019]
    if len(late):
        raise DataError(
            "the fitting table holds figures after 2019 (validation data only)",
            file=str(path),
            row=int(late.index[0]) + 2,
            column="year",
        )
    return table


def _count(
    history: pd.DataFrame, level: str, unit: str, date: str, where: str
) -> tuple[float, str]:
    rows = history[history["date"] == date]
    if level == "municipality":
        rows = rows[rows["municipality"] == unit]
        if len(rows) != 1:
            raise ConfigError(f"no single observed count for {unit} at {date}", key=where)
        return float(rows["population"].iloc[0]), str(rows["source"].iloc[0])
    if rows["municipality"].nunique() != 11:
        raise ConfigError(f"the region needs all 11 municipalities at {date}", key=where)
    return float(rows["population"].sum()), ";".join(sorted(set(rows["source"])))


def _years_between(a: str, b: str) -> float:
    return (pd.Timestamp(b) - pd.Timestamp(a)).days / 365.25


def load_spec(path: Path, history: pd.DataFrame, municipalities: list[str]) -> CalibrationSpec:
    """Read and check a calibration file; compute each target's observed value.

    Raises:
        ConfigError: a missing or malformed key, naming the file and key.
    """
    where = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise ConfigError(f"cannot read the calibration: {err}", key=where) from err
    if not isinstance(raw, dict):
        raise ConfigError("must be a mapping", key=where)
    for key in ("targets", "parameters"):
        if not raw.get(key):
            raise ConfigError(f"'{key}' is missing or empty", key=f"{where}: {key}")
    params = []
    for i, p in enumerate(raw["parameters"]):
        k = f"{where}: parameters[{i}]"
        try:
            idx = p.get("index")
            fp = FreeParameter(
                str(p["key"]), float(p["low"]), float(p["high"]), None if idx is None else int(idx)
            )
        except (KeyError, TypeError, ValueError) as err:
            raise ConfigError(f"needs key, low and high ({err})", key=k) from err
        if not fp.low < fp.high:
            raise ConfigError(f"needs low < high, got {fp.low}, {fp.high}", key=k)
        params.append(fp)
    targets = []
    for i, t in enumerate(raw["targets"]):
        k = f"{where}: targets[{i}]"
        stat = t.get("statistic")
        if stat not in STATISTICS:
            raise ConfigError(f"statistic must be one of {STATISTICS}, got {stat!r}", key=k)
        level = t.get("level", "municipality")
        if stat == "theil_drift":
            years = tuple(int(y) for y in t["years"])
            targets.append(
                Target(
                    name="theil_drift region",
                    statistic=stat,
                    level="region",
                    unit=str(t.get("unit", "Theil drift (region)")),
                    observed_from="",
                    observed_to="",
                    years=(years[0], years[1]),
                    weight=float(t.get("weight", 1.0)),
                    observed=float(t.get("value", 0.0)),
                    source=str(t.get("source", "assumption")),
                )
            )
            continue
        units = municipalities if t.get("unit") == "each" else [t.get("unit")]
        for unit in units:
            if level == "municipality" and unit not in municipalities:
                raise ConfigError(f"unknown municipality {unit!r}", key=k)
            a, b = str(t["observed_from"]), str(t["observed_to"])
            n0, s0 = _count(history, level, unit, a, k)
            n1, s1 = _count(history, level, unit, b, k)
            growth = (n1 / n0) ** (1.0 / _years_between(a, b)) - 1.0
            years = tuple(int(y) for y in t["years"])
            targets.append(
                Target(
                    name=f"{stat} {unit}",
                    statistic=stat,
                    level=level,
                    unit=str(unit),
                    observed_from=a,
                    observed_to=b,
                    years=(years[0], years[1]),
                    weight=float(t.get("weight", 1.0)),
                    observed=growth,
                    source=";".join(sorted({*s0.split(";"), *s1.split(";")})),
                )
            )
    return CalibrationSpec(
        name=str(raw.get("name", path.stem)),
        description=str(raw.get("description", "")),
        targets=targets,
        parameters=params,
        seeds=[int(s) for s in raw.get("seeds", [0])],
        scale=float(raw.get("scale", 0.1)),
        end_year=max(t.years[1] for t in targets),
        overrides=[str(o) for o in raw.get("overrides", [])],
    )
