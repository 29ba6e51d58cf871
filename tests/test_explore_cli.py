"""``fh-sim explore`` on the command line: listed, and a taken port is one clear line."""

from __future__ import annotations

import socket

from cli_helpers import fh_sim


def test_explore_is_listed_and_documents_its_options(tmp_path):
    listed = fh_sim("--help", outputs=tmp_path)
    assert "explore" in listed.stdout
    helped = fh_sim("explore", "--help", outputs=tmp_path)
    assert helped.returncode == 0
    assert "--port" in helped.stdout and "--host" in helped.stdout and "127.0.0.1" in helped.stdout


def test_a_taken_port_is_refused_in_one_line(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = fh_sim("explore", "--port", str(port), outputs=tmp_path, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr
