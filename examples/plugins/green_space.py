r"""Example plugin: families value green space, and leave zones that lack it.

Two rules over whole columns, each with a typed params dataclass:

* utility term ``green_space``: from ``from_year`` on, ``coef(segment) x nature[zone]``
  (nature amenity, 0-1) on top of the calibrated preferences: a what-if of families
  coming to value green space more than they did in the base year;
* relocation trigger ``green_deficit``: families (3+ persons, head 30-64) living in a
  zone whose nature amenity is below ``threshold`` move with an extra yearly hazard
  ``coef x (threshold - nature[zone])``.

Switch them on without editing fh_sim::

    fh-sim run plugins=[examples/plugins/green_space.py] \\
        +rules.utility.green_space.coef=1.5 +rules.relocation.green_deficit.coef=0.2

or with the overlay ``examples/plugins/conf/experiment/green_space.yaml``::

    fh-sim sweep --config-dir examples/plugins/conf experiment=green_space \\
        rules.utility.green_space.coef=0.5,1.5
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fh_sim import plugins
from fh_sim.rules.utility import TermParams, segment_coef
from fh_sim.sim.state import Pairs, StepContext
from fh_sim.types import FloatArray

FAMILY = 2
"""Life-stage code of families (see ``fh_sim.sim.state.LIFE_STAGES``)."""


@dataclass(frozen=True)
class GreenSpaceParams(TermParams):
    """Extra utility per unit of the zone's nature amenity (0-1), mostly for families.

    The base year's (zone, type) constants are calibrated per life stage, so a fixed term
    that depends only on life stage and zone would be absorbed by them; this one starts
    after the base year and so shifts choices away from the calibrated baseline.

    Attributes:
        coef: utility per unit of nature amenity.
        life_stage_factor: factors for young, adult, family, senior.
        income_factor: factors for low, mid, high income.
        from_year: first calendar year with the extra preference.
    """

    coef: float = 1.0
    life_stage_factor: tuple[float, ...] = (0.3, 0.7, 1.5, 1.0)
    from_year: int = 2020


@plugins.utility("green_space", params=GreenSpaceParams)
def green_space(ctx: StepContext, pairs: Pairs, p: GreenSpaceParams) -> FloatArray:
    """``coef(segment) x nature[zone]`` per (seeker, alternative) from ``from_year`` on.

    Before ``from_year`` the term is 0.

    Returns:
        float[n_pairs] utility.
    Semantics: pure; no rng.
    """
    if ctx.year < p.from_year:
        return np.zeros(pairs.n)
    return segment_coef(pairs, p) * ctx.zones["amenity_nature"][pairs.zone]


@dataclass(frozen=True)
class GreenDeficitParams:
    """Extra moving hazard of families in zones with little nature.

    Attributes:
        threshold: nature amenity (0-1) below which families feel the lack.
        coef: yearly hazard per unit of nature below the threshold.
    """

    threshold: float = 0.5
    coef: float = 0.2

    def __post_init__(self) -> None:
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"threshold must be within 0-1, got {self.threshold}")


@plugins.relocation("green_deficit", params=GreenDeficitParams)
def green_deficit(ctx: StepContext, p: GreenDeficitParams) -> FloatArray:
    """``coef x max(threshold - nature[zone], 0)`` for families, 0 for others.

    Returns:
        float[n_households] yearly hazard.
    Semantics: pure; no rng.
    """
    hh = ctx.households
    lack = np.maximum(p.threshold - ctx.zones["amenity_nature"], 0.0)
    is_family = hh.life_stage() == FAMILY
    return np.where(is_family, p.coef * lack[hh.zone], 0.0)
