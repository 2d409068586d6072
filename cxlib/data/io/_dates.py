"""Dates written as text, decided per column: order, calendar, time zone, Excel serials.

* ISO dates (``2024-03-19``, ``2024-03-19T10:00:00``) and year-first dates
  (``2024/03/19``) are unambiguous.
* Day and month numbers (``19/03/2024``, ``03.19.2024``): the order is decided for the
  whole column. A day above 12 anywhere (``19/03/2024``) makes the column day-first for
  every row; a month position above 12 makes it month-first; both in one column is an
  error naming example rows. A column with no such value follows the ``dayfirst``
  option (month first when it is not given), and the report says which order was used.
* Time-zone offsets (``+03:30``, ``Z``) are dropped and the local time kept, so a column
  that mixes offsets and plain dates reads as one clock; the report counts them.
* Persian (Solar Hijri, Jalali) dates, ``1403/01/15``, ``۱۴۰۳/۰۱/۱۵`` or with month names
  (``۱۵ فروردین ۱۴۰۳``), are converted to Gregorian with :mod:`jdatetime` and counted.
* Numbers: ``YYYYMMDD`` (``20240105``) and Excel serial numbers of plausible dates
  (1950 to 2100: 18264 to 73415) are dates. A smaller number (``5``, ``12``) is not an
  Excel serial, even in a column of numbers: it is reported as not understood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from cxlib.data.io._text import Uniq, clean_strings, count_blank_kinds, is_na_token
from cxlib.errors import Problem

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
#: Excel serials read as dates anywhere: 1950-01-01 to 2100-12-31.
SERIAL_PLAUSIBLE = (18264, 73415)
JALALI_YEARS = (1300, 1499)
_ISO = re.compile(r"\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_NUMERIC = re.compile(
    r"(\d{1,4})([/.\-])(\d{1,2})\2(\d{1,4})"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([AaPp][Mm])?)?"
)
_OFFSET = re.compile(r"(?<=\d:\d\d)(?::\d\d(?:\.\d+)?)?\s*(?:Z|UTC|GMT|[+-]\d\d(?::?\d\d)?)$")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_JALALI_MONTHS = {
    "فروردین": 1,
    "اردیبهشت": 2,
    "خرداد": 3,
    "تیر": 4,
    "مرداد": 5,
    "امرداد": 5,
    "شهریور": 6,
    "مهر": 7,
    "آبان": 8,
    "آذر": 9,
    "دی": 10,
    "بهمن": 11,
    "اسفند": 12,
    "farvardin": 1,
    "ordibehesht": 2,
    "khordad": 3,
    "tir": 4,
    "mordad": 5,
    "shahrivar": 6,
    "mehr": 7,
    "aban": 8,
    "azar": 9,
    "dey": 10,
    "bahman": 11,
    "esfand": 12,
}
_WEEKDAYS = "شنبه|یکشنبه|یک‌شنبه|دوشنبه|سه‌شنبه|سه شنبه|چهارشنبه|پنجشنبه|پنج‌شنبه|جمعه"
_MONTH_NAME = re.compile(
    rf"(?:(?:{_WEEKDAYS})\s*[،,]?\s*)?(\d{{1,2}})\s+({'|'.join(_JALALI_MONTHS)})\s+(\d{{4}})"
    r"(?:\s*[،,\-]?\s*(?:ساعت\s*)?(\d{1,2}):(\d{2})(?::(\d{2}))?)?",
    re.IGNORECASE,
)
ORDERS = {True: "day/month/year", False: "month/day/year"}


@dataclass
class DateParsed:
    """A parsed date column: values, cells not understood, cells left to a column problem."""

    values: pd.Series
    bad: pd.Series
    skip: pd.Series
    far: pd.Series
    problems: list = field(default_factory=list)


def _jalali(y: int, m: int, d: int) -> pd.Timestamp:
    import jdatetime

    try:
        g = jdatetime.date(int(y), int(m), int(d)).togregorian()
    except ValueError:
        return pd.NaT
    return pd.Timestamp(g)


def _clock(h: Any, mi: Any, s: Any, ampm: Any) -> pd.Timedelta:
    if h is None or (isinstance(h, float) and np.isnan(h)) or pd.isna(h):
        return pd.Timedelta(0)
    h, mi, s = int(h), int(mi), int(s) if isinstance(s, str) and s else 0
    if isinstance(ampm, str) and ampm:
        if h > 12:
            return pd.NaT
        h = h % 12 + (12 if ampm.lower() == "pm" else 0)
    if h > 23 or mi > 59 or s > 59:
        return pd.NaT
    return pd.Timedelta(hours=h, minutes=mi, seconds=s)


def _order(
    U: Uniq, parts: pd.DataFrame, column: str, dayfirst: bool | None
) -> tuple[bool | None, str, list[Problem], pd.Series]:
    """Decide day- or month-first for a column's d/m/y values (year last)."""
    a, b = parts[0].astype(int), parts[2].astype(int)
    day_ev, month_ev = (a > 12) & (b <= 12), (b > 12) & (a <= 12)
    none = pd.Series(False, index=parts.index)

    def example(mask: pd.Series) -> tuple[list[int], list[str]]:
        full = pd.Series(False, index=U.u.index)
        full[mask[mask].index] = True
        pos = U.first_positions(full, 3)
        return [int(U.index[i]) for i in pos], [U.u.iloc[U.codes[i]] for i in pos]

    if dayfirst is not None:
        return dayfirst, f"(as --{'' if dayfirst else 'no-'}dayfirst)", [], none
    if day_ev.any() and month_ev.any():
        rd, vd = example(day_ev)
        rm, vm = example(month_ev)
        pairs = sorted(zip(rd + rm, vd + vm))
        prob = Problem(
            "dates in both day/month and month/day order",
            column=column,
            rows=tuple(r for r, _ in pairs),
            values=tuple(v for _, v in pairs),
            count=U.count(_full(U, day_ev | month_ev)),
            fix=f"'{vd[0]}' can only be day/month/year and '{vm[0]}' only month/day/year: "
            f"one column must use one order. Correct the rows, or export "
            f"'{column}' as YYYY-MM-DD.",
        )
        return None, "", [prob], day_ev | month_ev | (a <= 12) & (b <= 12)
    if day_ev.any() or month_ev.any():
        first = bool(day_ev.any())
        rows, vals = example(day_ev if first else month_ev)
        return first, f"(from its values: '{vals[0]}' in row {rows[0]})", [], none
    return (
        False,
        (
            "(not decidable from its values, as every day and month is 12 or less: "
            "pass --dayfirst if the day comes first)"
        ),
        [],
        none,
    )


def _full(U: Uniq, mask: pd.Series) -> np.ndarray:
    out = np.zeros(len(U.u), dtype=bool)
    out[mask[mask].index] = True
    return out


def _numeric_dates(
    U: Uniq, t: pd.Series, column: str, rep: Any, dayfirst: bool | None, iso: pd.Series
) -> tuple[pd.Series, pd.Series, list[Problem], pd.Series]:
    """Dates such as 19/03/2024, 2024/03/19 or 1403/01/15: (values, Jalali mask, problems, skip)."""
    out = pd.Series(pd.NaT, index=t.index, dtype="datetime64[ns]")
    none = pd.Series(False, index=t.index)
    m = t.str.fullmatch(_NUMERIC, na=False) & ~iso
    if not m.any():
        return out, none, [], none
    parts = t[m].str.extract(_NUMERIC)
    year_first = parts[0].str.len() > 2
    y, mo, d = parts[0].where(year_first), parts[2].where(year_first), parts[3].where(year_first)
    last = parts[~year_first & parts[3].str.len().isin([2, 4])]
    problems: list[Problem] = []
    skip = none.copy()
    if len(last):
        first, how, problems, undecided = _order(U, last, column, dayfirst)
        skip.loc[undecided[undecided].index] = True
        rep.date_orders[column] = f"{ORDERS[first] if first is not None else 'mixed (see the problems)'} {how}".strip()
        if first is not None:
            yy = last[3].astype(int)
            century = np.where(yy <= pd.Timestamp.now().year % 100 + 1, 2000, 1900)
            y.loc[last.index] = yy.where(last[3].str.len() == 4, yy + century).astype(str)
            d.loc[last.index] = last[0] if first else last[2]
            mo.loc[last.index] = last[2] if first else last[0]
    ymd = pd.DataFrame({"y": y, "m": mo, "d": d}).astype(float)
    ymd[skip.reindex(ymd.index, fill_value=False).to_numpy()] = np.nan
    ok = ymd.notna().all(axis=1)
    jal = ok & ymd["y"].between(*JALALI_YEARS)
    greg = ok & ~jal
    if greg.any():
        g = ymd[greg].astype(int)
        out.loc[g.index] = pd.to_datetime(
            pd.DataFrame({"year": g["y"], "month": g["m"], "day": g["d"]}), errors="coerce"
        )
    for i in jal[jal].index:
        out.loc[i] = _jalali(*ymd.loc[i])
    clock = parts.loc[ok[ok].index, [4, 5, 6, 7]]
    clock = clock[clock[4].notna()]
    if len(clock):
        add = pd.Series([_clock(*r) for r in clock.itertuples(index=False)], index=clock.index, dtype="timedelta64[ns]")
        out.loc[add.index] = out.loc[add.index] + add
    jalali = none.copy()
    jalali.loc[jal[jal].index] = True
    return out, jalali, problems, skip


def _month_name_dates(t: pd.Series) -> pd.Series:
    """Persian dates with month names (``۱۵ فروردین ۱۴۰۳``, ``چهارشنبه ۱۵ فروردین ۱۴۰۳ ساعت ۱۰:۳۰``)."""
    out = pd.Series(pd.NaT, index=t.index, dtype="datetime64[ns]")
    m = t.str.fullmatch(_MONTH_NAME, na=False)
    for i, parts in t[m].str.extract(_MONTH_NAME).iterrows():
        day = _jalali(int(parts[2]), _JALALI_MONTHS[parts[1].lower()], int(parts[0]))
        out.loc[i] = day + _clock(parts[3], parts[4], parts[5], None) if day is not pd.NaT else pd.NaT
    return out


def _serials(U: Uniq, t: pd.Series, column: str, rep: Any, todo: pd.Series) -> pd.Series:
    """Excel serial numbers and YYYYMMDD numbers among the values still to read."""
    out = pd.Series(pd.NaT, index=t.index, dtype="datetime64[ns]")
    isnum = t.str.fullmatch(_NUMBER, na=False)
    num = pd.to_numeric(t.where(isnum & todo), errors="coerce")
    ymd = num.between(19000101, 21001231) & (num % 1 == 0)
    if ymd.any():
        v = pd.to_datetime(num[ymd].astype("int64").astype(str), format="%Y%m%d", errors="coerce")
        out.loc[v.index] = v
        rep._convert(column, "YYYYMMDD numbers converted to dates", U.count(v.reindex(t.index).notna()))
    serial = num.between(*SERIAL_PLAUSIBLE)  # a small number (5, 12) is never a serial
    if serial.any():
        out.loc[serial[serial].index] = EXCEL_EPOCH + pd.to_timedelta(num[serial], unit="D")
        rep._convert(column, "Excel serial numbers converted to dates", U.count(serial))
    return out


def _strip_offsets(U: Uniq, t: pd.Series, column: str, rep: Any) -> pd.Series:
    off = t.str.contains(_OFFSET, regex=True, na=False)
    if off.any():
        rep._convert(column, "time-zone offsets dropped (the local time is kept)", U.count(off))
        seconds = t[off].str.extract(r"\d:\d\d(:\d\d(?:\.\d+)?)", expand=False).fillna("")
        t = t.copy()
        t[off] = t[off].str.replace(_OFFSET, "", regex=True) + seconds
    return t


def _text_dates(t: pd.Series, dayfirst: bool) -> pd.Series:
    """Dates with English month names (``19 Mar 2024``, ``March 19, 2024 10:00``)."""
    out = pd.Series(pd.NaT, index=t.index, dtype="datetime64[ns]")
    named = t.str.contains(r"\b\d{4}\b", regex=True, na=False) & t.str.contains(r"[A-Za-z]{3}", na=False)
    if named.any():
        v = pd.to_datetime(t[named], format="mixed", dayfirst=dayfirst, errors="coerce")
        if getattr(v.dt, "tz", None) is not None:
            v = v.dt.tz_localize(None)
        out.loc[v.index] = v.astype("datetime64[ns]")
    return out


#: Excel's d-mmm-yy date format, as a CSV saved by Excel writes it (``5-Jan-24``).
_SHORT_YEAR = re.compile(r"\d{1,2}[- ][A-Za-z]{3}[- ]\d{2}")


def _short_year_dates(t: pd.Series) -> pd.Series:
    """Dates written day, English month abbreviation, two-digit year (``5-Jan-24``; Python's pivot: 69-99 -> 19xx)."""
    out = pd.Series(pd.NaT, index=t.index, dtype="datetime64[ns]")
    m = t.str.fullmatch(_SHORT_YEAR, na=False)
    if m.any():
        v = pd.to_datetime(t[m].str.replace(" ", "-"), format="%d-%b-%y", errors="coerce")
        out.loc[v.index] = v.astype("datetime64[ns]")
    return out


def parse_date(s: pd.Series, column: str, rep: Any, dayfirst: bool | None = None) -> DateParsed:
    """Read a date column, deciding its day/month order and calendar for the whole column."""
    none = pd.Series(False, index=s.index)
    if ptypes.is_datetime64_any_dtype(s.dtype):
        out = s.dt.tz_localize(None) if getattr(s.dt, "tz", None) is not None else s
        return DateParsed(out.astype("datetime64[ns]"), none, none, none)
    U = Uniq(s)
    t = clean_strings(U, column, rep, digits=True, letters=True)
    blank = is_na_token(t)
    kinds = count_blank_kinds(U, t, blank)
    if kinds:
        rep.blank_kinds[column] = kinds
    t = _strip_offsets(U, t.mask(blank), column, rep)
    jalali_year = t.str.slice(0, 4).isin([str(y) for y in range(JALALI_YEARS[0], JALALI_YEARS[1] + 1)])
    iso = t.str.fullmatch(_ISO, na=False) & ~jalali_year
    out = pd.Series(pd.NaT, index=t.index, dtype="datetime64[ns]")
    if iso.any():
        out.loc[iso] = pd.to_datetime(t[iso], format="ISO8601", errors="coerce").astype("datetime64[ns]")
    num, jal, problems, skip = _numeric_dates(U, t, column, rep, dayfirst, iso)
    out = out.fillna(num)
    named = _month_name_dates(t)
    jal = jal | named.notna()
    out = out.fillna(named)
    rep._convert(column, "Persian (Jalali) dates converted to Gregorian", U.count(jal & out.notna()))
    todo = out.isna() & t.notna() & ~skip
    out = out.fillna(_serials(U, t, column, rep, todo))
    todo = out.isna() & t.notna() & ~skip
    if todo.any():
        order = rep.date_orders.get(column, "")
        out = out.fillna(_text_dates(t.where(todo), order.startswith("day") or bool(dayfirst)))
    todo = out.isna() & t.notna() & ~skip
    if todo.any():
        short = _short_year_dates(t.where(todo))
        rep._convert(
            column, "dates with a two-digit year (5-Jan-24) read as 2000-2068 or 1969-1999", U.count(short.notna())
        )
        out = out.fillna(short)
    rest = out.isna() & t.notna() & ~skip
    year = pd.to_numeric(t[rest].str.extract(r"^(\d{4})[-/.]\d", expand=False), errors="coerce")
    far = pd.Series(False, index=t.index)
    far.loc[year.index] = (year > pd.Timestamp.now().year).to_numpy()
    return DateParsed(
        U.expand(out.to_numpy(dtype="datetime64[ns]"), np.datetime64("NaT", "ns")),
        U.expand((rest & ~far).to_numpy(), False),
        U.expand(skip.to_numpy(), False),
        U.expand(far.to_numpy(), False),
        problems,
    )


def date_problem_fix(column: str) -> str:
    """How to fix a date that was not understood."""
    return (
        f"Write '{column}' as YYYY-MM-DD (for example 2024-03-20), as an Excel date cell, or "
        "as a Persian (Jalali) date such as 1403/01/01. A small number is not a date, nor is a day the "
        "calendar does not have (2024-02-30)."
    )
