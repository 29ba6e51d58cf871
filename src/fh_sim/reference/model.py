"""A per-agent reference of the yearly household rules, in Mesa's idiom.

:class:`ReferenceModel` starts from exactly the state a :class:`fh_sim.sim.model.HousingModel`
builds for the same config and seed, turns every household row into a
:class:`HouseholdAgent`, and runs the year with agent methods:

1. ``agents.do("age")`` (the ``ageing`` demography rule);
2. ``agents.shuffle_do("step")``: each household decides whether to move;
3. ``seekers.shuffle_do("choose")``: each seeker ranks its candidate dwellings;
4. lottery rounds: in each round every seeker bids on its best choice that has a vacant
   dwelling and that it ranks above what it holds; bids are served in random order
   (residents with queue priority first, after a first pass of rounds in which only
   residents bid on the priority zones) while dwellings last; the dwelling a
   winner held, or a mover's own on its first placement (vacancy chains), opens after
   the round;
5. ``seekers.do("move")``;
6. the zone-level rules (prices, construction, zone dynamics) run unchanged on the
   columns gathered from the agents; they are not per household.

The semantics are those of the vectorised rules, so both agree in distribution (not
draw for draw: the random numbers are drawn in another order). Supported: the
``ageing`` demography rule, no border migration, scenarios without network edits (the
region's own dated links do open), and the built-in relocation triggers and utility
terms (:mod:`fh_sim.reference.terms`).
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np

from fh_sim.config import SimConfig
from fh_sim.errors import ConfigError
from fh_sim.reference.agents import COLUMNS, HouseholdAgent, to_columns
from fh_sim.reference.terms import HAZARDS, TERMS
from fh_sim.region.region import Region
from fh_sim.scenarios.levers import levers_for_year
from fh_sim.sim import stages
from fh_sim.sim.model import HousingModel
from fh_sim.sim.state import N_TYPES, Households, StepContext


def _supported(pipeline: dict[str, list[tuple[Any, Any]]], cfg: SimConfig) -> None:
    """Raise if the config selects a rule this reference has no per-agent version of."""
    checks = {
        "demography": {"ageing"},
        "migration": set(),
        "relocation": set(HAZARDS),
        "utility": set(TERMS),
        "allocation": {"lottery_rounds"},
    }
    for family, known in checks.items():
        for rule, _ in pipeline[family]:
            if rule.name not in known:
                raise ConfigError(
                    f"the per-agent reference has no version of rule '{rule.name}'; "
                    f"supported: {sorted(known)}",
                    key=f"rules.{family}.{rule.name}",
                )
    if cfg.scenario.link_edits:
        raise ConfigError(
            "the per-agent reference runs without network edits", key="scenario.link_edits"
        )


class ReferenceModel(mesa.Model):
    """Every household a :class:`HouseholdAgent`; one calendar year per step.

    Args:
        cfg: the run's config (the same one the vectorised model takes).
        region: an already loaded region (None: load ``cfg.region.data_dir``).
        registry: the rule registry (None: the built-in one).

    Attributes:
        year: the calendar year whose end state the model holds.
        dwellings, zones, levers, minutes: the zone-level state (columns).
        moved: households that moved in the last year.
    """

    def __init__(
        self, cfg: SimConfig, *, region: Region | None = None, registry: Any = None
    ) -> None:
        core = HousingModel(cfg, region=region, registry=registry)
        _supported(core.pipeline, cfg)
        super().__init__(rng=core.rng)  # continue the stream that built the state
        self.core = core
        self.cfg = cfg
        self.year = core.year
        self.dwellings, self.zones, self.minutes = core.dwellings, core.zones, core.minutes
        self.levers = core.levers
        self.assumptions = cfg.assumptions
        self.choice = cfg.rules.choice
        self.relocation = [(r.name, p) for r, p in core.pipeline["relocation"]]
        self.utility = [(r.name, p) for r, p in core.pipeline["utility"]]
        ((_, self.lottery),) = core.pipeline["allocation"]
        self.ageing = bool(core.pipeline["demography"])
        hh = core.households
        for i in range(hh.n):
            HouseholdAgent(self, **{c: getattr(hh, c)[i].item() for c in COLUMNS})
        self.moved = 0

    # -- helpers ----------------------------------------------------------------------
    def households(self) -> Households:
        """The agents as columns, in creation order."""
        return to_columns(list(self.agents))

    def _income_shares(self) -> None:
        """Share of each income group per zone and in the region (social composition)."""
        counts = np.zeros((self.zones.n, 3))
        for a in self.agents:
            counts[a.zone, a.income_group] += 1
        totals = counts.sum(axis=1, keepdims=True)
        self.group_share = (counts / np.maximum(totals, 1)).tolist()
        self.regional_share = (counts.sum(axis=0) / max(counts.sum(), 1)).tolist()

    def _choice_sets(self) -> None:
        """Cells with stock and their draw probabilities (used by ``choose``).

        For the whole region, and for each home municipality: inside it and outside it.
        """
        flat = self.dwellings.stock.reshape(-1).astype(float)
        cells = np.flatnonzero(flat > 0)
        self.stock_flat = flat
        self.region_set = (cells, flat[cells] / flat[cells].sum(), flat[cells].sum())
        cell_mun = np.repeat(self.zones.municipality, N_TYPES)[cells]
        self.home_sets = {}
        for mun in np.unique(cell_mun).tolist():
            parts = []
            for part in (cells[cell_mun == mun], cells[cell_mun != mun]):
                parts.append((part, flat[part] / flat[part].sum(), flat[part].sum()))
            if all(len(p[0]) for p in parts):
                self.home_sets[mun] = tuple(parts)
        acc = np.maximum(self.zones.accessibility, 1e-9)
        self.mean_accessibility = float(acc.mean())

    def _context(self, **extra: Any) -> StepContext:
        core = self.core
        return StepContext(
            year=self.year,
            households=self.households(),
            dwellings=self.dwellings,
            zones=self.zones,
            commute_minutes=self.minutes,
            levers=self.levers,
            assumptions=self.assumptions,
            rng=self.rng,
            scale=self.cfg.scale,
            income_thresholds=core.income_thresholds,
            **extra,
        )

    # -- the year -----------------------------------------------------------------------
    def step(self) -> None:
        """Advance one calendar year (see the module docstring for the order)."""
        self.year += 1
        self.levers = levers_for_year(self.cfg.scenario, self.core.region, self.year)
        if self.year in self.core._change_years:  # a dated link opens: new travel times
            self.core._set_network(self.year)
            self.minutes = self.core.minutes
            self.zones.accessibility = self.core._accessibility
        if self.ageing:
            self.agents.do("age")
        self.agents.shuffle_do("step")
        seekers = self.agents.select(lambda a: a.wants_to_move)
        self._income_shares()
        self._choice_sets()
        seekers.shuffle_do("choose")
        self._allocate(seekers)
        seekers.do("move")
        self.moved = sum(a.new_home is not None for a in seekers)
        self._zone_rules()

    def _allocate(self, seekers: mesa.agent.AgentSet) -> None:
        """Lottery rounds over tentative holdings, as the vectorised ``lottery_rounds``.

        Each seeker bids on its best alternative with a vacant dwelling that it ranks
        above the one it holds; bids are served in random order, queue priority first;
        given-back and freed dwellings open after the round.
        """
        self.vacant = np.maximum(self.dwellings.stock - self.dwellings.occupied, 0)
        self.rejected = np.zeros((self.zones.n, N_TYPES), dtype=np.int64)
        for a in seekers:
            a.held = None
        queue = np.asarray(self.levers.queue_priority, dtype=bool)
        # the queue first: residents bid on the priority zones' vacancies alone
        for only in [queue, None] if queue.any() else [None]:
            for _ in range(self.lottery.n_rounds):
                self.freed: list[tuple[int, int]] = []
                self.open_cells = self.vacant > 0
                if only is not None:
                    self.open_cells &= only[:, None]
                for a in seekers:
                    a.bid = a.target() if only is None or a.zone >= 0 else None
                bidders = seekers.select(lambda a: a.bid is not None)
                if len(bidders) == 0:
                    break
                bidders.select(lambda a: a.has_priority()).shuffle_do("apply")
                bidders.select(lambda a: not a.has_priority()).shuffle_do("apply")
                for zone, dtype in self.freed:
                    self.vacant[zone, dtype] += 1
        for a in seekers:  # unmet demand: first choices not obtained
            if a.ranking and a.held != 0:
                self.rejected[a.ranking[0]] += 1

    def _zone_rules(self) -> None:
        """Prices, construction and zone dynamics: the registered zone-level rules."""
        core = self.core
        core.households = self.households()
        ctx = self._context(excess_demand=self.rejected)
        ((rule, p),) = core.pipeline["prices"]
        self.dwellings.price_index = rule.func(ctx, p)
        added = sum(r.func(ctx, p) for r, p in core.pipeline["construction"])
        core.levers = self.levers
        stages.add_dwellings(core, np.asarray(added, dtype=np.int64))
        agents = list(self.agents)
        for rule, p in core.pipeline["zone_dynamics"]:
            stages.apply_zone_update(core, rule.func(self._context(), p))
            for a, income, group in zip(
                agents,
                core.households.income_annual.tolist(),
                core.households.income_group.tolist(),
                strict=True,
            ):
                a.income_annual, a.income_group = income, group
