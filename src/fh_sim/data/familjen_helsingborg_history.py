"""The observed record up to the base year: populations and components of change.

Only figures up to 31 December 2019 are here; they are what ``fh-sim calibrate`` may fit
to. Figures after 2019 live in ``population_observed.csv`` and are validation data only.
Every value carries its source key (DATA.md) and a status:

- ``observed``: the figure as a source states it;
- ``derived``: computed from observed figures by the rule given in ``note``.

``python -m fh_sim.data.familjen_helsingborg_history`` writes
``population_history.csv``, ``population_components.csv`` and ``locality_history.csv``
into the embedded data set.
"""

from __future__ import annotations

import pandas as pd

from fh_sim.data.fact_tables import fact_table, write_tables

# fmt: off
# municipality, date of the count, persons, status, source key, note
POPULATION_HISTORY: list[tuple[str, str, int, str, str, str]] = [
    # 30 June 2008, all 11 (de.wikipedia Skåne län, older revision, SCB): H01
    ("Helsingborg", "2008-06-30", 125984, "observed", "H01", "mid-year count"),
    ("Landskrona", "2008-06-30", 40600, "observed", "H01", "mid-year count"),
    ("Ängelholm", "2008-06-30", 38891, "observed", "H01", "mid-year count"),
    ("Höganäs", "2008-06-30", 24190, "observed", "H01", "mid-year count"),
    ("Klippan", "2008-06-30", 16319, "observed", "H01", "mid-year count"),
    ("Åstorp", "2008-06-30", 14342, "observed", "H01", "mid-year count"),
    ("Bjuv", "2008-06-30", 14520, "observed", "H01", "mid-year count"),
    ("Båstad", "2008-06-30", 14271, "observed", "H01", "mid-year count"),
    ("Svalöv", "2008-06-30", 13084, "observed", "H01", "mid-year count"),
    ("Örkelljunga", "2008-06-30", 9580, "observed", "H01", "mid-year count"),
    ("Perstorp", "2008-06-30", 6967, "observed", "H01", "mid-year count"),
    # 31 March 2016, all 11 (de.wikipedia Skåne län, SCB quarterly): H02
    ("Helsingborg", "2016-03-31", 138293, "observed", "H02", "end of Q1"),
    ("Landskrona", "2016-03-31", 44153, "observed", "H02", "end of Q1"),
    ("Ängelholm", "2016-03-31", 40778, "observed", "H02", "end of Q1"),
    ("Höganäs", "2016-03-31", 25630, "observed", "H02", "end of Q1"),
    ("Klippan", "2016-03-31", 16874, "observed", "H02", "end of Q1"),
    ("Åstorp", "2016-03-31", 15298, "observed", "H02", "end of Q1"),
    ("Bjuv", "2016-03-31", 14982, "observed", "H02", "end of Q1"),
    ("Båstad", "2016-03-31", 14406, "observed", "H02", "end of Q1"),
    ("Svalöv", "2016-03-31", 13715, "observed", "H02", "end of Q1"),
    ("Örkelljunga", "2016-03-31", 9823, "observed", "H02", "end of Q1"),
    ("Perstorp", "2016-03-31", 7207, "observed", "H02", "end of Q1"),
    # 31 December 2019, all 11 (S01; county total checked against S02)
    ("Helsingborg", "2019-12-31", 147734, "observed", "S01", ""),
    ("Landskrona", "2019-12-31", 46090, "observed", "S01", ""),
    ("Ängelholm", "2019-12-31", 42476, "observed", "S01", ""),
    ("Höganäs", "2019-12-31", 26942, "observed", "S01", ""),
    ("Klippan", "2019-12-31", 17756, "observed", "S01", ""),
    ("Åstorp", "2019-12-31", 15940, "observed", "S01", ""),
    ("Bjuv", "2019-12-31", 15715, "observed", "S01", ""),
    ("Båstad", "2019-12-31", 15128, "observed", "S01", ""),
    ("Svalöv", "2019-12-31", 14268, "observed", "S01", ""),
    ("Örkelljunga", "2019-12-31", 10280, "observed", "S01", ""),
    ("Perstorp", "2019-12-31", 7492, "observed", "S01", ""),
    # other year-end figures of single municipalities
    ("Helsingborg", "2010-12-31", 129177, "observed", "S12", ""),
    ("Helsingborg", "2011-12-31", 130626, "observed", "S12", ""),
    ("Helsingborg", "2014-12-31", 135344, "observed", "S31", "Befolkningsutveckling 2014"),
    ("Helsingborg", "2015-12-31", 137909, "observed", "S31", "Befolkningsutveckling 2015"),
    ("Helsingborg", "2017-12-31", 143304, "observed", "S10", ""),
    ("Landskrona", "2016-12-31", 44611, "observed", "S24", ""),
    ("Landskrona", "2017-12-31", 45286, "observed", "S24", ""),
    ("Landskrona", "2018-12-31", 45775, "observed", "S24", ""),
    ("Ängelholm", "2014-12-31", 40229, "observed", "S22", ""),
    ("Ängelholm", "2015-12-31", 40743, "observed", "S22", ""),
    ("Höganäs", "2016-12-31", 25847, "observed", "S17", ""),
    ("Åstorp", "2000-12-31", 12799, "observed", "H03", ""),
    ("Åstorp", "2018-12-31", 15987, "derived", "H03;S01",
     "2019 figure plus the 47 persons the population fell by in 2019 (H03)"),
    ("Bjuv", "2016-12-31", 15202, "observed", "S13", ""),
    ("Bjuv", "2018-12-31", 15501, "observed", "S13", ""),
    ("Båstad", "2016-12-31", 14614, "observed", "S16", ""),
    ("Båstad", "2017-12-31", 14796, "observed", "S16", ""),
    ("Svalöv", "2017-12-31", 14025, "observed", "S18", ""),
    ("Örkelljunga", "2018-12-31", 10174, "observed", "S19", ""),
]

# municipality, year, component, persons, status, source key
# components: births, net_migration (in minus out across the municipal border),
# in_migrants, out_migrants, change (year-end to year-end)
COMPONENTS: list[tuple[str, int, str, int, str, str]] = [
    ("Helsingborg", 2014, "change", 2355, "observed", "S31"),
    ("Helsingborg", 2014, "births", 1654, "observed", "S31"),
    ("Helsingborg", 2014, "net_migration", 1923, "observed", "S31"),
    ("Helsingborg", 2015, "change", 2565, "observed", "S31"),
    ("Helsingborg", 2015, "births", 1644, "observed", "S31"),
    ("Helsingborg", 2015, "net_migration", 2119, "observed", "S31"),
    ("Helsingborg", 2015, "in_migrants", 9556, "observed", "S31"),
    ("Helsingborg", 2015, "out_migrants", 7437, "observed", "S31"),
    ("Landskrona", 2016, "in_migrants", 3121, "observed", "S24"),
    ("Landskrona", 2016, "out_migrants", 2541, "observed", "S24"),
    ("Landskrona", 2018, "in_migrants", 3150, "observed", "S24"),
    ("Landskrona", 2018, "out_migrants", 2659, "observed", "S24"),
    ("Ängelholm", 2015, "change", 490, "observed", "S22"),
    ("Åstorp", 2019, "change", -47, "observed", "H03"),
]
# Tätort (locality) populations published by SCB via Regionfakta (S25): locality,
# municipality, year, persons. Zones are localities, so these are zone-level history.
LOCALITY_HISTORY: list[tuple[str, str, int, int, str]] = [
    ("Helsingborg", "Helsingborg", 2000, 87914, "S25"),
    ("Helsingborg", "Helsingborg", 2010, 97122, "S25"),
    ("Helsingborg", "Helsingborg", 2015, 104250, "S25"),
    ("Höganäs", "Höganäs", 2000, 13401, "S25"),
    ("Höganäs", "Höganäs", 2010, 14107, "S25"),
    ("Höganäs", "Höganäs", 2015, 14778, "S25"),
    ("Landskrona", "Landskrona", 2000, 27393, "S25"),
    ("Landskrona", "Landskrona", 2010, 30499, "S25"),
    ("Landskrona", "Landskrona", 2015, 32229, "S25"),
    ("Ängelholm", "Ängelholm", 2000, 21716, "S25"),
    ("Ängelholm", "Ängelholm", 2010, 23240, "S25"),
    ("Ängelholm", "Ängelholm", 2015, 27500, "S25"),
]
# fmt: on


def locality_history() -> pd.DataFrame:
    """One row per (locality, year): tätort population, persons (observed)."""
    return fact_table(
        LOCALITY_HISTORY,
        ["locality", "municipality", "year", "population", "unit", "status", "source"],
        unit="persons",
        status="observed",
    )


def population_history() -> pd.DataFrame:
    """One row per (municipality, date): persons, status, source, note; year = date's year."""
    df = fact_table(
        POPULATION_HISTORY,
        ["municipality", "date", "population", "unit", "status", "source", "note"],
        unit="persons",
    )
    df.insert(2, "year", pd.to_datetime(df["date"]).dt.year)
    return df.sort_values(["municipality", "date"], kind="stable").reset_index(drop=True)


def components() -> pd.DataFrame:
    """One row per (municipality, year, component) of change, persons per year."""
    return fact_table(
        COMPONENTS,
        ["municipality", "year", "component", "value", "unit", "status", "source"],
        unit="persons/year",
    )


def main() -> None:
    """Write ``population_history.csv``, ``population_components.csv``, ``locality_history.csv``."""
    write_tables(
        {
            "population_history": population_history(),
            "population_components": components(),
            "locality_history": locality_history(),
        }
    )


if __name__ == "__main__":
    main()
