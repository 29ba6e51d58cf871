"""Jobs are a fixed stock someone fills: a doubly constrained workplace gravity rule.

Workplaces are drawn by a gravity rule, ``P(j | home i) ∝ jobs_j x B_j x exp(-beta x
minutes_ij)``. With ``B = 1`` (production-constrained) a faster link from a small town to a
city draws the town's workers to the city's many jobs while nobody takes the town's own:
jobs would move to the city because a bus was added. The balancing factors ``B_j``
(Wilson 1967, solved by Furness iteration) keep every node's expected workers at its
base-year share of the region's workers, so a new link changes *who* fills a node's jobs,
not how many are filled. In the base year ``B = 1``: the targets are the base-year
expected flows themselves.
"""

from __future__ import annotations

import numpy as np

from fh_sim.types import FloatArray, IntArray

FURNESS_ITERATIONS = 200
"""Upper bound on the balancing iterations (they converge in far fewer)."""

FURNESS_TOLERANCE = 1e-9
"""Largest relative change of a factor at which the iteration stops."""


def gravity_weights(
    jobs: FloatArray, minutes: FloatArray, beta: float, n_origins: int
) -> FloatArray:
    """float[n_origins, n_nodes] ``jobs_j x exp(-beta x minutes_ij)`` (0 where unreachable).

    Args:
        jobs: float[n_nodes] jobs per node.
        minutes: float[n_nodes, n_nodes] generalised travel cost, minutes.
        beta: decay, 1/minute.
        n_origins: the first ``n_origins`` nodes are the origins (the zones).
    """
    with np.errstate(over="ignore", invalid="ignore"):
        w = jobs[None, :] * np.exp(-beta * minutes[:n_origins])
    w[~np.isfinite(w)] = 0.0
    return w


def expected_workers(
    origin_workers: FloatArray, weights: FloatArray, balance: FloatArray
) -> FloatArray:
    """float[n_nodes] workers each node gets in expectation from ``origin_workers`` per zone."""
    wb = weights * balance[None, :]
    total = wb.sum(axis=1, keepdims=True)
    share = np.divide(wb, total, out=np.zeros_like(wb), where=total > 0)
    return origin_workers @ share


def balancing_factors(
    origin_workers: FloatArray, weights: FloatArray, target: FloatArray
) -> FloatArray:
    """float[n_nodes] factors ``B`` that give every node its ``target`` workers.

    ``target`` is rescaled to the total of ``origin_workers`` first (the region's jobs
    keep their shares as the number of workers changes). Nodes without a target or
    that no origin reaches keep ``B = 1``. Furness iteration: ``B_j <- B_j x target_j /
    expected_j`` until no factor changes by more than :data:`FURNESS_TOLERANCE`.
    """
    balance = np.ones(weights.shape[1])
    total = target.sum()
    if total <= 0 or origin_workers.sum() <= 0:
        return balance
    goal = target * (origin_workers.sum() / total)
    live = (goal > 0) & (weights.sum(axis=0) > 0)
    for _ in range(FURNESS_ITERATIONS):
        got = expected_workers(origin_workers, weights, balance)
        ratio = np.ones_like(balance)
        np.divide(goal, got, out=ratio, where=live & (got > 0))
        balance *= ratio
        balance /= balance[live].mean() if live.any() else 1.0
        if np.max(np.abs(ratio[live] - 1.0), initial=0.0) < FURNESS_TOLERANCE:
            break
    return balance


def workers_by_zone(zone: IntArray, workplace: IntArray, n_zones: int) -> FloatArray:
    """float[n_zones] households with a workplace, by home zone (unhoused ones left out)."""
    at = (workplace >= 0) & (zone >= 0)
    return np.bincount(zone[at], minlength=n_zones).astype(float)
