"""Calibration throughput: evaluations per hour of a scale-0.1 run 2019-2030.

Run: ``.venv/bin/python benchmarks/bench_calibration_throughput.py [--workers 2]
[--evaluations 40] [--scale 0.1] [--end-year 2030]``.

An evaluation is one in-process run (no new Python process): the region and the composed
config are loaded once per joblib worker (:func:`fh_sim.calibrate.evaluate.evaluator`)
and each candidate only changes the free parameters of ``conf/calibration/baseline.yaml``
(set here to their midpoints, varied by a few per cent so no run is a copy). Prints
the per-run time in one process, and the wall time and evaluations per hour over
``--workers`` processes after a warm-up that loads every worker. A script, not a test:
the figure depends on the machine and its load. Target: >= 10,000 evaluations per hour
on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np
from joblib import Parallel, delayed

from fh_sim.calibrate.evaluate import evaluator


def one_run(scale: float, end_year: int, x: list[float]) -> float:
    """Wall seconds of one run of candidate ``x`` in this (warm) process."""
    ev = evaluator("baseline", scale, (f"end_year={end_year}",))
    started = time.perf_counter()
    ev.simulate(np.asarray(x), seed=0)
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--evaluations", type=int, default=40)
    ap.add_argument("--scale", type=float, default=0.1)
    ap.add_argument("--end-year", type=int, default=2030)
    args = ap.parse_args()
    ev = evaluator("baseline", args.scale, (f"end_year={args.end_year}",))
    mid = [(p.low + p.high) / 2 for p in ev.spec.parameters]
    rng = np.random.default_rng(0)
    xs = [list(np.asarray(mid) * rng.uniform(0.97, 1.03, len(mid)))
          for _ in range(args.evaluations)]
    single = [one_run(args.scale, args.end_year, x) for x in xs[:5]]
    pool = Parallel(n_jobs=args.workers, backend="loky")
    pool(delayed(one_run)(args.scale, args.end_year, x) for x in xs[: 2 * args.workers])
    started = time.perf_counter()
    per_run = pool(delayed(one_run)(args.scale, args.end_year, x) for x in xs)
    wall = time.perf_counter() - started
    print(json.dumps({
        "scale": args.scale, "years": f"2019-{args.end_year}", "workers": args.workers,
        "cpus": os.cpu_count(), "evaluations": len(xs),
        "one_process_s_per_run": round(float(np.median(single)), 3),
        "parallel_wall_s": round(wall, 2),
        "mean_run_s_in_workers": round(float(np.mean(per_run)), 3),
        "evaluations_per_hour": round(3600 * len(xs) / wall),
        "evaluations_per_hour_unloaded_estimate": round(
            3600 * args.workers / float(np.median(single))),
    }, indent=1))


if __name__ == "__main__":
    main()
