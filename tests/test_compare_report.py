"""The HTML report is valid, self-contained and escapes config text; files are written."""

from __future__ import annotations

import base64
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from compare_synthetic import write_run, write_sweep
from fh_sim.analysis.compare import compare_runs

VOID = {"meta", "img", "br", "hr", "link", "input", "col", "source", "wbr"}
EVIL = "<script>alert('x')</script> & \"quotes\""


class Checker(HTMLParser):
    """Checks that every non-void tag is closed in order; collects images and tags."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.imgs: list[dict[str, str | None]] = []
        self.tags: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == "img":
            self.imgs.append(dict(attrs))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sweep")
    write_sweep(root, scenarios={"baseline": [0, 1, 2], "transit": [0, 1, 2]})
    write_run(root / "evil", scenario="housing", seed=7, replicate=0, description=EVIL,
              extra_config={"assumptions": {"mortality_scale": 1.1}})
    write_run(root / "broken", scenario="housing", seed=7, replicate=1, status="running")
    out = root / "report"
    compare_runs([root], out_dir=out, with_map=False)
    return out


def test_report_is_valid_html_with_embedded_images(report_dir: Path) -> None:
    html = (report_dir / "report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    checker = Checker()
    checker.feed(html)
    checker.close()
    assert checker.errors == []
    assert checker.stack == []
    assert {"html", "head", "body", "title", "table", "figure"} <= checker.tags
    assert "script" not in checker.tags and "link" not in checker.tags
    pngs = sorted(report_dir.glob("*.png"))
    assert len(checker.imgs) == len(pngs) >= 5
    for img in checker.imgs:
        src = img["src"] or ""
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert "http://" not in html and "https://" not in html


def test_report_contents_and_escaping(report_dir: Path) -> None:
    html = (report_dir / "report.html").read_text(encoding="utf-8")
    checker = Checker()
    checker.feed(html)
    text = "".join(checker.text)
    assert EVIL in text  # shown to the reader as text, not run as markup
    assert "&lt;script&gt;" in html
    for heading in ("How to read this", "Scenarios", "Assumptions in force",
                    "Summary table", "The transit scenario."):
        assert heading in text
    # the assumption that differs between scenarios is listed with both values
    assert "assumptions.mortality_scale" in text and "1.1" in text
    assert "incomplete run left out" in text and "broken" in text
    assert "Scale 0.05: counts (persons, households, moves) are of the simulated" in text


def test_summary_files_match(report_dir: Path) -> None:
    csv = pd.read_csv(report_dir / "summary.csv")
    pq = pd.read_parquet(report_dir / "summary.parquet")
    assert len(csv) == len(pq) > 0
    assert list(csv.columns) == list(pq.columns)
    assert set(csv["scenario"]) == {"baseline", "transit", "housing"}
    pd.testing.assert_series_equal(csv["mean"], pq["mean"], check_exact=False, rtol=1e-12)
    housing = pq[pq.scenario == "housing"]
    assert (housing["n_runs"] == 1).all() and (housing["n_pairs"] == 1).all()
