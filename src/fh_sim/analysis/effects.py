"""Effects in a planner's units: scenario minus baseline per place, seed by seed.

Each outcome is shown in the unit a planner reads (:data:`PLANNER_OUTCOMES`): counts in
real persons or households (divided by the runs' scale before this module sees them),
prices and access to jobs as a percent change against the baseline on the same seed,
shares as percentage points, commute in minutes, segregation in index points (0-100).
The change is computed per common seed and then summarised (mean, 5% and 95% quantiles
across the seeds), so the interval is the spread of the effect itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from fh_sim.analysis import labels
from fh_sim.analysis.aggregate import HIGH_Q, KEYS, LOW_Q, Pairing, draw_columns

# Below this many paired seeds an interval is close to the range of the runs: no effect
# is called firm and the report warns.
MIN_SEEDS_FIRM = 5

# outcome -> how its change is shown: ``count`` (real persons/households), ``pct`` (percent
# change against the baseline), ``pp`` (percentage points of a 0-1 share), ``minutes``,
# ``points`` (index points of a 0-1 index times 100).
PLANNER_OUTCOMES: dict[str, str] = {
    "population": "count",
    "households": "count",
    "commute_cost": "minutes",
    "price_index": "pct",
    "rent_burden": "pp",
    "accessibility": "pct",
    "displaced_cumulative": "count",
    "waiting_households": "count",
    "dissimilarity_income": "points",
}
KIND_UNITS = {
    "en": {"pct": "%", "pp": "percentage points", "minutes": "min", "points": "index points"},
    "sv": {"pct": "%", "pp": "procentenheter", "minutes": "min", "points": "indexpoäng"},
}
# Short outcome names for table headers and summary lines.
SHORT = {
    "en": {
        "population": "Population",
        "households": "Households",
        "commute_cost": "Commute time",
        "price_index": "Housing prices",
        "rent_burden": "Housing cost share of income",
        "accessibility": "Access to jobs",
        "displaced_cumulative": "Displaced households (since base year)",
        "waiting_households": "Households waiting for a dwelling",
        "dissimilarity_income": "Segregation by income",
    },
    "sv": {
        "population": "Befolkning",
        "households": "Hushåll",
        "commute_cost": "Restid till arbetet",
        "price_index": "Bostadspriser",
        "rent_burden": "Boendekostnad som andel av inkomst",
        "accessibility": "Tillgänglighet till arbetsplatser",
        "displaced_cumulative": "Undanträngda hushåll (sedan basåret)",
        "waiting_households": "Hushåll som väntar på bostad",
        "dissimilarity_income": "Segregation efter inkomst",
    },
}
LEVELS = ("region", "municipality")
EFFECT_COLUMNS = [
    "scenario",
    "level",
    "unit",
    "metric",
    "kind",
    "n",
    "base",
    "mean",
    "q05",
    "q95",
    "rel",
    "firm",
]


def kind_of(metric: str) -> str:
    """How the change of ``metric`` is shown (``count`` for counts, else its own unit)."""
    if metric in PLANNER_OUTCOMES:
        return PLANNER_OUTCOMES[metric]
    return "count" if labels.is_count(metric) else "raw"


def short_name(metric: str, lang: str = "en") -> str:
    """Short readable name of ``metric`` for tables and summary lines."""
    return SHORT.get(lang, SHORT["en"]).get(metric) or labels.name(metric, lang)


def display_unit(metric: str, lang: str = "en") -> str:
    """Unit of the change of ``metric`` as the tables show it."""
    kind = kind_of(metric)
    if kind in ("count", "raw"):
        return labels.unit(metric, lang)
    return KIND_UNITS.get(lang, KIND_UNITS["en"])[kind]


def _transform(kind: str, scen: np.ndarray, base: np.ndarray) -> np.ndarray:
    diff = scen - base
    if kind == "pct":
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(base != 0, 100.0 * diff / base, np.nan)
    if kind in ("pp", "points"):
        return 100.0 * diff
    return diff


def _base_display(kind: str, base: np.ndarray) -> np.ndarray:
    return 100.0 * base if kind in ("pp", "points") else base


def effect_table(
    table: pd.DataFrame,
    pairing: Pairing,
    *,
    year: int,
    metrics: Sequence[str] | None = None,
    levels: Sequence[str] = LEVELS,
) -> pd.DataFrame:
    """Scenario minus baseline in ``year`` per place and outcome, in planner units.

    Args:
        table: tidy outcomes of every run (counts already in real numbers).
        pairing: common seeds of each scenario with the baseline.
        year: the year compared.
        metrics: outcomes (default: :data:`PLANNER_OUTCOMES` present in ``table``).
        levels: levels kept (region and municipality by default).

    Returns:
        Columns :data:`EFFECT_COLUMNS`: ``n`` common seeds, ``base`` the baseline's mean
        level (display units; percent kinds: the metric's own unit), ``mean``, ``q05``,
        ``q95`` of the per-seed change, ``rel`` the mean change as a percent of the
        baseline level (for ranking effects of different units), ``firm`` True when at
        least :data:`MIN_SEEDS_FIRM` seeds were paired and the interval excludes zero.
    """
    wanted = list(metrics) if metrics is not None else list(PLANNER_OUTCOMES)
    sel = table[
        (table["year"] == year) & table["level"].isin(levels) & table["metric"].isin(wanted)
    ]
    draw = draw_columns(sel)
    base = sel[sel["scenario"] == pairing.baseline][[*draw, *KEYS, "value"]]
    parts = []
    for scen, draws in pairing.common.items():
        if not draws:
            continue
        rows = sel[sel["scenario"] == scen]
        rows = rows[pd.MultiIndex.from_frame(rows[draw]).isin(draws)]
        merged = rows.merge(base, on=[*draw, *KEYS], suffixes=("", "_base"))
        parts.append(merged)
    if not parts:
        return pd.DataFrame(columns=EFFECT_COLUMNS)
    df = pd.concat(parts, ignore_index=True)
    df["kind"] = df["metric"].map(kind_of)
    change = np.empty(len(df))
    shown_base = np.empty(len(df))
    for kind, idx in df.groupby("kind").groups.items():
        pos = df.index.get_indexer(idx)
        scen_v = df["value"].to_numpy(float)[pos]
        base_v = df["value_base"].to_numpy(float)[pos]
        change[pos] = _transform(str(kind), scen_v, base_v)
        shown_base[pos] = _base_display(str(kind), base_v)
    df["change"], df["shown_base"] = change, shown_base
    grouped = df.groupby(["scenario", "level", "unit", "metric", "kind"], sort=False)
    out = pd.DataFrame(
        {
            "n": grouped["change"].size(),
            "base": grouped["shown_base"].mean(),
            "mean": grouped["change"].mean(),
            "q05": grouped["change"].quantile(LOW_Q),
            "q95": grouped["change"].quantile(HIGH_Q),
        }
    ).reset_index()
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(out["kind"] == "pct", out["mean"], 100.0 * out["mean"] / out["base"].abs())
    out["rel"] = np.where(np.isfinite(rel), rel, 0.0)
    out["firm"] = (out["n"] >= MIN_SEEDS_FIRM) & ((out["q05"] > 0) | (out["q95"] < 0))
    order = {m: i for i, m in enumerate(wanted)}
    lvl = {v: i for i, v in enumerate(levels)}
    out = out.assign(_l=out["level"].map(lvl), _m=out["metric"].map(order))
    out = out.sort_values(["_l", "unit", "_m"], kind="stable").drop(columns=["_l", "_m"])
    return out[EFFECT_COLUMNS].reset_index(drop=True)


def real_counts(table: pd.DataFrame, scale_by_run: dict[str, float]) -> pd.DataFrame:
    """``table`` with counts of persons and households divided by each run's scale.

    Shares, indices and minutes are left as they are.
    """
    metrics = table["metric"].unique()
    counts = table["metric"].isin([m for m in metrics if labels.is_count(m)]).to_numpy()
    scale = table["run_dir"].map(scale_by_run).fillna(1.0).to_numpy(float)
    out = table.copy()
    out.loc[counts, "value"] = out.loc[counts, "value"].to_numpy(float) / scale[counts]
    return out
