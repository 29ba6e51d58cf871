"""Location choice: utility terms, sampling of alternatives, allocation under capacity."""

from __future__ import annotations

import numpy as np
import pytest

from core_helpers import context, dwellings, households, zones
from fh_sim.rules import allocation as alloc_rules
from fh_sim.rules import utility as u
from fh_sim.rules.choice import alias_table, full_pairs, logit_probabilities, sample_pairs
from fh_sim.scenarios.levers import no_levers
from fh_sim.sim.state import Pairs


def pairs_for(seekers, zone, dtype, seeker=None) -> Pairs:
    seeker = np.arange(len(zone)) if seeker is None else np.asarray(seeker)
    stage = seekers.life_stage()[seeker]
    group = seekers.income_group[seeker]
    zone, dtype = np.asarray(zone), np.asarray(dtype)
    return Pairs(
        seeker=seeker,
        zone=zone,
        dwelling_type=dtype,
        log_weight=np.zeros(len(zone)),
        life_stage=stage,
        income_group=group,
        alternative=zone * 3 + dtype,
        segment=stage * 3 + group,
    )


def test_segment_coefficients():
    s = households(age_head=[25, 40, 40, 70], size=[1, 2, 4, 2], income_group=[0, 1, 2, 2])
    pairs = pairs_for(s, [0, 0, 0, 0], [0, 0, 0, 0])
    p = u.TermParams(coef=2.0, life_stage_factor=(1, 2, 3, 4), income_factor=(1, 10, 100))
    np.testing.assert_allclose(u.segment_coef(pairs, p), [2.0, 40.0, 600.0, 800.0])


def test_terms_exact_values():
    s = households(
        age_head=[40, 40],
        size=[4, 1],
        income_group=[1, 1],
        income_annual=[192_000.0, 96_000.0],
        workplace=[2, -1],
        home_municipality=[0, 1],
    )
    z = zones(
        2,
        municipality=np.array([0, 1], dtype=np.int32),
        crime_index=np.array([0.5, 1.5]),
        reputation=np.array([0.2, 0.8]),
        amenities=np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]]),
        accessibility=np.array([100.0, 400.0]),
    )
    minutes = np.array([[5.0, 30.0, 90.0], [30.0, 5.0, 30.0], [90.0, 30.0, 5.0]])
    ctx = context(households(zone=[0, 1, 1], income_group=[0, 0, 2]), zones=z, minutes=minutes)
    ctx = ctx.with_(seekers=s)
    pairs = pairs_for(s, [0, 1], [2, 0])
    one = dict(life_stage_factor=(1.0,) * 4, income_factor=(1.0,) * 3)
    np.testing.assert_allclose(
        u.commute(ctx, pairs, u.CommuteTermParams(coef=-1.0, **one)), [-1.5, 0.0]
    )
    np.testing.assert_allclose(
        u.housing_cost(ctx, pairs, u.HousingCostTermParams(coef=-1.0, **one)),
        [-130_000 / 192_000, -1.0],
    )
    fit = u.DwellingFitParams(coef=1.0, crowding_coef=-0.5, **one)
    # adult family in a house (0.9), no crowding; adult single in rental (0.2)
    np.testing.assert_allclose(u.dwelling_fit(ctx, pairs, fit), [0.9, 0.2])
    np.testing.assert_allclose(
        u.safety(ctx, pairs, u.SafetyTermParams(coef=1.0, **one)), [0.5, -0.5]
    )
    np.testing.assert_allclose(
        u.reputation(ctx, pairs, u.ReputationTermParams(coef=1.0, **one)), [0.2, 0.8]
    )
    np.testing.assert_allclose(
        u.amenities(ctx, pairs, u.AmenitiesTermParams(coef=1.0, weights=(1.0, 2.0, 3.0), **one)),
        [1.0, 5.0],
    )
    np.testing.assert_allclose(
        u.accessibility(ctx, pairs, u.AccessibilityTermParams(coef=1.0, **one)),
        [np.log(100 / 250), np.log(400 / 250)],
    )
    # residents: zone 0 has 1 low of 1; zone 1 has 1 low, 1 high; regional mid share = 0
    np.testing.assert_allclose(
        u.social_composition(ctx, pairs, u.SocialCompositionParams(coef=1.0, **one)), [0.0, 0.0]
    )
    np.testing.assert_allclose(
        u.attachment(ctx, pairs, u.AttachmentParams(coef=2.0, **one)), [2.0, 2.0]
    )


def test_alias_table_draws_proportionally():
    prob, alias = alias_table(np.array([1.0, 2.0, 7.0]))
    implied = np.zeros(3)
    for i in range(3):
        implied[i] += prob[i] / 3
        implied[alias[i]] += (1 - prob[i]) / 3
    np.testing.assert_allclose(implied, [0.1, 0.2, 0.7])


def test_sampling_full_set_and_sampled():
    s = households(size=[1, 2, 3])
    stock = np.array([[10, 0, 5], [0, 0, 20]])
    full = sample_pairs(s, stock, n_sampled=10, rng=np.random.default_rng(0))
    assert full.n == 9
    np.testing.assert_array_equal(full.alternative[:3], [0, 2, 5])
    np.testing.assert_allclose(full.log_weight[:3], np.log([10, 5, 20]))
    sampled = sample_pairs(s, stock, n_sampled=2, rng=np.random.default_rng(0))
    assert sampled.n == 6 and set(sampled.alternative) <= {0, 2, 5}
    np.testing.assert_allclose(sampled.log_weight, np.log(35 / 2))


def test_stratified_sampling_draws_from_home_municipality():
    s = households(size=[1] * 4, home_municipality=[0, 0, 1, -1])
    stock = np.array([[10, 0, 0], [0, 30, 0], [0, 0, 60]])
    zone_mun = np.array([0, 1, 1])
    pairs = sample_pairs(
        s, stock, n_sampled=2, rng=np.random.default_rng(3), zone_municipality=zone_mun, n_home=1
    )
    alt = pairs.alternative.reshape(4, 2)
    lw = pairs.log_weight.reshape(4, 2)
    # home draw first: municipality 0 has only cell 0; the other draw is outside it
    np.testing.assert_array_equal(alt[:2, 0], [0, 0])
    assert set(alt[:2, 1]) <= {4, 8}
    np.testing.assert_allclose(lw[0], [np.log(10 / 1), np.log(90 / 1)])
    assert alt[2, 0] in (4, 8) and alt[2, 1] == 0
    np.testing.assert_allclose(lw[2], [np.log(90 / 1), np.log(10 / 1)])
    np.testing.assert_allclose(lw[3], [np.log(100 / 2)] * 2)  # in-migrant: whole region


def lottery_ctx(seekers, stock, occupied, priority=False):
    lev = no_levers(1, 2030)
    lev.queue_priority[:] = priority
    return context(
        households(size=[1]),
        zones=zones(1),
        dwellings=dwellings(stock, occupied),
        levers=lev,
        seekers=seekers,
    )


def test_lottery_capacity_and_second_choice():
    seekers = households(size=[1, 1, 1], zone=[-1] * 3, dwelling_type=[-1] * 3)
    pairs = pairs_for(seekers, [0] * 6, [0, 1] * 3, seeker=[0, 0, 1, 1, 2, 2])
    utility = np.tile([50.0, 0.0], 3)  # everyone prefers type 0, which has one vacancy
    ctx = lottery_ctx(seekers, [[5, 5, 0]], [[4, 0, 0]])
    res = alloc_rules.lottery_rounds(ctx, pairs, utility, alloc_rules.LotteryParams())
    got = pairs.dwelling_type[res.choice]
    assert sorted(got.tolist()) == [0, 1, 1]
    assert res.rejected[0, 0] == 2


def test_lottery_queue_priority_for_residents():
    # two in-migrants (no zone yet) and a household splitting from a resident one
    seekers = households(size=[1, 1, 1], zone=[-1, -1, 0], dwelling_type=[-1] * 3)
    pairs = pairs_for(seekers, [0, 0, 0], [0, 0, 0])
    for seed in range(5):
        ctx = lottery_ctx(seekers, [[5, 0, 0]], [[4, 0, 0]], priority=True)
        ctx = ctx.with_(rng=np.random.default_rng(seed))
        res = alloc_rules.lottery_rounds(ctx, pairs, np.zeros(3), alloc_rules.LotteryParams())
        np.testing.assert_array_equal(res.choice, [-1, -1, 2])


def test_vacancy_chain_frees_old_dwelling():
    # seeker 0 leaves its type-1 dwelling for the only vacant type-0 one; seeker 1 wants
    # type 1, which is full in round 1 and re-offered in round 2
    seekers = households(size=[1, 1], zone=[0, -1], dwelling_type=[1, -1])
    pairs = pairs_for(seekers, [0, 0], [0, 1])
    ctx = lottery_ctx(seekers, [[1, 1, 0]], [[0, 1, 0]])
    res = alloc_rules.lottery_rounds(ctx, pairs, np.zeros(2), alloc_rules.LotteryParams())
    np.testing.assert_array_equal(res.choice, [0, 1])
    no_chain = alloc_rules.LotteryParams(vacancy_chains=False)
    res = alloc_rules.lottery_rounds(ctx, pairs, np.zeros(2), no_chain)
    np.testing.assert_array_equal(res.choice, [0, -1])
    np.testing.assert_array_equal(res.rejected, [[0, 1, 0]])  # seeker 1's first choice


def test_freed_dwellings_in_a_popular_zone_go_to_those_who_want_it():
    # zone 0 is everyone's favourite and full; its 50 residents must move (e.g. outgrown),
    # 100 newcomers want zone 0 first and zone 1 second. Every dwelling a resident frees
    # in zone 0 is re-offered, so zone 0 ends as full as it started.
    n_res, n_new = 50, 100
    n = n_res + n_new
    seekers = households(
        size=[1] * n, zone=[0] * n_res + [-1] * n_new, dwelling_type=[0] * n_res + [-1] * n_new
    )
    pairs = pairs_for(seekers, [0, 1] * n, [0] * (2 * n), seeker=np.repeat(np.arange(n), 2))
    utility = np.tile([5.0, 0.0], n)
    stock, occupied = [[50, 0, 0], [200, 0, 0]], [[50, 0, 0], [0, 0, 0]]
    ctx = context(
        households(size=[1]), zones=zones(2), dwellings=dwellings(stock, occupied), seekers=seekers
    )
    for seed in range(3):
        res = alloc_rules.lottery_rounds(
            ctx.with_(rng=np.random.default_rng(seed)), pairs, utility, alloc_rules.LotteryParams()
        )
        dest = pairs.zone[res.choice]
        assert (res.choice >= 0).all()
        left_zone0 = int((dest[:n_res] != 0).sum())
        came_to_zone0 = int((dest == 0).sum()) - (n_res - left_zone0)
        assert came_to_zone0 == left_zone0 > 0  # zone 0 stays full: every freed dwelling taken


def test_choice_shares_match_analytic_logit_when_capacity_is_not_binding():
    n = 20_000
    seekers = households(size=[1] * n, zone=[-1] * n, dwelling_type=[-1] * n)
    stock = np.array([[100_000, 50_000, 0], [20_000, 0, 80_000]])
    pairs = sample_pairs(seekers, stock, n_sampled=12, rng=np.random.default_rng(1))
    k = 4
    v_alt = np.array([0.3, -0.2, 1.0, 0.0])
    utility = np.tile(v_alt, n)
    ctx = context(households(size=[1]), dwellings=dwellings(stock), seekers=seekers, seed=7)
    res = alloc_rules.lottery_rounds(ctx, pairs, utility, alloc_rules.LotteryParams())
    assert (res.choice >= 0).all()
    shares = np.bincount(res.choice % k, minlength=k) / n
    expected = logit_probabilities(v_alt, pairs.log_weight[:k])
    se = np.sqrt(expected * (1 - expected) / n)
    assert (np.abs(shares - expected) < 4 * se).all(), (shares, expected)


@pytest.mark.parametrize("full_set", [False, True])
def test_queue_priority_lets_residents_choose_before_in_migrants(full_set):
    """The queue: residents use up a priority zone's vacancies before in-migrants apply.

    One vacancy of each type. Two residents (households splitting from resident ones)
    prefer type 1 (one of them gets it); the in-migrant prefers type 0. In a plain
    lottery the in-migrant takes type 0 in the first round and the resident who lost
    type 1 stays unplaced; with the queue both residents are housed and the in-migrant
    is not, whatever the draws.
    """
    seekers = households(size=[1, 1, 1], zone=[0, 0, -1], dwelling_type=[-1] * 3)
    stock, occupied = [[5, 5, 1]], [[4, 4, 1]]
    utility = np.array([[0.0, 60.0, -1e9], [0.0, 60.0, -1e9], [60.0, -1e9, -1e9]])
    if full_set:
        pairs = full_pairs(seekers, np.asarray(stock))
    else:
        pairs = pairs_for(seekers, [0] * 6, [0, 1] * 3, seeker=[0, 0, 1, 1, 2, 2])
        utility = utility[:, :2]
    for priority in (False, True):
        placed = []
        for seed in range(8):
            ctx = lottery_ctx(seekers, stock, occupied, priority=priority)
            ctx = ctx.with_(rng=np.random.default_rng(seed))
            res = alloc_rules.lottery_rounds(
                ctx, pairs, utility.reshape(-1), alloc_rules.LotteryParams()
            )
            placed.append(res.choice >= 0)
        placed_arr = np.array(placed)
        if priority:
            assert placed_arr[:, :2].all() and not placed_arr[:, 2].any()
        else:
            assert placed_arr[:, 2].all() and (placed_arr[:, :2].sum(axis=1) == 1).all()
