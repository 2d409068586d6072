"""Cleaning a text cell in SQL, with the rules of :mod:`cxlib.data.io` for values written plainly.

The in-memory reader decides some things for a whole column from all its values (the
decimal mark of ``1,234``, the day/month order of ``03/04/2024``, Persian calendar
dates, score labels). The SQL here reads the plain forms every database export uses
(``12``, ``12.5``, ``2024-03-19``, ``yes``/``no``/``1``/``0``), Persian and Arabic
digits, invisible marks, outer spaces and blank markers (``N/A``, ``-``,
``Don't know``); a value in any other form is *other* and counted, never guessed:
:mod:`cxlib.data.engine._scan` then leaves the file to the in-memory reader.
"""

from __future__ import annotations

from dataclasses import dataclass

from cxlib.data.engine._sql import Dialect
from cxlib.data.io._numbers import _FLAG_MAP
from cxlib.data.io._text import AR_DIGITS, FA_DIGITS, INVISIBLE, NA_TOKENS, TEXT_NA_TOKENS

#: A number as a database writes it (and as pandas' C parser reads it without help).
NUMBER_RE = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
#: A number that proves a decimal point (12.5, .5), as :mod:`cxlib.data.io._numbers` decides.
DOT_RE = r"[+-]?(?:\d*\.\d+|\d+\.)(?:[eE][+-]?\d+)?"
#: 1.234: a thousand or one and a bit (ambiguous without other values).
AMBIGUOUS_DOT_RE = r"[+-]?[1-9]\d{0,2}\.\d{3}"
#: A value that may be a number once the in-memory reader decides its marks: separators, signs, currency.
NUMBERISH_RE = (
    r"[+-]?(?:[$€£¥₹﷼]\s*)?[+-]?[0-9.,'’\s\x{2009}\x{202f}٫٬]*[0-9][0-9.,'’\s\x{2009}\x{202f}٫٬]*"
    r"(?:[eE][+-]?[0-9]+)?(?:\s*(?:[$€£¥₹﷼%]|ریال|تومان))?"
)
#: A score label such as ``10 - Extremely likely`` (read by its leading number in memory).
LABEL_RE = r"[+-]?[0-9]+(?:[.,][0-9]+)?\s*(?:[-–—=:)]\s*|\s+).*[^\W\d_].*"
INF_WORDS = ("inf", "+inf", "-inf", "infinity", "+infinity", "-infinity")
#: An ISO date, with an optional time of day (no offset).
ISO_RE = r"\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
#: A year that makes an ISO-looking date Persian (read in memory).
JALALI_RE = r"1[34]\d\d-.*"


@dataclass(frozen=True)
class Cleaned:
    """SQL expressions for one column: its cleaned text, blank test and typed value."""

    text: str  # the cell as cleaned text (NULL when blank)
    blank: str  # the cell is blank or a blank marker
    value: str  # the typed value (NULL when blank or not understood)
    bad: str  # a value that is not understood: text in a number column, not a flag, ...
    other: str  # a value the in-memory reader may read (a form the SQL does not decide)


def _text(d: Dialect, col: str, digits: bool = True, letters: bool = False) -> str:
    t = f"translate({col}, {d.string(chr(0xA0) + INVISIBLE)}, ' ')"
    if digits:
        t = f"translate({t}, {d.string(FA_DIGITS + AR_DIGITS + '−')}, {d.string('0123456789' * 2 + '-')})"
    if letters:
        t = f"translate({t}, {d.string('يىك')}, {d.string('ییک')})"
    return d.strip(t, costly=True)


def marker_label(d: Dialect, col: str) -> str:
    """A blank marker as the report names it: as written, invisible marks removed and trimmed."""
    return d.strip(f"translate({col}, {d.string(chr(0xA0) + INVISIBLE)}, ' ')")


def marker(d: Dialect, col: str, blank: str) -> str:
    """SQL: the cell is a blank marker (``blank``, the column's blank test, and something written: 'N/A',
    '-'), not an empty cell or one of white space and invisible marks only, as the in-memory reader counts."""
    return f"({blank} AND {col} IS NOT NULL AND {marker_label(d, col)} <> '')"


def na_key(d: Dialect, t: str) -> str:
    """The lower-case key a blank marker is looked up by."""
    return f"lower(replace({t}, '’', ''''))"


def _fast_number(d: Dialect, col: str) -> tuple[str, str]:
    """(the cell as a double, the cell is a plain finite number): one cast, no regular expression."""
    f = d.try_double(col)
    ok = f"(abs({f}) < CAST('inf' AS DOUBLE) AND instr({col}, '_') = 0)"
    return f, ok


def _fast(col: str, ok: str, fast: str, slow: str, null: str = "NULL") -> str:
    """``fast`` where the cell passes the cheap test ``ok``, ``slow`` elsewhere (each evaluated only where needed)."""
    return f"(CASE WHEN {col} IS NULL THEN {null} WHEN {ok} THEN {fast} ELSE {slow} END)"


def number(d: Dialect, col: str, kind: str, labels: bool = False) -> Cleaned:
    """A number column: plain numbers, Persian digits, blank markers, ``inf``.

    A value with separators, a currency sign (or, for a score, a label) is *other*: the
    in-memory reader decides it; any other value that is not a number is text (*bad*).
    Plain numbers take a fast path (one cast); only the other cells meet the regular
    expressions.
    """
    if kind == "int":
        v = f"CAST({col} AS DOUBLE)"
        return Cleaned(d.text(col), f"({col} IS NULL)", v, "FALSE", "FALSE")
    if kind == "float":  # NaN is a blank cell, as the in-memory reader counts it
        nan = f"isnan(CAST({col} AS DOUBLE))"
        v = f"(CASE WHEN {nan} THEN NULL ELSE CAST({col} AS DOUBLE) END)"
        return Cleaned(d.text(col), f"({col} IS NULL OR {nan})", v, "FALSE", "FALSE")
    if kind == "bool":
        v = f"CAST(CAST({col} AS INTEGER) AS DOUBLE)"
        return Cleaned(d.text(col), f"({col} IS NULL)", v, "FALSE", "FALSE")
    if kind != "text":
        return Cleaned(d.text(col), f"({col} IS NULL)", "CAST(NULL AS DOUBLE)", f"({col} IS NOT NULL)", "FALSE")
    f, ok = _fast_number(d, col)
    t = _text(d, col)
    key = na_key(d, t)
    blank = f"({key} IN {d.strings(NA_TOKENS)})"
    plain = d.full_match(t, NUMBER_RE)
    inf = f"(lower({t}) IN {d.strings(INF_WORDS)})"
    value = (
        f"(CASE WHEN {blank} THEN NULL WHEN {plain} THEN {d.try_double(t)} "
        f"WHEN {inf} THEN (CASE WHEN {t} LIKE '-%' THEN -1 ELSE 1 END) * CAST('inf' AS DOUBLE) END)"
    )
    maybe = d.full_match(t, NUMBERISH_RE)
    if labels:
        maybe = f"({maybe} OR {d.full_match(t, LABEL_RE)})"
    other = f"(NOT {blank} AND NOT {plain} AND NOT {inf} AND {maybe})"
    bad = f"(NOT {blank} AND NOT {plain} AND NOT {inf} AND NOT {maybe})"
    return Cleaned(
        _fast(col, ok, d.strip(col), f"(CASE WHEN {blank} THEN NULL ELSE {t} END)"),
        _fast(col, ok, "FALSE", blank, "TRUE"),
        _fast(col, ok, f, value),
        _fast(col, ok, "FALSE", bad, "FALSE"),
        _fast(col, ok, "FALSE", other, "FALSE"),
    )


def flag(d: Dialect, col: str, kind: str, words: dict | None = None) -> Cleaned:
    """A 0/1 flag: 1/0, yes/no, true/false, Persian yes/no and the column's own words."""
    if kind in ("int", "float", "bool"):
        return number(d, col, kind)
    if kind != "text":
        return Cleaned(d.text(col), f"({col} IS NULL)", "CAST(NULL AS DOUBLE)", f"({col} IS NOT NULL)", "FALSE")
    ok = f"({col} IN ('0', '1'))"
    t = _text(d, col)
    key = na_key(d, t)
    blank = f"({key} IN {d.strings(NA_TOKENS)})"
    table = {**_FLAG_MAP, **(words or {})}
    ones = [k for k, v in table.items() if v == 1]
    zeros = [k for k, v in table.items() if v == 0]
    low = f"lower({t})"
    plain = d.full_match(t, NUMBER_RE)
    value = (
        f"(CASE WHEN {blank} THEN NULL WHEN {low} IN {d.strings(ones)} THEN 1.0 "
        f"WHEN {low} IN {d.strings(zeros)} THEN 0.0 WHEN {plain} THEN {d.try_double(t)} END)"
    )
    known = f"({low} IN {d.strings(ones + zeros)})"
    bad = f"(NOT {blank} AND NOT {known} AND NOT {plain} AND NOT {d.contains(t, r'[0-9]')})"
    other = f"(NOT {blank} AND NOT {known} AND NOT {plain} AND {d.contains(t, r'[0-9]')})"
    return Cleaned(
        _fast(col, ok, col, f"(CASE WHEN {blank} THEN NULL ELSE {t} END)"),
        _fast(col, ok, "FALSE", blank, "TRUE"),
        _fast(col, ok, f"CAST({col} AS DOUBLE)", value),
        _fast(col, ok, "FALSE", bad, "FALSE"),
        _fast(col, ok, "FALSE", other, "FALSE"),
    )


def date(d: Dialect, col: str, kind: str) -> Cleaned:
    """A date: ISO text (``2024-03-19``, with an optional time) or a date/timestamp column."""
    if kind in ("date", "timestamp"):
        v = f"CAST({col} AS TIMESTAMP)"
        return Cleaned(d.text(col), f"({col} IS NULL)", v, "FALSE", "FALSE")
    if kind != "text":
        return Cleaned(d.text(col), f"({col} IS NULL)", "CAST(NULL AS TIMESTAMP)", "FALSE", f"({col} IS NOT NULL)")
    shape = f"({col} LIKE '____-__-__' OR {col} LIKE '____-__-__ __:__:__' OR {col} LIKE '____-__-__T__:__:__')"
    plain = d.try_timestamp(f"replace({col}, 'T', ' ')")
    ok = f"({shape} AND substr({col}, 1, 2) NOT IN ('13', '14') AND {plain} IS NOT NULL)"
    t = _text(d, col, letters=True)
    key = na_key(d, t)
    blank = f"({key} IN {d.strings(NA_TOKENS)})"
    iso = f"({d.full_match(t, ISO_RE)} AND NOT {d.full_match(t, JALALI_RE)})"
    iso_value = d.try_timestamp(f"replace({t}, 'T', ' ')")
    value = f"(CASE WHEN {blank} THEN NULL WHEN {iso} THEN {iso_value} END)"
    bad = f"(NOT {blank} AND {iso} AND {value} IS NULL)"
    other = f"(NOT {blank} AND NOT {iso})"
    return Cleaned(
        _fast(col, ok, col, f"(CASE WHEN {blank} THEN NULL ELSE {t} END)"),
        _fast(col, ok, "FALSE", blank, "TRUE"),
        _fast(col, ok, plain, value),
        _fast(col, ok, "FALSE", bad, "FALSE"),
        _fast(col, ok, "FALSE", other, "FALSE"),
    )


def text(d: Dialect, col: str, kind: str, *, id_column: bool = False, csv: bool = True) -> Cleaned:
    """An id or a category: invisible marks and outer spaces removed, blank markers blank."""
    if kind != "text":
        v = d.text(col)
        return Cleaned(v, f"({col} IS NULL)", v, "FALSE", "FALSE")
    longest = max(len(t.encode()) for t in TEXT_NA_TOKENS)  # a longer cell is no blank marker: no lower()
    na = f"({d.byte_length(col)} <= {longest} AND lower({col}) IN {d.strings(TEXT_NA_TOKENS)})"
    fast_t = d.strip(col)
    fast_blank = (
        f"({fast_t} = '' OR {na}" + ("" if csv else f" OR lower({fast_t}) IN {d.strings(TEXT_NA_TOKENS)}") + ")"
    )
    # the slow path's cleaning is dear (a chain of translations): each expression computes it once
    t = _text(d, col, digits=id_column, letters=True)
    if csv:
        slow_blank, slow_v = f"({t} = '' OR {na})", f"(CASE WHEN {na} THEN NULL ELSE nullif({t}, '') END)"
    else:  # a marker with outer spaces (" N/A ") is a blank too
        marker = f"({{x}} = '' OR lower({{x}}) IN {d.strings(TEXT_NA_TOKENS)})"
        slow_blank = f"({na} OR {d.let(t, marker)})"
        slow_v = f"(CASE WHEN {na} THEN NULL ELSE {d.let(t, f'(CASE WHEN {marker} THEN NULL ELSE {{x}} END)')} END)"
    ok = d.is_ascii(col)
    blank = _fast(col, ok, fast_blank, slow_blank, "TRUE")
    v = _fast(col, ok, f"(CASE WHEN {fast_blank} THEN NULL ELSE {fast_t} END)", slow_v)
    return Cleaned(v, blank, v, "FALSE", "FALSE")


def raw(d: Dialect, col: str, kind: str) -> Cleaned:
    """A column kept as it is (free text, or a column the schema does not know)."""
    return Cleaned(col, f"({col} IS NULL)", col, "FALSE", "FALSE")
