"""The comparison report in a real browser: no horizontal overflow, every image loaded.

Drives the system's Chromium (Debian package) headless through Playwright at a desktop
width (1400 px) and a phone width (390 px). Screenshots of the first screen and of the
whole page at both widths are written to the test's tmp folder (printed on failure).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from compare_synthetic import write_run, write_sweep
from fh_sim.analysis.compare import compare_runs

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = (1400, 390)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("runs")
    write_sweep(
        root / "sweep",
        scenarios={
            "baseline": list(range(5)),
            "transit": list(range(5)),
            "housing": list(range(5)),
        },
    )
    long_name = {
        "scenario": {
            "name": "transit",
            "description": "A late variant.",
            "link_edits": {
                "hoganas_rail_viken_hoganas": {
                    "op": "add",
                    "from_node": "viken",
                    "to_node": "hoganas",
                    "mode": "rail",
                    "minutes": 7,
                    "departures_per_hour": 2,
                    "start_year": 2022,
                }
            },
        }
    }
    for seed in range(2):
        write_run(
            root / "variant" / str(seed),
            scenario="transit",
            seed=7,
            replicate=seed,
            extra_config=long_name,
        )
    out = root / "report"
    compare_runs([root], out_dir=out, lang="sv")
    return out / "report.html"


def _metrics(page) -> dict:
    return page.evaluate("""() => {
        const imgs = Array.from(document.images);
        return {
            scroll: document.documentElement.scrollWidth,
            client: document.documentElement.clientWidth,
            images: imgs.length,
            broken: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.alt),
            wide: Array.from(document.querySelectorAll('body *')).filter(e => {
                const r = e.getBoundingClientRect();
                return r.right > document.documentElement.clientWidth + 1
                    && !e.closest('.wrap');
            }).map(e => e.tagName + '.' + e.className).slice(0, 5),
            viewport: !!document.querySelector('meta[name=viewport]'),
            firstScreen: document.body.innerText.slice(0, 400),
        };
    }""")


def test_report_renders_at_desktop_and_phone_width(report: Path, tmp_path: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            for width in WIDTHS:
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(report.as_uri(), wait_until="load")
                m = _metrics(page)
                page.screenshot(path=str(tmp_path / f"report_{width}px.png"))
                page.screenshot(path=str(tmp_path / f"report_{width}px_full.png"), full_page=True)
                assert m["viewport"]
                assert m["scroll"] <= m["client"], (width, m["wide"])
                assert m["wide"] == [], width
                assert m["images"] >= 6
                assert m["broken"] == [], width
                assert "Svaret i korthet" in m["firstScreen"]
                page.close()
        finally:
            browser.close()
    for width in WIDTHS:
        shot = tmp_path / f"report_{width}px.png"
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    print(f"screenshots: {tmp_path}")
