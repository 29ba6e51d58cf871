"""The embedded region at full scale (one agent per household) with every invariant on.

The model checks its accounting identities after every step (fh_sim.sim.invariants); this
test makes sure those checks ran each year and checks the identities again from outside:
on the final state and on the outcome table, across years and across levels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fh_sim.config import SimConfig
from fh_sim.region import load_region
from fh_sim.sim import invariants
from fh_sim.sim.model import HousingModel

END_YEAR = 2024
REGION_PERSONS_2019 = 359_821


@pytest.fixture(scope="module")
def full_run() -> tuple[HousingModel, pd.DataFrame, list[int]]:
    checked: list[int] = []
    original = invariants.check

    def counting_check(**kwargs):
        original(**kwargs)
        checked.append(kwargs["year"])

    mp = pytest.MonkeyPatch()
    mp.setattr(invariants, "check", counting_check)
    try:
        model = HousingModel(
            SimConfig(seed=11, scale=1.0, end_year=END_YEAR, check_invariants=True)
        )
        table = model.run()
    finally:
        mp.undo()
    return model, table, checked


def _level(table: pd.DataFrame, level: str, metric: str) -> pd.DataFrame:
    rows = table[(table["level"] == level) & (table["metric"] == metric)]
    return rows.pivot(index="year", columns="unit", values="value")


pytestmark = pytest.mark.slow


def test_every_year_was_checked(full_run) -> None:
    _, table, checked = full_run
    assert checked == list(range(2020, END_YEAR + 1))
    assert sorted(table["year"].unique()) == list(range(2019, END_YEAR + 1))


def test_base_year_is_the_whole_region(full_run) -> None:
    model, table, _ = full_run
    region = load_region()
    pop = _level(table, "zone", "population").loc[2019]
    expected = region.zones["population_2019"].astype(float)
    pd.testing.assert_series_equal(pop.loc[expected.index], expected, check_names=False)
    assert _level(table, "region", "population").loc[2019].item() == REGION_PERSONS_2019
    assert _level(table, "region", "base_residents_in_region").loc[2019].item() == (
        _level(table, "region", "households").loc[2019].item()
    )


def test_population_accounting_closes_every_year(full_run) -> None:
    _, table, _ = full_run
    r = table[table["level"] == "region"].pivot(index="year", columns="metric", values="value")
    change = r["population"].diff().iloc[1:]
    flows = (r["births"] - r["deaths"] + r["in_migrants"] - r["out_migrants"]).iloc[1:]
    np.testing.assert_array_equal(change.to_numpy(), flows.to_numpy())
    hh_change = r["households"].diff().iloc[1:]
    assert (hh_change.abs() < 0.1 * r["households"].iloc[0]).all()
    assert (r["base_residents_in_region"].diff().iloc[1:] <= 0).all()
    assert (r[["births", "deaths", "in_migrants", "out_migrants"]].iloc[1:] > 0).all().all()


@pytest.mark.parametrize(
    "metric",
    [
        "population",
        "households",
        "births",
        "deaths",
        "in_migrants",
        "out_migrants",
        "internal_moves",
    ],
)
def test_levels_add_up(full_run, metric: str) -> None:
    model, table, _ = full_run
    zones = _level(table, "zone", metric)
    munis = _level(table, "municipality", metric)
    region = _level(table, "region", metric).iloc[:, 0]
    muni_of_zone = model.region.zones["municipality"]
    by_muni = zones.T.groupby(muni_of_zone.loc[zones.columns].to_numpy()).sum().T
    np.testing.assert_allclose(by_muni[munis.columns].to_numpy(), munis.to_numpy())
    np.testing.assert_allclose(munis.sum(axis=1).to_numpy(), region.to_numpy())
    if metric in ("population", "households"):
        segments = _level(table, "segment", metric)
        np.testing.assert_allclose(segments.sum(axis=1).to_numpy(), region.to_numpy())


def test_final_state_households_and_dwellings(full_run) -> None:
    model, table, _ = full_run
    hh, d = model.households, model.dwellings
    nz = model.region.n_zones
    assert hh.n > 150_000 and (hh.size >= 1).all()
    assert (hh.zone >= 0).all() and (hh.dwelling_type >= 0).all()  # all housed
    occupied = np.bincount(
        hh.zone.astype(np.int64) * 3 + hh.dwelling_type, minlength=nz * 3
    ).reshape(nz, 3)
    np.testing.assert_array_equal(d.occupied, occupied)  # one household per dwelling
    assert (d.occupied <= d.stock).all()  # capacity
    assert (d.stock >= 0).all()
    built = (
        d.stock.sum()
        - model.region.zones[["dwellings_rental", "dwellings_tenant_owned", "dwellings_house"]]
        .to_numpy()
        .sum()
    )
    assert built >= 0
    final = table[(table["year"] == END_YEAR) & (table["level"] == "region")]
    values = dict(zip(final["metric"], final["value"], strict=True))
    assert values["population"] == hh.size.sum()
    assert values["households"] == hh.n
    assert 0.0 <= values["vacancy_rate"] <= 1.0
    lo, hi = model.cfg.assumptions.housing.price_floor, model.cfg.assumptions.housing.price_ceiling
    assert (d.price_index >= lo).all() and (d.price_index <= hi).all()
