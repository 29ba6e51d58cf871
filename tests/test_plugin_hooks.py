"""The worked example examples/plugins/station_access.py: a zone attribute, a utility term
that reads it, a lever kind and an outcome metric, all from one file outside fh_sim."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cli_helpers import fh_sim, run_dirs
from fh_sim import plugins
from fh_sim.config import RulesConfig, ScenarioConfig, SimConfig
from fh_sim.errors import ConfigError, DataError, PluginError
from fh_sim.region import load_region
from fh_sim.region.load import embedded_data_dir
from fh_sim.rules.zone_table import USER_FILE
from fh_sim.sim.model import HousingModel

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = str(ROOT / "examples" / "plugins" / "station_access.py")
SHUTTLE = {
    "station_shuttle": {
        "north": {"places": ["Höganäs", "Örkelljunga"], "cut_share": 0.5, "start_year": 2021}
    }
}


def _model(*, levers=None, seed=0, end_year=2021, scale=0.02, region=None, extra=None):
    rules = RulesConfig()
    rules.utility = {**rules.utility, "station_proximity": extra or {"coef": -0.2}}
    cfg = SimConfig(
        seed=seed,
        scale=scale,
        end_year=end_year,
        plugins=[EXAMPLE],
        rules=rules,
        scenario=ScenarioConfig(name="s", levers=levers or {}),
    )
    return HousingModel(cfg, registry=plugins.registry_with_builtins(), region=region)


def _haversine(lat1, lon1, lat2, lon2):
    p1, p2, dl = np.radians(lat1), np.radians(lat2), np.radians(lon2 - lon1)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(a))


def test_zone_context_names_zones_and_reads_attributes_by_name():
    m = _model()
    z = m.zones
    info = z.info
    region = m.region
    assert list(info.ids) == list(region.zones.index)
    assert list(info.names) == list(region.zones["name"])
    assert list(info.municipality) == list(region.zones["municipality"])
    assert list(info.municipalities) == list(region.municipalities.index)
    np.testing.assert_array_equal(info.lat, region.zones["lat"].to_numpy(float))
    np.testing.assert_array_equal(z["amenity_coast"], region.zones["amenity_coast"])
    np.testing.assert_array_equal(info.coast, region.zones["amenity_coast"] >= 1.0)
    np.testing.assert_array_equal(z["crime_index"], z.crime_index)  # state, read live
    assert info.units["station_km"] == "km" and info.units["amenity_nature"] == "index_0_1"
    with pytest.raises(KeyError, match="nearest valid: station_km"):
        z["station_kms"]


def test_every_shipped_zone_attribute_is_readable_by_name_with_its_unit():
    from fh_sim.region.schema import ZONE_ATTRIBUTE_UNITS
    from fh_sim.rules.zone_table import RENAMED

    m = _model()
    zt = m.region.zones
    for column, (unit, _, _) in ZONE_ATTRIBUTE_UNITS.items():
        if column not in zt.columns:
            continue
        name = RENAMED.get(column, column)
        values = m.zones.info[name] if name != "crime_base" else m.zones["crime_base"]
        if name not in (
            "amenity_coast",
            "amenity_nature",
            "amenity_services",
            "jobs",
            "crime_base",
        ):
            np.testing.assert_array_equal(values, zt[column].to_numpy(float))
            assert m.zones.info.units[name] == unit, name


def test_station_km_is_the_great_circle_distance_to_the_nearest_station():
    m = _model()
    zt = m.region.zones
    km = m.zones["station_km"]
    has = zt["has_station"].to_numpy(bool)
    assert np.all(km[has] == 0.0) and np.all(km[~has] > 0.0)
    i = int(np.argmax(km))
    lat, lon = zt["lat"].to_numpy(float), zt["lon"].to_numpy(float)
    expected = _haversine(lat[i], lon[i], lat[has], lon[has]).min()
    assert km[i] == pytest.approx(expected, rel=1e-12)
    assert 5.0 < km.max() < 60.0  # a region about 60 km across


def test_lever_is_neutral_before_start_and_cuts_distance_in_places_after():
    m = _model(levers=SHUTTLE)
    served = np.isin(np.asarray(m.zones.info.municipality), ["Höganäs", "Örkelljunga"])
    np.testing.assert_array_equal(m.levers["station_shuttle"], 1.0)  # 2019: not yet
    m.step()  # 2020
    np.testing.assert_array_equal(m.levers["station_shuttle"], 1.0)
    m.step()  # 2021
    np.testing.assert_array_equal(m.levers["station_shuttle"], np.where(served, 0.5, 1.0))


def test_two_interventions_of_one_kind_add_their_changes():
    zones = load_region().zones
    first = str(zones.index[zones["municipality"] == "Höganäs"][0])  # one zone of Höganäs
    both = {
        "station_shuttle": {
            "a": {"places": ["Höganäs"], "cut_share": 0.25, "start_year": 2020},
            "b": {"places": [first], "cut_share": 0.25, "start_year": 2020},
        }
    }
    m = _model(levers=both, end_year=2020)
    m.step()
    info = m.zones.info
    in_hoganas = np.asarray(info.municipality) == "Höganäs"
    one = np.asarray(info.ids) == first
    np.testing.assert_allclose(m.levers["station_shuttle"][one], 0.5)
    np.testing.assert_allclose(m.levers["station_shuttle"][in_hoganas & ~one], 0.75)
    np.testing.assert_allclose(m.levers["station_shuttle"][~in_hoganas], 1.0)


@pytest.mark.parametrize(
    "levers, key, says",
    [
        ({"station_shutle": {"x": {}}}, "scenario.levers.station_shutle", "station_shuttle"),
        (
            {"station_shuttle": {"x": {"cut_shar": 0.5}}},
            "station_shuttle.x.cut_shar",
            "nearest valid: cut_share",
        ),
        ({"station_shuttle": {"x": {"cut_share": "half"}}}, "x.cut_share", "expected a number"),
        ({"station_shuttle": {"x": {"cut_share": 1.5}}}, "x.cut_share", "[0, 1]"),
        ({"station_shuttle": {"x": {"places": ["Hoganas"]}}}, "x.places", "Höganäs"),
    ],
)
def test_lever_parameters_are_typed_and_checked_when_the_model_is_built(levers, key, says):
    with pytest.raises(ConfigError) as err:
        _model(levers=levers)
    assert key in str(err.value) and says in str(err.value)


def test_metric_lands_at_every_level_and_levels_agree():
    m = _model(levers=SHUTTLE)
    m.run()
    out = m.outcomes()
    km = out[out.metric == "km_to_station"]
    assert set(km.level) == {"zone", "municipality", "region", "segment"}
    assert sorted(km.year.unique()) == [2019, 2020, 2021]
    last = km[km.year == 2021]
    hh = out[(out.metric == "households") & (out.year == 2021)]
    # the household mean at the region = the household-weighted mean of zone means
    z = last[last.level == "zone"].set_index("unit").value
    n = hh[hh.level == "zone"].set_index("unit").value
    region = last[last.level == "region"].value.iloc[0]
    assert region == pytest.approx(float((z * n).sum() / n.sum()), rel=1e-9)
    seg = last[last.level == "segment"].set_index("unit").value
    n_seg = hh[hh.level == "segment"].set_index("unit").value
    assert region == pytest.approx(float((seg * n_seg).sum() / n_seg.sum()), rel=1e-9)


def test_the_shuttle_lowers_the_distance_and_draws_households_to_the_served_zones():
    """Mechanism: the factor halves the distance in the served zones (the metric falls
    at once) and raises their utility, so more movers choose them: their households
    grow against the baseline (two seeds, same seed pairs)."""
    served_gain = []
    for seed in (1, 2):
        base = _model(seed=seed, end_year=2030, scale=0.05).run()
        shut = _model(levers=SHUTTLE, seed=seed, end_year=2030, scale=0.05).run()

        def at(t, metric, level, unit=None):
            r = t[(t.metric == metric) & (t.level == level) & (t.year == 2030)]
            return r.set_index("unit").value if unit is None else r.set_index("unit").value[unit]

        assert at(shut, "km_to_station", "region", "Familjen Helsingborg") < at(
            base, "km_to_station", "region", "Familjen Helsingborg"
        )
        gain = sum(
            at(shut, "households", "municipality", m) - at(base, "households", "municipality", m)
            for m in ("Höganäs", "Örkelljunga")
        )
        served_gain.append(gain)
    assert all(g > 0 for g in served_gain), served_gain


def test_zone_attribute_from_a_user_file_in_a_data_copy(tmp_path):
    data = tmp_path / "region"
    shutil.copytree(embedded_data_dir(), data)
    region = load_region(data)
    rows = [
        {
            "zone_id": z,
            "attribute": "km_to_helsingborg",
            "value": round(float(v), 3),
            "unit": "km",
            "status": "derived",
            "source": "great-circle from zones.csv",
        }
        for z, v in zip(
            region.zones.index,
            _haversine(
                region.zones.lat,
                region.zones.lon,
                region.zones.lat.iloc[0],
                region.zones.lon.iloc[0],
            ),
            strict=True,
        )
    ]
    pd.DataFrame(rows).to_csv(data / USER_FILE, index=False)
    m = _model(region=load_region(data))
    assert m.zones.info.units["km_to_helsingborg"] == "km"
    np.testing.assert_allclose(m.zones["km_to_helsingborg"], [r["value"] for r in rows])
    # one zone without a value: the file, and the zone, are named
    pd.DataFrame(rows[:-1]).to_csv(data / USER_FILE, index=False)
    with pytest.raises(DataError, match=f"{USER_FILE}.*has no value"):
        _model(region=load_region(data))
    bad = [dict(rows[0], zone_id="helsingbrog"), *rows[1:]]
    pd.DataFrame(bad).to_csv(data / USER_FILE, index=False)
    with pytest.raises(DataError, match="row 2, column 'zone_id'.*nearest valid: helsingborg"):
        _model(region=load_region(data))


def test_a_failing_or_misshapen_hook_is_reported_by_name(tmp_path):
    src = Path(EXAMPLE).read_text(encoding="utf-8")
    broken = tmp_path / "broken_hooks.py"
    broken.write_text(
        src.replace("return km.min(axis=1)", "return km.min(axis=0)"), encoding="utf-8"
    )
    with pytest.raises(PluginError, match="zone attribute 'station_km' returned"):
        HousingModel(
            replace(SimConfig(scale=0.01, end_year=2020), plugins=[str(broken)]),
            registry=plugins.registry_with_builtins(),
        )
    failing = tmp_path / "failing_metric.py"
    failing.write_text(
        src.replace(
            "return effective_km(ctx)[ctx.households.zone]",
            "raise RuntimeError('no data for ' + str(ctx.year))",
        ),
        encoding="utf-8",
    )
    with pytest.raises(
        PluginError, match=r"metric 'km_to_station' failed in 2019: RuntimeError: no data"
    ):
        HousingModel(
            replace(SimConfig(scale=0.01, end_year=2020), plugins=[str(failing)]),
            registry=plugins.registry_with_builtins(),
        )


@pytest.mark.slow
def test_sweep_and_compare_show_the_plugin_metric(tmp_path):
    """The guide's commands: a sweep of the example over two scenarios and two seeds, then
    `fh-sim compare`; the summary holds the plugin's metric with a paired difference."""
    outputs = tmp_path / "outputs"
    conf = ROOT / "examples" / "plugins" / "conf"
    sweep = fh_sim(
        "sweep",
        "--config-dir",
        str(conf),
        "experiment=station_access",
        f"plugins=[{EXAMPLE}]",
        "scenario=baseline,station_shuttle",
        "seed=1,2",
        "scale=0.02",
        "end_year=2026",
        outputs=outputs,
        timeout=300,
    )
    assert sweep.returncode == 0, sweep.stderr[-2000:]
    assert len(run_dirs(outputs)) == 4
    logs = sweep.stdout + sweep.stderr
    jobs = [ln for ln in logs.splitlines() if "active rules:" in ln]
    assert len(jobs) == 4 and all("station_proximity" in ln for ln in jobs)
    report = tmp_path / "report"
    cmp = fh_sim(
        "compare",
        str(outputs),
        "--out",
        str(report),
        "--no-map",
        "--metrics",
        "km_to_station",
        "population",
        outputs=outputs,
        timeout=300,
    )
    assert cmp.returncode == 0, cmp.stderr[-2000:]
    summary = pd.read_csv(report / "details.csv")  # region level, every outcome
    row = summary[(summary.metric == "km_to_station") & (summary.scenario == "station_shuttle")]
    assert len(row) == 1
    diff = [c for c in summary.columns if "diff" in c and "mean" in c]
    assert diff and float(row[diff[0]].iloc[0]) < 0, summary.columns.tolist()


def test_a_metric_drawing_global_randomness_is_caught(tmp_path):
    src = Path(EXAMPLE).read_text(encoding="utf-8")
    noisy = tmp_path / "noisy_metric.py"
    noisy.write_text(
        src.replace(
            "return effective_km(ctx)[ctx.households.zone]",
            "return effective_km(ctx)[ctx.households.zone] + np.random.random()",
        ),
        encoding="utf-8",
    )
    with pytest.raises(PluginError, match=r"metric 'km_to_station' drew from numpy's global"):
        HousingModel(
            replace(SimConfig(scale=0.01, end_year=2020), plugins=[str(noisy)]),
            registry=plugins.registry_with_builtins(),
        )


def test_a_lever_value_sweeps_like_any_key():
    """`scenario.levers.<kind>.<name>.<field>=...` from the command line, as in a sweep."""
    from fh_sim.runs.runner import to_sim_config
    from test_docs_extending import _compose  # the guide's own composition of a command

    conf = str(ROOT / "examples" / "plugins" / "conf")
    cfg = to_sim_config(
        _compose(
            [
                "--config-dir",
                conf,
                "experiment=station_access",
                f"plugins=[{EXAMPLE}]",
                "scenario=station_shuttle",
                "scale=0.01",
                "end_year=2025",
                "scenario.levers.station_shuttle.hoganas_orkelljunga.cut_share=0.25",
            ]
        )
    )
    m = HousingModel(cfg, registry=plugins.registry_with_builtins())
    m.run()
    served = np.isin(np.asarray(m.zones.info.municipality), ["Höganäs", "Örkelljunga"])
    np.testing.assert_allclose(m.levers["station_shuttle"], np.where(served, 0.75, 1.0))
