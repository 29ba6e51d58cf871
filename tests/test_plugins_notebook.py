"""notebooks/03_extend_a_rule.ipynb runs end to end at small scale in under a minute."""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "03_extend_a_rule.ipynb"


@pytest.mark.slow
def test_extend_a_rule_notebook_runs_and_shows_the_trigger_effect(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("FH_SIM_NOTEBOOK_OUT", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for forbidden in ("def ", "class ", "np.random", "HousingModel("):
        assert forbidden not in code  # the notebook holds no model logic
    started = time.perf_counter()
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    seconds = time.perf_counter() - started
    assert seconds < 60, f"03_extend_a_rule took {seconds:.0f} s"
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert any("image/png" in o.get("data", {}) for o in outputs)
    text = "\n".join(o.get("text", "") for o in outputs)
    assert "exit status 2" in text and "green_spcae" in text and "green_space" in text
    assert len(list((tmp_path / "green_space_sweep").glob("*/outcomes.parquet"))) == 2
