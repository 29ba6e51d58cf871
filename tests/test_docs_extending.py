"""docs/extending.md runs as written: its code blocks are extracted and run here.

* The Python blocks that start with ``# my_lab.py`` form one plugin file; it is loaded
  and a model runs with all its rules, its zone attribute, metric and lever kind.
* Other Python blocks run as scripts from the repository root.
* Every ``fh-sim run`` / ``fh-sim sweep`` command is composed with Hydra as typed (for a
  sweep: the first value of each list), and its model is built and stepped two years.
* YAML blocks match the example files they show; the CSV block's values are true.
* The coefficient table matches the built-in defaults.
"""

from __future__ import annotations

import dataclasses
import re
import shlex
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from hydra import compose, initialize_config_dir

from fh_sim import plugins
from fh_sim.cli.run_cmd import VERSION_BASE, conf_dir, register_hydra_nodes
from fh_sim.config import RulesConfig, ScenarioConfig, SimConfig
from fh_sim.region.load import embedded_data_dir, load_region
from fh_sim.rules import REGISTRY
from fh_sim.rules.zone_table import USER_FILE
from fh_sim.runs.runner import to_sim_config
from fh_sim.sim.model import HousingModel

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "extending.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```(\w+)\n(.*?)^```", GUIDE, flags=re.S | re.M)


def _blocks(lang: str) -> list[str]:
    return [body for kind, body in BLOCKS if kind == lang]


def _my_lab() -> str:
    return "\n\n".join(b for b in _blocks("python") if b.startswith("# my_lab.py"))


def _haversine(lat1, lon1, lat2, lon2):
    p1, p2, dl = np.radians(lat1), np.radians(lat2), np.radians(lon2 - lon1)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(a))


@pytest.fixture
def lab(tmp_path, monkeypatch):
    """A working folder with my_lab.py and my_region (a data copy with the user file)."""
    (tmp_path / "my_lab.py").write_text(_my_lab(), encoding="utf-8")
    data = tmp_path / "my_region"
    shutil.copytree(embedded_data_dir(), data)
    z = load_region(data).zones
    km = _haversine(z.lat, z.lon, z.lat["helsingborg"], z.lon["helsingborg"])
    pd.DataFrame(
        {
            "zone_id": z.index,
            "attribute": "km_to_helsingborg",
            "value": np.round(km.to_numpy(), 1),
            "unit": "km",
            "status": "derived",
            "source": "great-circle distance from zones.csv coordinates",
        }
    ).to_csv(data / USER_FILE, index=False)
    for name in ("examples",):
        (tmp_path / name).symlink_to(ROOT / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_guide_has_the_blocks_it_promises():
    kinds = [k for k, _ in BLOCKS]
    assert kinds.count("python") >= 6 and "bash" in kinds and "yaml" in kinds
    assert "import numpy as np" in _my_lab()


def test_my_lab_loads_and_runs_with_every_hook(lab):
    reg = plugins.registry_with_builtins()
    plugins.load_plugins([str(lab / "my_lab.py")], reg)
    assert {"green_space", "station_proximity"} <= set(reg.names("utility"))
    assert "green_deficit" in reg.names("relocation")
    assert set(reg.hooks("zone_attribute")) == {"station_km"}
    assert set(reg.hooks("metric")) == {"km_to_station"}
    assert set(reg.hooks("lever")) == {"station_shuttle"}
    (scenario_yaml,) = [b for b in _blocks("yaml") if "levers:" in b]
    levers = yaml.safe_load(scenario_yaml)["levers"]
    rules = RulesConfig()
    rules.utility = {**rules.utility, "green_space": {}, "station_proximity": {}}
    rules.relocation = {**rules.relocation, "green_deficit": {}}
    cfg = SimConfig(
        scale=0.01,
        end_year=2026,
        plugins=[str(lab / "my_lab.py")],
        rules=rules,
        scenario=ScenarioConfig(name="shuttle", levers=levers),
    )
    m = HousingModel(cfg, registry=reg)
    out = m.run()
    assert set(out[out.metric == "km_to_station"].level) == {
        "zone",
        "municipality",
        "region",
        "segment",
    }
    served = np.asarray(m.zones.info.municipality) == "Höganäs"
    np.testing.assert_array_equal(m.levers["station_shuttle"], np.where(served, 0.5, 1.0))


def test_other_python_blocks_run_from_the_repository_root(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    scripts = [b for b in _blocks("python") if not b.startswith("# my_lab.py")]
    assert scripts
    for code in scripts:
        exec(compile(code, "docs/extending.md", "exec"), {"__name__": "__docs__"})
    printed = capsys.readouterr().out
    assert "commute" in printed and "station" not in printed


def _commands() -> list[list[str]]:
    out = []
    for block in _blocks("bash"):
        for cmd in block.replace("\\\n", " ").splitlines():
            words = shlex.split(cmd, comments=True)
            if words[:2] in (["fh-sim", "run"], ["fh-sim", "sweep"]):
                out.append(words[1:])
    return out


def _compose(args: list[str]):
    config_dir, overrides = None, []
    it = iter(args)
    for a in it:
        if a == "--config-dir":
            config_dir = str(Path(next(it)).resolve())
        else:
            overrides.append(a)
    register_hydra_nodes()
    extra = [f"hydra.searchpath=[file://{config_dir}]"] if config_dir else []
    with initialize_config_dir(config_dir=str(conf_dir()), version_base=VERSION_BASE):
        return compose("config", overrides=[*extra, *overrides])


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c)[:60])
def test_every_command_composes_builds_and_steps(command, lab):
    verb, *args = command
    if verb == "sweep":  # one job of the sweep: the first value of every list
        args = [
            a if a.startswith("-") or "[" in a else re.sub(r"=([^,]*),.*", r"=\1", a) for a in args
        ]
    args = [a.replace("scale=0.05", "scale=0.01") for a in args]
    cfg = to_sim_config(_compose(args))
    m = HousingModel(cfg, registry=plugins.registry_with_builtins())
    m.step()
    m.step()
    assert m.year == cfg.region.base_year + 2


def test_yaml_blocks_match_the_example_files():
    (experiment,) = [b for b in _blocks("yaml") if b.startswith("# @package _global_")]
    shipped = ROOT / "examples" / "plugins" / "conf" / "experiment" / "green_space.yaml"
    assert yaml.safe_load(experiment) == yaml.safe_load(shipped.read_text(encoding="utf-8"))


def test_csv_block_values_are_what_its_source_says():
    (csv,) = [b for b in _blocks("text") if b.startswith("zone_id,attribute")]
    rows = [line.split(",") for line in csv.strip().splitlines()[1:]]
    z = load_region().zones
    for zone_id, _, value, *_ in rows:
        km = _haversine(z.lat[zone_id], z.lon[zone_id], z.lat["helsingborg"], z.lon["helsingborg"])
        assert float(value) == pytest.approx(round(float(km), 1))


def test_coefficient_table_matches_the_built_in_defaults():
    rows = re.findall(r"^\| (\w+) \| (-?[\d.]+|\(none\)) \|", GUIDE, flags=re.M)
    table = {name: coef for name, coef in rows if name in REGISTRY.names("utility")}
    assert set(table) == set(REGISTRY.names("utility"))
    for name, coef in table.items():
        params = REGISTRY.get("utility", name).params()
        fields = {f.name for f in dataclasses.fields(params)}
        if coef == "(none)":
            assert "coef" not in fields
        else:
            assert float(coef) == params.coef, name


def test_every_context_field_is_in_the_guide():
    from fh_sim.rules.zone_table import AMENITIES, SHIPPED, STATE
    from fh_sim.scenarios.levers import YearLevers
    from fh_sim.sim.state import Dwellings, Households, Pairs, StepContext

    named = {
        "ctx": [f.name for f in dataclasses.fields(StepContext)],
        "households": [f.name for f in dataclasses.fields(Households)],
        "dwellings": [f.name for f in dataclasses.fields(Dwellings)],
        "pairs": [f.name for f in dataclasses.fields(Pairs) if f.name != "cell"],
        "levers": [f.name for f in dataclasses.fields(YearLevers) if f.name != "year"],
        "zones": [*STATE, *SHIPPED, *AMENITIES],
    }
    forms = ("`{}`", "ctx.{}`", ".{}`", "`ctx.{}.", "`ctx.{}[")
    missing = {
        k: [n for n in v if not any(f.format(n) in GUIDE for f in forms)] for k, v in named.items()
    }
    assert not any(missing.values()), missing


def test_seed_and_replicate_are_explained_as_the_model_uses_them():
    model_src = (ROOT / "src" / "fh_sim" / "sim" / "model.py").read_text(encoding="utf-8")
    assert "SeedSequence(cfg.seed, spawn_key=(cfg.replicate,))" in model_src
    assert "SeedSequence(seed, spawn_key=(replicate,))" in GUIDE
    assert "**`seed` and `replicate`.**" in GUIDE
