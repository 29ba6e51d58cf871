"""Hydra's Ray launcher against a real Ray head started here on 127.0.0.1 only."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from cli_helpers import TINY, compose_config, fh_sim, run_dirs

ray = pytest.importorskip("ray", reason="the `ray` extra is not installed")
pytest.importorskip("hydra_plugins.hydra_ray_launcher", reason="hydra-ray-launcher missing")
psutil = pytest.importorskip("psutil")

pytestmark = [pytest.mark.ray, pytest.mark.slow]
LOOPBACK = {"127.0.0.1", "::ffff:127.0.0.1", "::1"}
RAY_BIN = Path(sys.executable).parent / "ray"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _listening(procs: list[psutil.Process]) -> list[tuple[str, int, str]]:
    found = []
    for proc in procs:
        try:
            for conn in proc.net_connections(kind="inet"):
                if conn.status == psutil.CONN_LISTEN:
                    found.append((conn.laddr.ip, conn.laddr.port, proc.name()))
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def _wait_for_port(port: int, head: subprocess.Popen[bytes], timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert head.poll() is None, "ray head exited"
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError("ray head did not open its port")


def test_ray_sweep_on_a_local_head_matches_serial_runs(tmp_path: Path) -> None:
    port = _free_port()
    temp_dir = tempfile.mkdtemp(prefix="fhray", dir="/tmp")  # short: unix socket paths
    # Ray >= 2.5x authenticates with a token; head and driver share one made for this test
    # (not ~/.ray/auth_token, which another local ray.init() may have written).
    env = {
        **os.environ,
        "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",
        "RAY_USAGE_STATS_ENABLED": "0",
        "RAY_AUTH_MODE": "token",
        "RAY_AUTH_TOKEN": secrets.token_hex(32),
    }
    env.pop("RAY_AUTH_TOKEN_PATH", None)
    head = subprocess.Popen(
        [
            str(RAY_BIN),
            "start",
            "--head",
            "--block",
            "--node-ip-address=127.0.0.1",
            f"--port={port}",
            "--include-dashboard=false",
            "--num-cpus=2",
            "--disable-usage-stats",
            f"--temp-dir={temp_dir}",
            "--ray-client-server-port",
            str(_free_port()),
        ],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for_port(port, head)
        sweep_dir = tmp_path / "ray_sweep"  # absolute, as Ray workers need
        done = fh_sim(
            "sweep",
            *TINY,
            "seed=5,6",
            "hydra/launcher=ray_cluster",
            f"hydra.launcher.ray.init.address=127.0.0.1:{port}",
            f"hydra.sweep.dir={sweep_dir}",
            outputs=tmp_path,
            env=env,
            timeout=90,
        )
        ray_procs = psutil.Process(head.pid).children(recursive=True)
        ports = _listening(ray_procs)
        assert done.returncode == 0, done.stderr[-3000:]
        assert ports, "found no listening Ray process"
        assert {ip for ip, _, _ in ports} <= LOOPBACK, ports
    finally:
        head.send_signal(signal.SIGTERM)  # --block: the head stops its children
        try:
            head.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(head.pid, signal.SIGKILL)
            head.wait()
        shutil.rmtree(temp_dir, ignore_errors=True)
    dirs = run_dirs(sweep_dir)
    assert len(dirs) == 2
    from fh_sim.runs.rundir import outcomes_bytes
    from fh_sim.sim.model import HousingModel

    for run_dir in dirs:
        manifest = json.loads((run_dir / "manifest.json").read_text())
        assert manifest["status"] == "complete"
        cfg = OmegaConf.to_object(compose_config([*TINY, f"seed={manifest['seed']}"]))
        serial = outcomes_bytes(HousingModel(cfg).run(progress=False))
        assert (run_dir / "outcomes.parquet").read_bytes() == serial
