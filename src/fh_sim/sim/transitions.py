"""How the model commits what the rules propose: the only writes to the state.

Each function updates the household table, the dwelling occupancy and the year's
:class:`fh_sim.outcomes.record.Flows` together, so the accounting identities hold by
construction and :mod:`fh_sim.sim.invariants` can check them independently.
"""

from __future__ import annotations

import numpy as np

from fh_sim.outcomes.record import Flows
from fh_sim.sim.state import (
    N_TYPES,
    Allocation,
    Dwellings,
    Events,
    Households,
    Migration,
    Pairs,
    life_stage,
)
from fh_sim.types import BoolArray, IntArray


def _alt(zone: IntArray, dtype: IntArray) -> IntArray:
    return zone.astype(np.int64) * N_TYPES + dtype


def vacate(dwellings: Dwellings, zone: IntArray, dtype: IntArray) -> None:
    """Decrease occupancy for households leaving (zone, type) cells."""
    n_alt = dwellings.occupied.size
    dwellings.occupied -= np.bincount(_alt(zone, dtype), minlength=n_alt).reshape(-1, N_TYPES)


def occupy(dwellings: Dwellings, zone: IntArray, dtype: IntArray) -> None:
    """Increase occupancy for households moving into (zone, type) cells."""
    n_alt = dwellings.occupied.size
    dwellings.occupied += np.bincount(_alt(zone, dtype), minlength=n_alt).reshape(-1, N_TYPES)


def remove(hh: Households, dwellings: Dwellings, mask: BoolArray) -> Households:
    """Drop the households in ``mask`` and free their dwellings (compaction)."""
    if not mask.any():
        return hh
    vacate(dwellings, hh.zone[mask], hh.dwelling_type[mask])
    return hh.take(~mask)


def apply_events(
    hh: Households, dwellings: Dwellings, ev: Events, flows: Flows, pending: list[Households]
) -> Households:
    """Commit one demography rule's events; new households go to ``pending``.

    Returns:
        The household table after the events (households emptied by deaths or merged
        into another are dissolved).
    """
    if ev.age_add:
        hh.age_head += ev.age_add
        hh.years_at_address += ev.age_add
    if ev.workplace is not None:
        hh.workplace = np.asarray(ev.workplace, dtype=hh.workplace.dtype)
    if ev.births is not None:
        born = np.flatnonzero(ev.births)  # counted where they happen (integer weights)
        flows.add("births", hh.zone[born], weights=ev.births[born])
        hh.size[born] += ev.births[born].astype(hh.size.dtype)
    if ev.deaths is not None:
        died = np.flatnonzero(ev.deaths)
        deaths = np.minimum(ev.deaths[died], hh.size[died])
        flows.add("deaths", hh.zone[died], weights=deaths)
        hh.size[died] -= deaths.astype(hh.size.dtype)
    if ev.formed is not None and ev.formed.n:
        parent = ev.formed_parent
        if parent is None:  # the rule contract refuses Events.formed without it
            raise ValueError("Events.formed needs Events.formed_parent")
        lost = np.bincount(parent, weights=ev.formed.size, minlength=hh.n)
        hh.size -= lost.astype(hh.size.dtype)
        if ev.parent_income_loss is not None:
            loss = np.bincount(parent, weights=ev.parent_income_loss, minlength=hh.n)
            hh.income_annual = np.maximum(hh.income_annual - loss, 0.1 * hh.income_annual)
        flows.add("formed", ev.formed.zone, ev.formed.segment())
        pending.append(ev.formed)
    dissolve = hh.size <= 0
    if ev.merge_from is not None and ev.merge_from.size:
        f, t = ev.merge_from, ev.merge_into
        w = hh.size[f].astype(float)
        flows.add("moved_out_persons", hh.zone[f], weights=w)
        flows.add("moved_in_persons", hh.zone[t], weights=w)
        hh.size[t] += hh.size[f]
        hh.income_annual[t] += hh.income_annual[f]
        hh.size[f] = 0
        dissolve = dissolve.copy()
        dissolve[f] = True
    if dissolve.any():
        flows.add("dissolved", hh.zone[dissolve])
        hh = remove(hh, dwellings, dissolve)
    return hh


def apply_migration(
    hh: Households, dwellings: Dwellings, mig: Migration, flows: Flows, arrivals: list[Households]
) -> Households:
    """Commit out-migration (removal) and queue the in-migrants in ``arrivals``."""
    if mig.leave is not None and mig.leave.any():
        rows = np.flatnonzero(mig.leave)
        seg = life_stage(hh.age_head[rows], hh.size[rows]) * 3 + hh.income_group[rows]
        zone = hh.zone[rows]
        flows.add("out_persons", zone, seg, hh.size[rows].astype(float))
        flows.add("out_households", zone, seg)
        if mig.displaced is not None:
            d = mig.displaced[rows]
            flows.add("displaced", zone[d], seg[d])
        hh = remove(hh, dwellings, mig.leave)
    if mig.arrivals is not None and mig.arrivals.n:
        arrivals.append(mig.arrivals)
    return hh


def apply_allocation(
    hh: Households,
    dwellings: Dwellings,
    *,
    movers: IntArray,
    formed: Households,
    arriving: Households,
    seekers: Households,
    pairs: Pairs,
    alloc: Allocation,
    flows: Flows,
    zone_municipality: IntArray,
    affordable: BoolArray | None = None,
    must_move: BoolArray | None = None,
) -> Households:
    """Move placed seekers; add placed new and in-migrant households.

    Seekers are ``movers`` (rows of ``hh``), then ``formed``, then ``arriving``.
    Unplaced movers stay and wait, except those that ``must_move`` (bool[n_movers];
    priced out and rehoused through the queue), who leave the region (out-migrants,
    displaced) as unplaced new households do; unplaced in-migrants are turned away. A
    placed household becomes attached to the municipality it now lives in, and holds an
    affordable tenancy where ``affordable`` (bool[n_seekers]; None: nobody) says so.
    """
    n_m, n_f = movers.shape[0], formed.n
    choice = alloc.choice
    placed = choice >= 0
    dest_alt = pairs.alternative_at(np.maximum(choice, 0))
    dest_z = np.where(placed, dest_alt // N_TYPES, -1)
    dest_t = np.where(placed, dest_alt % N_TYPES, -1)
    seg = seekers.segment()
    size = seekers.size.astype(float)
    part_m = np.arange(seekers.n) < n_m
    part_f = (np.arange(seekers.n) >= n_m) & (np.arange(seekers.n) < n_m + n_f)
    part_a = np.arange(seekers.n) >= n_m + n_f
    # residents who move, and new households placed: internal moves
    internal = placed & (part_m | part_f)
    flows.add("moved_out_households", seekers.zone[internal])
    flows.add("moved_out_persons", seekers.zone[internal], weights=size[internal])
    flows.add("moved_in_households", dest_z[internal])
    flows.add("moved_in_persons", dest_z[internal], weights=size[internal])
    flows.add("internal_moves", dest_z[internal], seg[internal])
    forced = np.zeros(seekers.n, dtype=bool)
    if must_move is not None:
        forced[:n_m] = must_move
    waiting = ~placed & (part_m | part_f) & ~forced
    flows.add("waiting", seekers.zone[waiting], seg[waiting])
    gone = ~placed & (part_f | forced)
    flows.add("out_households", seekers.zone[gone], seg[gone])
    flows.add("out_persons", seekers.zone[gone], seg[gone], size[gone])
    flows.add("displaced", seekers.zone[gone], seg[gone])
    came = placed & part_a
    flows.add("in_households", dest_z[came], seg[came])
    flows.add("in_persons", dest_z[came], seg[came], size[came])
    flows.turned_away += int((~placed & part_a).sum())
    # commit resident moves
    pm = placed[:n_m]
    rows = movers[pm]
    vacate(dwellings, hh.zone[rows], hh.dwelling_type[rows])
    hh.zone[rows] = dest_z[:n_m][pm]
    hh.dwelling_type[rows] = dest_t[:n_m][pm]
    hh.years_at_address[rows] = 0
    hh.home_municipality[rows] = zone_municipality[hh.zone[rows]]
    hh.affordable_tenant[rows] = False if affordable is None else affordable[:n_m][pm]
    occupy(dwellings, hh.zone[rows], hh.dwelling_type[rows])
    if forced.any():  # priced out and not rehoused: leave the region
        hh = remove(hh, dwellings, np.isin(np.arange(hh.n), movers[forced[:n_m] & ~pm]))
    # add new and in-migrant households
    newcomers = placed & ~part_m
    if newcomers.any():
        add = seekers.take(newcomers)
        add.zone = dest_z[newcomers].astype(np.int32)
        add.dwelling_type = dest_t[newcomers].astype(np.int8)
        add.years_at_address[:] = 0
        add.home_municipality = zone_municipality[add.zone].astype(np.int32)
        add.affordable_tenant = (
            np.zeros(add.n, dtype=bool) if affordable is None else affordable[newcomers]
        )
        occupy(dwellings, add.zone, add.dwelling_type)
        hh = hh.concat(add)
    return hh
