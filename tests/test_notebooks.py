"""The notebooks run end to end at small scale (executed with nbclient), so they never rot."""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
BUDGET_S = 60.0


def _execute(name: str, tmp_path: Path, monkeypatch) -> tuple[nbformat.NotebookNode, float]:
    monkeypatch.setenv("FH_SIM_NOTEBOOK_OUT", str(tmp_path))
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    started = time.perf_counter()
    NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    return nb, time.perf_counter() - started


def _images(nb: nbformat.NotebookNode) -> int:
    return sum(
        "image/png" in out.get("data", {})
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
    )


def _no_model_logic(nb: nbformat.NotebookNode) -> None:
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "import fh_sim" in code or "from fh_sim" in code
    for forbidden in ("def ", "class ", "np.random", "HousingModel("):
        assert forbidden not in code


@pytest.mark.slow
def test_quickstart_runs_the_baseline_and_plots(tmp_path: Path, monkeypatch) -> None:
    nb, seconds = _execute("01_quickstart.ipynb", tmp_path, monkeypatch)
    _no_model_logic(nb)
    assert (tmp_path / "quickstart_baseline" / "outcomes.parquet").is_file()
    assert _images(nb) >= 2
    assert seconds < 2 * BUDGET_S, f"01_quickstart took {seconds:.0f} s"


@pytest.mark.slow
def test_compare_notebook_writes_the_report(tmp_path: Path, monkeypatch) -> None:
    nb, seconds = _execute("02_compare_scenarios.ipynb", tmp_path, monkeypatch)
    _no_model_logic(nb)
    out = tmp_path / "compare"
    assert (out / "report.html").is_file() and (out / "summary.csv").is_file()
    assert _images(nb) >= 6
    assert seconds < 2 * BUDGET_S, f"02_compare_scenarios took {seconds:.0f} s"
