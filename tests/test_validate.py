"""``fh-sim validate``: the baseline against the post-2019 figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fh_sim.calibrate.validate import compare
from fh_sim.cli import main as fh_sim


def _observed() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "municipality": ["A", "B", "C"],
            "year": [2022, 2023, 2024],
            "population": [1030, 2000, 3300],
            "source": ["x"] * 3,
        }
    )


def test_perfect_simulation_has_zero_error_and_rank_one():
    base = pd.Series({"A": 1000, "B": 2000, "C": 3000})
    rows = []
    for seed in (0, 1):
        for m, y, p in [("A", 2022, 1030), ("B", 2023, 2000), ("C", 2024, 3300)]:
            rows += [(seed, m, 2019, base[m]), (seed, m, y, p)]
    sim = pd.DataFrame(rows, columns=["seed", "unit", "year", "value"])
    v = compare(_observed(), base, sim, 1.0)
    assert v.mae_pp == pytest.approx(0.0, abs=1e-12) and v.spearman == pytest.approx(1.0)
    a = v.table.set_index("municipality").loc["A", "observed_pct_per_year"]
    assert a == pytest.approx(100 * (1.03 ** (1 / 3) - 1))


def test_validate_command_small(tmp_path, capsys):
    assert fh_sim(["validate", "seeds=2", "scale=0.02", f"out={tmp_path}"]) == 0
    table = pd.read_csv(tmp_path / "validation.csv")
    observed = pd.read_csv("src/fh_sim/data/familjen_helsingborg/population_observed.csv")
    assert len(table) == len(observed)
    assert (table["simulated_p05"] <= table["simulated_pct_per_year"] + 1e-9).all()
    verdict = (tmp_path / "verdict.md").read_text(encoding="utf-8")
    mae = float(verdict.split("MAE ")[1].split()[0])
    assert mae == pytest.approx(np.abs(table["error_pp"]).mean(), abs=1e-3)
    assert (tmp_path / "validation.png").read_bytes()[:4] == b"\x89PNG"
    assert "Spearman" in capsys.readouterr().out
