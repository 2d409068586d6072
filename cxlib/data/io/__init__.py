"""Read a company's messy CSV or Excel export and validate it against a schema.

:func:`read_table` is the one entry point a lesson, an analyst or a ``cx`` command needs::

    df = read_table("survey.xlsx", "nps_surveys", columns={"ltr": "Q1 Likelihood"})
    df, report = read_table("survey.csv", "nps_surveys", report=True)

Every decision is made once for the whole file or the whole column, never value by
value, and counted in the :class:`ReadReport` (nothing is coerced or dropped silently):

* **file**: CSV (``.csv``, ``.txt``, ``.tsv``; delimiter detected: comma, semicolon,
  tab or pipe), Excel ``.xlsx``/``.xlsm`` (first sheet unless ``sheet=``; blank lines
  before the header are skipped) or Parquet (``.parquet``, typed columns; the first
  record is row 2, as if the file were opened in a spreadsheet);
* **encoding** (:mod:`cxlib.data.io._decode`): UTF-8 with or without BOM, UTF-16 with or
  without BOM (Excel's "Unicode text"), Windows-1256 (Persian/Arabic) or Windows-1252
  (Western European), decided for the whole file; a UTF-8 file with a few stray bytes is
  an error naming their line, not a reason to re-read it in another encoding;
* **numbers** (:mod:`cxlib.data.io._numbers`): Persian (۰-۹) and Arabic-Indic (٠-٩) digits,
  the Arabic separators (٫ ٬), currency and percent signs, and the **decimal mark decided
  per column** from all its values (``29,85`` in a European export is 29.85; ``1,234``
  alone is refused until ``decimal=`` says which); score labels such as
  ``10 - Extremely likely``; blank markers (``N/A``, ``-``, ``Don't know``) counted by kind;
* **dates** (:mod:`cxlib.data.io._dates`): day/month order decided per column, Persian (Jalali)
  dates converted to Gregorian, time-zone offsets dropped (local time kept), Excel serial
  numbers and ``YYYYMMDD``;
* flags written as 1/0, yes/no, true/false or بله/خیر; spaces and invisible marks around
  headers and values; headers matched ignoring case, spaces and the Arabic/Persian forms
  of ي/ی, ك/ک and ؟/? (``"Customer ID "`` finds ``customer_id``);
* empty rows (anywhere, typically trailing): dropped and counted.

Then the table is validated against :func:`cxlib.data.schemas.get_schema`. A bad file raises
ONE :class:`~cxlib.errors.ValidationError` listing every problem (missing, duplicate or
misspelt column, rows with more or fewer cells than the header, text in a number column,
undecidable decimal mark, dates in both orders, score out of range, duplicate id, future
date, formulas without saved results, empty file, ...), each with the column, the
spreadsheet row numbers (header = row 1), the offending values and how to fix it,
naming the ``cx`` option to use (``--decimal ,``) and the Python argument. The
exception carries the read report as ``err.report``.

Report design: ``read_table(..., report=True)`` returns ``(df, report)``. The report is
never stored in ``df.attrs`` (pandas copies ``attrs`` into every derived frame).
:func:`validate_file` returns only the report, with the problems in ``report.problems``
instead of raising; ``cx validate`` prints it and every other ``cx`` command prints its
one-line :meth:`ReadReport.brief`.

Columns the schema does not know are kept (header trimmed) and listed in the report as
"kept, not validated"; a column of numbers written as text is converted (decimal mark
decided as above). In a ``churn_table`` they are the model's features: an undecidable
decimal mark or an infinite value there is a problem. Free-text columns (``comment``,
``agent_reply``) are kept exactly as written.

Speed (``benchmarks/bench_io.py``: 1,000,000 survey rows in a few seconds): in a
comma-separated file the C CSV parser reads plain numbers directly and decodes UTF-8
itself; each text, date and answer column is factorised so every *distinct* value is
cleaned and decided once and expanded back with the codes; which values need cleaning at
all is found by one regular-expression scan over the whole column joined into one string.
Validation runs the pandera schema (lazy, so every failure is collected) with one
exception: the ``str`` dtype check, which pandera performs element by element in Python,
is skipped for text columns built here from ``str`` values.

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
>>> eu = "response_id;survey_date;ltr;bill\\nR1;19/03/2024;9;29,85\\nR2;03/04/2024;7;1.234,50\\n"
>>> _ = (d / "eu.csv").write_text(eu, encoding="utf-8")
>>> df, rep = read_table(d / "eu.csv", "nps_surveys", report=True)
>>> df["survey_date"].dt.strftime("%Y-%m-%d").tolist(), df["bill"].tolist()
(['2024-03-19', '2024-04-03'], [29.85, 1234.5])
>>> rep.date_orders["survey_date"]
"day/month/year (from its values: '19/03/2024' in row 2)"
>>> _ = (d / "bad.csv").write_text("response_id,survey_date,ltr\\nR1,2024-01-05,11\\n")
>>> read_table(d / "bad.csv", "nps_surveys")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
cxlib.errors.ValidationError: bad.csv: 1 problem found
  1. column 'ltr': out of range in 1 row (row 2); values: 11.
     How to fix: Likelihood to recommend is a whole number from 0 to 10; ...
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from os import PathLike

import pandas as pd

from cxlib.data._spec import get_spec
from cxlib.data.io._churn import read_churn_table
from cxlib.data.io._columns import duplicate_headers, id_like, is_absent_column, resolve, with_options
from cxlib.data.io._convert import to_clean_csv, to_dates, to_numbers
from cxlib.data.io._csv import ReadOptions, read_csv
from cxlib.data.io._excel import read_excel
from cxlib.data.io._files import (
    CSV_SUFFIXES,
    EXCEL_SUFFIXES,
    LIMITS,
    MAX_SKIP_ROWS,
    PARQUET_SUFFIXES,
    Limits,
    check_data_file,
    check_read_options,
)
from cxlib.data.io._process import process
from cxlib.data.io._report import ReadReport
from cxlib.data.io._text import NA_TOKENS, clean_header, to_ascii_digits
from cxlib.errors import CxError

__all__ = [
    "read_table",
    "with_options",
    "is_absent_column",
    "id_like",
    "validate_file",
    "validate_frame",
    "check_data_file",
    "check_read_options",
    "Limits",
    "LIMITS",
    "ReadReport",
    "ReadOptions",
    "CSV_SUFFIXES",
    "EXCEL_SUFFIXES",
    "PARQUET_SUFFIXES",
    "NA_TOKENS",
    "to_ascii_digits",
    "to_numbers",
    "to_dates",
    "to_clean_csv",
    "read_options",
    "read_churn_table",
]


def read_options(
    *,
    sheet: str | int | None = None,
    sep: str | None = None,
    decimal: str | None = None,
    dayfirst: bool | None = None,
    encoding: str | None = None,
    skip_rows: int = 0,
) -> ReadOptions:
    """Check the reading options and bundle them (the ``cx`` options of the same names).

    Parameters
    ----------
    sheet : str or int, optional
        The Excel sheet to read.
    sep : str, optional
        CSV delimiter: a character or a name (``"comma"``, ``"semicolon"``, ``"tab"``, ``"pipe"``).
    decimal : str, optional
        Decimal mark, ``"."`` or ``","``.
    dayfirst : bool, optional
        Day before month in ambiguous dates.
    encoding : str, optional
        A text encoding Python knows.
    skip_rows : int, default 0
        Lines (CSV) or rows (Excel) above the header to skip: a title block.

    Returns
    -------
    ReadOptions
        The checked options, ready for :func:`read_table`.

    Examples
    --------
    >>> read_options(decimal=",", sep="semicolon")
    ReadOptions(sheet=None, sep=';', decimal=',', dayfirst=None, encoding=None, skip_rows=0)
    >>> read_options(decimal="x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cxlib.errors.CxError: decimal must be '.' or ','; got 'x'. ...
    """
    from cxlib.data.io._csv import SEP_NAMES

    if decimal not in (None, ".", ","):
        raise CxError(
            f"decimal must be '.' or ','; got {decimal!r}. On the command line: "
            "--decimal , or --decimal . (decimal=',' or '.' in Python)."
        )
    sep = SEP_NAMES.get(sep.lower(), sep) if isinstance(sep, str) else sep
    if sep is not None and (len(sep) != 1 or sep in '"\r\n'):
        raise CxError(
            f"sep must be one character such as ',' ';' '|' or tab; got {sep!r}. On the "
            "command line: --sep ';' or --sep tab (sep=';' or '\\t' in Python)."
        )
    if dayfirst is not None and not isinstance(dayfirst, bool):
        raise CxError(f"dayfirst must be True, False or None; got {dayfirst!r}.")
    if isinstance(skip_rows, bool) or not isinstance(skip_rows, int) or not 0 <= skip_rows <= MAX_SKIP_ROWS:
        raise CxError(
            f"skip_rows must be a whole number from 0 to {MAX_SKIP_ROWS:,} (the lines above the header row); "
            f"got {skip_rows!r}. On the command line: --skip-rows 3 (skip_rows=3 in Python)."
        )
    return ReadOptions(
        sheet=sheet, sep=sep, decimal=decimal, dayfirst=dayfirst, encoding=encoding or None, skip_rows=skip_rows
    )


def _run(
    path: str | PathLike,
    kind: str,
    columns: Mapping[str, str] | None,
    require: Sequence[str] | None,
    opts: ReadOptions,
    only: Sequence[str] | None = None,
    limits: Limits = LIMITS,
) -> tuple[pd.DataFrame | None, ReadReport]:
    get_spec(kind)  # unknown kind -> CxError before touching the file
    p = check_data_file(path)
    check_read_options(p, sheet=opts.sheet, sep=opts.sep, encoding=opts.encoding, skip_rows=opts.skip_rows)
    rep = ReadReport(source=p.name, kind=kind)
    try:
        if p.suffix.lower() in EXCEL_SUFFIXES:
            rep.format = "xlsx"
            raw, mapping, problems = read_excel(p, kind, columns, require, opts, rep, only, limits)
        elif p.suffix.lower() in PARQUET_SUFFIXES:
            from cxlib.data.io._parquet import read_parquet

            rep.format = "parquet"
            raw, mapping, problems = read_parquet(p, kind, columns, require, opts, rep, only, limits)
        else:
            rep.format = "csv"
            raw, mapping, problems = read_csv(p, kind, columns, require, opts, rep, only, limits)
    except PermissionError:
        raise CxError(
            f"{p}: permission denied. Check that the file is not open elsewhere and that you can read it."
        ) from None
    out = process(raw, mapping, problems, kind, rep, opts)
    if out is not None:
        rep.note_unused(opts.decimal, opts.dayfirst)
    return out, rep


def _finish(out: pd.DataFrame | None, rep: ReadReport) -> pd.DataFrame:
    if rep.problems:
        raise rep.error()
    if out is None:  # no problem was found, so there is a table
        raise CxError(f"{rep.source}: nothing was read.")
    return out.reset_index(drop=True)


def read_table(
    path: str | PathLike,
    kind: str,
    columns: Mapping[str, str] | None = None,
    *,
    require: Sequence[str] | None = None,
    only: Sequence[str] | None = None,
    sheet: str | int | None = None,
    sep: str | None = None,
    decimal: str | None = None,
    dayfirst: bool | None = None,
    encoding: str | None = None,
    skip_rows: int = 0,
    report: bool = False,
    limits: Limits = LIMITS,
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
        Excel sheet name or 0-based position (default: the first sheet); a number
        given as text (``"2"``, as typed after ``cx --sheet``) counts from 1.
    sep : str, optional
        CSV delimiter (``","``, ``";"``, ``"\\t"``, ``"|"``, or ``"tab"``...); detected
        from the header line when omitted.
    decimal : {".", ","}, optional
        The decimal mark of number columns whose values do not show it (``1,234``).
        By default each column's mark is decided from its values.
    dayfirst : bool, optional
        The order of dates such as ``03/04/2024``. By default each column's order is
        decided from its values (a day above 12 anywhere, as in ``19/03/2024``, makes
        the whole column day first) and a column whose values do not show it is read
        month first. When given, it applies to every such column and values that do
        not fit it are reported.
    encoding : str, optional
        The CSV's encoding (``"utf-8"``, ``"cp1256"``, ``"cp1252"``, ``"utf-16"``...);
        detected for the whole file when omitted.
    skip_rows : int, default 0
        Lines (CSV) or rows (Excel) above the header row to skip, such as a title block
        (``cx --skip-rows``); row numbers in the report stay the file's own.
    report : bool, default False
        Also return the :class:`ReadReport` of what was cleaned and dropped.
    limits : Limits, optional
        The largest file this reads (bytes, columns, cells); larger ones are refused at once.

    Returns
    -------
    pandas.DataFrame or (pandas.DataFrame, ReadReport)
        Schema columns (schema names, schema order, proper dtypes) followed by
        the file's other columns; index ``0..n-1``.

    Raises
    ------
    ValidationError
        Listing every problem in the file (``err.report`` holds the read report).
    CxError
        If the file cannot be read at all (missing, a directory, binary, corrupt, an
        unsupported type), an option is invalid or ``kind`` is unknown.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "fb.csv"
    >>> _ = f.write_text("ID,Agent,CSAT \\nF1,A1, 5\\nF2,A1,N/A\\n", encoding="utf-8-sig")
    >>> df, rep = read_table(f, "agent_feedback", {"response_id": "ID", "agent_id": "Agent"},
    ...                      report=True)
    >>> df.dtypes.astype(str).tolist()
    ['object', 'object', 'float64']
    >>> rep.blanks, rep.blank_kinds
    ({'csat': 1}, {'csat': {'N/A': 1}})
    """
    opts = read_options(
        sheet=sheet, sep=sep, decimal=decimal, dayfirst=dayfirst, encoding=encoding, skip_rows=skip_rows
    )
    out, rep = _run(path, kind, columns, require, opts, only, limits)
    df = _finish(out, rep)
    return (df, rep) if report else df


def validate_file(
    path: str | PathLike,
    kind: str,
    columns: Mapping[str, str] | None = None,
    *,
    require: Sequence[str] | None = None,
    only: Sequence[str] | None = None,
    sheet: str | int | None = None,
    sep: str | None = None,
    decimal: str | None = None,
    dayfirst: bool | None = None,
    encoding: str | None = None,
    skip_rows: int = 0,
    limits: Limits = LIMITS,
) -> ReadReport:
    """Read and validate a file; return the :class:`ReadReport` instead of raising.

    Same parameters as :func:`read_table`. ``report.ok`` tells whether the file is
    valid and ``report.problems`` lists every problem. Files that cannot be read
    at all still raise :class:`~cxlib.errors.CxError`.

    Parameters
    ----------
    path : str or path-like
        The CSV or Excel file.
    kind : str
        The schema kind to validate against (:mod:`cxlib.data.schemas`).
    columns : mapping, optional
        Schema column -> the file's column, for columns named differently.
    require : sequence of str, optional
        Optional schema columns that this analysis needs.
    only : sequence of str, optional
        Validate only these schema columns (and require them).
    sheet : str or int, optional
        The Excel sheet to read (default: the only or first one).
    sep, decimal : str, optional
        CSV delimiter and decimal mark (default: decided from the file).
    dayfirst : bool, optional
        Day before month in ambiguous dates (default: decided per column).
    encoding : str, optional
        Text encoding (default: detected).
    skip_rows : int, default 0
        Lines or rows above the header row to skip (a title block).
    limits : Limits
        The largest file accepted.

    Returns
    -------
    ReadReport
        What reading did; ``report.ok`` and ``report.problems`` say whether the file is valid.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "c.csv"
    >>> _ = f.write_text("customer_id,churned\\nC1,yes\\nC1,2\\n")
    >>> rep = validate_file(f, "churn_table")
    >>> rep.ok, [p.kind for p in rep.problems]
    (False, ['duplicate id', 'not a 0/1 flag'])
    """
    opts = read_options(
        sheet=sheet, sep=sep, decimal=decimal, dayfirst=dayfirst, encoding=encoding, skip_rows=skip_rows
    )
    _, rep = _run(path, kind, columns, require, opts, only, limits)
    return rep


def validate_frame(
    df: pd.DataFrame,
    kind: str,
    columns: Mapping[str, str] | None = None,
    *,
    require: Sequence[str] | None = None,
    only: Sequence[str] | None = None,
    source: str = "data",
    decimal: str | None = None,
    dayfirst: bool | None = None,
    report: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, ReadReport]:
    """Clean and validate an in-memory DataFrame exactly as :func:`read_table` does a file.

    Row numbers in messages count the header as row 1 (first data row = row 2).

    Parameters
    ----------
    df : pandas.DataFrame
        The table to clean and validate (it is not modified).
    kind : str
        The schema kind to validate against (:mod:`cxlib.data.schemas`).
    columns : mapping, optional
        Schema column -> the frame's column, for columns named differently.
    require : sequence of str, optional
        Optional schema columns that this analysis needs.
    only : sequence of str, optional
        Validate only these schema columns (and require them).
    source : str
        The name used for the table in messages.
    decimal : str, optional
        Decimal mark of numbers written as text.
    dayfirst : bool, optional
        Day before month in ambiguous dates written as text.
    report : bool
        Return the :class:`ReadReport` too.

    Returns
    -------
    pandas.DataFrame or tuple of (pandas.DataFrame, ReadReport)
        The cleaned table with schema column names (and the report); a
        :class:`~cxlib.errors.ValidationError` lists every problem instead.

    Examples
    --------
    >>> df = pd.DataFrame({"customer_id": ["C1", "C2"], "churned": ["no", "بله"]})
    >>> validate_frame(df, "churn_table")["churned"].tolist()
    [0, 1]
    """
    get_spec(kind)
    opts = read_options(decimal=decimal, dayfirst=dayfirst)
    rep = ReadReport(source=source, kind=kind, format="DataFrame")
    raw = df.copy()
    header = [str(c) for c in raw.columns]
    raw.columns = [clean_header(c) or f"Unnamed: {i}" for i, c in enumerate(raw.columns)]
    raw.index = pd.RangeIndex(2, 2 + len(raw))
    mapping, problems = resolve(list(raw.columns), kind, columns, require, rep, only)
    dups = duplicate_headers(header, list(raw.columns))
    out = process(None if dups else raw, mapping, dups + problems, kind, rep, opts)
    result = _finish(out, rep)
    return (result, rep) if report else result
