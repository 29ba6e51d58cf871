"""Where the region's data comes from and how the transit network is costed."""

from __future__ import annotations

from dataclasses import dataclass


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

        if self.wait_cap_min < 0:
            raise ConfigError("must be >= 0", key="region.wait_cap_min")
        if self.transfer_penalty_min < 0:
            raise ConfigError("must be >= 0", key="region.transfer_penalty_min")
        if self.access_beta_per_min <= 0:
            raise ConfigError("must be > 0", key="region.access_beta_per_min")
