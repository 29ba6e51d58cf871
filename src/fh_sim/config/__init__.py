"""Typed configuration schemas and their registration with Hydra's ConfigStore.

YAML holds values, these dataclasses hold types: a misspelled key or a wrong type
fails when Hydra composes the config, a range error when
:func:`to_sim_config` builds the objects (``__post_init__``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hydra.core.config_store import ConfigStore

from fh_sim.config.assumptions import AssumptionsConfig
from fh_sim.config.region import RegionConfig
from fh_sim.config.rules import RulesConfig
from fh_sim.config.scenario import (
    BrandCampaign,
    HousingPolicy,
    IncomeUplift,
    LinkEdit,
    SafetyProgramme,
    ScenarioConfig,
    TrustProgramme,
)
from fh_sim.config.uncertainty import UncertaintyConfig
from fh_sim.errors import ConfigError

__all__ = [
    "AssumptionsConfig",
    "BrandCampaign",
    "HousingPolicy",
    "IncomeUplift",
    "LinkEdit",
    "RegionConfig",
    "RulesConfig",
    "SafetyProgramme",
    "ScenarioConfig",
    "SimConfig",
    "TrustProgramme",
    "UncertaintyConfig",
    "register_configs",
]


@dataclass
class SimConfig:
    """One run: the world (region, assumptions), the rules, the levers and the seed.

    Attributes:
        seed: root seed of the run's single random generator.
        replicate: replicate number; the run's stream is ``SeedSequence(seed, (replicate,))``.
        scale: fraction of real households simulated (1.0 = one agent per household).
        end_year: last simulated calendar year (inclusive).
        check_invariants: check accounting identities every step.
        plugins: user modules or ``.py`` files that register extra rules.
        allow_slow: allow per-household prototype rules above 20,000 households.
        params_draw: apply draw K of the declared uncertain inputs (None: the configured
            values); the same K gives the same values in every scenario and seed.
        uncertainty: the declared uncertain inputs (``conf/uncertainty``).
        record_choices: write every seeker's choice set, attributes, first choice and
            placement to ``choices.parquet`` (:mod:`fh_sim.outcomes.choices`; for estimation,
            about 140 rows per seeker: use a small scale). Changes no outcome.
    """

    seed: int = 0
    replicate: int = 0
    scale: float = 1.0
    end_year: int = 2050
    check_invariants: bool = True
    plugins: list[str] = field(default_factory=list)
    allow_slow: bool = False
    params_draw: int | None = None
    record_choices: bool = False
    region: RegionConfig = field(default_factory=RegionConfig)
    assumptions: AssumptionsConfig = field(default_factory=AssumptionsConfig)
    rules: RulesConfig = field(default_factory=RulesConfig)
    scenario: ScenarioConfig = field(default_factory=ScenarioConfig)
    uncertainty: UncertaintyConfig = field(default_factory=UncertaintyConfig)

    def __post_init__(self) -> None:
        if not 0.0 < self.scale <= 1.0:
            raise ConfigError(f"must be in (0, 1], got {self.scale}", key="scale")
        if self.end_year <= self.region.base_year:
            raise ConfigError(
                f"must be after the base year {self.region.base_year}, got {self.end_year}",
                key="end_year",
            )
        if self.params_draw is not None and self.params_draw < 0:
            raise ConfigError(f"must be >= 0, got {self.params_draw}", key="params_draw")
        if self.seed < 0:
            raise ConfigError(f"must be >= 0, got {self.seed}", key="seed")
        if self.replicate < 0:
            raise ConfigError(f"must be >= 0, got {self.replicate}", key="replicate")


def register_configs() -> None:
    """Store the schemas so that YAML files can start from ``defaults: [base]``."""
    cs = ConfigStore.instance()
    cs.store(name="sim_schema", node=SimConfig)
    cs.store(group="region", name="base", node=RegionConfig)
    cs.store(group="assumptions", name="base", node=AssumptionsConfig)
    cs.store(group="rules", name="base", node=RulesConfig)
    cs.store(group="scenario", name="base", node=ScenarioConfig)
    cs.store(group="uncertainty", name="base", node=UncertaintyConfig)
