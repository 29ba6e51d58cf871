"""Swedish and English labels of the explorer (``en``, ``sv``).

Metric names in English come from :mod:`fh_sim.analysis.labels`; the Swedish ones are
here. A key without a translation shows its English text.
"""

from __future__ import annotations

from fh_sim.analysis import labels

LANGUAGES = ("en", "sv")

# key -> (English, Swedish)
UI: dict[str, tuple[str, str]] = {
    "title": ("fh_sim scenario explorer", "fh_sim scenarioutforskare"),
    "compose": ("Compose a scenario", "Sätt ihop ett scenario"),
    "start_from": ("Start from", "Utgå från"),
    "name": ("Scenario name", "Scenarionamn"),
    "start_year": ("Programmes start in", "Programmen startar"),
    "safety": ("Safety programme", "Trygghetsprogram"),
    "crime_reduction": ("Crime reduction (share)", "Minskad brottslighet (andel)"),
    "places": ("Places (empty = whole region)", "Platser (tomt = hela regionen)"),
    "trust_card": ("Trust programme", "Tillitsprogram"),
    "trust": ("Trust increase (0-1 scale)", "Ökad tillit (skala 0-1)"),
    "income_card": ("Income programme", "Inkomstprogram"),
    "income": (
        "Income increase of reached low-income households (share)",
        "Inkomstökning för nådda låginkomsthushåll (andel)",
    ),
    "reach": (
        "Share of low-income households reached per year",
        "Andel låginkomsthushåll som nås per år",
    ),
    "housing": ("Construction and allocation", "Byggande och bostadsförmedling"),
    "construction": ("Construction volume (x planned)", "Byggvolym (x planerad)"),
    "tenure_mix": ("Set tenure mix of new homes", "Ange upplåtelseformer för nya bostäder"),
    "rental": ("Rental share", "Andel hyresrätter"),
    "tenant_owned": ("Tenant-owned share", "Andel bostadsrätter"),
    "house": ("House share", "Andel småhus"),
    "affordable": ("Affordable share of new rentals", "Andel hyresrätter med rimlig hyra"),
    "queue": ("Queue priority for current residents", "Förtur i kön för nuvarande invånare"),
    "new_link": ("New transit link", "Ny kollektivtrafiklänk"),
    "from_stop": ("From stop", "Från hållplats"),
    "to_stop": ("To stop", "Till hållplats"),
    "mode": ("Mode", "Trafikslag"),
    "minutes": ("Minutes", "Minuter"),
    "departures": ("Departures per hour", "Avgångar per timme"),
    "opening_year": ("Opening year", "Öppningsår"),
    "freq_change": ("Frequency change on a line", "Ändrad turtäthet på en linje"),
    "line": ("Line", "Linje"),
    "from_year": ("From year", "Från år"),
    "run_settings": ("Scale, seeds, horizon", "Skala, slumpfrön, horisont"),
    "scale": ("Scale (share of households)", "Skala (andel hushåll)"),
    "seeds": ("Seeds", "Slumpfrön"),
    "end_year": ("Last year", "Sista år"),
    "run": ("Run", "Kör"),
    "running": ("Running", "Kör"),
    "result_in": ("Result in", "Resultat efter"),
    "runs_cached": ("baseline runs from the cache", "basscenariokörningar från cachen"),
    "outcome": ("Outcome", "Utfall"),
    "level": ("Level", "Nivå"),
    "year": ("Year", "År"),
    "map": ("Map", "Karta"),
    "series": ("Time series", "Tidsserier"),
    "tradeoff": ("Growth vs current residents", "Tillväxt mot nuvarande invånare"),
    "table": ("Differences", "Skillnader"),
    "save": ("Save scenario as YAML", "Spara scenariot som YAML"),
    "save_dir": ("Config folder", "Konfigurationsmapp"),
    "saved": ("Saved", "Sparat"),
    "load_file": ("Load a saved scenario", "Läs in ett sparat scenario"),
    "load": ("Load", "Läs in"),
    "export_png": ("View as PNG", "Vyn som PNG"),
    "export_csv": ("Table as CSV", "Tabellen som CSV"),
    "step": ("Step through a run", "Stega genom en körning"),
    "play": ("Play", "Spela"),
    "pause": ("Pause", "Pausa"),
    "step_one": ("Step one year", "Ett år framåt"),
    "reset": ("Reset", "Börja om"),
    "sweep": ("Open a finished sweep", "Öppna ett färdigt svep"),
    "folder": ("Sweep or experiment folder", "Mapp med svep eller experiment"),
    "open": ("Open", "Öppna"),
    "scenario": ("Scenario", "Scenario"),
    "difference": ("Difference", "Skillnad"),
    "interval": ("90% interval", "90 %-intervall"),
    "pairs": ("Common seeds", "Gemensamma frön"),
    "metric": ("Outcome", "Utfall"),
    "unit": ("Unit", "Enhet"),
    "change_vs": ("change against", "förändring mot"),
    "no_result": ("Press Run to see results.", "Tryck Kör för att se resultat."),
    "network_note": (
        "Lines: transit in service in the year shown; thick black: the "
        "scenario's new or changed links. Hover a zone for its value.",
        "Linjer: kollektivtrafik i trafik det visade året; tjock svart: "
        "scenariots nya eller ändrade länkar. Håll musen över en zon för värdet.",
    ),
}

METRICS_SV: dict[str, str] = {
    "population": "Befolkning",
    "households": "Hushåll",
    "births": "Födda",
    "deaths": "Döda",
    "in_migrants": "Inflyttade",
    "out_migrants": "Utflyttade",
    "internal_moves": "Flyttar inom regionen",
    "moves_out": "Flyttar till annan del av regionen",
    "households_formed": "Nybildade hushåll",
    "households_dissolved": "Upplösta hushåll",
    "turned_away_in_migrants": "Inflyttare utan bostad",
    "vacancy_rate": "Vakansgrad",
    "price_index": "Prisindex",
    "rent_burden": "Boendekostnadsandel",
    "waiting_households": "Hushåll som väntar på bostad",
    "accessibility": "Tillgänglighet till arbeten",
    "commute_cost": "Pendlingskostnad",
    "safety": "Trygghet",
    "reputation": "Rykte",
    "dissimilarity_income": "Olikhetsindex (låg mot övriga inkomster)",
    "isolation_low_income": "Isolering av låginkomsttagare",
    "theil_income": "Theils H (inkomstgrupper)",
    "base_residents_in_region": "Hushåll från basåret kvar i regionen",
    "displaced": "Undanträngda hushåll",
    "displaced_cumulative": "Undanträngda hushåll sedan basåret",
}

LEVELS: dict[str, tuple[str, str]] = {
    "region": ("region", "region"),
    "municipality": ("municipality", "kommun"),
    "zone": ("zone", "zon"),
}


def t(key: str, lang: str) -> str:
    """The label ``key`` in ``lang`` (``en`` or ``sv``)."""
    en, sv = UI.get(key, (key, key))
    return sv if lang == "sv" else en


def metric_name(metric: str, lang: str) -> str:
    """Readable name of an outcome metric in ``lang``."""
    if lang == "sv" and metric in METRICS_SV:
        return METRICS_SV[metric]
    return labels.name(metric)


def level_name(level: str, lang: str) -> str:
    """Readable name of an outcome level in ``lang``."""
    en, sv = LEVELS.get(level, (level, level))
    return sv if lang == "sv" else en
