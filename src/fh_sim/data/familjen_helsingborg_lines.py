"""Transit lines of Familjen Helsingborg: stop order, found times and frequencies.

Each line lists its stops in order (zone or external node ids). ``anchors`` are cumulative
in-vehicle minutes found in sources at some stops (rule T3 spreads them over the segments
in between); ``track_km`` are segment lengths known from chainages; ``via`` counts stops
between two listed stops that are not network nodes (each adds one dwell). ``service``
gives departures per hour over a stretch of stops and a span of years.
Feeder buses for zones that no line serves are added by the build (rule F1).
"""

from __future__ import annotations

# fmt: off
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Service:
    """Departures per hour on the stretch ``start``..``end`` of a line, in years."""

    start: str
    end: str
    departures_per_hour: float
    status: str
    source: str
    first_year: int = 1990
    last_year: int | None = None


@dataclass(frozen=True)
class Line:
    """One transit line: stops in order, found times and services."""

    line: str
    mode: str
    stops: tuple[str, ...]
    services: tuple[Service, ...]
    source: str
    anchors: dict[str, float] = field(default_factory=dict)
    anchor_source: str = ""
    track_km: dict[tuple[str, str], float] = field(default_factory=dict)
    via: dict[tuple[str, str], int] = field(default_factory=dict)
    first_year: int = 1990
    note: str = ""


LINES: tuple[Line, ...] = (
    Line(
        line="pagatag_5_skanebanan", mode="rail",
        stops=("helsingborg", "helsingborg_ramlosa", "paarp", "morarp", "bjuv", "astorp",
               "astorp_rural", "klippan", "perstorp", "hassleholm", "kristianstad"),
        anchors={"helsingborg": 0, "astorp": 25, "hassleholm": 60, "kristianstad": 95},
        anchor_source="S14 (Helsingborg-Åstorp 25, Åstorp-Kristianstad 70); S37 "
                      "(Helsingborg-Hässleholm ~60)",
        track_km={("perstorp", "hassleholm"): 24.9, ("hassleholm", "kristianstad"): 30.0},
        via={("perstorp", "hassleholm"): 1,
             ("hassleholm", "kristianstad"): 2},
        services=(
            Service("helsingborg", "klippan", 2, "observed",
                    "news.cision.com Trafikverket 2014 (Kvidinge every 30 min)"),
            Service("klippan", "kristianstad", 1, "observed", "S37 (hourly, c.2014)"),
        ),
        source="S34; S35 (stop list, Pågatåg line 5)",
        note="astorp_rural is served at Kvidinge station; Ramlösa is the zone "
             "helsingborg_ramlosa; Tyringe, Vinslöv and Önnestad are stops between listed nodes",
    ),
    Line(
        line="pagatag_2_north", mode="rail",
        stops=("helsingborg", "helsingborg_mariastaden", "odakra", "kattarp", "angelholm",
               "forslov"),
        via={("angelholm", "forslov"): 1},
        services=(
            Service("helsingborg", "forslov", 1, "observed",
                    "S36 (1/h to Förslöv planned at opening Dec 2015)", 1990, 2023),
            Service("helsingborg", "forslov", 2, "observed",
                    "S48 (half-hourly in rush hours from 5 Feb 2024)", 2024),
        ),
        source="S35; S36; S48 (stop list West Coast Line)",
        note="Maria station is the zone helsingborg_mariastaden; Barkåkra is a stop between "
             "listed nodes",
    ),
    Line(
        line="oresundstag", mode="rail",
        stops=("halmstad", "laholm", "bastad", "angelholm", "helsingborg", "landskrona", "lund",
               "malmo", "kobenhavn"),
        anchors={"halmstad": 0, "laholm": 14, "angelholm": 32, "helsingborg": 54, "lund": 94,
                 "malmo": 106, "kobenhavn": 142},
        anchor_source="S36 (Helsingborg-Halmstad 54, Laholm-Ängelholm 18, Laholm-Helsingborg "
                      "~40); S37 (Helsingborg-Lund 40); no.wikipedia Västkustbanan (Lund-Malmö "
                      "12, Lund-København 48)",
        via={("malmo", "kobenhavn"): 1},
        services=(
            Service("halmstad", "helsingborg", 1.6, "derived",
                    "S36 (26 departures/day Helsingborg-Halmstad, Pågatåg+Öresundståg, over an "
                    "assumed 16-hour service day)"),
            Service("helsingborg", "malmo", 3, "observed", "S37 (3/h, c.2014)", 1990, 2023),
            Service("helsingborg", "malmo", 4, "observed",
                    "S47 (4/h in rush hours from Dec 2023)", 2024),
            Service("malmo", "kobenhavn", 3, "observed", "S46 (every 20 min)"),
        ),
        source="S46; S35; en.wikipedia West Coast Line stop list",
        note="København Lufthavn is a stop between Malmö and København H",
    ),
    Line(
        line="pagatag_2_9_south", mode="rail",
        stops=("helsingborg", "helsingborg_ramlosa", "rydeback", "glumslov", "landskrona",
               "kavlinge", "lund", "malmo"),
        anchors={"helsingborg": 0, "landskrona": 20, "lund": 45, "malmo": 60},
        anchor_source="S38; S37 (Helsingborg-Malmö ~60 and Landskrona-Malmö 40 by Pågatåg; "
                      "Malmö-Lund 15)",
        services=(
            Service("helsingborg", "malmo", 2, "assumed",
                    "two Pågatåg lines (2 and 9, S35) at an assumed 1/h each"),
        ),
        source="S35 (Pågatåg line table Dec 2018)",
        note="Häljarp and Dösjebro are unverified stops and left out",
    ),
    Line(
        line="pagatag_3_raabanan", mode="rail",
        stops=("helsingborg", "helsingborg_ramlosa", "gantofta", "vallakra", "tagarp",
               "billeberga", "teckomatorp", "eslov", "lund", "malmo"),
        anchors={"lund": 0, "malmo": 15},
        anchor_source="S38 (Malmö-Lund 15 by Pågatåg)",
        services=(Service("helsingborg", "malmo", 1, "assumed", "assumed hourly (not found)"),),
        source="S35; sv.wikipedia Rååbanan; helsingborg.se stationsorter",
        note="Marieholm is an unverified stop and left out",
    ),
    Line(
        line="pagatag_soderasbanan", mode="rail",
        stops=("astorp", "billesholm", "kagerod", "svalov", "teckomatorp", "kavlinge", "malmo"),
        anchors={"kagerod": 0, "malmo": 40},
        anchor_source="S33 (svalov.se: Kågeröd-Malmö about 40 min)",
        track_km={("astorp", "billesholm"): 9.0, ("billesholm", "kagerod"): 10.0,
                  ("kagerod", "svalov"): 9.0, ("svalov", "teckomatorp"): 6.0,
                  ("teckomatorp", "kavlinge"): 10.0},
        via={("kavlinge", "malmo"): 1},
        services=(Service("astorp", "malmo", 1, "assumed", "assumed hourly (not found)"),),
        first_year=2022,
        source="S33 (opened to passengers 12 Dec 2021); rail_km_chainage (sv.wikipedia "
               "Godsstråket genom Skåne)",
        note="through-routing via Lommabanan (Lomma is a stop between Kävlinge and Malmö)",
    ),
    Line(
        line="ferry_hh", mode="ferry", stops=("helsingborg", "helsingor"),
        anchors={"helsingborg": 0, "helsingor": 20},
        anchor_source="S53; S37 (about 20 min crossing)",
        services=(Service("helsingborg", "helsingor", 3, "observed",
                          "S53 (every 20 min most of the day)"),),
        source="S53; S37",
    ),
    Line(
        line="kystbanen", mode="rail", stops=("helsingor", "kobenhavn"),
        services=(Service("helsingor", "kobenhavn", 3, "assumed",
                          "assumed every 20 min (frequency not found)"),),
        source="S53 (trains Helsingør-Copenhagen onward)",
    ),
    Line(
        line="bus_220", mode="bus", stops=("helsingborg", "hittarp", "viken", "hoganas"),
        services=(Service("helsingborg", "hoganas", 4, "assumed",
                          "assumed every 15 min, from ridership 1.21 M trips in 2017 (S39)"),),
        source="S39 (Helsingborg-Viken-Höganäs, road 111)",
        note="stops not found; Hittarp/Laröd lies on the road 111 corridor (assumed stop)",
    ),
    Line(
        line="bus_222", mode="bus", stops=("helsingborg", "hoganas"),
        services=(Service("helsingborg", "hoganas", 2, "assumed",
                          "assumed every 30 min, from ridership 305,060 trips in 2017 (S39)"),),
        source="S39 (express, not via Viken)",
    ),
    Line(
        line="bus_218", mode="bus", stops=("helsingborg", "landskrona"),
        services=(Service("helsingborg", "landskrona", 1, "assumed",
                          "assumed hourly, from ridership 306,787 trips in 2017 (S39)"),),
        first_year=2017, source="S39 (since Dec 2016)",
    ),
    Line(
        line="bus_511", mode="bus", stops=("angelholm", "munka_ljungby", "orkelljunga"),
        services=(Service("angelholm", "orkelljunga", 1, "assumed", "assumed hourly"),),
        source="S42 (511 stops in Örkelljunga); sv.wikipedia Munka-Ljungby (served by 511)",
        note="estimated link: route endpoints not found, Ängelholm end inferred",
    ),
    Line(
        line="bus_507", mode="bus", stops=("angelholm", "angelholm_rural"),
        services=(Service("angelholm", "angelholm_rural", 1, "assumed", "assumed hourly"),),
        source="engelholm.se 2018 (Ängelholm-Hjärnarp-Svenstorp)",
        note="angelholm_rural is anchored at Hjärnarp",
    ),
    Line(
        line="bus_210", mode="bus", stops=("svalov", "teckomatorp", "kavlinge"),
        anchors={"svalov": 0, "teckomatorp": 15},
        anchor_source="S18 (Teckomatorp-Svalöv bus about 15 min, pre-2021)",
        services=(Service("svalov", "kavlinge", 0.375, "derived",
                          "S41 (6 trips/day in 2017 over an assumed 16-hour service day)"),),
        source="S41 (bus 210 Svalöv-Teckomatorp-Kävlinge, 2017)",
    ),
)

# Travel times found in sources: (line, from, to, minutes, source). The anchors of each line
# above are the cumulative minutes these figures imply; ``check`` figures conflict with or
# repeat an anchor and only test the rules.
FOUND_TIMES: tuple[tuple[str, str, str, float, str, str], ...] = (
    ("pagatag_5_skanebanan", "helsingborg", "astorp", 25, "anchor", "S14"),
    ("pagatag_5_skanebanan", "helsingborg", "hassleholm", 60, "anchor", "S37 (approx)"),
    ("pagatag_5_skanebanan", "astorp", "kristianstad", 70, "anchor", "S14"),
    ("pagatag_5_skanebanan", "helsingborg", "kristianstad", 80, "check",
     "S37 (1h20, approx; conflicts with S14)"),
    ("oresundstag", "halmstad", "helsingborg", 54, "anchor", "S36 (Pågatåg 54, 'drygt 50')"),
    ("oresundstag", "laholm", "angelholm", 18, "anchor", "S36"),
    ("oresundstag", "laholm", "helsingborg", 40, "anchor", "S36 (approx)"),
    ("oresundstag", "helsingborg", "lund", 40, "anchor", "S37 (fastest)"),
    ("oresundstag", "lund", "malmo", 12, "anchor", "no.wikipedia Västkustbanan"),
    ("oresundstag", "lund", "kobenhavn", 48, "anchor", "no.wikipedia Västkustbanan"),
    ("oresundstag", "malmo", "kobenhavn", 35, "check", "S46; S38 (35-40)"),
    ("oresundstag", "landskrona", "kobenhavn", 60, "check", "S45 (about 60)"),
    ("pagatag_2_9_south", "helsingborg", "malmo", 60, "anchor", "S38; S37 (about an hour)"),
    ("pagatag_2_9_south", "landskrona", "malmo", 40, "anchor", "S38"),
    ("pagatag_2_9_south", "lund", "malmo", 15, "anchor", "S38"),
    ("pagatag_3_raabanan", "lund", "malmo", 15, "anchor", "S38"),
    ("pagatag_soderasbanan", "kagerod", "malmo", 40, "anchor", "S33 (about 40)"),
    ("ferry_hh", "helsingborg", "helsingor", 20, "anchor", "S53; S37"),
    ("bus_210", "svalov", "teckomatorp", 15, "anchor", "S18 (about 15, pre-2021)"),
)
# fmt: on
