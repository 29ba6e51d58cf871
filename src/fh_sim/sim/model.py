"""The yearly loop: :class:`HousingModel`, a mesa Model over columnar state.

One ``step()`` is one calendar year: the stages of :data:`fh_sim.sim.stages.STAGES`
(levers and network, demography, border migration, relocation, location choice and
allocation, prices, construction, zone dynamics, invariants, the outcome record).
All randomness comes from ``self.rng``, one generator seeded from
``SeedSequence(cfg.seed, spawn_key=(cfg.replicate,))``.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import mesa
import numpy as np
import pandas as pd

from fh_sim.calibrate.constants import alternative_constants
from fh_sim.calibrate.constants_cache import cached_constants
from fh_sim.config import SimConfig
from fh_sim.outcomes.choices import CHOICE_COLUMNS
from fh_sim.outcomes.record import Flows, Recorder, stock_weighted_price
from fh_sim.plugins import build_pipeline
from fh_sim.population.job_balance import (
    balancing_factors,
    expected_workers,
    gravity_weights,
    workers_by_zone,
)
from fh_sim.population.synthesis import synthesise
from fh_sim.region import accessibility, load_region, node_jobs, travel_costs
from fh_sim.region.region import Region
from fh_sim.rules.migration import housing_burden
from fh_sim.rules.registry import Registry
from fh_sim.rules.relocation import commute_minutes
from fh_sim.rules.zone_table import zone_info
from fh_sim.scenarios.levers import (
    YearLevers,
    idle_levers,
    levers_for_year,
    network_change_years,
    validate_scenario,
)
from fh_sim.sim.extensions import Extensions
from fh_sim.sim.memory import tune_allocator
from fh_sim.sim.stages import STAGES, Year
from fh_sim.sim.state import StepContext
from fh_sim.sim.timer import StageTimer

log = logging.getLogger(__name__)

REGION_NAME = "Familjen Helsingborg"


class HousingModel(mesa.Model):  # type: ignore[misc]  # mesa ships no type information
    """Every household of the region as a row of columns; one year per step.

    Args:
        cfg: the run's config (seed, scale, end year, region, assumptions, rules, scenario).
        region: an already loaded region (None: ``load_region(cfg.region.data_dir)``).
        registry: the rule registry (None: the built-in ``fh_sim.rules.REGISTRY``).

    Attributes:
        year: the calendar year whose end state the model holds.
        households, dwellings, zones: the state.
        rng: the run's only random generator.
        timings: seconds per stage, exclusive (``model.<stage>`` for the model's own
            work in each stage of :data:`fh_sim.sim.stages.STAGES`, ``<family>.<rule>``
            for every rule call), summed over the steps so far; they add up to the steps'
            time.
    """

    def __init__(
        self, cfg: SimConfig, *, region: Region | None = None, registry: Registry | None = None
    ) -> None:
        tune_allocator()  # many short-lived arrays: reuse freed memory (fh_sim.sim.memory)
        seed_seq = np.random.SeedSequence(cfg.seed, spawn_key=(cfg.replicate,))
        super().__init__(rng=np.random.default_rng(seed_seq))
        self.cfg = cfg
        self.region = region if region is not None else load_region(cfg.region.data_dir)
        base = cfg.region.base_year
        validate_scenario(cfg.scenario, self.region, base_year=base)
        for line in idle_levers(cfg.scenario, cfg.end_year):
            log.warning(line)
        if registry is None:
            from fh_sim.rules import REGISTRY

            registry = REGISTRY
        self.pipeline = build_pipeline(cfg, registry)  # plugins loaded, contract-checked
        self.timer = StageTimer()
        self.timings = self.timer.seconds
        self._choice_tables: list[pd.DataFrame] = []
        self.year = base
        self.zone_ids = list(self.region.zones.index)
        self._change_years = network_change_years(cfg.scenario, self.region, base)
        self._node_jobs = node_jobs(self.region)
        self._set_network(base)
        self.households, self.dwellings, self.zones, self.income_thresholds = synthesise(
            region=self.region,
            minutes=self.minutes,
            assumptions=cfg.assumptions,
            scale=cfg.scale,
            rng=self.rng,
        )
        self.zones.accessibility = self._accessibility
        self._workplace_target = expected_workers(
            self._workers(), self._gravity(), self.zones.job_balance
        )
        self.zones.info = zone_info(self.region, self.zones, registry)
        self.extensions = Extensions(registry, cfg.scenario.levers, self.zones.info)
        self._base = self._regional_indicators()
        self._now = self._base
        self.levers = self._levers(base)
        const = [p for r, p in self.pipeline["utility"] if r.name == "alternative_constant"]
        if const:
            ctx = self._context(base)
            options: dict[str, Any] = {
                "n_sampled": cfg.rules.choice.n_sampled,
                "n_home": cfg.rules.choice.n_home,
                "by_income": bool(getattr(const[0], "by_income", False)),
            }
            self.zones.alt_constant = cached_constants(
                ctx,
                self.pipeline,
                cfg.plugins,
                lambda: alternative_constants(ctx, self.pipeline, **options),
                **options,
            )
        self.recorder = Recorder(
            region_name=REGION_NAME,
            municipalities=list(self.region.municipalities.index),
            zone_ids=self.zone_ids,
        )
        self._record(Flows(self.zones.n))

    # -- network ----------------------------------------------------------------
    def _set_network(self, year: int) -> None:
        costs = travel_costs(self.region, year, self.cfg.scenario.link_edits, self.cfg.region)
        self.minutes = np.asarray(costs.minutes, dtype=float)
        self._accessibility = np.asarray(
            accessibility(costs, self._node_jobs, self.cfg.region.access_beta_per_min),
            dtype=float,
        )[: self.region.n_zones]
        log.debug("network of %d recomputed", year)

    def _gravity(self) -> np.ndarray:
        """float[n_zones, n_nodes] the workplace gravity weights on the current network."""
        beta = self.cfg.assumptions.population.workplace_beta_per_min
        return gravity_weights(self.zones.jobs, self.minutes, beta, self.zones.n)

    def _workers(self) -> np.ndarray:
        """float[n_zones] households with a workplace by home zone."""
        hh = self.households
        return workers_by_zone(hh.zone, hh.workplace, self.zones.n)

    def balance_jobs(self) -> None:
        """Set each node's job balancing factor so it keeps its base-year share of workers."""
        self.zones.job_balance = balancing_factors(
            self._workers(), self._gravity(), self._workplace_target
        )

    def _levers(self, year: int) -> YearLevers:
        """The scenario's levers in ``year``, with the plugin lever kinds."""
        levers = levers_for_year(self.cfg.scenario, self.region, year)
        if not self.extensions.kinds:
            return levers
        return dataclasses.replace(levers, custom=self.extensions.levers(year))

    def _regional_indicators(self, pop: np.ndarray | None = None) -> dict[str, float]:
        """Population-weighted accessibility and reputation, stock-weighted price.

        Args:
            pop: persons per zone of the current households (None: counted here).
        """
        hh = self.households
        if pop is None:
            pop = np.bincount(hh.zone, weights=hh.size, minlength=self.zones.n)
        w = pop / max(pop.sum(), 1.0)
        return {
            "accessibility": float(self.zones.accessibility @ w),
            "reputation": float(self.zones.reputation @ w),
            "price": stock_weighted_price(self.dwellings),
        }

    def _context(self, year: int, **extra: Any) -> StepContext:
        now = self._now
        b = self._base
        return StepContext(
            year=year,
            households=self.households,
            dwellings=self.dwellings,
            zones=self.zones,
            commute_minutes=self.minutes,
            levers=self.levers,
            assumptions=self.cfg.assumptions,
            rng=self.rng,
            scale=self.cfg.scale,
            income_thresholds=self.income_thresholds,
            region_attractiveness={
                "accessibility": now["accessibility"] / max(b["accessibility"], 1e-12),
                "reputation": now["reputation"] - b["reputation"],
                "price": now["price"] / max(b["price"], 1e-12),
            },
            **extra,
        )

    # -- the year ----------------------------------------------------------------
    def step(self) -> None:
        """Advance one calendar year: the stages of :data:`fh_sim.sim.stages.STAGES`."""
        hh = self.households
        nz = self.zones.n
        year = Year(
            year=self.year + 1,
            flows=Flows(nz),
            start_persons=np.asarray(
                np.bincount(hh.zone, weights=hh.size, minlength=nz), dtype=np.float64
            ),
            start_households=np.bincount(hh.zone, minlength=nz),
        )
        for stage in STAGES:
            with self.timer(f"model.{stage.name}"):
                stage.run(self, year)
        log.debug(
            "%d: %d households, %d persons",
            self.year,
            self.households.n,
            self.households.persons(),
        )

    def _record(self, flows: Flows) -> None:
        ctx = self._context(self.year)
        self.recorder.record(
            year=self.year,
            households=self.households,
            dwellings=self.dwellings,
            zones=self.zones,
            flows=flows,
            burden=housing_burden(ctx, self.households),
            commute_min=commute_minutes(ctx, self.households),
        )
        if self.extensions.metrics:
            hh = self.households
            persons = np.asarray(
                np.bincount(hh.zone, weights=hh.size, minlength=self.zones.n), dtype=np.float64
            )
            self.extensions.record(ctx, self.recorder, persons=persons)

    def run(self, progress: bool = False) -> pd.DataFrame:
        """Run to ``cfg.end_year`` and return the tidy outcome table.

        Args:
            progress: show a progress bar over the years.

        Returns:
            Columns ``year`` (int64), ``level``, ``unit``, ``metric`` (str), ``value``
            (float64); the base year's state is included.
        """
        years = range(self.year + 1, self.cfg.end_year + 1)
        if progress:
            from tqdm import tqdm

            for _ in tqdm(years, desc="fh-sim", unit="year"):
                self.step()
        else:
            for _ in years:
                self.step()
        return self.outcomes()

    def outcomes(self) -> pd.DataFrame:
        """The outcome table of the years simulated so far."""
        return self.recorder.frame()

    def choices(self) -> pd.DataFrame:
        """The choice observations of the years simulated so far (``record_choices``).

        Long format, one row per (year, seeker, alternative); columns in
        :mod:`fh_sim.outcomes.choices`. Empty when ``cfg.record_choices`` is false.
        """
        if not self._choice_tables:
            return pd.DataFrame(columns=list(CHOICE_COLUMNS))
        return pd.concat(self._choice_tables, ignore_index=True)
