"""What :func:`~cxlib.data.engine._scan.scan` counts and checks for each column, as SQL.

:func:`plan_columns` gives each mapped schema column its cleaning and the counts taken
on it (blanks, blank markers, conversions); :func:`plan_extras` the columns the schema
does not know; :func:`plan_checks` every problem check as a condition on a row. Column
counts (``cagg``: name -> (column, condition)) are taken on each column's distinct
values, row counts (``ragg``: name -> SQL condition, counted on the rows).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from cxlib.data._spec import EARLIEST_DATE_TEXT
from cxlib.data.engine import _clean
from cxlib.data.io._checks import FIX, KIND, _describe, number_fix
from cxlib.data.io._dates import date_problem_fix
from cxlib.data.io._process import _INF_FIX
from cxlib.data.io._text import LETTER_RE, NONASCII_DIGIT_RE, TEXT_NA_TOKENS

#: One schema column to read: (schema name, the source's column, cx type, metadata, its cleaning).
Spec = tuple[str, str, str, dict, _clean.Cleaned]
#: One check: (schema name, the source's column, problem kind, fix, SQL condition on a row).
Check = tuple[str, str, str, str, str]


def _c_numeric(d, col: str) -> str:
    """The cell is what pandas' C parser reads as a number (or is empty): a cast, no regular expression."""
    f = d.try_double(col)
    return f"({d.is_blank(col)} OR ({f} IS NOT NULL AND NOT isnan({f}) AND instr({col}, '_') = 0))"


def _dot_conditions(d, t: str) -> tuple[str, str]:
    """(a value proves a decimal point, a value such as 1.234 could be either): only cells with a dot are matched."""
    dot = (
        f"(CASE WHEN {t} LIKE '%.%' THEN {d.full_match(t, _clean.DOT_RE)} AND NOT "
        f"{d.full_match(t, _clean.AMBIGUOUS_DOT_RE)} ELSE FALSE END)"
    )
    amb = f"(CASE WHEN {t} LIKE '%.%' THEN {d.full_match(t, _clean.AMBIGUOUS_DOT_RE)} ELSE FALSE END)"
    return dot, amb


def _rawblank(d: Any, types: dict, c: str) -> str:
    """A cell with nothing in it (a NaN in a column of decimals too, as pandas reads it)."""
    ci = d.ident(c)
    if types[c] == "text":
        return d.is_blank(ci)
    return f"({ci} IS NULL OR isnan(CAST({ci} AS DOUBLE)))" if types[c] == "float" else f"({ci} IS NULL)"


def _cleaning(d: Any, name: str, fcol: str, ctype: str, meta: dict, t: str, csv: bool, cagg: dict) -> _clean.Cleaned:
    """The cleaning of one schema column of type ``ctype`` (``cagg`` gains the lower-cased count of a category)."""
    c = d.ident(fcol)
    if ctype == "text":
        return _clean.raw(d, c, t)
    if ctype in ("id", "category"):
        cl = _clean.text(d, c, t, id_column=ctype == "id", csv=csv)
        if meta.get("allowed") and t == "text":
            low = f"lower({cl.value})"
            cagg[f"{name}|lowered"] = (fcol, f"{cl.value} <> {low}")
            cl = _clean.Cleaned(low, cl.blank, low, cl.bad, cl.other)
        return cl
    if ctype in ("int", "float", "score"):
        return _clean.number(d, c, t, labels=ctype == "score")
    if ctype == "flag":
        return _clean.flag(d, c, t, meta.get("words"))
    return _clean.date(d, c, t)


def _conversion_counts(d: Any, name: str, fcol: str, ctype: str, cl: _clean.Cleaned, cagg: dict) -> None:
    """Counts of the conversions the in-memory reader makes on a text column (spaces, digits, letters, markers)."""
    c = d.ident(fcol)
    if ctype in ("id", "category"):
        inv = f"translate({c}, {d.string(chr(0xA0) + _clean.INVISIBLE)}, ' ')"
        spaces = f"(CASE WHEN {d.is_ascii(c)} THEN {c} <> {d.strip(c)} ELSE {inv} <> {d.strip(inv)} END)"
        cagg[f"{name}|spaces"] = (fcol, f"{c} IS NOT NULL AND {spaces}")
    if ctype in ("id", "int", "float", "score", "flag", "date", "datetime"):
        cagg[f"{name}|digits"] = (fcol, f"NOT {d.is_ascii(c)} AND {d.contains(c, NONASCII_DIGIT_RE)}")
    if ctype in ("id", "category", "date", "datetime"):
        cagg[f"{name}|letters"] = (fcol, f"NOT {d.is_ascii(c)} AND {d.contains(c, LETTER_RE)}")
    if ctype in ("int", "float", "score", "flag", "date", "datetime"):
        cagg[f"{name}|markers"] = (fcol, _clean.marker(d, c, cl.blank))
    if ctype in ("int", "float", "score", "flag"):
        cagg[f"{name}|cnum"] = (fcol, f"NOT {_c_numeric(d, c)}")


def plan_columns(
    d: Any, schema: Any, mapping: dict, types: dict, csv: bool
) -> tuple[list[Spec], dict[str, tuple[str, str]], dict[str, str], list[str]]:
    """Each mapped schema column's cleaning, and the counts taken on it.

    Parameters
    ----------
    d : Dialect
        The backend's SQL dialect.
    schema : cxlib.data._spec.TableSpec
        The description of the table kind (the one the pandera schema is built from).
    mapping : dict
        Schema column -> the source's column (only mapped columns are read).
    types : dict
        The source's column -> its type (``"text"``, ...).
    csv : bool
        Whether the source is a CSV file (ids keep their leading zeros as written).

    Returns
    -------
    spec : list of Spec
        The columns read, in schema order.
    cagg : dict
        Counts taken on each column's distinct values: name -> (column, condition).
    ragg : dict
        Counts taken on the rows: name -> SQL condition (the rows where it holds are counted).
    grouped : list of str
        The source's columns counted on their distinct values (all but free text).
    """
    cagg: dict[str, tuple[str, str]] = {}
    ragg: dict[str, str] = {}
    grouped: list[str] = []
    spec: list[Spec] = []
    for name, col in schema.columns.items():
        if name not in mapping:
            continue
        fcol = mapping[name]
        ctype, meta = col.metadata["cx_type"], col.metadata
        t = types[fcol]
        cl = _cleaning(d, name, fcol, ctype, meta, t, csv, cagg)
        spec.append((name, fcol, ctype, meta, cl))
        if ctype == "text":  # free text: often one distinct value per row, so counted on the rows
            ragg[f"{name}|null"] = f"{cl.value} IS NULL"
            continue
        grouped.append(fcol)
        cagg[f"{name}|other"] = (fcol, cl.other)
        cagg[f"{name}|null"] = (fcol, f"{cl.value} IS NULL AND NOT {cl.bad}")
        if t != "text":
            continue
        _conversion_counts(d, name, fcol, ctype, cl, cagg)
    return spec, cagg, ragg, grouped


def _all_of(conditions: list[str]) -> str:
    """All of ``conditions`` (never NULL), each tested only where the ones before it hold.

    A nested ``CASE`` rather than ``AND``: the engines evaluate every operand of ``AND`` on
    every row, and an empty row needs a blank cell in every column, which the first column
    already rules out on almost every row.
    """
    if not conditions:
        return "FALSE"
    out = f"({conditions[-1]})"
    for cond in reversed(conditions[:-1]):
        out = f"(CASE WHEN {cond} THEN {out} ELSE FALSE END)"
    return out


def plan_extras(
    d: Any, extra_columns: list, all_cols: list, types: dict, grouped: list, cagg: dict, ragg: dict
) -> tuple[list[tuple[str, _clean.Cleaned]], str]:
    """The columns the schema does not know, and the empty rows (every cell blank).

    Parameters
    ----------
    d : Dialect
        The backend's SQL dialect.
    extra_columns : list of str
        The source's columns outside the schema.
    all_cols : list of str
        Every column of the source.
    types : dict
        The source's column -> its type.
    grouped : list of str
        The columns counted on their distinct values (from :func:`plan_columns`).
    cagg, ragg : dict
        The column and row counts, extended in place: ``x_cnum`` of each text column outside
        the schema (does any cell fail pandas' reading as a number?) and ``__empty``.

    Returns
    -------
    extra_spec : list of (str, Cleaned)
        Each text column outside the schema with its cleaning as a number.
    empty : str
        The SQL condition of an empty row (every cell blank).
    """
    empty = _all_of([_rawblank(d, types, c) for c in all_cols])
    extra_spec = []
    for c0 in extra_columns:
        if types.get(c0) != "text":
            continue
        cl = _clean.number(d, d.ident(c0), "text")
        extra_spec.append((c0, cl))
        ragg[f"{c0}|x_cnum"] = f"NOT {_c_numeric(d, d.ident(c0))}"
    if all_cols:  # empty rows, counted on the rows (each cell after the first is tested only where the first is blank)
        ragg["__empty"] = empty
    return extra_spec, empty


def _type_checks(name: str, fcol: str, ctype: str, meta: dict, cl: _clean.Cleaned, year_now: int) -> list[Check]:
    """The checks of a value's type: text in a number column, an infinite value, a flag or date not understood."""
    v = cl.value
    checks: list[Check] = []
    if ctype in ("int", "float", "score"):
        unit = meta["unit"]
        checks.append(
            (
                name,
                fcol,
                "text in a number column",
                number_fix(name, unit, ctype, None),
                cl.bad,
            )
        )
        checks.append((name, fcol, "infinite value", _INF_FIX.format(col=name), f"abs({v}) = CAST('inf' AS DOUBLE)"))
    elif ctype == "flag":
        fix = FIX["flag_0_1"].format(col=name)
        if meta.get("words"):
            w = meta["words"]
            fix += (
                " These values are not understood: write them as 1/0, yes/no, true/false or "
                + "/".join(
                    sorted(k for k, x in w.items() if x == 1)[:1] + sorted(k for k, x in w.items() if x == 0)[:1]
                )
                + "."
            )
        checks.append((name, fcol, "not a 0/1 flag", fix, cl.bad))
    elif ctype in ("date", "datetime"):
        year = f"TRY_CAST(substr({cl.text}, 1, 4) AS INTEGER)"
        checks.append((name, fcol, "date in the future", FIX["not_in_future"], f"({cl.bad} AND {year} > {year_now})"))
        checks.append(
            (
                name,
                fcol,
                "date not understood",
                date_problem_fix(name),
                f"({cl.bad} AND NOT coalesce({year} > {year_now}, FALSE))",
            )
        )
    return checks


def _schema_checks(d: Any, kind: str, s: Spec, col: Any, tomorrow: str) -> list[Check]:
    """The schema's own checks (pandera's, in its order: nullable, unique, value checks)."""
    name, fcol, ctype, meta, cl = s
    v = cl.value
    checks: list[Check] = []
    usable = (
        f"({v} IS NOT NULL AND NOT abs({v}) = CAST('inf' AS DOUBLE))"
        if ctype in ("int", "float", "score", "flag")
        else f"({v} IS NOT NULL)"
    )
    if not col.nullable:
        k, fx = KIND["not_nullable"], FIX["not_nullable"].format(col=name)
        checks.append((name, fcol, k, fx, f"({v} IS NULL AND NOT {cl.bad})"))
    if col.unique:
        checks.append((name, fcol, "__unique", "", ""))
    lo, hi = meta.get("min"), meta.get("max")
    if lo is not None and hi is not None:
        k, fx = _describe("in_range", "in_range", name, meta, kind)
        checks.append((name, fcol, k, fx, f"({usable} AND ({v} < {lo} OR {v} > {hi}))"))
    elif lo is not None:
        k, fx = _describe("greater_than_or_equal_to", "ge", name, meta, kind)
        checks.append((name, fcol, k, fx, f"({usable} AND {v} < {lo})"))
    if ctype in ("int", "score"):
        k, fx = _describe("whole_number", "whole_number", name, meta, kind)
        checks.append((name, fcol, k, fx, f"({usable} AND {v} <> FLOOR({v}))"))
    if ctype == "flag":
        checks.append(
            (name, fcol, KIND["flag_0_1"], FIX["flag_0_1"].format(col=name), f"({usable} AND {v} NOT IN (0, 1))")
        )
    if meta.get("allowed"):
        k, fx = _describe("isin", "isin", name, meta, kind)
        checks.append((name, fcol, k, fx, f"({v} IS NOT NULL AND {v} NOT IN {d.strings(meta['allowed'])})"))
    if ctype in ("date", "datetime"):
        early = EARLIEST_DATE_TEXT
        checks.append(
            (name, fcol, KIND["not_before_1900"], FIX["not_before_1900"], f"({v} < CAST('{early}' AS TIMESTAMP))")
        )
        checks.append(
            (name, fcol, KIND["not_in_future"], FIX["not_in_future"], f"({v} > CAST('{tomorrow}' AS TIMESTAMP))")
        )
    return checks


def plan_checks(d: Any, schema: Any, kind: str, spec: list[Spec]) -> list[Check]:
    """Every problem check of the columns read, each a condition on a row (empty rows never fail one).

    Parameters
    ----------
    d : Dialect
        The backend's SQL dialect.
    schema : cxlib.data._spec.TableSpec
        The description of the table kind (the one the pandera schema is built from).
    kind : str
        The table kind (for the messages).
    spec : list of Spec
        The columns read (from :func:`plan_columns`).

    Returns
    -------
    list of Check
        For each column in order, its type checks then the schema's; a uniqueness check
        has the kind ``"__unique"`` and no condition (it is a ``GROUP BY``).
    """
    now = _dt.datetime.now()
    tomorrow = (now + _dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
    checks: list[Check] = []
    for s in spec:
        name, fcol, ctype, meta, cl = s
        checks += _type_checks(name, fcol, ctype, meta, cl, now.year)
        checks += _schema_checks(d, kind, s, schema.columns[name], tomorrow)
    return checks


def row_level_ids(spec: list[Spec], cagg: dict, ragg: dict, grouped: list, kept: set) -> dict[str, list[str]]:
    """Move the id columns out of the per-column grouping: their counts are taken on the rows.

    An id column has about one distinct value per row, so grouping it to count on its
    distinct values costs more than counting on the rows (and holds every id in memory
    with all the counts). Its counts in ``cagg`` move to ``ragg`` and it leaves
    ``grouped``, unless it is in a kept combination (``kept``: a count table groups it
    anyway, so its distinct values are at hand).

    Parameters
    ----------
    spec : list of Spec
        The columns read (from :func:`plan_columns`).
    cagg, ragg : dict
        The column and row counts, changed in place.
    grouped : list of str
        The columns counted on their distinct values, changed in place.
    kept : set of str
        The source's columns that are in a kept combination.

    Returns
    -------
    dict
        Each id column now counted on the rows -> the names of its counts moved to ``ragg``.
    """
    moved: dict[str, list[str]] = {}
    for _n, fcol, ctype, _m, _c in spec:
        if ctype != "id" or fcol not in grouped or fcol in kept:
            continue
        grouped.remove(fcol)
        moved[fcol] = []
        for key, (col, cond) in list(cagg.items()):
            if col == fcol:
                ragg[key] = cond
                moved[fcol].append(key)
                del cagg[key]
    return moved


def skip_plain_ids(d: Any, moved: dict[str, list[str]], ragg: dict, types: dict) -> None:
    """Test an id's conditions only where the id is not plainly written (most ids are).

    Every count of an id column (blank or marker, outer spaces, Persian digits or Arabic
    letters, not ASCII, missing) is 0 on an id written plainly: ASCII, longer than any
    blank marker, no white space at either end. A cheap test of that skips the rest on
    such rows (``CASE`` evaluates its ``ELSE`` only where needed).

    Parameters
    ----------
    d : Dialect
        The backend's SQL dialect.
    moved : dict
        Each id column counted on the rows -> the names of its counts in ``ragg`` (from
        :func:`row_level_ids`, with the scan's own counts of that column added).
    ragg : dict
        The row counts, changed in place.
    types : dict
        The source's column -> its type (only text columns are changed).
    """
    longest = max(len(t.encode()) for t in TEXT_NA_TOKENS)
    for fcol, keys in moved.items():
        if types.get(fcol) != "text":
            continue
        plain = d.plain_text(d.ident(fcol), longest)
        for key in keys:
            if key in ragg:
                ragg[key] = f"(CASE WHEN {plain} THEN FALSE ELSE ({ragg[key]}) END)"


@dataclass
class PassPlan:
    """What a scan's pass counts (see :func:`plan_pass`)."""

    spec: list
    cagg: dict
    ragg: dict
    grouped: list
    keep_sets: list
    unique_ids: list
    extra_spec: list
    empty: str
    checks: list


def plan_pass(
    d: Any,
    schema: Any,
    kind: str,
    mapping: dict,
    types: dict,
    csv: bool,
    keep_sets: list,
    extra_columns: list,
    all_cols: list,
) -> PassPlan:
    """Every count of a scan's pass: the columns' cleanings and counts, the checks, the ids counted on the rows.

    Parameters
    ----------
    d : Dialect
        The backend's SQL dialect.
    schema : cxlib.data._spec.TableSpec
        The description of the table kind (the one the pandera schema is built from).
    kind : str
        The table kind.
    mapping : dict
        Schema column -> the source's column.
    types : dict
        The source's column -> its type.
    csv : bool
        Whether the source is a CSV file.
    keep_sets : list of tuples
        The source's columns of each count table the pass also keeps.
    extra_columns, all_cols : list of str
        The source's columns outside the schema, and all of them.

    Returns
    -------
    PassPlan
        The plan; :func:`cxlib.data.engine._pass.run_pass` runs it.
    """
    spec, cagg, ragg, grouped = plan_columns(d, schema, mapping, types, csv)
    moved = row_level_ids(spec, cagg, ragg, grouped, {c for k in keep_sets for c in k})
    unique_ids = [fcol for name, fcol, ctype, _m, _c in spec if ctype == "id" and schema.columns[name].unique]
    for fcol in unique_ids:  # is every id plain ASCII? (then cleaning cannot make two ids equal)
        if fcol not in grouped and types.get(fcol) == "text":
            ragg[f"{fcol}|__nonascii"] = f"NOT {d.is_ascii(d.ident(fcol))}"
            moved.setdefault(fcol, []).append(f"{fcol}|__nonascii")
    extra_spec, empty = plan_extras(d, extra_columns, all_cols, types, grouped, cagg, ragg)
    checks = plan_checks(d, schema, kind, spec)
    for i, (_, fcol, k, _, cond) in enumerate(checks):
        if k != "__unique":
            if fcol in grouped:
                cagg[f"__check{i}"] = (fcol, cond)
            else:
                ragg[f"__check{i}"] = cond
                if fcol in moved:
                    moved[fcol].append(f"__check{i}")
    skip_plain_ids(d, moved, ragg, types)
    return PassPlan(spec, cagg, ragg, grouped, keep_sets, unique_ids, extra_spec, empty, checks)
