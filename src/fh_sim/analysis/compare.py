"""From run folders to the comparison's outputs: PNGs, summary tables, HTML report.

Used by ``fh-sim compare`` and by the notebooks::

    from fh_sim.analysis.compare import compare_runs
    result = compare_runs(["outputs/focus_areas_small"], out_dir=Path("report"))
"""

from __future__ import annotations

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
from fh_sim.analysis.collect import Collection, check_comparable, collect
from fh_sim.analysis.report import Plot, render_html
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
        summary: the summary table (region level, horizon year).
        figures: file stem -> (figure, title, caption).
        files: every file written.
    """

    collection: Collection
    pairing: Pairing
    levels: pd.DataFrame
    diffs: pd.DataFrame
    year: int
    summary: pd.DataFrame
    figures: dict[str, tuple[Figure, str, str]] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    title: str = "fh_sim scenario comparison"


def _check_metrics(table: pd.DataFrame, metrics: Sequence[str] | None) -> list[str] | None:
    if metrics is None:
        return None
    known = set(table["metric"].unique())
    unknown = [m for m in metrics if m not in known]
    if unknown:
        raise FhSimError(
            f"unknown metric(s) {', '.join(unknown)}; the runs have: "
            + ", ".join(sorted(known))
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


def make_figures(
    comp: Comparison, *, metrics: Sequence[str] | None = None, region: Any | None = None
) -> dict[str, tuple[Figure, str, str]]:
    """Build the comparison's figures (not saved).

    Returns:
        file stem -> (figure, title, caption), in report order.
    """
    base, year, lv, df = comp.pairing.baseline, comp.year, comp.levels, comp.diffs
    has_diffs = not df.empty
    figs: dict[str, tuple[Figure, str, str]] = {}
    figs["population_municipality"] = (
        plots.time_series(lv, metric="population", level="municipality", baseline=base),
        "Population per municipality over time",
        "One line per scenario (mean across its runs) with the 5-95% band across seeds.",
    )
    if has_diffs:
        figs["difference_horizon"] = (
            plots.difference_at_horizon(df, year=year, metrics=metrics, baseline=base),
            f"Scenario minus {base} in {year}, key outcomes",
            "Paired on common seeds: dot = mean difference, bar = 5-95% of the per-seed "
            "differences. Zero (dashed) = no change from the baseline.",
        )
    if has_diffs and region is not None:
        from fh_sim.analysis.maps import change_maps

        for metric in ("population", "accessibility"):
            fig = change_maps(region, df, metric=metric, year=year, baseline=base)
            if fig is not None:
                figs[f"map_{metric}_change"] = (
                    fig, f"Network map: change in {labels.name(metric).lower()} per zone",
                    f"Zones coloured by the mean change in {labels.name(metric).lower()} "
                    f"({labels.unit(metric)}) against {base} in {year}; lines are the "
                    "transit links in service that year.",
                )
    if has_diffs:
        figs["tradeoff"] = (
            plots.tradeoff(df, year=year, baseline=base),
            "Growth against current residents' welfare",
            "x: change in the region's population; y: change in base-year residents still "
            "housed in the region, in displaced households and in rent burden. Up-right "
            "on the first panel is growth that also keeps current residents; up on the "
            "other two is worse for them.",
        )
    figs["segregation_rent_burden"] = (
        plots.indicators_over_time(lv, baseline=base),
        "Segregation indices and rent burden over time",
        "Region-level dissimilarity, isolation and Theil's H between income groups, and "
        "rent burden; mean and 5-95% band across seeds.",
    )
    figs["segments"] = (
        plots.segments(df if has_diffs else lv, year=year, change=has_diffs, baseline=base),
        "Outcomes per household segment",
        "Which target groups (life stage x income) each scenario attracts or loses, "
        "against the baseline on common seeds.",
    )
    return figs


def compare_runs(
    paths: Sequence[str | Path],
    *,
    out_dir: Path | None = None,
    baseline: str = "baseline",
    metrics: Sequence[str] | None = None,
    with_map: bool = True,
    as_rates: bool = False,
) -> Comparison:
    """Collect, aggregate and plot the runs under ``paths``; write files to ``out_dir``.

    Args:
        paths: run or sweep folders.
        out_dir: where to write PNGs, ``summary.csv``, ``summary.parquet`` and
            ``report.html`` (None: compute and plot only).
        baseline: scenario label the others are compared with.
        metrics: outcomes for the difference chart and the summary (default: all).
        with_map: draw the network maps (needs the region's data).
        as_rates: runs of different scales or region data are compared on rates,
            shares and indices only (counts are dropped), under a banner.

    Raises:
        FhSimError: bad paths, no complete runs, an empty outcome table, runs that are
            not comparable (scale, region data, base year, model version, horizon),
            unknown baseline or metric.
    """
    coll = collect(paths)
    bridged = check_comparable(coll.runs, as_rates=as_rates)
    title = "fh_sim scenario comparison"
    if bridged:
        banner = rates_banner(bridged)
        log.warning(banner)
        title = f"{title}. {banner}"
        coll = replace(coll, table=counts_as_rates(coll.table))
    coll = replace(coll, table=add_cumulative(coll.table, labels.CUMULATIVE))
    metrics = _check_metrics(coll.table, metrics)
    pairing = pair_seeds(coll.runs, baseline=baseline)
    levels = summarise(coll.table)
    diffs = difference_summary(coll.table, pairing)
    year = horizon_year(coll.table)
    rank = {s: i for i, s in enumerate(coll.scenarios)}
    levels = levels.sort_values("scenario", key=lambda c: c.map(rank), kind="stable")
    summary = summary_table(levels, diffs, year=year, metrics=metrics, order=labels.KEY_METRICS)
    comp = Comparison(collection=coll, pairing=pairing, levels=levels, diffs=diffs,
                      year=year, summary=summary)
    region = _load_region(coll, baseline) if with_map and not diffs.empty else None
    comp.figures = make_figures(comp, metrics=metrics, region=region)
    comp.title = title
    if out_dir is not None:
        write_outputs(comp, Path(out_dir))
    return comp


# Outcomes that count simulated agents (about ``scale`` x the real numbers).
COUNT_METRICS = frozenset(
    m for m, (_, unit) in labels.METRICS.items()
    if unit.split(" per ")[0] in ("persons", "households")
)


def counts_as_rates(table: pd.DataFrame) -> pd.DataFrame:
    """Counts turned into rates that do not depend on the scale.

    ``population`` becomes an index (1 = the run's first year, per level and unit); every
    other count is divided by the population of the same run, year, level and unit
    (per person). Shares, rates and indices are kept as they are.
    """
    keys = ["run_dir", "year", "level", "unit"]
    out = table.copy()
    pop = out[out["metric"] == "population"].set_index(keys)["value"]
    first = (out[out["metric"] == "population"].sort_values("year")
             .groupby(["run_dir", "level", "unit"])["value"].first())
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
    return (f"RATES AND SHARES ONLY: the runs differ in {what}; population is shown as an "
            "index (first year = 1) and every other count per person, not in its own unit")


def write_outputs(comp: Comparison, out_dir: Path) -> Path:
    """Write the PNGs, the summary table (CSV, Parquet) and ``report.html``.

    Returns:
        The report's path.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise FhSimError(f"cannot create the output folder: {err.strerror or err}",
                         where=str(out_dir)) from err
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise FhSimError("cannot write into the output folder: permission denied",
                         where=str(out_dir))
    report_plots = []
    for stem, (fig, title, caption) in comp.figures.items():
        path = out_dir / f"{stem}.png"
        fig.savefig(path, dpi=DPI)
        report_plots.append(Plot(path=path, title=title, caption=caption))
        comp.files.append(path)
    for name, writer in (("summary.csv", "to_csv"), ("summary.parquet", "to_parquet")):
        getattr(comp.summary, writer)(out_dir / name, index=False)
        comp.files.append(out_dir / name)
    report = out_dir / "report.html"
    html = render_html(coll=comp.collection, pairing=comp.pairing, summary=comp.summary,
                       plots=report_plots, year=comp.year, title=comp.title)
    tmp = report.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(report)
    comp.files.append(report)
    log.info("wrote %d files to %s; open %s", len(comp.files), out_dir, report)
    return report
