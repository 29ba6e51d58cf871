"""Neighbourhood attributes: police-listed areas, crime, income level and age profile.

Rules (DATA.md):

- **V1** ``vulnerable_area``: 2 = "särskilt utsatt", 1 = "riskområde" on the police's
  lists with the year in the source (N06, N07); 0 = on no list found (assumed).
- **E6** ``crime_index``: the municipality's index (rule E5) times 1.5 (riskområde) or
  2.0 (särskilt utsatt) (assumed), then rescaled within the municipality so that its
  population-weighted mean stays the municipal index (derived).
- **I1** ``income_index``: household income level relative to the municipal mean.
  Helsingborg neighbourhoods in an area of the Områdesbeskrivning 2017 take the area's
  mean income over the city's (N05, derived); other neighbourhoods take a level by
  building type (rule I2, assumed: estate 0.75, multi 0.95, mixed 1.0, villa 1.15);
  every other zone 1. Rescaled so each municipality's population-weighted mean is 1.
- **A1** ``age_profile`` in -1..1: +1 many young adults (heads 20-29), -1 many aged 65+,
  from N05's area profiles; 0 elsewhere (assumed).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fh_sim.data import familjen_helsingborg_neighbourhood_facts as nf


def _within_municipality_mean_one(
    zones: pd.DataFrame, raw: np.ndarray, target: pd.Series | None = None
) -> np.ndarray:
    """Rescale ``raw`` so each municipality's population-weighted mean is ``target`` (1)."""
    pop = zones.population_2019.to_numpy(float)
    out = raw.astype(float).copy()
    for _m, idx in zones.groupby("municipality").groups.items():
        i = np.asarray([zones.index.get_loc(k) for k in idx])
        mean = float((raw[i] * pop[i]).sum() / max(pop[i].sum(), 1.0))
        goal = 1.0 if target is None else float(target.iloc[i[0]])
        out[i] = raw[i] * goal / mean if mean > 0 else goal
    return out


def hood_attributes(
    zones: pd.DataFrame, kinds: pd.Series, municipal_crime: pd.Series
) -> dict[str, list[tuple[float, str, str]]]:
    """(value, status, source) per zone for the neighbourhood attributes.

    Args:
        zones: zone table (index 0..n-1) with ``zone_id``, ``municipality``,
            ``population_2019``.
        kinds: building type or zone kind per zone.
        municipal_crime: crime index of each zone's municipality (rule E5).

    Returns:
        attribute name -> one (value, status, source) per zone, in zone order.
    """
    n = len(zones)
    ids = list(zones.zone_id)
    level = np.array([nf.VULNERABLE.get(z, (0, 0, ""))[0] for z in ids])
    vuln = [
        (float(level[i]), "observed", "V1: police list {}: {}".format(*nf.VULNERABLE[z][1:]))
        if z in nf.VULNERABLE
        else (0.0, "assumed", "V1: on no police list found")
        for i, z in enumerate(ids)
    ]
    factor = np.array([{0: 1.0, 1: 1.5, 2: 2.0}[int(v)] for v in level])
    crime = _within_municipality_mean_one(zones, factor, municipal_crime.reset_index(drop=True))
    crime_rows = [
        (
            round(float(crime[i]), 4),
            "assumed" if level[i] else "derived",
            "rule E6: municipal index (E5) x "
            f"{factor[i]:g} for the police list, rescaled within the municipality",
        )
        for i in range(n)
    ]
    area_of = {z: a for a, (_, members) in nf.AREA_INCOME.items() for z in members}
    raw = np.ones(n)
    how = []
    for i, z in enumerate(ids):
        if z in area_of:
            a = area_of[z]
            raw[i] = nf.AREA_INCOME[a][0] / nf.AREA_INCOME_CITY
            how.append(("derived", f"I1: N05 {a} mean income / Helsingborg's, rescaled"))
        elif kinds[i] in ("estate", "multi", "mixed", "villa"):
            raw[i] = {"estate": 0.75, "multi": 0.95, "mixed": 1.0, "villa": 1.15}[kinds[i]]
            how.append(("assumed", f"I2: level of a '{kinds[i]}' area, rescaled"))
        else:
            how.append(("assumed", "I1: municipal mean"))
    income = _within_municipality_mean_one(zones, raw)
    income_rows = [(round(float(income[i]), 4), *how[i]) for i in range(n)]
    age_rows = []
    for z in ids:
        a = area_of.get(z, "")
        if a in nf.AGE_PROFILE_AREAS:
            age_rows.append((nf.AGE_PROFILE_AREAS[a], "observed", f"A1: N05 {a} age profile"))
        else:
            age_rows.append((0.0, "assumed", "A1: no profile found"))
    return {
        "vulnerable_area": vuln,
        "crime_index": crime_rows,
        "income_index": income_rows,
        "age_profile": age_rows,
    }
