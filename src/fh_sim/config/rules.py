"""Which registered rule runs at each stage of the year, with its parameters.

Each family is an ordered mapping ``rule name -> {param: value}`` (an empty mapping or
null keeps the rule's defaults); the rules of a family run in that order. Users switch a
rule off by deleting its key (``~rules.utility.amenities``) and sweep a parameter with
``rules.utility.safety.coef=0.5,1.0``. Names are checked against the registry when the
model is built (after plugins are loaded), and unknown names list the valid ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fh_sim.errors import ConfigError

# The rule families, one field of RulesConfig each; the registry (fh_sim.rules.FAMILIES)
# reads them from here (fh_sim.rules imports the config, so not the other way round).
FAMILY_FIELDS: tuple[str, ...] = (
    "demography",
    "migration",
    "relocation",
    "utility",
    "allocation",
    "prices",
    "construction",
    "zone_dynamics",
)


def _sel(*names: str) -> Any:
    return field(default_factory=lambda: {n: {} for n in names})


@dataclass
class ChoiceConfig:
    """Location-choice mechanics.

    Attributes:
        n_sampled: 0 (the default): every seeker chooses from its full choice set,
            the multinomial logit over all (zone, type) alternatives open to it. A
            positive number: alternatives sampled per seeker (proportional to stock)
            when the set is larger, an approximation for much larger choice sets
            (docs/assumptions.md gives its error here).
        n_home: when sampling, draws from the seeker's home municipality (a stratum of
            the importance sample; see :mod:`fh_sim.rules.choice`).
    """

    n_sampled: int = 0
    n_home: int = 3

    def __post_init__(self) -> None:
        if self.n_sampled < 0:
            raise ConfigError("must be >= 0 (0: the full choice set)", key="rules.choice.n_sampled")
        if self.n_sampled > 0 and not 0 <= self.n_home < self.n_sampled:
            raise ConfigError("must be in [0, n_sampled)", key="rules.choice.n_home")


@dataclass
class RulesConfig:
    """Rule names per stage, in order, each with its parameter values.

    Attributes:
        demography: demographic events (ageing, workplaces, deaths, births, household
            formation and dissolution).
        migration: moves across the region's border.
        relocation: moving triggers; their hazards combine as independent risks.
        utility: additive location-choice utility terms.
        allocation: exactly one allocation rule.
        prices: exactly one price rule.
        construction: construction rules (their additions are summed).
        zone_dynamics: zone updates (crime, trust, reputation, income programmes).
        choice: the choice set (full, or sampled).
    """

    demography: dict[str, Any] = _sel(
        "ageing",
        "labour_market",
        "deaths",
        "births",
        "leaving_home",
        "separation",
        "partnering",
    )
    migration: dict[str, Any] = _sel("out_migration", "in_migration")
    relocation: dict[str, Any] = _sel("life_stage", "crowding", "housing_cost", "commute", "safety")
    utility: dict[str, Any] = _sel(
        "commute",
        "housing_cost",
        "dwelling_fit",
        "safety",
        "reputation",
        "amenities",
        "accessibility",
        "social_composition",
        "attachment",
        "credit_constraint",
        "alternative_constant",
    )
    allocation: dict[str, Any] = _sel("lottery_rounds")
    prices: dict[str, Any] = _sel("vacancy_response")
    construction: dict[str, Any] = _sel("pipeline")
    zone_dynamics: dict[str, Any] = _sel("crime", "trust", "reputation", "income_uplift")
    choice: ChoiceConfig = field(default_factory=ChoiceConfig)

    def __post_init__(self) -> None:
        for fam in FAMILY_FIELDS:
            sel = getattr(self, fam)
            if not isinstance(sel, Mapping):
                raise ConfigError("must be a mapping of rule name -> params", key=f"rules.{fam}")
            for name, values in sel.items():
                if values is not None and not isinstance(values, Mapping):
                    raise ConfigError(
                        f"params must be a mapping, got {values!r}", key=f"rules.{fam}.{name}"
                    )
        for fam in ("allocation", "prices"):
            if len(getattr(self, fam)) != 1:
                raise ConfigError("select exactly one rule", key=f"rules.{fam}")

    def validate(self, registry: Any = None) -> dict[str, list[tuple[Any, Any]]]:
        """Resolve every selected rule against a registry (default: the built-in one).

        Args:
            registry: a :class:`fh_sim.rules.registry.Registry`; None = ``REGISTRY``.

        Returns:
            family -> [(rule, params instance)] in config order.

        Raises:
            ConfigError: an unknown rule name (listing valid names) or parameter.
        """
        if registry is None:
            from fh_sim.rules import REGISTRY

            registry = REGISTRY
        return {fam: registry.resolve(fam, getattr(self, fam)) for fam in FAMILY_FIELDS}
