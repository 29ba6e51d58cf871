"""Crash safety: a run killed with SIGKILL never leaves a folder that reads as complete,
and running the same command again redoes it. (A sweep killed midway and started again
redoing only its unfinished runs: tests/test_sweep_launchers.py.)"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fh_sim.runs import rundir

FH_SIM = Path(sys.executable).parent / "fh-sim"
# Long enough (a few seconds of simulation) that the kills land while the run works.
LONG = ["scale=0.5", "end_year=2050", "seed=5"]


def _start(run_dir: Path, outputs: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "FH_SIM_OUTPUTS": str(outputs)}
    return subprocess.Popen(
        [str(FH_SIM), "run", *LONG, f"hydra.run.dir={run_dir}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _kill_while_running(run_dir: Path, outputs: Path, delay_s: float) -> None:
    """Start a run, wait until its manifest says running, wait ``delay_s``, SIGKILL it."""
    proc = _start(run_dir, outputs)
    deadline = time.monotonic() + 60
    try:
        while (rundir.read_manifest(run_dir) or {}).get("status") != rundir.STATUS_RUNNING:
            assert proc.poll() is None, f"the run ended first: {rundir.read_manifest(run_dir)}"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        time.sleep(delay_s)
        assert proc.poll() is None, "the run ended before it could be killed"
    finally:
        with contextlib.suppress(ProcessLookupError):  # already ended: the asserts say why
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL


@pytest.mark.slow
def test_killed_run_never_reads_as_complete_and_is_redone(tmp_path: Path) -> None:
    for delay_s in (0.0, 1.5):
        run_dir = tmp_path / f"killed_after_{delay_s}s"
        _kill_while_running(run_dir, tmp_path / "outputs", delay_s)
        manifest = json.loads((run_dir / rundir.MANIFEST).read_text())
        assert manifest["status"] == rundir.STATUS_RUNNING
        assert "finished" not in manifest
        assert not rundir.is_complete(run_dir)
        assert not (run_dir / rundir.OUTCOMES).exists()
        assert all(
            p.name in {".hydra", rundir.MANIFEST, "fh_sim.log", rundir.LOCK}
            or p.name.endswith(".tmp")
            for p in run_dir.iterdir()
        ), list(run_dir.iterdir())

    run_dir = tmp_path / "killed_after_0.0s"
    env = {**os.environ, "FH_SIM_OUTPUTS": str(tmp_path / "outputs")}
    again = subprocess.run(
        [str(FH_SIM), "run", *LONG, f"hydra.run.dir={run_dir}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr[-2000:]
    assert "skipped" not in again.stderr
    assert rundir.is_complete(run_dir)
    manifest = json.loads((run_dir / rundir.MANIFEST).read_text())
    assert manifest["status"] == rundir.STATUS_COMPLETE and manifest["end_year"] == 2050
    assert not list(run_dir.glob(".*.tmp"))
