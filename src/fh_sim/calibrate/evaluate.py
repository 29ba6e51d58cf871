"""One candidate of a calibration: in-process runs on common seeds, and its loss.

The region, the composed base config and the spec are loaded once per process
(:func:`evaluator`, cached per worker); a candidate only changes the free parameters of
that config, builds the typed config and runs :class:`fh_sim.sim.model.HousingModel` on the
spec's seeds. Every candidate sees the same seeds (common random numbers), so loss
differences between candidates are not seed noise.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from omegaconf import DictConfig, OmegaConf

from fh_sim.calibrate.spec import CalibrationSpec, Target

if TYPE_CHECKING:
    from fh_sim.config import SimConfig
    from fh_sim.region.region import Region

REGION_LEVEL = "region"


def compose(overrides: list[str]) -> DictConfig:
    """The composed job config (no ``hydra`` node) for ``overrides``."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from fh_sim.cli.run_cmd import VERSION_BASE, conf_dir, register_hydra_nodes

    register_hydra_nodes()
    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(conf_dir()), version_base=VERSION_BASE):
        return hydra_compose("config", overrides=overrides)


@dataclass
class Evaluator:
    """Runs candidates of one calibration in this process.

    Attributes:
        spec: the calibration.
        base: the composed config every candidate starts from.
        region: the loaded region (shared by all runs of the process).
    """

    spec: CalibrationSpec
    base: DictConfig
    region: Region

    def config(self, x: np.ndarray, seed: int) -> SimConfig:
        """The typed config of candidate ``x`` (one value per free parameter) and ``seed``."""
        from fh_sim.runs.runner import to_sim_config

        cfg = self.candidate(x)
        cfg.seed = int(seed)
        return to_sim_config(cfg)

    def candidate(self, x: np.ndarray) -> DictConfig:
        """The composed config with the free parameters set to ``x``."""
        cfg = self.base.copy()
        for p, v in zip(self.spec.parameters, x, strict=True):
            if p.index is None:
                OmegaConf.update(cfg, p.key, float(v), merge=False)
            else:
                values = list(OmegaConf.select(cfg, p.key))
                values[p.index] = float(v)
                OmegaConf.update(cfg, p.key, values, merge=False)
        return cfg

    def simulate(self, x: np.ndarray, seed: int) -> pd.DataFrame:
        """Population per year of municipalities and the region, and the Theil index.

        Population in persons (scale undone); the region's Theil index has level ``theil``.
        """
        from fh_sim.sim.model import HousingModel

        out = HousingModel(self.config(x, seed), region=self.region).run()
        pop = out[(out["metric"] == "population") & out["level"].isin(["municipality", "region"])]
        pop = pop.assign(value=pop["value"] / self.spec.scale)
        theil = out[(out["metric"] == "theil_income") & (out["level"] == "region")]
        return pd.concat([pop, theil.assign(level="theil")])[["level", "unit", "year", "value"]]

    def statistics(self, x: np.ndarray) -> np.ndarray:
        """float[n_seeds, n_targets] each target's simulated statistic per seed."""
        rows = []
        for seed in self.spec.seeds:
            pop = self.simulate(x, seed).set_index(["level", "unit", "year"])["value"]
            rows.append([simulated(pop, t) for t in self.spec.targets])
        return np.asarray(rows, dtype=float)

    def loss(self, x: np.ndarray) -> float:
        """Weighted mean squared error over the targets, in (percentage points/year)^2."""
        return loss_of(self.statistics(x).mean(axis=0), self.spec.targets)


def simulated(pop: pd.Series, t: Target) -> float:
    """The model's value of target ``t`` from a population series indexed (level, unit, year)."""
    a, b = t.years
    if t.statistic == "theil_drift":
        series = pop.xs("theil", level="level").droplevel("unit")
        return float((series.loc[b] / series.loc[a] - 1.0) / (b - a))
    level = REGION_LEVEL if t.level == "region" else "municipality"
    series = pop.xs(level, level="level")
    series = series.droplevel("unit") if level == REGION_LEVEL else series.xs(t.unit, level="unit")
    return float((series.loc[b] / series.loc[a]) ** (1.0 / (b - a)) - 1.0)


def loss_of(values: np.ndarray, targets: list[Target]) -> float:
    """Weighted mean of squared errors in percentage points per year."""
    w = np.array([t.weight for t in targets])
    obs = np.array([t.observed for t in targets])
    err = 100.0 * (np.asarray(values) - obs)
    value = float((w * err**2).sum() / w.sum())
    return value if math.isfinite(value) else 1e9


@functools.lru_cache(maxsize=4)
def evaluator(name: str, scale: float, overrides: tuple[str, ...]) -> Evaluator:
    """The process's evaluator of calibration ``name`` (built once per worker)."""
    from fh_sim.calibrate.spec import history_table, load_spec
    from fh_sim.cli.run_cmd import conf_dir
    from fh_sim.region import load_region
    from fh_sim.region.load import resolve_data_dir

    region = load_region()
    history = history_table(resolve_data_dir(None))
    spec = load_spec(
        conf_dir() / "calibration" / f"{name}.yaml", history, list(region.municipalities.index)
    )
    spec = CalibrationSpec(**{**spec.__dict__, "scale": scale})
    base = compose([*spec.overrides, *overrides, f"scale={scale}", f"end_year={spec.end_year}"])
    return Evaluator(spec, base, region)


@dataclass(frozen=True)
class Objective:
    """Picklable loss of a candidate: workers rebuild their evaluator once (cached)."""

    name: str
    scale: float
    overrides: tuple[str, ...] = ()

    def __call__(self, x: np.ndarray) -> float:
        """The loss of candidate ``x``."""
        return evaluator(self.name, self.scale, self.overrides).loss(np.asarray(x))
