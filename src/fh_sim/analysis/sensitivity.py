"""Global sensitivity of horizon outcomes and scenario effects to the uncertain inputs.

A study samples the unit cube of the declared inputs (``conf/uncertainty``) with SALib
(Morris trajectories, Saltelli's scheme for Sobol indices, or a Latin hypercube for the
HDMR metamodel of :mod:`fh_sim.analysis.sensitivity_hdmr`), turns each point into config
values (:func:`fh_sim.config.uncertainty.values_at`), and runs the model in-process once
per point and scenario, on one common seed: the baseline and every scenario see the same
parameter values and random stream, so ``scenario minus baseline`` is an effect on common
seeds and common parameter draws. Runs go to joblib workers; each point's outcomes are
cached as ``points/<scenario>/<row>.json`` in the study folder, so an interrupted study
resumes where it stopped. Analysis reads only the cache.

Outcomes are read in the horizon year at the region and municipality levels; the derived
outcome ``population_growth`` is the change of the population since the base year, %.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from omegaconf import DictConfig, ListConfig, OmegaConf

from fh_sim.analysis import sensitivity_hdmr as hdmr
from fh_sim.config.strict import plain_dict
from fh_sim.config.uncertainty import UncertainInput, check_inputs, values_at, with_values
from fh_sim.errors import FhSimError

log = logging.getLogger(__name__)

METHODS = ("morris", "sobol", "hdmr")
LEVELS = ("region", "municipality")
GROWTH = "population_growth"
DEFAULT_OUTCOMES = (GROWTH, "price_index", "rent_burden", "vacancy_rate", "dissimilarity_income")
MORRIS_LEVELS = 4
SPEC_FILE = "study.json"
POINTS_DIR = "points"

Evaluator = Callable[[DictConfig], dict[str, float]]


@dataclass
class Study:
    """What a sensitivity study computes; saved as ``study.json`` in its folder.

    Attributes:
        method: ``morris`` (screening, ``budget`` trajectories), ``sobol`` (first and
            total order, ``budget`` base samples; ``budget x (inputs + 2)`` points) or
            ``hdmr`` (first order from a metamodel, ``budget`` Latin-hypercube points,
            at least 300; separates the model's noise from the inputs' effects).
        scenarios: the baseline first, then the scenarios whose effects are analysed.
        outcomes: metric names (of the outcome table, or ``population_growth``).
        budget: trajectories (Morris), base sample size N (Sobol; a power of two) or
            points (HDMR).
        seed: the run seed shared by all points and scenarios; also seeds the sampler.
        inputs: names of the uncertain inputs varied (all declared when empty).
        replicates: runs per point and scenario on replicates ``0..R-1`` of ``seed``,
            averaged (damps the random noise that otherwise enters the indices).
        overrides: Hydra overrides applied to every run (scale and end year included).
    """

    method: str = "morris"
    scenarios: list[str] = field(default_factory=lambda: ["baseline"])
    outcomes: list[str] = field(default_factory=lambda: list(DEFAULT_OUTCOMES))
    budget: int = 10
    seed: int = 0
    inputs: list[str] = field(default_factory=list)
    overrides: list[str] = field(default_factory=list)
    replicates: int = 1

    def __post_init__(self) -> None:
        if self.replicates < 1:
            raise FhSimError(f"replicates must be >= 1, got {self.replicates}")
        if self.method not in METHODS:
            raise FhSimError(f"method must be one of {', '.join(METHODS)}, got {self.method!r}")
        if self.budget < 2:
            raise FhSimError(f"budget must be >= 2, got {self.budget}")
        if self.method == "sobol" and self.budget & (self.budget - 1):
            raise FhSimError(f"a Sobol budget must be a power of two, got {self.budget}")
        if self.method == "hdmr" and self.budget < hdmr.MIN_POINTS:
            raise FhSimError(
                f"an HDMR budget must be at least {hdmr.MIN_POINTS} points (SALib's "
                f"minimum for the metamodel's bootstrap), got {self.budget}"
            )
        if not self.scenarios:
            raise FhSimError("give at least the baseline scenario")
        if not self.outcomes:
            raise FhSimError("give at least one outcome")


def compose_run_config(scenario: str, overrides: Sequence[str]) -> DictConfig:
    """The composed config of ``scenario`` with Hydra ``overrides`` (no ``hydra`` node)."""
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from omegaconf.errors import OmegaConfBaseException

    from fh_sim.cli.run_cmd import VERSION_BASE, conf_dir, register_hydra_nodes

    register_hydra_nodes()
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(conf_dir()), version_base=VERSION_BASE):
            return compose("config", overrides=[f"scenario={scenario}", *overrides])
    except (OmegaConfBaseException, Exception) as err:
        if isinstance(err, FhSimError):
            raise
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise FhSimError(f"cannot compose the config of scenario '{scenario}': {first}") from err


def horizon_outcomes(table: pd.DataFrame, outcomes: Sequence[str]) -> dict[str, float]:
    """``metric|level|unit`` -> value in the last year, for the region and municipalities.

    ``population_growth`` is ``100 x (population(horizon) / population(first year) - 1)``.
    """
    sel = table[table["level"].isin(LEVELS)]
    first, last = int(sel["year"].min()), int(sel["year"].max())
    out: dict[str, float] = {}
    at_end = sel[sel["year"] == last]
    for metric in outcomes:
        if metric == GROWTH:
            pop = sel[sel["metric"] == "population"]
            start = pop[pop["year"] == first].set_index(["level", "unit"])["value"]
            end = pop[pop["year"] == last].set_index(["level", "unit"])["value"]
            rows = (100.0 * (end / start - 1.0)).dropna()
        else:
            rows = at_end[at_end["metric"] == metric].set_index(["level", "unit"])["value"]
            if rows.empty:
                known = sorted(set(table["metric"]) | {GROWTH})
                raise FhSimError(f"unknown outcome '{metric}'; known: {', '.join(known)}")
        for (level, unit), value in rows.items():
            out[f"{metric}|{level}|{unit}"] = float(value)
    return out


_REGIONS: dict[str, Any] = {}  # data_dir -> loaded region, per worker process


def run_model(cfg: DictConfig, outcomes: Sequence[str]) -> dict[str, float]:
    """Build the model from a composed config, run it, read the horizon outcomes.

    The region's data are loaded once per process (no uncertain input changes them).
    """
    from fh_sim.region import load_region
    from fh_sim.runs.runner import to_sim_config
    from fh_sim.sim.model import HousingModel

    sim_cfg = to_sim_config(cfg)
    data_dir = str(sim_cfg.region.data_dir)
    if data_dir not in _REGIONS:
        _REGIONS[data_dir] = load_region(sim_cfg.region.data_dir)
    model = HousingModel(sim_cfg, region=_REGIONS[data_dir])
    return horizon_outcomes(model.run(progress=False), outcomes)


def sample_unit(study: Study, names: Sequence[str]) -> np.ndarray:
    """The study's points in the unit cube, one row per point, one column per input."""
    problem = unit_problem(names)
    if study.method == "hdmr":
        return hdmr.sample(names, study.budget, study.seed)
    if study.method == "morris":
        from SALib.sample import morris

        return morris.sample(problem, study.budget, num_levels=MORRIS_LEVELS, seed=study.seed)
    from SALib.sample import sobol

    return sobol.sample(problem, study.budget, calc_second_order=False, seed=study.seed)


def unit_problem(names: Sequence[str]) -> dict[str, Any]:
    """SALib's problem over the unit cube of ``names``."""
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def _point_path(out_dir: Path, scenario: str, row: int) -> Path:
    return out_dir / POINTS_DIR / scenario / f"{row:06d}.json"


_BASES: dict[tuple[str, tuple[str, ...]], DictConfig] = {}  # per worker process


def _base_config(scenario: str, overrides: tuple[str, ...]) -> DictConfig:
    """The composed config of a scenario, composed once per process."""
    key = (scenario, overrides)
    if key not in _BASES:
        _BASES[key] = compose_run_config(scenario, overrides)
    return _BASES[key]


_INPUTS: dict[tuple[str, tuple[str, ...], tuple[str, ...]], dict[str, UncertainInput]] = {}


@contextmanager
def _applied(cfg: DictConfig, values: dict[str, Any]) -> Iterator[DictConfig]:
    """``cfg`` with ``values`` set in place, restored on exit (copying it costs 0.1 s)."""
    saved = {}
    for key in values:
        old = OmegaConf.select(cfg, key)
        saved[key] = OmegaConf.to_container(old) if isinstance(old, ListConfig) else old
    try:
        for key, value in values.items():
            OmegaConf.update(cfg, key, value, merge=False)
        yield cfg
    finally:
        for key, value in saved.items():
            OmegaConf.update(cfg, key, value, merge=False)


def _evaluate_point(
    scenario: str,
    overrides: tuple[str, ...],
    names: list[str],
    unit: list[float],
    outcomes: list[str],
    path: str,
    evaluate: Evaluator | None,
    replicates: int = 1,
) -> None:
    """Run one point (mean over its replicates); write its outcomes atomically."""
    base = _base_config(scenario, overrides)
    key = (scenario, overrides, tuple(names))
    if key not in _INPUTS:
        _INPUTS[key] = check_inputs(base, names)
    runs = []
    with _applied(base, values_at(base, _INPUTS[key], unit)) as cfg:
        for rep in range(replicates):
            with _applied(cfg, {"replicate": rep} if replicates > 1 else {}) as one:
                runs.append((evaluate or (lambda c: run_model(c, outcomes)))(one))
    result = {k: float(np.mean([r[k] for r in runs])) for k in runs[0]}
    tmp = Path(path + ".tmp")
    tmp.write_text(json.dumps(result, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def _check_folder(out_dir: Path, study: Study) -> None:
    spec = out_dir / SPEC_FILE
    mine = asdict(study)
    if spec.is_file():
        old = asdict(Study(**json.loads(spec.read_text(encoding="utf-8"))))
        if old != mine:
            diff = sorted(k for k in mine if old.get(k) != mine[k])
            raise FhSimError(
                "the folder holds a different study (differs in "
                + ", ".join(diff)
                + "); choose another out=",
                where=str(out_dir),
            )
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    spec.write_text(json.dumps(mine, indent=2), encoding="utf-8")


def run_study(
    study: Study, out_dir: Path, *, jobs: int = 1, evaluate: Evaluator | None = None
) -> pd.DataFrame:
    """Sample, run every missing point (in parallel), and return the points table.

    Args:
        study: what to compute.
        out_dir: the study folder (created; re-used to resume the same study).
        jobs: joblib workers (processes); 1 runs in this process.
        evaluate: composed config -> outcomes (None: run the model). Tests pass an
            analytic function to check the path from sample to indices.

    Returns:
        One row per point and scenario: ``scenario, row``, the unit coordinates
        ``u:<input>``, and one column per outcome key ``metric|level|unit``.

    Raises:
        FhSimError: a bad study, config or folder.
    """
    from joblib import Parallel, delayed

    overrides = (f"seed={study.seed}", *study.overrides)
    for scen in study.scenarios:  # fail early, in this process, on a bad scenario
        _base_config(scen, overrides)
    inputs = check_inputs(_base_config(study.scenarios[0], overrides), study.inputs or None)
    names = list(inputs)
    if len(names) < 2:
        raise FhSimError("a sensitivity study needs at least two uncertain inputs")
    if study.method == "hdmr" and study.budget < hdmr.min_points(len(names)):
        raise FhSimError(
            f"an HDMR budget for {len(names)} inputs must be at least "
            f"{hdmr.min_points(len(names))} points (16 per input), got {study.budget}; "
            "raise budget= or name fewer inputs="
        )
    _check_folder(out_dir, study)
    unit = sample_unit(study, names)
    pd.DataFrame(unit, columns=names).to_parquet(out_dir / "samples.parquet")
    tasks = []
    for row, point in enumerate(unit):  # point by point: all scenarios of a point together
        for scen in study.scenarios:
            (out_dir / POINTS_DIR / scen).mkdir(parents=True, exist_ok=True)
            path = _point_path(out_dir, scen, row)
            if not path.is_file():
                tasks.append(
                    delayed(_evaluate_point)(
                        scen,
                        overrides,
                        names,
                        point.tolist(),
                        study.outcomes,
                        str(path),
                        evaluate,
                        study.replicates,
                    )
                )
    total = len(unit) * len(study.scenarios)
    log.info(
        "%s study: %d inputs, %d points x %d scenario(s) = %d runs, %d to run in %s",
        study.method,
        len(names),
        len(unit),
        len(study.scenarios),
        total,
        len(tasks),
        out_dir,
    )
    if tasks:
        from tqdm import tqdm

        runs = Parallel(n_jobs=jobs, batch_size=1, return_as="generator")(tasks)
        for _ in tqdm(
            runs,
            total=len(tasks),
            desc=f"{study.method} runs",
            unit="run",
            mininterval=5.0,
            disable=len(tasks) < 20,
        ):
            pass
    return read_points(out_dir)


def read_points(out_dir: Path) -> pd.DataFrame:
    """The cached outcomes of a study folder (see :func:`run_study`).

    Raises:
        FhSimError: no study in the folder, or points missing (the study did not finish).
    """
    spec = out_dir / SPEC_FILE
    if not spec.is_file():
        raise FhSimError(f"no {SPEC_FILE}: not a sensitivity study folder", where=str(out_dir))
    study = Study(**json.loads(spec.read_text(encoding="utf-8")))
    unit = pd.read_parquet(out_dir / "samples.parquet")
    parts = []
    for scen in study.scenarios:
        rows = []
        for row in range(len(unit)):
            path = _point_path(out_dir, scen, row)
            if not path.is_file():
                raise FhSimError(
                    f"point {row} of scenario '{scen}' is missing; re-run the "
                    "same command to finish the study",
                    where=str(out_dir),
                )
            rows.append(json.loads(path.read_text(encoding="utf-8")))
        values = pd.DataFrame(rows)
        head = unit.add_prefix("u:").assign(scenario=scen, row=np.arange(len(unit)))
        parts.append(pd.concat([head, values], axis=1))
    return pd.concat(parts, ignore_index=True)


def load_study(out_dir: Path) -> tuple[Study, dict[str, UncertainInput]]:
    """The study of a folder and its inputs as declared when it ran."""
    study = Study(**json.loads((out_dir / SPEC_FILE).read_text(encoding="utf-8")))
    base = compose_run_config(study.scenarios[0], [f"seed={study.seed}", *study.overrides])
    return study, check_inputs(base, study.inputs or None)


def targets(points: pd.DataFrame, study: Study) -> dict[tuple[str, str], pd.DataFrame]:
    """(target, scenario) -> outcome matrix in row order.

    ``("level", baseline)`` holds the baseline's outcomes; ``("effect", s)`` holds
    scenario ``s`` minus the baseline on the same points.
    """
    keys = [c for c in points.columns if "|" in c]
    by = {
        s: g.sort_values("row")[keys].reset_index(drop=True) for s, g in points.groupby("scenario")
    }
    base = study.scenarios[0]
    out = {("level", base): by[base]}
    for scen in study.scenarios[1:]:
        out[("effect", scen)] = by[scen] - by[base]
    return out


def _analyse_one(study: Study, names: list[str], unit: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    problem = unit_problem(names)
    if study.method == "hdmr":
        return hdmr.analyse(names, unit, y, study.seed)
    if np.allclose(y, y[0]):  # a constant outcome: every index is zero
        zeros = np.zeros(len(names))
        cols = (
            ("mu_star", "mu_star_conf", "sigma", "mu")
            if study.method == "morris"
            else ("S1", "S1_conf", "ST", "ST_conf")
        )
        return pd.DataFrame({"input": names, **{c: zeros for c in cols}})
    if study.method == "morris":
        from SALib.analyze import morris

        res = morris.analyze(problem, unit, y, num_levels=MORRIS_LEVELS, seed=study.seed)
        return pd.DataFrame(
            {
                "input": names,
                "mu_star": res["mu_star"],
                "mu_star_conf": res["mu_star_conf"],
                "sigma": res["sigma"],
                "mu": res["mu"],
            }
        )
    from SALib.analyze import sobol

    res = sobol.analyze(
        problem,
        y,
        calc_second_order=False,
        conf_level=0.95,
        seed=study.seed,
        print_to_console=False,
    )
    return pd.DataFrame(
        {
            "input": names,
            "S1": res["S1"],
            "S1_conf": res["S1_conf"],
            "ST": res["ST"],
            "ST_conf": res["ST_conf"],
        }
    )


def analyse(out_dir: Path, points: pd.DataFrame | None = None) -> pd.DataFrame:
    """Sensitivity indices of every outcome and effect of a finished study.

    Returns:
        Tidy rows ``target, scenario, metric, level, unit, input, <indices>, std,
        rank``: ``target`` is ``level`` (the baseline's outcome) or ``effect``
        (scenario minus baseline); indices are Morris ``mu_star, mu_star_conf, sigma,
        mu`` (in the outcome's unit) or Sobol ``S1, S1_conf, ST, ST_conf`` (shares of
        variance; ``_conf`` = half-width of the 95 % bootstrap interval); HDMR adds
        ``explained, unexplained, r2_fit`` per outcome (see
        :func:`fh_sim.analysis.sensitivity_hdmr.analyse`); ``std`` is the
        outcome's standard deviation over the points; ``rank`` 1 = most influential
        (by ``mu_star`` or ``ST``).
    """
    points = read_points(out_dir) if points is None else points
    study = Study(**json.loads((out_dir / SPEC_FILE).read_text(encoding="utf-8")))
    names = [c[2:] for c in points.columns if c.startswith("u:")]
    base = points[points["scenario"] == study.scenarios[0]].sort_values("row")
    unit = base[[f"u:{n}" for n in names]].to_numpy()
    key = "mu_star" if study.method == "morris" else "ST"
    parts = []
    for (target, scen), ys in targets(points, study).items():
        for col in ys.columns:
            y = ys[col].to_numpy(dtype=float)
            if not np.isfinite(y).all():
                log.warning("outcome %s of %s has missing values; left out", col, scen)
                continue
            metric, level, unit_name = col.split("|")
            res = _analyse_one(study, names, unit, y)
            res["rank"] = res[key].rank(ascending=False, method="first").astype(int)
            parts.append(
                res.assign(
                    target=target,
                    scenario=scen,
                    metric=metric,
                    level=level,
                    unit=unit_name,
                    std=float(np.std(y)),
                )
            )
    table = pd.concat(parts, ignore_index=True)
    first = ["target", "scenario", "metric", "level", "unit", "input"]
    table = table[first + [c for c in table.columns if c not in first]]
    table.attrs["n_points"] = len(unit)
    return table


def default_out_dir(study: Study, scale: float) -> Path:
    """``outputs/sensitivity/<method>_<scenarios>_b<budget>_s<scale>`` under FH_SIM_OUTPUTS."""
    root = Path(os.environ.get("FH_SIM_OUTPUTS") or Path.cwd() / "outputs")
    scen = "+".join(study.scenarios[1:]) or study.scenarios[0]
    return root / "sensitivity" / f"{study.method}_{scen}_b{study.budget}_s{scale:g}"


def config_for_point(out_dir: Path, scenario: str, row: int) -> DictConfig:
    """The composed config of one point of a study (to re-run it as a single run)."""
    study, inputs = load_study(out_dir)
    base = compose_run_config(scenario, [f"seed={study.seed}", *study.overrides])
    unit = pd.read_parquet(out_dir / "samples.parquet").to_numpy()[row]
    return with_values(base, values_at(base, inputs, unit))


def as_plain(cfg: DictConfig) -> dict[str, Any]:
    """A composed config as plain containers (for tests and manifests)."""
    return plain_dict(cfg)
