"""The calibrated baseline against the municipal populations observed after 2019.

The post-2019 table (``population_observed.csv``) is read here and nowhere in the fit.
For each observed (municipality, year): the observed mean annual growth since 31 Dec
2019 and the simulated one over the seeds (mean and the 5-95 % range of the seeds),
then over all rows the Spearman rank correlation and the mean absolute error in
percentage points per year.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy.stats import spearmanr  # noqa: E402

from fh_sim.calibrate.report import BLUE, ORANGE  # noqa: E402

BASE_YEAR = 2019


@dataclass
class Validation:
    """Table per observed figure, and the summary statistics."""

    table: pd.DataFrame
    spearman: float
    mae_pp: float
    n_seeds: int
    scale: float


def simulate(seeds: list[int], scale: float, end_year: int, overrides: list[str]) -> pd.DataFrame:
    """Municipal population per seed and year (persons, scale undone) of the default baseline."""
    from fh_sim.calibrate.evaluate import compose
    from fh_sim.region import load_region
    from fh_sim.runs.runner import to_sim_config
    from fh_sim.sim.model import HousingModel

    region = load_region()
    base = compose([*overrides, f"scale={scale}", f"end_year={end_year}"])
    frames = []
    for seed in seeds:
        cfg = base.copy()
        cfg.seed = int(seed)
        out = HousingModel(to_sim_config(cfg), region=region).run()
        pop = out[(out["metric"] == "population") & (out["level"] == "municipality")]
        frames.append(pop.assign(seed=seed, value=pop["value"] / scale))
    return pd.concat(frames)[["seed", "unit", "year", "value"]]


def compare(
    observed: pd.DataFrame, base_pop: pd.Series, sim: pd.DataFrame, scale: float
) -> Validation:
    """Observed vs simulated annual growth since 2019 for every observed figure."""
    rows = []
    for r in observed.itertuples():
        years = r.year - BASE_YEAR
        obs = (r.population / base_pop[r.municipality]) ** (1 / years) - 1
        s = sim[sim["unit"] == r.municipality].pivot(index="seed", columns="year", values="value")
        g = (s[r.year] / s[BASE_YEAR]) ** (1 / years) - 1
        rows.append(
            {
                "municipality": r.municipality,
                "year": r.year,
                "source": r.source,
                "observed_pct_per_year": 100 * obs,
                "simulated_pct_per_year": 100 * g.mean(),
                "simulated_p05": 100 * g.quantile(0.05),
                "simulated_p95": 100 * g.quantile(0.95),
            }
        )
    table = pd.DataFrame(rows)
    table["error_pp"] = table["simulated_pct_per_year"] - table["observed_pct_per_year"]
    rho = spearmanr(table["observed_pct_per_year"], table["simulated_pct_per_year"]).statistic
    return Validation(
        table, float(rho), float(table["error_pp"].abs().mean()), int(sim["seed"].nunique()), scale
    )


def verdict(v: Validation) -> str:
    """One paragraph: how well the calibrated baseline predicts the years it never saw."""
    t = v.table
    inside = int(
        (
            (t.observed_pct_per_year >= t.simulated_p05)
            & (t.observed_pct_per_year <= t.simulated_p95)
        ).sum()
    )
    bias = float(t["error_pp"].mean())
    worst = t.loc[t["error_pp"].abs().idxmax()]
    rank = (
        "orders the municipalities' growth well"
        if v.spearman >= 0.6
        else (
            "orders the municipalities' growth only weakly"
            if v.spearman >= 0.2
            else "does not order the municipalities' growth"
        )
    )
    return (
        f"Against the {len(t)} municipal populations observed after 2019 (never fitted), the "
        f"calibrated baseline (scale {v.scale:g}, {v.n_seeds} seeds) has a mean absolute error "
        f"of {v.mae_pp:.2f} percentage points of annual growth and a mean error of "
        f"{bias:+.2f} pp/year ({'too fast' if bias > 0 else 'too slow'} on average); its "
        f"Spearman rank correlation with the observed growth is {v.spearman:.2f}, so it "
        f"{rank}. {inside} of {len(t)} observed figures lie within the 5-95 % range of the "
        f"seeds; the largest miss is {worst.municipality} {int(worst.year)} "
        f"({worst.observed_pct_per_year:.2f} observed vs {worst.simulated_pct_per_year:.2f} "
        f"%/year simulated). The model's spread over seeds is sampling noise only: it does not "
        f"include the uncertainty of the assumed values, so the interval understates the error "
        f"a planner should expect."
    )


def plot(v: Validation, path: Path) -> None:
    """Observed vs simulated growth per observed figure, seed range as error bars."""
    t = v.table.sort_values("observed_pct_per_year")
    fig, ax = plt.subplots(figsize=(8, 4.5))
    y = np.arange(len(t))
    labels = [f"{m} {yr}" for m, yr in zip(t.municipality, t.year, strict=True)]
    ax.scatter(
        t["observed_pct_per_year"],
        y,
        color=BLUE,
        marker="o",
        zorder=3,
        label="observed / observerad",
    )
    err = np.vstack(
        [t.simulated_pct_per_year - t.simulated_p05, t.simulated_p95 - t.simulated_pct_per_year]
    )
    ax.errorbar(
        t["simulated_pct_per_year"],
        y,
        xerr=err,
        fmt="s",
        color=ORANGE,
        label="simulated, 5-95 % of seeds / simulerad, 5-95 % av fröna",
    )
    ax.set_yticks(y, labels)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel("annual growth since 2019, % per year / årlig tillväxt sedan 2019, % per år")
    ax.set_title(
        f"Validation after 2019: Spearman {v.spearman:.2f}, MAE {v.mae_pp:.2f} pp/yr\n"
        f"Validering efter 2019: Spearman {v.spearman:.2f}, MAE {v.mae_pp:.2f} "
        "procentenheter/år"
    )
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write(v: Validation, out: Path) -> None:
    """``validation.csv``, ``validation.png`` and ``verdict.md`` in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    v.table.to_csv(out / "validation.csv", index=False, float_format="%.3f")
    plot(v, out / "validation.png")
    (out / "verdict.md").write_text(
        f"Spearman {v.spearman:.3f}, MAE {v.mae_pp:.3f} pp/year\n\n{verdict(v)}\n", encoding="utf-8"
    )
