"""The configs travel with the package: `fh_sim/conf` links to the repository's `conf/` in
a checkout, and a normal install (files copied, links followed) finds them too."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import fh_sim
from fh_sim.cli.run_cmd import conf_dir

REPO = Path(fh_sim.__file__).resolve().parents[2]


def test_package_conf_is_the_repository_conf_and_is_packaged() -> None:
    link = Path(fh_sim.__file__).parent / "conf"
    assert link.is_symlink() and conf_dir() == (REPO / "conf").resolve()
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["fh_sim"]
    assert "conf/**/*.yaml" in patterns
    shipped = {p.relative_to(link) for p in link.glob("**/*.yaml")}
    in_repo = {p.relative_to(REPO / "conf") for p in (REPO / "conf").glob("**/*.yaml")}
    assert shipped == in_repo and Path("config.yaml") in shipped


def test_installed_copy_without_the_repository_finds_its_configs(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(
        Path(fh_sim.__file__).parent,
        site / "fh_sim",
        symlinks=False,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    assert not (site / "fh_sim" / "conf").is_symlink()
    code = (
        "import sys, fh_sim; from fh_sim.cli import main; "
        "print(fh_sim.__file__); sys.exit(main(sys.argv[1:]))"
    )
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    listed = subprocess.run(
        [sys.executable, "-c", code, "scenarios"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith(str(site / "fh_sim"))
    assert "transit_hoganas_rail" in listed.stdout
    shown = subprocess.run(
        [sys.executable, "-c", code, "run", "--cfg", "job", "scenario=package_transit"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    assert "name: package_transit" in shown.stdout and "hoganasbanan" in shown.stdout
