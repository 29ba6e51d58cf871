"""docs/odd.md is what the model's registry, stages and config say (it cannot drift)."""

from pathlib import Path

from fh_sim.sim.odd import render
from fh_sim.sim.stages import STAGES

ROOT = Path(__file__).resolve().parents[1]


def test_odd_page_is_generated_from_the_code():
    text = render()
    assert (ROOT / "docs" / "odd.md").read_text(encoding="utf-8") == text, (
        "docs/odd.md is stale: python -m fh_sim.sim.odd > docs/odd.md"
    )
    for stage in STAGES:
        assert f"`{stage.name}`" in text
    for section in ("## Overview", "## Design concepts", "## Details", "### Submodels"):
        assert section in text
    assert "`rules.utility.commute.coef`" in text
