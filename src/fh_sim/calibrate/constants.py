"""Calibration of the (zone, type) utility constants to the base-year state.

Without constants, a logit over zones with very different attributes sends the base
year's movers to a few places and empties others "for no reason". As in UrbanSim's
location-choice models, alternative-specific constants are set so that, in the base
year, expected choices balance expected departures. The constants are set on what the
choice really does: the utility terms of the run over each seeker's full feasible
choice set (the owned dwellings it cannot finance are not available to it), or, when
``rules.choice`` samples alternatives, over sets sampled exactly as the choice samples
them, with the sampling correction. Expected choices are the logit probabilities
summed over representative seekers (:class:`ChoiceSets`).

The steps are separate functions so that a further target (e.g. constants per segment
for a base year with observed shares) can be added as one more step on the same
:class:`ChoiceSets`.

Two steps:

1. **Shape per group.** For each life stage, residents' choices reproduce where movers
   of that stage leave from (occupants weighted by their moving hazard), so families do
   not drain from one place to another for no reason; in-migrants' choices reproduce
   where out-migrants leave from (occupants weighted by their age hazard of leaving the
   region): in-migrants are young and come to the places young people leave. A group
   may be unable to reach its shape (in-migrants cannot finance many of the houses
   out-migrants leave); such constants stop at :data:`MAX_CONSTANT`.
2. **Balance of all seekers.** A trial of the base year's demography and migration (on
   copies of the state) gives every kind of seeker with its yearly number (resident
   movers, new households from leaving home and separation, in-migrants) and every
   kind of departure (moves, out-migration, households dissolved by deaths and
   partnering). A constant common to all groups per (zone, type) then makes the
   expected choices of all seekers together match all departures (scaled to the
   seekers' total, so the region's net gain goes where the turnover is). Dwellings that
   in-migrants and young households cannot finance are thus taken by the resident
   movers who can, as in a vacancy chain, and the base year's market starts in balance
   per dwelling type instead of with owned dwellings standing empty and rental flats
   oversubscribed. The family group's constants also move the expected persons arriving
   in each cell towards the persons it loses (deaths, young adults leaving home, moves
   and out-migration, net of births), so that places do not gain or lose residents in
   the first years only because large households replace small ones there.

Only changes after the base year (prices, networks, safety, reputation, policies) then
shift where people live.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass

import numpy as np

from fh_sim.outcomes.record import Flows
from fh_sim.rules.choice import choice_pairs
from fh_sim.rules.migration import age_hazard
from fh_sim.sim import transitions
from fh_sim.sim.full_pairs import FullPairs
from fh_sim.sim.rowops import row_max, row_sum
from fh_sim.sim.state import LIFE_STAGES, N_TYPES, Households, StepContext
from fh_sim.types import FloatArray, IntArray

log = logging.getLogger(__name__)

N_STAGES = len(LIFE_STAGES)
N_INCOME = 3
"""Income groups (low, mid, high) of the constants split by income."""
MAX_CONSTANT = 20.0
"""Bound on a constant's absolute value (a group that cannot reach a cell's target)."""
PERSONS_DAMPING = 0.7
"""Step of the family constants' update towards the persons balance (stability)."""
MAX_TILT = 1.0
"""Largest shift of a family constant for the persons balance: families choose a cell at
most e times more or less often than their own shape says."""
PERSONS_FLOOR = 0.2
"""Families choosing a cell are never asked to fall below this share of their current
expected number in one update (cells where others already bring too many persons)."""


TRIAL_HOUSEHOLDS = 150_000
"""Households the base-year trial covers at least: small runs repeat it (expected
departures per cell, not one noisy draw)."""
MAX_TRIALS = 10
"""Most repeats of the trial."""


@dataclass(frozen=True)
class TrialYear:
    """The base year's seekers and departures, from trials on copies of the state.

    Attributes:
        households: residents after the first trial's demography and out-migration.
        formed: new households (leaving home, separation) of all trials, no dwelling.
        arrivals: in-migrant households of all trials, without a dwelling.
        vacated: float[n_zones * 3] dwellings freed per trial by dissolved households
            and out-migrants, per (zone, type).
        persons_lost: float[n_zones * 3] persons a cell loses per trial (deaths,
            out-migration, young adults leaving home, net of births).
        repeats: number of trials (``formed`` and ``arrivals`` hold that many years).
    """

    households: Households
    formed: Households
    arrivals: Households
    vacated: FloatArray
    persons_lost: FloatArray
    repeats: int


def _counts(index: IntArray, weights: FloatArray | IntArray, minlength: int) -> FloatArray:
    """float[>= minlength] sum of ``weights`` per value of ``index`` (``np.bincount``)."""
    return np.asarray(np.bincount(index, weights=weights, minlength=minlength), dtype=np.float64)


def trial_year(ctx: StepContext, pipeline: dict) -> TrialYear:
    """Run the demography and migration rules on copies of the base-year state.

    The trial is repeated until it covers :data:`TRIAL_HOUSEHOLDS` households (at most
    :data:`MAX_TRIALS` times); departures are averaged over the repeats.
    Semantics: the rules' draws from ``ctx.rng``; ``ctx``'s state is not changed.
    """
    base = ctx.households
    repeats = int(min(MAX_TRIALS, max(1, -(-TRIAL_HOUSEHOLDS // max(base.n, 1)))))
    cells = base.zone.astype(np.int64) * N_TYPES + base.dwelling_type
    n_cells = ctx.dwellings.stock.size
    persons_before = np.bincount(cells, weights=base.size, minlength=n_cells)
    first: Households | None = None
    vacated = np.zeros(n_cells)
    lost = np.zeros(n_cells)
    formed: list[Households] = []
    arriving: list[Households] = []
    for _ in range(repeats):
        hh = base.take(np.arange(base.n))
        d = copy.deepcopy(ctx.dwellings)
        flows = Flows(ctx.zones.n)
        for rule, p in pipeline["demography"]:
            ev = rule.func(ctx.with_(households=hh, dwellings=d), p)
            hh = transitions.apply_events(hh, d, ev, flows, formed)
        for rule, p in pipeline["migration"]:
            mig = rule.func(ctx.with_(households=hh, dwellings=d), p)
            hh = transitions.apply_migration(hh, d, mig, flows, arriving)
        vacated += np.maximum(ctx.dwellings.occupied - d.occupied, 0).reshape(-1)
        after = np.bincount(
            hh.zone.astype(np.int64) * N_TYPES + hh.dwelling_type,
            weights=hh.size,
            minlength=n_cells,
        )
        lost += np.maximum(persons_before - after, 0.0)
        first = hh if first is None else first
    new, came = Households.empty(), Households.empty()
    for part in formed:
        new = new.concat(part)
    for part in arriving:
        came = came.concat(part)
    assert first is not None  # repeats >= 1
    return TrialYear(first, new, came, vacated / repeats, lost / repeats, repeats)


def moving_weights(ctx: StepContext, pipeline: dict) -> FloatArray:
    """float[n_households] base-year moving probability from the relocation triggers."""
    stay = np.ones(ctx.households.n)
    for rule, p in pipeline["relocation"]:
        stay *= 1.0 - np.clip(rule.func(ctx, p), 0.0, 1.0)
    return 1.0 - stay


def out_migration_weights(ctx: StepContext, pipeline: dict) -> FloatArray:
    """float[n_households] base-year age hazard of leaving the region (ones without one).

    Uses the ``out_migration`` rule's parameters when that rule is selected.
    """
    for rule, p in pipeline["migration"]:
        if rule.name == "out_migration":
            return age_hazard(ctx.households, p)
    return np.ones(ctx.households.n)


def _cells(hh: Households) -> IntArray:
    return hh.zone.astype(np.int64) * N_TYPES + hh.dwelling_type


def constant_groups(by_income: bool) -> int:
    """Number of constant groups: 5 (life stages, in-migrants) or 15 (each by income group)."""
    return (N_STAGES + 1) * (N_INCOME if by_income else 1)


def _group_of(hh: Households, by_income: bool, incomer: bool = False) -> IntArray:
    """int[n] constant group of each household (see :func:`alternative_constants`)."""
    stage = np.full(hh.n, N_STAGES, dtype=np.int64) if incomer else hh.life_stage().astype(np.int64)
    if not by_income:
        return stage
    return stage * N_INCOME + hh.income_group.astype(np.int64)


def alternative_constants(
    ctx: StepContext,
    pipeline: dict,
    *,
    n_sampled: int,
    n_home: int,
    n_residents: int = 8000,
    n_arrivals: int = 2000,
    replicates: int = 4,
    iterations: int = 40,
    by_income: bool = False,
) -> FloatArray:
    """Constants c[group, zone, type] for residents by life stage and for in-migrants.

    Without ``by_income`` the groups are the four life stages (0-3) and in-migrants (4).
    With ``by_income`` each of these is split by income group (low, mid, high): group
    ``stage x 3 + income``, in-migrants ``12 + income``. Each group's shape is then where
    movers (out-migrants) *of its income group* leave from, so that the base year's
    income composition of every zone is what the choice reproduces: the income-dependent
    terms (housing cost over income, the credit rule, social composition) no longer sort
    an unsorted start (docs/calibration.md).

    Args:
        ctx: base-year context.
        pipeline: resolved rules (family -> [(rule, params)]).
        n_sampled: alternatives per seeker, as in the choice (``rules.choice``; 0: the
            full set).
        n_home: draws from the home municipality, as in the choice.
        n_residents: representative resident seekers (movers and new households).
        n_arrivals: representative in-migrants at most.
        replicates: sampled choice sets per representative seeker (1 on full sets).
        iterations: iterations of each of the two steps.
        by_income: one constant per (life stage or in-migrant, income group).

    Returns:
        float[n_groups, n_zones, 3] (:func:`constant_groups`); 0 where a cell has no stock.
    """
    n_groups = constant_groups(by_income)
    n_res = n_groups - (N_INCOME if by_income else 1)  # resident groups
    trial = trial_year(ctx, pipeline)
    stock = ctx.dwellings.stock.astype(float).reshape(-1)
    has = stock > 0
    # who seeks: resident movers (by hazard) and new households, then in-migrants
    moving = moving_weights(ctx.with_(households=trial.households), pipeline)
    pool = trial.households.concat(trial.formed)
    w_pool = np.concatenate([moving, np.full(trial.formed.n, 1.0 / trial.repeats)])
    group_pool = _group_of(pool, by_income)
    rows = ctx.rng.choice(pool.n, size=n_residents, replace=True, p=w_pool / w_pool.sum())
    residents = pool.take(rows)
    came = trial.arrivals.take(np.arange(min(n_arrivals, trial.arrivals.n)))
    group_arr = _group_of(trial.arrivals, by_income, incomer=True)
    n_group = _counts(group_pool, w_pool, n_groups)
    n_group = n_group + np.bincount(group_arr, minlength=n_groups) / trial.repeats
    # shapes: where movers of each group leave from; where out-migrants leave from
    cell = _cells(trial.households)
    group_hh = _group_of(trial.households, by_income)
    shapes = [_counts(cell, moving * (group_hh == g), stock.size) for g in range(n_res)]
    out_w = out_migration_weights(ctx, pipeline)
    group_out = _group_of(ctx.households, by_income, incomer=True)
    shapes += [
        _counts(_cells(ctx.households), out_w * (group_out == g), stock.size)
        for g in range(n_res, n_groups)
    ]
    group_res = _group_of(residents, by_income)
    group_came = _group_of(came, by_income, incomer=True)
    groups = [residents.take(group_res == g) for g in range(n_res)]
    groups += [came.take(group_came == g) for g in range(n_res, n_groups)]
    sets = [
        _choice_sets(ctx, pipeline, g, n_sampled, n_home, replicates) if g.n else None
        for g in groups
    ]
    c = _shape_constants(sets, shapes, has, iterations)
    # every seeker together against every departure, in dwellings and in persons
    persons_pool = np.bincount(group_pool, weights=w_pool * pool.size, minlength=n_groups)
    persons_arr = np.bincount(group_arr, weights=trial.arrivals.size, minlength=n_groups)
    need = Balance(
        households=np.bincount(cell, weights=moving, minlength=stock.size) + trial.vacated,
        persons=np.bincount(cell, weights=moving * trial.households.size, minlength=stock.size)
        + trial.persons_lost,
        n_households=n_group,
        n_persons=persons_pool + persons_arr / trial.repeats,
    )
    live = [g for g in range(n_groups) if sets[g] is not None and n_group[g] > 0]
    family = LIFE_STAGES.index("family")
    family_groups = [family * N_INCOME + i for i in range(N_INCOME)] if by_income else [family]
    if need.households[has].sum() > 0 and live:
        c = _balance(c, sets, live, need, has, iterations, family_groups)
    per_stage = N_INCOME if by_income else 1
    adults = LIFE_STAGES.index("adult") * per_stage + (1 if by_income else 0)
    for g in range(n_groups):
        if sets[g] is None:  # no representatives: the stage's other income groups, or adults
            same = [
                h
                for h in range(g - g % per_stage, g - g % per_stage + per_stage)
                if sets[h] is not None
            ]
            c[g] = c[same[0]] if same else c[adults]
    c[:, ~has] = 0.0
    return c.reshape(n_groups, -1, N_TYPES)


def _shape_constants(
    sets: list, shapes: list[FloatArray], has: np.ndarray, iterations: int
) -> FloatArray:
    """Step 1: per group, constants whose expected choices reproduce the group's shape.

    Returns:
        float[n_groups, n_cells].
    """
    n_cells = has.shape[0]
    c = np.zeros((len(shapes), n_cells))
    for g, shape in enumerate(shapes):
        if sets[g] is None or shape.sum() <= 0:
            continue
        target = np.where(has, np.maximum(shape, 1e-9 * shape.sum()), 0.0)
        target /= target.sum()
        for _ in range(iterations):
            pred = sets[g].shares(c[g], n_cells)
            ratio = np.maximum(target, 1e-300) / np.maximum(pred, 1e-300)
            c[g] += np.where(has, np.log(ratio), 0.0)
            np.clip(c[g], -MAX_CONSTANT, MAX_CONSTANT, out=c[g])
    return c


@dataclass(frozen=True)
class Balance:
    """Base-year departures per (zone, type) and the seekers that replace them.

    Attributes:
        households: float[n_cells] households leaving each cell (moves, out-migration,
            dissolution).
        persons: float[n_cells] persons the cell loses (moves, out-migration, deaths,
            young adults leaving home, net of births).
        n_households: float[n_groups] seekers per group and year.
        n_persons: float[n_groups] persons among them.
    """

    households: FloatArray
    persons: FloatArray
    n_households: FloatArray
    n_persons: FloatArray


def _balance(
    c: FloatArray,
    sets: list,
    live: list[int],
    need: Balance,
    has: np.ndarray,
    iterations: int,
    family_groups: list[int],
) -> FloatArray:
    """Shift the constants so that all seekers together replace all departures.

    A constant common to every group matches the expected households choosing each cell
    to the households leaving it (scaled to the seekers' total), so no dwelling type or
    place starts with a surplus or a shortage of demand; the family group's constant
    then moves the expected persons towards the persons each cell loses (families are
    the large households, so this changes who replaces a departure more than how many).
    Where the two cannot both hold, the household balance comes first.
    """
    total = np.where(has, np.maximum(need.households, 1e-9 * need.households.sum()), 0.0)
    total *= need.n_households[live].sum() / total.sum()
    persons = np.where(has, np.maximum(need.persons, 1e-9 * need.persons.sum()), 0.0)
    persons *= need.n_persons[live].sum() / persons.sum()
    n_cells = total.shape[0]
    families = [g for g in family_groups if g in live]
    tilt = np.zeros(n_cells)  # the family constants' shift for the persons balance
    for _ in range(iterations):
        pred = sum(need.n_households[g] * sets[g].shares(c[g], n_cells) for g in live)
        c += np.where(has, np.log(np.maximum(total, 1e-300) / np.maximum(pred, 1e-300)), 0.0)
        np.clip(c, -MAX_CONSTANT, MAX_CONSTANT, out=c)
        if not families:
            continue
        got = {g: need.n_persons[g] * sets[g].shares(c[g], n_cells, persons=True) for g in live}
        fam = sum(got[g] for g in families)
        want = np.maximum(fam + persons - sum(got.values()), PERSONS_FLOOR * fam)
        ratio = np.log(np.maximum(want, 1e-300) / np.maximum(fam, 1e-300))
        new = np.clip(tilt + np.where(has, PERSONS_DAMPING * ratio, 0.0), -MAX_TILT, MAX_TILT)
        for g in families:
            c[g] = np.clip(c[g] + new - tilt, -MAX_CONSTANT, MAX_CONSTANT)
        tilt = new
    pred = sum(need.n_households[g] * sets[g].shares(c[g], n_cells) for g in live)
    got = sum(need.n_persons[g] * sets[g].shares(c[g], n_cells, persons=True) for g in live)
    log.debug(
        "constants balanced: households off by %.3g, persons off by %.3g (share of seekers)",
        float(np.abs(pred - total).sum() / total.sum()),
        float(np.abs(got - persons).sum() / persons.sum()),
    )
    return c


def _choice_sets(
    ctx: StepContext,
    pipeline: dict,
    seekers: Households,
    n_sampled: int,
    n_home: int,
    replicates: int,
) -> ChoiceSets:
    """Utility without the constant, and the alternatives, of each seeker's set.

    On full sets every seeker has one set (all alternatives); when sampling, every
    seeker gets ``replicates`` sets drawn as the choice draws them.
    """
    rep = seekers
    for _ in range(replicates - 1 if n_sampled > 0 else 0):
        rep = rep.concat(seekers)
    pairs = choice_pairs(
        rep,
        ctx.dwellings.stock,
        n_sampled,
        ctx.rng,
        zone_municipality=ctx.zones.municipality,
        n_home=n_home,
    )
    sctx = ctx.with_(seekers=rep)
    # choice_pairs gives the full set (one row of alternatives for all) when n_sampled <= 0
    if isinstance(pairs, FullPairs):
        utility = pairs.flat(pairs.log_size[None, :])
        alt = pairs.columns
    else:
        utility = pairs.log_weight.copy()
        alt = pairs.alternative.reshape(rep.n, -1)
    for rule, p in pipeline["utility"]:
        if rule.name != "alternative_constant":
            utility += rule.func(sctx, pairs, p)
    return ChoiceSets(utility.reshape(rep.n, -1), alt, rep.size.astype(float))


class ChoiceSets:
    """One group's sampled choice sets and their logit probabilities under constants ``c``.

    ``exp(utility - row maximum)`` is formed once; under constants ``c`` a candidate's
    weight is that times ``exp(c[cell])`` (an exponential per cell, not per candidate),
    normalised per set. The constants stay within :data:`MAX_CONSTANT`, so the weights
    neither overflow nor vanish. The probabilities of the constants last asked for are
    kept: the balance asks for shares in households and in persons under the same
    constants.

    On full sets (``alt`` one row shared by all sets) the shares are two
    matrix-vector products per call: ``D = W e`` and ``shares = e x W'(1 / D) / n``.
    A candidate with utility -inf (not available) has weight 0.

    Args:
        base: float[n_sets, k] utility without the constant.
        alt: int[n_sets, k] alternative (cell) of each candidate, or int[k] when every
            set has the same alternatives (the full set).
        size: float[n_sets] the seeker's persons.
    """

    def __init__(self, base: FloatArray, alt: IntArray, size: FloatArray) -> None:
        self.base, self.alt, self.size = base, alt, size
        top = row_max(base)
        top = np.where(np.isfinite(top), top, 0.0)
        self._weight = np.exp(base - top[:, None])
        self._c: FloatArray | None = None
        self._prob: FloatArray | None = None

    def probabilities(self, c: FloatArray) -> FloatArray:
        """float[n_sets, k] logit probability of each candidate under constants ``c``."""
        if self.alt.ndim == 1:
            e = self._weight * np.exp(c).take(self.alt)[None, :]
            return e / np.maximum(row_sum(e), 1e-300)[:, None]
        if self._prob is None or self._c is None or not np.array_equal(c, self._c):
            e = np.exp(c).take(self.alt)
            e *= self._weight
            e /= np.maximum(row_sum(e), 1e-300)[:, None]  # a set with nothing open: 0
            self._c, self._prob = np.array(c, copy=True), e
        return self._prob

    def shares(self, c: FloatArray, n_cells: int, persons: bool = False) -> FloatArray:
        """float[n_cells] expected share of the seekers choosing each cell (logit per set).

        With ``persons``, each set is weighted by its seeker's size over the mean size
        (the share of the group's persons).
        """
        if self.alt.ndim == 1:  # full sets: no per-candidate table
            e = np.exp(c).take(self.alt)
            denom = self._weight @ e
            w = (self.size / self.size.mean()) if persons else np.ones(self.size.shape[0])
            col = (w / np.maximum(denom, 1e-300)) @ self._weight * e
            return np.bincount(self.alt, weights=col, minlength=n_cells) / self.size.shape[0]
        e = self.probabilities(c)
        if persons:
            e = e * (self.size / self.size.mean())[:, None]
        weights = e.reshape(-1)
        return np.bincount(self.alt.reshape(-1), weights=weights, minlength=n_cells) / e.shape[0]
