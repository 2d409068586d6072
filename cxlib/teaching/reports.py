"""Helpers shared by the report notebooks in ``reports/`` (run by ``cx report``).

A report opens with a header saying which file it is about, how many rows were read and
dropped (and why), the parameters and the date it ran (:func:`report_header`), and writes
its result tables as CSV files into the folder ``OUT`` given by the runner (:func:`save_table`).

Examples
--------
>>> from cxlib.data.io import ReadReport
>>> rep = ReadReport(source="s.csv", kind="nps_surveys", rows_read=12, empty_rows_dropped=2, rows=10)
>>> text = report_header("/tmp/s.csv", rep, {"SCORE_COLUMN": "Q1"}, dropped={"blank score": 1},
...                      when="2026-01-02 03:04 UTC")
>>> print(text.splitlines()[0])
**File** `s.csv` (schema `nps_surveys`)
>>> "12 rows read; 2 empty rows dropped; 1 row dropped: blank score; 9 analysed" in text
True
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["read_report_data", "report_header", "save_table"]


def read_report_data(number: str, data: str | Path | None, **params: Any) -> tuple[pd.DataFrame, Any]:
    """Read the analyst's file as the report ``number`` declares it (its metadata ``cx``).

    The same reading as ``cx report`` validates before any cell runs
    (:func:`cxlib.teaching.lessons.read_lesson_data` on the report notebook).

    Parameters
    ----------
    number : str
        The report (lesson number, e.g. ``"05"``).
    data : str or path
        The analyst's file; None is an error (a report is about the analyst's data).
    **params
        The report's column parameters (``SCORE_COLUMN="Q1"``).

    Returns
    -------
    (pandas.DataFrame, ReadReport)
        The table (schema columns under the schema's names) and what reading did.

    Raises
    ------
    CxError
        If ``data`` is None.
    ValidationError
        Every problem in the file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "fb.csv"
    >>> _ = f.write_text("Agent,CSAT\\nA1,5\\nA2,2\\n")
    >>> table, rep = read_report_data("04", f, AGENT_COLUMN="Agent", SCORE_COLUMN="CSAT")
    >>> table.columns.tolist(), rep.rows
    (['agent_id', 'csat'], 2)
    """
    from cxlib.errors import CxError
    from cxlib.teaching.lessons import find_lesson, read_lesson_data, reports_dir

    if data is None:
        raise CxError("a report is about your data: set DATA to your file (cx report NN --data FILE).")
    report = find_lesson(number, reports_dir())
    return read_lesson_data(report, data, report=True, **params)


def _rows(n: int) -> str:
    return f"{n:,} row{'s' if n != 1 else ''}"


def report_header(
    data: str | Path,
    read_report: Any,
    parameters: Mapping[str, Any],
    *,
    dropped: Mapping[str, int] | None = None,
    when: str | None = None,
) -> str:
    """The header of a report, as Markdown: file, rows read and dropped with reasons, parameters, date.

    Parameters
    ----------
    data : str or path
        The analyst's file (only its name is shown).
    read_report : ReadReport
        What :func:`cxlib.teaching.lessons.read_lesson_data` (``report=True``) did to the file.
    parameters : mapping
        The report's parameters as it ran (name -> value); ``DATA`` and ``OUT`` are left out.
    dropped : mapping of str to int, optional
        Rows the analysis left out after reading, by reason (e.g. ``{"blank score": 3}``);
        reasons with 0 rows are not shown.
    when : str, optional
        The date and time shown (default: now, in UTC).

    Returns
    -------
    str
        Markdown (display it with ``IPython.display.Markdown``).

    Examples
    --------
    >>> from cxlib.data.io import ReadReport
    >>> rep = ReadReport(source="a.csv", kind="agent_feedback", rows_read=3, rows=3)
    >>> "3 rows read; 3 analysed" in report_header("a.csv", rep, {}, when="today")
    True
    """
    when = when or _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    read_n = int(read_report.rows_read)
    parts = [f"{_rows(read_n)} read"]
    if read_report.empty_rows_dropped:
        parts.append(
            f"{read_report.empty_rows_dropped:,} empty row{'s' if read_report.empty_rows_dropped != 1 else ''} dropped"
        )
    left = int(read_report.rows)
    for reason, n in (dropped or {}).items():
        if n:
            parts.append(f"{_rows(int(n))} dropped: {reason}")
            left -= int(n)
    parts.append(f"{left:,} analysed")
    shown = {k: v for k, v in parameters.items() if k not in ("DATA", "OUT")}
    params = ", ".join(f"`{k}` = `{v!r}`" for k, v in shown.items()) or "(defaults)"
    lines = [
        f"**File** `{Path(str(data)).name}` (schema `{read_report.kind}`)",
        f"**Rows** {'; '.join(parts)}",
        f"**Read** {read_report.file_line()}",
        f"**Parameters** {params}",
        f"**Run** {when}",
    ]
    if read_report.renamed:
        lines.insert(3, "**Columns** " + ", ".join(f"`{a}` as `{b}`" for a, b in read_report.renamed.items()))
    return "  \n".join(lines)


def save_table(table: pd.DataFrame, out: str | Path | None, name: str, *, index: bool = True) -> Path | None:
    """Write a result table as ``<out>/<name>.csv`` (UTF-8, ``.`` decimals); nothing when ``out`` is None.

    Parameters
    ----------
    table : pandas.DataFrame
        The table.
    out : str or path, optional
        The report's ``OUT`` folder (created if needed).
    name : str
        File name without ``.csv``.
    index : bool, default True
        Write the index as the first column(s).

    Returns
    -------
    pathlib.Path or None
        The file written.

    Examples
    --------
    >>> import tempfile
    >>> p = save_table(pd.DataFrame({"a": [1]}), tempfile.mkdtemp(), "t", index=False)
    >>> p.read_text()
    'a\\n1\\n'
    >>> save_table(pd.DataFrame({"a": [1]}), None, "t") is None
    True
    """
    if out is None:
        return None
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv"
    table.to_csv(path, index=index)
    return path
