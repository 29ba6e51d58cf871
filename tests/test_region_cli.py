"""The ``fh-sim region`` command."""

from __future__ import annotations

import shutil

from fh_sim.cli import main as fh_sim
from fh_sim.region import embedded_data_dir


def test_region_command_prints_summary_and_writes_map(tmp_path, capsys):
    assert fh_sim(["region", "--out", str(tmp_path), "--year", "2022"]) == 0
    out = capsys.readouterr().out
    assert "municipalities: 11" in out
    assert "359,821" in out
    assert "rail" in out and "ferry" in out and "bus" in out
    assert "observed" in out and "derived" in out and "assumed" in out
    png = tmp_path / "region_map.png"
    assert png.is_file() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 20_000


def test_region_command_bad_data_one_line_error(tmp_path, capsys):
    folder = tmp_path / "data"
    shutil.copytree(embedded_data_dir(), folder)
    (folder / "zones.csv").unlink()
    assert fh_sim(["region", "--data-dir", str(folder), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "zones.csv" in err and "missing" in err
    assert not (tmp_path / "region_map.png").exists()
