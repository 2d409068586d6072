"""Property tests of cxlib.data.io: random valid tables written in every supported form read back equal.

Forms: CSV separated by , ; tab or |, decimal point or comma (with or without thousands
separators), dates as ISO, day/month/year, month/day/year, year/month/day, Persian (Jalali)
dates with digits or month names, Excel date cells and serials; encodings UTF-8 (with and
without BOM), UTF-16 (with and without BOM) and cp1256; Persian digits and separators; .xlsx.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import jdatetime
import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxlib.data.io import read_table, to_numbers

FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
CITIES = ["تهران", "شیراز", "Tabriz", "Karaj"]
JALALI_MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"]
SETTINGS = settings(
    derandomize=True,
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@st.composite
def tables(draw) -> pd.DataFrame:
    n = draw(st.integers(min_value=2, max_value=12))
    days = draw(st.lists(st.integers(min_value=0, max_value=3600), min_size=n, max_size=n))
    dates = [dt.date(2015, 1, 1) + dt.timedelta(days=d) for d in days]
    dates[0] = dates[0].replace(day=19)  # one day above 12: day/month order decidable from the data
    cents = draw(st.lists(st.integers(min_value=0, max_value=99_999_999), min_size=n, max_size=n))
    return pd.DataFrame(
        {
            "response_id": [f"R{i}" for i in range(n)],
            "survey_date": pd.to_datetime(dates),
            "ltr": draw(st.lists(st.integers(0, 10), min_size=n, max_size=n)),
            "tenure_months": draw(st.lists(st.integers(0, 400), min_size=n, max_size=n)),
            "city": draw(st.lists(st.sampled_from(CITIES), min_size=n, max_size=n)),
            "bill": [c / 100 for c in cents],
        }
    )


@st.composite
def forms(draw, dates: str) -> dict:
    f = {
        "format": "xlsx" if dates == "cell" else draw(st.sampled_from(["csv", "csv", "csv", "xlsx"])),
        "sep": draw(st.sampled_from([",", ";", "\t", "|"])),
        "decimal": draw(st.sampled_from([".", ","])),
        "group": draw(st.booleans()),
        "dates": dates,
        "persian": draw(st.booleans()),
        "arabic_separators": draw(st.booleans()),
        "encoding": draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1256"])),
    }
    if f["encoding"] == "cp1256":  # Windows-1256 has no Persian digits (Persian Windows writes ASCII ones)
        f["persian"] = False
    return f


def number_text(x: float, f: dict) -> str:
    text = f"{x:,.2f}" if f["group"] else f"{x:.2f}"
    if f["persian"] and f["arabic_separators"]:
        return text.replace(",", "٬").replace(".", "٫").translate(FA)
    if f["decimal"] == ",":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text.translate(FA) if f["persian"] else text


def date_text(d: pd.Timestamp, f: dict) -> str:
    form = f["dates"]
    if form in ("jalali", "jalali_named"):
        j = jdatetime.date.fromgregorian(date=d.date())
        text = (
            f"{j.year}/{j.month:02d}/{j.day:02d}"
            if form == "jalali"
            else f"{j.day} {JALALI_MONTHS[j.month - 1]} {j.year}"
        )
    else:
        text = {"iso": "%Y-%m-%d", "dmy": "%d/%m/%Y", "mdy": "%m/%d/%Y", "ymd": "%Y/%m/%d", "cell": "%Y-%m-%d"}[form]
        text = d.strftime(text)
    return text.translate(FA) if f["persian"] else text


def write_form(df: pd.DataFrame, f: dict, folder: Path) -> Path:
    digits = (lambda v: str(v).translate(FA)) if f["persian"] else str
    rows = [
        [
            r.response_id,
            date_text(r.survey_date, f),
            digits(r.ltr),
            digits(r.tenure_months),
            r.city,
            number_text(r.bill, f),
        ]
        for r in df.itertuples(index=False)
    ]
    header = ["Response ID", "survey_date", "ltr", "tenure_months", "city", "bill"]
    if f["format"] == "xlsx":
        wb = openpyxl.Workbook()
        wb.active.append(header)
        for r, src in zip(rows, df.itertuples(index=False)):
            if f["dates"] == "cell":
                r[1] = src.survey_date.to_pydatetime()
            if not f["persian"]:
                r[2], r[3], r[5] = int(src.ltr), int(src.tenure_months), float(src.bill)
            wb.active.append(r)
        path = folder / "t.xlsx"
        wb.save(path)
        return path
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=f["sep"], lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    text = buf.getvalue()
    if f["encoding"] == "cp1256":
        text = text.replace("ی", "ي")  # Persian Windows stores yeh as Arabic yeh
    path = folder / "t.csv"
    path.write_bytes(text.encode(f["encoding"]))
    return path


DATE_FORMS = ["iso", "dmy", "mdy", "ymd", "jalali", "jalali_named", "cell"]


@pytest.mark.parametrize("dates", DATE_FORMS)
@SETTINGS
@given(data=st.data())
def test_random_tables_read_back_equal_in_every_form(tmp_path_factory, dates, data):
    df, f = data.draw(tables()), data.draw(forms(dates))
    path = write_form(df, f, tmp_path_factory.mktemp("form"))
    out, rep = read_table(path, "nps_surveys", report=True)
    assert rep.ok and len(out) == len(df), rep.summary()
    assert out["response_id"].tolist() == df["response_id"].tolist()
    assert out["survey_date"].dt.normalize().tolist() == df["survey_date"].tolist(), (f, rep.summary())
    assert out["ltr"].tolist() == df["ltr"].tolist()
    assert out["tenure_months"].tolist() == df["tenure_months"].tolist()
    assert out["city"].tolist() == df["city"].tolist()
    np.testing.assert_allclose(out["bill"].to_numpy(float), df["bill"].to_numpy(float), rtol=1e-12)
    if f["format"] == "csv":
        assert rep.delimiter == f["sep"]
        ascii_only = path.read_bytes().isascii()  # plain ASCII is valid UTF-8, and read as such
        assert rep.encoding == ("utf-8" if ascii_only and f["encoding"] == "cp1256" else f["encoding"])


@SETTINGS
@given(
    x=st.lists(st.integers(min_value=-(10**9), max_value=10**9), min_size=1, max_size=20),
    decimals=st.integers(min_value=1, max_value=4),
    decimal=st.sampled_from([".", ","]),
    group=st.booleans(),
)
def test_a_column_written_with_one_decimal_mark_reads_back_with_the_option(x, decimals, decimal, group):
    values = [v / 10**decimals for v in x]
    text = [f"{v:,.{decimals}f}" if group else f"{v:.{decimals}f}" for v in values]
    if decimal == ",":
        text = [t.replace(",", "\0").replace(".", ",").replace("\0", ".") for t in text]
    np.testing.assert_allclose(to_numbers(text, decimal=decimal).to_numpy(float), values, rtol=1e-12)
    if decimals != 3:  # the values themselves show the mark: no option needed
        np.testing.assert_allclose(to_numbers(text).to_numpy(float), values, rtol=1e-12)
