"""``fh-sim run`` and ``fh-sim sweep``: Hydra's command line around :func:`run_task`.

``fh-sim run [overrides]`` is one run (``-m`` makes it a sweep); ``fh-sim sweep
[overrides]`` is the same with ``--multirun``. Every Hydra flag passes through
(``--help``, ``--cfg job``, ``--info``, ``-m``, ``--config-dir``). Errors end in one line
naming the key or file and a non-zero exit; ``fh-sim --debug ...`` shows the traceback.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from fh_sim.cli.errfmt import describe
from fh_sim.cli.guard import data_only_config
from fh_sim.errors import FhSimError

EXIT_USER_ERROR = 2
EXIT_INTERNAL_ERROR = 1
CONFIG_NAME = "config"
VERSION_BASE = "1.3"
# Hydra flags that print instead of running; Hydra refuses them together with --multirun.
_INSPECT_FLAGS = {
    "--cfg",
    "-c",
    "--info",
    "-i",
    "--help",
    "-h",
    "--hydra-help",
    "--shell-completion",
    "-sc",
}


def conf_dir() -> Path:
    """The folder holding ``config.yaml`` and the config groups.

    ``fh_sim/conf`` inside the package: a symlink to the repository's ``conf/`` in a
    checkout (editable install), a real copy in an installed wheel.

    Raises:
        FhSimError: the folder is missing (a broken installation).
    """
    here = Path(__file__).resolve().parent.parent / "conf"
    if not (here / f"{CONFIG_NAME}.yaml").is_file():
        raise FhSimError("config folder not found; reinstall fh_sim", where=str(here))
    return here.resolve()


class _StderrWithoutJobErrors:
    """stderr that drops Hydra's "Error executing job with overrides" line.

    Hydra writes that line straight to ``sys.stderr`` before raising a job's error; our
    own one-line message replaces it.
    """

    _PREFIX = "Error executing job with overrides"

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        if text.startswith(self._PREFIX):
            return len(text)
        return self._stream.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def register_hydra_nodes() -> None:
    """Store fh_sim's schemas and its sweep progress callback in Hydra's ConfigStore."""
    from hydra.core.config_store import ConfigStore

    from fh_sim.config import register_configs

    register_configs()
    ConfigStore.instance().store(
        group="hydra/callbacks",
        name="fh_sim",
        node={"sweep_progress": {"_target_": "fh_sim.runs.sweep.SweepProgress"}},
        package="hydra.callbacks",
    )


@contextmanager
def _hydra_cli(argv: list[str], prog: str) -> Iterator[None]:
    """Hand ``argv`` to Hydra and let its errors reach us (HYDRA_FULL_ERROR) meanwhile."""
    saved_argv, saved_env = sys.argv, os.environ.get("HYDRA_FULL_ERROR")
    saved_stderr = sys.stderr
    sys.argv = [prog, *argv]
    sys.stderr = _StderrWithoutJobErrors(saved_stderr)
    os.environ["HYDRA_FULL_ERROR"] = "1"
    try:
        yield
    finally:
        sys.argv = saved_argv
        sys.stderr = saved_stderr
        if saved_env is None:
            os.environ.pop("HYDRA_FULL_ERROR", None)
        else:
            os.environ["HYDRA_FULL_ERROR"] = saved_env


@contextmanager
def _mode_from_command() -> Iterator[None]:
    """Skip Hydra's extra composition of the whole config that only reads ``hydra.mode``.

    fh-sim knows the mode from the command (``run``; ``sweep`` or ``-m``), and Hydra then
    sets ``hydra.mode`` from that flag, so the config is composed once per command.
    """
    from hydra._internal.hydra import Hydra

    original = Hydra.get_mode
    Hydra.get_mode = lambda self, config_name, overrides: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        Hydra.get_mode = original  # type: ignore[method-assign]


def _close_job_logs(keep: set[logging.Handler]) -> None:
    """Close the log files Hydra opened in run folders during this command.

    Hydra attaches a file handler per job to the root logger and leaves it there; a caller
    that runs ``fh-sim`` in-process (a notebook, the explorer, tests) would otherwise keep
    writing to a folder that may be gone.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler not in keep and isinstance(handler, logging.FileHandler):
            root.removeHandler(handler)
            handler.close()


def _failed_runs(sweep_dirs: list[Path]) -> list[Path]:
    """Run folders under ``sweep_dirs`` whose manifest says ``failed``."""
    from fh_sim.runs import rundir

    failed = []
    for sweep_dir in sweep_dirs:
        for manifest in sorted(sweep_dir.glob(f"**/{rundir.MANIFEST}")):
            if (rundir.read_manifest(manifest.parent) or {}).get("status") == "failed":
                failed.append(manifest.parent)
    return failed


def quote_non_ascii(arg: str) -> str:
    """Quote a non-ASCII override value: ``key=/data/å`` -> ``key='/data/å'``.

    Hydra's override grammar reads unquoted values in ASCII only, so a path with å, ä
    or ö is quoted for it.

    Values that are already quoted or use the grammar (lists, sweeps, interpolations)
    are left as they are.
    """
    key, sep, value = arg.partition("=")
    if not sep or key.startswith("-") or value.isascii() or any(c in value for c in "'\"[]{},$"):
        return arg
    return f"{key}='{value}'"


def main(argv: list[str], *, command: str, debug: bool) -> int:
    """Run ``fh-sim run|sweep ARGS``; return the exit code.

    Args:
        argv: Hydra overrides and flags.
        command: ``run`` or ``sweep`` (``sweep`` adds ``--multirun``).
        debug: re-raise errors with their traceback instead of one line.
    """
    import hydra
    from hydra.core.global_hydra import GlobalHydra

    from fh_sim.runs.runner import run_task
    from fh_sim.runs.sweep import SweepProgress

    args = [quote_non_ascii(a) for a in argv]
    inspect = any(a.split("=")[0] in _INSPECT_FLAGS for a in args)
    if command == "sweep" and not inspect and not any(a in ("-m", "--multirun") for a in args):
        args.insert(0, "--multirun")
    register_hydra_nodes()
    handlers_before = set(logging.getLogger().handlers)
    app = hydra.main(
        config_path=str(conf_dir()), config_name=CONFIG_NAME, version_base=VERSION_BASE
    )(run_task)
    GlobalHydra.instance().clear()
    with _hydra_cli(args, prog=f"fh-sim {command}"), data_only_config(), _mode_from_command():
        try:
            app()
        except SystemExit as done:
            return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        except Exception as err:  # every error ends in one line unless --debug
            sweep_dirs = SweepProgress.stop_all()
            if debug:
                raise
            print(f"fh-sim {command}: error: {describe(err)}", file=sys.stderr)
            failed = _failed_runs(sweep_dirs)
            if len(failed) > 1:
                print(
                    f"fh-sim {command}: {len(failed)} runs failed; each manifest.json holds "
                    f"its error (first: {failed[0]})",
                    file=sys.stderr,
                )
            user = isinstance(err, FhSimError | OSError) or type(err).__module__.split(".")[0] in (
                "hydra",
                "omegaconf",
                "yaml",
            )
            return EXIT_USER_ERROR if user else EXIT_INTERNAL_ERROR
        finally:
            SweepProgress.stop_all()
            GlobalHydra.instance().clear()
            _close_job_logs(handlers_before)
    return 0
