"""Fixed words of the comparison plots in English and Swedish."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "band": {
        "en": "lines: mean across seeds; bands: 5-95 % across seeds",
        "sv": "linjer: medel över seeds; band: 5-95 % över seeds",
    },
    "base_band": {
        "en": "lines: mean across seeds; band: baseline's 5-95 % across seeds "
        "(other scenarios' intervals: difference chart)",
        "sv": "linjer: medel över seeds; band: jämförelsescenariots 5-95 % "
        "(övrigas intervall: skillnadsdiagrammet)",
    },
    "year": {"en": "year", "sv": "år"},
    "over_time": {"en": "{name} per {level} over time", "sv": "{name} per {level} över tid"},
    "minus": {"en": "Scenario minus {base} in {year}", "sv": "Scenario minus {base} år {year}"},
    "seeds": {"en": "{n} common seeds", "sv": "{n} gemensamma seeds"},
    "seeds_by": {"en": "common seeds: ", "sv": "gemensamma seeds: "},
    "dots": {
        "en": "dots: mean across {n}; bars: 5-95 %",
        "sv": "punkter: medel över {n}; streck: 5-95 %",
    },
    "no_pair": {
        "en": "No scenario shares a seed with the baseline.",
        "sv": "Inget scenario har en seed gemensam med jämförelsescenariot.",
    },
    "none": {
        "en": "None of the chosen outcomes are in these runs.",
        "sv": "Inget av de valda utfallen finns i körningarna.",
    },
    "indicators": {
        "en": "Segregation and housing cost share over time",
        "sv": "Segregation och boendekostnadsandel över tid",
    },
    "tradeoff": {
        "en": "Growth vs current residents' welfare in {year}, scenario minus {base}",
        "sv": "Tillväxt mot nuvarande invånares välfärd år {year}, scenario minus {base}",
    },
    "points": {
        "en": "points: mean across {n}; bars: 5-95 %; square: {base}",
        "sv": "punkter: medel över {n}; streck: 5-95 %; kvadrat: {base}",
    },
    "segments": {
        "en": "Outcomes per household segment in {year}, {what}",
        "sv": "Utfall per hushållsgrupp år {year}, {what}",
    },
    "seg_axis": {
        "en": "household segment (life stage, income)",
        "sv": "hushållsgrupp (livsskede, inkomst)",
    },
    "seg_change": {
        "en": "colour and number: mean across common seeds; bold: firm "
        "(>= {k} seeds, 5-95 % interval excludes 0)",
        "sv": "färg och tal: medel över gemensamma seeds; fetstil: säker "
        "(>= {k} seeds, 5-95 %-intervallet utesluter 0)",
    },
    "seg_level": {
        "en": "colour and number: mean across seeds",
        "sv": "färg och tal: medel över seeds",
    },
    "level": {"en": "level", "sv": "nivå"},
    "municipality": {"en": "municipality", "sv": "kommun"},
    "region": {"en": "region", "sv": "region"},
    "zone": {"en": "zone", "sv": "zon"},
    "segment": {"en": "segment", "sv": "hushållsgrupp"},
}
FIRM_MIN_SEEDS = 5  # fh_sim.analysis.effects.MIN_SEEDS_FIRM (no import cycle)


def word(key: str, lang: str, **fields: object) -> str:
    """The plot word ``key`` in ``lang`` with ``fields`` filled in."""
    entry = WORDS[key]
    return entry.get(lang, entry["en"]).format(**fields)
