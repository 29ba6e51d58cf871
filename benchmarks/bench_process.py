"""Whole-process figures: what a user waits for when typing ``fh-sim ...``.

Each command runs in a fresh process, ``repeat`` times; the median wall time and the
largest peak RSS (``ru_maxrss`` of the finished child) are kept. CPU time is the child's
user + system time.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

COMMANDS: dict[str, list[str]] = {
    "fh-sim --help": ["--help"],
    "fh-sim scenarios": ["scenarios"],
    "run scale 0.1 2019-2050": ["run", "scale=0.1"],
    "run full scale 2019-2050": ["run"],
}


def _one(args: list[str], cwd: str) -> dict[str, float]:
    exe = Path(sys.executable).with_name("fh-sim")
    env = {**os.environ, "FH_SIM_OUTPUTS": cwd}
    pid_start = time.perf_counter()
    proc = subprocess.Popen(
        [str(exe), *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - pid_start
    err = proc.stderr.read() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"fh-sim {' '.join(args)} failed: {err[-2000:]}")
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
    }


def measure_process(repeat: int = 3) -> dict[str, dict[str, float]]:
    """Median wall/CPU time and peak RSS (MB) of every command in :data:`COMMANDS`."""
    out: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="fh_sim_bench_") as tmp:
        for name, args in COMMANDS.items():
            runs = [_one(args, tmp) for _ in range(repeat)]
            out[name] = {
                "wall_s": statistics.median(r["wall_s"] for r in runs),
                "cpu_s": statistics.median(r["cpu_s"] for r in runs),
                "peak_mb": max(r["peak_mb"] for r in runs),
            }
    return out


def process_rows(r: dict[str, dict[str, float]], row: Any) -> list[dict[str, Any]]:
    """Benchmark rows: times, the start-up ratio and peak memory."""
    rows = []
    for name, fig in r.items():
        quick = name.startswith("fh-sim ")
        rows.append(
            row(
                "process",
                name,
                "wall time (median of runs)",
                fig["wall_s"],
                "s",
                "<= 0.3 s" if quick else "",
                fig["wall_s"] <= 0.3 if quick else None,
            )
        )
        rows.append(row("process", name, "CPU time", fig["cpu_s"], "s"))
    full, small = r["run full scale 2019-2050"], r["run scale 0.1 2019-2050"]
    ratio = small["wall_s"] / full["wall_s"]
    rows.append(
        row(
            "process",
            "scale 0.1 / full scale",
            "whole-process time ratio",
            100 * ratio,
            "%",
            "<= 35 %",
            ratio <= 0.35,
        )
    )
    rows.append(
        row(
            "process",
            "run full scale 2019-2050",
            "peak memory (RSS)",
            full["peak_mb"],
            "MB",
            "<= 200 MB",
            full["peak_mb"] <= 200,
        )
    )
    return rows
