"""Step through one run year by year, in Mesa's idiom (play / pause / step one year).

One :class:`fh_sim.sim.model.HousingModel` lives in the explorer's process; each ``step()``
advances one calendar year and the views read its outcome table so far.
"""

from __future__ import annotations

from typing import Any

import pandas as pd


class Stepper:
    """A model to advance one year at a time.

    Args:
        sim: the run's typed config (``fh_sim.explore.runs.build_config``).
        region: the loaded region (shared, not copied).
    """

    def __init__(self, sim: Any, region: Any) -> None:
        from fh_sim.sim.model import HousingModel

        self.sim = sim
        self.model = HousingModel(sim, region=region)
        self.base_year = int(self.model.year)

    @property
    def year(self) -> int:
        """The calendar year whose end state the model holds."""
        return int(self.model.year)

    @property
    def done(self) -> bool:
        """True once the run has reached its last year."""
        return self.year >= self.sim.end_year

    def step(self) -> int:
        """Advance one year (nothing once done); return the year now held."""
        if not self.done:
            self.model.step()
        return self.year

    def outcomes(self) -> pd.DataFrame:
        """The tidy outcome table of the years simulated so far."""
        return self.model.outcomes()

    def zone_change(self, metric: str) -> pd.Series:
        """Zone-level ``metric`` now minus in the base year (by zone id)."""
        out = self.outcomes()
        sel = out[(out["level"] == "zone") & (out["metric"] == metric)]
        now = sel[sel["year"] == self.year].set_index("unit")["value"]
        then = sel[sel["year"] == self.base_year].set_index("unit")["value"]
        return (now - then.reindex(now.index)).astype(float)

    def series(self, metric: str, level: str = "municipality") -> pd.DataFrame:
        """``metric`` per unit of ``level`` over the years so far (index year, column unit)."""
        out = self.outcomes()
        sel = out[(out["level"] == level) & (out["metric"] == metric)]
        return sel.pivot_table(index="year", columns="unit", values="value")
