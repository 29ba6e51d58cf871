"""Documented assumptions of the world: demographic rates, preferences, market response.

Filled in by the core model; every field carries its unit and its source or the
word "assumption".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class AssumptionsConfig:
    """Rates and coefficients that users do not control (the EMA 'uncertainties')."""
