"""Estimate the location-choice coefficients from a choices table (``choices.parquet``).

The model's utility is ``sum_t coef_t x x_<term t> + offset + log_size`` plus Gumbel
noise (:mod:`fh_sim.outcomes.choices`), so the coefficients of a choices table are those of a
conditional (McFadden) logit with the fixed part ``offset + log_size``. Two engines:

* ``full`` (default): maximum likelihood over every observation's full set of available
  alternatives, Newton steps by ``scipy.optimize.minimize(method="trust-exact")`` with
  the exact gradient and Hessian of the logit log-likelihood, robust (sandwich)
  standard errors. Seconds for tens of thousands of choices over ~140 alternatives.
* ``biogeme``: Biogeme (``loglogit``) on a random subset of alternatives per
  observation: the chosen one and ``n_alternatives - 1`` drawn uniformly from its other
  available alternatives. Uniform sampling keeps the estimator consistent (McFadden
  1978: the probability of the subset is the same whatever was chosen, so it cancels).
  Biogeme compiles its likelihood with JAX: minutes for ten alternatives per choice,
  which is why the full set goes to the ``full`` engine.

Which choices: ``first`` (default) are the seekers' logit choices before capacity, the
model's preferences; ``placed`` are where the lottery rounds put them. In a market
where capacity binds, placed choices are not a logit in the stated utility (a full
alternative is unavailable to those who lost its lottery) and estimates from them mix
preferences with rationing; see docs/assumptions.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from fh_sim.errors import DataError

OBSERVATIONS: tuple[str, ...] = ("first", "placed")


@dataclass(frozen=True)
class ChoiceData:
    """Observations in long format, sorted by observation, available alternatives only.

    Attributes:
        terms: names of the estimated terms (columns of ``x``).
        x: float[n_rows, n_terms] attributes at coefficient 1.
        fixed: float[n_rows] the fixed part of utility (offset + log size).
        chosen: bool[n_rows] the chosen alternative of each observation.
        start: int[n_obs] first row of each observation.
    """

    terms: list[str]
    x: np.ndarray
    fixed: np.ndarray
    chosen: np.ndarray
    start: np.ndarray

    @property
    def n_obs(self) -> int:
        """Number of observations (choices)."""
        return int(self.start.shape[0])


def choice_data(
    frame: pd.DataFrame,
    observations: str = "first",
    terms: list[str] | None = None,
    source: str = "choices table",
) -> ChoiceData:
    """Select the observations of a choices table (see :mod:`fh_sim.outcomes.choices`).

    Keeps, per (year, seeker), the available alternatives of seekers with exactly one
    chosen row (``first`` or ``placed``).

    Raises:
        DataError: a required column is missing, or no observation is left.
    """
    if observations not in OBSERVATIONS:
        raise DataError(
            f"observations must be one of {list(OBSERVATIONS)}, got {observations!r}", file=source
        )
    names = terms if terms is not None else [c[2:] for c in frame.columns if c.startswith("x_")]
    need = ["year", "seeker", "available", "log_size", "offset", observations]
    need += [f"x_{t}" for t in names]
    missing = [c for c in need if c not in frame.columns]
    if missing or not names:
        raise DataError(
            f"missing column(s) {missing or ['x_<term>']}; a choices table "
            "comes from a run with record_choices=true",
            file=source,
        )
    f = frame.loc[frame["available"].to_numpy(bool), need]
    f = f.sort_values(["year", "seeker"], kind="stable")
    key = f["year"].to_numpy(np.int64) * 10_000_000 + f["seeker"].to_numpy(np.int64)
    n_chosen = pd.Series(f[observations].to_numpy(bool)).groupby(key).transform("sum")
    f = f.loc[n_chosen.to_numpy() == 1]
    key = f["year"].to_numpy(np.int64) * 10_000_000 + f["seeker"].to_numpy(np.int64)
    if key.shape[0] == 0:
        raise DataError(f"no observation with one '{observations}' choice", file=source)
    start = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    return ChoiceData(
        terms=list(names),
        x=f[[f"x_{t}" for t in names]].to_numpy(float),
        fixed=(f["offset"].to_numpy(float) + f["log_size"].to_numpy(float)),
        chosen=f[observations].to_numpy(bool),
        start=start,
    )


@dataclass(frozen=True)
class Estimates:
    """Estimated coefficients with robust standard errors and fit.

    Attributes:
        terms: term names.
        estimate: float[n_terms] coefficients.
        covariance: float[n_terms, n_terms] robust (sandwich) covariance.
        loglik: log-likelihood at the estimates.
        null_loglik: log-likelihood with every coefficient 0 (the fixed part only).
        n_obs: observations (choices).
        n_alternatives: mean alternatives per observation.
        engine: ``full`` or ``biogeme``.
        observations: ``first`` or ``placed``.
        converged: the optimiser's success flag.
    """

    terms: list[str]
    estimate: np.ndarray
    covariance: np.ndarray
    loglik: float
    null_loglik: float
    n_obs: int
    n_alternatives: float
    engine: str
    observations: str
    converged: bool
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def robust_se(self) -> np.ndarray:
        """float[n_terms] robust standard errors."""
        return np.sqrt(np.maximum(np.diag(self.covariance), 0.0))

    @property
    def rho_square(self) -> float:
        """McFadden's rho-square against the fixed part alone."""
        return 1.0 - self.loglik / self.null_loglik if self.null_loglik else float("nan")

    def table(self, true: dict[str, float] | None = None) -> pd.DataFrame:
        """One row per term: estimate, robust SE, t (and the true value when given)."""
        out = pd.DataFrame(
            {"term": self.terms, "estimate": self.estimate, "robust_se": self.robust_se}
        )
        out["t"] = out["estimate"] / out["robust_se"]
        if true is not None:
            out.insert(1, "true", [true.get(t, np.nan) for t in self.terms])
        return out

    def wald(self, true: dict[str, float]) -> tuple[float, int, float]:
        """Joint Wald test of ``estimate == true``: (chi2, degrees of freedom, p)."""
        d = self.estimate - np.array([true[t] for t in self.terms])
        chi2 = float(d @ np.linalg.solve(self.covariance, d))
        return chi2, len(d), float(stats.chi2.sf(chi2, len(d)))

    def fit(self) -> dict[str, Any]:
        """Fit statistics as plain values (for ``fit.json``)."""
        return {
            "engine": self.engine,
            "observations": self.observations,
            "n_obs": self.n_obs,
            "mean_alternatives": round(self.n_alternatives, 2),
            "loglik": self.loglik,
            "null_loglik": self.null_loglik,
            "rho_square": self.rho_square,
            "converged": self.converged,
            **self.extra,
        }

    def rules_yaml(self) -> str:
        """The estimates as a ``conf/rules/`` file over the baseline rules."""
        lines = [
            "# Location-choice coefficients estimated by `fh-sim estimate`",
            f"# ({self.engine} engine, {self.observations} choices, {self.n_obs} "
            "observations). Copy to conf/rules/<name>.yaml and run",
            "# `fh-sim run rules=<name>`.",
            "defaults:",
            "  - baseline",
            "  - _self_",
            "",
            "utility:",
        ]
        for t, b in zip(self.terms, self.estimate, strict=True):
            lines.append(f"  {t}: {{coef: {float(b):.6g}}}")
        return "\n".join(lines) + "\n"


def _loglik(beta: np.ndarray, d: ChoiceData, hess: bool = False) -> tuple:
    """Log-likelihood, per-observation scores and (optionally) the Hessian."""
    v = d.x @ beta + d.fixed
    top = np.maximum.reduceat(v, d.start)
    obs = np.repeat(np.arange(d.n_obs), np.diff(np.r_[d.start, v.shape[0]]))
    e = np.exp(v - top[obs])
    denom = np.add.reduceat(e, d.start)
    p = e / denom[obs]
    ll = float(v[d.chosen].sum() - (np.log(denom) + top).sum())
    mean_x = np.add.reduceat(p[:, None] * d.x, d.start, axis=0)
    scores = d.x[d.chosen] - mean_x
    if not hess:
        return ll, scores, None
    h = -(d.x.T * p) @ d.x + mean_x.T @ mean_x
    return ll, scores, h


def fit_full(d: ChoiceData, observations: str = "first") -> Estimates:
    """Maximum likelihood over full choice sets (the ``full`` engine)."""
    k = len(d.terms)

    def fun(b: np.ndarray) -> tuple[float, np.ndarray]:
        ll, s, _ = _loglik(b, d)
        return -ll, -s.sum(axis=0)

    def hess(b: np.ndarray) -> np.ndarray:
        return -_loglik(b, d, hess=True)[2]

    res = optimize.minimize(
        fun,
        np.zeros(k),
        jac=True,
        hess=hess,
        method="trust-exact",
        options={"gtol": 1e-6, "maxiter": 200},
    )
    ll, scores, h = _loglik(res.x, d, hess=True)
    # converged: the optimiser says so, or the Newton step left is negligible (the
    # trust region may stop on rounding with the gradient already ~0)
    step = np.linalg.solve(-h, scores.sum(axis=0))
    converged = bool(res.success) or float(np.abs(step).max()) < 1e-6
    h_inv = np.linalg.inv(-h)
    cov = h_inv @ (scores.T @ scores) @ h_inv
    return Estimates(
        terms=d.terms,
        estimate=res.x,
        covariance=cov,
        loglik=ll,
        null_loglik=_loglik(np.zeros(k), d)[0],
        n_obs=d.n_obs,
        n_alternatives=d.x.shape[0] / max(d.n_obs, 1),
        engine="full",
        observations=observations,
        converged=converged,
    )


def sampled_wide(d: ChoiceData, n_alternatives: int, rng: np.random.Generator) -> pd.DataFrame:
    """Wide table of the chosen alternative (position 0) and uniformly drawn others.

    Observations with fewer available alternatives than ``n_alternatives`` keep the
    ones they have (the rest are marked unavailable).
    """
    sizes = np.diff(np.r_[d.start, d.x.shape[0]])
    chosen_row = np.flatnonzero(d.chosen)
    cols: dict[str, np.ndarray] = {}
    rows = np.empty((d.n_obs, n_alternatives), dtype=np.int64)
    avail = np.ones((d.n_obs, n_alternatives))
    rows[:, 0] = chosen_row
    for i in range(d.n_obs):
        others = np.setdiff1d(np.arange(d.start[i], d.start[i] + sizes[i]), chosen_row[i : i + 1])
        take = rng.choice(others, size=min(n_alternatives - 1, others.shape[0]), replace=False)
        rows[i, 1 : 1 + take.shape[0]] = take
        rows[i, 1 + take.shape[0] :] = chosen_row[i]
        avail[i, 1 + take.shape[0] :] = 0.0
    for j in range(n_alternatives):
        for t, name in enumerate(d.terms):
            cols[f"{name}_{j}"] = d.x[rows[:, j], t]
        cols[f"fixed_{j}"] = d.fixed[rows[:, j]]
        cols[f"av_{j}"] = avail[:, j]
    cols["choice"] = np.zeros(d.n_obs)
    return pd.DataFrame(cols)


def fit_biogeme(
    d: ChoiceData, observations: str = "first", n_alternatives: int = 10, seed: int = 0
) -> Estimates:
    """Biogeme's logit on sampled alternatives (the ``biogeme`` engine; see the module)."""
    from biogeme.biogeme import BIOGEME
    from biogeme.database import Database
    from biogeme.expressions import Beta, Variable
    from biogeme.models import loglogit
    from biogeme.parameters import Parameters

    wide = sampled_wide(d, n_alternatives, np.random.default_rng(seed))
    betas = {t: Beta(f"b_{t}", 0.0, None, None, 0) for t in d.terms}
    util = {
        j: sum((betas[t] * Variable(f"{t}_{j}") for t in d.terms), Variable(f"fixed_{j}"))
        for j in range(n_alternatives)
    }
    av = {j: Variable(f"av_{j}") for j in range(n_alternatives)}
    bio = BIOGEME(
        Database("choices", wide),
        loglogit(util, av, Variable("choice")),
        parameters=Parameters(),
        generate_html=False,
        generate_yaml=False,
        save_iterations=False,
    )
    bio.model_name = "fh_sim_location_choice"
    res = bio.estimate()
    values = res.get_beta_values()
    names = [f"b_{t}" for t in d.terms]
    order = [res.get_parameter_index(n) for n in names]
    cov = np.asarray(res.robust_variance_covariance_matrix)[np.ix_(order, order)]
    null = getattr(res, "initial_log_likelihood", None)  # all coefficients 0 at start
    return Estimates(
        terms=d.terms,
        estimate=np.array([values[n] for n in names]),
        covariance=cov,
        loglik=float(res.final_loglikelihood),
        null_loglik=float(null) if null is not None else math.nan,
        n_obs=d.n_obs,
        n_alternatives=float(n_alternatives),
        engine="biogeme",
        observations=observations,
        converged=bool(res.algorithm_has_converged),
        extra={"sampled_alternatives": n_alternatives, "sampling_seed": seed},
    )


def true_coefficients(rules: Any, terms: list[str]) -> dict[str, float]:
    """The ``coef`` of each term in a rules config (``RulesConfig`` or mapping)."""
    from fh_sim.rules import REGISTRY

    sel = rules.utility if hasattr(rules, "utility") else rules["utility"]
    out = {}
    for t in terms:
        p = REGISTRY.get("utility", t).make_params(sel.get(t), key=f"rules.utility.{t}")
        out[t] = float(p.coef)
    return out
