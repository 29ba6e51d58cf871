"""The contract in simulated years: gated randomness, real dtypes, failures named by rule.

The rules below live in this test file, outside fh_sim (so they count as plugin rules).
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from cli_helpers import fh_sim, run_dirs
from core_helpers import context, households
from fh_sim import plugins
from fh_sim.config import RulesConfig, SimConfig
from fh_sim.errors import PluginError
from fh_sim.region.synthetic import toy_region
from fh_sim.rules import Rule
from fh_sim.rules.contract import checked
from fh_sim.sim.model import HousingModel

THIS = str(Path(__file__).resolve())
CALLS: list[int] = []


@dataclass(frozen=True)
class Gate:
    """A rule that misbehaves from ``from_year`` on."""

    from_year: int = 2020


@plugins.relocation("global_rng_from", params=Gate)
def global_rng_from(ctx, p):
    CALLS.append(ctx.year)
    if ctx.year >= p.from_year:
        return np.random.random(ctx.households.n) * 0.01  # noqa: NPY002  (the broken rule)
    return np.zeros(ctx.households.n)


@plugins.relocation("own_rng_from", params=Gate)
def own_rng_from(ctx, p):
    if ctx.year >= p.from_year:
        return np.random.default_rng().random(ctx.households.n) * 0.01
    return np.zeros(ctx.households.n)


@plugins.utility("raises_from", params=Gate)
def raises_from(ctx, pairs, p):
    if ctx.year >= p.from_year:
        raise RuntimeError(f"no value for {ctx.year}")
    return np.zeros(pairs.n)


@plugins.relocation("counts_calls", params=Gate)
def counts_calls(ctx, p):
    CALLS.append(ctx.year)
    return np.zeros(ctx.households.n)


def _model(family: str, name: str, from_year: int) -> HousingModel:
    rules = RulesConfig()
    sel = getattr(rules, family)
    setattr(rules, family, {**sel, name: {"from_year": from_year}})
    cfg = SimConfig(seed=1, end_year=2024, plugins=[THIS], rules=rules)
    return HousingModel(
        cfg,
        region=toy_region(3, population_per_zone=300),
        registry=plugins.registry_with_builtins(),
    )


@pytest.mark.parametrize("from_year", [2020, 2023])
def test_global_random_state_is_caught_in_the_year_the_rule_starts_using_it(from_year):
    m = _model("relocation", "global_rng_from", from_year)
    for _ in range(from_year - 2020):
        m.step()
    with pytest.raises(
        PluginError,
        match=rf"'global_rng_from' \(relocation\).*np\.random.*"
        rf"in {from_year}",
    ):
        m.step()


def test_an_unseeded_generator_started_in_a_later_year_is_caught_that_year():
    m = _model("relocation", "own_rng_from", 2022)
    m.step()
    m.step()
    with pytest.raises(PluginError, match=r"'own_rng_from'.*different results.*in 2022"):
        m.step()


def test_base_year_calibration_calls_do_not_use_up_the_first_call_check(monkeypatch):
    monkeypatch.setenv("FH_SIM_CACHE", "off")  # the base-year constants are computed here
    calls = plugins.import_plugin(THIS).CALLS  # the plugin's copy of this module
    calls.clear()
    m = _model("relocation", "counts_calls", 2020)
    assert calls and set(calls) == {2019}  # the calibration calls relocation rules in 2019
    calls.clear()
    m.step()
    assert calls == [2020, 2020]  # first call in the first simulated year: run twice
    calls.clear()
    m.step()
    assert calls == [2021, 2021]  # plugin rules are rerun in every simulated year


def test_an_exception_in_a_plugin_rule_names_the_rule_the_year_and_the_message():
    m = _model("utility", "raises_from", 2021)
    m.step()
    with pytest.raises(PluginError) as err:
        m.step()
    assert str(err.value) == (
        "rule 'raises_from' (utility) failed in 2021: RuntimeError: no value for 2021"
    )


@pytest.mark.parametrize(
    "family, value, says",
    [
        ("relocation", lambda n: np.zeros(n, dtype=np.int64), "dtype int64; expected float"),
        ("relocation", lambda n: np.zeros(n, dtype=bool), "dtype bool; expected float"),
        ("construction", lambda n: np.zeros((n, 3)), "dtype float64; expected int"),
    ],
)
def test_the_dtype_check_is_real(family, value, says):
    ctx = context(households(zone=[0, 1, 0]))
    n = ctx.households.n if family == "relocation" else ctx.zones.n

    def rule(c, p):
        return value(n)

    wrapped = checked(Rule(family=family, name="typed", func=rule, params=Gate)).func
    with pytest.raises(PluginError, match=says):
        wrapped(ctx, Gate())


PLUGIN = textwrap.dedent(
    """
    from dataclasses import dataclass

    import numpy as np

    from fh_sim import plugins


    @dataclass(frozen=True)
    class P:
        from_year: int = 2020


    @plugins.utility("fails_in", params=P)
    def fails_in(ctx, pairs, p):
        if ctx.year >= p.from_year:
            raise RuntimeError("lookup table has no row for this year")
        return np.zeros(pairs.n)
    """
)


def test_cli_reports_a_failing_plugin_rule_as_its_failure_and_writes_no_complete_folder(tmp_path):
    plugin = tmp_path / "fails.py"
    plugin.write_text(PLUGIN, encoding="utf-8")
    outputs = tmp_path / "outputs"
    res = fh_sim(
        "run",
        "scale=0.01",
        "end_year=2021",
        f"plugins=[{plugin}]",
        "+rules.utility.fails_in.from_year=2021",
        outputs=outputs,
    )
    lines = [ln for ln in res.stderr.splitlines() if ln.startswith("fh-sim run: error:")]
    assert res.returncode == 2, res.stderr[-2000:]
    assert lines == [
        "fh-sim run: error: rule 'fails_in' (utility) failed in 2021: "
        "RuntimeError: lookup table has no row for this year"
    ]
    assert "internal error" not in res.stderr and "Traceback" not in res.stderr
    (run,) = run_dirs(outputs)
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "failed" and "fails_in" in manifest["error"]
    assert not (run / "outcomes.parquet").exists()
