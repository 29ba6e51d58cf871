"""The comparison's tables as files: ``summary.csv``/``.parquet``, ``summary.xlsx``, details.

``summary.*`` hold the report's municipality x outcome changes in planner units (one row
per scenario, level, place and outcome); ``summary.xlsx`` has one sheet per level with
headers in the report's language; ``details.csv`` holds every outcome at region level in
its own unit (levels and differences).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from fh_sim.analysis import labels
from fh_sim.analysis.effects import display_unit
from fh_sim.errors import FhSimError

SUMMARY_COLUMNS = [
    "scenario",
    "level",
    "place",
    "metric",
    "outcome",
    "unit",
    "n_pairs",
    "baseline_level",
    "mean",
    "q05",
    "q95",
    "firm",
]
HEADERS = {
    "en": {
        "scenario": "Scenario",
        "level": "Level",
        "place": "Place",
        "metric": "Metric",
        "outcome": "Outcome",
        "unit": "Unit of the change",
        "n_pairs": "Paired seeds",
        "baseline_level": "Baseline level",
        "mean": "Change (mean)",
        "q05": "Change 5 %",
        "q95": "Change 95 %",
        "firm": "Firm effect",
    },
    "sv": {
        "scenario": "Scenario",
        "level": "Nivå",
        "place": "Plats",
        "metric": "Mått",
        "outcome": "Utfall",
        "unit": "Enhet för förändringen",
        "n_pairs": "Parade seeds",
        "baseline_level": "Nivå i jämförelsescenariot",
        "mean": "Förändring (medel)",
        "q05": "Förändring 5 %",
        "q95": "Förändring 95 %",
        "firm": "Säker effekt",
    },
}
SHEETS = {
    "en": {"region": "Region", "municipality": "Municipalities"},
    "sv": {"region": "Region", "municipality": "Kommuner"},
}


def summary_frame(effects: pd.DataFrame, *, lang: str = "en") -> pd.DataFrame:
    """The effect table with readable outcome names and units (columns SUMMARY_COLUMNS)."""
    out = effects.rename(columns={"unit": "place", "n": "n_pairs", "base": "baseline_level"})
    out = out.assign(
        outcome=out["metric"].map(lambda m: labels.name(m, lang)),
        unit=out["metric"].map(lambda m: display_unit(m, lang)),
        firm=out["firm"].astype(bool),
        n_pairs=out["n_pairs"].astype("int64"),
    )
    return out[SUMMARY_COLUMNS].reset_index(drop=True)


def write_xlsx(frame: pd.DataFrame, path: Path, *, lang: str = "en") -> None:
    """One sheet per level, headers in ``lang``, frozen header row, readable widths."""
    from openpyxl.utils import get_column_letter

    headers = HEADERS.get(lang, HEADERS["en"])
    sheets = SHEETS.get(lang, SHEETS["en"])
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        levels = list(dict.fromkeys(frame["level"])) or ["region"]
        for level in levels:
            part = frame[frame["level"] == level].drop(columns=["level"])
            part = part.rename(columns=headers)
            name = sheets.get(level, level)[:31]
            part.to_excel(writer, sheet_name=name, index=False)
            ws = writer.sheets[name]
            ws.freeze_panes = "A2"
            for k, col in enumerate(part.columns, start=1):
                width = max([len(str(col)), *(len(str(v)) for v in part[col].head(200))])
                ws.column_dimensions[get_column_letter(k)].width = min(width + 2, 48)


def write_tables(
    effects: pd.DataFrame, details: pd.DataFrame, out_dir: Path, *, lang: str = "en"
) -> list[Path]:
    """Write ``summary.csv``, ``summary.parquet``, ``summary.xlsx`` and ``details.csv``.

    Returns:
        The paths written.

    Raises:
        FhSimError: a file cannot be written (names it).
    """
    frame = summary_frame(effects, lang=lang)
    paths = [out_dir / n for n in ("summary.csv", "summary.parquet", "summary.xlsx", "details.csv")]
    try:
        frame.to_csv(paths[0], index=False)
        frame.to_parquet(paths[1], index=False)
        write_xlsx(frame, paths[2], lang=lang)
        details.to_csv(paths[3], index=False)
    except OSError as err:
        raise FhSimError(f"cannot write the summary tables: {err}", where=str(out_dir)) from err
    return paths
