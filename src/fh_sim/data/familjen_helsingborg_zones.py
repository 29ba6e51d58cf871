"""Zone attributes of the embedded data: dwellings, jobs, amenities, price and crime.

Observed municipal figures are used where they exist; every other value follows a stated
assumption (rules H1-H4, J1-J2, E1-E5, L1-L2 in DATA.md) and is labelled ``assumed``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fh_sim.data.familjen_helsingborg_hood_attributes import hood_attributes

HOUSEHOLD_SIZE = 2.19  # persons; observed for Helsingborg (2016, S31), assumed elsewhere
VACANCY = 0.02  # share of dwellings vacant (assumed)
HBG_MIX = np.array([0.40, 0.23, 0.33])  # rental, tenant-owned, house (S32, c.2015)
DEFAULT_MIX = np.array([0.25, 0.15, 0.60])  # assumed for municipalities without a figure
ZONE_MIX = {
    "rural": np.array([0.10, 0.05, 0.85]),
    "locality": np.array([0.22, 0.13, 0.65]),
    # rule H5 (assumed): neighbourhoods by the building type their source describes
    "estate": np.array([0.80, 0.12, 0.08]),
    "multi": np.array([0.55, 0.40, 0.05]),
    "mixed": np.array([0.35, 0.25, 0.40]),
    "villa": np.array([0.08, 0.07, 0.85]),
}
HOOD_KINDS = ("estate", "multi", "mixed", "villa")
JOB_WEIGHT = {"main": 1.5, "locality": 1.0, "rural": 0.5, **dict.fromkeys(HOOD_KINDS, 1.0)}
# rule E6 (assumed): crime index of police-listed areas relative to their municipality
VULNERABLE_CRIME_FACTOR = {0: 1.0, 1: 1.5, 2: 2.0}
# rule I2 (assumed): income level of a neighbourhood without an area figure, by kind
KIND_INCOME = {"estate": 0.75, "multi": 0.95, "mixed": 1.0, "villa": 1.15}
JOBS_PER_RESIDENT_LANDSKRONA_2017 = (6578 + 10096) / 45286
CAPACITY_FACTOR = {"station": 0.25, "no_station": 0.10, "rural": 0.15}
PLANNED_SHARE_PER_YEAR = 0.01
COAST = {
    "helsingborg": 1.0,
    "rydeback": 1.0,
    "hittarp": 1.0,
    "landskrona": 1.0,
    "glumslov": 1.0,
    "hoganas": 1.0,
    "viken": 1.0,
    "hoganas_rural": 1.0,
    "angelholm": 1.0,
    "bastad": 1.0,
    "torekov": 1.0,
    "landskrona_rural": 1.0,
    "jonstorp": 0.5,
    "forslov": 0.5,
    "haljarp": 0.5,
    "helsingborg_rural": 0.5,
    "kattarp": 0.5,
    # neighbourhoods: on the shore (sources' descriptions) 1, within about 1.5 km 0.5
    "helsingborg_norr": 1.0,
    "helsingborg_raa": 1.0,
    "helsingborg_planteringen": 1.0,
    "helsingborg_hogasten": 1.0,
    "helsingborg_miatorp": 0.5,
    "helsingborg_soder": 0.5,
    "helsingborg_tagaborg_norra": 0.5,
    "helsingborg_tagaborg_sodra": 0.5,
    "helsingborg_slottshojden": 0.5,
    "helsingborg_olympia": 0.5,
    "helsingborg_stattena": 0.5,
    "helsingborg_eneborg": 0.5,
    "helsingborg_mariastaden": 0.5,
    "landskrona_borstahusen": 1.0,
    "landskrona_karlslund": 0.5,
    "landskrona_ostra": 0.5,
    "angelholm_vejbystrand": 1.0,
    "angelholm_skalderviken": 1.0,
    "angelholm_soder": 0.5,
    "hoganas_lerberget": 1.0,
    "hoganas_nyhamnslage": 1.0,
    "domsten": 1.0,
    "arild": 1.0,
}
NATURE = {
    "hoganas_rural": 1.0,
    "svalov_rural": 1.0,
    "ljungbyhed": 0.9,
    "bastad_rural": 0.9,
    "forslov": 0.7,
    "helsingborg": 0.2,
}
NATURE_BY_KIND = {"main": 0.3, "locality": 0.5, "rural": 0.7, **dict.fromkeys(HOOD_KINDS, 0.3)}
PRICE_NEIGHBOURS = {
    "Ängelholm": ["Helsingborg", "Höganäs", "Båstad", "Klippan"],
    "Åstorp": ["Bjuv", "Klippan", "Helsingborg"],
    "Svalöv": ["Landskrona", "Bjuv", "Klippan"],
    "Örkelljunga": ["Klippan", "Perstorp", "Båstad"],
}
CRIME_UNLISTED_FACTOR = 0.7


def _kind(z: pd.Series, main_ids: set[str]) -> str:
    if z.is_rural:
        return "rural"
    hood = _hoods().get(z.zone_id)
    if hood is not None:
        return hood.kind
    return "main" if z.zone_id in main_ids else "locality"


def _hoods() -> dict:
    from fh_sim.data.familjen_helsingborg_neighbourhood_facts import SPLITS

    return {h.zone_id: h for hoods in SPLITS.values() for h in hoods}


def _lr(total: int, weights: np.ndarray) -> np.ndarray:
    from fh_sim.data.build_familjen_helsingborg import largest_remainder

    return largest_remainder(int(total), np.asarray(weights, dtype=float))


def _municipal_mix(m: str) -> tuple[np.ndarray, str, str]:
    if m == "Helsingborg":
        return HBG_MIX / HBG_MIX.sum(), "derived", "S32 mix (rule H3)"
    if m == "Landskrona":
        rest = 1 - 0.52
        other = HBG_MIX[1:] / HBG_MIX[1:].sum() * rest
        return np.array([0.52, *other]), "derived", "S32 rental share 52% (rule H3)"
    return DEFAULT_MIX, "assumed", "rule H3 default mix"


def _dwellings(zones: pd.DataFrame, kinds: pd.Series) -> tuple[pd.DataFrame, dict]:
    """Dwellings per zone and type: each zone's total from its own population (H1, H2).

    A zone's total is its population / HOUSEHOLD_SIZE / (1 - VACANCY) (largest remainder
    within the municipality), so every zone starts at the assumed vacancy. The types
    are fitted (iterative proportional fitting) to the zone totals and the municipal
    mix (H3), starting from each neighbourhood's kind mix (H5) and the municipal mix in
    the main and other zones (H4); rounded per zone by largest remainder.
    """
    out = pd.DataFrame(0, index=zones.index, columns=["rental", "tenant_owned", "house"])
    status = {}
    for m, grp in zones.groupby("municipality", sort=False):
        total = round(grp.population_2019.sum() / HOUSEHOLD_SIZE / (1 - VACANCY))
        mix, st, src = _municipal_mix(m)
        by_type = np.asarray(_lr(total, mix), dtype=float)
        zone_total = np.asarray(_lr(total, grp.population_2019.to_numpy(dtype=float)))
        seed = np.array([ZONE_MIX.get(kinds[i], mix) for i in grp.index], dtype=float)
        fit = seed * zone_total[:, None]
        for _ in range(200):  # rows: zone totals; columns: municipal types
            fit *= np.divide(by_type, fit.sum(axis=0), out=np.ones(3), where=fit.sum(axis=0) > 0)
            rows = fit.sum(axis=1, keepdims=True)
            fit *= np.divide(zone_total[:, None], rows, out=np.zeros_like(rows), where=rows > 0)
        for i, t_i, w in zip(grp.index, zone_total, fit, strict=True):
            out.loc[i] = _lr(int(t_i), w if w.sum() > 0 else mix)
        for i in grp.index:
            status[i] = (st, f"{src}; rules H1, H2, H4, H5")
    return out, status


def _jobs(zones: pd.DataFrame, kinds: pd.Series) -> tuple[pd.Series, dict]:
    jobs = pd.Series(0, index=zones.index)
    status = {}
    for m, grp in zones.groupby("municipality", sort=False):
        pop = grp.population_2019.sum()
        if m == "Helsingborg":
            total, st, src = round(24000 / 0.335), "derived", "S31 in-commuters / share (J1)"
        elif m == "Landskrona":
            total, st, src = 6578 + 10096, "derived", "S24 in-commuters + live-and-work (J1)"
        else:
            total = round(pop * JOBS_PER_RESIDENT_LANDSKRONA_2017)
            st, src = "assumed", "rule J1 (jobs per resident as Landskrona 2017)"
        w = np.array(
            [
                grp.population_2019[i]
                * JOB_WEIGHT["main" if grp.zone_id[i] in set(_main_ids()) else kinds[i]]
                for i in grp.index
            ]
        )
        jobs[grp.index] = _lr(total, w)
        for i in grp.index:
            status[i] = (st, f"{src}; rule J2 within the municipality")
    return jobs, status


def _index(muni: pd.DataFrame, col: str, fill: dict[str, float]) -> pd.Series:
    values = muni.set_index("municipality")[col].astype(float)
    values = values.fillna(pd.Series(fill))
    pop = muni.set_index("municipality").population_2019
    return values / float((values * pop).sum() / pop.sum())


def zone_attributes(zones: pd.DataFrame, muni: pd.DataFrame) -> pd.DataFrame:
    """Long table (zone_id, attribute, value, unit, status, source) for every zone."""
    zones = zones.reset_index(drop=True)
    main_ids = {z for z in zones.zone_id if z in set(_main_ids())}
    kinds = pd.Series([_kind(z, main_ids) for z in zones.itertuples()], index=zones.index)
    dw, dw_status = _dwellings(zones, kinds)
    jobs, job_status = _jobs(zones, kinds)
    prices = muni.set_index("municipality").brf_price_kr_per_m2.astype(float)
    fill_price = {m: float(prices[n].mean()) for m, n in PRICE_NEIGHBOURS.items()}
    price_idx = _index(muni, "brf_price_kr_per_m2", fill_price)
    crime = muni.set_index("municipality").reported_crimes_per_100k.astype(float)
    low = CRIME_UNLISTED_FACTOR * float(crime.min())
    crime_idx = _index(
        muni, "reported_crimes_per_100k", {m: low for m in crime.index[crime.isna()]}
    )
    # rule E3: a neighbourhood takes the services of its whole locality
    loc_pop = zones.groupby("locality").population_2019.transform("sum")
    logp = np.log(loc_pop.to_numpy(float))
    services = (logp - logp.min()) / (logp.max() - logp.min())
    hood = hood_attributes(zones, kinds, zones.municipality.map(crime_idx))
    listed = set(zones.municipality[np.array([v[0] for v in hood["vulnerable_area"]]) > 0])
    rows: list[dict] = []

    def add(i: int, attr: str, value: float, unit: str, status: str, source: str) -> None:
        rows.append(
            {
                "zone_id": zones.zone_id[i],
                "attribute": attr,
                "value": value,
                "unit": unit,
                "status": status,
                "source": source,
            }
        )

    for i, z in zones.iterrows():
        st, src = dw_status[i]
        for col in dw.columns:
            add(i, f"dwellings_{col}", int(dw.loc[i, col]), "dwellings", st, src)
        add(i, "jobs", int(jobs[i]), "jobs", *job_status[i])
        add(i, "amenity_coast", COAST.get(z.zone_id, 0.0), "index_0_1", "assumed", "rule E1")
        add(
            i,
            "amenity_nature",
            NATURE.get(z.zone_id, NATURE_BY_KIND[kinds[i]]),
            "index_0_1",
            "assumed",
            "rule E2",
        )
        add(
            i,
            "amenity_services",
            round(float(services[i]), 4),
            "index_0_1",
            "derived",
            "rule E3 (log population scaled to 0-1)",
        )
        m = z.municipality
        observed_price = not np.isnan(prices[m])
        add(
            i,
            "price_index",
            round(float(price_idx[m]), 4),
            "index_region_mean_1",
            "derived" if observed_price else "assumed",
            "S27 brf kr/m2 over the regional mean (rule E4)"
            if observed_price
            else "rule E4: mean brf price of neighbours " + ", ".join(PRICE_NEIGHBOURS[m]),
        )
        observed_crime = not np.isnan(crime[m])
        value, st_crime, src_crime = hood["crime_index"][i]
        add(
            i,
            "crime_index",
            value,
            "index_region_mean_1",
            st_crime
            if m in listed and st_crime == "assumed"
            else ("derived" if observed_crime else "assumed"),
            (
                "S30 reported crimes per 100k over the regional mean (rule E5)"
                if observed_crime
                else "rule E5: 0.7 x lowest listed rate (not on Brå's top-10 list)"
            )
            + (f"; {src_crime}" if m in listed else ""),
        )
        for attr, unit in (
            ("income_index", "index_municipal_mean_1"),
            ("age_profile", "index_minus1_1"),
            ("vulnerable_area", "police_list_level"),
        ):
            add(i, attr, hood[attr][i][0], unit, hood[attr][i][1], hood[attr][i][2])
        stock = int(dw.loc[i].sum())
        kind = "rural" if z.is_rural else ("station" if z.has_station else "no_station")
        add(
            i,
            "land_capacity_dwellings",
            int(round(stock * (1 + CAPACITY_FACTOR[kind]))),
            "dwellings",
            "assumed",
            f"rule L1 (stock x {1 + CAPACITY_FACTOR[kind]:g})",
        )
        add(
            i,
            "planned_dwellings_per_year",
            round(stock * PLANNED_SHARE_PER_YEAR, 1),
            "dwellings_per_year",
            "assumed",
            "rule L2 (1% of the stock per year)",
        )
    return pd.DataFrame(rows)


def _main_ids() -> list[str]:
    from fh_sim.data.familjen_helsingborg_facts import MAIN_TOWN

    return list(MAIN_TOWN.values())
