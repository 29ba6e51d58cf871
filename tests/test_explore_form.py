"""The explorer's scenario form: composing, checking with the CLI's messages, saving as YAML."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import fh_sim
from fh_sim.cli.errfmt import describe
from fh_sim.errors import FhSimError
from fh_sim.explore import scenario_form as sf
from fh_sim.explore.runs import RunSpec, build_config
from fh_sim.region import load_region

SPEC = RunSpec(scale=0.01, end_year=2021, n_seeds=1)


@pytest.fixture(scope="module")
def region():
    return load_region(None)


@pytest.fixture(scope="module")
def baseline():
    return sf.load_scenario("baseline")


def test_neutral_levers_add_nothing(region, baseline):
    scen = sf.apply_levers(baseline, sf.FormLevers(), region, name="same")
    for group in sf.GROUPS:
        assert scen[group] == baseline[group]


def test_levers_become_interventions_and_keep_the_ready_made_ones(region):
    start = sf.load_scenario("safety_programme")
    lev = sf.FormLevers(
        trust_increase=0.2,
        trust_places=["Bjuv"],
        construction_multiplier=1.5,
        link_from="helsingborg",
        link_to="hittarp",
        link_year=2028,
    )
    scen = sf.apply_levers(start, lev, region, name="mine")
    assert scen["safety_programmes"] == start["safety_programmes"]
    assert scen["trust_programmes"]["explorer_trust"]["places"] == ["Bjuv"]
    assert scen["housing_policies"]["explorer_housing"]["construction_multiplier"] == 1.5
    link = scen["link_edits"]["explorer_link"]
    assert (link["op"], link["from_node"], link["to_node"], link["start_year"]) == (
        "add",
        "helsingborg",
        "hittarp",
        2028,
    )
    # applying again replaces the form's interventions instead of adding a second set
    again = sf.apply_levers(scen, sf.FormLevers(), region, name="mine")
    assert again["link_edits"] == start["link_edits"]
    assert again["housing_policies"] == {}


def test_frequency_change_edits_every_link_of_the_line_in_service(region, baseline):
    line = region.links["line"].iloc[0]
    lev = sf.FormLevers(freq_line=line, freq_departures=6.0, freq_year=2030)
    scen = sf.apply_levers(baseline, lev, region, name="freq")
    edits = scen["link_edits"]
    from fh_sim.region.load import active_mask

    links = region.links[(region.links["line"] == line) & active_mask(region.links, 2030)]
    pairs = set(zip(links["from_node"], links["to_node"], strict=True))
    assert {(e["from_node"], e["to_node"]) for e in edits.values()} == pairs
    assert all(e["op"] == "change" and e["departures_per_hour"] == 6.0 for e in edits.values())
    sim = build_config(scen, SPEC, region)  # a valid scenario
    assert len(sim.scenario.link_edits) == len(pairs)


@pytest.mark.parametrize(
    ("start", "lev", "expected"),
    [
        ("baseline", sf.FormLevers(tenure_mix=(0.9, 0.3, 0.2)), "sum to 1"),
        (
            "growth_first",
            sf.FormLevers(construction_multiplier=1.5),
            "one housing policy per place",
        ),
        (
            "baseline",
            sf.FormLevers(safety_reduction=0.2, safety_places=["atlantis"]),
            "unknown place 'atlantis'",
        ),
        (
            "baseline",
            sf.FormLevers(link_from="helsingborg", link_to="helsingborg"),
            "from_node and to_node are the same",
        ),
    ],
)
def test_invalid_combinations_get_the_messages_of_the_cli(region, tmp_path, start, lev, expected):
    scen = sf.apply_levers(sf.load_scenario(start), lev, region, name="bad")
    with pytest.raises(FhSimError) as info:
        build_config(scen, SPEC, region)
    message = describe(info.value)
    assert expected in message
    conf = tmp_path / "conf"
    (conf / "scenario").mkdir(parents=True)
    (conf / "scenario" / "bad.yaml").write_text(sf.scenario_yaml(scen), encoding="utf-8")
    done = fh_sim(
        "run",
        "--config-dir",
        str(conf),
        "scenario=bad",
        "scale=0.01",
        "end_year=2021",
        outputs=tmp_path / "outputs",
    )
    assert done.returncode != 0
    assert message in done.stderr


def test_bad_scale_and_horizon_name_the_key(region, baseline):
    with pytest.raises(FhSimError, match="end_year"):
        build_config(baseline, RunSpec(scale=0.01, end_year=2010, n_seeds=1), region)
    with pytest.raises(FhSimError, match="seeds"):
        build_config(baseline, RunSpec(scale=0.01, end_year=2021, n_seeds=0), region)


def test_saved_scenario_loads_back_and_runs_from_the_cli(region, tmp_path: Path):
    lev = sf.FormLevers(
        safety_reduction=0.3,
        safety_places=["Bjuv"],
        queue_priority=True,
        tenure_mix=(0.5, 0.3, 0.2),
        link_from="viken",
        link_to="hoganas",
        link_mode="bus",
        link_minutes=9,
        link_departures=4,
        link_year=2027,
    )
    scen = sf.apply_levers(sf.load_scenario("higher_trust"), lev, region, name="saved_one")
    path = sf.save_scenario(scen, tmp_path / "conf")
    assert path == tmp_path / "conf" / "scenario" / "saved_one.yaml"
    back = sf.load_scenario_file(path)
    assert back == scen
    rest, lev_back = sf.split_levers(back)  # the form reopens with the same levers
    assert lev_back.tenure_mix == (0.5, 0.3, 0.2) and lev_back.link_to == "hoganas"
    assert (
        sf.apply_levers(rest, lev_back, region, name="saved_one", description=scen["description"])
        == scen
    )
    done = fh_sim(
        "run",
        "--config-dir",
        str(tmp_path / "conf"),
        "scenario=saved_one",
        "scale=0.01",
        "end_year=2021",
        outputs=tmp_path / "outputs",
    )
    assert done.returncode == 0, done.stderr
    manifests = list((tmp_path / "outputs").rglob("manifest.json"))
    assert len(manifests) == 1 and '"scenario": "saved_one"' in manifests[0].read_text()


def test_save_refuses_ready_made_names_and_bad_names(region, baseline, tmp_path):
    with pytest.raises(FhSimError, match="ready-made"):
        sf.save_scenario({**baseline, "name": "safety_programme"}, tmp_path)
    with pytest.raises(FhSimError, match="scenario name"):
        sf.apply_levers(baseline, sf.FormLevers(), region, name="Bad Name")
    assert not (tmp_path / "scenario").exists()
