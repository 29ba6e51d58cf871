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
from typing import TypedDict

from fh_sim.analysis.compare import compare_runs
from fh_sim.analysis.uncertainty import write_uncertainty
from fh_sim.errors import FhSimError

log = logging.getLogger(__name__)


def _parser(command: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=f"fh-sim {command}",
        description="Compare finished runs: scenario minus baseline on common seeds, "
        "plots, summary table and a self-contained HTML report.",
    )
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="run folders or sweep folders (searched recursively)",
    )
    p.add_argument(
        "--baseline",
        default="baseline",
        help="scenario the others are compared with (default: baseline)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output folder (default: outputs/compare/<date_time>)",
    )
    p.add_argument(
        "--metrics",
        nargs="+",
        default=None,
        metavar="METRIC",
        help="outcomes for the difference chart and summary (default: all)",
    )
    p.add_argument(
        "--robust",
        nargs="+",
        default=None,
        metavar="METRIC[:higher|lower]",
        help="outcomes of the robustness table when the runs carry parameter "
        "draws (params_draw); default: population rent_burden "
        "base_residents_in_region displaced_cumulative",
    )
    p.add_argument(
        "--sensitivity",
        type=Path,
        default=None,
        metavar="STUDY",
        help="a fh-sim sensitivity folder: write, per compared effect, the "
        "assumptions with the largest index and the effect at their low and high "
        "values (assumptions_that_matter.csv)",
    )
    p.add_argument(
        "--no-map", action="store_true", help="skip the network maps (they need the region's data)"
    )
    p.add_argument(
        "--as-rates",
        action="store_true",
        help="compare runs of different scales or region data on rates, shares "
        "and indices only (counts left out; the report says so)",
    )
    p.add_argument(
        "--lang",
        choices=("en", "sv"),
        default="en",
        help="language of every label, title, table header and text (default: en)",
    )
    p.add_argument(
        "--label-zones",
        action="store_true",
        help="name every zone on the maps (default: the largest ones)",
    )
    return p


class RobustOptions(TypedDict, total=False):
    """Keyword arguments of :func:`write_uncertainty` from ``--robust``."""

    metrics: list[str]
    higher_is_better: dict[str, bool]


def robust_metrics(items: list[str] | None) -> RobustOptions:
    """``--robust`` items -> keyword arguments of :func:`write_uncertainty`."""
    if not items:
        return {}
    metrics: list[str] = []
    direction: dict[str, bool] = {}
    for item in items:
        metric, _, word = item.partition(":")
        if word and word not in ("higher", "lower"):
            raise FhSimError(f"--robust {item}: say metric:higher or metric:lower")
        metrics.append(metric)
        if word:
            direction[metric] = word == "higher"
    return {"metrics": metrics, "higher_is_better": direction}


def main(argv: list[str], *, command: str = "compare", debug: bool = False) -> int:
    """Run ``fh-sim compare``; user errors raise :class:`fh_sim.errors.FhSimError`."""
    args = _parser(command).parse_args(argv)
    out = args.out or Path("outputs") / "compare" / dt.datetime.now().strftime("%Y-%m-%d_%H-%M-%S")
    started = time.perf_counter()
    comp = compare_runs(
        args.paths,
        out_dir=out,
        baseline=args.baseline,
        metrics=args.metrics,
        with_map=not args.no_map,
        as_rates=args.as_rates,
        lang=args.lang,
        label_zones=args.label_zones,
    )
    write_uncertainty(
        comp.collection.table,
        comp.pairing,
        year=comp.year,
        out_dir=out,
        **robust_metrics(args.robust),
    )
    if args.sensitivity is not None:
        from fh_sim.analysis.sensitivity_report import effects_explained

        explained = effects_explained(args.sensitivity, list(comp.pairing.common))
        explained.to_csv(out / "assumptions_that_matter.csv", index=False)
        log.info(
            "assumptions that matter for %d effect(s): %s",
            explained[["scenario", "metric"]].drop_duplicates().shape[0] if len(explained) else 0,
            out / "assumptions_that_matter.csv",
        )
    log.info("compared %d runs in %.1f s", len(comp.collection.runs), time.perf_counter() - started)
    if comp.banner:
        print(comp.banner)
    print(f"report: {out / 'report.html'}")
    return 0
