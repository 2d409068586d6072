"""Read a company's messy CSV or Excel export and validate it against a schema.

:func:`read_table` is the one entry point a lesson or an analyst needs::

    df = read_table("survey.xlsx", "nps_surveys", columns={"ltr": "Q1 Likelihood"})
    df, report = read_table("survey.csv", "nps_surveys", report=True)

What it handles, and counts in the :class:`ReadReport` (nothing is coerced or
dropped silently):

* CSV (``.csv``, ``.txt``, ``.tsv``; delimiter detected: comma, semicolon, tab
  or pipe) and Excel ``.xlsx``/``.xlsm`` (first sheet unless ``sheet=``);
* encodings: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode
  text"), else Windows-1256 (Persian/Arabic Windows); the report says which;
* Persian (۰-۹) and Arabic-Indic (٠-٩) digits, the Arabic decimal and
  thousands separators (٫ ٬) and comma thousands separators (``1,234.5``) in
  numbers and dates; invisible direction marks and non-breaking spaces;
* spaces around headers and values; headers matched ignoring case, spaces and
  the Arabic/Persian forms of ي/ی, ك/ک and ؟/?  (``"Customer ID "`` finds
  ``customer_id``);
* Excel dates (real date cells and serial numbers such as ``45292``), ISO dates,
  ``YYYYMMDD`` and other formats (month first unless ``dayfirst=True``);
* flags written as 1/0, yes/no, true/false or بله/خیر;
* empty rows (anywhere, typically trailing): dropped and counted.

Then the table is validated against :func:`cxlib.data.schemas.get_schema`. A bad
file raises ONE :class:`~cxlib.errors.ValidationError` listing every problem
(missing or misspelt column, text in a number column, score out of range,
non-integer score, duplicate id, unparseable or future date, empty file,
header only, ...), each with the column, the spreadsheet row numbers (header =
row 1), the offending values and how to fix it. The exception carries the read
report as ``err.report``.

Report design: ``read_table(..., report=True)`` returns ``(df, report)``. The
report is never stored in ``df.attrs`` (pandas copies ``attrs`` into every
derived frame). :func:`validate_file` returns only the report, with the
problems in ``report.problems`` instead of raising; ``cx validate`` prints it.

Columns the schema does not know are kept unchanged (header trimmed) and listed
in the report as "kept, not validated"; they become a problem only when they
look like a misspelling of a *missing required* column. In a ``churn_table``
they are the model's features, and text columns of numbers in them (Persian
digits, thousands separators) are converted to numbers and counted.

Free-text columns (``comment``, ``agent_reply``) are kept exactly as written.

Speed (``benchmarks/bench_io.py``: 1,000,000 survey rows in about 2.5 s of CPU):
the C CSV parser reads numbers directly and decodes UTF-8 itself; each text,
date and answer column is factorised so every *distinct* value is cleaned once
(dates, plans and scores repeat a lot) and expanded back with the codes; which
values need cleaning at all is found by one regular-expression scan over the
whole column joined into one string, so clean columns cost almost nothing and
per-value Python runs only on the values that need it. Validation runs the
pandera schema (lazy, so every failure is collected) with one exception: the
``str`` dtype check, which pandera performs element by element in Python, is
skipped for text columns because this module built them from ``str`` values
(see ``_fast_schema``). Every value check (ranges, whole numbers, flags,
allowed values, uniqueness, blanks, dates) is pandera's.

Examples
--------
>>> import pandas as pd, tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> text = "response_id,survey_date,Q1 Likelihood\\nR1,۲۰۲۴-۰۱-۰۵,۹\\nR2,2024-01-06,10\\n,,\\n"
>>> _ = (d / "s.csv").write_text(text, encoding="utf-8")
>>> df, rep = read_table(d / "s.csv", "nps_surveys", columns={"ltr": "Q1 Likelihood"}, report=True)
>>> df
  response_id survey_date  ltr
0          R1  2024-01-05    9
1          R2  2024-01-06   10
>>> rep.encoding, rep.rows_read, rep.empty_rows_dropped
('utf-8', 3, 1)
>>> rep.conversions_table()
          column                                         what  count
0    survey_date  values with Persian/Arabic digits converted      1
1            ltr  values with Persian/Arabic digits converted      1
>>> _ = (d / "bad.csv").write_text("response_id,survey_date,ltr\\nR1,2024-01-05,11\\n")
>>> read_table(d / "bad.csv", "nps_surveys")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
cxlib.errors.ValidationError: bad.csv: 1 problem found
  1. column 'ltr': out of range in 1 row (row 2); values: 11.
     How to fix: Likelihood to recommend is a whole number from 0 to 10; ...
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import difflib
import io as _io
import re
import stat
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandas.api import types as ptypes

from cxlib.data.schemas import get_schema
from cxlib.errors import SHOW, CxError, Problem, ValidationError, format_rows

__all__ = ['read_table', 'validate_file', 'validate_frame', 'check_data_file', 'Limits', 'LIMITS', 'ReadReport', 'CSV_SUFFIXES', 'EXCEL_SUFFIXES', 'to_ascii_digits', 'NA_TOKENS']


CSV_SUFFIXES = (".csv", ".txt", ".tsv")


EXCEL_SUFFIXES = (".xlsx", ".xlsm")


_FA_DIGITS = "۰۱۲۳۴۵۶۷۸۹"


_AR_DIGITS = "٠١٢٣٤٥٦٧٨٩"


#: Persian and Arabic-Indic digits -> ASCII; Arabic decimal (٫) and thousands (٬) separators.
_DIGIT_TABLE = str.maketrans(_FA_DIGITS + _AR_DIGITS + "٫٬−", "0123456789" * 2 + ".,-")


_NONASCII_DIGIT_RE = f"[{_FA_DIGITS}{_AR_DIGITS}٫٬]"


#: Invisible characters that exports put around values (direction marks, BOM, ZW joiners).
_INVISIBLE = "\u200e\u200f\u200b\u200d\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"


_INVISIBLE_TABLE = str.maketrans({c: None for c in _INVISIBLE} | {"\xa0": " "})


_INVISIBLE_RE = f"[{_INVISIBLE}\xa0]"


_LETTER_TABLE = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "؟": "?", "،": ",", "؛": ";"})


_LETTER_RE = "[يىك]"


#: Cell contents read as blank in number, date and flag columns (compared lower-case).
NA_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "-", "--", "—", "#n/a", "?", "؟"})


_FLAG_MAP = {"1": 1, "0": 0, "1.0": 1, "0.0": 0, "yes": 1, "no": 0, "y": 1, "n": 0, "true": 1,
             "false": 0, "t": 1, "f": 0, "بله": 1, "بلی": 1, "آری": 1, "خیر": 0, "نه": 0,
             "نعم": 1, "لا": 0}


_THOUSANDS_RE = r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?"


_JALALI_RE = r"1[34]\d\d[-/.]\d{1,2}[-/.]\d{1,2}.*"


_EXCEL_EPOCH = pd.Timestamp("1899-12-30")


_TEXT_TYPES = ("id", "text", "category")


def to_ascii_digits(text: str) -> str:
    """Replace Persian (۰-۹) and Arabic-Indic (٠-٩) digits and separators by ASCII.

    >>> to_ascii_digits("۱۲۳٬۴۵۶٫۵")
    '123,456.5'
    """
    return text.translate(_DIGIT_TABLE)


# --------------------------------------------------------------------------- report
@dataclass
class ReadReport:
    """What :func:`read_table` did to a file: every row and value it changed or dropped.

    Attributes
    ----------
    source : str
        The file name (or ``"data"`` for an in-memory DataFrame).
    kind : str
        The schema kind validated against.
    format : str
        ``"csv"``, ``"xlsx"`` or ``"DataFrame"``.
    encoding : str or None
        The encoding used to decode a CSV: ``"utf-8"``, ``"utf-8-sig"`` (UTF-8
        with BOM), ``"utf-16"`` or ``"cp1256"`` (Windows Persian/Arabic).
    delimiter, sheet : str or None
        The CSV delimiter used, or the Excel sheet read.
    rows_read : int
        Data rows below the header, empty ones included.
    empty_rows_dropped : int
        Rows with every cell blank (dropped); ``empty_rows`` holds their row numbers.
    rows : int
        Rows in the returned table.
    renamed : dict
        File column -> schema column, for every column not already named as the schema.
    missing_optional : list
        Optional schema columns absent from the file.
    extra_columns : list
        File columns the schema does not know: kept, not validated.
    conversions : list of dict
        ``{"column", "what", "count"}``: values changed while cleaning (Persian digits,
        thousands separators, spaces trimmed, Excel serial dates, yes/no flags, ...).
    labels : dict
        Flag column -> how each text label of the file was read, e.g.
        ``{"churned": {"No": 0, "Yes": 1}}``.
    blanks : dict
        Column -> number of blank cells (blank answers are allowed where the schema says).
    notes : list of str
        Hints (e.g. an extra column that looks like a misspelt optional column).
    problems : list of Problem
        Everything that makes the file invalid (empty when ``ok``).
    """

    source: str
    kind: str
    format: str = "csv"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    rows_read: int = 0
    empty_rows_dropped: int = 0
    empty_rows: tuple = ()
    rows: int = 0
    renamed: dict = field(default_factory=dict)
    missing_optional: list = field(default_factory=list)
    extra_columns: list = field(default_factory=list)
    conversions: list = field(default_factory=list)
    labels: dict = field(default_factory=dict)
    blanks: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    def _convert(self, column: str, what: str, count: int) -> None:
        if count:
            self.conversions.append({"column": column, "what": what, "count": int(count)})

    def conversions_table(self) -> pd.DataFrame:
        """The conversions as a DataFrame (columns ``column``, ``what``, ``count``)."""
        return pd.DataFrame(self.conversions, columns=["column", "what", "count"])

    def summary(self) -> str:
        """A readable multi-line summary (what ``cx validate`` prints)."""
        enc = {"cp1256": "cp1256 (Windows Persian/Arabic; not UTF-8)",
               "utf-8-sig": "UTF-8 with BOM", "utf-8": "UTF-8", "utf-16": "UTF-16"}
        lines = [f"{self.source} read as '{self.kind}'"]
        if self.format == "csv":
            lines.append(f"  file: CSV, encoding {enc.get(self.encoding, self.encoding)}, "
                         f"delimiter {self.delimiter!r}")
        elif self.format == "xlsx":
            lines.append(f"  file: Excel workbook, sheet {self.sheet!r}")
        rows = f"  rows: {self.rows_read:,} read"
        if self.empty_rows_dropped:
            rows += (f", {self.empty_rows_dropped:,} empty dropped "
                     f"({format_rows(self.empty_rows, self.empty_rows_dropped)})")
        lines.append(rows + f", {self.rows:,} kept")
        if self.renamed:
            lines.append("  columns renamed: " + ", ".join(f"{k!r} -> {v}" for k, v in self.renamed.items()))
        if self.missing_optional:
            lines.append("  optional columns absent: " + ", ".join(self.missing_optional))
        if self.extra_columns:
            label = "feature columns (kept)" if self.kind == "churn_table" else "kept, not validated"
            lines.append(f"  {label}: " + ", ".join(map(repr, self.extra_columns)))
        if self.conversions:
            lines.append("  converted:")
            lines += [f"    {c['column']}: {c['count']:,} {c['what']}" for c in self.conversions]
        if self.blanks:
            lines.append("  blank cells: " + ", ".join(f"{k} {v:,}" for k, v in self.blanks.items()))
        lines += [f"  note: {n}" for n in self.notes]
        if self.ok:
            lines.append("  result: valid")
        else:
            n = len(self.problems)
            lines.append(f"  result: NOT valid, {n} problem{'s' if n != 1 else ''}:")
            lines += [f"  {i}. {p.describe()}" for i, p in enumerate(self.problems, 1)]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()

    def to_dict(self) -> dict:
        """A JSON-friendly dict of the whole report (``cx validate --json``)."""
        return {
            "source": self.source, "kind": self.kind, "valid": self.ok, "format": self.format,
            "encoding": self.encoding, "delimiter": self.delimiter, "sheet": self.sheet,
            "rows_read": self.rows_read, "empty_rows_dropped": self.empty_rows_dropped,
            "empty_rows": [int(r) for r in self.empty_rows], "rows": self.rows,
            "renamed": dict(self.renamed), "missing_optional": list(self.missing_optional),
            "extra_columns": list(self.extra_columns), "conversions": list(self.conversions),
            "blanks": {k: int(v) for k, v in self.blanks.items()}, "notes": list(self.notes),
            "problems": [p.to_dict() for p in self.problems],
        }


# --------------------------------------------------------------------------- helpers
def _key(name: str) -> str:
    """Matching key of a header: NFKC, Persian letters, no invisibles, lower, snake."""
    s = unicodedata.normalize("NFKC", str(name)).translate(_INVISIBLE_TABLE).translate(_LETTER_TABLE)
    return re.sub(r"[\s\-./]+", "_", s.strip().casefold()).strip("_")


def _clean_header(name: Any) -> str:
    return re.sub(r"\s+", " ", str(name).translate(_INVISIBLE_TABLE)).strip()


def _problem(kind: str, column: str | None, mask_or_rows: Any = None, values: Any = None,
             fix: str = "", count: int | None = None) -> Problem:
    """Build a Problem from a boolean Series (index = row numbers) or explicit rows."""
    if isinstance(mask_or_rows, pd.Series):
        hit = mask_or_rows[mask_or_rows].index
        count = len(hit) if count is None else count
        rows = tuple(int(r) for r in hit[:SHOW])
        vals = tuple(_py(v) for v in values.loc[hit[:SHOW]]) if values is not None else ()
        return Problem(kind, column=column, rows=rows, values=vals, count=count, fix=fix)
    rows = tuple(int(r) for r in (mask_or_rows or ())[:SHOW])
    vals = tuple(_py(v) for v in (values or ())[:SHOW])
    return Problem(kind, column=column, rows=rows, values=vals,
                   count=len(mask_or_rows or ()) if count is None else count, fix=fix)


def _py(v: Any) -> Any:
    if v is None or v is pd.NaT:
        return None
    if isinstance(v, (pd.Timestamp, _dt.datetime)):
        v = pd.Timestamp(v)
        return str(v.date()) if v == v.normalize() else str(v)
    if isinstance(v, _dt.date):
        return str(v)
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and v != v:
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


class _Uniq:
    """A column factorised: clean each distinct value once, count rows by frequency.

    Exports repeat values (dates, plans, answers), so working on the distinct
    values and expanding back with the codes is much faster than per-row work.
    """

    def __init__(self, s: pd.Series, distinct: bool = True) -> None:
        self.index = s.index
        if distinct:
            codes, uniq = pd.factorize(s, use_na_sentinel=True)
            uniq = np.asarray(uniq, dtype=object)
            self.w = np.bincount(codes[codes >= 0], minlength=len(uniq))
        else:  # ids: (nearly) all distinct, so hashing would not pay; keep non-blank cells
            na = s.isna().to_numpy()
            uniq = s.to_numpy(dtype=object)[~na]
            codes = np.full(len(s), -1, dtype=np.intp)
            codes[~na] = np.arange(len(uniq))
            self.w = np.ones(len(uniq), dtype=np.int64)
        self.codes = codes
        self.u = _as_text_values(pd.Series(uniq, dtype=object))

    @property
    def n_blank(self) -> int:
        """Cells that were blank (NaN/None) before cleaning."""
        return int((self.codes < 0).sum())

    def count(self, mask: pd.Series | np.ndarray) -> int:
        return int(self.w[np.asarray(mask, dtype=bool)].sum())

    def expand(self, values: pd.Series | np.ndarray, fill: Any) -> pd.Series:
        arr = np.asarray(values)
        ext = np.concatenate([arr, np.array([fill], dtype=arr.dtype)])
        return pd.Series(ext[self.codes], index=self.index)


def _as_text_values(u: pd.Series) -> pd.Series:
    """Distinct non-blank values as str (Excel numbers 12.0 -> '12', datetimes ISO)."""
    if pd.api.types.infer_dtype(u, skipna=True) in ("string", "empty"):
        return u

    def conv(v: Any) -> str:
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if isinstance(v, (pd.Timestamp, _dt.datetime)):
            return v.isoformat(sep=" ")
        return str(v)
    return u.map(conv).astype(object)


_PATTERNS: dict = {}


def _dirty(arr: np.ndarray, digits: bool, letters: bool) -> np.ndarray:
    """Which strings need cleaning, found by regex passes over the joined column (fast).

    One C-speed scan of the whole column (values joined by NUL) replaces a
    per-value Python loop; only the values it flags are cleaned one by one.
    """
    key = (digits, letters)
    if key not in _PATTERNS:
        chars = "\\s" + _INVISIBLE + "\xa0" + (_NONASCII_DIGIT_RE[1:-1] if digits else "") + \
            ("يىك" if letters else "")
        exact = [f"[{_INVISIBLE}\xa0]"] + ([_NONASCII_DIGIT_RE] if digits else []) + \
            ([_LETTER_RE] if letters else [])
        _PATTERNS[key] = (re.compile(f"[{chars}]"),
                          re.compile("\x00\\s|\\s\x00|" + "|".join(exact)))
    quick, full = _PATTERNS[key]
    out = np.zeros(len(arr), dtype=bool)
    if not len(arr):
        return out
    joined = "\x00".join(arr)
    if quick.search(joined) is None:
        return out
    padded = "\x00" + joined + "\x00"
    starts = [m.start() + (padded[m.start()] == "\x00") - 1 for m in full.finditer(padded)]
    if starts:
        ends = np.cumsum(np.fromiter(map(len, arr), dtype=np.int64, count=len(arr)) + 1)
        out[np.searchsorted(ends, starts, side="right")] = True
    return out


def _clean_strings(U: _Uniq, column: str, rep: ReadReport, *, count_spaces: bool = False,
                   digits: bool = False, letters: bool = False) -> pd.Series:
    """Clean the distinct values: invisible marks, outer spaces, digits, Arabic letters.

    Returns the cleaned distinct values (object, NaN where blank); conversions are
    counted in rows.
    """
    u = U.u
    dirty = _dirty(u.to_numpy(dtype=object), digits, letters)
    if not dirty.any():
        return u
    d = u[dirty]
    t = d.str.translate(_INVISIBLE_TABLE)
    st = t.str.strip()
    if count_spaces:
        m = np.zeros(len(u), dtype=bool)
        m[dirty] = (st.str.len() != t.str.len()).to_numpy()
        rep._convert(column, "values with spaces trimmed", U.count(m))
    if digits:
        has = st.str.contains(_NONASCII_DIGIT_RE, regex=True)
        if has.any():
            m = np.zeros(len(u), dtype=bool)
            m[dirty] = has.to_numpy()
            rep._convert(column, "values with Persian/Arabic digits converted", U.count(m))
            st = st.str.translate(_DIGIT_TABLE)
    if letters:
        has = st.str.contains(_LETTER_RE, regex=True)
        if has.any():
            m = np.zeros(len(u), dtype=bool)
            m[dirty] = has.to_numpy()
            rep._convert(column, "values with Arabic ي/ك unified to Persian ی/ک", U.count(m))
            st = st.str.translate(_LETTER_TABLE)
    out = u.copy()
    out[dirty] = st.mask(st.eq("")).to_numpy()
    return out


def _na_token(t: pd.Series) -> pd.Series:
    return t.isna() | t.str.lower().isin(NA_TOKENS)


def _none(index: pd.Index) -> pd.Series:
    return pd.Series(False, index=index)


def _parse_number(s: pd.Series, column: str, rep: ReadReport) -> tuple[pd.Series, pd.Series]:
    """Vectorised number parsing. Returns (float64 values, mask of unparseable cells)."""
    if ptypes.is_bool_dtype(s.dtype) or ptypes.is_numeric_dtype(s.dtype):
        return s.astype("float64"), _none(s.index)
    U = _Uniq(s)
    t = _clean_strings(U, column, rep, digits=True)
    blank = _na_token(t)
    t = t.mask(blank)
    v = pd.to_numeric(t, errors="coerce")
    todo = v.isna() & t.notna()
    if todo.any():  # thousands separators, spaces inside numbers
        r = t[todo]
        thou = r.str.fullmatch(_THOUSANDS_RE, na=False)
        r = r.where(~thou, r.str.replace(",", "", regex=False))
        v2 = pd.to_numeric(r.str.replace(r"\s+", "", regex=True), errors="coerce")
        v.loc[todo] = v2
        rep._convert(column, "thousands separators removed",
                     U.count(v.index.isin(thou[thou & v2.notna()].index)))
    bad = v.isna() & ~blank
    return U.expand(v.to_numpy(dtype="float64"), np.nan), U.expand(bad.to_numpy(), False)


def _parse_flag(s: pd.Series, column: str, rep: ReadReport, words: Mapping[str, float] | None = None
                ) -> tuple[pd.Series, pd.Series]:
    """1/0, yes/no, true/false, بله/خیر (plus the column's own ``words``) -> 1.0/0.0.

    Returns (values, unparseable mask).
    """
    if ptypes.is_bool_dtype(s.dtype) or ptypes.is_numeric_dtype(s.dtype):
        return s.astype("float64"), _none(s.index)
    U = _Uniq(s)
    t = _clean_strings(U, column, rep, digits=True)
    t = t.mask(_na_token(t))
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


def _parse_date(s: pd.Series, column: str, rep: ReadReport, dayfirst: bool
                ) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Returns (datetime64[ns] values, masks: unparseable, Persian-calendar-looking, year > now)."""
    if ptypes.is_datetime64_any_dtype(s.dtype):
        out = s.dt.tz_convert(None) if getattr(s.dt, "tz", None) is not None else s
        return out.astype("datetime64[ns]"), _none(s.index), _none(s.index), _none(s.index)
    U = _Uniq(s)
    t = _clean_strings(U, column, rep, digits=True)
    try:
        out = pd.to_datetime(t, format="ISO8601", errors="coerce")
    except (ValueError, TypeError):  # mixed time-zone offsets
        out = pd.to_datetime(t, format="ISO8601", errors="coerce", utc=True)
    if getattr(out.dt, "tz", None) is not None:
        out = out.dt.tz_convert(None)
    out = out.astype("datetime64[ns]")
    rest = out.isna() & t.notna()
    if rest.any():
        blank = rest & _na_token(t)
        t = t.mask(blank)
        rest = rest & ~blank
        num = pd.to_numeric(t[rest], errors="coerce")
        serial = num.between(1, 2958465) & (num < 1e7)
        if serial.any():
            out.loc[serial[serial].index] = _EXCEL_EPOCH + pd.to_timedelta(num[serial], unit="D")
            rep._convert(column, "Excel serial numbers converted to dates",
                         U.count(out.index.isin(serial[serial].index)))
        ymd = num.between(19000101, 21001231)
        if ymd.any():
            v = pd.to_datetime(num[ymd].astype("int64").astype(str), format="%Y%m%d", errors="coerce")
            out.loc[v.index] = v
            rep._convert(column, "YYYYMMDD numbers converted to dates",
                         U.count(out.index.isin(v[v.notna()].index)))
        rest = out.isna() & t.notna()
    jalali = pd.Series(False, index=t.index)
    if rest.any():
        jalali = t.str.fullmatch(_JALALI_RE, na=False) & rest
        other = rest & ~jalali
        if other.any():
            v = pd.to_datetime(t[other], format="mixed", dayfirst=dayfirst, errors="coerce")
            if getattr(v.dt, "tz", None) is not None:
                v = v.dt.tz_convert(None)
            out.loc[other] = v.astype("datetime64[ns]")
            order = "day/month/year" if dayfirst else "month/day/year (pass dayfirst=True for day/month)"
            rep._convert(column, f"non-ISO dates parsed as {order}",
                         U.count(out.index.isin(v[v.notna()].index)))
        rest = out.isna() & t.notna()
    far = pd.Series(False, index=t.index)
    if rest.any():  # years beyond what datetime64[ns] holds (after 2262): far in the future
        year = pd.to_numeric(t[rest].str.extract(r"^(\d{4})[-/.]\d", expand=False), errors="coerce")
        far.loc[year.index] = (year > pd.Timestamp.now().year).to_numpy()
    return (U.expand(out.to_numpy(dtype="datetime64[ns]"), np.datetime64("NaT", "ns")),
            U.expand((rest & ~jalali & ~far).to_numpy(), False), U.expand(jalali.to_numpy(), False),
            U.expand(far.to_numpy(), False))


# --------------------------------------------------------------------------- columns
def _relabel(problem: Problem, mapping: Mapping[str, str] | None) -> Problem:
    """Name a mapped column as the analyst knows it: ``'Q1 Score (as ltr)'``."""
    col = problem.column
    if mapping and col in mapping and mapping[col] != col:
        return dataclasses.replace(problem, column=f"{mapping[col]} (as {col})")
    return problem


def _resolve(file_cols: list[str], kind: str, columns: Mapping[str, str] | None,
             require: Sequence[str] | None, rep: ReadReport, source: str,
             only: Sequence[str] | None = None) -> tuple[dict, list[Problem]]:
    """Map schema columns onto file columns. Returns (schema -> file column, problems)."""
    schema = get_schema(kind)
    names = list(schema.columns)
    base = set(only) if only is not None else {n for n, c in schema.columns.items() if c.required}
    required = base | set(require or ())
    problems: list[Problem] = []
    columns = dict(columns or {})
    for name in list(columns) + list(require or ()) + list(only or ()):
        if name not in schema.columns:
            close = difflib.get_close_matches(name, names, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            problems.append(Problem(f"'{name}' is not a column of the '{kind}' schema", column=name,
                                    fix=f"Schema columns are: {', '.join(names)}.{hint} "
                                        "Map columns as columns={'<schema column>': '<your column>'}."))
            columns.pop(name, None)
    by_exact = {c: c for c in file_cols}
    by_key: dict[str, str] = {}
    for c in file_cols:
        by_key.setdefault(_key(c), c)
    mapping: dict[str, str] = {}
    listing = ", ".join(repr(c) for c in file_cols) or "(none)"
    for name in names:
        if name in columns:
            want = _clean_header(columns[name])
            found = by_exact.get(want) or by_key.get(_key(want))
            if found is None:
                close = difflib.get_close_matches(want, file_cols, n=3, cutoff=0.6)
                hint = f" Close matches: {', '.join(map(repr, close))}." if close else ""
                problems.append(Problem(f"mapped column '{want}' not found in the file", column=name,
                                        fix=f"The file's columns are: {listing}.{hint} "
                                            f"Fix the name in columns={{'{name}': ...}}."))
                continue
            mapping[name] = found
        elif _key(name) in by_key:
            mapping[name] = by_key[_key(name)]
    used = set(mapping.values())
    unused = [c for c in file_cols if c not in used]
    for name in names:
        if name in mapping or name in columns:
            continue
        close = difflib.get_close_matches(_key(name), [_key(c) for c in unused], n=3, cutoff=0.75)
        close_cols = [c for c in unused if _key(c) in close]
        if name in required:
            if close_cols:
                kind_ = f"missing column (the file's '{close_cols[0]}' looks like a misspelling)"
            else:
                kind_ = "missing column"
            hint = f" Did you mean {' or '.join(map(repr, close_cols))}?" if close_cols else ""
            example = close_cols[0] if close_cols else "<your column>"
            problems.append(Problem(
                kind_, column=name,
                fix=f"The file's columns are: {listing}.{hint} Rename the column to '{name}' or map "
                    f"it: columns={{'{name}': '{example}'}} (cx: --column {name}='{example}')."))
        else:
            rep.missing_optional.append(name)
            if close_cols:
                rep.notes.append(f"column '{close_cols[0]}' looks like the optional column '{name}'; it "
                                 f"is kept but not validated (map it with columns={{'{name}': "
                                 f"'{close_cols[0]}'}} to validate it)")
    rep.renamed = {f: s for s, f in mapping.items() if f != s}
    rep.extra_columns = [c for c in file_cols if c not in set(mapping.values())]
    return mapping, problems


# --------------------------------------------------------------------------- readers
@dataclass(frozen=True)
class Limits:
    """The largest input the in-memory reader accepts; anything larger is refused at once.

    The defaults keep a read well inside a laptop's memory (about 500 bytes per cell
    once cleaned). Pass ``limits=Limits(...)`` to :func:`read_table` to raise them.
    """

    #: bytes of a CSV file, and of a workbook's uncompressed sheet
    max_bytes: int = 2 * 1024**3
    #: columns of a table (a CSV header or a sheet row)
    max_columns: int = 2_000
    #: rows x columns
    max_cells: int = 100_000_000


LIMITS = Limits()


def _too_big(name: str, what: str, limit: str) -> CxError:
    return CxError(f"{name}: {what}, more than this reader accepts ({limit}). Export only the "
                   "columns and rows the analysis needs (or split the file), or raise the limit "
                   "with read_table(..., limits=cxlib.data.io.Limits(...)) if this machine has the memory.")


def check_data_file(path: str | PathLike, suffixes: Sequence[str] | None = None) -> Path:
    """The path of a readable data file, or a :class:`CxError` that says what is wrong.

    The one check of a path an analyst gives: it exists, is a regular file (not a
    folder, a pipe or a device such as ``/dev/zero``) and has a supported extension.

    Parameters
    ----------
    path : str or path-like
        The file.
    suffixes : sequence of str, optional
        The accepted extensions (default: CSV and Excel).

    Returns
    -------
    pathlib.Path
        The absolute path.

    Examples
    --------
    >>> check_data_file("/dev/null")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cxlib.errors.CxError: /dev/null: not a regular file (a device or a pipe). ...
    """
    p = Path(path).expanduser()
    if not p.exists():
        raise CxError(f"{p}: file not found. Check the path (relative paths start from "
                      f"{Path.cwd()}).")
    if p.is_dir():
        raise CxError(f"{p}: is a directory, not a file. Give the path of a .csv or .xlsx file.")
    if not stat.S_ISREG(p.stat().st_mode):
        raise CxError(f"{p}: not a regular file (a device or a pipe). Save the export to a file "
                      "first and give that file's path.")
    suffix = p.suffix.lower()
    allowed = tuple(suffixes) if suffixes is not None else CSV_SUFFIXES + EXCEL_SUFFIXES
    if suffix == ".xls":
        raise CxError(f"{p.name}: the old Excel format (.xls) is not supported. Open it in Excel or "
                      "LibreOffice and save it as .xlsx, or export it as CSV.")
    if suffix not in allowed:
        raise CxError(f"{p.name}: unsupported file type '{suffix or '(no extension)'}'. cx reads "
                      f"{', '.join(allowed)}; export your table as CSV or .xlsx.")
    return p.resolve()


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    if raw[:4] == b"PK\x03\x04":
        raise CxError(f"{name}: this is a zip/Excel workbook, not a CSV. If it is an Excel file, "
                      "rename it to .xlsx.")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16"), "utf-16"
    if b"\x00" in raw[:65536]:
        raise CxError(f"{name}: does not look like a text (CSV) file (it contains binary data). "
                      "Export the table as CSV (UTF-8) or .xlsx.")
    try:
        if raw.startswith(b"\xef\xbb\xbf"):
            return raw.decode("utf-8-sig"), "utf-8-sig"
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1256"), "cp1256"


def _sniff_sep(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t", "|")}
    sep = max(counts, key=counts.get)
    return sep if counts[sep] else ","


def _read_csv(p: Path, kind: str, columns: Mapping | None, require: Sequence | None,
              sep: str | None, rep: ReadReport, only: Sequence | None = None,
              limits: Limits = LIMITS) -> tuple[pd.DataFrame | None, dict, list]:
    size = p.stat().st_size
    if size > limits.max_bytes:
        raise _too_big(p.name, f"the file has {size / 1024**3:.1f} GB",
                       f"{limits.max_bytes / 1024**3:.1f} GB")
    raw = p.read_bytes()
    text, enc = _decode(raw, p.name)
    rep.encoding = enc
    if re.search(r"[^\s\ufeff]", text) is None:
        return None, {}, [Problem("empty file", fix="The file is empty: export the table again "
                                  "with its header row and data rows.")]
    begin = len(text[:65536]) - len(text[:65536].lstrip("\ufeff\r\n"))
    end = text.find("\n", begin)
    first = text[begin:] if end < 0 else text[begin:end]
    rep.delimiter = sep = sep or _sniff_sep(first[:65536])
    width = first.count(sep) + 1
    if width > limits.max_columns:
        raise _too_big(p.name, f"the header has {width:,} columns", f"{limits.max_columns:,} columns")
    lines = raw.count(b"\n") + 1
    if lines * width > limits.max_cells:
        raise _too_big(p.name, f"about {lines:,} rows x {width:,} columns", f"{limits.max_cells:,} cells")
    # leading blank lines before the header shift row numbers
    head = text[:65536].lstrip("\ufeff")
    lead_lines = head[:len(head) - len(head.lstrip("\r\n"))].count("\n")
    if enc in ("utf-8", "utf-8-sig"):  # let the C parser decode: faster than a str buffer
        buf, read_enc = _io.BytesIO(raw), enc
    else:
        buf, read_enc = _io.StringIO(text), None
    del text
    try:
        header = pd.read_csv(buf, sep=sep, nrows=0, skip_blank_lines=True, encoding=read_enc).columns
    except pd.errors.EmptyDataError:
        return None, {}, [Problem("empty file", fix="The file has no header row.")]
    file_cols = [_clean_header(c) for c in header]
    mapping, problems = _resolve(file_cols, kind, columns, require, rep, p.name, only)
    schema = get_schema(kind)
    as_str = {header[file_cols.index(f)]: str for s, f in mapping.items()
              if schema.columns[s].metadata["cx_type"] in _TEXT_TYPES + ("date", "datetime")}
    buf.seek(0)
    try:
        with warnings.catch_warnings():
            # chunked parsing may give a column ints in one chunk and text (Persian digits)
            # in another; the cleaning below handles such mixed columns, so this one
            # pandas warning is expected here
            warnings.simplefilter("ignore", pd.errors.DtypeWarning)
            df = pd.read_csv(buf, sep=sep, dtype=as_str, skip_blank_lines=False, encoding=read_enc)
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+), saw (\d+)", str(exc))
        rows = (int(m.group(1)),) if m else ()
        problems.append(Problem("row has more cells than the header", rows=rows, count=len(rows),
                                values=(f"{m.group(2)} cells",) if m else (),
                                fix=f"Values that contain the delimiter {sep!r} must be quoted; "
                                    "export the file again from the source system."))
        return None, mapping, problems
    df.columns = file_cols
    df.index = pd.RangeIndex(2 + lead_lines, 2 + lead_lines + len(df))
    return df, mapping, problems


def _sheet_rows(ws: Any, name: str, limits: Limits) -> list[tuple]:
    """The sheet's rows as stored (not as its declared used range), within the limits."""
    ws.reset_dimensions()  # a used range such as A1:XFD1048576 would pad every row
    rows: list[tuple] = []
    cells = 0
    for row in ws.iter_rows(values_only=True):
        if len(row) > limits.max_columns:
            raise _too_big(name, f"sheet {ws.title!r} has a row {len(row):,} cells wide",
                           f"{limits.max_columns:,} columns")
        cells += max(len(row), 1)
        if cells > limits.max_cells:
            raise _too_big(name, f"sheet {ws.title!r} holds more than {limits.max_cells:,} cells",
                           f"{limits.max_cells:,} cells")
        rows.append(row)
    return rows


def _check_workbook_size(p: Path, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(p) as z:
            sheets = [i.file_size for i in z.infolist() if i.filename.startswith("xl/worksheets/")]
    except (zipfile.BadZipFile, OSError):
        return  # load_workbook reports it
    if sheets and max(sheets) > limits.max_bytes:
        raise _too_big(p.name, f"a sheet unpacks to {max(sheets) / 1024**3:.1f} GB",
                       f"{limits.max_bytes / 1024**3:.1f} GB")


def _read_excel(p: Path, kind: str, columns: Mapping | None, require: Sequence | None,
                sheet: str | int | None, rep: ReadReport, only: Sequence | None = None,
                limits: Limits = LIMITS) -> tuple[pd.DataFrame | None, dict, list]:
    import openpyxl
    from openpyxl.utils import get_column_letter

    _check_workbook_size(p, limits)
    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise CxError(f"{p.name}: could not be read as an Excel workbook ({type(exc).__name__}). "
                      "Open it in Excel and save it again as .xlsx, or export it as CSV.") from None
    try:
        if sheet is None or sheet == 0:
            ws = wb.worksheets[0]
        elif isinstance(sheet, int):
            ws = wb.worksheets[sheet]
        else:
            ws = wb[sheet]
    except (KeyError, IndexError):
        raise CxError(f"{p.name}: no sheet {sheet!r}; the workbook has sheets "
                      f"{', '.join(map(repr, wb.sheetnames))}.") from None
    rep.sheet = ws.title
    try:
        rows = _sheet_rows(ws, p.name, limits)
    finally:
        wb.close()

    def blank(v: Any) -> bool:
        return v is None or (isinstance(v, str) and not v.strip())

    start = next((i for i, r in enumerate(rows) if not all(blank(v) for v in r)), None)
    if start is None:
        return None, {}, [Problem("empty file", fix=f"Sheet {ws.title!r} is empty: put the header in "
                                  "row 1 and the data below it, or pass the right sheet.")]
    header = list(rows[start])
    body = rows[start + 1:]
    width = len(header)
    while width and blank(header[width - 1]) and all(blank(r[width - 1]) for r in body if len(r) >= width):
        width -= 1
    file_cols = [_clean_header(h) if not blank(h) else f"Unnamed: {get_column_letter(i + 1)}"
                 for i, h in enumerate(header[:width])]
    data = [tuple(r[:width]) + (None,) * (width - len(r)) for r in body]
    df = pd.DataFrame(data, columns=file_cols, dtype=object,
                      index=pd.RangeIndex(start + 2, start + 2 + len(data)))
    df = df.map(lambda v: None if isinstance(v, str) and not v.strip() else v)
    mapping, problems = _resolve(file_cols, kind, columns, require, rep, p.name, only)
    return df, mapping, problems


# --------------------------------------------------------------------------- validation
_FIX = {
    "field_uniqueness": "Each {col} must appear only once: remove the repeated rows (the same record "
                        "exported twice?) or check that the right column is mapped to '{col}'.",
    "not_nullable": "'{col}' is required in every row: fill in these cells or remove the rows.",
    "whole_number": "'{col}' must be a whole number.",
    "flag_0_1": "'{col}' is a 0/1 flag: use 1 or 0 (yes/no and true/false are also accepted).",
    "not_in_future": "A date after today is impossible here: check the date format (day and month "
                     "swapped?) and the export's year.",
    "not_before_1900": "Dates must be Gregorian (for example 2024-03-20): a year like 1403 is from "
                       "the Persian calendar and must be converted; a small number may be an Excel "
                       "serial that is not a date.",
}


_KIND = {"field_uniqueness": "duplicate id", "not_nullable": "blank in a required column",
         "whole_number": "not a whole number", "flag_0_1": "not a 0/1 flag",
         "not_in_future": "date in the future", "not_before_1900": "date before 1900"}


def _check_key(check: str) -> str:
    return re.sub(r"\(.*", "", str(check))


def _translate_failures(fc: pd.DataFrame, out: pd.DataFrame, kind: str,
                        skip: dict[str, pd.Series], raw: pd.DataFrame | None = None,
                        mapping: dict | None = None) -> list[Problem]:
    """pandera failure cases -> Problems (values shown as they are in the file)."""
    schema = get_schema(kind)
    problems: list[Problem] = []
    fc = fc[fc["index"].notna()]
    done_wide = set()
    for (col, check), g in fc.groupby(["column", "check"], sort=False, dropna=False):
        key = _check_key(check)
        idx = pd.Index(pd.unique(g["index"].astype("int64"))).sort_values()
        if key in ("resolved_le_complaints", "multiple_fields_uniqueness"):
            if key in done_wide:
                continue
            done_wide.add(key)
            if key == "resolved_le_complaints":
                vals = [f"{_py(r)} resolved of {_py(c)}" for r, c in
                        zip(out.loc[idx[:SHOW], "complaints_resolved"], out.loc[idx[:SHOW], "complaints"])]
                problems.append(Problem("complaints_resolved greater than complaints",
                                        column="complaints_resolved", rows=tuple(int(i) for i in idx[:SHOW]),
                                        values=tuple(vals), count=len(idx),
                                        fix="A month cannot resolve more complaints than were made: "
                                            "check that the two columns are not swapped."))
            else:
                ucols = list(schema.unique or [])
                vals = [" ".join(str(_py(v)) for v in row) for row in
                        out.loc[idx[:SHOW], ucols].itertuples(index=False)]
                problems.append(Problem("duplicate rows for the same " + " and ".join(ucols),
                                        column=" + ".join(ucols), rows=tuple(int(i) for i in idx[:SHOW]),
                                        values=tuple(vals), count=len(idx),
                                        fix=f"Each combination of {' and '.join(ucols)} must appear once: "
                                            "remove the repeated rows or aggregate them first."))
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
        unit = f" {meta['unit']}" if meta.get("unit") and meta["cx_type"] not in ("score", "flag") else ""
        if key == "in_range":
            kind_ = "out of range"
            fix = meta.get("fix") or f"'{col}' must be from {meta['min']:g} to {meta['max']:g}{unit}."
        elif key == "greater_than_or_equal_to":
            kind_ = "negative value" if meta.get("min") == 0 else "below the minimum"
            fix = meta.get("fix") or (f"'{col}' cannot be negative{' (' + unit.strip() + ')' if unit else ''}: "
                                      "check the sign and that refunds are not mixed in.")
        elif key == "isin" and meta.get("cx_type") == "flag":
            kind_, fix = _KIND["flag_0_1"], _FIX["flag_0_1"].format(col=col)
        elif key == "isin":
            kind_ = "value not allowed"
            fix = f"Allowed values of '{col}': {', '.join(meta.get('allowed') or ())}."
        elif key in _KIND:
            kind_ = _KIND[key]
            fix = (meta.get("fix") if key == "whole_number" and meta.get("fix") else _FIX[key].format(col=col))
        else:
            kind_ = f"failed check {check}"
            fix = f"See `cx schemas {kind}` for what '{col}' must contain."
        src = (raw.loc[idx[:SHOW], mapping[col]] if raw is not None and mapping and col in mapping
               else out.loc[idx[:SHOW], col])
        problems.append(Problem(kind_, column=col, rows=tuple(int(i) for i in idx[:SHOW]),
                                values=tuple(_py(v) for v in src),
                                count=len(idx), fix=fix))
    return problems


_FAST: dict[str, pa.DataFrameSchema] = {}


def _fast_schema(kind: str) -> pa.DataFrameSchema:
    """The kind's schema with the text dtypes relaxed, for validating frames built here.

    pandera checks a ``str`` dtype element by element in Python (about 0.5 s per
    million cells); every text column that reaches validation was built by
    :func:`_clean_strings` from ``str`` values, so that check is redundant here.
    All value checks (ranges, uniqueness, nullability, dates) still run in pandera.
    """
    if kind not in _FAST:
        schema = get_schema(kind)
        _FAST[kind] = schema.update_columns(
            {n: {"dtype": None} for n, c in schema.columns.items()
             if c.metadata["cx_type"] in _TEXT_TYPES})
    return _FAST[kind]


def _all_blank(frame: pd.DataFrame) -> pd.Series:
    """Rows whose every cell is NaN: cheap typed columns first, text only on candidates."""
    cand = np.ones(len(frame), dtype=bool)
    for c in sorted(range(frame.shape[1]), key=lambda i: frame.dtypes.iloc[i] == object):
        idx = np.flatnonzero(cand)
        if not len(idx):
            break
        cand[idx] = pd.isna(frame.iloc[:, c].to_numpy()[idx])
    return pd.Series(cand, index=frame.index)


def _process(raw: pd.DataFrame | None, mapping: dict, problems: list[Problem], kind: str,
             rep: ReadReport, dayfirst: bool) -> pd.DataFrame | None:
    """Clean, type and validate a raw frame whose index holds spreadsheet row numbers."""
    schema = get_schema(kind)
    if raw is None:
        rep.problems = problems
        return None
    rep.rows_read = len(raw)
    out = pd.DataFrame(index=raw.index)
    skip: dict[str, pd.Series] = {}
    parse_problems: list[tuple[str, Problem, pd.Series]] = []
    nblank: dict[str, int] = {}
    for name, col in schema.columns.items():
        if name not in mapping:
            continue
        s = raw[mapping[name]]
        ctype = col.metadata["cx_type"]
        unit = col.metadata["unit"]
        bad = None
        if ctype == "text":  # free text is kept as written (only made object dtype)
            v = s.astype(object)
        elif ctype in _TEXT_TYPES:
            U = _Uniq(s, distinct=ctype != "id")
            t = _clean_strings(U, name, rep, count_spaces=True, digits=ctype == "id",
                               letters=ctype in ("id", "category"))
            if col.metadata.get("allowed"):
                low = t.str.lower()
                rep._convert(name, "values lower-cased to match the allowed values",
                             U.count(low.ne(t) & t.notna()))
                t = low
            v = U.expand(t.to_numpy(dtype=object), np.nan)
            na_count = U.n_blank + U.count(t.isna().to_numpy())
        elif ctype in ("int", "float", "score"):
            v, bad = _parse_number(s, name, rep)
            if bad.any():
                parse_problems.append((name, Problem(
                    "text in a number column", column=name,
                    fix=f"'{name}' must hold numbers only{' (' + unit + ')' if unit else ''}: "
                        "remove the text or map the right column."), bad))
        elif ctype == "flag":
            v, bad = _parse_flag(s, name, rep, col.metadata.get("words"))
            if bad.any():
                parse_problems.append((name, Problem("not a 0/1 flag", column=name,
                                                     fix=_FIX["flag_0_1"].format(col=name)), bad))
        else:  # date, datetime
            v, bad, jalali, far = _parse_date(s, name, rep, dayfirst)
            if far.any():
                parse_problems.append((name, Problem("date in the future", column=name,
                                                     fix=_FIX["not_in_future"]), far))
            if jalali.any():
                parse_problems.append((name, Problem("Persian (Jalali) calendar date", column=name,
                                                     fix=_FIX["not_before_1900"]), jalali))
            if bad.any():
                parse_problems.append((name, Problem(
                    "date not understood", column=name,
                    fix=f"Write '{name}' as YYYY-MM-DD (for example 2024-03-20), or as an Excel "
                        "date cell."), bad))
            bad = bad | jalali | far
        out[name] = v
        if ctype not in ("id", "category"):
            na_count = int(v.isna().sum())
        if bad is not None and bad.any():
            skip[name] = bad
            na_count -= int(bad.sum())
        nblank[name] = na_count
    text_features: list[str] = []
    for c in rep.extra_columns:
        s = raw[c]
        if kind == "churn_table" and s.dtype == object and s.notna().any():
            sub = ReadReport(source=rep.source, kind=kind)
            v, bad = _parse_number(s, c, sub)
            if not bad.any():
                rep.conversions += sub.conversions
                rep._convert(c, "feature values converted from text to numbers",
                             int((v.notna() & s.notna()).sum()))
                s = v
            else:
                text_features.append(c)
        if c in out.columns:  # a file column named like a schema column that was mapped elsewhere
            rep.notes.append(f"the file's column '{c}' was kept as '{c} (file)' because "
                             f"'{mapping.get(c)}' is used as '{c}'")
            c = f"{c} (file)"
        out[c] = s
    if text_features:
        rep.notes.append("text features (encode them before modelling): "
                         + ", ".join(map(repr, text_features)))
    # empty rows: every cell blank (cells holding only spaces count as blank)
    if len(out):
        empty = _all_blank(out)
        if empty.any():  # confirm on the file's own cells: a value that failed to parse is not blank
            cand = raw.loc[empty.to_numpy()]
            ws = cand.apply(lambda col: col.map(lambda x: isinstance(x, str) and not x.strip()))
            empty.loc[cand.index] = (cand.isna() | ws).all(axis=1).to_numpy()
        rep.empty_rows_dropped = int(empty.sum())
        rep.empty_rows = tuple(int(i) for i in out.index[empty][:SHOW])
        if empty.any():
            out = out[~empty]
            skip = {k: m[~empty] for k, m in skip.items()}
    for name, col in schema.columns.items():  # whole numbers -> int64 when complete
        if name in out.columns and col.metadata["cx_type"] in ("int", "score", "flag"):
            v = out[name]
            if v.dtype == "float64" and v.notna().all() and ((v % 1) == 0).all():
                out[name] = v.astype("int64")
    if not len(out):
        problems.append(Problem("no data rows (header only)" if not rep.rows_read else
                                "no data rows (every row is empty)",
                                fix="The file has a header but no data: export the table again "
                                    "including its rows."))
    for name, prob, mask in parse_problems:
        mask = mask.reindex(out.index, fill_value=False)
        hit = out.index[mask.to_numpy()]
        src = raw.loc[hit[:SHOW], mapping[name]]
        problems.append(Problem(prob.kind, column=name, rows=tuple(int(i) for i in hit[:SHOW]),
                                values=tuple(_py(x) for x in src), count=len(hit), fix=prob.fix))
    for name, n in nblank.items():
        n -= rep.empty_rows_dropped  # an empty row is blank in every column
        if n:
            rep.blanks[name] = n
    # pandera validation (lazy: every failure); index = spreadsheet row numbers
    if len(out):
        try:
            _fast_schema(kind).validate(out, lazy=True)
        except pa.errors.SchemaErrors as exc:
            problems += _translate_failures(exc.failure_cases, out, kind, skip, raw, mapping)
    order = {n: i for i, n in enumerate(list(schema.columns) + list(out.columns))}
    problems.sort(key=lambda p: -1 if p.column is None else order.get(p.column.split(" + ")[0], -1))
    problems = [_relabel(p, mapping) for p in problems]
    rep.rows = len(out)
    rep.problems = problems
    return out


def _finish(out: pd.DataFrame | None, rep: ReadReport) -> pd.DataFrame:
    if rep.problems:
        err = ValidationError(list(rep.problems), source=rep.source)
        err.report = rep  # type: ignore[attr-defined]
        raise err
    return out.reset_index(drop=True)


def _run(path: str | PathLike, kind: str, columns: Mapping[str, str] | None,
         require: Sequence[str] | None, sheet: str | int | None, sep: str | None,
         dayfirst: bool, only: Sequence[str] | None = None,
         limits: Limits = LIMITS) -> tuple[pd.DataFrame | None, ReadReport]:
    get_schema(kind)  # unknown kind -> CxError before touching the file
    p = check_data_file(path)
    rep = ReadReport(source=p.name, kind=kind)
    try:
        if p.suffix.lower() in EXCEL_SUFFIXES:
            rep.format = "xlsx"
            raw, mapping, problems = _read_excel(p, kind, columns, require, sheet, rep, only, limits)
        else:
            rep.format = "csv"
            raw, mapping, problems = _read_csv(p, kind, columns, require, sep, rep, only, limits)
    except PermissionError:
        raise CxError(f"{p}: permission denied. Check that the file is not open elsewhere and "
                      "that you can read it.") from None
    out = _process(raw, mapping, problems, kind, rep, dayfirst)
    return out, rep


def read_table(path: str | PathLike, kind: str, columns: Mapping[str, str] | None = None, *,
               require: Sequence[str] | None = None, only: Sequence[str] | None = None,
               sheet: str | int | None = None, sep: str | None = None, dayfirst: bool = False,
               report: bool = False, limits: Limits = LIMITS
               ) -> pd.DataFrame | tuple[pd.DataFrame, ReadReport]:
    """Read a CSV or Excel export, clean it and validate it against a schema.

    Parameters
    ----------
    path : str or path-like
        A ``.csv``/``.txt``/``.tsv`` or ``.xlsx``/``.xlsm`` file.
    kind : str
        The schema kind: one of :data:`cxlib.data.schemas.KINDS`.
    columns : dict, optional
        Schema column -> your file's column name, e.g. ``{"ltr": "Q1 Likelihood"}``.
        Columns already named as the schema (ignoring case, spaces and
        underscores) need no mapping.
    require : list of str, optional
        Optional schema columns that this analysis needs (they become required).
    only : list of str, optional
        The schema columns this analysis uses: only these are required, the
        schema's other columns become optional (validated when present). For
        example ``only=["ltr"]`` reads a survey file that has nothing but scores.
    sheet : str or int, optional
        Excel sheet name or position (default: the first sheet).
    sep : str, optional
        CSV delimiter; detected from the header line when omitted.
    dayfirst : bool, default False
        Read non-ISO dates such as ``03/04/2024`` as day/month/year.
    report : bool, default False
        Also return the :class:`ReadReport` of what was cleaned and dropped.
    limits : Limits, optional
        The largest file this reads (bytes, columns, cells); larger ones are refused at once.

    Returns
    -------
    pandas.DataFrame or (pandas.DataFrame, ReadReport)
        Schema columns (schema names, schema order, proper dtypes) followed by
        the file's other columns, kept as read; index ``0..n-1``.

    Raises
    ------
    ValidationError
        Listing every problem in the file (``err.report`` holds the read report).
    CxError
        If the file cannot be read at all (missing, a directory, binary, an
        unsupported type) or ``kind`` is unknown.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "fb.csv"
    >>> _ = f.write_text("ID,Agent,CSAT \\nF1,A1, 5\\nF2,A1,\\n", encoding="utf-8-sig")
    >>> df, rep = read_table(f, "agent_feedback", {"response_id": "ID", "agent_id": "Agent"},
    ...                      report=True)
    >>> df.dtypes.astype(str).tolist()
    ['object', 'object', 'float64']
    >>> rep.blanks
    {'csat': 1}
    """
    out, rep = _run(path, kind, columns, require, sheet, sep, dayfirst, only, limits)
    df = _finish(out, rep)
    return (df, rep) if report else df


def validate_file(path: str | PathLike, kind: str, columns: Mapping[str, str] | None = None, *,
                  require: Sequence[str] | None = None, only: Sequence[str] | None = None,
                  sheet: str | int | None = None,
                  sep: str | None = None, dayfirst: bool = False,
                  limits: Limits = LIMITS) -> ReadReport:
    """Read and validate a file; return the :class:`ReadReport` instead of raising.

    Same parameters as :func:`read_table`. ``report.ok`` tells whether the file is
    valid and ``report.problems`` lists every problem. Files that cannot be read
    at all still raise :class:`~cxlib.errors.CxError`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "c.csv"
    >>> _ = f.write_text("customer_id,churned\\nC1,yes\\nC1,2\\n")
    >>> rep = validate_file(f, "churn_table")
    >>> rep.ok, [p.kind for p in rep.problems]
    (False, ['duplicate id', 'not a 0/1 flag'])
    """
    _, rep = _run(path, kind, columns, require, sheet, sep, dayfirst, only, limits)
    return rep


def validate_frame(df: pd.DataFrame, kind: str, columns: Mapping[str, str] | None = None, *,
                   require: Sequence[str] | None = None, only: Sequence[str] | None = None,
                   source: str = "data",
                   dayfirst: bool = False, report: bool = False
                   ) -> pd.DataFrame | tuple[pd.DataFrame, ReadReport]:
    """Clean and validate an in-memory DataFrame exactly as :func:`read_table` does a file.

    Row numbers in messages count the header as row 1 (first data row = row 2).

    Examples
    --------
    >>> df = pd.DataFrame({"customer_id": ["C1", "C2"], "churned": ["no", "بله"]})
    >>> validate_frame(df, "churn_table")["churned"].tolist()
    [0, 1]
    """
    get_schema(kind)
    rep = ReadReport(source=source, kind=kind, format="DataFrame")
    raw = df.copy()
    raw.columns = [_clean_header(c) for c in raw.columns]
    raw.index = pd.RangeIndex(2, 2 + len(raw))
    mapping, problems = _resolve(list(raw.columns), kind, columns, require, rep, source, only)
    out = _process(raw, mapping, problems, kind, rep, dayfirst)
    result = _finish(out, rep)
    return (result, rep) if report else result


