"""Numbers, scores and flags written as text: the decimal mark is decided per column.

A column's decimal mark is decided from *all* its values, never value by value:

* ``12,5``, ``0,25``, ``1.234,5`` or ``1.234.567`` show a decimal comma;
* ``12.5``, ``0.25``, ``1,234.5``, ``1,234,567`` or Persian ``۱۲٫۵``/``۱٬۲۰۰`` show a
  decimal point;
* ``1,234`` and ``1.234`` alone could be either (a thousand and something, or one
  and a bit): they follow the column's other values, else the ``decimal`` option,
  else the file's other columns; a lone ``1.234`` is a decimal point unless the
  file is ``;``-separated (a European export); a lone ``1,234`` is refused.

Both marks in one column is an error naming example rows of each. Thousands
separators (``,`` ``.`` space, apostrophe, ``٬``) are removed only where they group
digits by three, so ``1 0`` is not read as 10.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from cxlib.data.io._text import NUMBER_DIGIT_TABLE, Uniq, clean_strings, count_blank_kinds, is_na_token
from cxlib.errors import SHOW, Problem

_S = r"[+-]?"
_GROUP_SPACE = "[ '\u2009\u202f’]"
#: Values that show the decimal mark (named groups: which mark they prove).
_DOT_DEC = re.compile(rf"{_S}(?:\d*\.\d+|\d+\.)(?:[eE][+-]?\d+)?")  # 12.5 (and 1.234: see amb)
_COMMA_DEC = re.compile(rf"{_S}(?:\d*,\d+)")  # 12,5 (and 1,234: see amb)
_AMB_DOT = re.compile(rf"{_S}[1-9]\d{{0,2}}\.\d{{3}}")
_AMB_COMMA = re.compile(rf"{_S}[1-9]\d{{0,2}},\d{{3}}")
_DOT_GROUPS = re.compile(rf"{_S}[1-9]\d{{0,2}}(?:\.\d{{3}}){{2,}}(?:,\d+)?|{_S}[1-9]\d{{0,2}}(?:\.\d{{3}})+,\d+")
_COMMA_GROUPS = re.compile(rf"{_S}[1-9]\d{{0,2}}(?:,\d{{3}}){{2,}}(?:\.\d+)?|{_S}[1-9]\d{{0,2}}(?:,\d{{3}})+\.\d+")
_SPACE_DOT = re.compile(rf"{_S}[1-9]\d{{0,2}}(?:{_GROUP_SPACE}\d{{3}})+\.\d+")
_SPACE_COMMA = re.compile(rf"{_S}[1-9]\d{{0,2}}(?:{_GROUP_SPACE}\d{{3}})+,\d+")
_PERSIAN = re.compile(rf"{_S}(?:\d{{1,3}}(?:٬\d{{3}})+|\d+)?(?:٫\d+)?")
#: A valid number once the decimal mark is known (thousands grouped by three only).
_VALID = {
    ".": re.compile(
        rf"{_S}(?:\d+|[1-9]\d{{0,2}}(?:(?:,\d{{3}})+|(?:{_GROUP_SPACE}\d{{3}})+))?"
        rf"(?:\.\d+)?(?:(?<=\d)[eE][+-]?\d+)?"
    ),
    ",": re.compile(rf"{_S}(?:\d+|[1-9]\d{{0,2}}(?:(?:\.\d{{3}})+|(?:{_GROUP_SPACE}\d{{3}})+))?(?:,\d+)?"),
}
_SEPARATORS = re.compile(f"[.,٫٬]|\\d{_GROUP_SPACE}\\d")
_LABEL = re.compile(r"([+-]?\d+(?:[.,]\d+)?)\s*(?:[-–—=:)]\s*|\s+)(?=.*[^\W\d_]).+")
_CURRENCY = re.compile(r"^[$€£¥₹﷼]\s*|\s*(?:[$€£¥₹﷼%]|ریال|تومان)$")
MARK_NAMES = {".": "'.'", ",": "','"}


@dataclass
class NumberContext:
    """What a column's decision may lean on: the option, the file's other columns."""

    decimal: str | None = None
    #: the CSV delimiter (a ';'-separated file is a European export: a lone 1.234 is ambiguous)
    sep: str | None = None
    #: returns the decimal mark the file's other columns show (or None), given a column to leave out
    file_mark: Callable[[str], str | None] = field(default=lambda column: None)


@dataclass
class Parsed:
    """A parsed column: values, cells not understood, cells to leave out of later checks."""

    values: pd.Series
    bad: pd.Series
    skip: pd.Series
    infinite: pd.Series
    problems: list = field(default_factory=list)


def evidence(t: pd.Series) -> dict[str, pd.Series]:
    """Masks over distinct cleaned values: which prove a dot or a comma, which are ambiguous."""
    sub = t[t.notna() & t.str.contains(_SEPARATORS, regex=True, na=False)].astype(str)
    full = lambda rx: sub.str.fullmatch(rx)
    amb_dot, amb_comma = full(_AMB_DOT), full(_AMB_COMMA)
    persian = sub.str.contains("[٫٬]", regex=True) & full(_PERSIAN)
    dot = (full(_DOT_DEC) & ~amb_dot) | full(_COMMA_GROUPS) | full(_SPACE_DOT) | persian
    comma = (full(_COMMA_DEC) & ~amb_comma) | full(_DOT_GROUPS) | full(_SPACE_COMMA)
    none = pd.Series(False, index=t.index)
    return {
        k: none | m.reindex(t.index, fill_value=False)
        for k, m in (("dot", dot), ("comma", comma), ("amb_dot", amb_dot), ("amb_comma", amb_comma))
    }


def mark_of(t: pd.Series) -> str | None:
    """The decimal mark a column's values prove, if exactly one."""
    ev = evidence(t)
    dot, comma = bool(ev["dot"].any()), bool(ev["comma"].any())
    return "." if dot and not comma else "," if comma and not dot else None


def _examples(U: Uniq, t: pd.Series, mask: pd.Series) -> tuple[tuple, tuple]:
    """The first rows whose value is in ``mask``, and the value written in each."""
    pos = U.first_positions(mask, SHOW)
    return (tuple(int(U.index[i]) for i in pos), tuple(t.iloc[U.codes[i]] for i in pos))


def decide(
    U: Uniq, t: pd.Series, column: str, ctx: NumberContext
) -> tuple[str | None, str | None, list[Problem], pd.Series]:
    """(mark, how it was decided, problems, undecided values) for one column."""
    ev = evidence(t)
    amb = ev["amb_dot"] | ev["amb_comma"]
    none = pd.Series(False, index=t.index)
    if ctx.decimal:
        return ctx.decimal, "(as --decimal)" if (ev["dot"] | ev["comma"] | amb).any() else None, [], none
    dot, comma = bool(ev["dot"].any()), bool(ev["comma"].any())
    if dot and comma:
        rows_d, vals_d = _examples(U, t, ev["dot"])
        rows_c, vals_c = _examples(U, t, ev["comma"])
        pairs = sorted(zip(rows_d[:3] + rows_c[:3], vals_d[:3] + vals_c[:3]))
        prob = Problem(
            "both '.' and ',' used as the decimal mark",
            column=column,
            rows=tuple(r for r, _ in pairs),
            values=tuple(v for _, v in pairs),
            count=U.count(ev["dot"] | ev["comma"]),
            fix=f"A column has one decimal mark: '{vals_d[0]}' has a decimal point, "
            f"'{vals_c[0]}' a decimal comma. Correct the column, or say which mark "
            "it uses with --decimal . or --decimal , (decimal='.' or ',' in Python).",
        )
        return None, None, [prob], ev["dot"] | ev["comma"] | amb
    if dot or comma:
        return ("." if dot else ","), "(from its values)", [], none
    if not amb.any():
        return ".", None, [], none
    other = ctx.file_mark(column)
    if other:
        return other, "(like the file's other columns)", [], none
    if not ev["amb_comma"].any() and ctx.sep != ";":
        return ".", None, [], none
    rows, vals = _examples(U, t, amb)
    mark = "," if ev["amb_comma"].any() else "."
    other_mark = "." if mark == "," else ","
    example = next(v for v in vals if mark in v)
    whole = example.replace(mark, "")
    part = example.replace(mark, ".")
    prob = Problem(
        "decimal mark cannot be decided",
        column=column,
        rows=rows,
        values=vals,
        count=U.count(amb),
        fix=f"'{example}' could be {whole} ('{mark}' groups thousands) or {part} "
        f"('{mark}' is the decimal mark), and no value in '{column}' tells which. "
        f"Say which with --decimal {mark} (decimal mark) or --decimal {other_mark} "
        f"(decimal='{mark}' or decimal='{other_mark}' in Python).",
    )
    return None, None, [prob], amb


def _to_float(t: pd.Series, mark: str) -> pd.Series:
    """Distinct cleaned values -> float under the decimal mark ``mark`` (NaN if not valid)."""
    has_sep = t.str.contains(_SEPARATORS, regex=True, na=False)
    v = pd.to_numeric(t.where(~has_sep), errors="coerce")  # 12, -3, 1e5, inf
    todo = t.notna() & has_sep
    if todo.any():
        r = t[todo].astype(str).str.replace("٬", "", regex=False).str.replace("٫", mark, regex=False)
        ok = r.str.fullmatch(_VALID[mark])
        r = r[ok].str.replace(_GROUP_SPACE, "", regex=True)
        r = (
            r.str.replace(",", "", regex=False)
            if mark == "."
            else r.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        )
        v.loc[r.index] = pd.to_numeric(r, errors="coerce")
    return v


def _strip_labels(U: Uniq, t: pd.Series, column: str, rep: Any) -> pd.Series:
    """Score labels such as ``10 - Extremely likely``: read by their leading number."""
    lab = t.str.fullmatch(_LABEL, na=False)
    if lab.any():
        rep._convert(column, "score labels read by their leading number", U.count(lab))
        t = t.where(~lab, t.str.extract(_LABEL, expand=False))
    return t


def _strip_signs(U: Uniq, t: pd.Series, column: str, rep: Any) -> pd.Series:
    signs = t.str.contains(_CURRENCY, regex=True, na=False)
    if signs.any():
        rep._convert(column, "currency or percent signs removed", U.count(signs))
        t = t.where(~signs, t.str.replace(_CURRENCY, "", regex=True))
    return t


def parse_number(
    s: pd.Series, column: str, rep: Any, ctx: NumberContext | None = None, *, labels: bool = False
) -> Parsed:
    """Vectorised number parsing with the decimal mark decided for the whole column."""
    ctx = ctx or NumberContext()
    none = pd.Series(False, index=s.index)
    if ptypes.is_bool_dtype(s.dtype) or ptypes.is_numeric_dtype(s.dtype):
        v = s.astype("float64")
        return Parsed(v, none, none, pd.Series(np.isinf(v.to_numpy()), index=s.index))
    U = Uniq(s)
    t = clean_strings(U, column, rep, digits=True, table=NUMBER_DIGIT_TABLE)
    blank = is_na_token(t)
    kinds = count_blank_kinds(U, t, blank)
    if kinds:
        rep.blank_kinds[column] = kinds
    t = t.mask(blank)
    if labels:
        t = _strip_labels(U, t, column, rep)
    t = _strip_signs(U, t, column, rep)
    mark, how, problems, undecided = decide(U, t, column, ctx)
    v = _to_float(t, mark or ".").where(~undecided)
    if how:
        rep.decimal_marks[column] = f"{MARK_NAMES[mark or '.']} {how}"
    grouped = (
        t.notna()
        & v.notna()
        & t.str.contains(
            "[٬]|\\d" + ("," if mark != "," else "\\.") + "\\d{3}|\\d" + _GROUP_SPACE + "\\d", regex=True, na=False
        )
    )
    rep._convert(column, "thousands separators removed", U.count(grouped))
    bad = v.isna() & t.notna() & ~undecided
    inf = pd.Series(np.isinf(v.to_numpy(dtype="float64")), index=v.index)
    return Parsed(
        U.expand(v.to_numpy(dtype="float64"), np.nan),
        U.expand(bad.to_numpy(), False),
        U.expand(undecided.to_numpy(), False),
        U.expand(inf.to_numpy(), False),
        problems,
    )


_FLAG_MAP = {
    "1": 1,
    "0": 0,
    "1.0": 1,
    "0.0": 0,
    "yes": 1,
    "no": 0,
    "y": 1,
    "n": 0,
    "true": 1,
    "false": 0,
    "t": 1,
    "f": 0,
    "بله": 1,
    "بلی": 1,
    "آری": 1,
    "خیر": 0,
    "نه": 0,
    "نعم": 1,
    "لا": 0,
}


def parse_flag(
    s: pd.Series, column: str, rep: Any, words: Mapping[str, float] | None = None
) -> tuple[pd.Series, pd.Series]:
    """1/0, yes/no, true/false, بله/خیر (plus the column's own ``words``) -> 1.0/0.0.

    Returns (values, unparseable mask).
    """
    if ptypes.is_bool_dtype(s.dtype) or ptypes.is_numeric_dtype(s.dtype):
        return s.astype("float64"), pd.Series(False, index=s.index)
    U = Uniq(s)
    t = clean_strings(U, column, rep, digits=True)
    blank = is_na_token(t)
    kinds = count_blank_kinds(U, t, blank)
    if kinds:
        rep.blank_kinds[column] = kinds
    t = t.mask(blank)
    original, t = t, t.str.lower()
    v = t.map({**_FLAG_MAP, **(words or {})}).astype("float64")
    converted = t.notna() & v.notna() & ~t.isin(["0", "1", "0.0", "1.0"])
    if converted.any():  # how each label of the file was read, e.g. {"Yes": 1, "No": 0}
        rep.labels[column] = {str(k): int(x) for k, x in zip(original[converted], v[converted])}
    rep._convert(column, "yes/no or true/false values converted to 1/0", U.count(converted))
    num = pd.to_numeric(t.where(v.isna()), errors="coerce")  # e.g. 2: kept for the 0/1 check
    bad = t.notna() & v.isna() & num.isna()
    v = v.fillna(num)
    return U.expand(v.to_numpy(dtype="float64"), np.nan), U.expand(bad.to_numpy(), False)
