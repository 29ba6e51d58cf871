"""The yearly rules: registered, replaceable functions over whole columns.

Importing this package registers the built-in rules in :data:`REGISTRY`.
"""

from fh_sim.rules import (  # noqa: F401  (imported to register the rules)
    affordability,
    allocation,
    demography,
    market,
    migration,
    relocation,
    utility,
    zones,
)
from fh_sim.rules.registry import FAMILIES, REGISTRY, Registry, Rule

__all__ = ["FAMILIES", "REGISTRY", "Registry", "Rule"]
