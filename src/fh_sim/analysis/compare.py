"""From run folders to the comparison's outputs: PNGs, summary tables, HTML report.

Used by ``fh-sim compare`` and by the notebooks::

    from fh_sim.analysis.compare import compare_runs
    result = compare_runs(["outputs/focus_areas_small"], out_dir=Path("report"), lang="sv")
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from fh_sim.analysis import labels, plots
from fh_sim.analysis.aggregate import (
    Pairing,
    add_cumulative,
    difference_summary,
    horizon_year,
    pair_seeds,
    summarise,
    summary_table,
)
from fh_sim.analysis.assumptions_text import plain_assumptions
from fh_sim.analysis.collect import Collection, check_comparable, collect
from fh_sim.analysis.effects import effect_table, real_counts
from fh_sim.analysis.figures import make_figures
from fh_sim.analysis.i18n import check_lang
from fh_sim.analysis.palette import CATALOGUE_ORDER
from fh_sim.analysis.report import Plot, ReportInput, render_html
from fh_sim.analysis.summary_text import ScenarioSummary, plain_text, summarise_scenarios
from fh_sim.analysis.tables import write_tables
from fh_sim.analysis.timing import timing_warnings
from fh_sim.errors import FhSimError

log = logging.getLogger(__name__)

DPI = 100  # PNG resolution; the report embeds the same files


@dataclass
class Comparison:
    """Everything a comparison computed.

    Attributes:
        collection: the runs read.
        pairing: common seeds of each scenario with the baseline.
        levels: ``summarise`` output (mean, 5% and 95% across seeds).
        diffs: ``difference_summary`` output (scenario minus baseline, common seeds).
        year: the horizon compared.
        summary: all outcomes at region level in the horizon year (``details.csv``).
        effects: planner-unit changes per place (``summary.csv``), see
            :func:`fh_sim.analysis.effects.effect_table`.
        summaries: the plain-words summary per scenario.
        lang: language of every text.
        scale: the runs' common scale (counts are divided by it), None if mixed.
        colors: scenario -> colour, the same in every plot.
        places: municipalities, largest first.
        key_assumptions: the assumptions that matter most (sensitivity), if found.
        figures: file stem -> (figure, title, caption).
        files: every file written.
    """

    collection: Collection
    pairing: Pairing
    levels: pd.DataFrame
    diffs: pd.DataFrame
    year: int
    summary: pd.DataFrame
    effects: pd.DataFrame = field(default_factory=pd.DataFrame)
    summaries: list[ScenarioSummary] = field(default_factory=list)
    lang: str = "en"
    scale: float | None = None
    colors: dict[str, str] = field(default_factory=dict)
    places: list[str] = field(default_factory=list)
    key_assumptions: list[str] | None = None
    figures: dict[str, tuple[Figure, str, str]] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    banner: str | None = None


def _check_metrics(table: pd.DataFrame, metrics: Sequence[str] | None) -> list[str] | None:
    if metrics is None:
        return None
    known = set(table["metric"].unique())
    unknown = [m for m in metrics if m not in known]
    if unknown:
        raise FhSimError(
            f"unknown metric(s) {', '.join(unknown)}; the runs have: " + ", ".join(sorted(known))
        )
    return list(metrics)


def _load_region(coll: Collection, baseline: str) -> Any | None:
    data_dir = (coll.configs.get(baseline, {}).get("region") or {}).get("data_dir", "embedded")
    try:
        from fh_sim.region import load_region

        return load_region(data_dir)
    except (ImportError, FhSimError, OSError) as err:
        log.warning("no network map: cannot load the region from %r (%s)", data_dir, err)
        return None


def _catalogue_rank(name: str) -> tuple[int, int, str]:
    """Catalogue scenarios in catalogue order (single measures before packages), then others."""
    base = name.split(" [", 1)[0]
    known = base in CATALOGUE_ORDER
    return (0 if known else 1, CATALOGUE_ORDER.index(base) if known else 0, name)


def _scales(coll: Collection) -> dict[str, float]:
    """Run folder -> the run's scale (1.0 where the config has none)."""
    by_label = {s: float(c.get("scale") or 1.0) for s, c in coll.configs.items()}
    return dict(zip(coll.runs["run_dir"], coll.runs["scenario"].map(by_label), strict=True))


def _places(levels: pd.DataFrame, baseline: str, year: int) -> list[str]:
    """Municipalities, largest baseline population in ``year`` first."""
    sel = levels[
        (levels["scenario"] == baseline)
        & (levels["level"] == "municipality")
        & (levels["metric"] == "population")
        & (levels["year"] == year)
    ]
    return sel.sort_values("mean", ascending=False)["unit"].tolist()


def _key_assumptions(paths: Sequence[str | Path], lang: str) -> list[str] | None:
    """The assumptions that matter most, from a sensitivity analysis next to the runs.

    Filled by ``fh_sim.analysis.assumptions_matter.describe(paths, lang=...)`` when that
    module exists; None otherwise (the report then says none was found).
    """
    try:
        module = importlib.import_module("fh_sim.analysis.assumptions_matter")
    except ImportError:
        return None
    describe = getattr(module, "describe", None)
    return list(describe(paths, lang=lang) or []) or None if callable(describe) else None


def compare_runs(
    paths: Sequence[str | Path],
    *,
    out_dir: Path | None = None,
    baseline: str = "baseline",
    metrics: Sequence[str] | None = None,
    with_map: bool = True,
    as_rates: bool = False,
    lang: str = "en",
    label_zones: bool = False,
) -> Comparison:
    """Collect, aggregate and plot the runs under ``paths``; write files to ``out_dir``.

    Args:
        paths: run or sweep folders.
        out_dir: where to write PNGs, ``summary.csv``, ``summary.parquet``,
            ``summary.xlsx`` and ``report.html`` (None: compute and plot only).
        baseline: scenario label the others are compared with.
        metrics: outcomes for the tables, the difference chart and the summary
            (default: the planner's outcomes in the tables, all in the details).
        with_map: draw the network maps (needs the region's data).
        as_rates: runs of different scales or region data are compared on rates,
            shares and indices only (counts are dropped), under a banner.
        lang: ``en`` or ``sv``, for every label, title, header and text.
        label_zones: name every zone on the maps (default: the most populous ones).

    Raises:
        FhSimError: bad paths, no complete runs, an empty outcome table, runs that are
            not comparable (scale, region data, base year, model version, horizon),
            unknown baseline, metric or language.
    """
    lang = check_lang(lang)
    coll = collect(paths)
    bridged = check_comparable(coll.runs, as_rates=as_rates)
    scale_by_run = _scales(coll)
    table = real_counts(coll.table, scale_by_run)
    banner = None
    if bridged:
        banner = rates_banner(bridged)
        log.warning(banner)
        table = counts_as_rates(table)
    coll = replace(coll, table=add_cumulative(table, labels.CUMULATIVE))
    metrics = _check_metrics(coll.table, metrics)
    pairing = pair_seeds(coll.runs, baseline=baseline)
    levels = summarise(coll.table)
    diffs = difference_summary(coll.table, pairing)
    year = horizon_year(coll.table)
    rank = {s: i for i, s in enumerate(coll.scenarios)}
    levels = levels.sort_values("scenario", key=lambda c: c.map(rank), kind="stable")
    summary = summary_table(levels, diffs, year=year, metrics=metrics, order=labels.KEY_METRICS)
    effects = effect_table(coll.table, pairing, year=year, metrics=metrics)
    timing = {
        s: timing_warnings(coll.configs.get(s, {}), horizon=year, lang=lang) for s in pairing.common
    }
    order = sorted(pairing.common, key=_catalogue_rank)
    summaries = summarise_scenarios(
        effects,
        descriptions={s: coll.description(s) for s in order},
        pairs={s: len(pairing.common[s]) for s in order},
        warnings=timing,
        lang=lang,
    )
    effects = effects.sort_values(
        "scenario", key=lambda c: c.map({s: i for i, s in enumerate(order)}), kind="stable"
    ).reset_index(drop=True)
    scales = sorted(set(scale_by_run.values()))
    if len(scales) > 1:
        log.warning(
            "runs of different scales (%s): each run's counts are divided by its own",
            ", ".join(f"{x:g}" for x in scales),
        )
    comp = Comparison(
        collection=coll,
        pairing=pairing,
        levels=levels,
        diffs=diffs,
        year=year,
        summary=summary,
        effects=effects,
        summaries=summaries,
        lang=lang,
        scale=scales[0] if len(scales) == 1 else None,
        colors=plots.scenario_colors(coll.scenarios, baseline=baseline),
        places=_places(levels, baseline, year),
    )
    region = _load_region(coll, baseline) if with_map and not diffs.empty else None
    comp.figures = make_figures(comp, metrics=metrics, region=region, label_zones=label_zones)
    comp.key_assumptions = _key_assumptions(paths, lang)
    comp.banner = banner
    if out_dir is not None:
        write_outputs(comp, Path(out_dir))
    return comp


# Outcomes that count persons or households.
COUNT_METRICS = frozenset(m for m in labels.METRICS if labels.is_count(m))


def counts_as_rates(table: pd.DataFrame) -> pd.DataFrame:
    """Counts turned into rates that do not depend on the scale.

    ``population`` becomes an index (1 = the run's first year, per level and unit); every
    other count is divided by the population of the same run, year, level and unit
    (per person). Shares, rates and indices are kept as they are.
    """
    keys = ["run_dir", "year", "level", "unit"]
    out = table.copy()
    pop = out[out["metric"] == "population"].set_index(keys)["value"]
    first = (
        out[out["metric"] == "population"]
        .sort_values("year")
        .groupby(["run_dir", "level", "unit"])["value"]
        .first()
    )
    is_count = out["metric"].isin(COUNT_METRICS)
    is_pop = out["metric"] == "population"
    idx = pd.MultiIndex.from_frame(out[keys])
    per_person = out["value"].to_numpy() / pop.reindex(idx).to_numpy()
    base = first.reindex(pd.MultiIndex.from_frame(out[["run_dir", "level", "unit"]])).to_numpy()
    rate = out["value"].to_numpy() / base
    out["value"] = out["value"].where(~is_count, per_person).where(~is_pop, rate)
    return out


def rates_banner(bridged: Sequence[str]) -> str:
    """The warning shown when runs of different scale or data are compared as rates."""
    what = " and ".join(k.replace("_", " ") for k in bridged)
    return (
        f"RATES AND SHARES ONLY: the runs differ in {what}; population is shown as an "
        "index (first year = 1) and every other count per person, not in its own unit"
    )


def write_outputs(comp: Comparison, out_dir: Path) -> Path:
    """Write the PNGs, the tables, ``summary.txt`` (the answer) and ``report.html``.

    Returns:
        The report's path.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise FhSimError(
            f"cannot create the output folder: {err.strerror or err}", where=str(out_dir)
        ) from err
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise FhSimError(
            "cannot write into the output folder: permission denied", where=str(out_dir)
        )
    report_plots = []
    for stem, (fig, title, caption) in comp.figures.items():
        path = out_dir / f"{stem}.png"
        fig.savefig(path, dpi=DPI)
        report_plots.append(Plot(path=path, title=title, caption=caption))
        comp.files.append(path)
    comp.files += write_tables(comp.effects, comp.summary, out_dir, lang=comp.lang)
    answer = out_dir / "summary.txt"
    answer.write_text(
        plain_text(comp.summaries, year=comp.year, baseline=comp.pairing.baseline, lang=comp.lang)
        + "\n",
        encoding="utf-8",
    )
    comp.files.append(answer)
    report = out_dir / "report.html"
    base_cfg = comp.collection.configs.get(comp.pairing.baseline, {})
    html = render_html(
        ReportInput(
            coll=comp.collection,
            pairing=comp.pairing,
            summary=comp.summary,
            effects=comp.effects,
            summaries=comp.summaries,
            plots=report_plots,
            year=comp.year,
            lang=comp.lang,
            scale=comp.scale,
            colors=comp.colors,
            places=comp.places,
            assumptions=plain_assumptions(base_cfg, lang=comp.lang),
            key_assumptions=comp.key_assumptions,
            banner=comp.banner,
        )
    )
    tmp = report.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(report)
    comp.files.append(report)
    log.info("wrote %d files to %s; open %s", len(comp.files), out_dir, report)
    return report
