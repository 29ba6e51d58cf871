"""The core household rules with one :class:`mesa.Agent` per household.

The oracle that the vectorised rules are tested against, and the baseline of their
speed (``benchmarks/bench_reference.py``). See :mod:`fh_sim.reference.model`.
"""

from fh_sim.reference.agents import HouseholdAgent
from fh_sim.reference.model import ReferenceModel

__all__ = ["HouseholdAgent", "ReferenceModel"]
