"""``fh-sim explore [--port N] [--host 127.0.0.1]``: the scenario explorer in the browser.

Serves :mod:`fh_sim.explore.app` with Solara's server (production mode, no browser
opened) and prints the address; bound to 127.0.0.1 unless ``--host`` says otherwise.
Ctrl-C stops it.
"""

from __future__ import annotations

import argparse
import contextlib
import socket

from fh_sim.errors import FhSimError

APP = "fh_sim.explore.app"
DEFAULT_PORT = 8765


def _check_port(host: str, port: int) -> None:
    """Refuse a port that is taken, naming it (before the server starts)."""
    if not 0 < port < 65536:
        raise FhSimError(f"--port must be in 1-65535, got {port}")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError as err:
            raise FhSimError(
                f"cannot listen on {host}:{port}: {err.strerror}; choose another --port"
            ) from err


def main(argv: list[str], *, command: str, debug: bool) -> int:
    """Start the explorer's server; return the exit code once it stops."""
    parser = argparse.ArgumentParser(
        prog=f"fh-sim {command}",
        description="Compose, run and compare scenarios in the browser (Ctrl-C stops).",
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)"
    )
    args = parser.parse_args(argv)
    _check_port(args.host, args.port)
    from click.exceptions import Abort
    from solara.__main__ import run

    from fh_sim.explore.shared import shared

    print(f"fh-sim explore: serving on http://{args.host}:{args.port} (Ctrl-C stops)", flush=True)
    state = shared()  # region, worker processes and the default baseline start now
    with contextlib.suppress(KeyboardInterrupt, Abort):  # Ctrl-C
        run.main(
            [
                APP,
                "--host",
                args.host,
                "--port",
                str(args.port),
                "--production",
                "--no-open",
                "--log-level-uvicorn",
                "warning",
            ],
            standalone_mode=False,
        )
    if state.runner is not None:
        state.runner.close()
    print("fh-sim explore: stopped", flush=True)
    return 0
