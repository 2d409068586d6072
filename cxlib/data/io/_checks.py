"""The schema's value checks (pandera), translated into problems an analyst can act on."""

from __future__ import annotations

import copy
import re
from typing import Any

import pandas as pd

from cxlib.data._spec import get_spec
from cxlib.data.io._report import py_value
from cxlib.errors import SHOW, Problem

TEXT_TYPES = ("id", "text", "category")
FIX = {
    "field_uniqueness": "Each {col} must appear only once: remove the repeated rows (the same record "
    "exported twice?) or check that the right column is mapped to '{col}'.",
    "not_nullable": "'{col}' is required in every row: fill in these cells or remove the rows.",
    "whole_number": "'{col}' must be a whole number.",
    "flag_0_1": "'{col}' is a 0/1 flag: use 1 or 0 (yes/no and true/false are also accepted).",
    "not_in_future": "A date after today is impossible here: check the date format (day and month "
    "swapped? pass --dayfirst or leave it out) and the export's year.",
    "not_before_1900": "Dates must be from 1900 on: a small number in a date column is not a date, "
    "and a year such as 1403 is read as a Persian (Jalali) date only when "
    "written as a whole date (1403/01/15).",
}
KIND = {
    "field_uniqueness": "duplicate id",
    "not_nullable": "blank in a required column",
    "whole_number": "not a whole number",
    "flag_0_1": "not a 0/1 flag",
    "not_in_future": "date in the future",
    "not_before_1900": "date before 1900",
}
_FAST: dict[tuple, Any] = {}


def number_fix(name: str, unit: str | None, ctype: str, mark: str | None = "") -> str:
    """The advice for text in a number column (the same from both readers).

    Parameters
    ----------
    name : str
        The column.
    unit : str or None
        Its unit or range (``"1-5"``), shown in parentheses.
    ctype : str
        Its cx type: a ``"score"`` column also gets advice on answer labels written as words.
    mark : str or None
        The column's decimal mark as the report states it (``"',' (from its values)"``), or '';
        None leaves a ``{mark}`` placeholder for the engine, which knows the mark later.

    Returns
    -------
    str
        The fix.

    Examples
    --------
    >>> print(number_fix("csat", "1-5", "score"))  # doctest: +NORMALIZE_WHITESPACE
    'csat' must hold numbers only (1-5): remove the text or map the right column. If these are
    answer labels such as 'Very satisfied', recode them to the scale's numbers first (a label that
    starts with its number, such as '5 - Very satisfied', is read as that number).
    """
    shown = "{mark}" if mark is None else (", with the decimal mark " + mark.split(" ", 1)[0] if mark else "")
    fix = f"'{name}' must hold numbers only{' (' + unit + ')' if unit else ''}{shown}: remove the text or map the right column."
    if ctype == "score":
        fix += (
            " If these are answer labels such as 'Very satisfied', recode them to the scale's numbers first "
            "(a label that starts with its number, such as '5 - Very satisfied', is read as that number)."
        )
    return fix


def duplicate_fix(col: str, rows: int, ids: int, copies: int | None) -> str:
    """The advice on repeated ids: how many repeats copy an earlier row, how many conflict with it.

    A copy has the same cleaned value as an earlier row with its id in every column the
    schema checks (both readers compare those, so they give the same counts; columns outside
    the schema are not compared).

    Parameters
    ----------
    col : str
        The id column.
    rows : int
        Rows whose id is written more than once (the first of each included).
    ids : int
        How many ids are repeated.
    copies : int or None
        Rows that repeat an earlier row in every checked column (None: not counted).

    Returns
    -------
    str
        The fix: the usual advice, then how many repeats are copies and how many conflict.

    Examples
    --------
    >>> print(duplicate_fix("response_id", 4, 2, 1))  # doctest: +NORMALIZE_WHITESPACE
    Each response_id must appear only once: remove the repeated rows (the same record exported
    twice?) or check that the right column is mapped to 'response_id'. Of the 2 repeats (rows
    after the first with their id), 1 repeats an earlier row in every checked column (the same
    answer exported twice?: keep one) and 1 gives the same id other values (check it in the source system).
    """
    fix = FIX["field_uniqueness"].format(col=col)
    extra = rows - ids
    if copies is None or extra <= 0:
        return fix
    other = extra - copies
    parts = []
    if copies:
        parts.append(
            f"{copies:,} {'repeats' if copies == 1 else 'repeat'} an earlier row in every checked column "
            "(the same answer exported twice?: keep one)"
        )
    if other:
        parts.append(
            f"{other:,} {'gives' if other == 1 else 'give'} the same id other values "
            f"(check {'it' if other == 1 else 'them'} in the source system)"
        )
    return f"{fix} Of the {extra:,} repeat{'s' if extra != 1 else ''} (rows after the first with their id), {' and '.join(parts)}."


def fast_schema(kind: str, present: frozenset) -> Any:
    """The kind's schema with the text dtypes relaxed, for validating frames built here.

    pandera checks a ``str`` dtype element by element in Python (about 0.5 s per
    million cells); every text column that reaches validation was built by the
    cleaning from ``str`` values, so that check is redundant here. All value checks
    (ranges, uniqueness, nullability, dates) still run in pandera. A unique
    combination whose columns are not all present is left to the missing-column
    problem (checking it would fail on the absent column).
    """
    key = (kind, present)
    if key not in _FAST:
        from cxlib.data.schemas import get_schema  # pandera: only the in-memory reader validates with it

        schema = get_schema(kind)
        schema = schema.update_columns(
            {n: {"dtype": None} for n, c in schema.columns.items() if c.metadata["cx_type"] in TEXT_TYPES}
        )
        if schema.unique and not set(schema.unique) <= present:
            schema = copy.deepcopy(schema)
            schema.unique = None
        _FAST[key] = schema
    return _FAST[key]


def _check_key(check: str) -> str:
    return re.sub(r"\(.*", "", str(check))


def _wide(key: str, idx: pd.Index, out: pd.DataFrame, kind: str) -> Problem:
    """Problems of checks across columns: resolved > complaints, duplicate combinations."""
    rows = tuple(int(i) for i in idx[:SHOW])
    if key == "resolved_le_complaints":
        vals = [
            f"{py_value(r)} resolved of {py_value(c)}"
            for r, c in zip(out.loc[idx[:SHOW], "complaints_resolved"], out.loc[idx[:SHOW], "complaints"])
        ]
        return Problem(
            "complaints_resolved greater than complaints",
            column="complaints_resolved",
            rows=rows,
            values=tuple(vals),
            count=len(idx),
            fix="A month cannot resolve more complaints than were made: check that the two columns are not swapped.",
        )
    ucols = list(get_spec(kind).unique or [])
    vals = [" ".join(str(py_value(v)) for v in row) for row in out.loc[idx[:SHOW], ucols].itertuples(index=False)]
    return Problem(
        "duplicate rows for the same " + " and ".join(ucols),
        column=" + ".join(ucols),
        rows=rows,
        values=tuple(vals),
        count=len(idx),
        fix=f"Each combination of {' and '.join(ucols)} must appear once: remove the "
        "repeated rows or aggregate them first.",
    )


def _describe(key: str, check: str, col: str, meta: dict, kind: str) -> tuple[str, str]:
    """(kind of problem, how to fix it) for one failed column check."""
    unit = f" {meta['unit']}" if meta.get("unit") and meta["cx_type"] not in ("score", "flag") else ""
    if key == "in_range":
        return "out of range", meta.get("fix") or f"'{col}' must be from {meta['min']:g} to {meta['max']:g}{unit}."
    if key == "greater_than_or_equal_to" and meta.get("cx_type") in ("date", "datetime"):
        return KIND["not_before_1900"], FIX["not_before_1900"]
    if key == "greater_than_or_equal_to":
        return (
            "negative value" if meta.get("min") == 0 else "below the minimum",
            meta.get("fix")
            or (
                f"'{col}' cannot be negative{' (' + unit.strip() + ')' if unit else ''}: "
                "check the sign and that refunds are not mixed in."
            ),
        )
    if key == "isin" and meta.get("cx_type") == "flag":
        return KIND["flag_0_1"], FIX["flag_0_1"].format(col=col)
    if key == "isin":
        return "value not allowed", f"Allowed values of '{col}': {', '.join(meta.get('allowed') or ())}."
    if key in KIND:
        custom = meta.get("fix") if key == "whole_number" else None
        return KIND[key], str(custom) if custom else FIX[key].format(col=col)
    return f"failed check {check}", f"See `cx schemas {kind}` for what '{col}' must contain."


def translate_failures(
    fc: pd.DataFrame,
    out: pd.DataFrame,
    kind: str,
    skip: dict[str, pd.Series],
    raw: pd.DataFrame | None = None,
    mapping: dict | None = None,
) -> list[Problem]:
    """pandera failure cases -> Problems (values shown as they are in the file)."""
    schema = get_spec(kind)
    problems: list[Problem] = []
    fc = fc[fc["index"].notna()]
    done_wide = set()
    for (col, check), g in fc.groupby(["column", "check"], sort=False, dropna=False):
        key = _check_key(check)
        idx = pd.Index(pd.unique(g["index"].astype("int64"))).sort_values()
        if key in ("resolved_le_complaints", "multiple_fields_uniqueness"):
            if key not in done_wide:
                done_wide.add(key)
                problems.append(_wide(key, idx, out, kind))
            continue
        if col not in out.columns:
            continue
        if col in skip:
            idx = idx[~skip[col].reindex(idx, fill_value=False).to_numpy()]
        if key == "field_uniqueness":
            idx = idx[out.loc[idx, col].notna().to_numpy()]
        if not len(idx):
            continue
        meta = schema.columns[col].metadata if col in schema.columns else {}
        kind_, fix = _describe(key, check, col, meta, kind)
        if key == "field_uniqueness":
            checked = [c for c in schema.columns if c in out.columns]  # cleaned values, as the engine compares
            copies = int(out.loc[idx, checked].duplicated().sum())
            fix = duplicate_fix(col, len(idx), int(out.loc[idx, col].nunique()), copies)
        src = (
            raw.loc[idx[:SHOW], mapping[col]]
            if raw is not None and mapping and col in mapping
            else out.loc[idx[:SHOW], col]
        )
        problems.append(
            Problem(
                kind_,
                column=col,
                rows=tuple(int(i) for i in idx[:SHOW]),
                values=tuple(py_value(v) for v in src),
                count=len(idx),
                fix=fix,
            )
        )
    return problems
