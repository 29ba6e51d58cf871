"""``fh-sim estimate``: fit the location-choice coefficients to a choices table.

Reads ``choices.parquet`` (a run with ``record_choices=true``, or its run folder) and
writes into ``--out``: ``estimates.csv`` (term, estimate, robust standard error, t, and
the run's true coefficient when the run folder's rules are known), ``fit.json``
(log-likelihood, rho-square, observations) and ``rules.yaml`` (the estimates in the
format of ``conf/rules/``). Engines and observations: :mod:`fh_sim.calibrate.estimation`.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

import pandas as pd

from fh_sim.calibrate import estimation
from fh_sim.errors import DataError
from fh_sim.runs.rundir import write_atomic

logger = logging.getLogger(__name__)


def _read(path: Path) -> pd.DataFrame:
    file = path / "choices.parquet" if path.is_dir() else path
    if not file.exists():
        raise DataError("no such file (run with record_choices=true to write it)", file=str(file))
    try:
        return pd.read_parquet(file)
    except Exception as err:  # pyarrow raises several types for a broken file
        raise DataError(f"not a readable parquet file ({err})", file=str(file)) from err


def main(argv: list[str], *, command: str = "estimate", debug: bool = False) -> int:
    """Estimate, print the table and write the three output files."""
    parser = argparse.ArgumentParser(
        prog=f"fh-sim {command}",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("choices", help="choices.parquet, or a run folder that holds one")
    parser.add_argument("--out", default=".", help="folder for the outputs (default: .)")
    parser.add_argument(
        "--observations",
        choices=estimation.OBSERVATIONS,
        default="first",
        help="first choices (preferences, default) or placed choices",
    )
    parser.add_argument(
        "--engine",
        choices=("full", "biogeme"),
        default="full",
        help="full: full choice sets (default); biogeme: Biogeme on "
        "sampled alternatives (slow: it compiles the model)",
    )
    parser.add_argument(
        "--alternatives",
        type=int,
        default=10,
        help="alternatives per choice for the biogeme engine (default 10)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the sampling (biogeme)")
    args = parser.parse_args(argv)
    if args.alternatives < 2:
        parser.error("--alternatives must be >= 2")
    path = Path(args.choices)
    frame = _read(path)
    data = estimation.choice_data(frame, args.observations, source=str(path))
    if args.engine == "full":
        est = estimation.fit_full(data, args.observations)
    else:
        est = estimation.fit_biogeme(data, args.observations, args.alternatives, args.seed)
    true = _true_coefficients(path, data.terms)
    table = est.table(true)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_atomic(out / "estimates.csv", table.to_csv(index=False).encode("utf-8"))
    write_atomic(
        out / "fit.json", (json.dumps(est.fit(), indent=2, default=float) + "\n").encode("utf-8")
    )
    write_atomic(out / "rules.yaml", est.rules_yaml().encode("utf-8"))
    print(table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    fit = est.fit()
    print(
        f"\n{fit['n_obs']} choices ({args.observations}), {fit['mean_alternatives']} "
        f"alternatives each on average; log-likelihood {est.loglik:.1f}, rho-square "
        f"{est.rho_square:.3f}"
    )
    if true is not None:
        chi2, dof, p = est.wald(true)
        print(f"Wald test of the run's coefficients: chi2({dof}) = {chi2:.2f}, p = {p:.3f}")
    logger.info("wrote estimates.csv, fit.json and rules.yaml to %s", out)
    return 0


def _true_coefficients(path: Path, terms: list[str]) -> dict[str, float] | None:
    """The coefficients of the run that wrote the table, when its folder says them."""
    folder = path if path.is_dir() else path.parent
    cfg_file = folder / ".hydra" / "config.yaml"
    if not cfg_file.exists():
        return None
    from omegaconf import OmegaConf

    try:
        rules = OmegaConf.to_container(OmegaConf.load(cfg_file).rules, resolve=True)
        return estimation.true_coefficients(rules, terms)
    except Exception:  # another layout or a plugin term: report estimates only
        return None
