"""The HTML report is valid, self-contained and escapes config text; files are written."""

from __future__ import annotations

import base64
import re
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
    write_run(
        root / "evil",
        scenario="housing",
        seed=7,
        replicate=0,
        description=EVIL,
        extra_config={"assumptions": {"mortality_scale": 1.1}},
    )
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
    for heading in (
        "How to read this",
        "Scenarios",
        "Assumptions behind these effects",
        "Appendix: full configuration",
        "The transit scenario.",
    ):
        assert heading in text
    # the assumption that differs between scenarios is listed with both values
    assert "assumptions.mortality_scale" in text and "1.1" in text
    assert "incomplete run left out" in text and "broken" in text
    # the scale is stated once; counts are real numbers
    assert text.count("scale 0.05") == 1
    assert "divided by 0.05" in text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_report_opens_with_the_answer_and_ends_with_the_config(report_dir: Path) -> None:
    html = (report_dir / "report.html").read_text(encoding="utf-8")
    order = [
        "The answer in brief",
        "Change against baseline per municipality",
        "<h2>Plots",
        "How to read this",
        "Assumptions behind these effects",
        "Appendix: full configuration",
    ]
    positions = [html.index(h) for h in order]
    assert positions == sorted(positions)
    assert html.rindex("<h2") < positions[-1]  # the appendix is the last section
    answer = html[positions[0] : positions[1]]
    # three paired seeds: said, warned, and nothing called firm
    assert "paired on 3 seeds" in answer
    assert "Only 3 paired seed(s)" in answer
    assert "<b>" not in answer.replace("<b>baseline</b>", "")
    assert re.search(r"Population: (Helsingborg|Klippan) \+6\d0 persons \(\+", answer)
    assert "the region +" in answer


def test_summary_files_match(report_dir: Path) -> None:
    csv = pd.read_csv(report_dir / "summary.csv")
    pq = pd.read_parquet(report_dir / "summary.parquet")
    assert len(csv) == len(pq) > 0
    assert list(csv.columns) == list(pq.columns)
    assert set(csv["scenario"]) == {"transit", "housing"}
    assert set(csv["level"]) == {"region", "municipality"}
    pd.testing.assert_series_equal(csv["mean"], pq["mean"], check_exact=False, rtol=1e-12)
    housing = pq[pq.scenario == "housing"]
    assert (housing["n_pairs"] == 1).all()
    assert not pq["firm"].any()  # fewer than five paired seeds
    xlsx = pd.read_excel(report_dir / "summary.xlsx", sheet_name=None)
    assert list(xlsx) == ["Region", "Municipalities"]
    assert len(xlsx["Region"]) + len(xlsx["Municipalities"]) == len(csv)
    assert "Change 5 %" in xlsx["Region"].columns


def test_counts_are_real_numbers(report_dir: Path) -> None:
    """Synthetic transit adds 10 per year to every value: +30 agents by 2022 at scale 0.05
    is +600 persons; the baseline level is the agents' count divided by the scale."""
    pq = pd.read_parquet(report_dir / "summary.parquet")
    row = pq[
        (pq.scenario == "transit") & (pq.level == "region") & (pq.metric == "population")
    ].iloc[0]
    assert row["unit"] == "persons"
    assert abs(row["mean"] - 600) < 60
    assert row["q05"] <= row["mean"] <= row["q95"]
    assert 100 / 0.05 < row["baseline_level"] < 200 / 0.05
    details = pd.read_csv(report_dir / "details.csv")
    assert {"n_runs", "n_pairs", "diff_mean"} <= set(details.columns)


def test_swedish_report(tmp_path: Path) -> None:
    write_sweep(
        tmp_path / "runs", scenarios={"baseline": [0, 1, 2, 3, 4], "transit": [0, 1, 2, 3, 4]}
    )
    out = tmp_path / "sv"
    compare_runs([tmp_path / "runs"], out_dir=out, with_map=False, lang="sv")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="sv">' in html
    for sv in (
        "Svaret i korthet",
        "Förändring mot baseline per kommun",
        "Befolkning",
        "Bilaga: fullständig konfiguration",
        "personer",
        "Så läser du rapporten",
    ):
        assert sv in html
    for en in ("The answer in brief", "How to read this", "Population", "persons"):
        assert en not in html
    xlsx = pd.read_excel(out / "summary.xlsx", sheet_name=None)
    assert list(xlsx) == ["Region", "Kommuner"]
    # five paired seeds and an effect far outside the noise: firm, shown in bold
    pq = pd.read_parquet(out / "summary.parquet")
    assert pq[(pq.metric == "population")]["firm"].all()
    assert re.search(r"<b>(Helsingborg|Klippan) \+6\d0 personer", html)


def test_late_lever_is_flagged(tmp_path: Path) -> None:
    edit = {"op": "add", "from_node": "a", "to_node": "b", "start_year": 2022}
    late = {"op": "add", "from_node": "a", "to_node": "c", "start_year": 2030}
    for seed in range(2):
        write_run(tmp_path / f"b{seed}", scenario="baseline", seed=seed)
        write_run(
            tmp_path / f"t{seed}",
            scenario="transit",
            seed=seed,
            extra_config={
                "scenario": {
                    "name": "transit",
                    "description": "x",
                    "link_edits": {"e1": edit, "e2": late},
                }
            },
        )
    comp = compare_runs([tmp_path], with_map=False)
    (summary,) = comp.summaries
    assert "1 network change from 2022: in force 1 of 3 years" in summary.warnings
    assert (
        "1 network change starts in 2030, after the horizon 2022: never in force"
        in summary.warnings
    )
