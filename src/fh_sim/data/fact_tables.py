"""Tables of the embedded data set: built from transcribed tuples, written as CSV.

Every ``python -m fh_sim.data...`` writer goes through :func:`write_tables`, so every CSV
file of ``familjen_helsingborg/`` has the same number format and line ends.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd

OUT = Path(__file__).parent / "familjen_helsingborg"


def fact_table(rows: Iterable[Sequence], columns: Sequence[str], **fixed: object) -> pd.DataFrame:
    """One row per tuple of ``rows``, columns in the order of ``columns``.

    Args:
        rows: tuples holding, in order, the values of the ``columns`` not named in ``fixed``.
        columns: the table's columns, in order.
        **fixed: columns that hold one value in every row (``status="observed"``).
    """
    given = [c for c in columns if c not in fixed]
    return pd.DataFrame(list(rows), columns=given).assign(**fixed)[list(columns)]


def _whole_numbers_as_integers(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with each column whose values are all whole numbers written without ``.0``."""
    df = df.copy()
    for col in df.columns:
        vals = df[col].dropna()
        if (
            df[col].dtype == object
            and len(vals)
            and all(isinstance(v, int | float) and float(v).is_integer() for v in vals)
            or df[col].dtype.kind == "f"
            and len(vals)
            and (vals % 1 == 0).all()
        ):
            df[col] = df[col].astype("Int64")
    return df


def write_tables(tables: Mapping[str, pd.DataFrame], out: Path = OUT) -> None:
    """Write each table to ``out/<name>.csv`` (whole numbers as integers, Unix line ends)."""
    out.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        _whole_numbers_as_integers(df).to_csv(out / f"{name}.csv", index=False, lineterminator="\n")
