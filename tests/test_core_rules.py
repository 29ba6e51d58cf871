"""Each yearly rule on a tiny hand-built fixture, with exact expected values."""

from __future__ import annotations

import numpy as np
import pytest

from core_helpers import context, dwellings, households, zones
from fh_sim.rules import demography as dem
from fh_sim.rules import market, migration, relocation
from fh_sim.rules import zones as zdyn
from fh_sim.scenarios.levers import no_levers


def test_ageing_adds_one_year():
    ev = dem.ageing(context(households(size=[1, 2])), dem.AgeingParams())
    assert ev.age_add == 1 and ev.births is None and ev.deaths is None


def test_death_probability_is_gompertz_and_capped():
    p = dem.DeathsParams(gompertz_a=1e-4, gompertz_b=0.1, max_q=0.5)
    q = dem.death_probability(np.array([0, 10, 100]), p)
    np.testing.assert_allclose(q, [1e-4, 1e-4 * np.e, 0.5])


def test_deaths_certain_and_impossible():
    hh = households(size=[1, 2, 4], age_head=[90, 90, 90])
    sure = dem.deaths(context(hh), dem.DeathsParams(gompertz_a=10.0, max_q=1.0))
    np.testing.assert_array_equal(sure.deaths, [1, 2, 2])  # at most two adults at risk
    none = dem.deaths(context(hh), dem.DeathsParams(gompertz_a=0.0))
    np.testing.assert_array_equal(none.deaths, [0, 0, 0])


def test_births_only_where_allowed():
    hh = households(size=[2, 1, 8, 3], age_head=[32, 32, 32, 80])
    p = dem.BirthsParams(peak=1.0, peak_age=32.0, width=5.0, single_factor=0.0, max_size=8)
    ev = dem.births(context(hh), p)
    np.testing.assert_array_equal(ev.births, [1, 0, 0, 0])


def test_leaving_home_forms_one_person_households_in_parent_zone():
    hh = households(
        size=[4, 3, 2, 5],
        age_head=[50, 41, 50, 60],
        zone=[1, 0, 0, 0],
        is_base_resident=[True, True, True, False],
    )
    ev = dem.leaving_home(context(hh), dem.LeavingHomeParams(prob=1.0))
    np.testing.assert_array_equal(ev.formed_parent, [0, 3])
    np.testing.assert_array_equal(ev.formed.size, [1, 1])
    np.testing.assert_array_equal(ev.formed.zone, [1, 0])
    np.testing.assert_array_equal(ev.formed.dwelling_type, [-1, -1])
    np.testing.assert_array_equal(ev.formed.is_base_resident, [True, False])
    assert ((ev.formed.age_head >= 19) & (ev.formed.age_head <= 25)).all()
    np.testing.assert_array_equal(ev.parent_income_loss, [0.0, 0.0])


def test_separation_splits_income():
    hh = households(size=[2, 1, 3], age_head=[40, 40, 70], income_annual=[500_000.0, 1.0, 1.0])
    ev = dem.separation(context(hh), dem.SeparationParams(prob=1.0, income_share=0.4))
    np.testing.assert_array_equal(ev.formed_parent, [0])
    np.testing.assert_allclose(ev.formed.income_annual, [200_000.0])
    np.testing.assert_allclose(ev.parent_income_loss, [200_000.0])


def test_partnering_pairs_distinct_eligible_singles():
    hh = households(size=[1, 1, 1, 1, 1, 2], age_head=[25, 30, 35, 40, 60, 30])
    ev = dem.partnering(context(hh), dem.PartneringParams(prob=1.0))
    both = np.concatenate([ev.merge_from, ev.merge_into])
    assert len(ev.merge_from) == len(ev.merge_into) == 2
    assert sorted(both.tolist()) == [0, 1, 2, 3]


def test_out_migration_age_hazard_and_displacement():
    hh = households(size=[1, 1, 1], age_head=[22, 50, 50], income_annual=[1e6, 1e6, 50_000.0])
    certain = migration.out_migration(
        context(hh), migration.OutMigrationParams(hazard=(1.0, 0.0, 0.0, 0.0, 0.0), cost_coef=0.0)
    )
    np.testing.assert_array_equal(certain.leave, [True, False, False])
    # burden of the third: 96,000 / 50,000 = 1.92 > 0.45: priced out for sure with coef 10
    priced = migration.out_migration(
        context(hh),
        migration.OutMigrationParams(hazard=(0.0,) * 5, cost_threshold=0.45, cost_coef=10.0),
    )
    np.testing.assert_array_equal(priced.leave, [False, False, True])
    np.testing.assert_array_equal(priced.displaced, [False, False, True])


def test_housing_burden_exact():
    hh = households(dwelling_type=[0, 2, -1], zone=[0, 1, -1], income_annual=[192_000.0] * 3)
    ctx = context(
        hh, dwellings=dwellings([[10, 10, 10], [10, 10, 10]], price=[[1, 1, 1], [2, 2, 2]])
    )
    np.testing.assert_allclose(migration.housing_burden(ctx, hh), [0.5, 260_000 / 192_000, 0.0])


def test_in_migration_pool_and_attractiveness():
    hh = households(size=[1] * 100)
    ctx = context(
        hh, region_attractiveness={"accessibility": 1.21, "reputation": 0.0, "price": 1.0}
    )
    p = migration.InMigrationParams(acc_elasticity=0.5)
    assert migration.attractiveness(ctx, p) == pytest.approx(1.1)
    assert migration.in_migration(ctx, migration.InMigrationParams(rate=0.0)).arrivals.n == 0
    arr = migration.in_migration(ctx, migration.InMigrationParams(rate=5.0)).arrivals
    assert arr.n > 300 and (arr.zone == -1).all() and not arr.is_base_resident.any()
    assert (arr.home_municipality == -1).all()


def test_relocation_life_stage_hazard_by_age_and_tenure():
    hh = households(age_head=[22, 27, 40, 50, 70], dwelling_type=[0, 1, 2, 0, 2])
    p = relocation.LifeStageParams(
        age_edges=(25.0, 30.0, 45.0, 65.0),
        hazard=(0.3, 0.2, 0.1, 0.05, 0.04),
        tenure_factor=(1.5, 1.0, 0.5),
    )
    np.testing.assert_allclose(
        relocation.life_stage(context(hh), p), [0.45, 0.2, 0.05, 0.075, 0.02]
    )


def test_relocation_crowding_cost_commute_safety():
    hh = households(
        size=[5, 2],
        dwelling_type=[0, 2],
        zone=[0, 1],
        income_annual=[192_000.0, 1e7],
        workplace=[2, -1],
    )
    minutes = np.array([[5.0, 30.0, 105.0], [30.0, 5.0, 30.0], [105.0, 30.0, 5.0]])
    z = zones(2, crime_index=np.array([1.0, 2.0]), trust=np.array([0.5, 0.5]))
    ctx = context(hh, zones=z, minutes=minutes)
    np.testing.assert_allclose(
        relocation.crowding(ctx, relocation.CrowdingParams(coef=0.12)), [0.12 * 2.5, 0.0]
    )
    np.testing.assert_allclose(
        relocation.housing_cost(ctx, relocation.HousingCostParams(threshold=0.35, coef=0.5)),
        [0.5 * (0.5 - 0.35), 0.0],
    )
    np.testing.assert_allclose(
        relocation.commute(ctx, relocation.CommuteParams(threshold_min=45.0, coef_per_hour=0.1)),
        [0.1, 0.0],
    )
    np.testing.assert_allclose(
        relocation.safety(ctx, relocation.SafetyParams(coef=0.05, trust_damping=0.8)),
        [0.0, 0.05 * 1.0 * (1 - 0.4)],
    )


def test_prices_respond_to_vacancy_with_bound():
    d = dwellings([[100, 100, 100]], occupied=[[90, 99, 100]], price=[[1.0, 1.0, 2.0]])
    ctx = context(households(size=[1]), zones=zones(1), dwellings=d, excess_demand=np.zeros((1, 3)))
    p = market.VacancyResponseParams(
        target_vacancy=0.02, vacancy_coef=1.0, demand_coef=0.0, max_change=0.03
    )
    np.testing.assert_allclose(market.vacancy_response(ctx, p), [[0.97, 1.01, 2.04]])


def test_construction_planned_split_by_mix_and_land_limit():
    d = dwellings([[50, 0, 50], [100, 100, 0]], occupied=[[0, 0, 0], [0, 0, 0]])
    z = zones(2, planned_per_year=np.array([10.0, 40.0]), land_capacity=np.array([100.0, 20.0]))
    ctx = context(households(size=[1]), zones=z, dwellings=d)
    added = market.pipeline(ctx, market.PipelineParams(planned_factor=1.0, vacancy_coef=0.0))
    np.testing.assert_array_equal(added, [[5, 0, 5], [10, 10, 0]])


def test_construction_policy_shares_and_transit_shift():
    d = dwellings([[10, 10, 10], [10, 10, 10]])
    z = zones(
        2,
        planned_per_year=np.array([20.0, 20.0]),
        has_station=np.array([True, False]),
    )
    lev = no_levers(2, 2030)
    lev.tenure_shares[:] = [0.5, 0.5, 0.0]
    lev.transit_oriented[:] = True
    ctx = context(households(size=[1]), zones=z, dwellings=d, levers=lev)
    params = market.PipelineParams(planned_factor=1.0, vacancy_coef=0.0, transit_shift=0.5)
    added = market.pipeline(ctx, params)
    np.testing.assert_array_equal(added, [[15, 15, 0], [5, 5, 0]])


def test_crime_drifts_to_target_with_programme():
    hh = households(zone=[0, 0, 1, 1], income_group=[0, 1, 0, 0])
    lev = no_levers(2, 2030)
    lev.crime_factor[:] = [0.5, 1.0]
    z = zones(2, low_share_base=np.array([0.5, 0.5]))
    upd = zdyn.crime(
        context(hh, zones=z, levers=lev), zdyn.CrimeParams(concentration_coef=2.0, adjust_rate=0.5)
    )
    target = np.array([0.5, np.exp(2.0 * 0.5)])
    np.testing.assert_allclose(upd.crime_index, 1.0 + 0.5 * (target - 1.0))


def test_trust_and_reputation_targets():
    lev = no_levers(2, 2030)
    lev.trust_add[:] = [0.2, 0.0]
    lev.reputation_add[:] = [0.1, 0.0]
    ctx = context(households(size=[1]), levers=lev)
    t = zdyn.trust(ctx, zdyn.TrustParams(adjust_rate=1.0)).trust
    np.testing.assert_allclose(t, [0.75, 0.55])
    rep = zdyn.reputation(ctx, zdyn.ReputationParams(adjust_rate=1.0)).reputation
    # amenities 0.5 each, crime 1 -> safety 0.5, price 1 -> demand 0.5: offer 0.5
    np.testing.assert_allclose(rep, [0.6, 0.5])


def test_income_uplift_reaches_low_income_in_programme_zones():
    hh = households(zone=[0, 0, 1], income_group=[0, 1, 0])
    lev = no_levers(2, 2030)
    lev.uplift_reach[:] = [1.0, 0.0]
    lev.uplift_increase[:] = [0.25, 0.25]
    f = zdyn.income_uplift(context(hh, levers=lev), zdyn.IncomeUpliftParams()).income_factor
    np.testing.assert_allclose(f, [1.25, 1.0, 1.0])
