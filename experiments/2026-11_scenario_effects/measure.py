"""Each scenario against the baseline on common seeds, for the outcomes it is about.

Runs every scenario named in ``SPECS`` (and the baseline) for replicates ``0..n-1`` of
one root seed through the Python API, two runs at a time, caches each run's outcome
table as parquet, and prints one markdown table: per scenario and outcome the mean
paired difference (scenario minus baseline, same replicate) and its 90 % interval
(Student t over the replicates' differences), with the baseline's mean for scale.

    python experiments/2026-11_scenario_effects/measure.py --scale 0.2 --end-year 2040 \
        --replicates 4 --out outputs/scenario_effects

Counts are those of the scaled population (divide by the scale for real magnitudes).
"""

from __future__ import annotations

import argparse
import logging
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from hydra import compose, initialize_config_dir
from omegaconf import OmegaConf
from scipy import stats

TREATED = ["helsingborg_drottninghog", "helsingborg_dalhem", "helsingborg_fredriksdal",
           "helsingborg_soder", "landskrona_karlslund", "bjuv", "billesholm", "astorp"]
HIGH_CRIME = ("bjuv", "billesholm")
SEED = 2025


@dataclass(frozen=True)
class Outcome:
    """One outcome of one scenario.

    Attributes:
        label: short name in the table.
        level: ``region``, ``municipality``, ``zone`` or ``segment``.
        units: the units summed (counts) or population-weighted (rates) over.
        metric: the outcome table's metric.
        how: ``end`` (value in the last year), ``flow`` (sum over ``first``..end) or
            ``rate`` (that flow per 1,000 resident households, summed over the same years).
        first: first year of a flow.
    """

    label: str
    level: str
    units: tuple[str, ...]
    metric: str
    how: str = "end"
    first: int = 2025


RATES = {"accessibility", "commute_cost", "price_index", "rent_burden", "safety",
         "reputation", "vacancy_rate", "dissimilarity_income", "isolation_low_income",
         "theil_income"}
REGION = ("Familjen Helsingborg",)


def _transit(units: tuple[str, ...], level: str, first: int) -> list[Outcome]:
    return [
        Outcome("accessibility", level, units, "accessibility"),
        Outcome("commute_cost", level, units, "commute_cost"),
        Outcome("moves in (flow)", level, units, "internal_moves", "flow", first),
        Outcome("in-migrants (flow)", level, units, "in_migrants", "flow", first),
        Outcome("price_index", level, units, "price_index"),
        Outcome("population", level, units, "population"),
    ]


LOW = ("young_low", "adult_low", "family_low", "senior_low")
WELFARE = [
    Outcome("population", "region", REGION, "population"),
    Outcome("base_residents_in_region", "region", REGION, "base_residents_in_region"),
    Outcome("displaced (flow)", "region", REGION, "displaced", "flow"),
    Outcome("rent_burden", "region", REGION, "rent_burden"),
    Outcome("waiting_households (flow)", "region", REGION, "waiting_households", "flow"),
    Outcome("young_low displaced (flow)",
            "segment", ("young_low",), "displaced", "flow"),
    Outcome("rent_burden young_low", "segment", ("young_low",), "rent_burden"),
    Outcome("rent_burden family_low", "segment", ("family_low",), "rent_burden"),
    Outcome("low-income displaced (flow)", "segment", LOW, "displaced", "flow"),
    Outcome("rent_burden low-income", "segment", LOW, "rent_burden"),
    Outcome("low-income base residents", "segment", LOW, "base_residents_in_region"),
    Outcome("low-income waiting (flow)", "segment", LOW, "waiting_households", "flow"),
]

SPECS: dict[str, list[Outcome]] = {
    "transit_hoganas_rail": _transit(("hoganas", "viken", "hittarp"), "zone", 2035),
    "transit_skanebanan_half_hourly": _transit(("Perstorp", "Klippan"), "municipality", 2027),
    "transit_orkelljunga_express_bus": _transit(("orkelljunga",), "zone", 2026),
    "transit_soderasbanan_frequency": _transit(("billesholm", "kagerod", "svalov",
                                                "teckomatorp"), "zone", 2026),
    "safety_programme": [
        Outcome("safety", "zone", tuple(TREATED), "safety"),
        Outcome("moves out per 1000 hh", "zone", tuple(TREATED), "moves_out", "rate"),
        Outcome("out-migrants per 1000 hh", "zone", tuple(TREATED), "out_migrants", "rate"),
        Outcome("moves out per 1000 hh", "zone", HIGH_CRIME, "moves_out", "rate"),
        Outcome("moves in (flow)", "zone", tuple(TREATED), "internal_moves", "flow"),
        Outcome("reputation", "zone", tuple(TREATED), "reputation"),
        Outcome("population", "zone", tuple(TREATED), "population"),
    ],
    "higher_trust": [
        Outcome("moves out per 1000 hh", "zone", tuple(TREATED), "moves_out", "rate"),
        Outcome("moves out per 1000 hh", "zone", HIGH_CRIME, "moves_out", "rate"),
        Outcome("waiting_households (flow)", "zone", tuple(TREATED), "waiting_households",
                "flow"),
        Outcome("moves in (flow)", "zone", tuple(TREATED), "internal_moves", "flow"),
        Outcome("region moves (flow)", "region", REGION, "internal_moves", "flow"),
        Outcome("population", "zone", tuple(TREATED), "population"),
    ],
    "income_uplift": [
        Outcome("dissimilarity_income", "region", REGION, "dissimilarity_income"),
        Outcome("isolation_low_income", "region", REGION, "isolation_low_income"),
        Outcome("theil_income", "region", REGION, "theil_income"),
        Outcome("safety treated", "zone", tuple(TREATED), "safety"),
        Outcome("rent_burden treated", "zone", tuple(TREATED), "rent_burden"),
        Outcome("displaced treated (flow)", "zone", tuple(TREATED), "displaced", "flow"),
    ],
    "brand_campaign": [
        Outcome("in-migrants (flow)", "region", REGION, "in_migrants", "flow"),
        Outcome("reputation", "region", REGION, "reputation"),
        Outcome("population", "region", REGION, "population"),
    ],
    "growth_first": WELFARE,
    "current_residents_first": WELFARE,
}
# scenario pairs compared head to head (first minus second), on the same outcomes
VERSUS = {"growth_first": "current_residents_first"}


def _config(scenario: str, replicate: int, scale: float, end_year: int, extra: list[str]):
    from fh_sim.cli.run_cmd import VERSION_BASE, conf_dir, register_hydra_nodes

    register_hydra_nodes()
    overrides = [f"scenario={scenario}", f"scale={scale}", f"end_year={end_year}",
                 f"seed={SEED}", f"replicate={replicate}", *extra]
    with initialize_config_dir(config_dir=str(conf_dir()), version_base=VERSION_BASE):
        return OmegaConf.to_object(compose("config", overrides=overrides))


def run_one(args: tuple[str, int, float, int, list[str], str]) -> str:
    """Run one (scenario, replicate) unless its parquet exists; return the path."""
    scenario, replicate, scale, end_year, extra, out = args
    path = Path(out) / f"{scenario}_r{replicate}.parquet"
    if not path.exists():
        from fh_sim.sim.model import HousingModel

        logging.getLogger("MESA").setLevel(logging.WARNING)
        df = HousingModel(_config(scenario, replicate, scale, end_year, extra)).run()
        path.parent.mkdir(parents=True, exist_ok=True)
        df.to_parquet(path)
    return str(path)


def value(df: pd.DataFrame, o: Outcome, end_year: int) -> float:
    """The outcome's value in one run."""
    rows = df[(df["level"] == o.level) & df["unit"].isin(o.units)]
    if o.how in ("flow", "rate"):
        years = rows["year"].between(o.first, end_year)
        flow = float(rows[(rows["metric"] == o.metric) & years]["value"].sum())
        if o.how == "flow":
            return flow
        return 1000 * flow / float(rows[(rows["metric"] == "households") & years]["value"].sum())
    last = rows[rows["year"] == end_year]
    v = last[last["metric"] == o.metric].set_index("unit")["value"]
    if o.metric not in RATES or len(o.units) == 1:
        return float(v.sum())
    w = last[last["metric"] == "population"].set_index("unit")["value"].reindex(v.index)
    return float((v * w).sum() / w.sum())


def table(out: Path, replicates: int, end_year: int,
          scenarios: list[str] | None = None) -> pd.DataFrame:
    """Mean paired difference and 90 % t-interval per scenario and outcome.

    ``scenarios``: only these (and the head-to-head pairs among them); None = all.
    """
    rows = []
    def load(name: str) -> list[pd.DataFrame]:
        return [pd.read_parquet(out / f"{name}_r{r}.parquet") for r in range(replicates)]

    names = list(SPECS) if scenarios is None else [s for s in SPECS if s in scenarios]
    pairs = [(s, "baseline") for s in names] + [
        (a, b) for a, b in VERSUS.items() if a in names and b in names]
    for scenario, against in pairs:
        base, runs = load(against), load(scenario)
        label = scenario if against == "baseline" else f"{scenario} vs {against}"
        for o in SPECS[scenario]:
            b = np.array([value(d, o, end_year) for d in base])
            s = np.array([value(d, o, end_year) for d in runs])
            diff = s - b
            half = stats.t.ppf(0.95, replicates - 1) * diff.std(ddof=1) / np.sqrt(replicates)
            rows.append({"scenario": label, "outcome": o.label,
                         "units": ",".join(o.units) if o.level != "region" else "region",
                         "baseline": b.mean(), "diff": diff.mean(),
                         "lo": diff.mean() - half, "hi": diff.mean() + half,
                         "rel_pct": 100 * diff.mean() / b.mean() if b.mean() else np.nan})
    return pd.DataFrame(rows)


def markdown(t: pd.DataFrame) -> str:
    """The table as markdown: difference with its 90 % interval, relative to baseline."""
    lines = ["| scenario | outcome | units | baseline | difference [90 % interval] | % |",
             "| --- | --- | --- | ---: | --- | ---: |"]
    for r in t.itertuples():
        sig = "" if r.lo <= 0 <= r.hi else " *"
        lines.append(f"| {r.scenario} | {r.outcome} | {r.units} | {r.baseline:.4g} | "
                     f"{r.diff:+.4g} [{r.lo:+.3g}, {r.hi:+.3g}]{sig} | {r.rel_pct:+.2f} |")
    return "\n".join(lines)


def main() -> None:
    """Parse arguments, run what is missing, print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=0.2)
    ap.add_argument("--end-year", type=int, default=2040)
    ap.add_argument("--replicates", type=int, default=4)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path, default=Path("outputs/scenario_effects"))
    ap.add_argument("--scenarios", nargs="*", default=None)
    ap.add_argument("overrides", nargs="*", help="extra config overrides for every run")
    a = ap.parse_args()
    names = ["baseline", *(a.scenarios or SPECS)]
    jobs = [(s, r, a.scale, a.end_year, a.overrides, str(a.out))
            for s in names for r in range(a.replicates)]
    with ProcessPoolExecutor(a.jobs) as pool:
        list(pool.map(run_one, jobs))
    t = table(a.out, a.replicates, a.end_year, a.scenarios)
    print(markdown(t))


if __name__ == "__main__":
    main()
