"""``fh-sim sensitivity``: which uncertain assumptions drive outcomes and effects.

Usage: ``fh-sim sensitivity [method=morris|sobol|hdmr] [scenario=NAME[,NAME]]
[outcomes=M,...] [budget=N] [scale=S] [end_year=Y] [seed=K] [replicates=R] [inputs=NAME,...]
[jobs=J] [out=DIR] [CONFIG OVERRIDES]``.

Global sensitivity analysis over the uncertain inputs of ``conf/uncertainty``: every
point runs the baseline and each named scenario in-process on one common seed, so the
effects (scenario minus baseline) are paired on seeds and parameter values. Any other
``key=value`` is a Hydra override applied to every run (``rules.choice.n_sampled=10``,
``uncertainty=default``). The study folder caches each point: the same command resumes.

Methods: ``morris`` screens many inputs (``budget`` trajectories, default 10); ``sobol``
gives first and total order indices (Saltelli; ``budget`` a power of two, default 64;
the model's noise enters every index, so effects need large budgets); ``hdmr`` fits an
additive metamodel to ``budget`` Latin-hypercube points (at least 300, default 600) and
gives first-order indices plus the share of the outcome's variance the inputs explain:
the rest is the model's run-to-run randomness (use it for scenario effects).
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from fh_sim.errors import FhSimError

log = logging.getLogger(__name__)

OWN_KEYS = (
    "method",
    "scenario",
    "outcomes",
    "budget",
    "inputs",
    "jobs",
    "out",
    "baseline",
    "replicates",
)
DEFAULTS = {
    "method": "morris",
    "scenario": "",
    "budget": None,
    "jobs": None,
    "out": None,
    "baseline": "baseline",
}
DEFAULT_BUDGET = {"morris": 10, "sobol": 64, "hdmr": 600}
HELP = __doc__


def parse(argv: list[str]) -> tuple[dict[str, str], list[str]]:
    """Split ``key=value`` arguments into the command's own and Hydra overrides."""
    own: dict[str, str] = {}
    overrides: list[str] = []
    for arg in argv:
        if "=" not in arg:
            raise FhSimError(f"expected key=value, got '{arg}' (fh-sim sensitivity --help)")
        key, value = arg.split("=", 1)
        if key in OWN_KEYS:
            own[key] = value
        else:
            overrides.append(arg)
    return own, overrides


def _int(own: dict[str, str], key: str, default: int) -> int:
    try:
        return int(own.get(key, default))
    except ValueError as err:
        raise FhSimError(f"{key} must be an integer, got '{own[key]}'") from err


def main(argv: list[str], *, command: str = "sensitivity", debug: bool = False) -> int:
    """Run ``fh-sim sensitivity``: sample, run, analyse, write the outputs."""
    from fh_sim.analysis import sensitivity as sa
    from fh_sim.analysis.sensitivity_report import write_outputs

    if any(a in ("-h", "--help") for a in argv):
        print(HELP)
        return 0
    own, overrides = parse(argv)
    method = own.get("method", "morris")
    scenarios = [own.get("baseline", "baseline")] + [
        s for s in own.get("scenario", "").split(",") if s and s != own.get("baseline")
    ]
    keys = {o.split("=", 1)[0] for o in overrides}
    if "scale" not in keys:
        overrides.append("scale=0.05")
    study = sa.Study(
        method=method,
        scenarios=scenarios,
        outcomes=[m for m in own.get("outcomes", ",".join(sa.DEFAULT_OUTCOMES)).split(",") if m],
        budget=_int(own, "budget", DEFAULT_BUDGET.get(method, 10)),
        seed=int(next((o.split("=", 1)[1] for o in overrides if o.startswith("seed=")), 0)),
        inputs=[n for n in own.get("inputs", "").split(",") if n],
        replicates=_int(own, "replicates", 1),
        overrides=[o for o in overrides if not o.startswith("seed=")],
    )
    scale = float(next(o.split("=", 1)[1] for o in study.overrides if o.startswith("scale=")))
    out = Path(own["out"]) if own.get("out") else sa.default_out_dir(study, scale)
    jobs = _int(own, "jobs", max(1, min(4, (os.cpu_count() or 2) - 1)))
    started = time.perf_counter()
    points = sa.run_study(study, out, jobs=jobs)
    table = sa.analyse(out, points)
    files = write_outputs(out, table, study)
    log.info(
        "sensitivity study done in %.0f s; %d files in %s",
        time.perf_counter() - started,
        len(files),
        out,
    )
    print((out / "ranking.md").read_text(encoding="utf-8"))
    print(f"study folder: {out}")
    return 0
