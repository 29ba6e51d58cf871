"""``fh-sim validate``: the default (calibrated) baseline against post-2019 populations.

Arguments: ``seeds=N scale=S out=DIR`` and any Hydra override of the runs. The baseline
runs from 2019 and is compared with the municipal populations observed after 2019.

Writes ``validation.csv``, ``validation.png`` and ``verdict.md`` into ``out`` (default
``outputs/validation``) and prints the table, Spearman's rho and the MAE. Any other
``key=value`` is a Hydra override of the runs (e.g. ``calibrated=null``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from fh_sim.cli.calibrate_cmd import _number
from fh_sim.errors import ConfigError

OWN = {"seeds": "5", "scale": "1.0", "out": ""}


def main(argv: list[str], *, command: str = "validate", debug: bool = False) -> int:
    """Run the validation (see the module docstring)."""
    from fh_sim.calibrate.validate import BASE_YEAR, compare, simulate, verdict, write
    from fh_sim.region import load_region
    from fh_sim.region.load import resolve_data_dir

    if any(a in ("-h", "--help") for a in argv):
        print(__doc__)
        return 0
    args, overrides = dict(OWN), []
    for a in argv:
        key, sep, value = a.partition("=")
        if not sep:
            raise ConfigError(f"expected key=value, got {a!r}", key=a)
        if key in OWN:
            args[key] = value
        else:
            overrides.append(a)
    n_seeds = _number(args, "seeds", int, 1, 1000)
    scale = _number(args, "scale", float, 1e-4, 1.0)
    observed = pd.read_csv(resolve_data_dir(None) / "population_observed.csv")
    region = load_region()
    base_pop = region.municipalities["population_2019"]
    sim = simulate(list(range(n_seeds)), scale, int(observed["year"].max()), overrides)
    sim = sim[sim["year"] >= BASE_YEAR]
    v = compare(observed, base_pop, sim, scale)
    base = Path(os.environ.get("FH_SIM_OUTPUTS", Path.cwd() / "outputs"))
    out = Path(args["out"]) if args["out"] else base / "validation"
    write(v, out)
    print(v.table.to_string(index=False, float_format="%.2f"))
    print(
        f"\nSpearman {v.spearman:.3f}   MAE {v.mae_pp:.3f} pp/year\n\n{verdict(v)}\n\n"
        f"written to {out}"
    )
    return 0
