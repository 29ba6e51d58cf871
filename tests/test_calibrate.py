"""``fh-sim calibrate``: the observed record, the targets, the optimiser, the outputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from fh_sim.calibrate.evaluate import Objective, evaluator, loss_of
from fh_sim.calibrate.fit import fit
from fh_sim.calibrate.spec import history_table, load_spec
from fh_sim.cli import main as fh_sim
from fh_sim.cli.run_cmd import conf_dir
from fh_sim.errors import DataError
from fh_sim.region import load_region
from fh_sim.region.load import resolve_data_dir

DATA = resolve_data_dir(None)


def test_history_is_sourced_and_ends_at_the_base_year():
    h = history_table(DATA)
    assert h["year"].max() == 2019 and h["source"].notna().all()
    assert set(h["status"]) <= {"observed", "derived"}
    # every municipality has its base-year count equal to the region's population_2019
    end = h[h["date"] == "2019-12-31"].set_index("municipality")["population"]
    muni = load_region().municipalities["population_2019"]
    assert (end.sort_index() == muni.sort_index()).all() and end.sum() == 359_821
    comp = pd.read_csv(DATA / "population_components.csv")
    assert comp["year"].max() <= 2019 and comp["source"].notna().all()
    # an identity of the components: Helsingborg 2015 in - out = net migration
    hb = comp[(comp.municipality == "Helsingborg") & (comp.year == 2015)].set_index("component")
    assert hb.value["in_migrants"] - hb.value["out_migrants"] == hb.value["net_migration"]


def test_history_with_a_post_2019_figure_is_refused(tmp_path):
    h = pd.read_csv(DATA / "population_history.csv")
    extra = h.iloc[[0]].assign(date="2021-12-31", year=2021)
    pd.concat([h, extra]).to_csv(tmp_path / "population_history.csv", index=False)
    with pytest.raises(DataError, match="after 2019"):
        history_table(tmp_path)


def test_targets_observed_growth_from_the_counts():
    h = history_table(DATA)
    spec = load_spec(
        conf_dir() / "calibration" / "baseline.yaml", h, list(load_region().municipalities.index)
    )
    region = next(t for t in spec.targets if t.level == "region")
    n0 = h[h.date == "2008-06-30"].population.sum()
    n1 = h[h.date == "2019-12-31"].population.sum()
    years = (pd.Timestamp("2019-12-31") - pd.Timestamp("2008-06-30")).days / 365.25
    assert region.observed == pytest.approx((n1 / n0) ** (1 / years) - 1)
    assert len(spec.targets) == 13 and len(spec.parameters) >= 3
    # the loss is zero at the observed values and grows with the error
    obs = np.array([t.observed for t in spec.targets])
    assert loss_of(obs, spec.targets) == 0.0
    assert loss_of(obs + 0.01, spec.targets) == pytest.approx(1.0)  # 1 pp off everywhere


class _Bowl:
    """A known minimum at (0.3, 0.7) (picklable, for the optimiser)."""

    def __call__(self, x):
        return float((x[0] - 0.3) ** 2 + 4 * (x[1] - 0.7) ** 2)


def test_fit_recovers_a_known_minimum():
    res = fit(_Bowl(), ["a", "b"], [(0.0, 1.0), (0.0, 1.0)], budget=400, seed=1, n_jobs=1)
    assert np.allclose(res.best, [0.3, 0.7], atol=0.03)
    assert len(res.history) <= 400 and res.best_loss == res.history["loss"].min()
    u = res.uncertainty.set_index("parameter")
    assert (u.p05 <= u.best + 1e-12).all() and (u.best <= u.p95 + 1e-12).all()


def test_common_random_numbers_same_candidate_same_loss():
    ev = evaluator("baseline", 0.01, ())
    x = np.array([(p.low + p.high) / 2 for p in ev.spec.parameters])
    assert Objective("baseline", 0.01, ())(x) == ev.loss(x.copy())


def test_calibrate_command_writes_config_tables_and_plots(tmp_path, capsys):
    cfg = tmp_path / "calibrated.yaml"
    code = fh_sim(
        [
            "calibrate",
            "budget=12",
            "scale=0.01",
            "workers=1",
            f"out={tmp_path / 'out'}",
            f"config_out={cfg}",
        ]
    )
    assert code == 0
    text = cfg.read_text(encoding="utf-8")
    assert text.startswith("# @package _global_")
    values = yaml.safe_load(text)
    rate = values["rules"]["migration"]["in_migration"]["rate"]
    assert 0.03 <= rate <= 0.08
    targets = pd.read_csv(tmp_path / "out" / "targets.csv")
    assert len(targets) == 13 and targets["source"].notna().all()
    hist = pd.read_csv(tmp_path / "out" / "loss_history.csv")
    assert len(hist) == 12 and np.isfinite(hist["loss"]).all()
    assert (hist["generation"] == 0).all()  # the initial population only
    for png in ("fit.png", "loss.png"):
        assert (tmp_path / "out" / png).read_bytes()[:4] == b"\x89PNG"
    assert "loss" in capsys.readouterr().out


def test_calibrate_and_validate_help(capsys):
    assert fh_sim(["calibrate", "--help"]) == 0 and "budget" in capsys.readouterr().out
    assert fh_sim(["validate", "--help"]) == 0 and "seeds" in capsys.readouterr().out


def test_calibrate_bad_argument_one_line(tmp_path, capsys):
    assert fh_sim(["calibrate", "budget=many", f"out={tmp_path}"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "budget" in err
    assert fh_sim(["calibrate", "budget=11", "scale=0.01", f"out={tmp_path}"]) == 2
    assert "at least 12" in capsys.readouterr().err
    assert fh_sim(["calibrate", "calibration=nope"]) == 2
    assert "nope" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())
