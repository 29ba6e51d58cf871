"""HDMR: a metamodel's variance decomposition that keeps the model's noise apart.

A stochastic model's outcome at one point is ``f(inputs) + noise``. Saltelli's Sobol
estimators difference pairs of runs, so the noise enters every index (each input gets a
total index near the noise's share). HDMR (High-Dimensional Model Representation; Rabitz
and Alis 1999; Li et al. 2010) instead fits an additive B-spline metamodel
``f0 + sum_i f_i(x_i)`` by least squares to a plain random sample (Latin hypercube), and
decomposes the *fitted* variance: ``S1_i = Cov(f_i, y) / Var(y)``. Noise that no input
explains stays in the residual, so ``1 - sum S1`` is the share of the outcome's variance
the inputs do not explain: the run-to-run randomness plus the interactions the additive
metamodel leaves out. This is the usual approach for stochastic simulators with costly
runs: ``Var(y) = Var(E[y | x]) + E[Var(y | x)]``, the metamodel of the mean estimating the
first part (Marrel, Iooss, Da Veiga and Ribatet 2012, Statistics and Computing 22, 833-847).

Estimator: SALib's ``analyze.hdmr`` (first order, ``maxorder=1``; cubic B-splines on
``m=2`` intervals, ``m + 3`` splines per input, ``m + 2`` free coefficients once the mean
is removed), bootstrapped on ``K=20`` half-samples. Two corrections, both checked in
``tests/test_sensitivity_hdmr.py``:

* Least squares fits part of the noise: a term with ``q`` free coefficients picks up about
  ``q / (n - p - 1)`` of the unexplained variance (``n`` fitted points, ``p`` coefficients
  in all). Each index is reduced by that share, so the indices sum to the adjusted R²
  of the metamodel (``explained``): about 0 for pure noise.
* SALib's half-widths (1.96 x the spread of the half-sample fits) covered the true index
  in 85-98 % of 40 replications at 300 points; widened by sqrt(2) they cover 95-100 %
  (conservative: a ranking is claimed less often, not more).

Why first order only: with 12 inputs on 300 points SALib's second-order terms (66 pairs
x 25 coefficients each, fitted one by one to the residual) give an input with no effect a
total index of 0.35-0.8, and the indices sum to 2.8 when half the variance is noise: the
noise floor again. Interactions are left in ``unexplained``; Sobol (``method=sobol``) at a
budget that resolves them is the tool for them.

SALib 1.6 marks ``analyze.hdmr`` for retirement in favour of ``analyze.enhanced_hdmr``; in
1.6.0 the latter fails at first order (AttributeError) and at second order on 12 inputs and
300 points took 22 s per outcome and returned first-order indices near zero.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

MIN_POINTS = 300  # SALib's HDMR refuses fewer points
INTERVALS = 2  # B-spline intervals per input (SALib's m)
BOOTSTRAP = 20  # half-sample fits (SALib's K)
CONF_WIDEN = float(np.sqrt(2.0))
EXPLAINED_MIN = 0.25  # below: the inputs' ranking is not presented as a finding
COLUMNS = ("S1", "S1_conf", "ST", "ST_conf", "explained", "unexplained", "r2_fit")


def min_points(n_inputs: int) -> int:
    """The smallest HDMR budget for ``n_inputs`` inputs (points).

    SALib's 300, and half-samples of at least twice the metamodel's coefficients, so the
    noise correction stays below a factor 2.
    """
    return max(MIN_POINTS, 4 * (INTERVALS + 2) * n_inputs)


def sample(names: Sequence[str], budget: int, seed: int) -> np.ndarray:
    """``budget`` Latin-hypercube points in the unit cube of ``names``."""
    from SALib.sample import latin

    problem = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    return np.asarray(latin.sample(problem, budget, seed=seed))


def adjusted_share(r2: float, n: int, p: int) -> float:
    """Adjusted R² of a fit with ``p`` free coefficients on ``n`` points."""
    return 1.0 - (1.0 - r2) * (n - 1) / (n - p - 1)


def analyse(names: Sequence[str], unit: np.ndarray, y: np.ndarray, seed: int) -> pd.DataFrame:
    """First-order HDMR indices of one outcome, corrected for the noise the fit absorbs.

    Args:
        names: the inputs (columns of ``unit``).
        unit: points in the unit cube, one row per point (at least 300).
        y: the outcome at each point.
        seed: seeds the bootstrap (the global NumPy state is restored afterwards).

    Returns:
        One row per input: ``S1``, ``S1_conf`` (half-width of the 95 % interval),
        ``ST`` and ``ST_conf`` (equal to S1: an additive metamodel has no interactions),
        ``explained`` (adjusted R²: the share of the outcome's variance over the points
        the inputs explain; the indices sum to it), ``unexplained`` (``1 -
        explained``: the model's randomness and interactions) and ``r2_fit`` (the
        metamodel's R² before the correction).
    """
    from SALib.analyze import hdmr

    d = len(names)
    if np.allclose(y, y[0]):  # a constant outcome: every index is zero, nothing to explain
        zeros = np.zeros(d)
        frame = {c: zeros for c in COLUMNS}
        return pd.DataFrame({"input": list(names), **frame})
    problem = {"num_vars": d, "names": list(names), "bounds": [[0.0, 1.0]] * d}
    # SALib draws the bootstrap from NumPy's legacy global state: seed it, then restore it
    state = np.random.get_state()  # noqa: NPY002
    try:
        np.random.seed(seed)  # noqa: NPY002
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the retirement notice, and spline warnings
            res = hdmr.analyze(problem, unit, y, maxorder=1, m=INTERVALS, K=BOOTSTRAP)
    finally:
        np.random.set_state(state)  # noqa: NPY002
    n = len(y) // 2  # points per bootstrap fit
    q = INTERVALS + 2
    p = q * d
    # SALib divides a covariance with n - 1 by a variance with n: rescale to one convention
    s = np.asarray(res["S"][:d], dtype=float) * (n - 1) / n
    r2 = float(np.sum(s))
    absorbed = (1.0 - r2) * q / (n - p - 1)  # noise one term's coefficients fit
    s1 = s - absorbed
    conf = CONF_WIDEN * np.asarray(res["S_conf"][:d], dtype=float)
    explained = adjusted_share(r2, n, p)
    return pd.DataFrame(
        {
            "input": list(names),
            "S1": s1,
            "S1_conf": conf,
            "ST": s1,
            "ST_conf": conf,
            "explained": explained,
            "unexplained": 1.0 - explained,
            "r2_fit": r2,
        }
    )


def verdict(rows: pd.DataFrame) -> tuple[bool, str]:
    """Whether one outcome's ranking is a finding, and the sentence that says so.

    A ranking is a finding when the inputs explain at least ``EXPLAINED_MIN`` of the
    outcome's variance over the points and the top input's interval excludes zero.
    """
    explained = float(np.clip(rows["explained"].iloc[0], 0.0, 1.0))
    top = rows.nsmallest(1, "rank").iloc[0]
    share = (
        f"The inputs explain {100 * explained:.0f} % of the variation over the "
        f"points; the rest ({100 * (1.0 - explained):.0f} %) is run-to-run randomness "
        "and interactions the first-order metamodel leaves out."
    )
    if explained < EXPLAINED_MIN:
        return False, (
            f"{share} That is below {100 * EXPLAINED_MIN:.0f} %: the ranking below is "
            "**not a finding** (noise dominates; more points, a larger scale or "
            "replicates are needed)."
        )
    if float(top["S1"]) - float(top["S1_conf"]) <= 0.0:
        return False, (
            f"{share} The top input's interval includes zero: the ranking below is **not a "
            "finding** at this budget."
        )
    return True, (
        f"{share} Inputs whose interval excludes zero are marked *; the others cannot be "
        "told apart from no effect."
    )
