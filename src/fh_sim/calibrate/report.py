"""What a calibration writes: the calibrated config group, tables and plots.

- ``conf/calibrated/NAME.yaml``: the fitted values as a Hydra config group
  (``# @package _global_``) that ``conf/config.yaml`` selects by default;
- ``targets.csv`` and ``fit.png``: observed vs simulated per target (mean and sd over the
  common seeds);
- ``loss_history.csv`` and ``loss.png``: every evaluation's loss and parameters;
- ``uncertainty.csv``: spread of each fitted value over the near-optimal evaluations.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import yaml  # noqa: E402
from omegaconf import DictConfig, OmegaConf  # noqa: E402

from fh_sim.calibrate.fit import FitResult  # noqa: E402
from fh_sim.calibrate.spec import CalibrationSpec  # noqa: E402
from fh_sim.config.strict import plain_dict  # noqa: E402

BLUE, ORANGE = "#0072B2", "#E69F00"  # Okabe-Ito, colour-blind safe


def targets_table(spec: CalibrationSpec, stats: np.ndarray) -> pd.DataFrame:
    """Observed vs simulated per target, percent per year (``stats``: [seed, target])."""
    return pd.DataFrame(
        {
            "target": [t.name for t in spec.targets],
            "level": [t.level for t in spec.targets],
            "unit": [t.unit for t in spec.targets],
            "observed_pct_per_year": [100 * t.observed for t in spec.targets],
            "observed_between": [
                f"{t.observed_from}..{t.observed_to}" if t.observed_from else "stated"
                for t in spec.targets
            ],
            "source": [t.source for t in spec.targets],
            "simulated_pct_per_year": 100 * stats.mean(axis=0),
            "simulated_sd_over_seeds": 100 * stats.std(axis=0, ddof=1)
            if len(stats) > 1
            else np.nan,
            "simulated_years": [f"{t.years[0]}..{t.years[1]}" for t in spec.targets],
            "weight": [t.weight for t in spec.targets],
        }
    )


def calibrated_yaml(
    spec: CalibrationSpec,
    result: FitResult,
    fitted: DictConfig,
    *,
    budget: int,
    scale: float,
    seed: int,
) -> str:
    """The config group text: nested keys with the fitted values and a provenance header.

    Args:
        spec: the calibration.
        result: the fit.
        fitted: the composed config with the best candidate set (lists in full).
        budget: evaluations allowed (for the header).
        scale: scale of the runs (for the header).
        seed: the optimiser's seed (for the header).
    """
    tree: dict = {}
    for key in dict.fromkeys(p.key for p in spec.parameters):
        value = plain_dict(OmegaConf.create({"v": OmegaConf.select(fitted, key)}))["v"]
        if isinstance(value, list):
            value = [round(float(v), 6) for v in value]
        else:
            value = round(float(value), 6)
        node = tree
        *parents, leaf = key.split(".")
        for k in parents:
            node = node.setdefault(k, {})
        node[leaf] = value
    header = [
        "# @package _global_",
        f"# Calibrated by `fh-sim calibrate calibration={spec.name} budget={budget} "
        f"scale={scale:g} seed={seed}`",
        f"# on {datetime.now(UTC).date().isoformat()}: differential evolution, loss "
        f"{result.best_loss:.4g} (pp/year)^2 over {len(result.history)} evaluations, "
        f"seeds {spec.seeds}.",
        f"# Targets: {spec.description} (conf/calibration/{spec.name}.yaml).",
        "# Near-optimal spread (p05..p95):",
        *[f"#   {r.parameter}: {r.p05:.4g}..{r.p95:.4g}" for r in result.uncertainty.itertuples()],
        "# Select another calibration with calibrated=NAME, none with calibrated=null.",
    ]
    return "\n".join(header) + "\n" + yaml.safe_dump(tree, sort_keys=False)


def plot_fit(table: pd.DataFrame, path: Path) -> None:
    """Observed vs simulated annual growth per target (bars, seed sd as error bars)."""
    fig, ax = plt.subplots(figsize=(9, 4.5))
    y = np.arange(len(table))
    ax.barh(
        y - 0.2,
        table["observed_pct_per_year"],
        height=0.4,
        color=BLUE,
        label="observed / observerad (2016-2019)",
    )
    ax.barh(
        y + 0.2,
        table["simulated_pct_per_year"],
        height=0.4,
        color=ORANGE,
        xerr=table["simulated_sd_over_seeds"].fillna(0),
        label="simulated / simulerad",
    )
    ax.set_yticks(y, table["unit"])
    ax.invert_yaxis()
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel("annual population growth, % per year / årlig befolkningstillväxt, % per år")
    ax.set_title(
        "Calibration targets: observed vs simulated\nKalibreringsmål: observerat och simulerat"
    )
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_loss(history: pd.DataFrame, path: Path) -> None:
    """Loss of every evaluation and the best so far."""
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.scatter(
        history["evaluation"],
        history["loss"],
        s=8,
        color=BLUE,
        alpha=0.5,
        label="evaluation / utvärdering",
    )
    ax.plot(
        history["evaluation"],
        history["loss"].cummin(),
        color=ORANGE,
        lw=2,
        label="best so far / bästa hittills",
    )
    ax.set_yscale("log")
    ax.set_xlabel("evaluation / utvärdering")
    ax.set_ylabel("loss, (pp per year)² / förlust, (procentenheter per år)²")
    ax.set_title("Calibration loss history\nKalibreringens förlusthistorik")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_outputs(
    out: Path, spec: CalibrationSpec, result: FitResult, stats: np.ndarray
) -> pd.DataFrame:
    """Write the tables and plots into ``out``; return the targets table."""
    out.mkdir(parents=True, exist_ok=True)
    table = targets_table(spec, stats)
    table.to_csv(out / "targets.csv", index=False, float_format="%.4f")
    result.history.to_csv(out / "loss_history.csv", index=False, float_format="%.6g")
    result.uncertainty.to_csv(out / "uncertainty.csv", index=False, float_format="%.6g")
    plot_fit(table, out / "fit.png")
    plot_loss(result.history, out / "loss.png")
    return table
