"""The explorer's runner: parallel seeds, the cache, paired differences, the map's values."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from fh_sim.explore import scenario_form as sf
from fh_sim.explore import views
from fh_sim.explore.runs import Runner, RunSpec, build_config, open_folder, run_comparison
from fh_sim.region import load_region
from fh_sim.sim.model import HousingModel

SPEC = RunSpec(scale=0.01, end_year=2022, n_seeds=2, seed=7)


@pytest.fixture(scope="module")
def region():
    return load_region(None)


@pytest.fixture(scope="module")
def runner():
    r = Runner(workers=2)
    yield r
    r.close()


@pytest.fixture(scope="module")
def safety(region, runner):
    lev = sf.FormLevers(
        safety_reduction=0.5, safety_places=["Bjuv", "Åstorp"], start_year=2020, safety_years=1
    )
    scen = sf.apply_levers(sf.load_scenario("baseline"), lev, region, name="safer")
    return run_comparison(runner, scen, SPEC, region)


def test_a_scenario_equal_to_the_baseline_is_read_from_the_cache_and_differs_by_zero(
    region, runner, safety
):
    same = sf.apply_levers(sf.load_scenario("baseline"), sf.FormLevers(), region, name="same")
    out = run_comparison(runner, same, SPEC, region)
    assert out.runs_done == 0 and out.runs_cached == 2 * SPEC.n_seeds
    assert len(out.diffs) > 0
    assert (out.diffs["n"] == SPEC.n_seeds).all()
    assert np.allclose(out.diffs[["mean", "q05", "q95"]].to_numpy(float), 0.0)


def test_the_baseline_runs_once_per_spec(safety):
    assert safety.runs_done == 2 * SPEC.n_seeds  # first comparison: scenario and baseline


def test_parallel_runs_equal_a_run_in_this_process(region, runner, safety):
    sim = build_config(sf.load_scenario("baseline"), SPEC, region)
    sim = dataclasses.replace(sim, replicate=1)
    here = HousingModel(sim, region=region).run()
    cached = runner.cached(sim)
    assert cached is not None
    pd.testing.assert_frame_equal(here, cached)


def test_safety_programme_raises_safety_where_it_runs(region, safety):
    mean, low, high = views.zone_change(
        safety.diffs, scenario="safer", metric="safety", year=SPEC.end_year
    )
    muni = region.zones["municipality"]
    targeted = muni[muni.isin(["Bjuv", "Åstorp"])].index
    others = muni[~muni.isin(["Bjuv", "Åstorp"])].index
    assert (mean[targeted] > 0).all()
    # at 1 % of households a village zone holds a few households, so a single one moving
    # can shift its safety; the map must still single out the programme's zones
    assert mean[targeted].mean() > 5 * mean[others].abs().mean()
    assert (mean[others].abs() < mean[targeted].min()).mean() >= 0.95
    assert ((low <= mean + 1e-12) & (mean <= high + 1e-12)).all()


def test_difference_table_holds_means_inside_their_intervals(safety):
    table = views.difference_table(safety, scenario="safer", year=SPEC.end_year, lang="sv")
    assert "population" in set(table["metric"])
    assert (table["n_pairs"] == SPEC.n_seeds).all()
    ok = table.dropna(subset=["difference"])
    assert ((ok["q05"] <= ok["difference"] + 1e-9) & (ok["difference"] <= ok["q95"] + 1e-9)).all()
    np.testing.assert_allclose(ok["scenario"] - ok["baseline"], ok["difference"], atol=1e-6)
    html = views.table_html(table, "sv")
    assert html.count("<tr title=") == len(table) and "Befolkning" in html


def test_map_draws_every_zone_and_marks_the_new_link(region, safety):
    edits = {
        "x": {
            "op": "add",
            "from_node": "viken",
            "to_node": "hoganas",
            "mode": "bus",
            "line": "x",
            "minutes": 9.0,
            "departures_per_hour": 4.0,
            "start_year": 2021,
        }
    }
    links = views.network_links(region, 2022, edits)
    assert int(links["edited"].sum()) == 1
    assert int(views.network_links(region, 2020, edits)["edited"].sum()) == 0
    mean, low, high = views.zone_change(safety.diffs, scenario="safer", metric="safety", year=2022)
    svg = views.region_svg(
        region, mean, title="t", value_label="v", links=links, low=low, high=high
    )
    assert svg.count('class="zone"') == region.n_zones
    assert svg.count('class="link edited"') == 1


def test_open_folder_compares_a_finished_sweep(tmp_path):
    from cli_helpers import fh_sim

    done = fh_sim(
        "sweep",
        "scenario=baseline,safety_programme",
        "replicate=0,1",
        "scale=0.01",
        "end_year=2021",
        f"hydra.sweep.dir={tmp_path / 'sweep'}",
        outputs=tmp_path / "outputs",
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    out = open_folder(tmp_path / "sweep")
    assert out.scenarios == ["safety_programme"] and out.year == 2021
    assert set(out.diffs["n"]) == {2}
