"""The ``fh-sim`` command: one entry, one subcommand per user job.

Every subcommand module exposes ``main(argv: list[str]) -> int``. User errors
(:class:`fh_sim.errors.FhSimError`) print one line on stderr and exit non-zero; the
traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import importlib
import logging
import sys

from fh_sim.errors import FhSimError

SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "run": ("fh_sim.cli.run_cmd", "one run (Hydra overrides; no arguments = full-scale baseline)"),
    "sweep": ("fh_sim.cli.run_cmd", "a Hydra multirun over scenarios x seeds x parameters"),
    "scenarios": ("fh_sim.cli.scenarios_cmd", "list the ready-made scenarios with descriptions"),
    "region": ("fh_sim.cli.region_cmd", "summarise the region's data and draw its network map"),
    "compare": ("fh_sim.cli.compare_cmd", "compare run folders: plots, HTML report, summary"),
    "sensitivity": (
        "fh_sim.cli.sensitivity_cmd",
        "which uncertain assumptions drive outcomes and effects (SALib)",
    ),
    "explore": ("fh_sim.cli.explore_cmd", "compose, run and compare scenarios in the browser"),
    "calibrate": ("fh_sim.cli.calibrate_cmd", "fit free parameters to the record up to 2019"),
    "validate": ("fh_sim.cli.validate_cmd", "the calibrated baseline against post-2019 figures"),
    "estimate": ("fh_sim.cli.estimate_cmd", "fit the choice coefficients to a run's choices"),
}

USAGE = (
    "usage: fh-sim [--debug] {"
    + ",".join(SUBCOMMANDS)
    + "} [args...]\n\n"
    + "\n".join(f"  {name:<10} {help_}" for name, (_, help_) in SUBCOMMANDS.items())
)


class _CurrentStderr(logging.StreamHandler):
    """A handler that writes to whatever ``sys.stderr`` is when a record is emitted."""

    @property
    def stream(self):  # noqa: D102
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


def _log_to_stderr() -> None:
    """Log INFO and above to stderr once per process (Hydra adds its own handlers per job)."""
    root = logging.getLogger()
    if not any(isinstance(h, _CurrentStderr) for h in root.handlers):
        handler = _CurrentStderr()
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    logging.getLogger("MESA").setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    """Dispatch ``fh-sim SUBCOMMAND ...`` and turn user errors into one clear line."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    if not args or args[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0 if args else 2
    name, rest = args[0], args[1:]
    if name not in SUBCOMMANDS:
        print(f"fh-sim: unknown command '{name}'\n{USAGE}", file=sys.stderr)
        return 2
    _log_to_stderr()
    module = importlib.import_module(SUBCOMMANDS[name][0])
    try:
        return int(module.main(rest, command=name, debug=debug) or 0)
    except FhSimError as err:
        if debug:
            raise
        print(f"fh-sim {name}: error: {err}", file=sys.stderr)
        return err.exit_code


if __name__ == "__main__":
    sys.exit(main())
