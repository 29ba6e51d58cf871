"""Run one job: composed config -> validated :class:`SimConfig` -> model -> run folder.

:func:`run_task` is the task function Hydra calls once per run (``fh-sim run``) or per
job of a sweep (``fh-sim sweep``, any launcher). It

1. locks the run folder (one writer) and skips the job if the folder is already complete
   with the same identity (config, region data, plugins, code; see
   :mod:`fh_sim.runs.identity`) and its results pass their checksums (resume);
2. writes ``manifest.json`` with ``status: running``;
3. builds the typed config (``OmegaConf.to_object``, which runs the range checks);
4. runs :class:`fh_sim.sim.model.HousingModel` and writes ``outcomes.parquet`` atomically
   (and, for a single run, ``population.png``);
5. writes the manifest with ``status: complete`` last, or ``status: failed`` and the
   error if anything went wrong (the error is then raised again for the command line).
"""

from __future__ import annotations

import logging
import math
import platform
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from fh_sim.config import SimConfig
from fh_sim.config.strict import plain_dict
from fh_sim.errors import ConfigError, FhSimError
from fh_sim.runs import rundir
from fh_sim.runs.identity import run_identity

log = logging.getLogger(__name__)


def config_error(err: OmegaConfBaseException) -> ConfigError:
    """Turn an OmegaConf error into a :class:`ConfigError` that names the key."""
    key = getattr(err, "full_key", None) or None
    message = str(getattr(err, "msg", None) or err).strip().splitlines()[0]
    return ConfigError(message, key=key)


def non_finite_key(node: Any, prefix: str = "") -> tuple[str, float] | None:
    """The first key (dotted, list items as ``[i]``) whose value is NaN or infinite."""
    if isinstance(node, dict):
        items = ((f"{prefix}.{k}" if prefix else str(k), v) for k, v in node.items())
    elif isinstance(node, list):
        items = ((f"{prefix}[{i}]", v) for i, v in enumerate(node))
    elif isinstance(node, float) and not math.isfinite(node):
        return prefix, node
    else:
        return None
    for key, value in items:
        found = non_finite_key(value, key)
        if found is not None:
            return found
    return None


def check_finite(cfg: DictConfig) -> None:
    """Refuse NaN and infinities for every number of the config.

    Comparisons with NaN are all false, so range checks alone let them through.

    Raises:
        ConfigError: naming the first such key.
    """
    try:
        tree = OmegaConf.to_container(cfg, resolve=True)
    except OmegaConfBaseException as err:
        raise config_error(err) from err
    found = non_finite_key(tree)
    if found is not None:
        raise ConfigError(f"must be a finite number, got {found[1]}", key=found[0])


def check_scenario_file(cfg: DictConfig, choice: str | None) -> None:
    """A scenario file chosen by name must set its own ``name``.

    An empty or nameless file would otherwise run as the baseline under the file's name.

    Raises:
        ConfigError: the chosen scenario file leaves ``scenario.name`` at ``baseline``.
    """
    name = OmegaConf.select(cfg, "scenario.name")
    if choice and choice not in ("baseline", "base") and name == "baseline":
        raise ConfigError(
            f"scenario file 'scenario/{choice}.yaml' sets no name and no interventions of "
            "its own (is it empty?); start it with 'defaults: [base, _self_]' and "
            f"'name: {choice}'",
            key="scenario.name",
        )


def to_sim_config(cfg: DictConfig) -> SimConfig:
    """Build the typed :class:`SimConfig` from a composed config, running every range check.

    With ``params_draw`` set, that draw of the declared uncertain inputs is applied first.

    Raises:
        ConfigError: a missing mandatory value, a wrong type, NaN or infinity, or an
            out-of-range value, naming the key.
    """
    from fh_sim.config.strict import known_keys_check
    from fh_sim.config.uncertainty import apply_params_draw

    known_keys_check(cfg)  # `+scal=0.1` would otherwise be dropped silently
    cfg = apply_params_draw(cfg)
    check_finite(cfg)
    try:
        sim_cfg = OmegaConf.to_object(cfg)
    except OmegaConfBaseException as err:
        cause = err.__cause__
        if isinstance(cause, FhSimError):
            raise cause from err
        raise config_error(err) from err
    if not isinstance(sim_cfg, SimConfig):
        raise ConfigError("the composed config is not a SimConfig (start from `sim_schema`)")
    return sim_cfg


def _n_households(model: Any, outcomes: Any) -> int | None:
    """Number of simulated households at the start, from the model or the outcome table."""
    for attr in ("n_households_start", "n_households"):
        value = getattr(model, attr, None)
        if isinstance(value, int | float) and not math.isnan(value):
            return int(value)
    try:
        rows = outcomes[(outcomes["level"] == "region") & (outcomes["metric"] == "households")]
        return int(rows.sort_values("year")["value"].iloc[0]) if len(rows) else None
    except (KeyError, TypeError, ValueError):
        return None


def base_manifest(cfg: DictConfig, chash: str) -> dict[str, Any]:
    """What is needed to rerun: seed, replicate, scenario, code and package versions."""
    hc = HydraConfig.get()
    choices = dict(hc.runtime.choices)
    return {
        "seed": cfg.get("seed"),
        "replicate": cfg.get("replicate"),
        "scale": cfg.get("scale"),
        "end_year": cfg.get("end_year"),
        "scenario": OmegaConf.select(cfg, "scenario.name"),
        "experiment": choices.get("experiment"),
        "choices": {k: v for k, v in choices.items() if not k.startswith("hydra/")},
        "overrides": list(hc.overrides.task),
        # the node is a DictConfig at run time: get() gives None for an unset job number
        "job_num": cast(DictConfig, hc.job).get("num"),
        "config_hash": chash,
        "git": rundir.git_state(),
        "versions": rundir.package_versions(),
        "python": platform.python_version(),
        "host": platform.node(),
    }


# Results whose checksums the manifest records (``.hydra/`` is rewritten by every start).
CHECKED_FILES = (rundir.OUTCOMES, "population.png")


def _hydra_files(run_dir: Path) -> dict[str, bytes]:
    """The ``.hydra/`` files Hydra wrote for this job, to restore at the end.

    A second process started into the same folder may overwrite them before the lock
    stops it.
    """
    folder = run_dir / ".hydra"
    if not folder.is_dir():
        return {}
    return {f".hydra/{p.name}": p.read_bytes() for p in sorted(folder.glob("*.yaml"))}


def _why_rerun(run_dir: Path, ident: dict[str, Any]) -> str | None:
    """Why a folder marked complete is run again (None: it is not marked complete)."""
    old = rundir.read_manifest(run_dir)
    if old is None or old.get("status") != rundir.STATUS_COMPLETE:
        return None
    changed = [k for k in ident if k != "identity" and old.get(k) != ident[k]]
    if changed:
        verb = "differs" if len(changed) == 1 else "differ"
        return f"its {', '.join(changed)} {verb} from this run's"
    bad = rundir.failed_checksums(run_dir, old)
    if bad:
        return f"its files failed their recorded checksums ({', '.join(bad)})"
    return "its outcome table is missing"


def _parquet_bytes(frame: Any) -> bytes:
    import io

    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return buf.getvalue()


def run_task(cfg: DictConfig) -> dict[str, Any]:
    """Hydra task function: run one job into its run folder (see the module docstring).

    The folder is locked for the whole job (one writer per folder). A folder that is
    complete with the same identity (config, region data, plugins, code; see
    :mod:`fh_sim.runs.identity`) and whose files pass their checksums is skipped;
    anything else is run again.

    Args:
        cfg: the composed config of the job (without the ``hydra`` node).

    Returns:
        A short summary: ``status`` (``complete`` or ``skipped``), ``run_dir``, ``wall_time_s``.

    Raises:
        FhSimError: a user error (config, data, plugin, unwritable folder, a folder
            another process is writing); the manifest then says ``failed``, except for
            a locked folder, which is left to its writer.
    """
    hc = HydraConfig.get()
    run_dir = Path(hc.runtime.output_dir)
    with rundir.RunFolderLock(run_dir):
        return _run_locked(cfg, hc, run_dir)


def _run_locked(cfg: DictConfig, hc: Any, run_dir: Path) -> dict[str, Any]:
    multirun = hc.mode == RunMode.MULTIRUN
    hydra_files = _hydra_files(run_dir)
    container = plain_dict(cfg)
    chash = rundir.config_hash(container)
    ident = run_identity(container, chash)
    if rundir.is_complete(run_dir, identity=ident["identity"]):
        log.info("already complete with the same config, skipped (same data and code): %s", run_dir)
        return {"status": "skipped", "run_dir": str(run_dir), "wall_time_s": 0.0}
    why = _why_rerun(run_dir, ident)
    if why is not None:
        log.warning("run folder %s was complete but %s: running it again", run_dir, why)

    manifest = {**base_manifest(cfg, chash), **ident}
    started = time.perf_counter()
    manifest["started"] = datetime.now(UTC).isoformat(timespec="seconds")
    rundir.remove_stale(run_dir)
    (run_dir / "population.png").unlink(missing_ok=True)
    rundir.write_manifest(run_dir, {**manifest, "status": rundir.STATUS_RUNNING})
    try:
        check_scenario_file(cfg, hc.runtime.choices.get("scenario"))
        sim_cfg = to_sim_config(cfg)
        from fh_sim.sim.model import HousingModel  # imported late: `fh-sim scenarios` stays fast

        model = HousingModel(sim_cfg)
        outcomes = model.run(progress=not multirun)
        if sim_cfg.record_choices:
            rundir.write_atomic(run_dir / rundir.CHOICES, _parquet_bytes(model.choices()))
        rundir.write_outcomes(run_dir, outcomes)
        if not multirun:
            from fh_sim.analysis.run_plot import write_population_plot

            write_population_plot(
                outcomes,
                str(run_dir / "population.png"),
                title=f"{sim_cfg.scenario.name}, seed {sim_cfg.seed}, scale {sim_cfg.scale:g}",
            )
        for name, data in hydra_files.items():
            if (run_dir / name).read_bytes() != data:
                log.warning("%s was overwritten during the run; restored", run_dir / name)
                rundir.write_atomic(run_dir / name, data)
    except BaseException as err:
        manifest.update(
            status=rundir.STATUS_FAILED,
            error=f"{type(err).__name__}: {err}",
            wall_time_s=round(time.perf_counter() - started, 3),
        )
        try:
            rundir.write_manifest(run_dir, manifest)
        except FhSimError:
            log.warning("could not record the failure in %s", run_dir)
        raise
    manifest.update(
        status=rundir.STATUS_COMPLETE,
        wall_time_s=round(time.perf_counter() - started, 3),
        finished=datetime.now(UTC).isoformat(timespec="seconds"),
        n_households=_n_households(model, outcomes),
        n_outcome_rows=len(outcomes),
        checksums=rundir.checksums(run_dir, list(CHECKED_FILES)),
    )
    rundir.write_manifest(run_dir, manifest)
    log.info("run complete in %.1f s: %s", manifest["wall_time_s"], run_dir)
    return {"status": "complete", "run_dir": str(run_dir), "wall_time_s": manifest["wall_time_s"]}
