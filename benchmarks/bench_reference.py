"""Speed of the vectorised household rules against the per-agent Mesa reference.

Both models run the same rules (ageing, relocation triggers, utility terms, lottery
allocation, prices, construction, zone dynamics; no border migration), the same config
and the same seeds, on the Familjen Helsingborg region at the scale that gives about
2,000 and 20,000 households. The time is the mean wall time of one simulated year after
a first, untimed year (which holds the rule contract's one-off first-call checks).

    python benchmarks/bench_reference.py [--years 2] [--seeds 0 1]
"""

from __future__ import annotations

import argparse
import time

from fh_sim.config import RulesConfig, SimConfig
from fh_sim.reference import ReferenceModel
from fh_sim.region import load_region
from fh_sim.sim.model import HousingModel


def config(seed: int, scale: float) -> SimConfig:
    """The shared config: the household rules only (the reference has no migration)."""
    rules = RulesConfig()
    rules.demography = {"ageing": {}}
    rules.migration = {}
    return SimConfig(seed=seed, scale=scale, end_year=2050, rules=rules, check_invariants=False)


def seconds_per_year(model, years: int) -> float:
    """Mean wall time of ``model.step()`` over ``years`` steps, seconds."""
    model.step()  # warm-up year, not timed
    started = time.perf_counter()
    for _ in range(years):
        model.step()
    return (time.perf_counter() - started) / years


def main() -> None:
    """Print one row per size: households, s/year vectorised, s/year per agent, ratio."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--years", type=int, default=2)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    ap.add_argument("--sizes", type=int, nargs="+", default=[2_000, 20_000])
    args = ap.parse_args()
    region = load_region(SimConfig().region.data_dir)
    n_full = HousingModel(config(0, 0.01), region=region).households.n / 0.01
    print(f"{'households':>10} {'vectorised s/yr':>16} {'per-agent s/yr':>15} {'ratio':>7}")
    for size in args.sizes:
        scale = size / n_full
        vec, ref, n = [], [], 0
        for seed in args.seeds:
            v = HousingModel(config(seed, scale), region=region)
            n = v.households.n
            vec.append(seconds_per_year(v, args.years))
            r = ReferenceModel(config(seed, scale), region=region)
            ref.append(seconds_per_year(r, args.years))
        t_vec, t_ref = sum(vec) / len(vec), sum(ref) / len(ref)
        print(f"{n:>10,d} {t_vec:>16.4f} {t_ref:>15.3f} {t_ref / t_vec:>6.0f}x")


if __name__ == "__main__":
    main()
