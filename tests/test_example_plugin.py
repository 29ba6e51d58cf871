"""The example plugin examples/plugins/green_space.py: exact values and directions."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from core_helpers import context, households, zones
from fh_sim import plugins
from fh_sim.config import RulesConfig, SimConfig
from fh_sim.region.synthetic import toy_region
from fh_sim.rules.choice import sample_pairs
from fh_sim.sim.model import HousingModel

EXAMPLE = str(Path(__file__).resolve().parents[1] / "examples" / "plugins" / "green_space.py")


def _loaded():
    reg = plugins.registry_with_builtins()
    (module,) = plugins.load_plugins([EXAMPLE], reg)
    return reg, module


def test_example_rules_register_under_their_names_with_typed_params():
    reg, module = _loaded()
    assert reg.get("utility", "green_space").params is module.GreenSpaceParams
    rule = reg.get("relocation", "green_deficit")
    p = rule.make_params({"threshold": 0.4}, key="rules.relocation.green_deficit")
    assert p == module.GreenDeficitParams(threshold=0.4, coef=0.2)


def test_green_deficit_hits_families_in_zones_with_little_nature():
    reg, module = _loaded()
    amen = np.array([[0.5, 0.2, 0.5], [0.5, 0.8, 0.5]])
    hh = households(zone=[0, 0, 1, 0], size=[4, 1, 4, 3], age_head=[40, 40, 40, 70])
    ctx = context(hh, zones=zones(2, amenities=amen))
    hazard = module.green_deficit(ctx, module.GreenDeficitParams(threshold=0.5, coef=0.2))
    # family in the zone lacking nature; single adult; family in a green zone; senior
    np.testing.assert_allclose(hazard, [0.2 * 0.3, 0.0, 0.0, 0.0])


def test_green_space_utility_is_segment_coefficient_times_nature():
    reg, module = _loaded()
    amen = np.array([[0.5, 0.0, 0.5], [0.5, 1.0, 0.5]])
    seekers = households(zone=[0, 1], size=[4, 1], age_head=[40, 25], income_group=[1, 1])
    ctx = context(seekers, zones=zones(2, amenities=amen)).with_(seekers=seekers)
    pairs = sample_pairs(seekers, ctx.dwellings.stock, 6, ctx.rng)
    u = module.green_space(ctx, pairs, module.GreenSpaceParams(coef=2.0))
    factor = np.where(pairs.seeker == 0, 1.5, 0.3)  # family vs young
    np.testing.assert_allclose(u, 2.0 * factor * amen[pairs.zone, 1])
    # before from_year the calibrated baseline holds
    late = module.GreenSpaceParams(coef=2.0, from_year=2021)
    np.testing.assert_array_equal(module.green_space(ctx, pairs, late), np.zeros(pairs.n))


def _family_share_in_greenest(seed: int, coef: float) -> float:
    rules = RulesConfig()
    rules.utility = {**rules.utility, "green_space": {"coef": coef}}
    rules.migration = {"out_migration": {}}  # spare dwellings: movers have a choice
    cfg = SimConfig(seed=seed, end_year=2022, plugins=[EXAMPLE], rules=rules)
    m = HousingModel(
        cfg,
        region=toy_region(4, population_per_zone=1500),
        registry=plugins.registry_with_builtins(),
    )
    m.run()
    hh = m.households
    fam = hh.life_stage() == 2
    return float(np.mean(hh.zone[fam] == 3))  # z3 has the most nature in the toy region


def test_switching_green_space_on_draws_families_to_the_greenest_zone():
    gains = [_family_share_in_greenest(s, 4.0) - _family_share_in_greenest(s, 0.0) for s in (1, 2)]
    assert min(gains) > 0.01, gains
