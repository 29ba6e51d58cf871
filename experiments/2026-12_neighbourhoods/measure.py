"""Neighbourhoods: base-year segregation per municipality, and the safety programme in
its target neighbourhoods against the baseline (common seeds, 90 % intervals).

    python experiments/2026-12_neighbourhoods/measure.py --scale 1.0 --end-year 2040 \
        --replicates 5

Part 1 builds the base population (replicate 1) and prints, per municipality, Duncan's
dissimilarity (low-income vs other households) and Theil's H over its zones, and the
share of the region's Theil's H that lies between municipalities. Part 2 runs the
baseline and ``safety_programme`` for replicates 1..n of root seed 2025 and prints the
mean paired difference in the police-listed neighbourhoods with its Student-t interval.
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd
from hydra import compose, initialize_config_dir
from omegaconf import OmegaConf
from scipy import stats

from fh_sim.config import SimConfig
from fh_sim.outcomes.record import segregation_by
from fh_sim.sim.model import HousingModel

TARGET = [
    "helsingborg_drottninghog",
    "helsingborg_dalhem",
    "helsingborg_fredriksdal",
    "helsingborg_soder",
    "landskrona_karlslund",
]
START = 2025
OUTCOMES = [
    ("safety", "end", 2030),
    ("safety", "end", 2040),
    ("reputation", "end", 2030),
    ("population", "end", 2030),
    ("population", "end", 2040),
    ("moves_out", "rate", 2040),
]


def base_segregation(scale: float) -> pd.DataFrame:
    """Dissimilarity and Theil's H per municipality in the base year; region in the name."""
    m = HousingModel(SimConfig(seed=2025, replicate=1, scale=scale, end_year=2020))
    hh, z = m.households, m.region.zones
    counts = np.zeros((len(z), 3))
    np.add.at(counts, (hh.zone, hh.income_group), 1)
    muni = pd.Categorical(z.municipality, categories=m.region.municipalities.index)
    seg = segregation_by(counts, muni.codes, len(muni.categories))
    region = segregation_by(counts, np.zeros(len(z), dtype=int), 1)["theil_income"][0]
    by_muni = np.zeros((len(muni.categories), 3))
    np.add.at(by_muni, muni.codes, counts)
    between = segregation_by(by_muni, np.zeros(len(by_muni), dtype=int), 1)["theil_income"][0]
    out = pd.DataFrame(seg, index=muni.categories)
    out.index.name = (
        f"region H {region:.4f}, between municipalities {between:.4f} ({between / region:.0%})"
    )
    return out


def run(job: tuple[str, int, float, int]) -> pd.DataFrame:
    scenario, replicate, scale, end = job
    from fh_sim.cli.run_cmd import VERSION_BASE, conf_dir, register_hydra_nodes

    register_hydra_nodes()
    overrides = [
        f"scenario={scenario}",
        f"scale={scale}",
        f"end_year={end}",
        "seed=2025",
        f"replicate={replicate}",
    ]
    with initialize_config_dir(config_dir=str(conf_dir()), version_base=VERSION_BASE):
        cfg = compose("config", overrides=overrides)
    df = HousingModel(OmegaConf.to_object(cfg)).run(progress=False)
    return df[(df.level == "zone") & df.unit.isin(TARGET)]


def value(df: pd.DataFrame, metric: str, how: str, year: int) -> float:
    if how == "rate":
        years = df.year.between(START, year)
        flow = df[(df.metric == metric) & years].value.sum()
        return 1000 * flow / df[(df.metric == "households") & years].value.sum()
    last = df[df.year == year]
    v = last[last.metric == metric].set_index("unit").value
    if metric == "population":
        return float(v.sum())
    w = last[last.metric == "population"].set_index("unit").value.reindex(v.index)
    return float((v * w).sum() / w.sum())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--end-year", type=int, default=2040)
    ap.add_argument("--replicates", type=int, default=5)
    args = ap.parse_args()
    print(base_segregation(args.scale).round(4).to_string())
    reps = range(1, args.replicates + 1)
    jobs = [
        (s, r, args.scale, args.end_year) for s in ("baseline", "safety_programme") for r in reps
    ]
    with ProcessPoolExecutor(2) as pool:
        res = dict(zip([(j[0], j[1]) for j in jobs], pool.map(run, jobs), strict=True))
    for metric, how, year in OUTCOMES:
        if year > args.end_year:
            continue
        base = np.array([value(res[("baseline", r)], metric, how, year) for r in reps])
        d = np.array([value(res[("safety_programme", r)], metric, how, year) for r in reps]) - base
        half = stats.t.ppf(0.95, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
        print(
            f"{metric} ({how}, {year}): baseline {base.mean():.4g}; difference "
            f"{d.mean():+.4g} [{d.mean() - half:+.4g}, {d.mean() + half:+.4g}]"
        )


if __name__ == "__main__":
    main()
