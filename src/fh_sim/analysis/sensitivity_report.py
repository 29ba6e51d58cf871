"""Outputs of a sensitivity study, and the assumptions that matter for one effect.

:func:`write_outputs` writes ``indices.parquet``/``indices.csv`` (every outcome, region
and municipalities), one figure per region-level outcome, and ``ranking.md`` (the ranked
list in words). :func:`assumptions_that_matter` is what a report calls for one compared
effect: the inputs with the largest total index and the effect when each sits in the low
and in the high third of its range (means over the study's points).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pandas as pd

from fh_sim.analysis import sensitivity as sa
from fh_sim.analysis import sensitivity_hdmr as hdmr
from fh_sim.analysis.sensitivity_plots import (
    hdmr_plot,
    morris_plot,
    outcome_title,
    outcome_unit,
    sobol_plot,
)
from fh_sim.config.uncertainty import UncertainInput, quantile
from fh_sim.errors import FhSimError

log = logging.getLogger(__name__)

INDICES = "indices"
TOP_WORDS = 10
HDMR_WORDS = (
    "S1 = first-order index from an additive B-spline metamodel (HDMR) fitted to the "
    "points: the share of the outcome's variance over the points that the input explains "
    "alone, corrected for the noise the fit absorbs; +- = half-width of the 95 % bootstrap "
    "interval; * = interval excludes zero. The indices sum to the share the inputs "
    f"explain; a ranking is a finding only if that share is at least "
    f"{100 * hdmr.EXPLAINED_MIN:.0f} % and the top input's interval excludes zero."
)


def _horizon(study: sa.Study) -> int | None:
    for item in study.overrides:
        if item.startswith("end_year="):
            return int(item.split("=", 1)[1])
    return 2050


def _fmt(x: float) -> str:
    return f"{x:.3g}"


def ranked_words(table: pd.DataFrame, study: sa.Study, *, top: int = TOP_WORDS) -> str:
    """The ranked inputs of every region-level outcome, in words (Markdown)."""
    n_points = int(table.attrs.get("n_points", 0))
    lines = [
        f"# Which assumptions drive the answers ({study.method})",
        "",
        f"Budget {study.budget} ({n_points} points per scenario), seed {study.seed}, "
        f"overrides: {' '.join(study.overrides) or 'none'}. "
        + (
            "Morris mu* = mean absolute elementary effect, in the outcome's unit per "
            "full range of the input (steps of two thirds of the range, scaled); mu = "
            "its signed mean; sigma = their spread (interactions, non-linearity or "
            "noise)."
            if study.method == "morris"
            else HDMR_WORDS
            if study.method == "hdmr"
            else "ST = total-order Sobol index (share of variance the input explains, with its "
            "interactions); S1 = first order; +- = half-width of the 95 % bootstrap "
            "interval."
        ),
        "",
    ]
    region = table[table["level"] == "region"]
    for (target, scen, metric, unit), rows in region.groupby(
        ["target", "scenario", "metric", "unit"], sort=False
    ):
        title = outcome_title(target, scen, metric, "region", unit)
        lines.append(
            f"## {title} ({outcome_unit(metric, target)}; "
            f"std over the points {_fmt(rows['std'].iloc[0])})"
        )
        lines.append("")
        if float(rows["std"].iloc[0]) == 0.0:
            lines += ["The outcome does not vary over the points: no input matters.", ""]
            continue
        finding = True
        if study.method == "hdmr":
            finding, sentence = hdmr.verdict(rows)
            lines += [sentence, ""]
        for _, r in rows.nsmallest(top, "rank").iterrows():
            if study.method == "hdmr":
                clear = "*" if r["S1"] - r["S1_conf"] > 0 else ""
                what = f"S1 {r['S1']:.2f} +- {r['S1_conf']:.2f}{clear}"
            elif study.method == "morris":
                what = (
                    f"mu* {_fmt(r['mu_star'])} +- {_fmt(r['mu_star_conf'])}, "
                    f"sigma {_fmt(r['sigma'])}, mu {_fmt(r['mu'])}"
                )
            else:
                what = (
                    f"ST {r['ST']:.2f} +- {r['ST_conf']:.2f}, "
                    f"S1 {r['S1']:.2f} +- {r['S1_conf']:.2f}"
                )
            mark = f"{int(r['rank'])}." if finding else "-"
            lines.append(f"{mark} `{r['input']}`: {what}")
        lines.append("")
    return "\n".join(lines)


def write_outputs(out_dir: Path, table: pd.DataFrame, study: sa.Study) -> list[Path]:
    """Write the index table (Parquet, CSV), the figures and the ranked list.

    Returns:
        The files written.
    """
    import matplotlib.pyplot as plt

    files = []
    for suffix, writer in ((".parquet", "to_parquet"), (".csv", "to_csv")):
        path = out_dir / f"{INDICES}{suffix}"
        getattr(table, writer)(path, index=False)
        files.append(path)
    fig_dir = out_dir / "figures"
    fig_dir.mkdir(exist_ok=True)
    horizon = _horizon(study)
    region = table[table["level"] == "region"]
    for (target, scen, metric, unit), rows in region.groupby(
        ["target", "scenario", "metric", "unit"], sort=False
    ):
        title = outcome_title(target, scen, metric, "region", unit)
        if study.method == "morris":
            # mu* and sigma are changes: percentage points for a growth in %
            fig = morris_plot(
                rows, title=title, unit=outcome_unit(metric, "effect"), horizon=horizon
            )
        elif study.method == "hdmr":
            fig = hdmr_plot(rows, title=title, horizon=horizon)
        else:
            fig = sobol_plot(rows, title=title, horizon=horizon)
        path = fig_dir / f"{study.method}_{target}_{scen}_{metric}.png"
        fig.savefig(path, dpi=100)
        plt.close(fig)
        files.append(path)
    words = out_dir / "ranking.md"
    words.write_text(ranked_words(table, study), encoding="utf-8")
    files.append(words)
    return files


def _thirds(spec: UncertainInput, base_value: float | None) -> tuple[str, str]:
    """Readable low and high thirds of an input's range."""
    lo = (quantile(spec, 0.0), quantile(spec, 1 / 3))
    hi = (quantile(spec, 2 / 3), quantile(spec, 1.0))
    if spec.mode == "factor":
        return (f"x{_fmt(lo[0])}-{_fmt(lo[1])}", f"x{_fmt(hi[0])}-{_fmt(hi[1])}")
    return (f"{_fmt(lo[0])}-{_fmt(lo[1])}", f"{_fmt(hi[0])}-{_fmt(hi[1])}")


def assumptions_that_matter(
    out_dir: str | Path,
    scenario: str,
    metric: str,
    *,
    level: str = "region",
    unit: str | None = None,
    top: int = 5,
) -> pd.DataFrame:
    """For one effect, the inputs with the largest total index and the effect at their ends.

    Args:
        out_dir: a finished sensitivity study folder (``fh-sim sensitivity``) whose
            scenarios include ``scenario``.
        scenario: the scenario whose effect (minus the study's baseline) is explained.
        metric: the outcome (``population_growth`` or a metric of the outcome table).
        level: ``region`` or ``municipality``.
        unit: the municipality (None: the region, or the only unit at ``level``).
        top: how many inputs.

    Returns:
        ``input, key, index, index_conf, index_name, low, high, effect_low,
        effect_high, effect_mean``: ``index`` is ST (Sobol) or mu* (Morris);
        ``effect_low``/``effect_high`` are the mean effect over the study's points with
        the input in the lowest/highest third of its range (``low``/``high``), the
        other inputs varying over theirs. An HDMR study adds ``explained_share``: the
        share of the effect's variance over the points the inputs explain (the rest is
        the model's randomness).

    Raises:
        FhSimError: not a study folder, or the effect is not in it.
    """
    out_dir = Path(out_dir)
    table_path = out_dir / f"{INDICES}.parquet"
    if not table_path.is_file():
        raise FhSimError(f"no {INDICES}.parquet: run fh-sim sensitivity first", where=str(out_dir))
    table = pd.read_parquet(table_path)
    sel = table[
        (table["target"] == "effect")
        & (table["scenario"] == scenario)
        & (table["metric"] == metric)
        & (table["level"] == level)
    ]
    if unit is not None:
        sel = sel[sel["unit"] == unit]
    if sel.empty:
        have = sorted(set(table.loc[table["target"] == "effect", "scenario"]))
        raise FhSimError(
            f"no effect of '{scenario}' on '{metric}' at level '{level}' in the "
            f"study (its scenarios: {', '.join(have) or 'none'})",
            where=str(out_dir),
        )
    unit = str(sel["unit"].iloc[0])
    sel = sel[sel["unit"] == unit]
    study, inputs = sa.load_study(out_dir)
    points = sa.read_points(out_dir)
    effect = sa.targets(points, study)[("effect", scenario)][f"{metric}|{level}|{unit}"]
    base = points[points["scenario"] == study.scenarios[0]].sort_values("row")
    index_name = "ST" if "ST" in sel.columns and sel["ST"].notna().any() else "mu_star"
    rows = []
    for _, r in sel.nsmallest(top, "rank").iterrows():
        u = base[f"u:{r['input']}"].to_numpy()
        low_mask, high_mask = u <= 1 / 3 + 1e-9, u >= 2 / 3 - 1e-9
        spec = inputs[r["input"]]
        low, high = _thirds(spec, None)
        rows.append(
            {
                "input": r["input"],
                "key": spec.key,
                "index": float(r[index_name]),
                "index_conf": float(r[f"{index_name}_conf"]),
                "index_name": index_name,
                "low": low,
                "high": high,
                "effect_low": float(np.mean(effect.to_numpy()[low_mask])),
                "effect_high": float(np.mean(effect.to_numpy()[high_mask])),
                "effect_mean": float(effect.mean()),
            }
        )
    out = pd.DataFrame(rows)
    if "explained" in sel.columns:
        out["explained_share"] = float(sel["explained"].iloc[0])
    return out


def study_summary(out_dir: Path) -> dict[str, object]:
    """The study's definition as saved (for the command's closing lines)."""
    return json.loads((out_dir / sa.SPEC_FILE).read_text(encoding="utf-8"))


def effects_explained(
    out_dir: str | Path, scenarios: list[str] | None = None, *, top: int = 5
) -> pd.DataFrame:
    """:func:`assumptions_that_matter` for every region-level effect of a study.

    Args:
        out_dir: a finished sensitivity study folder.
        scenarios: only these scenarios (None: all the study's); others are skipped.
        top: inputs per effect.

    Returns:
        The rows of :func:`assumptions_that_matter` with ``scenario`` and ``metric``.
    """
    table = pd.read_parquet(Path(out_dir) / f"{INDICES}.parquet")
    effects = table[(table["target"] == "effect") & (table["level"] == "region")]
    parts = []
    for (scen, metric), _ in effects.groupby(["scenario", "metric"], sort=False):
        if scenarios is not None and scen not in scenarios:
            continue
        rows = assumptions_that_matter(out_dir, scen, metric, top=top)
        parts.append(rows.assign(scenario=scen, metric=metric))
    if not parts:
        return pd.DataFrame()
    out = pd.concat(parts, ignore_index=True)
    return out[["scenario", "metric", *[c for c in out.columns if c not in ("scenario", "metric")]]]
