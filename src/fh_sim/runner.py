"""Run one job: composed config -> validated :class:`SimConfig` -> model -> run folder.

:func:`run_task` is the task function Hydra calls once per run (``fh-sim run``) or per
job of a sweep (``fh-sim sweep``, any launcher). It

1. skips the job if its folder is already complete with the same config hash (resume);
2. writes ``manifest.json`` with ``status: running``;
3. builds the typed config (``OmegaConf.to_object``, which runs the range checks);
4. runs :class:`fh_sim.model.HousingModel` and writes ``outcomes.parquet`` atomically
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
from typing import Any

from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from fh_sim import rundir
from fh_sim.config import SimConfig
from fh_sim.errors import ConfigError, FhSimError

log = logging.getLogger(__name__)


def config_error(err: OmegaConfBaseException) -> ConfigError:
    """Turn an OmegaConf error into a :class:`ConfigError` that names the key."""
    key = getattr(err, "full_key", None) or None
    message = str(getattr(err, "msg", None) or err).strip().splitlines()[0]
    return ConfigError(message, key=key)


def to_sim_config(cfg: DictConfig) -> SimConfig:
    """Build the typed :class:`SimConfig` from a composed config, running every range check.

    Raises:
        ConfigError: a missing mandatory value, a wrong type or an out-of-range value,
            naming the key.
    """
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
        "job_num": hc.job.get("num"),
        "config_hash": chash,
        "git": rundir.git_state(),
        "versions": rundir.package_versions(),
        "python": platform.python_version(),
        "host": platform.node(),
    }


def _parquet_bytes(frame: Any) -> bytes:
    import io

    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return buf.getvalue()


def run_task(cfg: DictConfig) -> dict[str, Any]:
    """Hydra task function: run one job into its run folder (see the module docstring).

    Args:
        cfg: the composed config of the job (without the ``hydra`` node).

    Returns:
        A short summary: ``status`` (``complete`` or ``skipped``), ``run_dir``, ``wall_time_s``.

    Raises:
        FhSimError: a user error (config, data, plugin, unwritable folder); the manifest
            then says ``failed``.
    """
    hc = HydraConfig.get()
    run_dir = Path(hc.runtime.output_dir)
    multirun = hc.mode == RunMode.MULTIRUN
    chash = rundir.config_hash(OmegaConf.to_container(cfg, resolve=True))
    if rundir.is_complete(run_dir, chash):
        log.info("already complete with the same config, skipped: %s", run_dir)
        return {"status": "skipped", "run_dir": str(run_dir), "wall_time_s": 0.0}

    manifest = base_manifest(cfg, chash)
    started = time.perf_counter()
    manifest["started"] = datetime.now(UTC).isoformat(timespec="seconds")
    rundir.remove_stale(run_dir)
    rundir.write_manifest(run_dir, {**manifest, "status": rundir.STATUS_RUNNING})
    try:
        sim_cfg = to_sim_config(cfg)
        from fh_sim.model import HousingModel  # imported late: `fh-sim scenarios` stays fast

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
    )
    rundir.write_manifest(run_dir, manifest)
    log.info("run complete in %.1f s: %s", manifest["wall_time_s"], run_dir)
    return {"status": "complete", "run_dir": str(run_dir), "wall_time_s": manifest["wall_time_s"]}
