"""Comparison of finished runs: collect run folders, aggregate across seeds, plot, report.

Reads run folders only; never re-runs the model.
"""

from fh_sim.analysis.aggregate import (
    Pairing,
    add_cumulative,
    difference_summary,
    horizon_year,
    pair_seeds,
    paired_differences,
    summarise,
    summary_table,
)
from fh_sim.analysis.collect import Collection, collect, find_run_dirs

__all__ = [
    "Collection",
    "Pairing",
    "add_cumulative",
    "collect",
    "difference_summary",
    "find_run_dirs",
    "horizon_year",
    "pair_seeds",
    "paired_differences",
    "summarise",
    "summary_table",
]
