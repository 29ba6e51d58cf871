"""The yearly loop: :class:`HousingModel`, a mesa Model over columnar state.

One ``step()`` is one calendar year: demography, border migration, relocation,
location choice, allocation, prices, construction, zone dynamics, then the invariants
and the outcome record. All randomness comes from ``self.rng``, one generator seeded
from ``SeedSequence(cfg.seed, spawn_key=(cfg.replicate,))``.
"""

from __future__ import annotations

import dataclasses
import logging
from time import perf_counter

import mesa
import numpy as np
import pandas as pd

from fh_sim.calibrate.constants import alternative_constants
from fh_sim.config import SimConfig
from fh_sim.outcomes.choices import CHOICE_COLUMNS, choice_table
from fh_sim.outcomes.record import Flows, Recorder, stock_weighted_price
from fh_sim.plugins import build_pipeline
from fh_sim.population.synthesis import income_group, synthesise
from fh_sim.region import accessibility, load_region, node_jobs, travel_costs
from fh_sim.region.region import Region
from fh_sim.rules.affordability import let_affordable, new_tenancies
from fh_sim.rules.choice import choice_pairs, pair_utility
from fh_sim.rules.migration import housing_burden
from fh_sim.rules.relocation import commute_minutes
from fh_sim.rules.zone_table import zone_info
from fh_sim.scenarios.levers import (
    idle_levers,
    levers_for_year,
    network_change_years,
    validate_scenario,
)
from fh_sim.sim import invariants, transitions
from fh_sim.sim.extensions import Extensions
from fh_sim.sim.memory import tune_allocator
from fh_sim.sim.state import N_TYPES, StepContext

log = logging.getLogger(__name__)

REGION_NAME = "Familjen Helsingborg"


class HousingModel(mesa.Model):
    """Every household of the region as a row of columns; one year per step.

    Args:
        cfg: the run's config (seed, scale, end year, region, assumptions, rules, scenario).
        region: an already loaded region (None: ``load_region(cfg.region.data_dir)``).
        registry: the rule registry (None: the built-in ``fh_sim.rules.REGISTRY``).

    Attributes:
        year: the calendar year whose end state the model holds.
        households, dwellings, zones: the state.
        rng: the run's only random generator.
        timings: seconds spent per stage (``family.rule`` for every rule call, plus
            the model's own stages), summed over the steps run so far. Always on: a
            few ``perf_counter`` calls per step.
    """

    def __init__(self, cfg: SimConfig, *, region: Region | None = None, registry=None) -> None:
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
        self.timings: dict[str, float] = {}
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
        self.zones.info = zone_info(self.region, self.zones, registry)
        self.extensions = Extensions(registry, cfg.scenario.levers, self.zones.info)
        self._base = self._regional_indicators()
        self._now = self._base
        self.levers = self._levers(base)
        const = [p for r, p in self.pipeline["utility"] if r.name == "alternative_constant"]
        if const:
            self.zones.alt_constant = alternative_constants(
                self._context(base),
                self.pipeline,
                n_sampled=cfg.rules.choice.n_sampled,
                n_home=cfg.rules.choice.n_home,
                by_income=bool(getattr(const[0], "by_income", False)),
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

    def _levers(self, year: int):
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

    def _context(self, year: int, **extra) -> StepContext:
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
    def _clock(self, key: str, started: float) -> float:
        """Add the time since ``started`` to ``timings[key]``; return the current time."""
        now = perf_counter()
        self.timings[key] = self.timings.get(key, 0.0) + (now - started)
        return now

    def step(self) -> None:
        """Advance one calendar year (see the module docstring for the order)."""
        t = perf_counter()
        year = self.year + 1
        nz = self.zones.n
        flows = Flows(nz)
        hh = self.households
        start_p = np.bincount(hh.zone, weights=hh.size, minlength=nz)
        start_h = np.bincount(hh.zone, minlength=nz)
        self.levers = self._levers(year)
        if year in self._change_years:
            self._set_network(year)
            self.zones.accessibility = self._accessibility
        self._now = self._regional_indicators(start_p)
        t = self._clock("model.levers_network", t)
        formed, arriving = [], []
        for rule, p in self.pipeline["demography"]:
            ev = rule.func(self._context(year), p)
            t = self._clock(f"demography.{rule.name}", t)
            self.households = transitions.apply_events(
                self.households, self.dwellings, ev, flows, formed
            )
            t = self._clock("model.apply_events", t)
        for rule, p in self.pipeline["migration"]:
            mig = rule.func(self._context(year), p)
            t = self._clock(f"migration.{rule.name}", t)
            self.households = transitions.apply_migration(
                self.households, self.dwellings, mig, flows, arriving
            )
            t = self._clock("model.apply_migration", t)
        ctx = self._context(year)
        stay = np.ones(self.households.n)
        for rule, p in self.pipeline["relocation"]:
            stay *= 1.0 - np.clip(rule.func(ctx, p), 0.0, 1.0)
            t = self._clock(f"relocation.{rule.name}", t)
        movers = np.flatnonzero(self.rng.random(self.households.n) >= stay)
        t = self._clock("model.movers", t)
        alloc_rejected = self._choose_and_allocate(year, movers, formed, arriving, flows)
        t = perf_counter()
        ctx = self._context(year, excess_demand=alloc_rejected)
        ((rule, p),) = self.pipeline["prices"]
        self.dwellings.price_index = rule.func(ctx, p)
        t = self._clock(f"prices.{rule.name}", t)
        added = 0
        for rule, p in self.pipeline["construction"]:
            added = added + rule.func(ctx, p)
            t = self._clock(f"construction.{rule.name}", t)
        self._build(np.asarray(added, dtype=np.int64))
        t = self._clock("model.build", t)
        for rule, p in self.pipeline["zone_dynamics"]:
            upd = rule.func(self._context(year), p)
            t = self._clock(f"zone_dynamics.{rule.name}", t)
            self._apply_zone_update(upd)
            t = self._clock("model.apply_zone_update", t)
        self.year = year
        if self.cfg.check_invariants:
            invariants.check(
                year=year,
                zone_ids=self.zone_ids,
                start_persons=start_p,
                start_households=start_h,
                households=self.households,
                dwellings=self.dwellings,
                flows=flows,
                price_bounds=(
                    self.cfg.assumptions.housing.price_floor,
                    self.cfg.assumptions.housing.price_ceiling,
                ),
            )
            t = self._clock("model.invariants", t)
        self._record(flows)
        self._clock("model.record", t)
        log.debug(
            "%d: %d households, %d persons", year, self.households.n, self.households.persons()
        )

    def _choose_and_allocate(self, year, movers, formed, arriving, flows) -> np.ndarray:
        from fh_sim.sim.state import Households

        t = perf_counter()
        new = Households.empty()
        for part in formed:
            new = new.concat(part)
        came = Households.empty()
        for part in arriving:
            came = came.concat(part)
        seekers = self.households.take(movers).concat(new).concat(came)
        t = self._clock("model.seekers", t)
        choice = self.cfg.rules.choice
        pairs = choice_pairs(
            seekers,
            self.dwellings.stock,
            choice.n_sampled,
            self.rng,
            zone_municipality=self.zones.municipality,
            n_home=choice.n_home,
        )
        t = self._clock("choice.sample_pairs", t)
        ctx = self._context(year, seekers=seekers)
        clock = [t]

        def tick(name: str) -> None:
            clock[0] = self._clock(f"utility.{name}", clock[0])

        utility = pair_utility(ctx, pairs, self.pipeline["utility"], tick)
        t = clock[0]
        ((rule, p),) = self.pipeline["allocation"]
        alloc = rule.func(ctx, pairs, utility, p)
        t = self._clock(f"allocation.{rule.name}", t)
        if self.cfg.record_choices:
            self._choice_tables.append(choice_table(
                ctx, pairs, self.pipeline["utility"], utility, alloc,
                n_movers=movers.shape[0], n_new=new.n, zone_ids=self.zone_ids,
            ))
            t = self._clock("model.record_choices", t)
        placed = alloc.choice >= 0
        at_alt = pairs.alternative_at(np.maximum(alloc.choice, 0))
        affordable = let_affordable(
            ctx,
            seekers,
            movers,
            np.where(placed, at_alt // N_TYPES, -1),
            np.where(placed, at_alt % N_TYPES, -1),
        )
        t = self._clock("model.let_affordable", t)
        self.households = transitions.apply_allocation(
            self.households,
            self.dwellings,
            movers=movers,
            formed=new,
            arriving=came,
            seekers=seekers,
            pairs=pairs,
            alloc=alloc,
            flows=flows,
            zone_municipality=self.zones.municipality,
            affordable=affordable,
        )
        self._clock("model.apply_allocation", t)
        return alloc.rejected

    def _build(self, added: np.ndarray) -> None:
        d, z = self.dwellings, self.zones
        d.affordable = d.affordable + new_tenancies(
            added[:, 0], self.levers.affordable_share, self.rng
        )
        d.stock = d.stock + added
        d.built = d.built + added.sum(axis=1)
        z.land_capacity = np.maximum(z.land_capacity - added.sum(axis=1), 0.0)

    def _apply_zone_update(self, upd) -> None:
        z = self.zones
        if upd.crime_index is not None:
            z.crime_index = np.maximum(upd.crime_index, 0.0)
        if upd.trust is not None:
            z.trust = upd.trust
        if upd.reputation is not None:
            z.reputation = upd.reputation
        if upd.income_factor is not None:
            hh = self.households
            rows = np.flatnonzero(upd.income_factor != 1.0)  # x 1.0 changes nothing
            hh.income_annual[rows] *= upd.income_factor[rows]
            # every group from the income (merges and splits change incomes too)
            hh.income_group = income_group(hh.income_annual, self.income_thresholds)

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
            persons = np.bincount(hh.zone, weights=hh.size, minlength=self.zones.n)
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
