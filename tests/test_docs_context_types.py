"""The context table of docs/extending.md shows the types the code declares.

Every field of :class:`fh_sim.sim.state.StepContext` has a row ``ctx.<field>`` (or rows of
its attributes), and each row's type column is the field's annotation written the way the
guide writes types: ``IntArray`` as ``int[...]``, ``X | None`` as ``X or None``.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from fh_sim.sim.state import Dwellings, StepContext, Zones

GUIDE = (Path(__file__).resolve().parents[1] / "docs" / "extending.md").read_text(encoding="utf-8")
ROWS = dict(re.findall(r"^\| `(ctx(?:\.\w+)+)` \| ([^|]+?) \|", GUIDE, flags=re.M))
PLAIN = {
    "FloatArray": "float[]",
    "IntArray": "int[]",
    "BoolArray": "bool[]",
    "np.random.Generator": "`numpy.random.Generator`",
    "tuple[float, float]": "(float, float)",
    "dict[str, float]": "dict",
    "int": "int",
    "float": "float",
}


def as_written(annotation: str) -> str:
    """An annotation in the guide's words (array shapes left out)."""
    if annotation.endswith(" | None"):
        return f"{as_written(annotation.removesuffix(' | None'))} or None"
    return PLAIN.get(annotation, f"`{annotation}`")


def shown(doc_type: str) -> str:
    """The guide's type with the shape of arrays left out: ``int[n_zones, 3]`` -> ``int[]``."""
    return re.sub(r"\[[^\]]*\]", "[]", doc_type.strip())


def test_the_table_was_found():
    assert {"ctx.year", "ctx.rng", "ctx.dwellings.stock"} <= set(ROWS)


@pytest.mark.parametrize("field", [f.name for f in dataclasses.fields(StepContext)])
def test_every_context_field_is_in_the_table(field):
    assert any(row == f"ctx.{field}" or row.startswith(f"ctx.{field}.") for row in ROWS), field


@pytest.mark.parametrize(
    ("row", "cls", "name"),
    [(row, StepContext, row.split(".")[1]) for row in ROWS if row.count(".") == 1]
    + [
        (row, cls, row.split(".")[2])
        for row in ROWS
        for prefix, cls in (("ctx.dwellings.", Dwellings), ("ctx.zones.", Zones))
        if row.startswith(prefix)
    ],
)
def test_the_table_shows_the_declared_type(row, cls, name):
    annotation = {f.name: f.type for f in dataclasses.fields(cls)}[name]
    assert shown(ROWS[row]) == as_written(str(annotation)), (row, annotation)
