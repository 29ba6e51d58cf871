"""Read one CSV file of the region's data against its schema, with clear errors.

Every error is a :class:`fh_sim.errors.DataError` naming the file, the line (the header is
line 1) and the column; no parser traceback reaches the user.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd

from fh_sim.errors import DataError
from fh_sim.region.schema import MODES, STATUSES, Column, TableSpec

TRUE = {"true", "1", "yes"}
FALSE = {"false", "0", "no"}

MAX_WHOLE = 2.0**53  # whole numbers above this are not exact as floats nor sensible counts


def _convert(
    text: str, col: Column, *, file: str, line: int, name: str, decimal_comma: bool = False
) -> object:
    """Turn one cell into its typed value (``None`` for an allowed empty cell).

    ``decimal_comma``: the file is semicolon-separated (Swedish Excel), so ``1,5`` is 1.5.
    """
    text = text.strip()
    if text == "":
        if col.required:
            raise DataError("empty cell in a required column", file=file, row=line, column=name)
        return None
    kind = col.kind
    if kind in ("int", "float"):
        number = text.replace(",", ".") if decimal_comma else text
        try:
            value = float(number)
        except ValueError:
            hint = " (use a decimal point)" if "," in text else ""
            raise DataError(
                f"expected a number, found {text!r}{hint}", file=file, row=line, column=name
            ) from None
        if not math.isfinite(value):
            raise DataError(
                f"expected a finite number, found {text!r}", file=file, row=line, column=name
            )
        if kind == "int" and not value.is_integer():
            raise DataError(
                f"expected a whole number, found {text!r}", file=file, row=line, column=name
            )
        if kind == "int" and abs(value) > MAX_WHOLE:
            raise DataError(f"number too large, found {text}", file=file, row=line, column=name)
        if col.low is not None and (value < col.low or (col.low_open and value == col.low)):
            sign = ">" if col.low_open else ">="
            raise DataError(
                f"must be {sign} {col.low:g}, found {text}", file=file, row=line, column=name
            )
        if col.high is not None and value > col.high:
            raise DataError(
                f"must be <= {col.high:g}, found {text}", file=file, row=line, column=name
            )
        return int(value) if kind == "int" else value
    if kind == "bool":
        low = text.lower()
        if low in TRUE or low in FALSE:
            return low in TRUE
        raise DataError(f"expected True or False, found {text!r}", file=file, row=line, column=name)
    if kind == "status" and text not in STATUSES:
        raise DataError(
            f"must be one of {', '.join(STATUSES)}, found {text!r}",
            file=file,
            row=line,
            column=name,
        )
    if kind == "mode" and text not in MODES:
        raise DataError(
            f"must be one of {', '.join(MODES)}, found {text!r}", file=file, row=line, column=name
        )
    return text


def read_text(path: Path) -> str:
    """The file's text: UTF-8, with or without the byte-order mark Excel writes.

    Raises:
        DataError: the file is not UTF-8 text (names the encoding Excel may have used).
    """
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise DataError(f"cannot read the file: {err.strerror or err}", file=str(path)) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DataError(
            f"not UTF-8 text ({err.reason} at byte {err.start}); save it as "
            "'CSV UTF-8 (comma delimited)'",
            file=str(path),
        ) from None


def sniff_delimiter(text: str, spec: TableSpec, *, file: str) -> str:
    """``,`` as documented, or ``;`` when the header is semicolon-separated.

    Swedish Excel saves "CSV" with semicolons (the comma is the decimal mark there). A
    semicolon header is read as such; decimal commas in its cells are then named as
    an error by the number check.
    """
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    if "," in first or ";" not in first:
        return ","
    names = [h.strip() for h in first.split(";")]
    if any(name in spec.columns for name in names):
        return ";"
    return ","


def read_table(folder: Path, spec: TableSpec) -> pd.DataFrame | None:
    """Read and type-check ``folder / spec.file``.

    Args:
        folder: the region's data folder.
        spec: the file's schema.

    Returns:
        One row per data row, typed columns in file order plus ``csv_line`` (the line number
        of the row in the file); ``None`` when an optional file is absent.

    Raises:
        DataError: missing file, unreadable text, malformed CSV, missing column, bad cell,
            duplicate id.
    """
    path = folder / spec.file
    if not path.is_file():
        if spec.optional_file:
            return None
        raise DataError("required data file is missing", file=str(path))
    text = read_text(path)
    delimiter = sniff_delimiter(text, spec, file=str(path))
    reader = csv.reader(text.splitlines(), strict=True, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise DataError("file is empty (no header)", file=str(path), row=1) from None
    except csv.Error as err:
        raise DataError(f"malformed CSV: {err}", file=str(path), row=1) from None
    header = [h.strip() for h in header]
    for name in spec.columns:
        if name not in header:
            raise DataError("required column is missing", file=str(path), row=1, column=name)
    dup = {h for h in header if header.count(h) > 1}
    if dup:
        raise DataError("column appears twice", file=str(path), row=1, column=sorted(dup)[0])
    records: list[dict[str, object]] = []
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            raise DataError(f"malformed CSV: {err}", file=str(path), row=reader.line_num) from None
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise DataError(
                f"malformed CSV: expected {len(header)} fields, found {len(cells)}",
                file=str(path),
                row=line,
            )
        rec: dict[str, object] = {}
        for name, cell in zip(header, cells, strict=True):
            col = spec.columns.get(name)
            rec[name] = (
                _convert(
                    cell, col, file=str(path), line=line, name=name, decimal_comma=delimiter == ";"
                )
                if col
                else cell
            )
        rec["csv_line"] = line
        records.append(rec)
    if not records and not spec.optional_file:
        raise DataError("no data rows, only a header", file=str(path))
    df = pd.DataFrame(records, columns=[*header, "csv_line"])
    if spec.id_column is not None:
        seen: dict[object, int] = {}
        for value, line in zip(df[spec.id_column], df["csv_line"], strict=True):
            if value in seen:
                raise DataError(
                    f"duplicate id {value!r} (first on line {seen[value]})",
                    file=str(path),
                    row=int(line),
                    column=spec.id_column,
                )
            seen[value] = int(line)
    for name, col in spec.columns.items():
        if col.kind == "int":
            df[name] = df[name].astype("Int64" if not col.required else "int64")
        elif col.kind == "float":
            df[name] = pd.to_numeric(df[name], errors="coerce").astype(float)
        elif col.kind == "bool":
            df[name] = df[name].astype(bool)
    return df
