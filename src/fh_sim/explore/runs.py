"""Run a scenario over seeds in parallel, the baseline cached, and compare on common seeds.

A run is :class:`fh_sim.sim.model.HousingModel` on one ``(seed, replicate)``. Runs go to a
process pool over the machine's cores; each outcome table is cached in memory under the
hash of its whole config (scale, horizon, seed, replicate, region, assumptions, rules and
the scenario's interventions; not its name), so the baseline on the same seeds is run
once and then read from the cache, and a scenario identical to the baseline is not rerun.
Comparison uses :mod:`fh_sim.analysis.aggregate`, as ``fh-sim compare`` does.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pandas as pd

from fh_sim.analysis import labels
from fh_sim.analysis.aggregate import (
    add_cumulative,
    difference_summary,
    pair_seeds,
    summarise,
)
from fh_sim.errors import ConfigError, FhSimError

BASELINE = "baseline"
CACHE_SIZE = 128  # outcome tables kept (one per run; ~30k rows each at any scale)


@dataclass(frozen=True)
class RunSpec:
    """Scale, horizon and seeds of a comparison.

    Attributes:
        scale: fraction of the real households simulated (0-1].
        end_year: last simulated year.
        n_seeds: replicates 0..n_seeds-1 of root seed ``seed``.
        seed: root seed.
    """

    scale: float = 0.1
    end_year: int = 2040
    n_seeds: int = 3
    seed: int = 0


@dataclass
class Outcome:
    """A comparison ready to view: levels and differences on common seeds.

    Attributes:
        table: tidy outcomes of every run plus ``scenario, seed, replicate, run_dir``.
        levels: ``summarise`` output (mean, q05, q95 across seeds).
        diffs: ``difference_summary`` output (scenario minus baseline, common seeds).
        baseline: the baseline's label.
        scenarios: the compared scenarios' labels (baseline excluded).
        year: the horizon year.
        link_edits: scenario label -> its ``link_edits`` (dicts), for the map.
        seconds: wall time of the computation (s).
        runs_done: runs simulated; runs_cached: runs read from the cache.
    """

    table: pd.DataFrame
    levels: pd.DataFrame
    diffs: pd.DataFrame
    baseline: str
    scenarios: list[str]
    year: int
    link_edits: dict[str, dict[str, Any]] = field(default_factory=dict)
    seconds: float = 0.0
    runs_done: int = 0
    runs_cached: int = 0


_base_configs: dict[RunSpec, Any] = {}


def build_config(scenario: dict[str, Any], spec: RunSpec, region: Any) -> Any:
    """The typed run config for ``scenario`` at ``spec``, checked as ``fh-sim run`` checks it.

    Raises:
        FhSimError: a bad type or range (naming the key) or a bad intervention (naming
            the scenario and the intervention); the CLI's messages.
    """
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    from fh_sim.explore.scenario_form import compose
    from fh_sim.runs.runner import config_error, to_sim_config
    from fh_sim.scenarios.levers import validate_scenario

    if spec.n_seeds < 1:
        raise ConfigError(f"seeds must be >= 1, got {spec.n_seeds}", key="seeds")
    if spec not in _base_configs:
        _base_configs[spec] = compose(
            [f"scale={spec.scale}", f"end_year={spec.end_year}", f"seed={spec.seed}"]
        )
    cfg = _base_configs[spec].copy()
    try:
        from fh_sim.config.scenario import ScenarioConfig

        cfg.scenario = OmegaConf.merge(OmegaConf.structured(ScenarioConfig), scenario)
    except OmegaConfBaseException as err:
        raise config_error(err) from err
    sim = to_sim_config(cfg)
    validate_scenario(sim.scenario, region, base_year=sim.region.base_year)
    return sim


def run_key(sim: Any) -> str:
    """Cache key of one run: the hash of its config without the scenario's name."""
    from fh_sim.runs.rundir import config_hash

    body = dataclasses.asdict(sim)
    body["scenario"] = {
        k: v for k, v in body["scenario"].items() if k not in ("name", "description")
    }
    return config_hash(body)


_worker_regions: dict[str, Any] = {}


def run_one(sim: Any) -> pd.DataFrame:
    """Simulate one run (in a worker process); the region is loaded once per process."""
    from fh_sim.region import load_region
    from fh_sim.sim.model import HousingModel

    data_dir = sim.region.data_dir
    if data_dir not in _worker_regions:
        _worker_regions[data_dir] = load_region(data_dir)
    return HousingModel(sim, region=_worker_regions[data_dir]).run()


def _ignore_interrupt() -> None:
    """Workers leave Ctrl-C to the server, which shuts them down."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _warm() -> int:
    """Import the model in a worker so the first Run does not pay for it."""
    import fh_sim.sim.model  # noqa: F401

    return os.getpid()


class Runner:
    """A process pool and an in-memory cache of outcome tables.

    Args:
        workers: processes (default: the machine's cores, at most 2 per explorer).
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or max(1, min(2, os.cpu_count() or 1))
        self._pool: ProcessPoolExecutor | None = None
        self._cache: OrderedDict[str, pd.DataFrame] = OrderedDict()
        self._lock = threading.Lock()
        self._pending: dict[str, Future] = {}

    def pool(self) -> ProcessPoolExecutor:
        """The process pool, started (and warmed) on first use (call with the lock held)."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=get_context("spawn"), initializer=_ignore_interrupt
            )
            for _ in range(self.workers):
                self._pool.submit(_warm)
        return self._pool

    def close(self) -> None:
        """Stop the worker processes."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def cached(self, sim: Any) -> pd.DataFrame | None:
        """The cached outcomes of ``sim`` or None."""
        return self._cache.get(run_key(sim))

    def run_many(
        self, sims: list[Any], progress: Callable[[int, int], None] | None = None
    ) -> tuple[list, int]:
        """Outcome tables of ``sims`` (cached ones read, others run in parallel).

        Returns:
            The tables in the order of ``sims`` and the number of runs read from the cache.
        """
        keys = [run_key(s) for s in sims]
        out: list[pd.DataFrame | None] = [self._cache.get(k) for k in keys]
        todo = [i for i, t in enumerate(out) if t is None]
        done = len(sims) - len(todo)
        if progress:
            progress(done, len(sims))
        futures: dict[Future, int] = {}
        with self._lock:
            for i in todo:  # a run already under way (e.g. the start-up baseline) is shared
                if keys[i] not in self._pending:
                    self._pending[keys[i]] = self.pool().submit(run_one, sims[i])
                futures[self._pending[keys[i]]] = i
        for fut in as_completed(futures):
            i = futures[fut]
            with self._lock:
                self._pending.pop(keys[i], None)
            out[i] = fut.result()
            self._cache[keys[i]] = out[i]
            self._cache.move_to_end(keys[i])
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
            done += 1
            if progress:
                progress(done, len(sims))
        return out, len(sims) - len(todo)


def _tidy(tables: list[pd.DataFrame], label: str, sims: list[Any]) -> pd.DataFrame:
    parts = []
    for t, s in zip(tables, sims, strict=True):
        parts.append(
            t.assign(
                scenario=label,
                seed=s.seed,
                replicate=s.replicate,
                run_dir=f"{label}/seed{s.seed}_rep{s.replicate}",
            )
        )
    return pd.concat(parts, ignore_index=True)


def compare_tables(
    table: pd.DataFrame, *, baseline: str, year: int, link_edits: dict[str, dict[str, Any]]
) -> Outcome:
    """Levels and paired differences of a tidy table of runs (as ``fh-sim compare``)."""
    runs = table.drop_duplicates("run_dir")[["scenario", "seed", "replicate", "run_dir"]]
    table = add_cumulative(table, labels.CUMULATIVE)
    pairing = pair_seeds(runs, baseline=baseline)
    scenarios = [s for s in dict.fromkeys(runs["scenario"]) if s != baseline]
    return Outcome(
        table=table,
        levels=summarise(table),
        diffs=difference_summary(table, pairing),
        baseline=baseline,
        scenarios=scenarios,
        year=year,
        link_edits=link_edits,
    )


def run_comparison(
    runner: Runner,
    scenario: dict[str, Any],
    spec: RunSpec,
    region: Any,
    progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    """Run ``scenario`` and the baseline on the seeds of ``spec``; compare them.

    Raises:
        FhSimError: the scenario or the spec is invalid (the CLI's messages).
    """
    started = time.perf_counter()
    scen_sim = build_config(scenario, spec, region)
    base_sim = build_config(_baseline_scenario(), spec, region)
    reps = range(spec.n_seeds)
    sims = [dataclasses.replace(scen_sim, replicate=r) for r in reps]
    sims += [dataclasses.replace(base_sim, replicate=r) for r in reps]
    tables, cached = runner.run_many(sims, progress)
    label = scenario["name"] if scenario["name"] != BASELINE else "scenario"
    n = spec.n_seeds
    table = pd.concat(
        [_tidy(tables[:n], label, sims[:n]), _tidy(tables[n:], BASELINE, sims[n:])],
        ignore_index=True,
    )
    out = compare_tables(
        table,
        baseline=BASELINE,
        year=spec.end_year,
        link_edits={label: dict(scenario.get("link_edits") or {})},
    )
    out.seconds = time.perf_counter() - started
    out.runs_done, out.runs_cached = len(sims) - cached, cached
    return out


_baseline_cache: list[dict[str, Any]] = []


def _baseline_scenario() -> dict[str, Any]:
    """The ready-made baseline scenario (composed once per process)."""
    from fh_sim.explore.scenario_form import load_scenario

    if not _baseline_cache:
        _baseline_cache.append(load_scenario(BASELINE))
    return _baseline_cache[0]


def open_folder(path: str | Path, *, baseline: str = BASELINE) -> Outcome:
    """Read a finished sweep or experiment folder and compare its scenarios.

    Raises:
        FhSimError: no complete runs, or no runs of ``baseline``.
    """
    from fh_sim.analysis.aggregate import horizon_year
    from fh_sim.analysis.collect import collect

    p = Path(path).expanduser()
    if not p.is_dir():
        raise FhSimError("not a folder", where=str(p))
    coll = collect([p])
    edits = {
        s: dict((cfg.get("scenario") or {}).get("link_edits") or {})
        for s, cfg in coll.configs.items()
    }
    table = coll.table.assign(run_dir=coll.table["run_dir"].astype(str))
    return compare_tables(table, baseline=baseline, year=horizon_year(coll.table), link_edits=edits)
