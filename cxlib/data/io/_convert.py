"""The column decisions of :func:`cxlib.data.io.read_table` for one in-memory column."""

from __future__ import annotations

from typing import Any

import pandas as pd

from cxlib.data.io._dates import date_problem_fix, parse_date
from cxlib.data.io._numbers import NumberContext, parse_number
from cxlib.data.io._report import ReadReport, problem_at
from cxlib.errors import CxError, ValidationError


def _prepare(values: Any, name: str | None, errors: str) -> tuple[pd.Series, str]:
    if errors not in ("raise", "coerce"):
        raise CxError(f"errors must be 'raise' or 'coerce'; got {errors!r}.")
    s = pd.Series(values)
    s = s.set_axis(pd.RangeIndex(2, 2 + len(s)))  # row numbers as in a file (header = row 1)
    return s, str(name if name is not None else (s.name if s.name is not None else "values"))


def to_numbers(values: Any, *, decimal: str | None = None, errors: str = "raise", name: str | None = None) -> pd.Series:
    """Numbers written as text -> floats, with the decimal mark decided for the whole column.

    The same reading as :func:`read_table` applies to a number column: Persian digits,
    thousands separators grouped by three, currency and percent signs, blank markers
    (``N/A``, ``-``), and one decimal mark for the column (``decimal`` when its values
    do not show it).

    Parameters
    ----------
    values : sequence or Series
        The column.
    decimal : {".", ","}, optional
        The decimal mark, when the values do not show it (``1,234`` alone).
    errors : {"raise", "coerce"}
        Values that are not numbers (and infinite ones) raise, or become NaN (infinity is
        then kept, as :func:`pandas.to_numeric` does). An undecidable or mixed decimal mark
        always raises, unless the column is mostly text and ``errors="coerce"``.
    name : str, optional
        The column's name in messages (default: the Series name).

    Returns
    -------
    pandas.Series of float64, with the index of ``values``.

    Examples
    --------
    >>> to_numbers(["29,85", "1.234,5", "N/A", "۱۲"]).tolist()
    [29.85, 1234.5, nan, 12.0]
    >>> to_numbers(["1,234", "1,500"], name="fee")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cxlib.errors.ValidationError: fee: 1 problem found
      1. column 'fee': decimal mark cannot be decided in 2 rows (rows 2, 3); values: '1,234', '1,500'.
         How to fix: '1,234' could be 1234 (',' groups thousands) or 1.234 ... --decimal , ...
    >>> to_numbers(["1,234", "1,500"], decimal=".").tolist()
    [1234.0, 1500.0]
    """
    s, name = _prepare(values, name, errors)
    rep = ReadReport(source=name, kind="")
    p = parse_number(s, name, rep, NumberContext(decimal=decimal))
    numeric = (p.values.notna() | p.skip).sum()
    nonblank = s.notna().sum() - sum(rep.blank_kinds.get(name, {}).values())
    if p.problems and (errors == "raise" or numeric >= 0.5 * max(nonblank, 1)):
        raise ValidationError(list(p.problems), source=name)
    if errors == "raise":
        bad = [
            problem_at("not a number", name, m, s, fix=f"'{name}' must hold numbers only.") for m in (p.bad,) if m.any()
        ]
        bad += [
            problem_at("infinite value", name, m, s, fix="Replace infinity by a number or a blank.")
            for m in (p.infinite,)
            if m.any()
        ]
        if bad:
            raise ValidationError(bad, source=name)
    out = p.values.where(~p.skip)
    return out.set_axis(pd.Series(values).index if not isinstance(values, pd.Series) else values.index)


def to_dates(values: Any, *, dayfirst: bool | None = None, errors: str = "raise", name: str | None = None) -> pd.Series:
    """Dates written as text -> datetime64, with the order and calendar decided for the column.

    As :func:`read_table` reads a date column: ISO dates, day/month order decided from
    all the values (``dayfirst`` when they do not show it), Persian (Jalali) dates
    converted to Gregorian, time-zone offsets dropped, Excel serials and ``YYYYMMDD``.

    Parameters
    ----------
    values : array-like
        Dates as text, numbers (Excel serials, ``YYYYMMDD``) or datetimes.
    dayfirst : bool, optional
        Day before month when the values do not show the order.
    errors : {"raise", "coerce"}
        ``"coerce"`` turns unreadable values into NaT instead of raising.
    name : str, optional
        The column's name, used in messages.

    Returns
    -------
    pandas.Series
        ``datetime64`` values, with NaT for blanks.

    Examples
    --------
    >>> to_dates(["19/03/2024", "03/04/2024", "۱۴۰۳/۰۱/۱۵"]).dt.strftime("%Y-%m-%d").tolist()
    ['2024-03-19', '2024-04-03', '2024-04-03']
    >>> to_dates(["19/03/2024", "03/19/2024"], name="cutoff")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cxlib.errors.ValidationError: cutoff: 1 problem found
      1. column 'cutoff': dates in both day/month and month/day order in 2 rows ...
    """
    s, name = _prepare(values, name, errors)
    rep = ReadReport(source=name, kind="")
    p = parse_date(s, name, rep, dayfirst)
    if p.problems:
        raise ValidationError(list(p.problems), source=name)
    bad = p.bad | p.far
    if errors == "raise" and bad.any():
        raise ValidationError(
            [problem_at("date not understood", name, bad, s, fix=date_problem_fix(name))], source=name
        )
    out = p.values.where(~bad)
    return out.set_axis(pd.Series(values).index if not isinstance(values, pd.Series) else values.index)


def to_clean_csv(df: pd.DataFrame, report: ReadReport, path: Any) -> Any:
    """Write a table read by :func:`cxlib.data.io.read_table` back as a plain CSV.

    The file's own column names, UTF-8, comma-separated, ISO dates and decimal points:
    any later ``read_table`` of it, without options, reads the same values. ``cx run``
    hands a lesson this copy when reading options (``--sep``, ``--decimal``, ...) were
    needed to read the analyst's file.

    Parameters
    ----------
    df : pandas.DataFrame
        The table :func:`read_table` returned.
    report : ReadReport
        Its read report (gives back the file's own column names).
    path : str or path-like
        Where to write the CSV.

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from cxlib.data.io import read_table
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "eu.csv").write_text("Kunde;churned;Umsatz\\nC1;1;1,234\\nC2;0;2,5\\n", encoding="utf-8")
    >>> df, rep = read_table(d / "eu.csv", "churn_table", {"customer_id": "Kunde"}, decimal=",", report=True)
    >>> print(to_clean_csv(df, rep, d / "clean.csv").read_text(), end="")
    Kunde,churned,Umsatz
    C1,1,1.234
    C2,0,2.5
    """
    from pathlib import Path

    path = Path(path)
    inverse = {schema: file for file, schema in report.renamed.items()}
    df.rename(columns=inverse).to_csv(path, index=False, encoding="utf-8")
    return path


__all__ = ["to_numbers", "to_dates", "to_clean_csv"]
