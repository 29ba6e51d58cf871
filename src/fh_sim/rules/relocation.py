"""Relocation triggers: yearly hazards that a resident household wants to move.

Each trigger returns float[n_households]; the model combines them as independent risks,
``p_move = 1 - prod(1 - clip(h_k, 0, 1))``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fh_sim.rules.migration import housing_burden
from fh_sim.rules.registry import REGISTRY
from fh_sim.sim.state import Households, StepContext, by_age_band
from fh_sim.types import FloatArray


def commute_minutes(ctx: StepContext, hh: Households) -> FloatArray:
    """Generalised one-way commute cost from home zone to workplace, minutes (0: none).

    Zones and workplaces of -1 (no dwelling, no workplace) read the zero row and column
    of a table padded in front of the travel costs.
    """
    n_nodes = ctx.commute_minutes.shape[1]
    table = np.zeros((n_nodes + 1, n_nodes + 1))
    table[1:, 1:] = ctx.commute_minutes
    at = hh.zone.astype(np.int64)
    at += 1
    at *= n_nodes + 1
    at += hh.workplace
    at += 1
    return table.reshape(-1).take(at)


@dataclass(frozen=True)
class LifeStageParams:
    """Baseline moving hazard by the head's age and the dwelling's tenure.

    Attributes:
        age_edges: upper edges of the age bands, years.
        hazard: hazard per band (assumption shaped on SCB moves by age: about 12 % of
            Swedish households move in a year, young adults far more often).
        tenure_factor: factor for rental flats, tenant-owned flats and houses.
    """

    age_edges: tuple[float, ...] = (25.0, 30.0, 45.0, 65.0)
    hazard: tuple[float, ...] = (0.32, 0.22, 0.11, 0.055, 0.04)
    tenure_factor: tuple[float, ...] = (1.4, 0.9, 0.6)


@REGISTRY.relocation("life_stage", params=LifeStageParams)
def life_stage(ctx: StepContext, p: LifeStageParams) -> FloatArray:
    """Hazard by age band times tenure factor. Semantics: pure; no rng."""
    hh = ctx.households
    tenure = np.asarray(p.tenure_factor, dtype=float)[np.maximum(hh.dwelling_type, 0)]
    return by_age_band(p.hazard, p.age_edges, hh.age_head) * tenure


@dataclass(frozen=True)
class CrowdingParams:
    """Extra hazard per person above the dwelling type's capacity (assumption).

    Attributes:
        coef: hazard per person over capacity.
    """

    coef: float = 0.12


@REGISTRY.relocation("crowding", params=CrowdingParams)
def crowding(ctx: StepContext, p: CrowdingParams) -> FloatArray:
    """``coef x max(size - capacity, 0)``. Semantics: pure; no rng."""
    hh = ctx.households
    cap = np.asarray(ctx.assumptions.housing.persons_capacity, dtype=float)
    return p.coef * np.maximum(hh.size - cap[np.maximum(hh.dwelling_type, 0)], 0.0)


@dataclass(frozen=True)
class HousingCostParams:
    """Extra hazard when housing cost exceeds a share of income (assumption).

    Attributes:
        threshold: tolerated housing cost over income.
        coef: hazard per unit of burden above the threshold.
    """

    threshold: float = 0.35
    coef: float = 0.5


@REGISTRY.relocation("housing_cost", params=HousingCostParams)
def housing_cost(ctx: StepContext, p: HousingCostParams) -> FloatArray:
    """``coef x max(burden - threshold, 0)``. Semantics: pure; no rng."""
    return p.coef * np.maximum(housing_burden(ctx, ctx.households) - p.threshold, 0.0)


@dataclass(frozen=True)
class CommuteParams:
    """Extra hazard for long commutes (assumption).

    Attributes:
        threshold_min: tolerated one-way generalised commute, minutes.
        coef_per_hour: hazard per hour above the threshold.
    """

    threshold_min: float = 45.0
    coef_per_hour: float = 0.10


@REGISTRY.relocation("commute", params=CommuteParams)
def commute(ctx: StepContext, p: CommuteParams) -> FloatArray:
    """``coef x max(minutes - threshold, 0) / 60``. Semantics: pure; no rng."""
    excess = np.maximum(commute_minutes(ctx, ctx.households) - p.threshold_min, 0.0)
    return p.coef_per_hour * excess / 60.0


@dataclass(frozen=True)
class SafetyParams:
    """Extra hazard in zones with crime above the regional mean, damped by trust.

    Attributes:
        coef: hazard per unit of crime index above 1 (assumption).
        trust_damping: how much full trust (1) removes of that hazard (0-1).
    """

    coef: float = 0.05
    trust_damping: float = 0.8


@REGISTRY.relocation("safety", params=SafetyParams)
def safety(ctx: StepContext, p: SafetyParams) -> FloatArray:
    """``coef x max(crime - 1, 0) x (1 - damping x trust)``. Semantics: pure; no rng."""
    z = ctx.zones
    zone_h = p.coef * np.maximum(z.crime_index - 1.0, 0.0) * (1.0 - p.trust_damping * z.trust)
    return zone_h[ctx.households.zone]
