"""The explorer in a real browser: headless Chromium drives ``fh-sim explore``.

Composes a scenario (an invalid one first), presses Run, waits for the result, checks
the difference table and the map, saves the scenario and loads it back, steps a run one
year, takes screenshots and stops the server with Ctrl-C. The Run is the target case
(scale 0.1, 2019-2040, 3 seeds); its time from click to table is printed.
Screenshots go to the test's folder, and also to ``$FH_SIM_EXPLORER_SCREENSHOTS`` if set.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from cli_helpers import FH_SIM

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RUN_TIMEOUT_MS = 300_000  # generous: the machine may be shared

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Chromium at /usr/bin/chromium"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """``fh-sim explore`` on a free port of 127.0.0.1; stopped with Ctrl-C afterwards."""
    port = _free_port()
    log = open(tmp_path / "server.log", "w+")  # noqa: SIM115 - closed below
    env = {**os.environ, "FH_SIM_OUTPUTS": str(tmp_path / "outputs")}
    proc = subprocess.Popen(
        [str(FH_SIM), "explore", "--port", str(port)],
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"the explorer did not start:\n{log.read()}")
            time.sleep(0.5)
    yield url, proc, tmp_path
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    log.close()


def _select(page, label: str, option: str) -> None:
    page.get_by_label(label, exact=True).first.click(force=True)
    page.locator(".v-overlay .v-list-item", has_text=re.compile(f"^{option}$")).first.click()


def _fill(page, label: str, value: str) -> None:
    field = page.get_by_label(label, exact=True).first
    field.fill(value)
    field.press("Enter")


def _shots(page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / name), full_page=True)
    extra = os.environ.get("FH_SIM_EXPLORER_SCREENSHOTS")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(extra) / name), full_page=False)


def test_compose_run_save_load_step_in_the_browser(server):
    url, proc, tmp_path = server
    sync = playwright.sync_playwright
    with sync() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1200})
        page.goto(url, timeout=90_000)
        run = page.get_by_role("button", name="Run", exact=True)
        run.wait_for(timeout=90_000)

        # compose: the Höganäs railway package plus a tenure mix that does not sum to 1
        _select(page, "Start from", "transit_hoganas_rail")
        _fill(page, "Scenario name", "hoganas_mix")
        page.get_by_label("Set tenure mix of new homes").check()
        _fill(page, "Rental share", "0.9")
        run.click()
        error = page.locator(".explorer-message", has_text="sum to 1")
        error.wait_for(timeout=RUN_TIMEOUT_MS)
        assert "housing_policies 'explorer_housing'" in error.inner_text()

        rental = page.get_by_label("Rental share", exact=True).first
        for _ in range(3):  # the page re-renders when the message appears; type again if lost
            _fill(page, "Rental share", "0.5")
            page.wait_for_timeout(1000)
            if rental.input_value() == "0.5":
                break
        started = time.perf_counter()
        run.click()
        try:
            page.locator("#diff-table").wait_for(timeout=RUN_TIMEOUT_MS)
        finally:
            page.screenshot(path=str(tmp_path / "after_run.png"), full_page=True)
        seconds = time.perf_counter() - started
        page.locator("#region-map circle.zone").first.wait_for(timeout=30_000)
        server_says = page.locator(".result-time").inner_text()
        print(
            f"\nRun to result (scale 0.1, 2019-2040, 3 seeds): {seconds:.1f} s in the "
            f"browser; server: {server_says}"
        )
        assert seconds < RUN_TIMEOUT_MS / 1000

        rows = page.locator("#diff-table tbody tr")
        assert rows.count() >= 10
        population = page.locator('#diff-table tr[data-metric="population"] td.diff')
        assert re.search(r"\d", population.inner_text())
        zones = page.locator("#region-map circle.zone")
        n_zones = zones.count()
        assert n_zones > 10
        values = [
            float(v)
            for v in zones.evaluate_all("els => els.map(e => e.getAttribute('data-value'))")
        ]
        assert any(v != 0 for v in values)
        assert page.locator("#region-map line.link.edited").count() == 3  # the new railway
        assert re.search(r"\d", page.locator("#region-map circle.zone title").first.text_content())
        _shots(page, tmp_path, "explorer.png")

        # save, then load the saved file back into the form
        _fill(page, "Config folder", str(tmp_path / "conf"))
        page.get_by_role("button", name="Save scenario as YAML").click()
        page.locator(".explorer-message", has_text="Saved").wait_for(timeout=30_000)
        saved = tmp_path / "conf" / "scenario" / "hoganas_mix.yaml"
        text = saved.read_text(encoding="utf-8")
        assert "rental_share: 0.5" in text and "hoganas_rail_viken_hoganas" in text
        page.get_by_role("button", name="Load", exact=True).click()
        page.locator(".explorer-message", has_text="Load: hoganas_mix").wait_for(timeout=30_000)

        # Swedish labels
        page.locator('button[value="sv"]').click()
        page.get_by_role("button", name="Kör", exact=True).wait_for(timeout=30_000)
        page.locator('button[value="en"]').click()

        # step through a run one year at a time
        page.get_by_role("button", name="Step through a run").click()
        page.get_by_role("button", name="Reset").click()
        page.locator(".step-year", has_text="Year: 2019").wait_for(timeout=60_000)
        page.get_by_role("button", name="Step one year").click()
        page.locator(".step-year", has_text="Year: 2020").wait_for(timeout=60_000)
        assert page.locator("#region-map circle.zone").count() == n_zones
        page.get_by_role("button", name="Play", exact=True).click()
        # a loaded machine may show two years in one render: wait for 2022 or later
        later = re.compile(r"Year: 20(2[2-9]|[34]\d)")
        page.locator(".step-year", has_text=later).wait_for(timeout=60_000)
        page.get_by_role("button", name="Pause", exact=True).click()
        page.get_by_role("button", name="Play", exact=True).wait_for(timeout=30_000)
        paused_at = page.locator(".step-year").inner_text()
        time.sleep(1.5)
        assert page.locator(".step-year").inner_text() == paused_at  # pause holds the year
        _shots(page, tmp_path, "explorer_step.png")
        browser.close()

    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C
    assert proc.wait(timeout=30) == 0
    log = (tmp_path / "server.log").read_text()
    assert "serving on http://127.0.0.1:" in log and "stopped" in log
    assert "Traceback" not in log
