"""Unknown keys anywhere in the config stop the run, naming the key and the nearest names."""

from __future__ import annotations

import pytest

from cli_helpers import compose_config, fh_sim, run_dirs
from fh_sim.config import SimConfig
from fh_sim.errors import ConfigError
from fh_sim.plugins import build_pipeline
from fh_sim.runs.runner import to_sim_config


@pytest.mark.parametrize(
    "override, key, nearest",
    [
        ("+scal=0.1", "scal", "scale"),
        ("+rulez.x=1", "rulez", "rules"),
        ("+rules.utilty.coast.coef=1", "rules.utilty", "utility"),
        ("+rules.choice.n_sample=4", "rules.choice.n_sample", "n_sampled"),
        ("+assumptions.zones.trustt=0.5", "assumptions.zones.trustt", "trust"),
        ("+assumptions.housing.price_flor=0.1", "assumptions.housing.price_flor", "price_floor"),
        ("+region.wait_cap=3", "region.wait_cap", "wait_cap_min"),
        (
            "+scenario.safety_programmes.safety.crime_reductio=0.1",
            "scenario.safety_programmes.safety.crime_reductio",
            "crime_reduction",
        ),
    ],
)
def test_unknown_key_is_named_with_the_nearest_valid_names(override, key, nearest):
    with pytest.raises(ConfigError) as err:
        to_sim_config(compose_config(["scenario=safety_programme", override]))
    msg = str(err.value)
    assert msg.startswith(f"config key '{key}': unknown key;"), msg
    assert f"nearest valid: {nearest}" in msg and "\n" not in msg


def test_known_keys_pass():
    cfg = to_sim_config(compose_config(["scale=0.5", "++rules.utility.commute.coef=-3"]))
    assert isinstance(cfg, SimConfig) and cfg.rules.utility["commute"]["coef"] == -3


@pytest.mark.parametrize(
    "override, says",
    [
        ("+rules.utility.comute={}", "unknown rule 'comute' (nearest valid: commute)"),
        (
            "+rules.utility.commute.coeff=1",
            "unknown parameter(s) ['coeff'] for rule 'commute'; nearest valid: coef",
        ),
    ],
)
def test_unknown_rule_or_parameter_names_the_nearest(override, says):
    cfg = to_sim_config(compose_config([override]))
    with pytest.raises(ConfigError) as err:
        build_pipeline(cfg)
    assert says in str(err.value)


def test_cli_refuses_a_top_level_typo_before_the_run(tmp_path):
    outputs = tmp_path / "outputs"
    res = fh_sim("run", "scale=0.01", "end_year=2020", "+scal=0.1", outputs=outputs)
    lines = [ln for ln in res.stderr.splitlines() if ln.startswith("fh-sim run: error:")]
    assert res.returncode == 2
    assert lines == [
        "fh-sim run: error: config key 'scal': unknown key; nearest valid: scale, scenario"
    ]
    assert not any((d / "outcomes.parquet").exists() for d in run_dirs(outputs))
