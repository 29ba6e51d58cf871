"""Documented assumptions of the world: the base population, housing costs, zone traits.

These are the values users do not control (the EMA "uncertainties"). Behavioural rates and
coefficients live with their rules (:mod:`fh_sim.config.rules`). Every value, its unit and
its source or the word "assumption" is listed in ``docs/assumptions.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fh_sim.errors import ConfigError


def _check_shares(values: list[float], key: str, n: int | None = None) -> None:
    if n is not None and len(values) != n:
        raise ConfigError(f"needs {n} values, got {len(values)}", key=key)
    if any(v < 0 for v in values) or abs(sum(values) - 1.0) > 1e-6:
        raise ConfigError(f"shares must be >= 0 and sum to 1, got {values}", key=key)


@dataclass
class PopulationAssumptions:
    """How the end-2019 household population is synthesised.

    Attributes:
        size_shares: shares of households with 1, 2, 3, 4, 5 and 6 persons (shaped on
            SCB's 2019 household statistics, about 39 % single; mean 2.17, between
            Sweden's 2.2 and the synthesis's rounding; 5+ split as assumption).
        age_band_edges: edges of the head-age bands, years.
        head_age_by_size: for sizes 1, 2 and 3+, shares of heads in each age band
            (assumption shaped on SCB household statistics).
        income_median_sek: median disposable household income, SEK/year (assumption
            near SCB's 2019 figure for Skåne).
        income_sigma: standard deviation of log income (assumption).
        income_price_elasticity: log-income shift per log price index of the zone.
        income_size_elasticity: log-income shift per log household size (assumption).
        low_income_quantile: base-year income quantile below which a household is low.
        high_income_quantile: base-year income quantile above which a household is high.
        employment_rate: share of heads aged under 65 with a workplace (assumption near
            the region's 2019 employment rate).
        workplace_beta_per_min: gravity decay of workplace choice, 1/minute.
        initial_vacancy: vacant share of each zone's stock at the end of 2019.
        income_tenure_shift: log-income shift of households in rental flats, tenant-owned
            flats and houses, applied after the dwelling types are assigned, so the
            base year's incomes by tenure are those the credit rule and the flows keep
            (docs/calibration.md; calibrated, see conf/calibrated/).
    """

    size_shares: list[float] = field(default_factory=lambda: [0.38, 0.31, 0.13, 0.13, 0.04, 0.01])
    age_band_edges: list[float] = field(default_factory=lambda: [20, 30, 45, 65, 80, 96])
    head_age_by_size: list[list[float]] = field(
        default_factory=lambda: [
            [0.24, 0.17, 0.24, 0.22, 0.13],
            [0.10, 0.15, 0.33, 0.33, 0.09],
            [0.04, 0.52, 0.42, 0.02, 0.00],
        ]
    )
    income_median_sek: float = 390_000.0
    income_sigma: float = 0.45
    income_price_elasticity: float = 0.5
    income_size_elasticity: float = 0.5
    low_income_quantile: float = 0.3
    high_income_quantile: float = 0.7
    employment_rate: float = 0.78
    workplace_beta_per_min: float = 0.06
    initial_vacancy: float = 0.02
    income_tenure_shift: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])

    def __post_init__(self) -> None:
        _check_shares(self.size_shares, "assumptions.population.size_shares", 6)
        n_bands = len(self.age_band_edges) - 1
        for i, row in enumerate(self.head_age_by_size):
            _check_shares(row, f"assumptions.population.head_age_by_size[{i}]", n_bands)
        if len(self.head_age_by_size) != 3:
            raise ConfigError("needs 3 rows (sizes 1, 2, 3+)", key="assumptions.population")
        if not 0 < self.low_income_quantile < self.high_income_quantile < 1:
            raise ConfigError("need 0 < low < high < 1", key="assumptions.population")
        if len(self.income_tenure_shift) != 3 or any(
            abs(v) > 2.0 for v in self.income_tenure_shift
        ):
            raise ConfigError(
                "needs 3 values in [-2, 2]", key="assumptions.population.income_tenure_shift"
            )
        if not 0 <= self.initial_vacancy < 0.5:
            raise ConfigError("must be in [0, 0.5)", key="assumptions.population.initial_vacancy")
        if not 0 <= self.employment_rate <= 1:
            raise ConfigError("must be in [0, 1]", key="assumptions.population.employment_rate")


@dataclass
class HousingAssumptions:
    """Costs and sizes of the three dwelling types.

    Attributes:
        annual_cost_sek: yearly housing cost of a rental flat, a tenant-owned flat and a
            house at price index 1, SEK/year (assumption from typical 2019 rents,
            association fees plus interest, and house running costs).
        persons_capacity: persons a dwelling of each type houses without crowding.
        affordable_rent_factor: rent of an affordable new rental flat relative to the
            zone's rental level (assumption).
        price_floor: lowest allowed price index.
        price_ceiling: highest allowed price index.
    """

    annual_cost_sek: list[float] = field(default_factory=lambda: [96_000.0, 90_000.0, 130_000.0])
    persons_capacity: list[float] = field(default_factory=lambda: [2.5, 3.0, 5.0])
    affordable_rent_factor: float = 0.75
    price_floor: float = 0.2
    price_ceiling: float = 5.0

    def __post_init__(self) -> None:
        if len(self.annual_cost_sek) != 3 or min(self.annual_cost_sek) <= 0:
            raise ConfigError("needs 3 positive values", key="assumptions.housing.annual_cost_sek")
        if len(self.persons_capacity) != 3 or min(self.persons_capacity) <= 0:
            raise ConfigError("needs 3 positive values", key="assumptions.housing.persons_capacity")
        if not 0 < self.price_floor < 1 < self.price_ceiling:
            raise ConfigError("need 0 < floor < 1 < ceiling", key="assumptions.housing")


@dataclass
class ZoneAssumptions:
    """Initial zone traits where the region data has none.

    Attributes:
        trust: base-year institutional trust in every zone (0-1; assumption near the
            SOM institute's share with high trust in municipal services).
        reputation_weights: weights of coast, nature, services, safety and price level in
            a zone's base-year reputation (assumption).
        external_job_weight: factor on the jobs outside the region when in-migrants draw
            a workplace (gravity from a zone drawn by its jobs; 1 = as residents).
    """

    trust: float = 0.55
    reputation_weights: list[float] = field(default_factory=lambda: [0.25, 0.15, 0.25, 0.2, 0.15])
    external_job_weight: float = 1.0

    def __post_init__(self) -> None:
        if not 0 <= self.trust <= 1:
            raise ConfigError("must be in [0, 1]", key="assumptions.zones.trust")
        _check_shares(self.reputation_weights, "assumptions.zones.reputation_weights", 5)


@dataclass
class AssumptionsConfig:
    """Rates and coefficients that users do not control (the EMA 'uncertainties').

    Attributes:
        population: synthesis of the base population.
        housing: dwelling costs and capacities.
        zones: initial zone traits.
    """

    population: PopulationAssumptions = field(default_factory=PopulationAssumptions)
    housing: HousingAssumptions = field(default_factory=HousingAssumptions)
    zones: ZoneAssumptions = field(default_factory=ZoneAssumptions)
