"""Small synthetic run folders with known values, for the comparison tests.

Each folder looks like one written by ``fh-sim run``: ``.hydra/config.yaml``,
``outcomes.parquet`` and ``manifest.json``. Values come from a generator seeded by
``(seed, replicate)`` plus a fixed effect per scenario, so tests can recompute them.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

MUNICIPALITIES = ["Helsingborg", "Klippan"]
ZONES = ["helsingborg", "klippan"]
SEGMENTS = ["young_low", "family_high"]
METRICS = [
    "population",
    "households",
    "in_migrants",
    "out_migrants",
    "vacancy_rate",
    "price_index",
    "rent_burden",
    "waiting_households",
    "accessibility",
    "commute_cost",
    "safety",
    "reputation",
    "dissimilarity_income",
    "isolation_low_income",
    "theil_income",
    "base_residents_in_region",
    "displaced",
]
# scenario -> additive effect on every value
EFFECTS = {"baseline": 0.0, "transit": 10.0, "housing": -5.0}


def outcome_table(*, scenario: str, seed: int, replicate: int, years: range) -> pd.DataFrame:
    """The outcome table a synthetic run writes (tidy long format)."""
    rng = np.random.default_rng([seed, replicate])
    rng_scenario = np.random.default_rng([seed, replicate, len(scenario)])
    units = (
        [("region", "Familjen Helsingborg")]
        + [("municipality", m) for m in MUNICIPALITIES]
        + [("zone", z) for z in ZONES]
        + [("segment", s) for s in SEGMENTS]
    )
    rows = []
    for year in years:
        for level, unit in units:
            for k, metric in enumerate(METRICS):
                base = 100.0 * (k + 1) + (year - years[0]) * 3.0
                effect = EFFECTS.get(scenario, 1.0) * (year - years[0])
                value = base + effect + rng.normal() + 0.5 * rng_scenario.normal()
                rows.append((year, level, unit, metric, value))
    return pd.DataFrame(rows, columns=["year", "level", "unit", "metric", "value"])


def write_run(
    run_dir: Path,
    *,
    scenario: str,
    seed: int,
    replicate: int = 0,
    years: range = range(2019, 2023),
    status: str = "complete",
    description: str | None = None,
    extra_config: dict | None = None,
) -> Path:
    """Write one synthetic run folder and return it."""
    (run_dir / ".hydra").mkdir(parents=True, exist_ok=True)
    cfg = {
        "seed": seed,
        "replicate": replicate,
        "scale": 0.05,
        "end_year": years[-1],
        "region": {"data_dir": "embedded", "base_year": years[0]},
        "assumptions": {"mortality_scale": 1.0},
        "scenario": {
            "name": scenario,
            "description": description or f"The {scenario} scenario.",
        },
        **(extra_config or {}),
    }
    (run_dir / ".hydra" / "config.yaml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    if status != "missing-outcomes":
        table = outcome_table(scenario=scenario, seed=seed, replicate=replicate, years=years)
        table.to_parquet(run_dir / "outcomes.parquet", index=False)
    if status != "no-manifest":
        manifest = {"status": status, "seed": seed, "replicate": replicate, "scenario": scenario}
        (run_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return run_dir


def write_sweep(
    root: Path,
    *,
    scenarios: dict[str, list[int]],
    years: range = range(2019, 2023),
) -> list[Path]:
    """Write a sweep folder: ``root/<job>/`` per (scenario, replicate); seed 7 for all."""
    dirs = []
    job = 0
    for scenario, replicates in scenarios.items():
        for rep in replicates:
            dirs.append(
                write_run(root / str(job), scenario=scenario, seed=7, replicate=rep, years=years)
            )
            job += 1
    return dirs
