"""Across-seed summaries and scenario-minus-baseline differences paired on common seeds.

A "seed" here is a run's random stream, identified by ``(seed, replicate)``: two runs of
different scenarios with the same pair start from the same synthetic population and the
same random draws, so their difference isolates the scenario's effect.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from fh_sim.errors import FhSimError

log = logging.getLogger(__name__)

KEYS = ["year", "level", "unit", "metric"]
DRAW = ["seed", "replicate"]
PARAMS_DRAW = "params_draw"  # parameter draw (-1 = configured values), when collected


def draw_columns(df: pd.DataFrame) -> list[str]:
    """What identifies a run's draw: seed and replicate, plus the parameter draw if known.

    :func:`fh_sim.analysis.collect.collect` adds ``params_draw`` only when some run has
    one, so runs without parameter draws pair on ``(seed, replicate)`` as before.
    """
    return [*DRAW, PARAMS_DRAW] if PARAMS_DRAW in df.columns else list(DRAW)


LOW_Q, HIGH_Q = 0.05, 0.95


def _stats(grouped: pd.core.groupby.SeriesGroupBy, prefix: str = "") -> pd.DataFrame:
    out = pd.DataFrame(
        {
            f"{prefix}n": grouped.size(),
            f"{prefix}mean": grouped.mean(),
            f"{prefix}q05": grouped.quantile(LOW_Q),
            f"{prefix}q95": grouped.quantile(HIGH_Q),
        }
    )
    return out.reset_index()


def add_cumulative(table: pd.DataFrame, flows: dict[str, str]) -> pd.DataFrame:
    """Append running totals since the first year of yearly flow metrics.

    Args:
        table: the tidy table of :func:`fh_sim.analysis.collect.collect`.
        flows: flow metric -> name of its running total (e.g. ``displaced`` ->
            ``displaced_cumulative``); flows absent from ``table`` are ignored.

    Returns:
        ``table`` with one extra row per run, year, level and unit for each flow
        present: the sum of the flow over all years up to and including that year.
    """
    parts = [table]
    for flow, total in flows.items():
        rows = table[table["metric"] == flow].sort_values("year", kind="stable")
        if rows.empty:
            continue
        rows = rows.assign(metric=total)
        rows["value"] = rows.groupby(["run_dir", "level", "unit"], sort=False)["value"].cumsum()
        parts.append(rows)
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else table


def summarise(table: pd.DataFrame) -> pd.DataFrame:
    """Mean and 90% interval across seeds of every outcome of every scenario.

    Args:
        table: the tidy table of :func:`fh_sim.analysis.collect.collect`.

    Returns:
        One row per ``scenario, year, level, unit, metric`` with ``n`` (runs), ``mean``,
        ``q05`` and ``q95`` (5% and 95% quantiles across runs, linear interpolation), in
        the metric's own unit.
    """
    return _stats(table.groupby(["scenario", *KEYS], sort=False)["value"])


@dataclass(frozen=True)
class Pairing:
    """Which seeds each scenario shares with the baseline.

    Attributes:
        baseline: the baseline's scenario label.
        common: scenario -> sorted list of common ``(seed, replicate)`` pairs.
        unpaired: scenario -> number of its runs without a baseline run on the same seed.
    """

    baseline: str
    common: dict[str, list[tuple[int, int]]]
    unpaired: dict[str, int]


def pair_seeds(runs: pd.DataFrame, *, baseline: str) -> Pairing:
    """Find the ``(seed, replicate)`` pairs each scenario shares with ``baseline``.

    Raises:
        FhSimError: ``baseline`` is not one of the scenarios.
    """
    names = list(dict.fromkeys(runs["scenario"]))
    if baseline not in names:
        raise FhSimError(
            f"no complete runs of baseline scenario '{baseline}'; scenarios found: "
            + ", ".join(names)
            + " (choose one with --baseline)"
        )
    cols = draw_columns(runs)
    draws = {
        name: set(map(tuple, grp[cols].astype(int).to_numpy().tolist()))
        for name, grp in runs.groupby("scenario", sort=False)
    }
    base = draws[baseline]
    common: dict[str, list[tuple[int, int]]] = {}
    unpaired: dict[str, int] = {}
    for name in names:
        if name == baseline:
            continue
        common[name] = sorted(draws[name] & base)
        unpaired[name] = len(draws[name] - base)
        if not common[name]:
            log.warning(
                "scenario '%s' shares no seed with baseline '%s': no difference computed",
                name,
                baseline,
            )
        else:
            log.info(
                "scenario '%s' minus '%s': paired on %d common seed(s)%s",
                name,
                baseline,
                len(common[name]),
                f", {unpaired[name]} run(s) without a baseline pair left out"
                if unpaired[name]
                else "",
            )
    return Pairing(baseline=baseline, common=common, unpaired=unpaired)


def paired_differences(table: pd.DataFrame, pairing: Pairing) -> pd.DataFrame:
    """Per-seed differences scenario minus baseline, on common seeds only.

    Returns:
        Tidy rows ``scenario, seed, replicate, year, level, unit, metric, value`` where
        ``value`` is the scenario's outcome minus the baseline's on the same seed.
    """
    cols = draw_columns(table)
    base = table[table["scenario"] == pairing.baseline][[*cols, *KEYS, "value"]]
    parts = []
    for name, draws in pairing.common.items():
        if not draws:
            continue
        scen = table[table["scenario"] == name]
        keep = pd.MultiIndex.from_frame(scen[cols]).isin(draws)
        merged = scen[keep].merge(base, on=[*cols, *KEYS], suffixes=("", "_base"))
        merged["value"] = merged["value"] - merged["value_base"]
        parts.append(merged[["scenario", *cols, *KEYS, "value"]])
    if not parts:
        return pd.DataFrame(columns=["scenario", *cols, *KEYS, "value"])
    return pd.concat(parts, ignore_index=True)


def difference_summary(table: pd.DataFrame, pairing: Pairing) -> pd.DataFrame:
    """Mean and 90% interval across common seeds of scenario minus baseline.

    Returns:
        One row per ``scenario, year, level, unit, metric`` with ``n`` (common seeds),
        ``mean``, ``q05`` and ``q95`` of the paired difference, in the metric's unit.
    """
    diffs = paired_differences(table, pairing)
    if diffs.empty:
        return pd.DataFrame(columns=["scenario", *KEYS, "n", "mean", "q05", "q95"])
    return _stats(diffs.groupby(["scenario", *KEYS], sort=False)["value"])


def horizon_year(table: pd.DataFrame) -> int:
    """The last year every run reached (warns if runs end in different years)."""
    last = table.groupby("run_dir")["year"].max()
    if last.nunique() > 1:
        log.warning(
            "runs end in different years (%s); comparing at %d",
            ", ".join(map(str, sorted(last.unique()))),
            last.min(),
        )
    return int(last.min())


def summary_table(
    levels: pd.DataFrame,
    diffs: pd.DataFrame,
    *,
    year: int,
    metrics: list[str] | None = None,
    level: str = "region",
    order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The report's summary: each scenario's outcomes in ``year`` and its difference.

    Args:
        levels: output of :func:`summarise`.
        diffs: output of :func:`difference_summary`.
        year: the year to report (usually the horizon).
        metrics: outcomes to include (default: all at ``level``).
        level: ``region``, ``municipality``, ``zone`` or ``segment``.
        order: metrics listed first, in this order (the rest follow alphabetically);
            scenarios keep their order of appearance in ``levels``.

    Returns:
        Columns ``scenario, year, level, unit, metric, n_runs, mean, q05, q95,
        n_pairs, diff_mean, diff_q05, diff_q95`` (differences are NaN for the baseline).
    """
    sel = levels[(levels["year"] == year) & (levels["level"] == level)]
    if metrics is not None:
        sel = sel[sel["metric"].isin(metrics)]
    out = sel.rename(columns={"n": "n_runs"})
    d = diffs[(diffs["year"] == year) & (diffs["level"] == level)].rename(
        columns={"n": "n_pairs", "mean": "diff_mean", "q05": "diff_q05", "q95": "diff_q95"}
    )
    out = out.merge(d, on=["scenario", *KEYS], how="left")
    out["n_pairs"] = out["n_pairs"].fillna(0).astype(np.int64)
    first = list(order or [])
    rank = {m: i for i, m in enumerate(first + sorted(set(out["metric"]) - set(first)))}
    scen_rank = {s: i for i, s in enumerate(dict.fromkeys(levels["scenario"]))}
    out = out.assign(_m=out["metric"].map(rank), _s=out["scenario"].map(scen_rank))
    out = out.sort_values(["_m", "unit", "_s"], kind="stable").drop(columns=["_m", "_s"])
    return out.reset_index(drop=True)
