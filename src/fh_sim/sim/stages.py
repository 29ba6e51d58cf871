"""One year of the model as an ordered list of stages: :data:`STAGES`.

The order is declared here once; :meth:`fh_sim.sim.model.HousingModel.step` runs the
stages in it, the timings are keyed by it (``model.<stage>`` for the model's own work,
``<family>.<rule>`` for each rule call) and ``docs/odd.md`` lists it. Each stage reads
the model and the year's :class:`Year` record and changes state only through
:mod:`fh_sim.sim.transitions` or the model's own setters.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from fh_sim.outcomes.choices import choice_table
from fh_sim.outcomes.record import Flows
from fh_sim.population.synthesis import income_group
from fh_sim.rules.affordability import eligible, let_affordable, new_tenancies
from fh_sim.rules.choice import choice_pairs, pair_utility
from fh_sim.sim import invariants, transitions
from fh_sim.sim.state import N_TYPES, Households, Migration, StepContext, ZoneUpdate
from fh_sim.types import FloatArray, IntArray

if TYPE_CHECKING:
    from fh_sim.sim.model import HousingModel


@dataclass
class Year:
    """What one year's stages hand on to the next ones.

    Attributes:
        year: the calendar year being simulated.
        flows: moves and migration counted this year, per zone.
        start_persons, start_households: per zone at the start of the year (invariants).
        formed: households formed by demography (leaving home, separation).
        arriving: in-migrant households.
        movers: rows of resident households that look for a dwelling.
        rehoused: rows of households priced out of a dwelling in a zone with
            queue priority: they look for another dwelling in the region through the
            queue this year instead of leaving at once, and leave if they find none.
        rejected: proposals turned away per (zone, type) in the allocation.
    """

    year: int
    flows: Flows
    start_persons: FloatArray
    start_households: IntArray
    formed: list[Households] = field(default_factory=list)
    arriving: list[Households] = field(default_factory=list)
    movers: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    rehoused: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    rejected: IntArray | None = None


def _rule_outputs(m: HousingModel, family: str, context: Callable[[], StepContext]) -> Iterator:
    """What each rule of ``family`` returns, in config order, timed as ``<family>.<rule>``.

    ``context()`` is called for each rule after the caller has used the previous output, so
    a rule sees the state the rules before it left.
    """
    for rule, p in m.pipeline[family]:
        with m.timer(f"{family}.{rule.name}"):
            out = rule.func(context(), p)
        yield out


def levers_and_network(m: HousingModel, y: Year) -> None:
    """The scenario's levers of the year; the network where it changes; job balance."""
    m.levers = m._levers(y.year)
    if y.year in m._change_years:
        m._set_network(y.year)
        m.zones.accessibility = m._accessibility
    m.balance_jobs()
    m._now = m._regional_indicators(y.start_persons)


def demography(m: HousingModel, y: Year) -> None:
    """Ageing, deaths, births, leaving home, separation, partnering, labour market."""
    for events in _rule_outputs(m, "demography", lambda: m._context(y.year)):
        m.households = transitions.apply_events(
            m.households, m.dwellings, events, y.flows, y.formed
        )


def migration(m: HousingModel, y: Year) -> None:
    """Moves across the region's border, out and in.

    Where the housing policy gives current residents queue priority, a household
    eligible for an affordable tenancy that would leave because of its
    housing cost is rehoused through the queue instead (:attr:`Year.rehoused`).
    """
    for mig in _rule_outputs(m, "migration", lambda: m._context(y.year)):
        mig, rehouse = rehousing(m._context(y.year), mig)
        if mig.leave is not None:  # the rows once the leavers are removed
            earlier = y.rehoused[~mig.leave.take(y.rehoused)]
            kept = np.cumsum(~mig.leave) - 1
            y.rehoused = np.concatenate([kept.take(earlier), kept.take(rehouse)])
        m.households = transitions.apply_migration(
            m.households, m.dwellings, mig, y.flows, y.arriving
        )


def rehousing(ctx: StepContext, mig: Migration) -> tuple[Migration, IntArray]:
    """The leavers the queue rehouses, taken out of ``mig``.

    They are households displaced by housing cost from a zone with queue priority whose
    income makes them eligible for the policy's affordable tenancies
    (:func:`fh_sim.rules.affordability.eligible`): the municipal queue's priority for
    residents about to lose their home.

    Returns:
        (the migration without them, int[k] their rows).
    """
    hh, priority_zone = ctx.households, np.asarray(ctx.levers.queue_priority, dtype=bool)
    if mig.leave is None or mig.displaced is None or not priority_zone.any():
        return mig, np.zeros(0, dtype=np.int64)
    zone = np.maximum(hh.zone, 0)
    rehouse = mig.displaced & (hh.zone >= 0)
    rehouse &= priority_zone.take(zone) & eligible(hh.income_annual, zone, ctx)
    if not rehouse.any():
        return mig, np.zeros(0, dtype=np.int64)
    kept = dataclasses.replace(mig, leave=mig.leave & ~rehouse, displaced=mig.displaced & ~rehouse)
    return kept, np.flatnonzero(rehouse)


def relocation(m: HousingModel, y: Year) -> None:
    """Who looks for a dwelling: independent moving hazards, one draw per household."""
    ctx = m._context(y.year)
    stay = np.ones(m.households.n)
    for hazard in _rule_outputs(m, "relocation", lambda: ctx):
        stay *= 1.0 - np.clip(hazard, 0.0, 1.0)
    wants = m.rng.random(m.households.n) >= stay
    wants[y.rehoused] = True
    y.movers = np.flatnonzero(wants)


def choice_and_allocation(m: HousingModel, y: Year) -> None:
    """Every seeker's logit choice, then lottery rounds under capacity."""
    new = Households.empty()
    for part in y.formed:
        new = new.concat(part)
    came = Households.empty()
    for part in y.arriving:
        came = came.concat(part)
    seekers = m.households.take(y.movers).concat(new).concat(came)
    choice = m.cfg.rules.choice
    with m.timer("choice.choice_set"):
        pairs = choice_pairs(
            seekers,
            m.dwellings.stock,
            choice.n_sampled,
            m.rng,
            zone_municipality=m.zones.municipality,
            n_home=choice.n_home,
        )
    ctx = m._context(y.year, seekers=seekers)
    with m.timer("model.utility"):
        utility = pair_utility(
            ctx, pairs, m.pipeline["utility"], lambda name: m.timer.lap(f"utility.{name}")
        )
    ((rule, p),) = m.pipeline["allocation"]
    with m.timer(f"allocation.{rule.name}"):
        alloc = rule.func(ctx, pairs, utility, p)
    if m.cfg.record_choices:
        with m.timer("model.record_choices"):
            m._choice_tables.append(
                choice_table(
                    ctx,
                    pairs,
                    m.pipeline["utility"],
                    utility,
                    alloc,
                    n_movers=y.movers.shape[0],
                    n_new=new.n,
                    zone_ids=m.zone_ids,
                )
            )
    placed = alloc.choice >= 0
    at_alt = pairs.alternative_at(np.maximum(alloc.choice, 0))
    affordable = let_affordable(
        ctx,
        seekers,
        y.movers,
        np.where(placed, at_alt // N_TYPES, -1),
        np.where(placed, at_alt % N_TYPES, -1),
    )
    m.households = transitions.apply_allocation(
        m.households,
        m.dwellings,
        movers=y.movers,
        formed=new,
        arriving=came,
        seekers=seekers,
        pairs=pairs,
        alloc=alloc,
        flows=y.flows,
        zone_municipality=m.zones.municipality,
        affordable=affordable,
        must_move=np.isin(y.movers, y.rehoused),
    )
    y.rejected = alloc.rejected


def prices(m: HousingModel, y: Year) -> None:
    """Prices and rents respond to vacancy and turned-away demand."""
    ((rule, p),) = m.pipeline["prices"]
    with m.timer(f"prices.{rule.name}"):
        m.dwellings.price_index = rule.func(m._context(y.year, excess_demand=y.rejected), p)


def construction(m: HousingModel, y: Year) -> None:
    """Dwellings added by every construction rule, within the land left."""
    ctx = m._context(y.year, excess_demand=y.rejected)
    added: IntArray | int = 0
    for built in _rule_outputs(m, "construction", lambda: ctx):
        added = added + built
    add_dwellings(m, np.asarray(added, dtype=np.int64))


def add_dwellings(m: HousingModel, built: IntArray) -> None:
    """Add ``built`` (int[n_zones, 3]) to the stock, its affordable share and the land used."""
    d, z = m.dwellings, m.zones
    d.affordable = d.affordable + new_tenancies(built[:, 0], m.levers.affordable_share, m.rng)
    d.stock = d.stock + built
    d.built = d.built + built.sum(axis=1)
    z.land_capacity = np.maximum(z.land_capacity - built.sum(axis=1), 0.0)


def zone_dynamics(m: HousingModel, y: Year) -> None:
    """Crime, trust, reputation and income programmes per zone."""
    for update in _rule_outputs(m, "zone_dynamics", lambda: m._context(y.year)):
        apply_zone_update(m, update)


def apply_zone_update(m: HousingModel, upd: ZoneUpdate) -> None:
    """Write a zone-dynamics rule's update into the zones (and incomes)."""
    z = m.zones
    if upd.crime_index is not None:
        z.crime_index = np.maximum(upd.crime_index, 0.0)
    if upd.trust is not None:
        z.trust = upd.trust
    if upd.reputation is not None:
        z.reputation = upd.reputation
    if upd.income_factor is not None:
        hh = m.households
        rows = np.flatnonzero(upd.income_factor != 1.0)  # x 1.0 changes nothing
        hh.income_annual[rows] *= upd.income_factor[rows]
        # every group from the income (merges and splits change incomes too)
        hh.income_group = income_group(hh.income_annual, m.income_thresholds)


def check_invariants(m: HousingModel, y: Year) -> None:
    """Accounting identities of households and dwellings (``check_invariants``)."""
    m.year = y.year
    if not m.cfg.check_invariants:
        return
    invariants.check(
        year=y.year,
        zone_ids=m.zone_ids,
        start_persons=y.start_persons,
        start_households=y.start_households,
        households=m.households,
        dwellings=m.dwellings,
        flows=y.flows,
        price_bounds=(
            m.cfg.assumptions.housing.price_floor,
            m.cfg.assumptions.housing.price_ceiling,
        ),
    )


def record(m: HousingModel, y: Year) -> None:
    """The year's outcomes at every level."""
    m._record(y.flows)


@dataclass(frozen=True)
class Stage:
    """One stage of the year: its name (timings, docs) and what it does."""

    name: str
    run: Callable[[HousingModel, Year], None]


STAGES: tuple[Stage, ...] = (
    Stage("levers_network", levers_and_network),
    Stage("demography", demography),
    Stage("migration", migration),
    Stage("relocation", relocation),
    Stage("choice_allocation", choice_and_allocation),
    Stage("prices", prices),
    Stage("construction", construction),
    Stage("zone_dynamics", zone_dynamics),
    Stage("invariants", check_invariants),
    Stage("record", record),
)
"""The yearly stages in order."""
