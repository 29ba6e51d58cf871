"""Calibration throughput: evaluations per hour of a scale-0.1 run 2019-2030.

Run: ``.venv/bin/python benchmarks/bench_calibration_throughput.py`` with options
``--workers 2 --evaluations 40 --scale 0.1 --end-year 2030`` (the defaults).

An evaluation is one in-process run (no new Python process): the region and the composed
config are loaded once per joblib worker (:func:`fh_sim.calibrate.evaluate.evaluator`)
and each candidate only changes the free parameters of ``conf/calibration/baseline.yaml``
(set here to their midpoints, varied by a few per cent so no run is a copy). Prints
the per-run wall and CPU time in one process, and the wall time and evaluations per hour
over ``--workers`` processes after a warm-up that loads every worker; on a shared machine
the CPU-bound figure (``workers`` x 3600 / CPU seconds per run) is the one to compare with
the target, the measured one depends on the other processes (``load_average_1min``).
A script, not a test: the figure depends on the machine and its load. Target: >= 10,000
evaluations per hour on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np
from joblib import Parallel, delayed

from fh_sim.calibrate.evaluate import evaluator


def one_run(scale: float, end_year: int, x: list[float]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of candidate ``x`` in this (warm) process."""
    ev = evaluator("baseline", scale, (f"end_year={end_year}",))
    started, cpu = time.perf_counter(), time.process_time()
    ev.simulate(np.asarray(x), seed=0)
    return time.perf_counter() - started, time.process_time() - cpu


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
    xs = [
        list(np.asarray(mid) * rng.uniform(0.97, 1.03, len(mid))) for _ in range(args.evaluations)
    ]
    single = np.array([one_run(args.scale, args.end_year, x) for x in xs[:5]])
    pool = Parallel(n_jobs=args.workers, backend="loky")
    pool(delayed(one_run)(args.scale, args.end_year, x) for x in xs[: 2 * args.workers])
    started = time.perf_counter()
    per_run = np.array(pool(delayed(one_run)(args.scale, args.end_year, x) for x in xs))
    wall = time.perf_counter() - started
    cpu = float(np.median(per_run[:, 1]))
    print(
        json.dumps(
            {
                "scale": args.scale,
                "years": f"2019-{args.end_year}",
                "workers": args.workers,
                "cpus": os.cpu_count(),
                "evaluations": len(xs),
                "one_process_wall_s_per_run": round(float(np.median(single[:, 0])), 3),
                "one_process_cpu_s_per_run": round(float(np.median(single[:, 1])), 3),
                "parallel_wall_s": round(wall, 2),
                "median_cpu_s_per_run_in_workers": round(cpu, 3),
                "evaluations_per_hour_measured": round(3600 * len(xs) / wall),
                "evaluations_per_hour_cpu_bound": round(3600 * args.workers / cpu),
                "load_average_1min": round(os.getloadavg()[0], 2),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
