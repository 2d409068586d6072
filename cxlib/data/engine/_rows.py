"""Spreadsheet row numbers of a CSV's rows, read in a stream (constant memory).

DuckDB and Spark skip blank lines and read a quoted cell across line breaks, so the
k-th row they return is not always line k + 2 of the file. The spreadsheet row of a
record (header = row 1) counts every record, blank ones included, as
:func:`cxlib.data.io.read_table` does. :func:`csv_layout` finds the records by their
line breaks outside quotes, 16 MB at a time, and keeps only the blank ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cxlib.data.engine._source import Source

CHUNK = 1 << 24


@dataclass
class Layout:
    """Where a CSV's records are: how many data records, which of them are blank."""

    records: int = 0
    blank: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


def count_lines(path) -> tuple[int, bool]:
    """(line breaks in the file, whether it ends with one), reading it in chunks."""
    n, last = 0, b""
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    return n, last == b"\n"


def csv_layout(src: Source) -> Layout:
    """The data records of a CSV (below the header) and which are blank (0 = first data record).

    A record ends at a line break outside double quotes; a blank record holds nothing
    (or only a carriage return).
    """
    assert src.path is not None
    lay = Layout()
    blanks: list[np.ndarray] = []
    parity = 0  # quotes seen so far, modulo 2
    record = 0  # index of the record being read (0 = first line of the file)
    start_len = 0  # bytes of the current record seen in earlier chunks
    prev_cr = False  # the current record so far is exactly "\r"
    with open(src.path, "rb") as f:
        while chunk := f.read(CHUNK):
            arr = np.frombuffer(chunk, dtype=np.uint8)
            nl = np.flatnonzero(arr == 10)
            quotes = np.flatnonzero(arr == 34)
            if len(quotes):
                before = np.searchsorted(quotes, nl) + parity
                nl = nl[(before & 1) == 0]
                parity = (parity + len(quotes)) & 1
            if len(nl):
                starts = np.concatenate([[-1], nl[:-1]]) + 1
                length = nl - starts
                length[0] += start_len
                empty = length == 0
                cr = (length == 1) & (arr[np.maximum(nl - 1, 0)] == 13)
                if start_len == 1 and prev_cr and nl[0] == 0:
                    cr[0] = True
                hit = np.flatnonzero(empty | cr) + record
                blanks.append(hit)
                record += len(nl)
                start_len = len(chunk) - (int(nl[-1]) + 1)
                prev_cr = start_len == 1 and chunk[-1:] == b"\r"
            else:
                prev_cr = start_len == 0 and chunk == b"\r"
                start_len += len(chunk)
    total = record + (1 if start_len else 0)  # a last record without a final line break
    first_data = src.lead + 1
    allb = np.concatenate(blanks) if blanks else np.zeros(0, dtype=np.int64)
    allb = allb[allb >= first_data] - first_data
    lay.records = max(total - first_data, 0)
    lay.blank = allb.astype(np.int64)
    return lay


def layout(src: Source, rows_seen: int) -> Layout:
    """The layout of ``src``, scanning the file only when a quick line count disagrees with ``rows_seen``."""
    if src.kind != "csv":
        return Layout(records=rows_seen)
    cached = getattr(src, "_layout", None)
    if cached is not None:
        return cached
    lines, ends = count_lines(src.path)
    records = lines + (0 if ends else 1) - (src.lead + 1)
    lay = Layout(records=rows_seen) if records == rows_seen else csv_layout(src)
    src._layout = lay  # type: ignore[attr-defined]
    return lay


def row_numbers(src: Source, ordinals: np.ndarray) -> np.ndarray:
    """Spreadsheet rows of the rows a backend returned at positions ``ordinals`` (0-based)."""
    ordinals = np.asarray(ordinals, dtype=np.int64)
    if src.kind != "csv":
        return ordinals + 2
    lay = getattr(src, "_layout", None)
    blank = lay.blank if lay is not None else np.zeros(0, dtype=np.int64)
    rec = ordinals.copy()
    if len(blank):  # the k-th non-blank record: k + blanks up to it
        for _ in range(len(blank) + 1):
            nxt = ordinals + np.searchsorted(blank, rec, side="right")
            if np.array_equal(nxt, rec):
                break
            rec = nxt
    return rec + src.first_row()
