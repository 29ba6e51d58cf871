"""Longer fixed texts of the report ("how to read this") in English and Swedish."""

from __future__ import annotations

from fh_sim.analysis.effects import MIN_SEEDS_FIRM

_HOW = {
    "en": [
        "Each scenario was run on several seeds (random streams). A seed fixes the synthetic "
        "population and every random draw, so two scenarios run on the same seed differ only "
        "by their interventions.",
        "Changes are computed seed by seed, scenario minus baseline, on the seeds both were "
        "run with, then summarised: the mean, and in brackets the 5-95 % interval of the "
        "per-seed changes. The interval is computed from however many seeds there are, and "
        "the report says how many.",
        f"An effect is called firm (bold) only with at least {MIN_SEEDS_FIRM} paired seeds "
        "and an interval that does not cross zero. With fewer seeds the interval is close to "
        "the smallest and largest run, and nothing is bold.",
        "Lines over time show the mean across a scenario's runs, the band its 5-95 % "
        "spread across seeds.",
        "A measure that starts late acts for few years before the last year shown; the "
        "summary flags measures in force for under 5 years.",
        "The model is a scenario tool, not a forecast: compare scenarios with each other, "
        "and check the assumptions below before quoting a number.",
    ],
    "sv": [
        "Varje scenario har körts med flera seeds (slumpströmmar). En seed bestämmer den "
        "syntetiska befolkningen och varje slumpdragning, så två scenarier med samma seed "
        "skiljer sig bara i sina åtgärder.",
        "Förändringar beräknas seed för seed, scenario minus jämförelsescenario, på de seeds "
        "båda körts med, och sammanfattas sedan: medelvärdet och inom klammer 5-95 %-"
        "intervallet för förändringarna per seed. Intervallet bygger på så många seeds som "
        "finns, och rapporten anger hur många.",
        f"En effekt kallas säker (fetstil) bara med minst {MIN_SEEDS_FIRM} parade seeds och "
        "ett intervall som inte korsar noll. Med färre seeds ligger intervallet nära den "
        "minsta och största körningen, och inget är i fetstil.",
        "Linjer över tid visar medelvärdet över scenariots körningar, bandet dess 5-95 % "
        "spridning mellan seeds.",
        "En åtgärd som börjar sent verkar få år före det sista året som visas; "
        "sammanfattningen markerar åtgärder som verkar färre än 5 år.",
        "Modellen är ett scenarioverktyg, inte en prognos: jämför scenarier med varandra och "
        "läs antagandena nedan innan en siffra citeras.",
    ],
}


def how_to_read(lang: str = "en") -> str:
    """The "how to read this" list as HTML."""
    items = "".join(f"<li>{text}</li>" for text in _HOW.get(lang, _HOW["en"]))
    return f"<ul>{items}</ul>"
