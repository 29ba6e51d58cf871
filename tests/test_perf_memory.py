"""The allocator settings: set once per process on glibc, switched off by the environment."""

from __future__ import annotations

import subprocess
import sys

import pytest

from fh_sim.sim import memory

CHECK = "from fh_sim.sim.memory import tune_allocator; print(tune_allocator(), tune_allocator())"


def run(env_value: str | None) -> str:
    import os

    env = dict(os.environ)
    env.pop("FH_SIM_MALLOC_TUNING", None)
    if env_value is not None:
        env["FH_SIM_MALLOC_TUNING"] = env_value
    out = subprocess.run([sys.executable, "-c", CHECK], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_thresholds_set_once_on_linux_and_off_by_environment():
    assert run(None) == "True True"
    assert run("0") == "False False"


def test_second_call_changes_nothing():
    first = memory.tune_allocator()
    assert memory.tune_allocator() is first
