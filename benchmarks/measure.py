"""Measurements behind ``run_benchmarks.py``; each runs in a fresh process (``spawn``).

Every function returns plain numbers (seconds, MB, counts) so that the parent process
can build the table. CPU time is ``time.process_time`` of the measuring process.
"""

from __future__ import annotations

import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FULL_HOUSEHOLDS = 165_873  # the embedded region's households at scale 1.0 (base year)


def _rss_now_mb() -> float:
    """Current resident memory of this process, MB (Linux /proc; else peak so far)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _state_bytes(model: Any) -> int:
    """Bytes held by the household table's arrays."""
    hh = model.households
    return sum(getattr(hh, name).nbytes for name in hh.__dataclass_fields__)


def measure_full(seed: int, end_year: int) -> dict[str, Any]:
    """A full-scale run as a user runs it: build, every step, the outcome table."""
    from fh_sim.config import SimConfig
    from fh_sim.region import load_region
    from fh_sim.sim.model import HousingModel

    region = load_region()
    rss0 = _rss_now_mb()
    w0, c0 = time.perf_counter(), time.process_time()
    model = HousingModel(SimConfig(seed=seed, scale=1.0, end_year=end_year), region=region)
    w_build, c_build = time.perf_counter() - w0, time.process_time() - c0
    n0 = model.households.n
    model.timings.clear()
    hh_years, n_max = 0, n0
    w1, c1 = time.perf_counter(), time.process_time()
    while model.year < end_year:
        model.step()
        hh_years += model.households.n
        n_max = max(n_max, model.households.n)
    w_steps, c_steps = time.perf_counter() - w1, time.process_time() - c1
    table = model.outcomes()
    w_all, c_all = time.perf_counter() - w0, time.process_time() - c0
    steps = end_year - model.cfg.region.base_year
    return {
        "households_start": n0,
        "households_end": model.households.n,
        "households_max": n_max,
        "steps": steps,
        "household_years": hh_years,
        "build_wall_s": w_build,
        "build_cpu_s": c_build,
        "steps_wall_s": w_steps,
        "steps_cpu_s": c_steps,
        "total_wall_s": w_all,
        "total_cpu_s": c_all,
        "outcome_rows": len(table),
        "peak_rss_mb": _peak_rss_mb(),
        "rss_before_mb": rss0,
        "state_bytes_end": _state_bytes(model),
        "timings": dict(model.timings),
    }


def measure_size(target: int, seed: int, years: int) -> dict[str, Any]:
    """Steps on a region of about ``target`` households (a warm-up step, then ``years``)."""
    from fh_sim.config import SimConfig
    from fh_sim.region import load_region
    from fh_sim.region.synthetic import replicate_region
    from fh_sim.sim.model import HousingModel

    copies = max(1, math.ceil(target / FULL_HOUSEHOLDS - 1e-9))
    scale = min(1.0, target / (copies * FULL_HOUSEHOLDS))
    region = replicate_region(load_region(), copies)
    rss0 = _rss_now_mb()
    w0, c0 = time.perf_counter(), time.process_time()
    cfg = SimConfig(seed=seed, scale=scale, end_year=2050)
    model = HousingModel(cfg, region=region)
    w_build, c_build = time.perf_counter() - w0, time.process_time() - c0
    n0 = model.households.n
    model.step()  # warm-up: the rule contract's first-call checks run each rule twice
    hh_years, n_max = 0, max(n0, model.households.n)
    w1, c1 = time.perf_counter(), time.process_time()
    for _ in range(years):
        model.step()
        hh_years += model.households.n
        n_max = max(n_max, model.households.n)
    w_steps, c_steps = time.perf_counter() - w1, time.process_time() - c1
    return {
        "copies": copies,
        "scale": scale,
        "zones": model.zones.n,
        "households": n0,
        "households_max": n_max,
        "household_years": hh_years,
        "build_wall_s": w_build,
        "build_cpu_s": c_build,
        "steps_wall_s": w_steps,
        "steps_cpu_s": c_steps,
        "state_bytes_per_household": _state_bytes(model) / model.households.n,
        "peak_delta_bytes_per_household": (_peak_rss_mb() - rss0) * 2**20 / n_max,
        "peak_delta_mb": _peak_rss_mb() - rss0,
        "peak_rss_mb": _peak_rss_mb(),
    }


def measure_reference(size: int, seed: int, years: int) -> dict[str, Any]:
    """Seconds per year of the vectorised and the per-agent model (bench_reference)."""
    sys.path.insert(0, str(HERE))
    from bench_reference import config

    from fh_sim.reference import ReferenceModel
    from fh_sim.region import load_region
    from fh_sim.sim.model import HousingModel

    region = load_region()
    scale = size / FULL_HOUSEHOLDS
    out: dict[str, Any] = {}
    # the vectorised year takes milliseconds: time more of them for a stable mean
    for name, cls, n in (
        ("vectorised", HousingModel, max(10, 5 * years)),
        ("per_agent", ReferenceModel, years),
    ):
        model = cls(config(seed, scale), region=region)
        if cls is HousingModel:
            out["households"] = model.households.n
        model.step()  # warm-up year, not timed
        w, c = time.perf_counter(), time.process_time()
        for _ in range(n):
            model.step()
        out[f"{name}_wall_s"] = (time.perf_counter() - w) / n
        out[f"{name}_cpu_s"] = (time.process_time() - c) / n
    return out


def in_child(func: Any, *args: Any) -> dict[str, Any]:
    """Run ``func(*args)`` in a fresh interpreter and return its result."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as ex:
        return ex.submit(func, *args).result()


def measure_sweep(runs: int, scale: float, end_year: int) -> dict[str, Any]:
    """Wall and CPU time of one ``fh-sim sweep`` of ``runs`` replicates on the joblib launcher."""
    exe = Path(sys.executable).with_name("fh-sim")
    with tempfile.TemporaryDirectory(prefix="fh_sim_bench_") as tmp:
        cmd = [
            str(exe),
            "sweep",
            f"scale={scale}",
            f"end_year={end_year}",
            f"replicate=range(0,{runs})",
            "hydra/launcher=parallel",
            f"hydra.sweep.dir={tmp}/sweep",
        ]
        env = {**os.environ, "FH_SIM_OUTPUTS": tmp}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        w = time.perf_counter()
        done = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - w
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise RuntimeError(f"sweep failed: {done.stderr[-2000:]}")
        complete = len(list(Path(tmp).rglob("outcomes.parquet")))
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"runs": complete, "wall_s": wall, "cpu_s": cpu}
