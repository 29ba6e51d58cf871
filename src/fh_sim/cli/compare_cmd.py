"""``fh-sim compare PATH... [--baseline NAME] [--out DIR] [--metrics M ...] [--lang sv]``.

Reads complete run folders (sweep folders are searched recursively), compares every
scenario with the baseline on common seeds, and writes PNGs, ``summary.csv``,
``summary.parquet``, ``summary.xlsx`` and a self-contained ``report.html`` that opens with
the answer: each scenario's largest effects per municipality, with intervals.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import time
from pathlib import Path

from fh_sim.analysis.compare import compare_runs

log = logging.getLogger(__name__)


def _parser(command: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=f"fh-sim {command}",
        description="Compare finished runs: scenario minus baseline on common seeds, "
        "plots, summary table and a self-contained HTML report.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="run folders or sweep folders (searched recursively)")
    p.add_argument("--baseline", default="baseline",
                   help="scenario the others are compared with (default: baseline)")
    p.add_argument("--out", type=Path, default=None,
                   help="output folder (default: outputs/compare/<date_time>)")
    p.add_argument("--metrics", nargs="+", default=None, metavar="METRIC",
                   help="outcomes for the difference chart and summary (default: all)")
    p.add_argument("--no-map", action="store_true",
                   help="skip the network maps (they need the region's data)")
    p.add_argument("--lang", choices=("en", "sv"), default="en",
                   help="language of every label, title, table header and text "
                   "(default: en)")
    p.add_argument("--label-zones", action="store_true",
                   help="name every zone on the maps (default: the largest ones)")
    return p


def main(argv: list[str], *, command: str = "compare", debug: bool = False) -> int:
    """Run ``fh-sim compare``; user errors raise :class:`fh_sim.errors.FhSimError`."""
    args = _parser(command).parse_args(argv)
    out = args.out or Path("outputs") / "compare" / dt.datetime.now().strftime(
        "%Y-%m-%d_%H-%M-%S")
    started = time.perf_counter()
    comp = compare_runs(args.paths, out_dir=out, baseline=args.baseline,
                        metrics=args.metrics, with_map=not args.no_map, lang=args.lang,
                        label_zones=args.label_zones)
    log.info("compared %d runs in %.1f s", len(comp.collection.runs),
             time.perf_counter() - started)
    print(f"report: {out / 'report.html'}")
    return 0
