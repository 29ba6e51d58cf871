"""The rule contract: read-only inputs, output shapes, randomness only from ctx.rng.

The broken rules below live in this test file, outside fh_sim; each test checks that the
error names the rule and says what is wrong.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from core_helpers import context, households
from fh_sim import plugins
from fh_sim.config import RulesConfig, SimConfig
from fh_sim.errors import ConfigError, PluginError
from fh_sim.region.synthetic import toy_region
from fh_sim.rules import REGISTRY, Registry, Rule
from fh_sim.rules.contract import checked
from fh_sim.rules.relocation import LifeStageParams
from fh_sim.sim.model import HousingModel

THIS = str(Path(__file__).resolve())


@dataclass(frozen=True)
class Rate:
    """A constant yearly hazard."""

    rate: float = 0.1


def _rule(family: str, func, params=Rate):
    """The checked function of a rule (what the model calls)."""
    return checked(Rule(family=family, name=func.__name__, func=func, params=params)).func


def _ctx(n: int = 5, seed: int = 0):
    return context(households(zone=[0, 1, 0, 1, 0][:n]), seed=seed)


def too_long(ctx, p):
    return np.full(ctx.households.n + 1, p.rate)


def global_numpy(ctx, p):
    return np.random.random(ctx.households.n) * p.rate  # noqa: NPY002  (the broken rule)


def python_random(ctx, p):
    return np.full(ctx.households.n, random.random() * p.rate)


def unseeded(ctx, p):
    return np.random.default_rng().random(ctx.households.n) * p.rate


def writes_input(ctx, p):
    ctx.households.age_head[:] += 1
    return np.full(ctx.households.n, p.rate)


def from_ctx_rng(ctx, p):
    return ctx.rng.random(ctx.households.n) * p.rate


def test_wrong_shape_names_the_rule_and_the_expected_shape():
    with pytest.raises(PluginError) as err:
        _rule("relocation", too_long)(_ctx(5), Rate())
    msg = str(err.value)
    assert "rule 'too_long' (relocation)" in msg and "(6,)" in msg and "float[5]" in msg


def test_wrong_utility_shape_and_dtype():
    ctx = _ctx(3).with_(seekers=households(zone=[0, 1, 0]))
    from fh_sim.rules.choice import sample_pairs

    pairs = sample_pairs(ctx.seekers, ctx.dwellings.stock, 4, ctx.rng)
    two_cols = _rule("utility", lambda c, pr, p: np.zeros((pr.n, 2)))
    with pytest.raises(PluginError, match=rf"expected float\[{pairs.n}\]"):
        two_cols(ctx, pairs, Rate())
    strings = _rule("utility", lambda c, pr, p: np.array(["a"] * pr.n))
    with pytest.raises(PluginError, match="dtype"):
        strings(ctx, pairs, Rate())
    nan = _rule("utility", lambda c, pr, p: np.full(pr.n, np.nan))
    with pytest.raises(PluginError, match="NaN"):
        nan(ctx, pairs, Rate())


def test_numpy_global_random_state_is_refused():
    with pytest.raises(PluginError, match=r"global_numpy.*np\.random"):
        _rule("relocation", global_numpy)(_ctx(), Rate())


def test_python_random_module_is_refused():
    with pytest.raises(PluginError, match="python_random.*Python's random module"):
        _rule("relocation", python_random)(_ctx(), Rate())


def test_an_unseeded_generator_is_caught_by_the_rerun():
    with pytest.raises(PluginError, match="unseeded.*same ctx.rng state"):
        _rule("relocation", unseeded)(_ctx(), Rate())


def test_writing_into_an_input_is_refused():
    ctx = _ctx()
    before = ctx.households.age_head.copy()
    with pytest.raises(PluginError, match="writes_input.*read-only"):
        _rule("relocation", writes_input)(ctx, Rate())
    np.testing.assert_array_equal(ctx.households.age_head, before)
    assert ctx.households.age_head.flags.writeable  # the model's own arrays stay writable


def test_a_rule_drawing_from_ctx_rng_gives_what_the_bare_rule_gives():
    bare = from_ctx_rng(_ctx(seed=4), Rate(rate=1.0))
    ctx = _ctx(seed=4)
    wrapped = _rule("relocation", from_ctx_rng)
    first = wrapped(ctx, Rate(rate=1.0))
    np.testing.assert_array_equal(first, bare)
    # the generator advanced exactly as one call would have
    np.testing.assert_array_equal(ctx.rng.random(3), np.random.default_rng(4).random(10)[5:8])


def test_signature_and_params_are_checked_at_load():
    with pytest.raises(PluginError, match=r"must take 3 arguments \(ctx, pairs, p\)"):
        _rule("utility", lambda ctx, p: 0.0)

    @dataclass(frozen=True)
    class NoDefault:
        coef: float

    with pytest.raises(PluginError, match="needs a default"):
        _rule("relocation", lambda ctx, p: 0.0, params=NoDefault)


def test_unknown_rule_name_lists_the_valid_names():
    cfg = SimConfig(end_year=2020, rules=RulesConfig(relocation={"no_such_rule": {}}))
    with pytest.raises(ConfigError) as err:
        plugins.build_pipeline(cfg, plugins.registry_with_builtins())
    msg = str(err.value)
    assert "rules.relocation.no_such_rule" in msg
    assert "'life_stage'" in msg and "'crowding'" in msg and "plugins" in msg


def test_unknown_family_in_a_plugin_lists_the_families():
    with pytest.raises(PluginError, match="valid: .*'zone_dynamics'"):
        plugins.rule("utilities", "x", params=Rate)


def test_a_module_that_fails_to_import_names_itself_and_the_error(tmp_path: Path):
    bad = tmp_path / "broken_rules.py"
    bad.write_text("import numpy as np\nimport fh_sim_no_such_dependency\n")
    with pytest.raises(PluginError) as err:
        plugins.load_plugins([str(bad)], plugins.registry_with_builtins())
    msg = str(err.value)
    assert str(bad) in msg and "ModuleNotFoundError" in msg
    assert "fh_sim_no_such_dependency" in msg and "\n" not in msg
    with pytest.raises(PluginError, match="plugin 'no_such_lab.rules'.*ModuleNotFoundError"):
        plugins.load_plugins(["no_such_lab.rules"], Registry())
    with pytest.raises(PluginError, match="not found"):
        plugins.load_plugins([str(tmp_path / "missing.py")], Registry())
    syntax = tmp_path / "typo.py"
    syntax.write_text("def f(:\n    pass\n")
    with pytest.raises(PluginError, match="SyntaxError"):
        plugins.load_plugins([str(syntax)], Registry())


def test_a_name_taken_by_another_function_is_refused(tmp_path: Path):
    clash = tmp_path / "clash.py"
    clash.write_text(
        "from dataclasses import dataclass\nfrom fh_sim import plugins\n"
        "@dataclass(frozen=True)\nclass P:\n    coef: float = 1.0\n"
        "@plugins.relocation('life_stage', params=P)\ndef mine(ctx, p):\n"
        "    return ctx.households.age_head * 0.0\n"
    )
    with pytest.raises(PluginError, match="'life_stage' is already registered"):
        plugins.load_plugins([str(clash)], plugins.registry_with_builtins())


def test_loading_twice_is_harmless_and_the_default_registry_is_untouched():
    reg = plugins.registry_with_builtins()
    plugins.load_plugins([THIS, THIS], reg)
    assert "marked_hazard" in reg.names("relocation")
    assert "marked_hazard" not in REGISTRY.names("relocation")
    assert reg.names("utility")[: len(REGISTRY.names("utility"))] == REGISTRY.names("utility")


@dataclass(frozen=True)
class HazardParams:
    """Extra hazard for every household."""

    rate: float = 0.05


@plugins.relocation("marked_hazard", params=HazardParams)
def marked_hazard(ctx, p):
    """A constant hazard. Semantics: pure; no rng."""
    return np.full(ctx.households.n, p.rate)


@plugins.relocation("marked_too_short", params=HazardParams)
def marked_too_short(ctx, p):
    """A hazard one row short."""
    return np.full(ctx.households.n - 1, p.rate)


@plugins.zone_dynamics("marked_global_rng", params=HazardParams)
def marked_global_rng(ctx, p):
    """Draws from numpy's global state (not allowed)."""
    from fh_sim.sim.state import ZoneUpdate

    return ZoneUpdate(trust=np.random.random(ctx.zones.n))  # noqa: NPY002


def _model(relocation=None, zone_dynamics=None) -> HousingModel:
    rules = RulesConfig()
    if relocation:
        rules.relocation = {**rules.relocation, **relocation}
    if zone_dynamics:
        rules.zone_dynamics = {**rules.zone_dynamics, **zone_dynamics}
    cfg = SimConfig(seed=1, end_year=2021, plugins=[THIS], rules=rules)
    return HousingModel(
        cfg,
        region=toy_region(3, population_per_zone=300),
        registry=plugins.registry_with_builtins(),
    )


def test_a_broken_plugin_rule_stops_the_model_with_a_clear_error():
    with pytest.raises(PluginError, match=r"'marked_too_short' \(relocation\).*expected float"):
        _model(relocation={"marked_too_short": {}}).step()
    with pytest.raises(PluginError, match=r"'marked_global_rng' \(zone_dynamics\).*np\.random"):
        _model(zone_dynamics={"marked_global_rng": {"rate": 0.1}}).step()


def test_builtin_rules_keep_the_contract_and_their_results():
    m = _model(relocation={"marked_hazard": {"rate": 0.0}})
    assert all(type(r.func).__name__ == "CheckedRule" for v in m.pipeline.values() for r, _ in v)
    bare = _model()
    bare.pipeline = {f: [(r.func.rule, p) for r, p in v] for f, v in bare.pipeline.items()}
    assert bare.pipeline["relocation"][0][1] == LifeStageParams()
    m.run()
    bare.run()
    # a zero extra hazard changes nothing: the checked pipeline reproduces the bare one
    assert m.outcomes().equals(bare.outcomes())
