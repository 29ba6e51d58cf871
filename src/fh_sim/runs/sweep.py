"""Sweep helpers: run folder names, how many jobs a sweep has, and a progress bar.

Each job of a sweep writes to ``<sweep dir>/<run folder name>``: the job's overrides
made short by :func:`run_folder_name` (registered as the ``fh_run_name`` resolver the
config's ``hydra.sweep.subdir`` uses). The full overrides are in the run's manifest.

The bar lives in the process that started the sweep. Jobs may run elsewhere (joblib
workers, Ray workers, SLURM nodes), so each job, when it ends, drops a marker file in
``<sweep dir>/.progress/``; the bar counts the markers. On a cluster without a shared
file system the bar simply does not move; the run folders are still complete.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import weakref
from pathlib import Path
from typing import Any

from hydra.core.utils import JobReturn
from hydra.experimental.callback import Callback
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf

log = logging.getLogger(__name__)

PROGRESS_DIR = ".progress"
MAX_NAME = 80  # characters of a run folder's readable part (file systems allow 255 bytes)
_UNSAFE = re.compile(r"[^A-Za-z0-9._=+-]+")


def _split_items(text: str) -> list[str]:
    """Split ``a=1,b=[x,y]`` at the commas outside brackets and quotes."""
    items, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "[{(":
            depth += 1
        elif ch in "]})":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    return [item for item in items if item]


def _short_value(value: str) -> str:
    value = value.strip().strip("'\"")
    if value.startswith("[") and value.endswith("]"):
        return "+".join(_short_value(v) for v in _split_items(value[1:-1]))
    if "/" in value or "\\" in value:
        value = Path(value.replace("\\", "/")).stem
    return value


def run_folder_name(override_dirname: str) -> str:
    """A short, safe folder name for a job's overrides (``key=value,...``).

    Kept as is when short and plain (``scenario=baseline,seed=3``). Otherwise each key
    keeps its last part (``start_year``), a path its file stem (``my_rule``), unsafe
    characters become ``-``, and a hash of the full overrides is appended, so two jobs
    never share a folder and no name is too long for the file system.

    Args:
        override_dirname: Hydra's ``hydra.job.override_dirname``.
    """
    items = _split_items(override_dirname)
    short = []
    for item in items:
        key, sep, value = item.partition("=")
        key = key.lstrip("+~").rsplit(".", 1)[-1]
        short.append(_UNSAFE.sub("-", f"{key}{sep}{_short_value(value)}").strip("-"))
    name = ",".join(short)
    if name == override_dirname and len(name) <= MAX_NAME:
        return name
    digest = hashlib.sha1(override_dirname.encode("utf-8")).hexdigest()[:8]
    return f"{name[:MAX_NAME].rstrip(',')},id-{digest}"


if not OmegaConf.has_resolver("fh_run_name"):
    OmegaConf.register_new_resolver("fh_run_name", run_folder_name)


def count_jobs(config: DictConfig) -> int | None:
    """Number of jobs Hydra's basic sweeper makes of ``config`` (None for other sweepers).

    Args:
        config: the full composed config, including the ``hydra`` node.
    """
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
    from hydra.core.global_hydra import GlobalHydra
    from hydra.core.override_parser.overrides_parser import OverridesParser

    sweeper = OmegaConf.select(config, "hydra.sweeper._target_") or ""
    if not sweeper.endswith("BasicSweeper"):
        return None
    params = OmegaConf.select(config, "hydra.sweeper.params") or {}
    overrides = [f"{key}={value}" for key, value in params.items()]
    overrides += list(OmegaConf.select(config, "hydra.overrides.task") or [])
    hydra = GlobalHydra.instance()
    loader = hydra.config_loader() if hydra.is_initialized() else None  # for glob(*)
    parsed = OverridesParser.create(config_loader=loader).parse_overrides(overrides=overrides)
    return sum(len(batch) for batch in BasicSweeper.split_arguments(parsed, None))


class SweepProgress(Callback):
    """A tqdm bar over the jobs of a sweep (finished, failed or skipped as complete).

    Hydra calls ``on_multirun_end`` only after a sweep without failures; the command line
    calls :meth:`stop_all` in any case, which also tells it where the sweep went.
    """

    _running: weakref.WeakSet[SweepProgress] = weakref.WeakSet()

    def __init__(self, poll_s: float = 0.5) -> None:
        self.poll_s = poll_s
        self.sweep_dir: Path | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def stop_all(cls) -> list[Path]:
        """Stop every bar of this process; return their sweep folders."""
        dirs = []
        for bar in list(cls._running):
            bar.on_multirun_end(config=None)
            if bar.sweep_dir is not None:
                dirs.append(bar.sweep_dir)
        return dirs

    def __getstate__(self) -> dict[str, Any]:
        """Pickle without the bar's thread (launchers ship callbacks to their workers)."""
        return {"poll_s": self.poll_s}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(**state)  # type: ignore[misc]

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Clear the markers of an earlier attempt and start the bar."""
        self.sweep_dir = Path(str(config.hydra.sweep.dir))
        marker_dir = self.sweep_dir / PROGRESS_DIR
        try:
            marker_dir.mkdir(parents=True, exist_ok=True)
            for old in marker_dir.iterdir():
                old.unlink(missing_ok=True)
        except OSError:
            return  # the launcher reports an unwritable sweep folder itself
        try:
            total = count_jobs(config)
        except Exception:  # a bar is never worth failing a sweep
            total = None
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._poll, args=(marker_dir, total), name="sweep-progress", daemon=True
        )
        self._thread.start()
        SweepProgress._running.add(self)

    def _poll(self, marker_dir: Path, total: int | None) -> None:
        from tqdm import tqdm

        with tqdm(total=total, desc="sweep", unit="run", dynamic_ncols=True) as bar:
            while True:
                stopping = self._stop.wait(self.poll_s)
                try:
                    done = sum(1 for _ in marker_dir.iterdir())
                except OSError:
                    done = bar.n
                bar.update(max(done - bar.n, 0))
                if stopping:
                    return

    def on_job_end(self, config: DictConfig, job_return: JobReturn, **kwargs: Any) -> None:
        """Drop this job's marker (runs where the job ran)."""
        if OmegaConf.select(config, "hydra.mode") != RunMode.MULTIRUN:
            return
        marker = Path(str(config.hydra.sweep.dir)) / PROGRESS_DIR / str(config.hydra.job.num)
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.write_text(job_return.status.name, encoding="utf-8")
        except OSError:
            log.debug("could not write the progress marker %s", marker)

    def on_multirun_end(self, config: DictConfig | None, **kwargs: Any) -> None:
        """Show the final count and stop the bar."""
        SweepProgress._running.discard(self)
        if self._thread is not None:
            self._stop.set()
            self._thread.join(timeout=5)
            self._thread = None
