"""Neighbourhoods of the cities, transcribed from public sources (keys in DATA.md).

The four localities over 15,000 inhabitants (Helsingborg, Landskrona, Ängelholm and
Höganäs) are split into neighbourhoods. Helsingborg's parts are the city's statistical
areas (stadsdelar, B-areas, codes B001-B083); the other towns' parts are SCB's regional
statistical areas (RegSO), built from their DeSO areas. Only figures found in a source are
written here; the rules that turn them into zones (N1-N4) live in
:mod:`fh_sim.data.familjen_helsingborg_split`.

Source keys used below:

- N01 sv.wikipedia articles of the Helsingborg stadsdelar (infobox: statistics code, area,
  coordinates, population of the statistical area on 31 Dec of the stated year, from
  Helsingborgs stad): Norr, Stattena, Ringstorp, Mariastaden, Fredriksdal, Drottninghög,
  Dalhem, Olympia, Söder, Eneborg, Högaborg, Wilson Park, Husensjö, Ramlösa (stadsdel),
  Raus plantering, Miatorp, Högasten, Råå, Ättekulla.
- N02 helsingborg.se "Geografiska indelningar": 32 B-areas in the city of Helsingborg.
- N03 Helsingborg tätort population: 113,816 (2020), 109,869 (2018), 97,122 (2010)
  (en.wikipedia Helsingborg and Helsingborg Municipality, localities.csv).
- N04 SCB DeSO-RegSO key (GitHub Axelsson2000/data LanKommunDeso.csv @d1a422f4): the DeSO
  areas (700-2,700 inhabitants each by SCB's design) of each RegSO in Landskrona,
  Ängelholm, Höganäs and Helsingborg.
- N05 trendomvarld.helsingborg.se Områdesbeskrivning 2017 (Centrum Söder, Centrum Norr,
  Norra staden, Södra staden, Södra landsbygden): mean income of the employed aged 20-64
  against 357,000 kr for all Helsingborg; age profile of each area.
- N06 papperstidningen.se 2018-03 (police: Karlslund/Norrestad "särskilt utsatt";
  Dalhem, Fredriksdal, Drottninghög and Söder among the areas named "särskilt utsatt"
  or "riskområde"); svt.se Helsingborg 2018 (police operation in the "riskområden"
  Drottninghög, Dalhem and Fredriksdal).
- N07 papperstidningen.se 2017-06 (Karlslund named "särskilt utsatt" by NOA, 2017);
  landskrona.lokaltidningen.se 2019-06-07 (Karlslund, Koppargården and Silvergården,
  still on the list in 2019).
- N08 en.wikipedia Borstahusen (55.900 N, 12.800 E); activemediaartiklar.se Karlslund
  ("knyta ... i nordväst med Borstahusen och i söder med centrum"); fojab.se
  (Karlslund in northern Landskrona).
- N09 stadslexikon.helsingborg.se (Närlunda: built 1969-71, 515 flats; Mariastaden:
  mostly owner-occupied houses); helsingborg.se bostadsområden (Sofieberg and Husensjö
  villa areas); gustavslundsgard.se (Gustavslund: houses and terraces); helsingborgshem.se
  (Närlunda, Drottninghög, Fredriksdal: rental estates under renewal).
- N10 hoganas.sd.se Lerberget (the southern part of the Höganäs tätort).
- N11 skane.se HelsingborgsExpressen (line 1 Råå-Dalhem, from 16 June 2019); mynewsdesk.com
  Skånetrafiken 2017-01-09 (line 1 through Råå) and 2024 ("I juni 2025 startar Helsingborgs
  nya stadstrafik": HelsingborgsExpressen 2 Kungshult-Maria station-Helsingborg C-Östra
  Ramlösa).
"""

from __future__ import annotations

from typing import NamedTuple

# fmt: off


class Hood(NamedTuple):
    """One neighbourhood of a split locality.

    ``figure`` is a population found for the area in ``year`` (None: the area shares the
    locality's remainder, rule N2, by ``weight``). ``lat``/``lon`` None: placed by rule N3
    from ``near`` (ids of neighbourhoods named as neighbours in the sources) or, if
    ``offset`` is given, at (km north, km east) of the locality point. ``kind`` is the
    building type read from the source's description (estate: rental estates of the
    1960s-70s; multi: older blocks of flats; mixed; villa: mostly houses).
    """

    zone_id: str
    name: str
    code: str
    lat: float | None
    lon: float | None
    figure: int | None
    year: int | None
    area_ha: float | None
    kind: str
    source: str
    weight: float = 1.0
    near: tuple[str, ...] = ()
    offset: tuple[float, float] | None = None
    station: bool = False


# Population of the split localities in the years of the neighbourhood figures (N03).
LOCALITY_POPULATION = {"helsingborg": {2010: 97122, 2018: 109869, 2020: 113816}}

H = "N01 sv.wikipedia"
HELSINGBORG: tuple[Hood, ...] = (
    Hood("helsingborg", "Helsingborg Centrum", "B-area Centrum", None, None, None, None, None,
         "multi", "N02; coords: the tätort point (svenska-stader)"),
    Hood("helsingborg_norr", "Norr", "B001", 56.05694, 12.68333, 3802, 2020, 409.59, "mixed",
         f"{H} Norr, Helsingborg"),
    Hood("helsingborg_stattena", "Stattena", "B011", 56.05833, 12.70389, 2879, 2020, 58.13,
         "multi", f"{H} Stattena"),
    Hood("helsingborg_ringstorp", "Ringstorp", "B012", 56.06528, 12.70056, 5096, 2020, 128.24,
         "multi", f"{H} Ringstorp, Helsingborg"),
    Hood("helsingborg_mariastaden", "Mariastaden", "B014", 56.08139, 12.69694, 7487, 2020,
         358.19, "villa", f"{H} Mariastaden; N09", station=True),
    Hood("helsingborg_fredriksdal", "Fredriksdal", "B021", 56.05806, 12.72194, 5782, 2020,
         117.35, "estate", f"{H} Fredriksdal, Helsingborg"),
    Hood("helsingborg_drottninghog", "Drottninghög", "B022", 56.06194, 12.72806, 2711, 2020,
         53.02, "estate", f"{H} Drottninghög"),
    Hood("helsingborg_dalhem", "Dalhem", "B023", 56.06750, 12.73667, 5740, 2020, 1108.47,
         "estate", f"{H} Dalhem, Helsingborg"),
    Hood("helsingborg_olympia", "Olympia", "B031", 56.04889, 12.70639, 2125, 2020, 132.72,
         "mixed", f"{H} Olympia, Helsingborg"),
    Hood("helsingborg_soder", "Söder", "B041", 56.03806, 12.70333, 5425, 2020, 91.42, "multi",
         f"{H} Söder, Helsingborg"),
    Hood("helsingborg_eneborg", "Eneborg", "B042", 56.04194, 12.71028, 4405, 2020, 28.93,
         "multi", f"{H} Eneborg"),
    Hood("helsingborg_hogaborg", "Högaborg", "B043", 56.03889, 12.71222, 4558, 2020, 30.32,
         "multi", f"{H} Högaborg"),
    Hood("helsingborg_wilson_park", "Wilson Park", "B051", 56.04694, 12.71556, 2190, 2020,
         46.22, "villa", f"{H} Wilson Park"),
    Hood("helsingborg_husensjo", "Husensjö", "B052", 56.04361, 12.72750, 1604, 2010, None,
         "villa", f"{H} Husensjö; N09"),
    Hood("helsingborg_ramlosa", "Ramlösa", "B063", 56.02111, 12.75083, 4268, 2020, 239.58,
         "mixed", f"{H} Ramlösa (stadsdel)", station=True),
    Hood("helsingborg_planteringen", "Planteringen", "B071", 56.02722, 12.70806, 3098, 2020,
         161.27, "estate", f"{H} Raus plantering"),
    Hood("helsingborg_miatorp", "Miatorp", "B072", 56.01972, 12.71972, 2874, 2020, 107.92,
         "mixed", f"{H} Miatorp"),
    Hood("helsingborg_hogasten", "Högasten", "B081", 56.01167, 12.72750, 1027, 2020, 243.09,
         "villa", f"{H} Högasten"),
    Hood("helsingborg_raa", "Råå", "B082", 56.00000, 12.73889, 3364, 2020, 714.72, "villa",
         f"{H} Råå"),
    Hood("helsingborg_attekulla", "Ättekulla", "B083", 56.01056, 12.75778, 4002, 2018, 469.0,
         "mixed", f"{H} Ättekulla"),
    # B-areas of N02 with no figure found: the remainder (rule N2), placed by rule N3
    Hood("helsingborg_slottshojden", "Slottshöjden", "B-area", None, None, None, None, None,
         "multi", "N02", near=("helsingborg", "helsingborg_olympia", "helsingborg_stattena")),
    Hood("helsingborg_tagaborg_norra", "Tågaborg norra", "B-area", None, None, None, None,
         None, "multi", "N02", near=("helsingborg_norr", "helsingborg_ringstorp")),
    Hood("helsingborg_tagaborg_sodra", "Tågaborg södra", "B-area", None, None, None, None,
         None, "multi", "N02", near=("helsingborg_norr", "helsingborg_stattena")),
    Hood("helsingborg_berga", "Berga", "B-area", None, None, None, None, None, "mixed",
         "N02", near=("helsingborg_ringstorp", "helsingborg_dalhem")),
    Hood("helsingborg_adolfsberg", "Adolfsberg", "B-area", None, None, None, None, None,
         "mixed", "N02", near=("helsingborg_fredriksdal", "helsingborg_husensjo",
                               "helsingborg_dalhem")),
    Hood("helsingborg_rosengarden", "Rosengården", "B-area", None, None, None, None, None,
         "mixed", "N02", near=("helsingborg_husensjo", "helsingborg_fredriksdal")),
    Hood("helsingborg_faltabacken", "Fältabacken", "B-area", None, None, None, None, None,
         "mixed", "N02", near=("helsingborg_wilson_park", "helsingborg_husensjo",
                               "helsingborg_hogaborg")),
    Hood("helsingborg_sofieberg", "Sofieberg", "B-area", None, None, None, None, None, "villa",
         "N02; N09", near=("helsingborg_husensjo", "helsingborg_dalhem",
                           "helsingborg_ramlosa")),
    Hood("helsingborg_gustavslund", "Gustavslund", "B-area", None, None, None, None, None,
         "villa", "N02; N09", near=("helsingborg_ramlosa", "helsingborg_dalhem")),
    Hood("helsingborg_eskilsminne", "Eskilsminne", "B-area", None, None, None, None, None,
         "mixed", "N02", near=("helsingborg_ramlosa", "helsingborg_husensjo")),
    Hood("helsingborg_elineberg", "Elineberg", "B-area", None, None, None, None, None,
         "mixed", "N02", near=("helsingborg_soder", "helsingborg_ramlosa")),
    Hood("helsingborg_narlunda", "Närlunda", "B-area", None, None, None, None, None,
         "estate", "N02; N09", near=("helsingborg_hogaborg", "helsingborg_soder",
                                     "helsingborg_ramlosa")),
)

# Other towns: RegSO groups with their number of DeSO areas (N04) as weights (rule N2).
D = "N04 SCB DeSO-RegSO key"
LANDSKRONA: tuple[Hood, ...] = (
    Hood("landskrona", "Landskrona centrum", "RegSO", None, None, None, None, None, "multi",
         f"{D}: Landskrona centrum-Öster (3), Nyhamn-Södra Industriområdet, Sankt "
         "Olov-Lasarettet, Albano; coords: the tätort point", weight=6),
    Hood("landskrona_karlslund", "Karlslund (Norrestad)", "RegSO", None, None, None, None,
         None, "estate", f"{D}: Koppargården-Kopparhögarna, Pilåkern-Silvergården-Karlslund-"
         "Säbyholm, Pilängen; N08", weight=3, near=("landskrona", "landskrona_borstahusen")),
    Hood("landskrona_borstahusen", "Borstahusen-Svaneholm", "RegSO", 55.900, 12.800, None, None,
         None, "villa", f"{D}: Borstahusen-Svaneholm; coords N08", weight=1),
    Hood("landskrona_ostra", "Landskrona östra och södra (Västra Fäladen, Fröjdenborg, "
         "Sandvången, Helgebröten, Örja)", "RegSO", None, None, None, None, None, "mixed",
         f"{D}: Västra Fäladen (2), Fröjdenborg-Larvi (2), Sandvången, Helgebröten, "
         "Hyllingelyckan-Örja", weight=7, offset=(-0.5, 1.5)),
)
ANGELHOLM: tuple[Hood, ...] = (
    Hood("angelholm", "Ängelholm centrum", "RegSO", None, None, None, None, None, "multi",
         f"{D}: Ängelholm centrum (3), Stationsområdet-Sockerbruket, Villan, Kronotorp-Gamla "
         "Kungsgården-Nya Kungsgården; coords: the tätort point", weight=6),
    Hood("angelholm_vejbystrand", "Vejbystrand", "RegSO", 56.31778, 12.76722, 2764, 2005, None,
         "villa", "S21 (Vejbystrand 2,764 of 22,533 + 2,764 in 2005); coords GeoNames-style "
         "list (localities.csv)"),
    Hood("angelholm_skalderviken", "Skälderviken-Havsbaden", "RegSO", None, None, None, None,
         None, "mixed", f"{D}: Skälderviken-Pomona-Ärrarps ängar (2), Havsbaden-Paletten-"
         "Danielslund, Adolfsfält-Rebbelberga-Karlslund", weight=4, offset=(1.5, -1.5)),
    Hood("angelholm_soder", "Ängelholm södra (Fridhem, Kulltorp, Nyhem)", "RegSO", None, None,
         None, None, None, "mixed", f"{D}: Fridhem-Skörpinge-Kroneslätt, Kulltorp-Södra "
         "Utmarken-Epadalen, Ängavången-Nyhem-Skörpabäcken", weight=3, offset=(-1.5, 0.5)),
)
HOGANAS: tuple[Hood, ...] = (
    Hood("hoganas", "Höganäs centrum", "RegSO", None, None, None, None, None, "mixed",
         f"{D}: Höganäs södra, östra-Väsby-Ingelsträde (2), övre, Nedre; coords: the tätort "
         "point", weight=5),
    Hood("hoganas_lerberget", "Lerberget", "RegSO", None, None, None, None, None, "villa",
         f"{D}: Lerberget (2); N10", weight=2, offset=(-2.5, 0.3)),
    Hood("hoganas_nyhamnslage", "Nyhamnsläge-Strandbaden", "RegSO", None, None, None, None,
         None, "villa", f"{D}: Höganäs nordvästra-Strandbaden-Nyhamnsläge (2)", weight=2,
         offset=(2.0, 0.3)),
)
# Ängelholm's 2005 parts (S21) bridge the Vejbystrand figure (rule N1, as rule P3).
ANGELHOLM_2005_PARTS = {"angelholm": 22533, "angelholm_vejbystrand": 2764}

SPLITS: dict[str, tuple[Hood, ...]] = {
    "helsingborg": HELSINGBORG, "landskrona": LANDSKRONA, "angelholm": ANGELHOLM,
    "hoganas": HOGANAS,
}

# Localities of 500-999 inhabitants with coordinates that are not yet zones (rule P2 with
# the threshold lowered to 500 for neighbourhood-level detail): zone_id -> (name,
# municipality, lat, lon, coord source, population, year, population source)
SMALL_LOCALITIES: dict[str, tuple[str, str, float, float, str, int, int, str]] = {
    "domsten": ("Domsten", "Helsingborg", 56.119693, 12.607308, "svenska-stader", 602, 2018,
                "S10 (locality table 2018)"),
    "hasslarp": ("Hasslarp", "Helsingborg", 56.137304, 12.813448, "svenska-stader", 600, 2018,
                 "S10 (locality table 2018)"),
    "arild": ("Arild", "Höganäs", 56.273819, 12.572109, "svenska-stader", 537, 2005,
              "S17 (31 Dec 2005)"),
    "asljunga": ("Åsljunga", "Örkelljunga", 56.309388, 13.374488, "svenska-stader", 690, 2005,
                 "S19 (31 Dec 2005)"),
    "vastra_karup": ("Västra Karup", "Båstad", 56.411539, 12.743405, "svenska-stader", 552,
                     2015, "hd.se 2017-03-21 (2015)"),
}

# City bus lines found (rule F2): line -> (stops in order, departures per hour, its status,
#   first year, source). Unverified stops between the listed ones are left out.
CITY_LINES: dict[str, tuple[tuple[str, ...], float, str, int, str]] = {
    "citybus_1": (("helsingborg_raa", "helsingborg", "helsingborg_dalhem"), 6.0, "assumed",
                  1990, "N11 (line 1 Råå-Dalhem, Helsingborg's largest city line, "
                  "HelsingborgsExpressen from June 2019; frequency not found, 6/h assumed)"),
    "citybus_hx2": (("helsingborg_mariastaden", "helsingborg", "helsingborg_ramlosa"), 6.0,
                    "assumed", 2025, "N11 (HelsingborgsExpressen 2 Kungshult-Maria "
                    "station-Helsingborg C-Östra Ramlösa from June 2025; 6/h assumed)"),
}

# Police lists (N06, N07): 2 = "särskilt utsatt", 1 = "riskområde"; with year and source.
VULNERABLE: dict[str, tuple[int, int, str]] = {
    "landskrona_karlslund": (2, 2017, "N07 (NOA 2017, still listed 2019); N06"),
    "helsingborg_drottninghog": (1, 2018, "N06 (police riskområde 2018)"),
    "helsingborg_dalhem": (1, 2018, "N06 (police riskområde 2018)"),
    "helsingborg_fredriksdal": (1, 2018, "N06 (police riskområde 2018)"),
    "helsingborg_soder": (1, 2018, "N06 (named with the risk areas 2018)"),
}

# Mean income of the employed aged 20-64 by area of the Områdesbeskrivning 2017 (N05),
# kr/year, and the areas' stadsdelar; Helsingborg as a whole 357,000.
AREA_INCOME_CITY = 357000
AREA_INCOME: dict[str, tuple[int, tuple[str, ...]]] = {
    "Centrum Söder": (276000, ("helsingborg_soder", "helsingborg_eneborg",
                               "helsingborg_hogaborg")),
    "Centrum Norr": (363000, ("helsingborg", "helsingborg_slottshojden",
                              "helsingborg_olympia")),
    "Norra staden": (376000, ("helsingborg_stattena", "helsingborg_ringstorp",
                              "helsingborg_berga", "helsingborg_mariastaden")),
    "Södra staden": (342800, ("helsingborg_planteringen", "helsingborg_miatorp",
                              "helsingborg_hogasten", "helsingborg_raa",
                              "helsingborg_attekulla")),
    "Södra landsbygden": (367000, ("rydeback", "paarp", "gantofta", "vallakra")),
}
# Age profiles stated by N05: +1 a high share of young adults 20-29 (Centrum Söder, and
# Centrum Norr with its many aged 80+ counted half), -1 a high share aged 65+ (Södra
# staden).
AGE_PROFILE_AREAS = {"Centrum Söder": 1.0, "Centrum Norr": 0.5, "Södra staden": -1.0}
# fmt: on
