"""The whole model: base population, outcome table, determinism, invariants, golden run."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fh_sim.config import SimConfig
from fh_sim.errors import InvariantError
from fh_sim.outcomes.record import COMMON_METRICS, SEGMENT_METRICS, SEGREGATION_METRICS, Flows
from fh_sim.region import load_region
from fh_sim.sim import invariants
from fh_sim.sim.model import HousingModel

GOLDEN = Path(__file__).parent / "golden" / "core_small_run.json"
UPDATE = (
    os.environ.get("FH_SIM_UPDATE_GOLDEN") == "1"
)  # regenerate: FH_SIM_UPDATE_GOLDEN=1 pytest ...


@pytest.fixture(scope="module")
def region():
    return load_region()


@pytest.fixture(scope="module")
def full_scale(region):
    return HousingModel(SimConfig(seed=3, end_year=2020), region=region)


def test_base_population_matches_zone_totals(full_scale, region):
    hh = full_scale.households
    persons = np.bincount(hh.zone, weights=hh.size, minlength=region.n_zones)
    np.testing.assert_array_equal(persons, region.zones["population_2019"].to_numpy())
    assert persons.sum() == 359_821
    assert 160_000 < hh.n < 180_000
    assert 2.1 < hh.size.mean() < 2.25
    assert 0.35 < (hh.size == 1).mean() < 0.42
    assert hh.is_base_resident.all()


def test_base_dwellings_and_workplaces(full_scale, region):
    hh, d = full_scale.households, full_scale.dwellings
    np.testing.assert_array_equal(
        d.occupied,
        np.bincount(hh.zone * 3 + hh.dwelling_type, minlength=d.stock.size).reshape(-1, 3),
    )
    vacancy = 1 - d.occupied.sum() / d.stock.sum()
    assert 0.015 < vacancy < 0.03
    hbg = region.zones.index.get_loc("helsingborg")
    mix = d.occupied[hbg] / d.occupied[hbg].sum()
    stock_mix = region.zones.loc[
        "helsingborg", ["dwellings_rental", "dwellings_tenant_owned", "dwellings_house"]
    ].to_numpy(float)
    np.testing.assert_allclose(mix, stock_mix / stock_mix.sum(), atol=0.01)
    working_age = hh.age_head < 65
    employed = (hh.workplace >= 0)[working_age].mean()
    assert 0.74 < employed < 0.82 and (hh.workplace[~working_age] == -1).all()
    # the gravity rule keeps most workplaces in or near the home municipality
    assert (hh.workplace == hh.zone)[hh.workplace >= 0].mean() > 0.2


def test_small_scale_keeps_every_populated_zone(region):
    m = HousingModel(SimConfig(scale=0.001, end_year=2020), region=region)
    assert (np.bincount(m.households.zone, minlength=region.n_zones) >= 1).all()


@pytest.fixture(scope="module")
def small_run(region):
    m = HousingModel(SimConfig(seed=5, scale=0.03, end_year=2023), region=region)
    return m, m.run()


def test_outcome_table_shape(small_run, region):
    m, df = small_run
    assert list(df.columns) == ["year", "level", "unit", "metric", "value"]
    assert df["year"].dtype == np.int64 and df["value"].dtype == np.float64
    assert sorted(df["year"].unique()) == [2019, 2020, 2021, 2022, 2023]
    assert set(df["level"]) == {"region", "municipality", "zone", "segment"}
    metrics = set(df.loc[df.level == "region", "metric"])
    assert set(COMMON_METRICS) | set(SEGREGATION_METRICS) <= metrics
    assert set(SEGMENT_METRICS) <= set(df.loc[df.level == "segment", "metric"])
    assert not df.duplicated(["year", "level", "unit", "metric"]).any()
    assert set(df.loc[df.level == "municipality", "unit"]) == set(region.municipalities.index)
    assert df["value"].notna().all()


def test_outcomes_add_up_across_levels(small_run):
    m, df = small_run
    pop = df[df.metric == "population"].groupby(["year", "level"]).value.sum().unstack()
    np.testing.assert_allclose(pop["zone"], pop["region"])
    np.testing.assert_allclose(pop["municipality"], pop["region"])
    np.testing.assert_allclose(pop["segment"], pop["region"])
    last = df[(df.year == 2023) & (df.level == "region") & (df.metric == "population")].value.item()
    assert last == m.households.persons()
    base = df[(df.year == 2019) & (df.level == "region")].set_index("metric").value
    assert base["births"] == 0 and base["in_migrants"] == 0


def test_population_identity_in_table(small_run):
    _, df = small_run
    r = df[df.level == "region"].pivot_table(index="year", columns="metric", values="value")
    change = r["population"].diff().iloc[1:]
    flows = (r["births"] - r["deaths"] + r["in_migrants"] - r["out_migrants"]).iloc[1:]
    np.testing.assert_allclose(change, flows)


def run_outcomes(region, **kw) -> pd.DataFrame:
    return HousingModel(SimConfig(scale=0.02, end_year=2022, **kw), region=region).run()


def test_same_seed_same_outcomes_different_seed_differs(region):
    a = run_outcomes(region, seed=11)
    b = run_outcomes(region, seed=11)
    pd.testing.assert_frame_equal(a, b)
    c = run_outcomes(region, seed=12)
    assert not np.allclose(a["value"].to_numpy(), c["value"].to_numpy())
    d = run_outcomes(region, seed=11, replicate=1)
    assert not np.allclose(a["value"].to_numpy(), d["value"].to_numpy())


def test_invariant_violation_names_identity_year_and_zone(region):
    m = HousingModel(SimConfig(scale=0.01, end_year=2021), region=region)
    m.step()
    hh = m.households
    nz = region.n_zones
    start_p = np.bincount(hh.zone, weights=hh.size, minlength=nz)
    start_h = np.bincount(hh.zone, minlength=nz)
    kw = dict(
        year=2020,
        zone_ids=m.zone_ids,
        households=hh,
        dwellings=m.dwellings,
        flows=Flows(nz),
        price_bounds=(0.2, 5.0),
    )
    invariants.check(start_persons=start_p, start_households=start_h, **kw)
    wrong = start_p.copy()
    wrong[2] += 1
    with pytest.raises(
        InvariantError, match=f"person accounting broken in 2020, zone '{m.zone_ids[2]}'"
    ):
        invariants.check(start_persons=wrong, start_households=start_h, **kw)
    m.dwellings.occupied[1, 0] += 1
    with pytest.raises(
        InvariantError, match=f"occupied == households .* 2020, zone '{m.zone_ids[1]}'"
    ):
        invariants.check(start_persons=start_p, start_households=start_h, **kw)
    m.dwellings.occupied[1, 0] -= 1
    m.dwellings.stock[3, 2] = m.dwellings.occupied[3, 2] - 1
    with pytest.raises(
        InvariantError, match=f"over capacity broken in 2020, zone '{m.zone_ids[3]}'"
    ):
        invariants.check(start_persons=start_p, start_households=start_h, **kw)


def golden_summary(df: pd.DataFrame) -> dict:
    r = df[df.level == "region"]
    mun = df[(df.level == "municipality") & (df.metric == "population")]
    return {
        "region": {f"{y}/{m}": v for y, m, v in zip(r.year, r.metric, r.value, strict=True)},
        "municipality_population": {
            f"{y}/{u}": v for y, u, v in zip(mun.year, mun.unit, mun.value, strict=True)
        },
    }


def test_golden_small_seeded_run(region):
    """Seed 42, about 2,000 households, 2019-2022. Regenerate after an intended change with
    ``FH_SIM_UPDATE_GOLDEN=1 pytest tests/test_core_model.py -k golden`` and say why in the
    commit message."""
    df = HousingModel(SimConfig(seed=42, scale=0.012, end_year=2022), region=region).run()
    got = golden_summary(df)
    if UPDATE or not GOLDEN.exists():
        GOLDEN.write_text(json.dumps(got, indent=1, sort_keys=True))
        if not UPDATE:
            pytest.fail("golden file was missing and has been written; run again")
    want = json.loads(GOLDEN.read_text())
    assert want.keys() == got.keys()
    for part in want:
        assert set(want[part]) == set(got[part]), part
        keys = sorted(want[part])
        np.testing.assert_allclose(
            [got[part][k] for k in keys], [want[part][k] for k in keys], rtol=1e-9, atol=1e-9
        )
