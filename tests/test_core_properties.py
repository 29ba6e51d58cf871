"""Property tests: the invariants hold over random small regions, seeds and scenarios."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fh_sim.config import HousingPolicy, SafetyProgramme, ScenarioConfig, SimConfig
from fh_sim.region.synthetic import toy_region
from fh_sim.sim.model import HousingModel


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n_zones=st.integers(1, 4),
    population=st.integers(20, 1500),
    seed=st.integers(0, 10_000),
    minutes=st.floats(2.0, 40.0),
    priority=st.booleans(),
    multiplier=st.floats(0.0, 3.0),
)
def test_invariants_hold_on_random_regions(
    n_zones, population, seed, minutes, priority, multiplier
):
    region = toy_region(n_zones, population_per_zone=population, minutes_between=minutes)
    scenario = ScenarioConfig(
        name="random",
        safety_programmes={
            "s": SafetyProgramme(places=["z0"], crime_reduction=0.5, start_year=2020)
        },
        housing_policies={
            "h": HousingPolicy(
                construction_multiplier=multiplier,
                queue_priority_residents=priority,
                rental_share=0.5,
                tenant_owned_share=0.25,
                house_share=0.25,
                affordable_share=0.5,
                start_year=2020,
            )
        },
    )
    cfg = SimConfig(seed=seed, end_year=2023, scenario=scenario, check_invariants=True)
    m = HousingModel(cfg, region=region)
    persons0 = m.households.persons()
    df = m.run()  # every step checks the accounting identities and raises if one breaks
    d, hh = m.dwellings, m.households
    assert (d.occupied <= d.stock).all() and (d.stock >= 0).all()
    np.testing.assert_array_equal(
        d.occupied,
        np.bincount(hh.zone * 3 + hh.dwelling_type, minlength=d.stock.size).reshape(-1, 3),
    )
    assert (hh.size >= 1).all() and (hh.zone >= 0).all()
    assert ((d.price_index >= 0.2) & (d.price_index <= 5.0)).all()
    r = df[df.level == "region"].pivot_table(index="year", columns="metric", values="value")
    assert r.loc[2019, "population"] == persons0
    total = r["births"] - r["deaths"] + r["in_migrants"] - r["out_migrants"]
    np.testing.assert_allclose(r["population"].diff().iloc[1:], total.iloc[1:])


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 1000), n_zones=st.integers(1, 3))
def test_same_seed_identical_state(seed, n_zones):
    region = toy_region(n_zones, population_per_zone=300)
    runs = []
    for _ in range(2):
        m = HousingModel(SimConfig(seed=seed, end_year=2022), region=region)
        m.run()
        runs.append(m.households)
    for col in ("zone", "dwelling_type", "size", "age_head", "income_annual", "workplace"):
        np.testing.assert_array_equal(getattr(runs[0], col), getattr(runs[1], col))
