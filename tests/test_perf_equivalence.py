"""The fast paths give what the straightforward computations give.

Sampling of alternatives (ticket table), segregation indices per group (bincounts),
travel costs (scipy Dijkstra) against networkx on the original graph, the model's stage
timings, and the benchmark table's verdicts.
"""

from __future__ import annotations

import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from fh_sim.config import SimConfig
from fh_sim.outcomes.record import dissimilarity, isolation, segregation_by, theil_h
from fh_sim.region import load_region, travel_costs
from fh_sim.region.network import links_in_year
from fh_sim.region.synthetic import replicate_region, toy_region
from fh_sim.rules.choice import sample_pairs
from fh_sim.sim.model import HousingModel
from fh_sim.sim.state import Households

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import run_benchmarks  # noqa: E402


@pytest.fixture(scope="module")
def region():
    return load_region()


def seekers(home: list[int]) -> Households:
    n = len(home)
    return Households.from_columns(
        zone=np.full(n, -1),
        dwelling_type=np.full(n, -1),
        size=np.ones(n),
        age_head=np.full(n, 40),
        income_annual=np.full(n, 3e5),
        income_group=np.ones(n),
        workplace=np.full(n, -1),
        years_at_address=np.zeros(n),
        is_base_resident=np.ones(n, dtype=bool),
        home_municipality=home,
    )


def test_segregation_by_group_equals_the_indices_per_group():
    rng = np.random.default_rng(4)
    counts = rng.integers(0, 50, size=(40, 3)).astype(float)
    counts[5] = 0.0  # an empty area
    group = rng.integers(0, 6, size=40)
    group[group == 5] = 4  # group 5 has no area
    counts[group == 3, 0] = 0.0  # a group without low-income households
    got = segregation_by(counts, group, 6)
    for g in range(6):
        c = counts[group == g]
        low, other = c[:, 0], c[:, 1:].sum(axis=1)
        assert got["dissimilarity_income"][g] == pytest.approx(dissimilarity(low, other), abs=1e-12)
        assert got["isolation_low_income"][g] == pytest.approx(
            isolation(low, c.sum(axis=1)), abs=1e-12
        )
        assert got["theil_income"][g] == pytest.approx(theil_h(c), abs=1e-12)
    assert got["isolation_low_income"][3] == 0.0 and got["theil_income"][5] == 0.0


def test_stratified_sampling_is_proportional_to_stock_in_each_stratum():
    # 6 zones in 3 municipalities; municipality 2 has no dwelling
    stock = np.array([[10, 0, 30], [20, 0, 0], [0, 40, 0], [5, 5, 50], [0, 0, 0], [0, 0, 0]])
    zone_mun = np.array([0, 0, 1, 1, 2, 2])
    n = 20_000
    home = np.repeat([0, 1, 2, -1], n // 4)
    pairs = sample_pairs(
        seekers(home.tolist()),
        stock,
        5,
        np.random.default_rng(0),
        zone_municipality=zone_mun,
        n_home=2,
    )
    alt = pairs.alternative.reshape(n, 5)
    lw = pairs.log_weight.reshape(n, 5)
    flat = stock.reshape(-1).astype(float)
    cell_mun = np.repeat(zone_mun, 3)
    for m, rows in ((0, home == 0), (1, home == 1)):
        inside = alt[rows, :2].ravel()
        outside = alt[rows, 2:].ravel()
        assert (cell_mun[inside] == m).all() and (cell_mun[outside] != m).all()
        s_in, s_out = flat[cell_mun == m].sum(), flat[cell_mun != m].sum()
        np.testing.assert_allclose(lw[rows, :2], np.log(s_in / 2))
        np.testing.assert_allclose(lw[rows, 2:], np.log(s_out / 3))
        for draws, total, mask in ((inside, s_in, cell_mun == m), (outside, s_out, cell_mun != m)):
            share = np.bincount(draws, minlength=flat.size) / draws.size
            expect = np.where(mask, flat / total, 0.0)
            se = np.sqrt(expect * (1 - expect) / draws.size)
            assert (np.abs(share - expect) <= 4 * se + 1e-12).all()
    # no dwelling at home, or no home: the whole region
    for rows in (home == 2, home == -1):
        draws = alt[rows].ravel()
        share = np.bincount(draws, minlength=flat.size) / draws.size
        expect = flat / flat.sum()
        assert (np.abs(share - expect) <= 4 * np.sqrt(expect * (1 - expect) / draws.size)).all()
        np.testing.assert_allclose(lw[rows], np.log(flat.sum() / 5))
    assert pairs.zone.tolist() == (pairs.alternative // 3).tolist()
    assert pairs.dwelling_type.tolist() == (pairs.alternative % 3).tolist()


def networkx_minutes(region, year: int, wait_cap: float, penalty: float) -> np.ndarray:
    """Generalised cost by networkx on the stop / (stop, line) graph with free alighting."""
    g = nx.DiGraph()
    for r in links_in_year(region, year).itertuples():
        for u, v in ((r.from_node, r.to_node), (r.to_node, r.from_node)):
            old = (
                g.edges[("r", u, r.line), ("r", v, r.line)]["w"]
                if g.has_edge(("r", u, r.line), ("r", v, r.line))
                else np.inf
            )
            g.add_edge(("r", u, r.line), ("r", v, r.line), w=min(old, float(r.minutes)))
            wait = min(0.5 * 60.0 / float(r.departures_per_hour), wait_cap) + penalty
            if g.has_edge(("s", u), ("r", u, r.line)):
                wait = min(wait, g.edges[("s", u), ("r", u, r.line)]["w"])
            g.add_edge(("s", u), ("r", u, r.line), w=wait)
            g.add_edge(("r", u, r.line), ("s", u), w=0.0)
    nodes = list(region.node_ids)
    out = np.full((len(nodes), len(nodes)), np.inf)
    for i, a in enumerate(nodes):
        dist = nx.single_source_dijkstra_path_length(g, ("s", a), weight="w")
        for j, b in enumerate(nodes):
            if ("s", b) in dist:
                out[i, j] = 0.0 if i == j else dist[("s", b)] - penalty
    return out


@pytest.mark.parametrize("year", [2019, 2045])
def test_travel_costs_equal_networkx_dijkstra(region, year):
    cost = travel_costs(region, year)
    from fh_sim.config.region import RegionConfig

    cfg = RegionConfig()
    want = networkx_minutes(region, year, cfg.wait_cap_min, cfg.transfer_penalty_min)
    np.testing.assert_allclose(cost.minutes, want, rtol=1e-12, atol=1e-9)


def test_travel_costs_of_replicated_toy_regions_are_block_symmetric():
    toy = toy_region(4)
    big = replicate_region(toy, 3)
    one, three = travel_costs(toy, 2020), travel_costs(big, 2020)
    n = toy.n_zones
    for k in range(3):  # every copy's zones reach each other as in the original
        block = three.minutes[k * n : (k + 1) * n, k * n : (k + 1) * n]
        np.testing.assert_allclose(block, one.minutes[:n, :n])
    assert np.isfinite(three.minutes).all()  # copies connect through the shared city


def test_model_keeps_time_per_rule_and_stage(region):
    model = HousingModel(SimConfig(seed=1, scale=0.01, end_year=2021), region=region)
    model.step()
    first = dict(model.timings)
    model.step()
    for family, rules in model.pipeline.items():
        for rule, _ in rules:
            assert model.timings[f"{family}.{rule.name}"] > 0.0
    for stage in ("model.record", "model.choice_allocation", "choice.choice_set"):
        assert model.timings[stage] > first[stage] > 0.0


def test_benchmark_table_verdicts():
    base = {"zones": 46, "build_cpu_s": 1.0, "peak_delta_bytes_per_household": 100.0}
    flat = [
        {
            **base,
            "households": n,
            "household_years": 3 * n,
            "steps_cpu_s": 3 * n * 5e-7,
            "steps_wall_s": 1.0,
            "state_bytes_per_household": 29.0,
        }
        for n in (10_000, 1_000_000)
    ]
    rows = run_benchmarks.scaling_rows(flat)
    assert rows[-1]["metric"] == "max/min CPU per household-year"
    assert rows[-1]["value"] == pytest.approx(1.0) and rows[-1]["status"] == "met"
    flat[0]["steps_cpu_s"] *= 2
    assert run_benchmarks.scaling_rows(flat)[-1]["status"] == "MISSED"
    ref = run_benchmarks.reference_rows(
        [
            {
                "households": 20_000,
                "vectorised_cpu_s": 0.01,
                "per_agent_cpu_s": 0.4,
                "vectorised_wall_s": 0.01,
                "per_agent_wall_s": 0.4,
            }
        ]
    )
    speed = next(r for r in ref if r["metric"] == "speed-up (CPU)")
    assert speed["value"] == pytest.approx(40.0) and speed["status"] == "MISSED"
