"""Neighbourhood zones: sums, shares, attributes, and a base population that differs by them."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from fh_sim.config import SimConfig
from fh_sim.data import familjen_helsingborg_neighbourhood_facts as nf
from fh_sim.errors import DataError
from fh_sim.outcomes.record import segregation_by
from fh_sim.region import load_region
from fh_sim.region.load import embedded_data_dir
from fh_sim.sim.model import HousingModel

LISTED = ["helsingborg_drottninghog", "helsingborg_dalhem", "helsingborg_fredriksdal"]
VILLAS = ["helsingborg_wilson_park", "helsingborg_husensjo", "helsingborg_sofieberg"]


@pytest.fixture(scope="module")
def region():
    return load_region()


@pytest.fixture(scope="module")
def base(region):
    return HousingModel(SimConfig(seed=5, scale=0.3, end_year=2020), region=region)


def test_at_least_90_zones_none_over_15000_towns_split(region):
    z = region.zones
    assert len(z) >= 90 and z.index.is_unique
    assert z.population_2019.max() <= 15_000
    for town, hoods in nf.SPLITS.items():
        ids = [h.zone_id for h in hoods]
        assert ids[0] == town and set(ids) <= set(z.index)
        assert (z.loc[ids, "municipality"] == z.loc[town, "municipality"]).all()
    sums = z.groupby("municipality").population_2019.sum()
    pd.testing.assert_series_equal(
        sums.sort_index(), region.municipalities.population_2019.sort_index(), check_names=False
    )


def test_found_figures_become_their_share_of_the_town(region):
    """Rule N1: persons 2019 = town zone 2019 x figure / tätort that year (+-1 rounding)."""
    z = region.zones
    town = int(z.loc[[h.zone_id for h in nf.HELSINGBORG], "population_2019"].sum())
    for h in nf.HELSINGBORG:
        if h.figure is not None:
            want = town * h.figure / nf.LOCALITY_POPULATION["helsingborg"][h.year]
            assert abs(z.population_2019[h.zone_id] - want) <= 1, h.zone_id


def test_income_index_keeps_each_municipality_at_one(region):
    z = region.zones
    w = z.population_2019 * z.income_index
    means = w.groupby(z.municipality).sum() / z.population_2019.groupby(z.municipality).sum()
    np.testing.assert_allclose(means.to_numpy(), 1.0, atol=1e-3)
    assert z.loc[LISTED, "income_index"].max() < z.loc[VILLAS, "income_index"].min()


def test_police_listed_areas_carry_more_crime(region):
    z = region.zones
    hbg = z[z.municipality == "Helsingborg"]
    listed = hbg.vulnerable_area > 0
    assert set(LISTED) <= set(hbg.index[listed])
    np.testing.assert_allclose(
        hbg.crime_index[listed] / hbg.crime_index[~listed].iloc[0], 1.5, rtol=1e-3
    )
    lk = z[z.municipality == "Landskrona"]
    assert lk.vulnerable_area["landskrona_karlslund"] == 2
    np.testing.assert_allclose(
        lk.crime_index["landskrona_karlslund"] / lk.crime_index.min(), 2.0, rtol=1e-3
    )


def test_base_population_differs_by_neighbourhood(base, region):
    hh = base.households
    zid = region.zones.index.to_numpy()[hh.zone]
    listed, villas = np.isin(zid, LISTED), np.isin(zid, VILLAS)
    assert np.median(hh.income_annual[listed]) < 0.85 * np.median(hh.income_annual[villas])
    assert (hh.dwelling_type[listed] == 0).mean() > 0.6 > (hh.dwelling_type[villas] == 0).mean()
    young = np.isin(zid, ["helsingborg_soder", "helsingborg_eneborg", "helsingborg_hogaborg"])
    older = np.isin(zid, ["helsingborg_raa", "helsingborg_miatorp", "helsingborg_hogasten"])
    assert (hh.age_head[young] < 30).mean() > (hh.age_head[older] < 30).mean() + 0.05
    assert (hh.age_head[older] >= 65).mean() > (hh.age_head[young] >= 65).mean() + 0.05


def test_segregation_inside_the_split_towns_exceeds_the_rest(base, region):
    hh = base.households
    counts = np.zeros((region.n_zones, 3))
    np.add.at(counts, (hh.zone, hh.income_group), 1)
    muni = pd.Categorical(region.zones.municipality, categories=region.municipalities.index)
    seg = segregation_by(counts, muni.codes, len(muni.categories))
    dis = pd.Series(seg["dissimilarity_income"], index=muni.categories)
    assert dis["Helsingborg"] > 0.1 and dis["Landskrona"] > 0.06
    assert dis["Helsingborg"] > 3 * max(dis["Klippan"], dis["Åstorp"], dis["Bjuv"])


def _attrs_copy(tmp_path, edit):
    copy = tmp_path / "data"
    shutil.copytree(embedded_data_dir(), copy)
    path = copy / "zone_attributes.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    edit(df).to_csv(path, index=False)
    return copy


def test_neighbourhood_attributes_may_be_left_out(tmp_path):
    copy = _attrs_copy(tmp_path, lambda df: df[~df.attribute.isin(["income_index", "age_profile"])])
    z = load_region(copy).zones
    assert (z.income_index == 1.0).all() and (z.age_profile == 0.0).all()


def test_a_neighbourhood_attribute_missing_for_one_zone_is_an_error(tmp_path):
    copy = _attrs_copy(
        tmp_path,
        lambda df: df[~((df.attribute == "income_index") & (df.zone_id == "helsingborg_raa"))],
    )
    with pytest.raises(
        DataError, match="'helsingborg_raa' has no value for attribute 'income_index'"
    ):
        load_region(copy)
