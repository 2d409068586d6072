"""Read an .xlsx/.xlsm sheet into a raw frame whose index holds spreadsheet row numbers.

A sheet is read as stored (not as its declared used range), within the limits. Refused
with a clear message: a file that is not a readable workbook (corrupt, truncated, not
a zip), a sheet that does not exist (the sheets are listed). Reported as problems:
duplicate headers, formulas whose results were never saved (the workbook was written by
a program, not saved by Excel: save it in Excel first), and a first sheet that does not
hold the table (the sheets are listed, with the one whose header fits best).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from cxlib.data._spec import get_spec
from cxlib.data.io._columns import (
    HEADER_SEARCH_ROWS,
    column_letter,
    duplicate_headers,
    header_row_hint,
    is_absent_column,
    resolve,
)
from cxlib.data.io._csv import ReadOptions, qualtrics_rows, summary_problem, trailing_summaries
from cxlib.data.io._files import LIMITS, Limits, too_big
from cxlib.data.io._text import clean_header, header_key
from cxlib.errors import SHOW, CxError, Problem

_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")


def _corrupt(name: str, exc: BaseException) -> CxError:
    return CxError(
        f"{name}: could not be read as an Excel workbook ({type(exc).__name__}: the file "
        "is damaged, cut short or not really .xlsx). Open it in Excel and save it again "
        "as .xlsx, or export it as CSV."
    )


def _sheet_rows(ws: Any, name: str, limits: Limits) -> list[tuple]:
    """The sheet's rows as stored (not as its declared used range), within the limits."""
    ws.reset_dimensions()  # a used range such as A1:XFD1048576 would pad every row
    rows: list[tuple] = []
    cells = 0
    for row in ws.iter_rows(values_only=True):
        if len(row) > limits.max_columns:
            raise too_big(
                name, f"sheet {ws.title!r} has a row {len(row):,} cells wide", f"{limits.max_columns:,} columns"
            )
        cells += max(len(row), 1)
        if cells > limits.max_cells:
            raise too_big(
                name, f"sheet {ws.title!r} holds more than {limits.max_cells:,} cells", f"{limits.max_cells:,} cells"
            )
        rows.append(row)
    return rows


def _sheet_xml(p: Path, limits: Limits) -> bool:
    """Check the sheets' unpacked size; True when any sheet holds a formula."""
    try:
        with zipfile.ZipFile(p) as z:
            infos = [i for i in z.infolist() if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")]
            if infos and max(i.file_size for i in infos) > limits.max_bytes:
                raise too_big(
                    p.name,
                    f"a sheet unpacks to {max(i.file_size for i in infos) / 1024**3:.1f} GB",
                    f"{limits.max_bytes / 1024**3:.1f} GB",
                )
            return any(_FORMULA.search(z.read(i)) for i in infos)
    except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile, RuntimeError) as exc:
        raise _corrupt(p.name, exc) from None


def _pick(wb: Any, sheet: str | int | None, name: str) -> Any:
    """The worksheet asked for: a name (any case), a 0-based position, or a number as text (1 = first)."""
    asked = sheet
    if isinstance(sheet, str) and sheet not in wb.sheetnames:
        same = [s for s in wb.sheetnames if s.strip().casefold() == sheet.strip().casefold()]
        if len(same) == 1:  # 'sheet1' for 'Sheet1', as column names are matched
            sheet = same[0]
        elif sheet.strip().isdigit():
            sheet = int(sheet) - 1
    try:
        if sheet is None:
            return wb.worksheets[0]
        if isinstance(sheet, int):
            if sheet < 0:
                raise IndexError(sheet)
            return wb.worksheets[sheet]
        return wb[sheet]
    except (KeyError, IndexError):
        raise CxError(
            f"{name}: no sheet {asked!r}; the workbook has {len(wb.sheetnames)} sheet(s), "
            f"{', '.join(map(repr, wb.sheetnames))}. Pass one with --sheet NAME or --sheet NUMBER (1 = first) "
            "(sheet='NAME' or a 0-based position in Python)."
        ) from None


def _missing_results(p: Path, title: str, rows: list[tuple], limits: Limits) -> list[Problem]:
    """Formula cells whose result was never saved (they read as empty)."""
    import openpyxl

    wb = openpyxl.load_workbook(p, read_only=True, data_only=False)
    try:
        formulas = _sheet_rows(wb[title], p.name, limits)
    finally:
        wb.close()
    cells = []
    for r, (frow, vrow) in enumerate(zip(formulas, rows), start=1):
        for c, f in enumerate(frow):
            if isinstance(f, str) and f.startswith("=") and (c >= len(vrow) or vrow[c] is None):
                cells.append((r, f"{column_letter(c)}{r}: {f}"))
    if not cells:
        return []
    return [
        Problem(
            "formulas without saved results",
            rows=tuple(sorted({r for r, _ in cells}))[:SHOW],
            values=tuple(v for _, v in cells[:SHOW]),
            count=len({r for r, _ in cells}),
            fix="The workbook holds formulas but not their results (it was written by a "
            "program, not saved by Excel), so these cells would read as empty. Open it "
            "in Excel or LibreOffice, save it, and read it again; or export the sheet as CSV.",
        )
    ]


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _score(headers: list[str], kind: str) -> int:
    """How many of the schema's columns a header row names."""
    names = {header_key(n) for n in get_spec(kind).columns}
    return len(names & {header_key(h) for h in headers})


def _other_sheets(p: Path, kind: str, first: str, first_score: int) -> Problem | None:
    """When the first sheet does not hold the table: list the sheets, suggest the best one.

    Reported when the first sheet names none of the schema's columns, or another sheet
    names more of them.
    """
    import openpyxl

    heads: dict[str, list[str]] = {}
    wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            for row in ws.iter_rows(max_row=30, values_only=True):
                if not all(_blank(v) for v in row):
                    heads[ws.title] = [str(v) for v in row if not _blank(v)]
                    break
        names = wb.sheetnames
    finally:
        wb.close()
    scores = {t: _score(h, kind) for t, h in heads.items() if t != first}
    best = max(scores, key=lambda t: scores[t], default=None)
    if first_score and (best is None or scores[best] <= first_score):
        return None
    hint = f" Sheet {best!r} has columns that fit: --sheet {best!r}." if best and scores[best] else ""
    return Problem(
        f"the first sheet ({first!r}) does not hold the '{kind}' table",
        fix=f"The workbook has sheets {', '.join(map(repr, names))}.{hint} Pass the sheet "
        "that holds the table with --sheet NAME (sheet='NAME' in Python).",
    )


def _header_index(rows: list[tuple], skip: int = 0) -> int | None:
    """Where the header is: the first row from ``skip`` on that holds anything (None: none does)."""
    return next((i for i, r in enumerate(rows) if i >= skip and not all(_blank(v) for v in r)), None)


def _frame(rows: list[tuple], title: str, skip: int = 0) -> tuple[pd.DataFrame | None, list, list[str]]:
    start = _header_index(rows, skip)
    if start is None:
        return None, [], []
    header = list(rows[start])
    body = rows[start + 1 :]
    width = len(header)
    while width and _blank(header[width - 1]) and all(_blank(r[width - 1]) for r in body if len(r) >= width):
        width -= 1
    header = header[:width]
    file_cols = [clean_header(h) if not _blank(h) else f"Unnamed: {column_letter(i)}" for i, h in enumerate(header)]
    data = [tuple(r[:width]) + (None,) * (width - len(r)) for r in body]
    df = pd.DataFrame(data, columns=range(width), dtype=object, index=pd.RangeIndex(start + 2, start + 2 + len(data)))
    df = df.map(lambda v: None if isinstance(v, str) and not v.strip() else v)
    return df, header, file_cols


def read_excel(
    p: Path,
    kind: str,
    columns: Mapping | None,
    require: Sequence | None,
    opts: ReadOptions,
    rep: Any,
    only: Sequence | None = None,
    limits: Limits = LIMITS,
) -> tuple[pd.DataFrame | None, dict, list]:
    """The raw frame, the column mapping and the problems found while reading."""
    import openpyxl

    has_formulas = _sheet_xml(p, limits)
    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except CxError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise _corrupt(p.name, exc) from None
    try:
        ws = _pick(wb, opts.sheet, p.name)
        rep.sheet = ws.title
        several = len(wb.sheetnames) > 1
        rows = _sheet_rows(ws, p.name, limits)
    except CxError:
        raise
    except Exception as exc:
        raise _corrupt(p.name, exc) from None
    finally:
        wb.close()
    problems = _missing_results(p, ws.title, rows, limits) if has_formulas else []
    df, header, file_cols = _frame(rows, ws.title, opts.skip_rows)
    start = _header_index(rows, opts.skip_rows)
    rep.rows_skipped = (start or 0) if opts.skip_rows else 0  # blank rows below the title too, as for a CSV
    if df is None and opts.skip_rows:
        raise CxError(
            f"{p.name}: --skip-rows {opts.skip_rows} (skip_rows= in Python) skips every row of sheet {ws.title!r} "
            "that holds anything: give the number of rows above the header row."
        )
    if df is None:
        prob = [
            Problem(
                "empty file",
                fix=f"Sheet {ws.title!r} is empty: put the header in row 1 and "
                "the data below it, or pass the right sheet with --sheet.",
            )
        ]
        other = _other_sheets(p, kind, ws.title, 0) if several and opts.sheet is None else None
        return None, {}, prob + ([other] if other else [])
    mapping, found = resolve(file_cols, kind, columns, require, rep, only)
    assert start is not None  # the frame has a header
    hinted = header_row_hint(found, [list(r) for r in rows[start : start + HEADER_SEARCH_ROWS + 1]], start + 1, columns)
    if hinted is not found:  # the header is further down this sheet: no other sheet to suggest
        return None, mapping, problems + hinted
    dups = duplicate_headers(header, file_cols)
    if several and opts.sheet is None and any(is_absent_column(x) for x in found):
        other = _other_sheets(p, kind, ws.title, _score(file_cols, kind))
        found += [other] if other else []
    df.columns = file_cols if not dups else range(len(file_cols))
    summary = summary_problem(trailing_summaries(reversed(rows)), len(rows))  # a totals row below the data
    return (None if dups else qualtrics_rows(df, rep)), mapping, dups + summary + problems + found
