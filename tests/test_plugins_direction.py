"""Rules defined here, outside fh_sim, switched on by config, move outcomes the expected way."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from fh_sim import plugins
from fh_sim.config import RulesConfig, SimConfig
from fh_sim.region.synthetic import toy_region
from fh_sim.sim.model import HousingModel

THIS = str(Path(__file__).resolve())
FAVOURED = 3


@dataclass(frozen=True)
class FavourZoneParams:
    """Utility bonus of one zone from a year on (say, a new park opens there).

    A bonus present already in the base year would be absorbed by the calibrated
    (zone, type) constants; one that starts later moves choices.

    Attributes:
        zone: zone index that gets the bonus.
        coef: utility added to every alternative in that zone.
        from_year: first calendar year with the bonus.
    """

    zone: int = 0
    coef: float = 0.0
    from_year: int = 2020


@plugins.utility("favour_zone", params=FavourZoneParams)
def favour_zone(ctx, pairs, p):
    """``coef`` where the alternative lies in zone ``zone`` (from ``from_year``).

    Semantics: pure; no rng.
    """
    coef = p.coef if ctx.year >= p.from_year else 0.0
    return np.where(pairs.zone == p.zone, coef, 0.0)


@dataclass(frozen=True)
class RestlessParams:
    """Extra yearly moving hazard of every household.

    Attributes:
        hazard: added probability of wanting to move, per year.
    """

    hazard: float = 0.0


@plugins.relocation("restless", params=RestlessParams)
def restless(ctx, p):
    """A constant extra hazard. Semantics: pure; no rng."""
    return np.full(ctx.households.n, p.hazard)


def _run(seed: int, *, utility=None, relocation=None) -> pd.DataFrame:
    rules = RulesConfig()
    rules.utility = {**rules.utility, **(utility or {})}
    rules.relocation = {**rules.relocation, **(relocation or {})}
    # no in-migrants: households leave, dwellings empty, and movers have a real choice
    # (in a full market every vacancy is taken whatever the utilities, and only prices move)
    rules.migration = {"out_migration": {}}
    cfg = SimConfig(seed=seed, end_year=2022, plugins=[THIS], rules=rules)
    region = toy_region(4, population_per_zone=1500)
    return HousingModel(cfg, region=region, registry=plugins.registry_with_builtins()).run()


def _value(out: pd.DataFrame, level: str, unit: str, metric: str, year: int = 2022) -> float:
    row = out[
        (out.level == level) & (out.unit == unit) & (out.metric == metric) & (out.year == year)
    ]
    return float(row["value"].iloc[0])


def test_a_utility_term_favouring_a_zone_raises_its_population():
    gains = []
    for seed in (1, 2, 3):
        off = _run(seed, utility={"favour_zone": {"zone": FAVOURED, "coef": 0.0}})
        on = _run(seed, utility={"favour_zone": {"zone": FAVOURED, "coef": 3.0}})
        share_off = _value(off, "zone", f"z{FAVOURED}", "population") / _value(
            off, "region", "Familjen Helsingborg", "population"
        )
        share_on = _value(on, "zone", f"z{FAVOURED}", "population") / _value(
            on, "region", "Familjen Helsingborg", "population"
        )
        gains.append(share_on - share_off)
    assert min(gains) > 0.005, gains


def test_a_relocation_trigger_raises_internal_moves():
    region = "Familjen Helsingborg"
    for seed in (1, 2):
        calm = _run(seed, relocation={"restless": {"hazard": 0.0}})
        moving = _run(seed, relocation={"restless": {"hazard": 0.3}})
        assert _value(moving, "region", region, "internal_moves") > 1.5 * _value(
            calm, "region", region, "internal_moves"
        )
