"""The comparison's words (report and plots) in English and Swedish; numbers as each reads.

``t(key, lang, **fields)`` returns one text; ``number`` writes a value with the language's
decimal mark and thousands separator (Swedish: ``1 234,5``; English: ``1,234.5``).
"""

from __future__ import annotations

import math

from fh_sim.errors import FhSimError

TEXT: dict[str, dict[str, str]] = {
    "title": {"en": "Scenario comparison", "sv": "Jämförelse av scenarier"},
    "intro": {
        "en": "{runs} complete runs of {scen} scenarios; baseline <b>{base}</b>; "
        "results for {year}. Written {stamp}.",
        "sv": "{runs} fullständiga körningar av {scen} scenarier; jämförs med <b>{base}</b>; "
        "resultat för {year}. Skriven {stamp}.",
    },
    "scale": {
        "en": "All counts are for the real region: the runs simulated {pct} of the "
        "households (scale {scale}) and their counts are divided by {scale}.",
        "sv": "Alla antal gäller hela regionen: körningarna simulerade {pct} av hushållen "
        "(skala {scale}) och deras antal är delade med {scale}.",
    },
    "scale_one": {
        "en": "All counts are for the real region: the runs simulated every household (scale 1).",
        "sv": "Alla antal gäller hela regionen: körningarna simulerade varje hushåll (skala 1).",
    },
    "scale_mixed": {
        "en": "All counts are for the real region: each run's counts are divided by its own "
        "scale (the runs have different scales).",
        "sv": "Alla antal gäller hela regionen: varje körnings antal är delade med dess "
        "skala (körningarna har olika skalor).",
    },
    "answer": {"en": "The answer in brief", "sv": "Svaret i korthet"},
    "vs_base": {
        "en": "In {year}, compared with {base}, paired on {n} seeds:",
        "sv": "År {year}, jämfört med {base}, parvis på {n} seeds:",
    },
    "region": {"en": "the region", "sv": "regionen"},
    "no_effect": {
        "en": "No outcome changes by more than the spread between seeds.",
        "sv": "Inget utfall ändras mer än spridningen mellan seeds.",
    },
    "no_pair": {
        "en": "No seed in common with the baseline: no effects can be computed.",
        "sv": "Inga gemensamma seeds med jämförelsescenariot: inga effekter kan beräknas.",
    },
    "few_seeds": {
        "en": "Only {n} paired seed(s): the intervals are close to the range of the runs "
        "and no effect is called firm. Run at least {k} seeds before quoting a number.",
        "sv": "Bara {n} parade seeds: intervallen ligger nära spannet mellan körningarna "
        "och ingen effekt kallas säker. Kör minst {k} seeds innan en siffra citeras.",
    },
    "timing": {"en": "Timing", "sv": "Tidpunkt"},
    "interval": {
        "en": "5-95 % of the per-seed changes over {n} seeds",
        "sv": "5-95 % av förändringarna per seed över {n} seeds",
    },
    "table_h": {
        "en": "Change against {base} per municipality, {year}",
        "sv": "Förändring mot {base} per kommun, {year}",
    },
    "table_note": {
        "en": "Mean change over the paired seeds, with the 5-95 % interval of the per-seed "
        "changes in brackets. <b>Bold</b>: a firm effect (at least {k} paired seeds "
        "and the interval excludes zero). Price and access to jobs in percent of the "
        "baseline; housing cost share in percentage points; segregation (Duncan's "
        "dissimilarity index, 0-100) in index points. Also in <code>summary.csv</code>, "
        "<code>summary.parquet</code> and <code>summary.xlsx</code> (one sheet per "
        "level).",
        "sv": "Medelförändring över de parade seeds, med 5-95 %-intervallet för "
        "förändringarna per seed inom klammer. <b>Fetstil</b>: en säker effekt (minst "
        "{k} parade seeds och intervallet utesluter noll). Pris och tillgänglighet i "
        "procent av jämförelsescenariot; boendekostnadsandel i procentenheter; "
        "segregation (Duncans olikhetsindex, 0-100) i indexpoäng. Finns även i "
        "<code>summary.csv</code>, <code>summary.parquet</code> och "
        "<code>summary.xlsx</code> (ett blad per "
        "nivå).",
    },
    "place": {"en": "Place", "sv": "Plats"},
    "scenario": {"en": "Scenario", "sv": "Scenario"},
    "scenarios": {"en": "Scenarios", "sv": "Scenarier"},
    "description": {"en": "Description", "sv": "Beskrivning"},
    "runs": {"en": "Runs", "sv": "Körningar"},
    "paired": {"en": "Seeds paired with the baseline", "sv": "Seeds parade med baslinjen"},
    "is_base": {"en": "(baseline)", "sv": "(jämförelse)"},
    "colour": {"en": "Colour", "sv": "Färg"},
    "plots": {"en": "Plots", "sv": "Diagram"},
    "how": {"en": "How to read this", "sv": "Så läser du rapporten"},
    "assumptions": {"en": "Assumptions behind these effects", "sv": "Antaganden bakom effekterna"},
    "matter": {
        "en": "Assumptions that matter most (sensitivity analysis)",
        "sv": "Antaganden som betyder mest (känslighetsanalys)",
    },
    "no_matter": {
        "en": "No sensitivity analysis was found next to these runs, so which assumptions "
        "move these effects most is not measured here.",
        "sv": "Ingen känslighetsanalys hittades bredvid körningarna, så vilka antaganden "
        "som påverkar effekterna mest är inte mätt här.",
    },
    "details": {
        "en": "All outcomes, region level, {year}",
        "sv": "Alla utfall, regionnivå, {year}",
    },
    "appendix": {"en": "Appendix: full configuration", "sv": "Bilaga: fullständig konfiguration"},
    "differ": {
        "en": "Settings that differ between scenarios",
        "sv": "Inställningar som skiljer mellan scenarierna",
    },
    "common": {
        "en": "Settings common to every scenario",
        "sv": "Inställningar som är lika i alla scenarier",
    },
    "levers": {"en": "Interventions of {scen}", "sv": "Åtgärder i {scen}"},
    "setting": {"en": "Setting", "sv": "Inställning"},
    "value": {"en": "Value", "sv": "Värde"},
    "run_list": {"en": "Runs", "sv": "Körningar"},
    "seed": {"en": "Seed", "sv": "Seed"},
    "replicate": {"en": "Replicate", "sv": "Replikat"},
    "folder": {"en": "Run folder", "sv": "Körningsmapp"},
    "notes": {"en": "Notes", "sv": "Anmärkningar"},
    "outcome": {"en": "Outcome", "sv": "Utfall"},
    "unit": {"en": "Unit", "sv": "Enhet"},
    "where": {"en": "Where", "sv": "Var"},
    "mean_iv": {"en": "Mean [5 %, 95 %]", "sv": "Medel [5 %, 95 %]"},
    "minus": {"en": "Minus {base}: mean [5 %, 95 %]", "sv": "Minus {base}: medel [5 %, 95 %]"},
    "common_seeds": {"en": "Common seeds", "sv": "Gemensamma seeds"},
    "left_out": {"en": "incomplete run left out: {p}", "sv": "ofullständig körning utelämnad: {p}"},
    "unpaired": {
        "en": "{n} run(s) of {s} have no baseline run on the same seed and are left out of "
        "its differences",
        "sv": "{n} körning(ar) av {s} saknar baslinjekörning med samma seed och ingår inte "
        "i dess skillnader",
    },
    "no_common": {
        "en": "{s} shares no seed with the baseline: no difference shown",
        "sv": "{s} har ingen seed gemensam med baslinjen: ingen skillnad visas",
    },
    # the plots' words; level_<level> names a level of ``summarise`` output
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
    "plot_minus": {
        "en": "Scenario minus {base} in {year}",
        "sv": "Scenario minus {base} år {year}",
    },
    "seeds": {"en": "{n} common seeds", "sv": "{n} gemensamma seeds"},
    "seeds_by": {"en": "common seeds: ", "sv": "gemensamma seeds: "},
    "dots": {
        "en": "dots: mean across {n}; bars: 5-95 %",
        "sv": "punkter: medel över {n}; streck: 5-95 %",
    },
    "plot_no_pair": {
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
    "level_municipality": {"en": "municipality", "sv": "kommun"},
    "level_region": {"en": "region", "sv": "region"},
    "level_zone": {"en": "zone", "sv": "zon"},
    "level_segment": {"en": "segment", "sv": "hushållsgrupp"},
}


def t(key: str, lang: str = "en", **fields: object) -> str:
    """The text ``key`` in ``lang`` with ``fields`` filled in."""
    entry = TEXT[key]
    return entry.get(lang, entry["en"]).format(**fields)


def check_lang(lang: str) -> str:
    """``lang`` if supported.

    Raises:
        FhSimError: not ``en`` or ``sv``.
    """
    if lang not in ("en", "sv"):
        raise FhSimError(f"unknown language {lang!r}; choose en or sv")
    return lang


def number(x: float, lang: str = "en", *, signed: bool = False, digits: int | None = None) -> str:
    """``x`` rounded for reading: 2 significant digits (``1 234`` -> ``1 200``).

    Args:
        x: the value.
        lang: ``sv`` writes ``1 234,5``; ``en`` writes ``1,234.5``.
        signed: write ``+`` before positive values (``−`` is always written).
        digits: decimals to show, negative to round to tens, hundreds... (default: chosen
            from the size of ``x``).
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    x = float(x)
    if digits is not None and digits < 0:
        x, digits = float(round(x, digits)), 0
    if digits is None:
        ax = abs(x)
        magnitude = int(math.floor(math.log10(ax))) if ax > 0 else 0
        digits = min(max(0, 1 - magnitude), 4)
        if magnitude >= 2:
            x = float(round(x, 1 - magnitude))
    text = f"{abs(x):,.{digits}f}"
    if float(text.replace(",", "")) == 0:
        return "0"
    if lang == "sv":
        text = text.replace(",", "\u202f").replace(".", ",")  # narrow no-break space
    sign = "\u2212" if x < 0 else ("+" if signed else "")
    return sign + text


def _decimals(x: float, significant: int) -> int:
    x = abs(float(x))
    return significant - 1 - int(math.floor(math.log10(x))) if x > 0 else 0


def interval_digits(mean: float, lo: float, hi: float) -> int | None:
    """Decimals for a value and its interval: as precise as the interval allows.

    Two significant digits of the mean, but not finer than two significant digits of the
    interval's width, nor coarser than one (``141 (138 to 144)``, ``1,600 (1,300 to 1,900)``).
    None for an interval of zero width (the value's own precision is used).
    """
    width = float(hi) - float(lo)
    if not math.isfinite(width) or width <= 0 or not math.isfinite(float(mean)):
        return None
    return min(max(_decimals(mean, 2), _decimals(width, 1)), _decimals(width, 2), 4)
