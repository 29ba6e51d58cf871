"""Plots draw the summary numbers they are given, titled and labelled with units."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from compare_synthetic import MUNICIPALITIES, write_sweep
from fh_sim.analysis import (
    add_cumulative,
    collect,
    difference_summary,
    labels,
    pair_seeds,
    plots,
    summarise,
)


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    root: Path = tmp_path_factory.mktemp("sweep")
    write_sweep(root, scenarios={"baseline": [0, 1, 2], "transit": [0, 1, 2], "housing": [0, 1]})
    coll = collect([root])
    table = add_cumulative(coll.table, labels.CUMULATIVE)
    pairing = pair_seeds(coll.runs, baseline="baseline")
    return summarise(table), difference_summary(table, pairing)


def test_population_per_municipality_lines_are_means(tables) -> None:
    levels, _ = tables
    fig = plots.time_series(levels, metric="population", level="municipality", baseline="baseline")
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert sorted(ax.get_title() for ax in axes) == sorted(MUNICIPALITIES)
    assert "Population per municipality" in fig.get_suptitle()
    for ax in axes:
        assert ax.get_ylabel() == "persons"
        lines = {ln.get_label(): ln for ln in ax.get_lines()}
        assert set(lines) == {"baseline", "transit", "housing"}
        sel = levels[
            (levels.metric == "population")
            & (levels.unit == ax.get_title())
            & (levels.scenario == "transit")
        ].sort_values("year")
        np.testing.assert_allclose(lines["transit"].get_ydata(), sel["mean"])
        assert len(ax.collections) == 3  # one band per scenario


def test_difference_chart_points_and_intervals(tables) -> None:
    _, diffs = tables
    fig = plots.difference_at_horizon(diffs, year=2022, metrics=["population", "displaced"])
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in axes] == ["Population", "Displaced households"]
    assert axes[0].get_xlabel() == "Change in population (persons)"
    assert "Scenario minus baseline in 2022" in fig.get_suptitle()
    assert "common seeds: housing 2, transit 3" in fig.get_suptitle()
    row = diffs[
        (diffs.scenario == "transit")
        & (diffs.year == 2022)
        & (diffs.level == "region")
        & (diffs.metric == "population")
    ].iloc[0]
    xs = [ln.get_xdata()[0] for ln in axes[0].get_lines() if len(ln.get_xdata()) == 1]
    assert any(np.isclose(x, row["mean"]) for x in xs)


def test_tradeoff_segments_and_indicators_are_labelled(tables) -> None:
    levels, diffs = tables
    figs = [
        plots.tradeoff(diffs, year=2022),
        plots.segments(diffs, year=2022),
        plots.indicators_over_time(levels, baseline="baseline"),
    ]
    for fig in figs:
        assert fig.get_suptitle()
        for ax in (a for a in fig.axes if a.get_visible() and a.get_label() != "<colorbar>"):
            assert ax.get_title() and ax.get_xlabel()
    trade = [a for a in figs[0].axes if a.get_visible()]
    assert [a.get_title().replace("\n", " ") for a in trade] == [
        "Base-year resident households still in the region",
        "Displaced households since the base year",
        "Housing cost share of income",
    ]
    assert trade[0].get_xlabel() == "Change in population (persons)"
    seg_ax = figs[1].axes[0]
    assert [t.get_text() for t in seg_ax.get_xticklabels()] == ["young low", "family high"]
    seg_values = seg_ax.get_images()[0].get_array()
    row = diffs[
        (diffs.scenario == "transit")
        & (diffs.level == "segment")
        & (diffs.unit == "family_high")
        & (diffs.metric == "population")
        & (diffs.year == 2022)
    ]
    assert seg_values[0, 1] == pytest.approx(row["mean"].iloc[0])  # rows: transit, housing


def test_missing_outcomes_give_a_readable_placeholder(tables) -> None:
    levels, diffs = tables
    fig = plots.time_series(levels, metric="no_such_metric", level="municipality")
    assert "No municipality-level 'no_such_metric'" in fig.axes[0].texts[0].get_text()
    empty = plots.difference_at_horizon(diffs.iloc[0:0], year=2022)
    assert "No scenario shares a seed" in empty.axes[0].texts[0].get_text()


def test_zone_changes_are_mean_differences_per_zone(tables) -> None:
    from fh_sim.analysis.maps import zone_changes

    _, diffs = tables
    changes = zone_changes(diffs, metric="population", year=2022)
    assert set(changes) == {"transit", "housing"}
    assert sorted(changes["transit"].index) == ["helsingborg", "klippan"]
    row = diffs[
        (diffs.scenario == "housing")
        & (diffs.level == "zone")
        & (diffs.unit == "klippan")
        & (diffs.metric == "population")
        & (diffs.year == 2022)
    ]
    assert changes["housing"]["klippan"] == row["mean"].iloc[0]
    assert zone_changes(diffs, metric="population", year=1990) == {}


def test_change_maps_on_the_embedded_region() -> None:
    import pandas as pd

    from fh_sim.analysis.maps import change_maps
    from fh_sim.region import load_region

    region = load_region()
    zones = list(region.zones.index)
    rows = [("transit", z, float(i % 5 - 2)) for i, z in enumerate(zones)]
    rows += [("brand", z, 0.0) for z in zones]
    diffs = pd.DataFrame(rows, columns=["scenario", "unit", "mean"]).assign(
        year=2030, level="zone", metric="accessibility", n=2
    )
    fig = change_maps(region, diffs, metric="accessibility", year=2030)
    maps = [a for a in fig.axes if a.get_visible() and a.get_label() != "<colorbar>"]
    assert [a.get_title() for a in maps] == ["transit minus baseline"]
    assert "no change in any zone: brand" in fig.get_suptitle()
    coloured = [
        c
        for c in maps[0].collections
        if c.get_array() is not None and c.get_array().shape == (len(zones),)
    ]
    assert len(coloured) == 1
    assert coloured[0].get_clim() == (-2.0, 2.0)  # centred on zero
    assert change_maps(region, diffs, metric="population", year=2030) is None


def test_change_maps_share_one_scale_and_draw_the_new_links() -> None:
    import pandas as pd

    from fh_sim.analysis.maps import NEW_COLOR, change_maps
    from fh_sim.region import load_region

    region = load_region()
    zones = list(region.zones.index)
    rows = [("rail", z, 1.0 if z == "hoganas" else 0.0) for z in zones]
    rows += [("bus", z, -8.0 if z == "orkelljunga" else 0.5) for z in zones]
    diffs = pd.DataFrame(rows, columns=["scenario", "unit", "mean"]).assign(
        year=2040, level="zone", metric="population", n=5
    )
    edit = {"op": "add", "from_node": "viken", "to_node": "hoganas", "start_year": 2035}
    fig = change_maps(
        region, diffs, metric="population", year=2040, edits={"rail": {"e": edit}}, lang="sv"
    )
    maps = [a for a in fig.axes if a.get_visible() and a.get_label() != "<colorbar>"]
    clims = {
        c.get_clim()
        for a in maps
        for c in a.collections
        if c.get_array() is not None and c.get_array().shape == (len(zones),)
    }
    assert clims == {(-8.0, 8.0)}  # one scale across the panels
    thick = [ln for ln in maps[0].get_lines() if ln.get_linewidth() > 3]
    assert len(thick) == 1 and thick[0].get_color() == NEW_COLOR
    assert not [ln for ln in maps[1].get_lines() if ln.get_linewidth() > 3]
    names = {t.get_text() for t in maps[0].texts}
    assert {"Höganäs", "Helsingborg", "Örkelljunga"} <= names  # municipality names
    assert "förändring per zon" in fig.get_suptitle()


def test_segments_bold_only_with_five_paired_seeds(tables) -> None:
    _, diffs = tables  # three paired seeds and clear effects
    fig = plots.segments(diffs, year=2022)
    assert not [t for ax in fig.axes for t in ax.texts if t.get_fontweight() == "bold"]
    fig5 = plots.segments(diffs.assign(n=5), year=2022)
    assert [t for ax in fig5.axes for t in ax.texts if t.get_fontweight() == "bold"]


def test_scenario_colours_are_stable_and_colour_blind_safe() -> None:
    names = ["transit_hoganas_rail", "package_transit", "my_variant [start_year=2027]"]
    first = plots.scenario_colors(["baseline", *names], baseline="baseline")
    again = plots.scenario_colors([*reversed(names), "baseline"], baseline="baseline")
    assert first == again
    assert first["baseline"] == plots.BASELINE_COLOR
    assert len(set(first.values())) == len(first)
    assert set(first.values()) - {plots.BASELINE_COLOR} <= set(plots.PALETTE)
    transit = [n for n in plots.CATALOGUE_ORDER if "transit" in n]
    assert len({plots.scenario_colors(transit)[n] for n in transit}) == len(transit)
