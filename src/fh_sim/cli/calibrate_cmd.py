"""``fh-sim calibrate``: fit the free parameters of ``conf/calibration/NAME.yaml``.

Arguments (``key=value``): ``calibration=NAME budget=N scale=S seed=N workers=N out=DIR
config_out=FILE``.

Writes the calibrated config group (default ``conf/calibrated/NAME.yaml``, which runs
use by default) and, in ``out`` (default ``outputs/calibration/NAME``), observed vs
simulated per target (``targets.csv``, ``fit.png``), the loss history
(``loss_history.csv``, ``loss.png``) and the spread of each fitted value
(``uncertainty.csv``). The config file is replaced only when the fit is complete.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from fh_sim.errors import ConfigError

log = logging.getLogger(__name__)

DEFAULTS = {
    "calibration": "baseline",
    "budget": "200",
    "scale": "0.1",
    "seed": "0",
    "workers": "2",
    "out": "",
    "config_out": "",
}


def parse_args(argv: list[str], defaults: dict[str, str]) -> dict[str, str]:
    """``key=value`` arguments over ``defaults``; an unknown key or a missing ``=`` stops."""
    args = dict(defaults)
    for a in argv:
        key, sep, value = a.partition("=")
        if not sep or key not in defaults:
            raise ConfigError(
                f"expected one of {sorted(defaults)} as key=value, got {a!r}", key=key or a
            )
        args[key] = value
    return args


def _number(args: dict[str, str], key: str, kind: type, low: float, high: float):
    try:
        v = kind(args[key])
    except ValueError as err:
        raise ConfigError(f"must be a {kind.__name__}, got {args[key]!r}", key=key) from err
    if not low <= v <= high:
        raise ConfigError(f"must be in [{low}, {high}], got {v}", key=key)
    return v


def main(argv: list[str], *, command: str = "calibrate", debug: bool = False) -> int:
    """Run a calibration (see the module docstring)."""
    from fh_sim.calibrate.evaluate import Objective, evaluator
    from fh_sim.calibrate.fit import fit
    from fh_sim.calibrate.report import calibrated_yaml, write_outputs
    from fh_sim.cli.run_cmd import conf_dir

    if any(a in ("-h", "--help") for a in argv):
        print(__doc__)
        return 0
    args = parse_args(argv, DEFAULTS)
    name = args["calibration"]
    budget = _number(args, "budget", int, 4, 10_000_000)
    scale = _number(args, "scale", float, 1e-4, 1.0)
    seed = _number(args, "seed", int, 0, 2**32 - 1)
    workers = _number(args, "workers", int, 1, 1024)
    spec_path = conf_dir() / "calibration" / f"{name}.yaml"
    if not spec_path.is_file():
        raise ConfigError(f"no calibration {name!r} (looked for {spec_path})", key="calibration")
    ev = evaluator(name, scale, ())
    spec = ev.spec
    names = [p.label for p in spec.parameters]
    result = fit(
        Objective(name, scale),
        names,
        [(p.low, p.high) for p in spec.parameters],
        budget=budget,
        seed=seed,
        n_jobs=workers,
    )
    stats = ev.statistics(result.best)
    base = Path(os.environ.get("FH_SIM_OUTPUTS", Path.cwd() / "outputs"))
    out = Path(args["out"]) if args["out"] else base / "calibration" / name
    table = write_outputs(out, spec, result, stats)
    target = (
        Path(args["config_out"])
        if args["config_out"]
        else (conf_dir() / "calibrated" / f"{name}.yaml")
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".yaml.tmp")
    tmp.write_text(
        calibrated_yaml(
            spec, result, ev.candidate(result.best), budget=budget, scale=scale, seed=seed
        ),
        encoding="utf-8",
    )
    tmp.replace(target)
    print(
        table[
            ["unit", "observed_pct_per_year", "simulated_pct_per_year", "simulated_sd_over_seeds"]
        ].to_string(index=False, float_format="%.2f")
    )
    print(
        result.uncertainty[["parameter", "best", "p05", "p95", "n_near_optimal"]].to_string(
            index=False, float_format="%.4g"
        )
    )
    print(
        f"loss {result.best_loss:.4g} (pp/year)^2 after {len(result.history)} evaluations "
        f"in {result.seconds:.0f} s; config: {target}; tables and plots: {out}"
    )
    return 0
