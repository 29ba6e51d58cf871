"""What every browser tab shares in one server process: the region, the runner, scenarios.

Loaded once; :func:`shared` also starts running the default spec's baseline in the
background so that the first Run finds it in the cache (``FH_SIM_EXPLORE_WARM=0`` turns
that off).
"""

from __future__ import annotations

import dataclasses
import os
import threading
from typing import Any

from fh_sim.explore import scenario_form as sf
from fh_sim.explore.runs import Runner, RunSpec, build_config

WARM_ENV = "FH_SIM_EXPLORE_WARM"  # "0": do not pre-run the default baseline at start


@dataclasses.dataclass
class _Shared:
    region: Any = None
    runner: Runner | None = None
    scenarios: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)


SHARED = _Shared()


def shared() -> _Shared:
    """The region, the runner and the ready-made scenarios, loaded once per process."""
    with SHARED.lock:
        if SHARED.region is None:
            from fh_sim.region import load_region

            SHARED.region = load_region(None)
            SHARED.runner = Runner()
            if os.environ.get(WARM_ENV, "1") != "0":
                threading.Thread(target=_warm_baseline, daemon=True).start()
    return SHARED


def _warm_baseline() -> None:
    """Run the default spec's baseline so the first Run finds it in the cache."""
    try:
        runner, region = SHARED.runner, SHARED.region
        if runner is None:
            return
        from fh_sim.explore.runs import _baseline_scenario

        sim = build_config(_baseline_scenario(), RunSpec(), region)
        runner.run_many([dataclasses.replace(sim, replicate=r) for r in range(RunSpec().n_seeds)])
    except Exception:  # noqa: BLE001 - a warm-up only; a real Run reports errors
        pass


def ready_scenario(name: str) -> dict[str, Any]:
    """A ready-made scenario (composed once per process)."""
    s = shared()
    if name not in s.scenarios:
        s.scenarios[name] = sf.load_scenario(name)
    return s.scenarios[name]
