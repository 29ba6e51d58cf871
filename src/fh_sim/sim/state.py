"""The model's state as columns: households, dwellings and zones (struct of arrays).

A household's id is its row; households leave by compaction and arrive by
concatenation. Dwellings are aggregated per (zone, dwelling type). Rules read a
:class:`StepContext` and return change objects (:class:`Events`, :class:`Migration`,
:class:`ZoneUpdate`); only the model applies changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from fh_sim.types import BoolArray, FloatArray, IntArray

if TYPE_CHECKING:
    from fh_sim.config.assumptions import AssumptionsConfig
    from fh_sim.rules.zone_table import ZoneInfo
    from fh_sim.scenarios.levers import YearLevers

DWELLING_TYPES: tuple[str, ...] = ("rental", "tenant_owned", "house")
"""Dwelling type codes 0, 1, 2: rental flat, tenant-owned flat, house."""
INCOME_GROUPS: tuple[str, ...] = ("low", "mid", "high")
LIFE_STAGES: tuple[str, ...] = ("young", "adult", "family", "senior")
"""young: head < 30; adult: 30-64 with 1-2 persons; family: 30-64 with 3+; senior: 65+."""
N_TYPES = len(DWELLING_TYPES)
N_SEGMENTS = len(LIFE_STAGES) * len(INCOME_GROUPS)
SEGMENT_NAMES: tuple[str, ...] = tuple(f"{ls}_{ig}" for ls in LIFE_STAGES for ig in INCOME_GROUPS)

_DTYPES: dict[str, Any] = {
    "zone": np.int32,
    "dwelling_type": np.int8,
    "size": np.int16,
    "age_head": np.int16,
    "income_annual": np.float64,
    "income_group": np.int8,
    "workplace": np.int32,
    "years_at_address": np.int16,
    "is_base_resident": np.bool_,
    "home_municipality": np.int32,
    "affordable_tenant": np.bool_,
}
_DEFAULTS: dict[str, Any] = {"affordable_tenant": False}
"""Columns that :meth:`Households.from_columns` fills with a default when not given."""


def life_stage(age_head: IntArray, size: IntArray) -> IntArray:
    """Life stage code (see :data:`LIFE_STAGES`) from the head's age and the size.

    Integer ages read a table over the ages present (a pair of codes per age: 1-2 and
    3+ persons), one gather per household.
    """
    age_head, size = np.asarray(age_head), np.asarray(size)
    if age_head.dtype.kind not in "iu" or age_head.size == 0:
        stage = (size >= 3).astype(np.int8) + 1
        stage[age_head < 30] = 0
        stage[age_head >= 65] = 3
        return stage
    lo, hi = int(age_head.min()), int(age_head.max())
    ages = np.arange(lo, hi + 1)
    table = np.empty((ages.shape[0], 2), dtype=np.int8)
    table[:, 0] = np.where(ages < 30, 0, np.where(ages >= 65, 3, 1))
    table[:, 1] = np.where(ages < 30, 0, np.where(ages >= 65, 3, 2))
    at = age_head.astype(np.intp) - lo
    at *= 2
    at += size >= 3
    return table.reshape(-1).take(at)


def by_age_band(values: Any, edges: Any, age: IntArray) -> FloatArray:
    """``values[np.searchsorted(edges, age, side="right")]``, through a table over ages.

    Integer ages are looked up in a table built over the range of ages present (a few
    dozen entries) instead of a binary search per household.

    Args:
        values: float[len(edges) + 1] value per age band.
        edges: upper edges of the age bands, years (ascending).
        age: ages, years.

    Returns:
        float[len(age)].
    """
    by_band = np.asarray(values, dtype=np.float64)
    upper = np.asarray(edges, dtype=np.float64)
    age = np.asarray(age)
    if age.dtype.kind not in "iu" or age.size == 0:
        return by_band[np.searchsorted(upper, age, side="right")]
    lo, hi = int(age.min()), int(age.max())
    table = by_band[np.searchsorted(upper, np.arange(lo, hi + 1), side="right")]
    return table[age.astype(np.intp) - lo]


@dataclass
class Households:
    """One row per household.

    Attributes:
        zone: zone index of the dwelling (-1: no dwelling in the region yet).
        dwelling_type: 0 rental, 1 tenant-owned, 2 house (-1: no dwelling yet).
        size: persons.
        age_head: age of the household head, years.
        income_annual: disposable household income, SEK/year (2019 prices).
        income_group: 0 low, 1 mid, 2 high (fixed real thresholds, see population).
        workplace: network node index of the head's workplace (-1: none).
        years_at_address: full years in the current dwelling.
        is_base_resident: lived in the region at the end of the base year (or was born
            into / formed from such a household).
        home_municipality: municipality index the household is attached to (-1: none).
        affordable_tenant: holds one of its zone's affordable rental tenancies (pays
            the affordable rent; see :mod:`fh_sim.rules.affordability`).
    """

    zone: IntArray
    dwelling_type: IntArray
    size: IntArray
    age_head: IntArray
    income_annual: FloatArray
    income_group: IntArray
    workplace: IntArray
    years_at_address: IntArray
    is_base_resident: BoolArray
    home_municipality: IntArray
    affordable_tenant: BoolArray

    @classmethod
    def from_columns(cls, **cols: Any) -> Households:
        """Build from array-likes, casting every column to its dtype.

        Columns in ``_DEFAULTS`` may be left out (filled with their default).
        """
        n = np.shape(cols["zone"])[0]
        for k, v in _DEFAULTS.items():
            if k not in cols:
                cols[k] = np.full(n, v)
        return cls(**{k: np.asarray(cols[k], dtype=_DTYPES[k]) for k in _DTYPES})

    @classmethod
    def empty(cls) -> Households:
        """A table with no rows."""
        return cls(**{k: np.zeros(0, dtype=t) for k, t in _DTYPES.items()})

    @property
    def n(self) -> int:
        """Number of households."""
        return int(self.zone.shape[0])

    def persons(self) -> int:
        """Total persons."""
        return int(self.size.sum())

    def take(self, index: IntArray | BoolArray) -> Households:
        """Rows selected by an index array or mask (a new table)."""
        return Households(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    def concat(self, other: Households) -> Households:
        """This table followed by ``other``."""
        return Households(
            **{
                f.name: np.concatenate([getattr(self, f.name), getattr(other, f.name)])
                for f in fields(self)
            }
        )

    def life_stage(self) -> IntArray:
        """Life stage code per household (see :data:`LIFE_STAGES`)."""
        return life_stage(self.age_head, self.size)

    def segment(self) -> IntArray:
        """Segment code = life stage x 3 + income group (see :data:`SEGMENT_NAMES`)."""
        return (self.life_stage() * 3 + self.income_group).astype(np.int8)


@dataclass(init=False)
class Dwellings:
    """Dwellings per (zone, type).

    Attributes:
        stock: int[n_zones, 3] dwellings.
        occupied: int[n_zones, 3] occupied dwellings (= households living there).
        price_index: float[n_zones, 3] price/rent level, 1 = base-year regional mean.
        built: int[n_zones] dwellings built since the base year.
        affordable: int[n_zones] affordable rental tenancies per zone (part of the
            zone's rental stock, let only to eligible low-income households; see
            :mod:`fh_sim.rules.affordability`). None at construction means none.
    """

    stock: IntArray
    occupied: IntArray
    price_index: FloatArray
    built: IntArray
    affordable: IntArray

    def __init__(
        self,
        stock: IntArray,
        occupied: IntArray,
        price_index: FloatArray,
        built: IntArray,
        affordable: IntArray | None = None,
    ) -> None:
        self.stock = stock
        self.occupied = occupied
        self.price_index = price_index
        self.built = built
        self.affordable = (
            np.zeros(stock.shape[0], dtype=np.int64) if affordable is None else affordable
        )

    @property
    def vacant(self) -> IntArray:
        """int[n_zones, 3] vacant dwellings."""
        return self.stock - self.occupied


@dataclass
class Zones:
    """Zone attributes that change over time, and fixed ones the rules read.

    Attributes:
        municipality: int[n_zones] municipality index (row of ``region.municipalities``).
        has_station: bool[n_zones] rail station in the zone.
        amenities: float[n_zones, 3] coast, nature, services (0-1).
        crime_base: float[n_zones] crime index in the base year (1 = regional mean).
        crime_index: float[n_zones] current crime index.
        trust: float[n_zones] institutional trust (0-1).
        reputation: float[n_zones] reputation ("brand", 0-1).
        jobs: float[n_nodes] jobs per network node (zones, then external nodes).
        accessibility: float[n_zones] Hansen accessibility to jobs (jobs).
        land_capacity: float[n_zones] dwellings that can still be built (scaled).
        planned_per_year: float[n_zones] planned dwellings per year (scaled).
        low_share_base: float[n_zones] base-year share of low-income households.
        alt_constant: float[5, n_zones, 3] calibrated utility constant of each
            (zone, type) for residents by life stage (0-3) and in-migrants (4)
            (:mod:`fh_sim.calibrate.constants`).
        job_balance: float[n_nodes] balancing factor of each node's jobs in the
            workplace gravity rule (1 in the base year; :mod:`fh_sim.population.job_balance`).
        info: zone ids, names, municipality names, coordinates, coast flag and every
            fixed attribute by name with its unit
            (:class:`fh_sim.rules.zone_table.ZoneInfo`; None outside a model).

    ``zones["name"]`` reads any attribute by name (state or fixed), float[n_zones]; see
    :mod:`fh_sim.rules.zone_table` for the names and units.
    """

    municipality: IntArray
    has_station: BoolArray
    amenities: FloatArray
    crime_base: FloatArray
    crime_index: FloatArray
    trust: FloatArray
    reputation: FloatArray
    jobs: FloatArray
    accessibility: FloatArray
    land_capacity: FloatArray
    planned_per_year: FloatArray
    low_share_base: FloatArray
    alt_constant: FloatArray
    job_balance: FloatArray
    info: ZoneInfo | None = None

    @property
    def n(self) -> int:
        """Number of zones."""
        return int(self.municipality.shape[0])

    def __getitem__(self, name: str) -> FloatArray:
        """float[n_zones] the attribute ``name`` (KeyError lists the nearest names)."""
        from fh_sim.rules.zone_table import read_zone

        return read_zone(self, name)


@dataclass(frozen=True)
class Events:
    """Demographic changes proposed by one demography rule (applied by the model).

    Attributes:
        age_add: years added to every head's age and years at address.
        births: int[n] persons born into each household (None: none).
        deaths: int[n] persons who died in each household (None: none).
        formed: new households (no dwelling yet; zone = origin zone) or None.
        formed_parent: int[len(formed)] row of the household each new one split from;
            the parent loses ``formed.size`` persons.
        parent_income_loss: float[len(formed)] SEK/year removed from the parent's income.
        merge_from: int[k] rows of households that join another (they are dissolved).
        merge_into: int[k] rows of the households they join (gain size and income).
        workplace: int[n] new workplace node of every household (-1: none), or None
            (unchanged).
    """

    age_add: int = 0
    births: IntArray | None = None
    deaths: IntArray | None = None
    formed: Households | None = None
    formed_parent: IntArray | None = None
    parent_income_loss: FloatArray | None = None
    merge_from: IntArray | None = None
    merge_into: IntArray | None = None
    workplace: IntArray | None = None


@dataclass(frozen=True)
class Migration:
    """Border migration proposed by one migration rule.

    Attributes:
        leave: bool[n] households leaving the region (None: none).
        displaced: bool[n] of the leavers, those leaving because of housing cost.
        arrivals: in-migrating households looking for a dwelling (zone -1), or None.
    """

    leave: BoolArray | None = None
    displaced: BoolArray | None = None
    arrivals: Households | None = None


@dataclass(frozen=True)
class ZoneUpdate:
    """New zone values proposed by one zone-dynamics rule (None = unchanged).

    Attributes:
        crime_index: float[n_zones].
        trust: float[n_zones].
        reputation: float[n_zones].
        income_factor: float[n_households] multiplier on household incomes.
    """

    crime_index: FloatArray | None = None
    trust: FloatArray | None = None
    reputation: FloatArray | None = None
    income_factor: FloatArray | None = None


@dataclass(frozen=True)
class Pairs:
    """Candidate (seeker, alternative) pairs of the location choice, long format.

    Attributes:
        seeker: int[n_pairs] row in ``ctx.seekers``.
        zone: int[n_pairs] zone of the alternative.
        dwelling_type: int[n_pairs] dwelling type of the alternative.
        log_weight: float[n_pairs] size/sampling term added to utility with
            coefficient 1: ``ln(stock)`` of the (zone, type) on the full choice set;
            ``ln(S / k)`` when sampled (S dwellings in the draw's stratum, k draws from
            it: the size term and the sampling correction ``-ln(stock / S)`` together).
        life_stage: int[n_pairs] the seeker's life stage (see :data:`LIFE_STAGES`).
        income_group: int[n_pairs] the seeker's income group.
        alternative: int[n_pairs] ``zone x N_TYPES + dwelling_type``, the flat index of
            the (zone, type) cell (rows of ``Dwellings.stock.reshape(-1)``).
        segment: int[n_pairs] ``life_stage x 3 + income_group``.
        cell: int[n_pairs] ``segment x n_alternatives + alternative`` (n_alternatives
            = n_zones x N_TYPES), the index of a [segment, alternative] table, computed
            once per choice set for the terms that use one; None: not computed (see
            :meth:`segment_alternative`).
    """

    seeker: IntArray
    zone: IntArray
    dwelling_type: IntArray
    log_weight: FloatArray
    life_stage: IntArray
    income_group: IntArray
    alternative: IntArray
    segment: IntArray
    cell: IntArray | None = None

    @property
    def n(self) -> int:
        """Number of pairs."""
        return int(self.seeker.shape[0])

    def segment_alternative(self, n_alternatives: int) -> IntArray:
        """int[n_pairs] index of each pair in a [segment, alternative] table, flattened.

        Args:
            n_alternatives: alternatives of the table (n_zones x N_TYPES).
        """
        if self.cell is not None:
            return self.cell
        return self.segment.astype(np.int64) * n_alternatives + self.alternative

    # Helpers that let a utility term be written once for sampled and full sets: on a
    # full set (:class:`fh_sim.sim.full_pairs.FullPairs`) they return broadcastable
    # [seeker, column] arrays
    # instead of gathering per pair; :meth:`flat` turns the result into float[n_pairs].
    def of_seeker(self, values: np.ndarray) -> np.ndarray:
        """Per-seeker ``values`` (length n_seekers) for each pair."""
        return np.asarray(values).take(self.seeker)

    def of_alternative(self, values: np.ndarray) -> np.ndarray:
        """Per-alternative ``values`` (length n_zones x N_TYPES) for each pair."""
        return np.asarray(values).take(self.alternative)

    def of_segment(self, values: np.ndarray) -> np.ndarray:
        """Per-segment ``values`` (length N_SEGMENTS) for each pair."""
        return np.asarray(values).take(self.segment)

    def lookup(self, table: FloatArray, row: IntArray | None = None) -> np.ndarray:
        """``table[row[seeker], alternative]`` for each pair.

        Args:
            table: float[n_rows, n_alternatives].
            row: int[n_seekers] row of each seeker (None: the seeker's segment).
        """
        cells = np.asarray(table, dtype=np.float64)
        at = self.segment if row is None else np.asarray(row, dtype=np.int64).take(self.seeker)
        return cells.reshape(-1).take(at.astype(np.int64) * int(cells.shape[1]) + self.alternative)

    def flat(self, values: Any) -> FloatArray:
        """float[n_pairs] from a result of the helpers above (or a scalar)."""
        return (
            np.broadcast_to(np.asarray(values, dtype=float), (self.n,)).copy()
            if np.ndim(values) == 0
            else np.asarray(values, dtype=float)
        )

    def alternative_at(self, index: IntArray) -> IntArray:
        """Int alternative of the pairs at ``index``."""
        return self.alternative.take(index)


@dataclass(frozen=True)
class Allocation:
    """Result of an allocation rule.

    Attributes:
        choice: int[n_seekers] index of the accepted pair, -1 if unplaced.
        rejected: int[n_zones, 3] proposals turned away for lack of a dwelling.
        first: int[n_seekers] index of the pair each seeker ranked first among those
            open to it (its logit choice before capacity), -1 when none is open;
            None: not reported by the rule.
    """

    choice: IntArray
    rejected: IntArray
    first: IntArray | None = None


@dataclass(frozen=True)
class StepContext:
    """What a rule may read: the state at the start of its stage, read-only.

    Attributes:
        year: calendar year being simulated.
        households: the resident households.
        dwellings: the dwelling table.
        zones: the zone table.
        commute_minutes: float[n_nodes, n_nodes] generalised travel cost, minutes.
        levers: the scenario's levers for this year (:class:`fh_sim.scenarios.levers.YearLevers`).
        assumptions: the run's :class:`fh_sim.config.AssumptionsConfig`.
        rng: the run's single random generator.
        seekers: households looking for a dwelling (choice and allocation stages).
        excess_demand: int[n_zones, 3] proposals rejected for lack of a dwelling
            this year (prices and construction stages).
        scale: fraction of real households simulated.
        income_thresholds: (low/mid, mid/high) income limits, SEK/year (2019 prices).
        region_attractiveness: dict of regional indicators (accessibility, reputation,
            price) relative to the base year, for the in-migrant pool.
    """

    year: int
    households: Households
    dwellings: Dwellings
    zones: Zones
    commute_minutes: FloatArray
    levers: YearLevers
    assumptions: AssumptionsConfig
    rng: np.random.Generator
    seekers: Households | None = None
    excess_demand: IntArray | None = None
    scale: float = 1.0
    income_thresholds: tuple[float, float] = (0.0, 0.0)
    region_attractiveness: dict[str, float] = field(default_factory=dict)

    def with_(self, **changes: Any) -> StepContext:
        """A copy with some fields replaced."""
        return replace(self, **changes)

    def require_seekers(self) -> Households:
        """:attr:`seekers`, which the choice and allocation stages always set.

        Raises:
            ValueError: called in another stage (``seekers`` is None).
        """
        if self.seekers is None:
            raise ValueError("ctx.seekers is only set in the choice and allocation stages")
        return self.seekers
