"""The baseline against the municipal populations observed after 2019.

The observed figures (``population_observed.csv``: Helsingborg 2023 and 2024, Landskrona
2023, Svalöv 2024, each with its source key) are never a model input. Runs at scale 0.25
on two seeds keep this fast; the mean over the seeds is compared.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fh_sim.config import SimConfig
from fh_sim.region import load_region
from fh_sim.region.load import resolve_data_dir
from fh_sim.sim.model import HousingModel

SCALE = 0.25
SEEDS = (0, 1)
END_YEAR = 2030
TOLERANCE = 0.04
"""Largest relative error allowed against an observed municipal population. Full-scale
seeds 0-2 fall 1-3 % short (the baseline grows more slowly than observed in 2020-2022,
see docs/assumptions.md); two seeds at scale 0.25 add about 1.5 % of sampling noise.
Before the base-year constants were calibrated on feasible and sampled choice sets,
Landskrona was 5 % short in 2023 and the region shrank until 2022."""


@pytest.fixture(scope="module")
def observed() -> pd.DataFrame:
    table = pd.read_csv(resolve_data_dir(None) / "population_observed.csv")
    assert set(table.status) == {"observed"}
    assert table.source.str.match(r"^S\d\d$").all()
    return table


@pytest.fixture(scope="module")
def baseline() -> pd.DataFrame:
    region = load_region()
    frames = []
    for seed in SEEDS:
        out = HousingModel(
            SimConfig(seed=seed, scale=SCALE, end_year=END_YEAR), region=region
        ).run()
        frames.append(out[out.metric == "population"].assign(seed=seed))
    both = pd.concat(frames)
    return both.groupby(["level", "unit", "year"])["value"].mean() / SCALE


def test_observed_table_lists_the_sourced_figures(observed):
    rows = {(r.municipality, r.year): (r.population, r.source) for r in observed.itertuples()}
    assert rows == {
        ("Helsingborg", 2023): (151_306, "S10"),
        ("Helsingborg", 2024): (152_091, "S03"),
        ("Landskrona", 2023): (47_134, "S08"),
        ("Svalöv", 2024): (14_543, "S03"),
        ("Höganäs", 2020): (27_168, "S23"),
        ("Höganäs", 2021): (27_589, "S23"),
        ("Åstorp", 2024): (16_449, "S03"),
        ("Klippan", 2024): (17_714, "S03"),
        ("Bjuv", 2023): (15_968, "S13"),
    }


FIRST_FOUR = {("Helsingborg", 2023), ("Helsingborg", 2024), ("Landskrona", 2023), ("Svalöv", 2024)}
"""The figures this tolerance was set on; all nine are compared by ``fh-sim validate``
(the calibrated baseline at full scale over 5 seeds, docs/calibration.md)."""


@pytest.mark.slow
def test_baseline_municipalities_near_observed(baseline, observed):
    errors = {}
    for r in observed.itertuples():
        if (r.municipality, r.year) not in FIRST_FOUR:
            continue
        model = baseline[("municipality", r.municipality, r.year)]
        errors[(r.municipality, r.year)] = model / r.population - 1.0
    off = {k: round(100 * v, 1) for k, v in errors.items() if abs(v) > TOLERANCE}
    assert not off, f"relative errors above {TOLERANCE:.0%} (in %): {off}"


@pytest.mark.slow
def test_baseline_region_grows_every_year(baseline):
    region = baseline.loc["region"].droplevel(0)
    growth = np.diff(region.loc[2019:END_YEAR].to_numpy())
    assert (growth > 0).all(), f"yearly change of the region's population: {growth.round()}"
    rate = (region.loc[END_YEAR] / region.loc[2019]) ** (1 / (END_YEAR - 2019)) - 1
    assert 0.002 < rate < 0.012, f"mean growth {rate:.2%} a year"
