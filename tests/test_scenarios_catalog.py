"""Every recommendation of the report is a scenario that composes, validates and acts on
the real region's network."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest
from omegaconf import OmegaConf

from cli_helpers import compose_config, fh_sim
from fh_sim.cli.run_cmd import conf_dir
from fh_sim.config import ScenarioConfig, SimConfig
from fh_sim.region.load import load_region
from fh_sim.region.network import accessibility, links_in_year, node_jobs, travel_costs
from fh_sim.scenarios.catalog import list_scenarios

RECOMMENDATIONS = {
    "baseline",
    "transit_hoganas_rail",
    "transit_skanebanan_half_hourly",
    "transit_orkelljunga_express_bus",
    "transit_soderasbanan_frequency",
    "safety_programme",
    "higher_trust",
    "income_uplift",
    "brand_campaign",
    "growth_first",
    "current_residents_first",
}
SCENARIOS = [s.name for s in list_scenarios(conf_dir())]


@pytest.fixture(scope="module")
def region():  # type: ignore[no-untyped-def]
    return load_region("embedded")


@functools.cache
def _scenario(name: str) -> ScenarioConfig:
    sim = OmegaConf.to_object(compose_config([f"scenario={name}"]))
    assert isinstance(sim, SimConfig)
    return sim.scenario


def test_every_recommendation_and_some_packages_are_listed() -> None:
    assert set(SCENARIOS) >= RECOMMENDATIONS
    packages = [s for s in list_scenarios(conf_dir()) if s.is_package]
    assert len(packages) >= 3
    for info in list_scenarios(conf_dir()):
        assert "\n" not in info.description and 10 < len(info.description) <= 110, info.name
        assert info.path.read_text(encoding="utf-8").count("_target_") == 0


def test_scenarios_command_prints_every_name_and_description(tmp_path: Path) -> None:
    done = fh_sim("scenarios", outputs=tmp_path / "outputs")
    assert done.returncode == 0, done.stderr
    for info in list_scenarios(conf_dir()):
        assert info.name in done.stdout and info.description in done.stdout


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_composes_validates_and_its_edits_fit_the_network(name: str, region) -> None:  # type: ignore[no-untyped-def]
    scenario = _scenario(name)
    assert scenario.name == name
    # growth_first and current_residents_first are alternatives, never in one package
    assert len(scenario.housing_policies) <= 1
    places = set(region.zones.index) | set(region.municipalities.index)
    for group in (
        "safety_programmes",
        "trust_programmes",
        "income_uplifts",
        "brand_campaigns",
        "housing_policies",
    ):
        for key, item in getattr(scenario, group).items():
            assert set(item.places) <= places, f"{name}: {group}.{key}"
            assert item.start_year > 2019
    for edit in scenario.link_edits.values():
        assert edit.start_year > 2019
    # raises (naming the edit) for an unknown node, a missing link or a disconnection
    costs = travel_costs(region, 2050, scenario.link_edits)
    assert np.isfinite(costs.minutes[: region.n_zones, : region.n_zones]).all()


def test_package_holds_every_member_intervention() -> None:
    package = _scenario("package_residents_first")
    transit = _scenario("package_transit")
    assert set(transit.link_edits) <= set(package.link_edits)
    assert set(_scenario("safety_programme").safety_programmes) == set(package.safety_programmes)
    assert set(_scenario("higher_trust").trust_programmes) == set(package.trust_programmes)
    assert package.housing_policies["current_residents_first"].queue_priority_residents
    assert package.name == "package_residents_first"
    members = [
        _scenario(n).link_edits
        for n in (
            "transit_hoganas_rail",
            "transit_skanebanan_half_hourly",
            "transit_orkelljunga_express_bus",
            "transit_soderasbanan_frequency",
        )
    ]
    assert sum(len(m) for m in members) == len(transit.link_edits)


@pytest.mark.parametrize(
    ("name", "served"),
    [
        ("transit_hoganas_rail", ["hoganas", "viken", "hittarp"]),
        ("transit_skanebanan_half_hourly", ["perstorp"]),
        ("transit_orkelljunga_express_bus", ["orkelljunga"]),
        ("transit_soderasbanan_frequency", ["billesholm", "kagerod", "svalov"]),
    ],
)
def test_transit_scenario_raises_served_zones_accessibility(
    name: str, served: list[str], region
) -> None:  # type: ignore[no-untyped-def]
    sim = OmegaConf.to_object(compose_config([f"scenario={name}"]))
    edits, cfg = _scenario(name).link_edits, sim.region
    jobs, beta = node_jobs(region), cfg.access_beta_per_min
    before = accessibility(travel_costs(region, 2049, cfg=cfg), jobs, beta)
    after = accessibility(travel_costs(region, 2049, edits, cfg=cfg), jobs, beta)
    idx = [region.node_ids.index(z) for z in served]
    n = region.n_zones
    assert (after[idx] > before[idx] * 1.01).all()
    assert (after[:n] >= before[:n] - 1e-9).all()  # nobody loses accessibility
    assert len(links_in_year(region, 2020, edits)) == len(links_in_year(region, 2020))
