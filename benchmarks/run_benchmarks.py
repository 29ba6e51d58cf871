"""fh_sim's benchmark: one table of speed and memory, also written as CSV.

    python benchmarks/run_benchmarks.py                 # everything (a few minutes)
    python benchmarks/run_benchmarks.py --quick         # scaling up to 1M households, fewer runs
    python benchmarks/run_benchmarks.py --parts full rules scaling

Parts (``--parts``):

- ``full``: the embedded region at one agent per household, 2020-2050 (build + 31
  yearly steps + outcome table, invariants on): wall and CPU time, household-years per
  second, peak memory.
- ``rules``: time per rule (and per model stage) per step, from the same full run.
- ``scaling``: synthetic regions of 10,000 to 5,000,000 households (the embedded region
  at a smaller scale, or ``replicate_region`` copies): CPU time per household-year over
  timed steps after a warm-up step, bytes per household of the state arrays and of the
  peak working memory (peak RSS minus the RSS before the model was built).
- ``reference``: the vectorised model against the per-agent Mesa reference
  (``bench_reference.py``) at 2,000, 10,000 and 20,000 households, same rules and seeds.
- ``process``: whole-process wall time, CPU time and peak memory of ``fh-sim --help``,
  ``fh-sim scenarios`` and runs 2019-2050 at scale 0.1 and full scale, with the start-up
  ratio (scale 0.1 / full scale) (``bench_process.py``).
- ``sweep``: runs per hour with ``fh-sim sweep ... hydra/launcher=parallel`` (joblib,
  2 processes), counted from the command's start to its end.

Every measurement runs in a fresh process (``spawn``), so memory figures do not mix.
CPU time (``time.process_time``) is reported next to wall time: on a shared machine it
is closer to what the code costs. Results: ``benchmarks/results.csv`` (one row per
figure: part, case, metric, value, unit, target, status).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
from pathlib import Path
from typing import Any

from bench_process import measure_process, process_rows
from measure import in_child, measure_full, measure_reference, measure_size, measure_sweep

HERE = Path(__file__).resolve().parent
PARTS = ("full", "rules", "process", "scaling", "reference", "sweep")
SCALING_SIZES = (10_000, 100_000, 165_873, 500_000, 1_000_000, 2_000_000, 5_000_000)

Row = dict[str, Any]


# -- the table ---------------------------------------------------------------------------
def row(
    part: str,
    case: str,
    metric: str,
    value: float,
    unit: str,
    target: str = "",
    ok: bool | None = None,
) -> Row:
    """One figure of the table."""
    status = "" if ok is None else ("met" if ok else "MISSED")
    return {
        "part": part,
        "case": case,
        "metric": metric,
        "value": value,
        "unit": unit,
        "target": target,
        "status": status,
    }


def full_rows(r: dict[str, Any]) -> list[Row]:
    case = f"{r['households_start']:,}->{r['households_end']:,} households, {r['steps']} years"
    hy = r["household_years"]
    return [
        row(
            "full",
            case,
            "run time (wall)",
            r["total_wall_s"],
            "s",
            "<= 3 s",
            r["total_wall_s"] <= 3.0,
        ),
        row(
            "full", case, "run time (CPU)", r["total_cpu_s"], "s", "<= 3 s", r["total_cpu_s"] <= 3.0
        ),
        row(
            "full",
            case,
            "build (wall / CPU)",
            r["build_wall_s"],
            "s",
            f"CPU {r['build_cpu_s']:.2f} s",
        ),
        row(
            "full",
            case,
            "steps (wall / CPU)",
            r["steps_wall_s"],
            "s",
            f"CPU {r['steps_cpu_s']:.2f} s",
        ),
        row("full", case, "household-years", hy, "hh-years"),
        row(
            "full",
            case,
            "household-years/s (wall)",
            hy / r["total_wall_s"],
            "1/s",
            ">= 1.7e6",
            hy / r["total_wall_s"] >= 1.7e6,
        ),
        row(
            "full",
            case,
            "household-years/s (CPU)",
            hy / r["total_cpu_s"],
            "1/s",
            ">= 1.7e6",
            hy / r["total_cpu_s"] >= 1.7e6,
        ),
        row("full", case, "peak RSS", r["peak_rss_mb"], "MB"),
        row(
            "full", case, "peak RSS over region loaded", r["peak_rss_mb"] - r["rss_before_mb"], "MB"
        ),
        row(
            "full",
            case,
            "state bytes/household",
            r["state_bytes_end"] / r["households_end"],
            "B",
            "<= 300",
            r["state_bytes_end"] / r["households_end"] <= 300,
        ),
    ]


def rule_rows(r: dict[str, Any]) -> list[Row]:
    steps = r["steps"]
    total = sum(r["timings"].values())
    out = [row("rules", "all stages", "per step (wall)", 1000 * total / steps, "ms")]
    for key, sec in sorted(r["timings"].items(), key=lambda kv: -kv[1]):
        out.append(
            row(
                "rules",
                key,
                "per step (wall)",
                1000 * sec / steps,
                "ms",
                f"{100 * sec / total:.1f} %",
            )
        )
    return out


def scaling_rows(results: list[dict[str, Any]]) -> list[Row]:
    out = []
    per = [1e9 * r["steps_cpu_s"] / r["household_years"] for r in results]
    for r, ns in zip(results, per, strict=True):
        case = f"{r['households']:,} households ({r['zones']} zones)"
        out += [
            row("scaling", case, "CPU per household-year", ns, "ns"),
            row(
                "scaling",
                case,
                "wall per household-year",
                1e9 * r["steps_wall_s"] / r["household_years"],
                "ns",
            ),
            row("scaling", case, "build (CPU)", r["build_cpu_s"], "s"),
            row(
                "scaling",
                case,
                "state bytes/household",
                r["state_bytes_per_household"],
                "B",
                "<= 300",
                r["state_bytes_per_household"] <= 300,
            ),
            row(
                "scaling",
                case,
                "peak working bytes/household",
                r["peak_delta_bytes_per_household"],
                "B",
                "<= 300",
                r["peak_delta_bytes_per_household"] <= 300,
            ),
        ]
    for lo in sorted({0, next((i for i, r in enumerate(results) if r["households"] >= 99_000), 0)}):
        if len(per) - lo < 2:
            continue
        spread = max(per[lo:]) / min(per[lo:])
        span = f"{results[lo]['households']:,} to {results[-1]['households']:,}"
        out.append(
            row(
                "scaling",
                span,
                "max/min CPU per household-year",
                spread,
                "x",
                "flat (<= 1.25)",
                spread <= 1.25,
            )
        )
    big = [r for r in results if r["households"] >= 99_000 and "peak_delta_mb" in r]
    if len(big) > 1:  # what one more household costs at the peak, fixed costs taken out
        a, b = big[0], big[-1]
        slope = (
            (b["peak_delta_mb"] - a["peak_delta_mb"])
            * 2**20
            / (b["households_max"] - a["households_max"])
        )
        out.append(
            row(
                "scaling",
                f"{a['households']:,} to {b['households']:,}",
                "marginal peak bytes/household",
                slope,
                "B",
                "<= 300",
                slope <= 300,
            )
        )
    return out


def reference_rows(results: list[dict[str, Any]]) -> list[Row]:
    out = []
    for r in results:
        case = f"{r['households']:,} households"
        ratio = r["per_agent_cpu_s"] / r["vectorised_cpu_s"]
        target = ">= 50x" if r["households"] >= 15_000 else ""
        out += [
            row("reference", case, "vectorised per year (CPU)", 1000 * r["vectorised_cpu_s"], "ms"),
            row("reference", case, "per-agent per year (CPU)", 1000 * r["per_agent_cpu_s"], "ms"),
            row(
                "reference",
                case,
                "speed-up (CPU)",
                ratio,
                "x",
                target,
                (ratio >= 50) if target else None,
            ),
            row(
                "reference",
                case,
                "speed-up (wall)",
                r["per_agent_wall_s"] / r["vectorised_wall_s"],
                "x",
            ),
        ]
    return out


def sweep_rows(r: dict[str, Any], case: str) -> list[Row]:
    return [
        row("sweep", case, "runs/hour (wall)", 3600 * r["runs"] / r["wall_s"], "1/h"),
        row("sweep", case, "sweep wall time", r["wall_s"], "s", f"CPU {r['cpu_s']:.1f} s"),
    ]


def fmt(v: float) -> str:
    if isinstance(v, int) or (abs(v) >= 1000 and float(v).is_integer()):
        return f"{int(v):,}"
    if abs(v) >= 1e5:
        return f"{v:,.0f}"
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}" if abs(v) < 1 else f"{v:.2f}"


def print_table(rows: list[Row]) -> None:
    head = ("part", "case", "metric", "value", "unit", "target", "status")
    cells = [
        [
            str(r["part"]),
            str(r["case"]),
            str(r["metric"]),
            fmt(r["value"]),
            str(r["unit"]),
            str(r["target"]),
            str(r["status"]),
        ]
        for r in rows
    ]
    width = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(head)]
    line = "  ".join(h.ljust(w) for h, w in zip(head, width, strict=True))
    print(line)
    print("-" * len(line))
    for c in cells:
        print(
            "  ".join(
                (x.rjust(w) if i == 3 else x.ljust(w))
                for i, (x, w) in enumerate(zip(c, width, strict=True))
            )
        )


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import numpy

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} cores, {cpu}; Python {platform.python_version()}, "
        f"numpy {numpy.__version__}; load average {load:.2f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS))
    ap.add_argument(
        "--quick",
        action="store_true",
        help="scaling up to 1M households, fewer reference years and sweep runs",
    )
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--years", type=int, default=3, help="timed steps per scaling size")
    ap.add_argument("--out", type=Path, default=HERE / "results.csv")
    args = ap.parse_args()
    print(machine(), flush=True)
    rows: list[Row] = []
    if "full" in args.parts or "rules" in args.parts:
        r = in_child(measure_full, args.seed, 2050)
        if "full" in args.parts:
            rows += full_rows(r)
        if "rules" in args.parts:
            rows += rule_rows(r)
    if "process" in args.parts:
        rows += process_rows(measure_process(2 if args.quick else 3), row)
    if "scaling" in args.parts:
        sizes = [s for s in SCALING_SIZES if not args.quick or s <= 1_000_000]
        results = []
        for size in sizes:
            results.append(in_child(measure_size, size, args.seed, args.years))
            print(f"  scaling: {results[-1]['households']:,} households done", flush=True)
        rows += scaling_rows(results)
    if "reference" in args.parts:
        years = 1 if args.quick else 2
        results = [
            in_child(measure_reference, size, args.seed, years) for size in (2_000, 10_000, 20_000)
        ]
        rows += reference_rows(results)
    if "sweep" in args.parts:
        n = 4 if args.quick else 8
        r = measure_sweep(n, 0.1, 2050)
        rows += sweep_rows(r, f"{r['runs']} runs, scale 0.1 (~16,600 households), 2019-2050")
        if not args.quick:
            r = measure_sweep(4, 1.0, 2050)
            rows += sweep_rows(r, f"{r['runs']} runs, full scale (165,873 households), 2019-2050")
    print_table(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["part"])
        w.writeheader()
        w.writerows(rows)
    print(f"\nwritten: {args.out}")


if __name__ == "__main__":
    main()
