"""Effects with both sources of uncertainty, and the robustness of a choice.

A sweep over ``params_draw=0..K-1`` crossed with seeds (replicates) and scenarios gives,
for every scenario, the effect ``d[k, s]`` = scenario minus baseline on parameter draw
``k`` and seed ``s`` (both common to the two runs). Its variance splits exactly (the law
of total variance, groups weighted by their size)::

    Var(d) = Var_k(mean_s d[k, s])  +  mean_k Var_s(d[k, s])
             parameter uncertainty      seed (stochastic) noise

:func:`effect_intervals` reports the 90 % interval of ``d`` over all draws and seeds,
each component's share of the variance, and the interval each source alone would give.
:func:`robustness` gives, for each pair of scenarios, the share of parameter draws in
which one does better than the other on a named outcome (seed means per draw).

Sweep, for instance (``conf/experiment/robustness_packages.yaml``)::

    fh-sim sweep experiment=robustness_packages hydra/launcher=parallel
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from fh_sim.analysis.aggregate import KEYS, PARAMS_DRAW, Pairing, paired_differences
from fh_sim.errors import FhSimError

log = logging.getLogger(__name__)

LOW_Q, HIGH_Q = 0.05, 0.95
# Which direction is better, for the outcomes a planner most often names.
HIGHER_IS_BETTER: dict[str, bool] = {
    "population": True,
    "households": True,
    "base_residents_in_region": True,
    "accessibility": True,
    "safety": True,
    "reputation": True,
    "rent_burden": False,
    "price_index": False,
    "displaced": False,
    "displaced_cumulative": False,
    "commute_cost": False,
    "dissimilarity_income": False,
    "isolation_low_income": False,
    "theil_income": False,
    "waiting_households": False,
    "turned_away_in_migrants": False,
}
ROBUST_METRICS = ("population", "rent_burden", "base_residents_in_region", "displaced_cumulative")


def has_params_draws(table: pd.DataFrame) -> bool:
    """Whether the runs carry parameter draws (``params_draw`` >= 0)."""
    return PARAMS_DRAW in table.columns and bool((table[PARAMS_DRAW] >= 0).any())


def decompose(values: np.ndarray, draws: np.ndarray) -> dict[str, float]:
    """Split the variance of ``values`` into between-draw and within-draw parts.

    Args:
        values: one effect per run pair.
        draws: the parameter draw of each value.

    Returns:
        ``var_total, var_params, var_seeds`` (population variances; the two parts sum
        to the total), ``share_params, share_seeds`` (NaN with one seed per draw: the
        parts are then not separable) and the 5-95 % intervals of the
        total, of the draw means (parameters alone) and of the values with their draw's
        mean removed and the overall mean added back (seeds alone).
    """
    values = np.asarray(values, dtype=float)
    frame = pd.DataFrame({"v": values, "k": np.asarray(draws)})
    means = frame.groupby("k")["v"].transform("mean").to_numpy()
    grand = float(values.mean())
    var_total = float(np.mean((values - grand) ** 2))
    var_params = float(np.mean((means - grand) ** 2))
    var_seeds = float(np.mean((values - means) ** 2))
    separable = var_total > 0 and bool((frame.groupby("k").size() > 1).any())
    share = var_params / var_total if separable else float("nan")
    draw_means = frame.groupby("k")["v"].mean().to_numpy()
    seeds_only = values - means + grand
    return {
        "var_total": var_total,
        "var_params": var_params,
        "var_seeds": var_seeds,
        "share_params": share,
        "share_seeds": 1.0 - share,
        "q05": float(np.quantile(values, LOW_Q)),
        "q95": float(np.quantile(values, HIGH_Q)),
        "params_q05": float(np.quantile(draw_means, LOW_Q)),
        "params_q95": float(np.quantile(draw_means, HIGH_Q)),
        "seeds_q05": float(np.quantile(seeds_only, LOW_Q)),
        "seeds_q95": float(np.quantile(seeds_only, HIGH_Q)),
    }


def effect_intervals(
    table: pd.DataFrame,
    pairing: Pairing,
    *,
    year: int,
    levels: Sequence[str] = ("region", "municipality"),
    metrics: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Each scenario's effect in ``year`` with intervals from parameters and seeds.

    Args:
        table: collected runs (with ``params_draw``).
        pairing: :func:`fh_sim.analysis.aggregate.pair_seeds` of the runs.
        year: the year compared (usually the horizon).
        levels: levels to report.
        metrics: outcomes (None: all).

    Returns:
        One row per ``scenario, year, level, unit, metric``: ``n_draws, n_seeds, mean``
        and the columns of :func:`decompose`.
    """
    sel = table[(table["year"] == year) & table["level"].isin(levels)]
    if metrics is not None:
        sel = sel[sel["metric"].isin(metrics)]
    diffs = paired_differences(sel, pairing)
    diffs = diffs[diffs[PARAMS_DRAW] >= 0] if PARAMS_DRAW in diffs.columns else diffs.iloc[:0]
    rows = []
    for key, grp in diffs.groupby(["scenario", *KEYS], sort=False):
        row = dict(zip(["scenario", *KEYS], key, strict=True))
        row.update(
            n_draws=grp[PARAMS_DRAW].nunique(),
            n_seeds=len(grp[["seed", "replicate"]].drop_duplicates()),
            mean=float(grp["value"].mean()),
        )
        row.update(decompose(grp["value"].to_numpy(), grp[PARAMS_DRAW].to_numpy()))
        rows.append(row)
    return pd.DataFrame(rows)


def robustness(
    table: pd.DataFrame,
    *,
    year: int,
    metrics: Sequence[str] = ROBUST_METRICS,
    higher_is_better: Mapping[str, bool] | None = None,
    level: str = "region",
) -> pd.DataFrame:
    """Share of parameter draws in which each scenario beats each other one.

    Outcomes are averaged over the seeds of each (scenario, draw); only draws that
    every scenario has are compared. A tie counts as not better.

    Args:
        table: collected runs with ``params_draw``.
        year: the year compared.
        metrics: outcomes a planner names (absent ones are skipped with a warning).
        higher_is_better: metric -> direction (default: :data:`HIGHER_IS_BETTER`).
        level: ``region`` (or ``municipality``, one row per municipality).

    Returns:
        ``scenario, versus, metric, level, unit, higher_is_better, n_draws,
        share_better``, one row per ordered pair of scenarios.

    Raises:
        FhSimError: no parameter draws, or a metric whose direction is unknown.
    """
    if not has_params_draws(table):
        raise FhSimError("the runs have no parameter draws: sweep params_draw=range(0,K)")
    direction = {**HIGHER_IS_BETTER, **(higher_is_better or {})}
    sel = table[(table["year"] == year) & (table["level"] == level) & (table[PARAMS_DRAW] >= 0)]
    rows = []
    for metric in metrics:
        if metric not in direction:
            raise FhSimError(
                f"say whether more or less {metric} is better (metric:higher or metric:lower)"
            )
        m = sel[sel["metric"] == metric]
        if m.empty:
            log.warning("no outcome '%s' in %d: left out of the robustness table", metric, year)
            continue
        means = m.groupby(["unit", "scenario", PARAMS_DRAW])["value"].mean().unstack("scenario")
        means = means.dropna()
        for unit, grp in means.groupby(level="unit"):
            for a in grp.columns:
                for b in grp.columns:
                    if a == b:
                        continue
                    better = grp[a] > grp[b] if direction[metric] else grp[a] < grp[b]
                    rows.append(
                        {
                            "scenario": a,
                            "versus": b,
                            "metric": metric,
                            "level": level,
                            "unit": unit,
                            "higher_is_better": direction[metric],
                            "n_draws": len(grp),
                            "share_better": float(better.mean()),
                        }
                    )
    return pd.DataFrame(rows)


def write_uncertainty(
    table: pd.DataFrame,
    pairing: Pairing,
    *,
    year: int,
    out_dir: Path,
    metrics: Sequence[str] = ROBUST_METRICS,
    higher_is_better: Mapping[str, bool] | None = None,
) -> list[Path]:
    """Write ``effects_uncertainty`` and ``robustness`` (CSV, Parquet) and the plot.

    Does nothing (returns no files) when the runs carry no parameter draws.
    """
    if not has_params_draws(table):
        return []
    import matplotlib.pyplot as plt

    from fh_sim.analysis.sensitivity_plots import robustness_plot

    out_dir.mkdir(parents=True, exist_ok=True)
    files = []
    effects = effect_intervals(table, pairing, year=year)
    robust = robustness(table, year=year, metrics=metrics, higher_is_better=higher_is_better)
    for name, frame in (("effects_uncertainty", effects), ("robustness", robust)):
        for suffix, writer in ((".csv", "to_csv"), (".parquet", "to_parquet")):
            getattr(frame, writer)(out_dir / f"{name}{suffix}", index=False)
            files.append(out_dir / f"{name}{suffix}")
    if not robust.empty:
        fig = robustness_plot(robust, baseline=pairing.baseline)
        fig.savefig(out_dir / "robustness.png", dpi=100)
        plt.close(fig)
        files.append(out_dir / "robustness.png")
    region = (
        effects[(effects["level"] == "region") & effects["metric"].isin(metrics)]
        if not effects.empty
        else effects
    )
    if not region.empty and (region["n_seeds"] < 2).any():
        log.warning(
            "one seed per parameter draw: the interval cannot be split between "
            "parameters and seeds (sweep replicate=0,1 or more)"
        )
    for row in region.itertuples(index=False):
        log.info(
            "%s, %s: effect %.4g [%.4g, %.4g]; %.0f %% of the variance from the "
            "parameters, %.0f %% from the seeds (%d draws x %d seeds)",
            row.scenario,
            row.metric,
            row.mean,
            row.q05,
            row.q95,
            100 * row.share_params,
            100 * row.share_seeds,
            row.n_draws,
            row.n_seeds,
        )
    return files
