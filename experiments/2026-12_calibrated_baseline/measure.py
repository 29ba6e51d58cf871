"""The calibrated baseline at full scale: Theil drift, and scenario effects in 2040 and 2050.

Reuses the runner and the outcome definitions of ``2026-11_scenario_effects/measure.py``
(every run composed from ``conf/config.yaml``, so with the calibrated values), runs the
baseline and the scenarios named for replicates ``0..n-1`` to 2050 and prints:

- the region's Theil index 2019 and 2030 per replicate and the mean relative change;
- per scenario and outcome, the mean paired difference and 90 % interval in 2040 and 2050;
- per stated expectation (``expected.py``), the measured effect and the verdict.

    python experiments/2026-12_calibrated_baseline/measure.py --replicates 5 \
        --scale 1.0 --out outputs/calibrated_effects --scenarios growth_first \
        current_residents_first
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location(
    "scenario_effects", HERE.parent / "2026-11_scenario_effects" / "measure.py")
effects = importlib.util.module_from_spec(_spec)
sys.modules["scenario_effects"] = effects  # dataclasses and worker processes look it up
_spec.loader.exec_module(effects)
sys.path.insert(0, str(HERE))
import expected  # noqa: E402  (this folder's expectations)


def theil(out: Path, replicates: int) -> pd.DataFrame:
    """Region's Theil index in 2019 and 2030 per replicate of the baseline."""
    rows = []
    for r in range(replicates):
        df = pd.read_parquet(out / f"baseline_r{r}.parquet")
        t = df[(df.level == "region") & (df.metric == "theil_income")].set_index("year")["value"]
        rows.append({"replicate": r, "theil_2019": t[2019], "theil_2030": t[2030],
                     "change_pct": 100 * (t[2030] / t[2019] - 1)})
    return pd.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--replicates", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path, default=Path("outputs/calibrated_effects"))
    ap.add_argument("--scenarios", nargs="*", default=None)
    a = ap.parse_args()
    names = ["baseline", *(a.scenarios or effects.SPECS)]
    jobs = [(s, r, a.scale, 2050, [], str(a.out)) for s in names for r in range(a.replicates)]
    with ProcessPoolExecutor(a.jobs) as pool:
        list(pool.map(effects.run_one, jobs))
    th = theil(a.out, a.replicates)
    print(th.to_string(index=False, float_format="%.4f"))
    print(f"Theil 2019 -> 2030, mean of {a.replicates}: {th.theil_2019.mean():.4f} -> "
          f"{th.theil_2030.mean():.4f} ({np.mean(th.change_pct):+.1f} %)\n")
    judged = {}
    for year in (2040, 2050):
        t = effects.table(a.out, a.replicates, year, a.scenarios)
        t.to_csv(a.out / f"effects_{year}.csv", index=False)
        print(f"### {year}\n\n{effects.markdown(t)}\n")
        judged[year] = expected.verdicts(t)
        judged[year].to_csv(a.out / f"verdicts_{year}.csv", index=False)
    print(f"### Expected and measured\n\n{expected.markdown(judged)}\n")


if __name__ == "__main__":
    main()
