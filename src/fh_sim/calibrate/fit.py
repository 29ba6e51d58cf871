"""Differential evolution over the free parameters (scipy), candidates in parallel (joblib).

Why differential evolution (docs/calibration.md): the loss of a stochastic simulation is
rough even on common seeds (allocation lotteries flip at thresholds), so gradient methods
stall; the parameters are few (< 10) and bounded; a population-based global search with
a fixed evaluation budget is robust there, needs no surrogate or likelihood, and its last
population gives a spread of near-optimal values. scipy's implementation is maintained,
seeded and accepts a parallel map (``workers``): each generation's candidates are
evaluated by joblib workers that keep the region and config loaded between candidates.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from scipy.optimize import differential_evolution

from fh_sim.calibrate.evaluate import Objective

log = logging.getLogger(__name__)

NEAR_OPTIMAL = 1.25
"""Evaluations within this factor of the best loss count as near-optimal (uncertainty)."""


@dataclass
class FitResult:
    """The outcome of a fit.

    Attributes:
        best: float[n_params] the best candidate found.
        best_loss: its loss, (percentage points/year)^2.
        history: one row per evaluation: ``evaluation``, ``generation``, ``loss`` and one
            column per free parameter.
        uncertainty: one row per free parameter: best, mean, sd, p05, p95 over the
            near-optimal evaluations, and their number.
        seconds: wall time of the fit.
    """

    best: np.ndarray
    best_loss: float
    history: pd.DataFrame
    uncertainty: pd.DataFrame
    seconds: float


class _Map:
    """A map over candidates for scipy (``workers=``) that records every evaluation."""

    def __init__(self, n_jobs: int) -> None:
        self.n_jobs = n_jobs
        self.xs: list[np.ndarray] = []
        self.losses: list[float] = []
        self.generation: list[int] = []
        self._gen = 0
        self._pool = Parallel(n_jobs=n_jobs, backend="loky") if n_jobs > 1 else None

    def __call__(self, func, xs):
        xs = [np.asarray(x, dtype=float) for x in xs]
        if self._pool is None:
            out = [func(x) for x in xs]
        else:
            out = self._pool(delayed(func)(x) for x in xs)
        self.xs += xs
        self.losses += [float(v) for v in out]
        self.generation += [self._gen] * len(xs)
        log.info(
            "generation %d: %d candidates, best loss so far %.4g",
            self._gen,
            len(xs),
            min(self.losses),
        )
        self._gen += 1
        return out


def fit(
    objective: Objective,
    names: list[str],
    bounds: list[tuple[float, float]],
    *,
    budget: int,
    seed: int,
    n_jobs: int = 2,
) -> FitResult:
    """Minimise ``objective`` within ``bounds`` in about ``budget`` evaluations.

    Args:
        objective: the loss of a candidate (picklable; built once per worker).
        names: the free parameters' config keys.
        bounds: (low, high) per parameter.
        budget: evaluations at most (initial population included).
        seed: seed of the optimiser (the simulation's seeds are the spec's).
        n_jobs: parallel workers (joblib processes).
    """
    n = len(bounds)
    if budget < 2 * n:
        from fh_sim.errors import ConfigError

        raise ConfigError(
            f"needs at least {2 * n} evaluations (2 per free parameter), got {budget}", key="budget"
        )
    popsize = max(2, min(8, budget // (2 * n)))  # members = popsize x n
    members = popsize * n
    maxiter = max(0, budget // members - 1)
    started = time.perf_counter()
    mapper = _Map(n_jobs)
    res = differential_evolution(
        objective,
        bounds,
        popsize=popsize,
        maxiter=maxiter,
        seed=seed,
        polish=False,
        init="latinhypercube",
        updating="deferred",
        workers=mapper,
        tol=0.0,
    )
    history = pd.DataFrame(np.array(mapper.xs), columns=names)
    history.insert(0, "loss", mapper.losses)
    history.insert(0, "generation", mapper.generation)
    history.insert(0, "evaluation", np.arange(len(history)))
    best_i = int(np.argmin(mapper.losses))
    best = np.array(mapper.xs[best_i]) if mapper.losses[best_i] <= res.fun else res.x
    best_loss = float(min(mapper.losses[best_i], res.fun))
    near = history[history["loss"] <= NEAR_OPTIMAL * best_loss + 1e-12]
    unc = pd.DataFrame(
        {
            "parameter": names,
            "best": best,
            "mean": [near[k].mean() for k in names],
            "sd": [near[k].std(ddof=1) if len(near) > 1 else float("nan") for k in names],
            "p05": [near[k].quantile(0.05) for k in names],
            "p95": [near[k].quantile(0.95) for k in names],
            "n_near_optimal": len(near),
            "low": [b[0] for b in bounds],
            "high": [b[1] for b in bounds],
        }
    )
    seconds = time.perf_counter() - started
    log.info("fit: %d evaluations in %.1f s, best loss %.4g", len(history), seconds, best_loss)
    return FitResult(best, best_loss, history, unc, seconds)
