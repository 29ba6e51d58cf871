"""Config is data: loading a user's YAML never runs code beyond the plugins it names.

Each hostile config would create a marker file if anything in it were executed; each must
be refused with one line (exit 2) and the marker must not exist.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir

from fh_sim.cli import main as fh_sim_main
from fh_sim.cli.guard import refused_targets
from fh_sim.cli.run_cmd import VERSION_BASE, conf_dir, register_hydra_nodes

FH_SIM = Path(sys.executable).parent / "fh-sim"
SMALL = ["scale=0.01", "end_year=2020"]

# case -> (file under the user's config folder, its text ({marker}: the marker file),
#          arguments, what the one error line says)
HOSTILE: dict[str, tuple[str, str, list[str], list[str]]] = {
    "target-in-scenario": (
        "scenario/target.yaml",
        "defaults: [base, _self_]\nname: target\ndescription: d\n"
        "_target_: os.system\n_args_: ['touch {marker}']\n",
        ["scenario=target"],
        ["unknown key '_target_'", "scenario/target.yaml"],
    ),
    "target-in-rule-params": (
        "rules/target.yaml",
        "defaults: [baseline, _self_]\n"
        "utility:\n  commute: {_target_: pathlib.Path.touch, _args_: ['{marker}']}\n",
        ["rules=target"],
        ["rules.utility.commute", "unknown parameter", "_target_"],
    ),
    "python-tag": (
        "scenario/pytag.yaml",
        "defaults: [base, _self_]\nname: pytag\n"
        "description: !!python/object/apply:os.system ['touch {marker}']\n",
        ["scenario=pytag"],
        ["pytag.yaml, line 3", "not allowed", "python/object/apply"],
    ),
    "eval-interpolation": (
        "scenario/evalres.yaml",
        "defaults: [base, _self_]\nname: evalres\n"
        "description: ${eval:\"__import__('os').system('touch {marker}')\"}\n",
        ["scenario=evalres"],
        ["scenario.description", "Unsupported interpolation type eval"],
    ),
    "hydra-callback": (
        "experiment/callback.yaml",
        "# @package _global_\nhydra:\n  callbacks:\n    evil:\n"
        "      _target_: pathlib.Path.touch\n      _args_: ['{marker}']\n",
        ["experiment=callback"],
        ["hydra.callbacks.evil._target_", "pathlib.Path.touch", "config is data"],
    ),
    "logging-factory": (
        "experiment/logging.yaml",
        "# @package _global_\nhydra:\n  job_logging:\n    handlers:\n      evil:\n"
        "        (): pathlib.Path.touch\n        self: {marker}\n"
        "    root: {handlers: [evil]}\n",
        ["experiment=logging"],
        ["hydra.job_logging.handlers.evil.()", "pathlib.Path.touch"],
    ),
    "hydra-launcher": (
        "hydra/launcher/evil.yaml",
        "_target_: pathlib.Path.touch\n_args_: ['{marker}']\n",
        ["-m", "hydra/launcher=evil"],
        ["hydra.launcher._target_", "pathlib.Path.touch"],
    ),
}


@pytest.fixture(autouse=True)
def _keep_logging() -> Iterator[None]:
    """Runs in this process attach log handlers to pytest's captured streams; drop them."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture()
def user_conf(tmp_path: Path) -> Path:
    conf = tmp_path / "conf"
    for name, (file, text, _, _) in HOSTILE.items():
        path = conf / file
        path.parent.mkdir(parents=True, exist_ok=True)
        marker = tmp_path / f"EXECUTED_{name}"
        path.write_text(text.replace("{marker}", str(marker)), encoding="utf-8")
    return conf


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_config_is_refused_and_runs_nothing(
    name: str,
    tmp_path: Path,
    user_conf: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, _, args, says = HOSTILE[name]
    monkeypatch.setenv("FH_SIM_OUTPUTS", str(tmp_path / "outputs"))
    flags = [a for a in args if a.startswith("-")]  # Hydra's flags go first
    overrides = [a for a in args if not a.startswith("-")]
    code = fh_sim_main(["run", *flags, "--config-dir", str(user_conf), *SMALL, *overrides])
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.startswith("fh-sim run: error: ")]
    assert code == 2, err
    assert len(lines) == 1, err
    for text in says:
        assert text in lines[0], lines[0]
    assert not list(tmp_path.glob("EXECUTED_*"))


def test_hostile_callback_through_the_command_runs_nothing(tmp_path: Path, user_conf: Path) -> None:
    env = {**os.environ, "FH_SIM_OUTPUTS": str(tmp_path / "outputs")}
    for args in (
        ["experiment=callback"],
        [
            "+hydra.callbacks.x._target_=pathlib.Path.touch",
            f"+hydra.callbacks.x._args_=[{tmp_path / 'EXECUTED_override'}]",
        ],
    ):
        done = subprocess.run(
            [str(FH_SIM), "run", "--config-dir", str(user_conf), *SMALL, *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        assert done.returncode == 2, done.stderr[-2000:]
        assert "config is data" in done.stderr and "Traceback" not in done.stderr
    assert not list(tmp_path.glob("EXECUTED_*"))
    assert not list(tmp_path.rglob("manifest.json"))


@pytest.mark.parametrize(
    "launcher", ["basic", "parallel", "submitit_local", "slurm", "ray_local", "ray_cluster"]
)
def test_shipped_launchers_and_callbacks_pass_the_guard(launcher: str) -> None:
    register_hydra_nodes()
    with initialize_config_dir(config_dir=str(conf_dir()), version_base=VERSION_BASE):
        cfg = compose("config", overrides=[f"hydra/launcher={launcher}"], return_hydra_config=True)
    from omegaconf import OmegaConf

    hydra_node = OmegaConf.to_container(cfg.hydra, resolve=False)
    assert refused_targets(hydra_node) == []
    assert "fh_sim.runs.sweep.SweepProgress" in str(hydra_node["callbacks"])
    assert hydra_node["launcher"]["_target_"].startswith(("hydra.", "hydra_plugins."))


def test_guard_names_every_kind_of_callable() -> None:
    node = {
        "launcher": {"_target_": "hydra_plugins.x.Launcher"},
        "callbacks": {
            "ok": {"_target_": "fh_sim.runs.sweep.SweepProgress"},
            "bad": {"_target_": "shutil.rmtree", "path": "/"},
        },
        "job_logging": {
            "handlers": {
                "console": {"class": "logging.StreamHandler"},
                "bad": {"class": "subprocess.Popen"},
            },
            "formatters": {"f": {"()": "builtins.exec"}},
        },
        "sweeper": {"params": {"x": [{"_target_": "os.system"}]}},
    }
    assert sorted(refused_targets(node)) == [
        ("hydra.callbacks.bad._target_", "shutil.rmtree"),
        ("hydra.job_logging.formatters.f.()", "builtins.exec"),
        ("hydra.job_logging.handlers.bad.class", "subprocess.Popen"),
        ("hydra.sweeper.params.x[0]._target_", "os.system"),
    ]
