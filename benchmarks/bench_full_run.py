"""Full-scale benchmark: the embedded region at one agent per household, 2019-2050.

Run: ``.venv/bin/python benchmarks/bench_full_run.py [--scale 1.0] [--end-year 2050]``.
Prints the build time, the wall time of the yearly steps (mean and max per year) and
their CPU time (closer to the unloaded wall time when other processes share the cores), the
peak resident memory of the process and the peak traced numpy/Python allocation, with
all invariants on. A script, not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
import tracemalloc

import numpy as np

from fh_sim.config import SimConfig
from fh_sim.region import load_region
from fh_sim.sim.model import HousingModel


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--end-year", type=int, default=2050)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-trace", action="store_true", help="skip tracemalloc (faster)")
    args = ap.parse_args()
    region = load_region()
    if not args.no_trace:
        tracemalloc.start()
    t0 = time.perf_counter()
    model = HousingModel(
        SimConfig(seed=args.seed, scale=args.scale, end_year=args.end_year), region=region
    )
    t_build = time.perf_counter() - t0
    n0 = model.households.n
    steps, cpu = [], []
    for _ in range(model.year + 1, args.end_year + 1):
        t, c = time.perf_counter(), time.process_time()
        model.step()
        steps.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    t = time.perf_counter()
    outcomes = model.outcomes()
    t_table = time.perf_counter() - t
    traced = tracemalloc.get_traced_memory()[1] if not args.no_trace else None
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    steps_arr = np.asarray(steps)
    hh_years = sum(
        outcomes[(outcomes.level == "region") & (outcomes.metric == "households")].query(
            "year > 2019"
        )["value"]
    )
    report = {
        "scale": args.scale,
        "years": f"{2019}-{args.end_year}",
        "households_base_year": n0,
        "households_end": model.households.n,
        "build_s": round(t_build, 3),
        "steps_total_s": round(float(steps_arr.sum()), 3),
        "step_mean_ms": round(1000 * float(steps_arr.mean()), 1),
        "step_max_ms": round(1000 * float(steps_arr.max()), 1),
        "step_mean_cpu_ms": round(1000 * float(np.mean(cpu)), 1),
        "steps_total_cpu_s": round(float(np.sum(cpu)), 3),
        "outcome_table_s": round(t_table, 3),
        "run_total_s": round(t_build + float(steps_arr.sum()) + t_table, 3),
        "household_years_per_s": round(hh_years / float(steps_arr.sum())),
        "peak_rss_mb": round(rss_mb, 1),
        "peak_traced_mb": round(traced / 2**20, 1) if traced is not None else None,
        "outcome_rows": len(outcomes),
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
