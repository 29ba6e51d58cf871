"""Where the region's data comes from and how the transit network is costed."""

from __future__ import annotations

from dataclasses import dataclass

# Base years the region's data describe (its population and stock columns).
DATA_BASE_YEARS = (2019,)


@dataclass
class RegionConfig:
    """The region's data and the generalised-cost rules of its transit network.

    Attributes:
        data_dir: folder with the region's CSV files; ``embedded`` means the
            Familjen Helsingborg data shipped inside the package.
        base_year: year whose 31 December is the model's starting state.
        wait_cap_min: cap on the waiting time (half the headway), minutes.
        transfer_penalty_min: penalty for each change of line, minutes.
        access_beta_per_min: decay of Hansen accessibility, 1/minute.
    """

    data_dir: str = "embedded"
    base_year: int = 2019
    wait_cap_min: float = 30.0
    transfer_penalty_min: float = 5.0
    access_beta_per_min: float = 0.05

    def __post_init__(self) -> None:
        from fh_sim.errors import ConfigError

        if self.base_year not in DATA_BASE_YEARS:
            raise ConfigError(
                f"the region data describe the end of {DATA_BASE_YEARS[0]} (population_2019 "
                f"in zones.csv); base_year must be {DATA_BASE_YEARS[0]}, got {self.base_year}",
                key="region.base_year",
            )
        # `not x >= 0` also refuses NaN, which every comparison calls false
        if not self.wait_cap_min >= 0:
            raise ConfigError(f"must be >= 0, got {self.wait_cap_min}", key="region.wait_cap_min")
        if not self.transfer_penalty_min >= 0:
            raise ConfigError(
                f"must be >= 0, got {self.transfer_penalty_min}", key="region.transfer_penalty_min"
            )
        if not self.access_beta_per_min > 0:
            raise ConfigError(
                f"must be > 0, got {self.access_beta_per_min}", key="region.access_beta_per_min"
            )
