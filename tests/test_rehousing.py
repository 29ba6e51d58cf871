"""The local-connection queue rehouses residents priced out of their dwelling.

Where a housing policy gives current residents queue priority, a household eligible for
the policy's affordable tenancies that would leave the region because of its housing
cost looks for another dwelling through the queue instead; if it finds none it leaves,
counted as displaced, as before.
"""

from __future__ import annotations

import numpy as np

from core_helpers import context, dwellings, households
from fh_sim.outcomes.record import Flows
from fh_sim.scenarios.levers import no_levers
from fh_sim.sim import transitions
from fh_sim.sim.stages import rehousing
from fh_sim.sim.state import Allocation, Migration
from test_core_choice import pairs_for

LOW_LIMIT = 300_000.0  # the context's low/mid income limit, SEK/year


def priced_out(priority: bool):
    """Five households: a low-income and a high-income one leaving because of their
    housing cost, one leaving for its age, and two that stay."""
    hh = households(
        size=[1] * 5,
        zone=[0, 0, 1, 1, 0],
        income_annual=[200_000.0, 900_000.0, 200_000.0, 200_000.0, 200_000.0],
    )
    lev = no_levers(2, 2030)
    lev.queue_priority[:] = [priority, priority]
    mig = Migration(
        leave=np.array([True, True, True, False, False]),
        displaced=np.array([True, True, False, False, False]),
    )
    return context(hh, levers=lev, income_thresholds=(LOW_LIMIT, 500_000.0)), mig


def test_only_eligible_priced_out_residents_are_rehoused():
    ctx, mig = priced_out(priority=True)
    kept, rows = rehousing(ctx, mig)
    np.testing.assert_array_equal(rows, [0])  # low income, displaced by cost
    np.testing.assert_array_equal(kept.leave, [False, True, True, False, False])
    np.testing.assert_array_equal(kept.displaced, [False, True, False, False, False])


def test_without_queue_priority_nobody_is_rehoused():
    ctx, mig = priced_out(priority=False)
    kept, rows = rehousing(ctx, mig)
    assert rows.shape[0] == 0 and kept is mig


def test_a_rehoused_household_that_finds_nothing_leaves_as_displaced():
    """Two priced-out movers (must move) and one ordinary mover, all in zone 0; one
    vacancy in zone 1 that the first priced-out mover gets. The other priced-out mover
    leaves the region (out-migrant, displaced); the ordinary mover stays and waits."""
    hh = households(size=[1, 2, 1], zone=[0, 0, 0], dwelling_type=[0, 0, 0])
    dw = dwellings([[3, 0, 0], [1, 0, 0]], [[3, 0, 0], [0, 0, 0]])
    movers = np.arange(3)
    seekers = hh.take(movers)
    pairs = pairs_for(seekers, [1, 1, 1], [0, 0, 0])
    flows = Flows(2)
    out = transitions.apply_allocation(
        hh,
        dw,
        movers=movers,
        formed=households(size=[1]).take(np.zeros(0, dtype=np.int64)),
        arriving=households(size=[1]).take(np.zeros(0, dtype=np.int64)),
        seekers=seekers,
        pairs=pairs,
        alloc=Allocation(choice=np.array([0, -1, -1]), rejected=np.zeros((2, 3), np.int64)),
        flows=flows,
        zone_municipality=np.array([0, 0]),
        must_move=np.array([True, True, False]),
    )
    assert out.n == 2
    np.testing.assert_array_equal(out.zone, [1, 0])
    np.testing.assert_array_equal(out.size, [1, 1])  # the 2-person household left
    assert flows.zone["displaced"].sum() == 1 and flows.zone["out_persons"].sum() == 2
    assert flows.zone["waiting"].sum() == 1
    np.testing.assert_array_equal(dw.occupied, [[1, 0, 0], [1, 0, 0]])
