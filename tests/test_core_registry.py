"""The rule registry and the rules config: names, params, errors that list valid names."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from fh_sim.config import AssumptionsConfig, RulesConfig
from fh_sim.errors import ConfigError
from fh_sim.rules import FAMILIES, REGISTRY, Registry

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class P:
    rate: float = 0.1
    steps: int = 2
    factors: tuple[float, ...] = (1.0, 2.0)


def make() -> Registry:
    reg = Registry()

    @reg.relocation("constant", params=P)
    def constant(ctx, p):
        return p.rate

    return reg


def test_fresh_registry_is_independent():
    reg = make()
    assert reg.names("relocation") == ["constant"]
    assert "constant" not in REGISTRY.names("relocation")


def test_resolve_builds_typed_params():
    ((rule, params),) = make().resolve("relocation", {"constant": {"rate": 1, "factors": [3, 4]}})
    assert params == P(rate=1.0, steps=2, factors=(3.0, 4.0))
    assert rule.func(None, params) == 1.0


def test_unknown_rule_lists_valid_names():
    with pytest.raises(ConfigError, match=r"rules.relocation.nope.*valid: \['constant'\]"):
        make().resolve("relocation", {"nope": {}})


def test_unknown_and_mistyped_params():
    with pytest.raises(ConfigError, match="unknown parameter"):
        make().resolve("relocation", {"constant": {"rat": 1.0}})
    with pytest.raises(ConfigError, match=r"rules.relocation.constant.steps.*integer"):
        make().resolve("relocation", {"constant": {"steps": 1.5}})
    with pytest.raises(ConfigError, match="number"):
        make().resolve("relocation", {"constant": {"rate": "high"}})


def test_duplicate_and_bad_registration():
    reg = make()
    with pytest.raises(ValueError, match="already registered"):
        reg.relocation("constant", params=P)(lambda c, p: 0)
    with pytest.raises(ValueError, match="unknown rule family"):
        reg.register("weather", "sun", params=P)

    @dataclass
    class Mutable:
        x: float = 1.0

    with pytest.raises(ValueError, match="frozen"):
        reg.utility("m", params=Mutable)


def test_default_rules_config_resolves_every_family():
    resolved = RulesConfig().validate()
    assert set(resolved) == set(FAMILIES)
    names = [r.name for r, _ in resolved["demography"]]
    assert names[:4] == ["ageing", "labour_market", "deaths", "births"]


def test_rules_config_structure_checks():
    with pytest.raises(ConfigError, match="rules.allocation"):
        RulesConfig(allocation={})
    with pytest.raises(ConfigError, match="rules.utility.safety"):
        RulesConfig(utility={"safety": 3})


def yaml_values(path: Path) -> dict:
    data = OmegaConf.to_container(OmegaConf.load(path))
    data.pop("defaults")
    return data


def test_baseline_yaml_matches_rule_defaults():
    data = yaml_values(ROOT / "conf" / "rules" / "baseline.yaml")
    data.pop("choice")
    for fam, selection in data.items():
        assert list(selection) == list(getattr(RulesConfig(), fam)), fam
        for rule, params in REGISTRY.resolve(fam, selection):
            assert params == rule.params(), f"{fam}.{rule.name} differs from its defaults"


def test_assumptions_yaml_matches_defaults():
    data = yaml_values(ROOT / "conf" / "assumptions" / "default.yaml")
    merged = OmegaConf.merge(OmegaConf.structured(AssumptionsConfig), data)
    assert OmegaConf.to_object(merged) == AssumptionsConfig()


def test_every_rule_parameter_is_documented():
    import dataclasses

    text = (ROOT / "docs" / "assumptions.md").read_text()
    for fam, selection in RulesConfig().validate().items():
        for rule, params in selection:
            for f in dataclasses.fields(params):
                assert f"`rules.{fam}.{rule.name}.{f.name}`" in text, (fam, rule.name, f.name)
    for group in ("population", "housing", "zones"):
        for f in dataclasses.fields(getattr(AssumptionsConfig(), group)):
            assert f"`assumptions.{group}.{f.name}`" in text, (group, f.name)


def test_every_rule_family_has_its_config_field_in_order():
    import dataclasses

    fields = [f.name for f in dataclasses.fields(RulesConfig) if f.name != "choice"]
    assert fields == list(FAMILIES)
