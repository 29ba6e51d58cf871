"""Time from pressing Run to the result in ``fh-sim explore``, measured in a real browser.

    python benchmarks/bench_explore.py [--repeat 3]

Starts ``fh-sim explore`` on a free port with the start-up baseline switched off
(``FH_SIM_EXPLORE_WARM=0``), drives headless Chromium, and for the target case (scale 0.1,
2019-2040, 3 seeds) presses Run for several ready-made scenarios in turn: the first Run also
runs the baseline (cold); the later ones find it in the cache (warm), as every Run after
the server's start-up does. Prints one line per Run: browser time from the click to the
difference table, the server's own time, the runs read from the cache, and the load average.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

FH_SIM = Path(sys.executable).parent / "fh-sim"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCENARIOS = [
    "safety_programme",
    "higher_trust",
    "income_uplift",
    "transit_hoganas_rail",
    "brand_campaign",
    "growth_first",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="warm Runs after the cold one")
    args = parser.parse_args()
    port = _free_port()
    workdir = Path(tempfile.mkdtemp(prefix="bench_explore_"))
    env = {**os.environ, "FH_SIM_EXPLORE_WARM": "0"}
    proc = subprocess.Popen(
        [str(FH_SIM), "explore", "--port", str(port)],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(180):
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                time.sleep(0.5)
        time.sleep(5)  # let the worker processes import the model
        warm = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1600, "height": 1200})
            page.goto(url, timeout=90_000)
            run = page.get_by_role("button", name="Run", exact=True)
            run.wait_for(timeout=90_000)
            name = page.get_by_label("Scenario name", exact=True).first
            name.fill("bench")
            for i, scen in enumerate(SCENARIOS[: args.repeat + 1]):
                page.get_by_label("Start from", exact=True).first.click(force=True)
                page.locator(".v-overlay .v-list-item", has_text=scen).first.click()
                page.locator(".result-time").wait_for(
                    state="detached", timeout=5_000
                ) if i == 0 else None
                before = page.locator(".result-time").all_inner_texts()
                started = time.perf_counter()
                run.click()
                page.wait_for_function(
                    "b => { const e = document.querySelector('.result-time');"
                    " return e && e.innerText !== b; }",
                    arg=before[0] if before else "",
                    timeout=180_000,
                )
                page.locator("#diff-table").wait_for(timeout=180_000)
                seconds = time.perf_counter() - started
                server = page.locator(".result-time").inner_text()
                kind = "cold" if i == 0 else "warm"
                if i:
                    warm.append(seconds)
                print(
                    f"{kind} {scen:<22} browser {seconds:5.1f} s | server: {server} | "
                    f"load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
            browser.close()
        if warm:
            print(
                f"warm Runs: median {statistics.median(warm):.1f} s, "
                f"max {max(warm):.1f} s over {len(warm)}"
            )
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
