"""Facts about Familjen Helsingborg transcribed from public sources (keys in DATA.md).

Only figures found in a source are written here, each with its source key. Everything
computed from them lives in :mod:`fh_sim.data.build_familjen_helsingborg`.
"""

from __future__ import annotations

# fmt: off

# municipality: (SCB code, population 31 Dec 2019, land km2 or None, brf kr/m2 or None,
#   reported crimes per 100k or None, second homes 2020, source keys)
MUNICIPALITIES: dict[str, tuple[str, int, float | None, int | None, int | None, int, str]] = {
    "Helsingborg": ("1283", 147734, 344.01, 27160, 18507, 694, "S01;S10;S26;S27;S30"),
    "Landskrona": ("1282", 46090, 140.28, 24679, 16617, 1105, "S01;S09;S26;S27;S30"),
    "Ängelholm": ("1292", 42476, None, None, None, 1615, "S01;S21;S26"),
    "Höganäs": ("1284", 26942, 143.48, 26388, None, 2044, "S01;S17;S26;S27"),
    "Klippan": ("1276", 17756, 374.27, 8712, None, 801, "S01;S15;S26;S27"),
    "Åstorp": ("1277", 15940, 92.62, None, 17463, 204, "S01;S14;S26;S30"),
    "Bjuv": ("1260", 15715, 115.31, 9894, 22774, 167, "S01;S13;S26;S27;S30"),
    "Båstad": ("1278", 15128, 209.79, 36315, None, 5028, "S01;S16;S26;S27"),
    "Svalöv": ("1214", 14268, 387.3, None, None, 386, "S01;S18;S26"),
    "Örkelljunga": ("1257", 10280, 319.55, None, None, 1287, "S01;S19;S26"),
    "Perstorp": ("1275", 7492, 159.79, 5895, None, 265, "S01;S20;S26;S27"),
}

# Municipal population series (31 Dec of each year) used to turn locality figures of mixed
# years into shares; approximate figures ('~16,000') are left out.
POPULATION_SERIES: dict[str, dict[int, int]] = {
    "Helsingborg": {2000: 117737, 2005: 122062, 2010: 129177, 2011: 130626, 2017: 143304,
                    2019: 147734},
    "Landskrona": {2003: 40018, 2016: 44611, 2017: 45286, 2018: 45775, 2019: 46090,
                   2023: 47134},
    "Ängelholm": {2014: 40229, 2015: 40743, 2019: 42476},
    "Höganäs": {1980: 22111, 2000: 22639, 2006: 23857, 2016: 25847, 2019: 26942},
    "Klippan": {2019: 17756},
    "Åstorp": {2004: 13891, 2019: 15940},
    "Bjuv": {2016: 15202, 2018: 15501, 2019: 15715},
    "Båstad": {2016: 14614, 2017: 14796, 2019: 15128},
    "Svalöv": {2017: 14025, 2019: 14268},
    "Örkelljunga": {2018: 10174, 2019: 10280},
    "Perstorp": {2006: 6898, 2019: 7492},
}

# Zones that are localities: zone_id -> (name, municipality, lat, lon, coord source,
#   population figure, its year, population source, has a passenger station)
# The population figure is the one whose year is closest to 2019 (ties: the earlier).
LOCALITY_ZONES: dict[str, tuple[str, str, float, float, str, int, int, str, bool]] = {
    "helsingborg": ("Helsingborg", "Helsingborg", 56.044198, 12.704068, "svenska-stader",
                    109869, 2018, "S10 (locality table 2018)", True),
    "rydeback": ("Rydebäck", "Helsingborg", 55.966444, 12.780677, "svenska-stader",
                 6429, 2018, "S10 (Helsingborg part)", True),
    "odakra": ("Ödåkra", "Helsingborg", 56.104167, 12.745833, "da.wikipedia",
               5413, 2018, "S10", True),
    "hittarp": ("Hittarp/Laröd", "Helsingborg", 56.098331, 12.638806, "svenska-stader",
                4670, 2018, "S10", False),
    "paarp": ("Påarp och Bårslöv", "Helsingborg", 56.03389, 12.82083, "sv.wikipedia Påarp",
              2959 + 2774, 2018, "S10 (Påarp 2959 + Bårslöv 2774; one SCB tätort since 2020)",
              True),
    "morarp": ("Mörarp", "Helsingborg", 56.056735, 12.877454, "svenska-stader",
               1889, 2018, "S10", True),
    "gantofta": ("Gantofta", "Helsingborg", 55.987462, 12.801964, "svenska-stader",
                 1356, 2018, "S10", True),
    "vallakra": ("Vallåkra", "Helsingborg", 55.962267, 12.858315, "svenska-stader",
                 828, 2018, "S10", True),
    "kattarp": ("Kattarp", "Helsingborg", 56.193491, 12.755286, "svenska-stader",
                732, 2018, "S10", True),
    "landskrona": ("Landskrona", "Landskrona", 55.87056, 12.83111, "en.wikipedia Landskrona",
                   33296, 2018, "fi.wikipedia Landskrona (SCB 2018)", True),
    "haljarp": ("Häljarp", "Landskrona", 55.851545, 12.915209, "svenska-stader",
                2561, 2005, "S09 (31 Dec 2005)", False),
    "glumslov": ("Glumslöv", "Landskrona", 55.941698, 12.810486, "svenska-stader",
                 1861, 2005, "S09 (31 Dec 2005)", True),
    "asmundtorp": ("Asmundtorp", "Landskrona", 55.885595, 12.947194, "svenska-stader",
                   1551, 2005, "S09 (31 Dec 2005)", False),
    "angelholm": ("Ängelholm och Vejbystrand", "Ängelholm", 56.242922, 12.861937,
                  "svenska-stader", 27500, 2015, "S25; de.wikipedia Ängelholm (SCB 2015)", True),
    "munka_ljungby": ("Munka-Ljungby", "Ängelholm", 56.25944, 12.9725, "sv.wikipedia",
                      3470, 2020, "sv.wikipedia Munka-Ljungby (SCB 2020)", False),
    "hoganas": ("Höganäs", "Höganäs", 56.200856, 12.551584, "svenska-stader",
                14778, 2015, "S25 (SCB 2015)", False),
    "viken": ("Viken", "Höganäs", 56.15063, 12.57429, "GeoNames-style list; en.wikipedia",
              4227, 2010, "en.wikipedia Viken (SCB 2010)", False),
    "jonstorp": ("Jonstorp", "Höganäs", 56.2338, 12.67184, "fr.wikipedia",
                 1880, 2010, "fr.wikipedia Jonstorp (2010)", False),
    "klippan": ("Klippan", "Klippan", 56.13559, 13.13086, "de.wikipedia",
                8819, 2018, "S15 (localities 2018)", True),
    "ljungbyhed": ("Ljungbyhed", "Klippan", 56.074442, 13.233562, "svenska-stader",
                   2168, 2018, "S15 (localities 2018)", False),
    "ostra_ljungby": ("Östra Ljungby", "Klippan", 56.191351, 13.064778, "svenska-stader",
                      1819, 2018, "S15 (localities 2018)", False),
    "astorp": ("Åstorp", "Åstorp", 56.13083, 12.93389, "sv.wikipedia Åstorp",
               9703, 2020, "S14 (SCB 2020, incl. Nyvång)", True),
    "bjuv": ("Bjuv", "Bjuv", 56.084298, 12.91673, "svenska-stader",
             0, 2018, "S13 (split of 'Bjuv och Billesholm' 11032, rule P3)", True),
    "billesholm": ("Billesholm", "Bjuv", 56.05, 13.0, "GeoNames-style list (rounded)",
                   0, 2018, "S13 (split of 'Bjuv och Billesholm' 11032, rule P3)", True),
    "ekeby": ("Ekeby", "Bjuv", 56.016667, 12.95, "svenska-stader",
              3366, 2018, "S13 (localities 2018)", False),
    "bastad": ("Båstad", "Båstad", 56.426789, 12.860715, "svenska-stader",
               5146, 2015, "hd.se 2017-03-21 (2015)", True),
    "forslov": ("Förslöv", "Båstad", 56.353279, 12.817391, "svenska-stader",
                2368, 2015, "hd.se 2017-03-21 (2015)", True),
    "torekov": ("Torekov", "Båstad", 56.426297, 12.626767, "svenska-stader",
                1078, 2015, "hd.se 2017-03-21 (2015)", False),
    "svalov": ("Svalöv", "Svalöv", 55.91417, 13.10444, "sv.wikipedia Svalöv",
               4216, 2020, "S18 (SCB 2020)", True),
    "teckomatorp": ("Teckomatorp", "Svalöv", 55.866539, 13.090358, "svenska-stader",
                    1703, 2015, "de.wikipedia Teckomatorp (SCB 2015)", True),
    "kagerod": ("Kågeröd", "Svalöv", 55.999056, 13.088313, "svenska-stader",
                1413, 2005, "S18 (31 Dec 2005)", True),
    "billeberga": ("Billeberga", "Svalöv", 55.882914, 12.999087, "svenska-stader",
                   948, 2005, "S18 (31 Dec 2005)", True),
    "tagarp": ("Tågarp", "Svalöv", 55.925, 12.95556, "sv.wikipedia Tågarp",
               454, 2020, "sv.wikipedia Tågarp (SCB 2020, Svalöv part)", True),
    "orkelljunga": ("Örkelljunga", "Örkelljunga", 56.283976, 13.278452, "svenska-stader",
                    5193, 2015, "de.wikipedia Örkelljunga (SCB 2015)", False),
    "perstorp": ("Perstorp", "Perstorp", 56.137696, 13.395281, "svenska-stader",
                 6054, 2018, "S20 (2018)", True),
}

# Bjuv and Billesholm carry 0 above: their figures come from rule P3 below.
# Rule P3: 'Bjuv och Billesholm' (11032 in 2018) split by the 2005 component figures
# Bjuv 6348 + Gunnarstorp 362 + Södra Vrams fälad 262 = 6972 vs Billesholm 2794.
BJUV_MERGED_2018 = 11032
BJUV_2005_PARTS = {"bjuv": 6348 + 362 + 262, "billesholm": 2794}

# Rural remainder anchors: municipality -> (zone_id, anchor locality, lat, lon) or None
# when no remainder locality has coordinates (then 4 km north of the main town).
RURAL_ANCHORS: dict[str, tuple[str, str, float, float] | None] = {
    "Helsingborg": ("Allerum", "", 56.128579, 12.668427),
    "Landskrona": ("Saxtorpsskogen", "", 55.828988, 12.942142),
    "Ängelholm": ("Hjärnarp", "bus 507", 56.316862, 12.917843),
    "Höganäs": ("Mölle", "", 56.281944, 12.495833),
    "Klippan": None,
    "Åstorp": ("Kvidinge", "station", 56.135365, 13.04499),
    "Bjuv": None,
    "Båstad": ("Östra Karup", "", 56.423867, 12.943154),
    "Svalöv": ("Röstånga", "", 56.000698, 13.291218),
    "Örkelljunga": ("Skånes-Fagerhult", "", 56.370506, 13.46517),
    "Perstorp": None,
}
MAIN_TOWN = {
    "Helsingborg": "helsingborg", "Landskrona": "landskrona", "Ängelholm": "angelholm",
    "Höganäs": "hoganas", "Klippan": "klippan", "Åstorp": "astorp", "Bjuv": "bjuv",
    "Båstad": "bastad", "Svalöv": "svalov", "Örkelljunga": "orkelljunga",
    "Perstorp": "perstorp",
}
RURAL_IDS = {
    "Helsingborg": "helsingborg_rural", "Landskrona": "landskrona_rural",
    "Ängelholm": "angelholm_rural", "Höganäs": "hoganas_rural", "Klippan": "klippan_rural",
    "Åstorp": "astorp_rural", "Bjuv": "bjuv_rural", "Båstad": "bastad_rural",
    "Svalöv": "svalov_rural", "Örkelljunga": "orkelljunga_rural",
    "Perstorp": "perstorp_rural",
}

# External nodes: node_id -> (name, lat, lon, tätort population, year, source)
EXTERNAL_NODES: dict[str, tuple[str, float, float, int, int, str]] = {
    "malmo": ("Malmö", 55.605293, 13.000156, 325069, 2020, "sv.wikipedia Nordens största tätorter"),
    "lund": ("Lund", 55.702929, 13.192944, 87244, 2015, "regionfakta.com (SCB)"),
    "kavlinge": ("Kävlinge", 55.79389, 13.11333, 10213, 2021, "kavlinge.se"),
    "eslov": ("Eslöv", 55.837495, 13.303626, 18592, 2015, "regionfakta.com (SCB)"),
    "hassleholm": ("Hässleholm", 56.157986, 13.765332, 19435, 2020, "en.wikipedia Hässleholm"),
    "kristianstad": ("Kristianstad", 56.029377, 14.156685, 39762, 2015, "regionfakta.com"),
    "halmstad": ("Halmstad", 56.673889, 12.857222, 58577, 2010, "simple.wikipedia Halmstad"),
    "laholm": ("Laholm", 56.512652, 13.044638, 6527, 2015, "en.wikipedia Laholm"),
    "helsingor": ("Helsingør", 56.035, 12.60667, 47945, 2024, "da.wikipedia Helsingør"),
    "kobenhavn": ("København", 55.67278, 12.56444, 1363296, 2023,
                  "sv.wikipedia Nordens största tätorter (Danmarks Statistik)"),
}

# Observed municipal housing and labour facts: (municipality, attribute, value, unit, year,
#   source)
MUNICIPALITY_FACTS: list[tuple[str, str, float, str, str, str]] = [
    ("Helsingborg", "dwellings_total", 65500, "dwellings", "c.2015", "S31;S32"),
    ("Helsingborg", "share_house", 0.33, "share", "c.2015", "S32"),
    ("Helsingborg", "share_rental", 0.40, "share", "c.2015", "S32"),
    ("Helsingborg", "share_tenant_owned", 0.23, "share", "c.2015", "S32"),
    ("Helsingborg", "mean_household_size", 2.19, "persons", "2016", "S31"),
    ("Helsingborg", "in_commuters", 24000, "persons", "2015-2017 (23,000-25,000)", "S31"),
    ("Helsingborg", "share_jobs_filled_by_in_commuters", 0.335, "share", "2012 (33-34%)",
     "S31"),
    ("Landskrona", "share_rental", 0.52, "share", "c.2016-17", "S32"),
    ("Landskrona", "in_commuters", 6578, "persons", "2017", "S24"),
    ("Landskrona", "out_commuters", 8894, "persons", "2017", "S24"),
    ("Landskrona", "live_and_work", 10096, "persons", "2017", "S24"),
]

# Municipal populations observed after the base year (31 December), for validating runs
# (never an input): municipality, year, persons, source key. Only figures a source states:
# Helsingborg 151,306 at 31 Dec 2023 (S10, mirror of en.wikipedia), 152,091 (S03, SCB via
# Kolada, latest year: 2024); Landskrona 47,134 in 2023 (S08); Svalöv 14,543 (S03, 2024,
# matches en.wikipedia's 31 December 2024). S04-S07 (SCB quarterly tables) give no figure
# in the transcribed text.
POPULATION_OBSERVED: list[tuple[str, int, int, str]] = [
    ("Helsingborg", 2023, 151306, "S10"),
    ("Helsingborg", 2024, 152091, "S03"),
    ("Landskrona", 2023, 47134, "S08"),
    ("Svalöv", 2024, 14543, "S03"),
    # Höganäs 27,168 (2020) and 27,589 (2021), SCB as quoted by the municipality (S23);
    # Åstorp 16,449 (S03, 2024); Klippan 17,714 (S03 family: sverigestatistik.se
    # klippan-vs-simrishamn, same "latest year" 2024); Bjuv 15,968 at 31 Dec 2023 (S13,
    # en.wikipedia infobox copy).
    ("Höganäs", 2020, 27168, "S23"),
    ("Höganäs", 2021, 27589, "S23"),
    ("Åstorp", 2024, 16449, "S03"),
    ("Klippan", 2024, 17714, "S03"),
    ("Bjuv", 2023, 15968, "S13"),
]
# fmt: on
