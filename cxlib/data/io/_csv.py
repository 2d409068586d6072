"""Read a CSV export into a raw frame whose index holds spreadsheet row numbers.

The C parser of pandas does the reading. In a comma-separated file it reads plain
numbers directly (the decimal point is the only mark a comma-separated file can
leave unquoted) and decodes UTF-8 itself; in a file separated by ``;``, tab or ``|``
(European and "Unicode text" exports) or when ``decimal=","`` is given, every cell
is read as text and :mod:`cxlib.data.io._numbers` decides each column's decimal mark.

Structure is checked, never repaired silently: blank lines before the header are
skipped (and counted in the row numbers), duplicate headers are an error naming both,
and rows with more *or fewer* cells than the header are errors listing the rows.
"""

from __future__ import annotations

import csv
import dataclasses
import io as _io
import numbers
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cxlib.data._spec import get_spec
from cxlib.data.io._columns import (
    HEADER_SEARCH_ROWS,
    blank_cell,
    column_letter,
    duplicate_headers,
    filled_cells,
    header_row_hint,
    resolve,
)
from cxlib.data.io._decode import decode
from cxlib.data.io._files import LIMITS, Limits, too_big
from cxlib.data.io._text import TEXT_NA_SPELLINGS, clean_header
from cxlib.errors import SHOW, CxError, Problem

TEXT_TYPES = ("id", "text", "category")
SEP_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " "}


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file when detection is not wanted (the ``cx`` options of the same names).

    Attributes
    ----------
    sheet : str or int, optional
        The Excel sheet.
    sep, decimal : str, optional
        The CSV delimiter and the decimal mark.
    dayfirst : bool, optional
        Day before month in ambiguous dates.
    encoding : str, optional
        The CSV's encoding.
    skip_rows : int
        Lines (CSV) or rows (Excel) above the header row to skip.
    """

    sheet: str | int | None = None
    sep: str | None = None
    decimal: str | None = None
    dayfirst: bool | None = None
    encoding: str | None = None
    skip_rows: int = 0


def sniff_sep(header_line: str) -> str:
    """The delimiter of a header line: the most frequent of , ; tab | (comma if none)."""
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t", "|")}
    sep = max(counts, key=lambda s: counts[s])
    return sep if counts[sep] else ","


def _leading_blank_lines(text: str) -> tuple[int, int]:
    """(lines, characters) before the header: empty lines or lines of delimiters only."""
    lines, pos = 0, 0
    blank = re.compile(r"[\ufeff \t,;|\"']*\r?\n")
    while True:
        m = blank.match(text, pos)
        if m is None:
            return lines, pos
        lines, pos = lines + 1, m.end()


def skip_lines(text: str, n: int) -> int:
    """The position after the first ``n`` lines of ``text`` (a title block), its end if it has fewer.

    Lines are counted as a text editor shows them: a title's quotes are not CSV quoting.
    """
    pos = 0
    for _ in range(n):
        end = text.find("\n", pos)
        if end < 0:
            return len(text)
        pos = end + 1
    return pos


def _header(text: str, begin: int, sep: str) -> list[str]:
    """The header record's cells, parsed with CSV quoting."""
    end = text.find("\n", begin)
    chunk = text[begin:] if end < 0 else text[begin : end + 1]
    while chunk.count('"') % 2 and end >= 0:  # a quoted header cell holding a line break
        end = text.find("\n", end + 1)
        chunk = text[begin:] if end < 0 else text[begin : end + 1]
    return next(csv.reader(_io.StringIO(chunk), delimiter=sep), [])


#: The delimiters a header is looked for with (:func:`head_rows`), in this order.
HEAD_SEPS = (",", ";", "\t", "|")


def head_rows(text: str, begin: int, n: int = HEADER_SEARCH_ROWS + 1) -> list[list[list[str]]]:
    """The first ``n`` lines from ``begin`` (the header on), split into cells with each usual delimiter.

    A title line rarely holds the table's delimiter, so the one detected on the first line
    may not be the header's: the lines are split with ',', ';', tab and '|' (one list of rows
    each; at most 4,096 characters a line), for
    :func:`~cxlib.data.io._columns.header_row_hint` to look for the header in.
    """
    lines, pos = [], begin
    for _ in range(n):
        end = text.find("\n", pos)
        lines.append(text[pos : min(end if end >= 0 else len(text), pos + 4096)].rstrip("\r"))
        if end < 0:
            break
        pos = end + 1
    return [[_cells(line, sep) for line in lines] for sep in HEAD_SEPS]


def _cells(line: str, sep: str) -> list[str]:
    """One line's cells; a line the CSV module cannot split (a stray quote or carriage return) is one cell."""
    try:
        return next(csv.reader([line], delimiter=sep), [])
    except csv.Error:
        return [line]


def _cell_counts(data: bytes, sep: str, records: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(record numbers from 0 = header, cells in each) of the whole file or of ``records``.

    Records end at line breaks outside quotes (quote parity); when that does not agree
    with the CSV module (a stray quote inside a cell), every record is parsed.
    """
    arr = np.frombuffer(data, dtype=np.uint8)
    nl = np.flatnonzero(arr == 10)
    quotes = np.flatnonzero(arr == 34)
    if len(quotes):
        nl = nl[(np.searchsorted(quotes, nl) & 1) == 0]
    starts = np.concatenate([[0], nl + 1])
    ends = np.concatenate([nl, [len(arr)]])
    want = np.arange(len(starts)) if records is None else records[records < len(starts)]
    counts = []
    for r in want:
        line = data[starts[r] : ends[r]].decode("utf-8", errors="replace").rstrip("\r")
        # a stray quote can join several lines into one "record": the CSV module then reads its line breaks
        counts.append(len(next(csv.reader(_io.StringIO(line), delimiter=sep), [])) if line.strip() else 0)
    return want, np.asarray(counts, dtype=np.int64)


def _row_problems(data: bytes, sep: str, width: int, lead: int, records: np.ndarray | None = None) -> list[Problem]:
    """Rows with more or fewer cells than the header (blank rows are not short).

    Record ``r`` of the file (0 = its first line) is spreadsheet row ``r + 1``; the header
    is record ``lead`` (the number of blank lines above it).
    """
    rec, counts = _cell_counts(data, sep, records)
    problems = []
    for kind, mask, fix in (
        (
            "row has more cells than the header",
            counts > width,
            f"Values that contain the delimiter {sep!r} must be quoted; export the file again from the source system.",
        ),
        (
            "row has fewer cells than the header",
            (counts < width) & (counts > 0) & (rec > lead),
            f"The header has {width} columns; these rows stop early (a line cut in two, or a "
            "missing delimiter). Export the file again, or complete the rows.",
        ),
    ):
        hit = np.flatnonzero(mask)
        if len(hit):
            problems.append(
                Problem(
                    kind,
                    rows=tuple(int(rec[i] + 1) for i in hit[:SHOW]),
                    values=tuple(f"{int(counts[i])} cells" for i in hit[:SHOW]),
                    count=len(hit),
                    fix=fix,
                )
            )
    return problems


def _short_rows(df: pd.DataFrame, data: bytes, sep: str, width: int, lead: int) -> list[Problem]:
    """Short rows among the rows whose last cell is blank (the only ones a short row can be)."""
    if width < 2 or not len(df):
        return []
    cand = np.flatnonzero(df.iloc[:, -1].isna().to_numpy())
    if not len(cand):
        return []
    sub = df.iloc[cand]
    filled = sub.apply(lambda c: c.notna() & ~c.map(lambda x: isinstance(x, str) and not x.strip()))
    cand = cand[filled.any(axis=1).to_numpy()]
    if not len(cand):
        return []
    return [p for p in _row_problems(data, sep, width, lead, cand + lead + 1) if "fewer" in p.kind]


def _parse(buf: Any, sep: str, lead: int, names: list[str], dtype: Any, na: dict) -> pd.DataFrame | None:
    """pandas' C parser; None when a row is longer than the header.

    Only empty cells are read as missing, except in id and category columns (``na``), where
    the usual blank markers (NA, N/A, null, ...) are too; number, date and flag columns count
    their blank markers by kind later, and free text is kept as written.
    """
    with warnings.catch_warnings():
        # chunked parsing may give a column ints in one chunk and text (Persian digits)
        # in another; the cleaning handles such mixed columns, so this warning is expected
        warnings.simplefilter("ignore", pd.errors.DtypeWarning)
        warnings.simplefilter("error", pd.errors.ParserWarning)  # rows longer than the header
        try:
            return pd.read_csv(
                buf,
                sep=sep,
                dtype=dtype,
                skiprows=lead,
                header=0,
                names=names,
                skip_blank_lines=False,
                keep_default_na=False,
                na_values=na,
                index_col=False,
                encoding="utf-8",
                quotechar='"',
            )
        except (pd.errors.ParserError, pd.errors.ParserWarning):
            return None


def import_id_row(cells: Any) -> bool:
    """Whether a row is a Qualtrics export's third: most filled cells ``{"ImportId": ...}`` objects."""
    filled = filled_cells(cells)
    return bool(filled) and 2 * sum(v.startswith('{"ImportId"') for v in filled) >= len(filled)


def qualtrics_rows(df: pd.DataFrame, rep: Any) -> pd.DataFrame:
    """``df`` without the two rows a Qualtrics export writes below its header (question text, import ids).

    Qualtrics puts the questions' wording on row 2 and ``{"ImportId": ...}`` objects on row 3;
    read as answers they would be "text in a number column". They are recognised by row 3
    (most of its filled cells are such objects), dropped, and said in the report; the rows
    below keep their own numbers.

    Parameters
    ----------
    df : pandas.DataFrame
        The rows read below the header (index = spreadsheet row numbers).
    rep : ReadReport
        Gets a note when the rows are dropped.

    Returns
    -------
    pandas.DataFrame
        ``df``, or ``df`` without its first two rows.
    """
    if len(df) < 2 or not import_id_row(df.iloc[1].tolist()):
        return df
    a, b = (int(i) for i in df.index[:2])
    rep.header_rows_below = [a, b]
    rep.notes.append(f"rows {a} and {b} are a Qualtrics export's question wording and import ids, not answers: skipped")
    return df.iloc[2:]


#: Characters read from a CSV file's end to find the summary lines an export adds below its data.
TAIL_CHARS = 65536
#: The first cell of a summary line (a total or an average below the answers), in English or Persian.
_SUMMARY = re.compile(
    r"^(grand\s*totals?|sub-?\s*totals?|totals?|sum|average|avg|mean|median|count|جمع\s*کل|جمع|مجموع|میانگین|تعداد)\b",
    re.I,
)


def summary_lines(tail: str, sep: str) -> list[tuple[int, str]]:
    r"""The summary lines (``Total``, ``Average``, ``جمع کل``...) at the end of a CSV text: (lines from the end, label).

    ``tail`` is the text's end (:data:`TAIL_CHARS`); a line is a summary when its first
    filled cell starts with a summary word. The search goes up from the last line, over
    blank lines, and stops at the first line that is neither. Line 0 is the last line (a
    final line break ends it, it is not a line of its own).

    Parameters
    ----------
    tail : str
        The end of the file's text.
    sep : str
        The file's delimiter.

    Returns
    -------
    list of (int, str)
        Each summary line's distance from the last line, and its first filled cell.

    Examples
    --------
    >>> summary_lines("R1,9\nR2,7\n\nTotal,,16\nAverage,8\n", ",")
    [(0, 'Average'), (1, 'Total')]
    >>> summary_lines("R1,9\nTotally new,8\n", ",")
    []
    """
    lines = tail.split("\n")
    if lines and not lines[-1].strip("\r"):
        lines.pop()  # the final line break
    return trailing_summaries(_cells(line.rstrip("\r"), sep) for line in reversed(lines))


def trailing_summaries(rows_from_the_end: Iterable[Sequence[Any]]) -> list[tuple[int, str]]:
    """The summary rows among the last rows of a table (given from the last one up): (rows from the end, label).

    A row is a summary when its first filled cell is text that starts with a summary word
    (``Total``, ``Average``, ``جمع کل``...) and every other filled cell is a number (the
    totals): a data row whose first cell happens to start so (a plan called "Total Care")
    has an id or a date beside it. Blank rows are passed over; the first other row ends the
    search. Shared by the CSV, Parquet and workbook readers.

    Examples
    --------
    >>> trailing_summaries([("Average", None, 5.6), (None, None), ("Total", 17), ("R2", 7)])
    [(0, 'Average'), (2, 'Total')]
    >>> trailing_summaries([("Total Care", "R2", "2024-01-02", 7)])
    []
    """
    found = []
    for back, cells in enumerate(rows_from_the_end):
        filled = [c for c in cells if not blank_cell(c)]
        if not filled:
            continue
        first, rest = filled[0], filled[1:]
        if not isinstance(first, str) or not _SUMMARY.match(first.strip()) or not all(map(_number_like, rest)):
            break
        found.append((back, first.strip()))
    return found


def _number_like(v: Any) -> bool:
    """A number, or text of one (digits Latin or Persian, separators, a sign, a percent)."""
    if isinstance(v, numbers.Number) and not isinstance(v, bool):  # Python, NumPy and Decimal numbers
        return True
    return bool(re.fullmatch(r"[-+−]?[\d۰-۹٠-٩.,٫٬'’\s]*[\d۰-۹٠-٩][\d۰-۹٠-٩.,٫٬'’\s]*%?", str(v).strip()))


def summary_problem(found: list[tuple[int, str]], last_row: int) -> list[Problem]:
    """The problem of the summary rows :func:`summary_lines` found, numbered back from ``last_row``.

    ``last_row`` is the row number of the table's last row, as the readers number rows (a
    quoted cell written over several lines is one row), so the summary rows carry the same
    numbers as the problems of their cells.
    """
    if not found:
        return []
    rows = sorted(last_row - back for back, _ in found)
    labels = [label for _, label in sorted(found, key=lambda f: -f[0])]
    return [
        Problem(
            "summary line below the data",
            rows=tuple(rows[:SHOW]),
            values=tuple(labels[:SHOW]),
            count=len(rows),
            fix="These lines look like totals or averages that the export added below the answers; they are "
            "not answers. Delete them from the file (or export without a totals row).",
        )
    ]


def _shifted(problems: list[Problem], lines: int) -> list[Problem]:
    """Problems found below a title block that was cut off, their rows numbered as in the whole file."""
    if not lines:
        return problems
    return [dataclasses.replace(p, rows=tuple(r + lines for r in p.rows)) for p in problems]


def _readable_header(text: str, begin: int, sep: str, name: str) -> list[str]:
    """The header's cells, or a CxError saying why the header line is not a CSV header."""
    try:
        return _header(text, begin, sep)
    except csv.Error as exc:  # e.g. one endless line (a binary dump, a file without line breaks)
        if "field larger than field limit" in str(exc):
            raise CxError(
                f"{name}: the header line holds a cell of more than {csv.field_size_limit():,} characters, so "
                "this is not a table exported as CSV (a file without line breaks?). Export the table again as "
                "CSV: a header row, then one row per line."
            ) from None
        raise CxError(
            f"{name}: the header line is not readable as CSV ({exc}). Export the table again as CSV "
            "with one header row."
        ) from None


def _decoded(raw: bytes, name: str, encoding: str | None) -> tuple[str | None, str | None, list[Problem], bool]:
    """The file's text (None with its problems: not decodable, or empty), its encoding, and
    whether its line breaks were mended.

    Line breaks written as CR alone (old Mac line endings, Excel's "CSV (Macintosh)") are
    read as line breaks (mended: the text no longer matches the file's bytes).
    """
    text, enc, problems = decode(raw, name, encoding)
    if problems:
        return None, enc, problems, False
    if re.search(r"[^\s\ufeff]", text) is None:
        empty = "The file is empty: export the table again with its header row and data rows."
        return None, enc, [Problem("empty file", fix=empty)], False
    if "\r" in text and "\n" not in text:
        return text.replace("\r", "\n"), enc, [], True
    return text, enc, [], False


def read_csv(
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
    size = p.stat().st_size
    if size > limits.max_bytes:
        raise too_big(p.name, f"the file has {size / 1024**3:.1f} GB", f"{limits.max_bytes / 1024**3:.1f} GB")
    raw = p.read_bytes()
    text, enc, problems, mended = _decoded(raw, p.name, opts.encoding)
    rep.encoding = enc
    if text is None:
        return None, {}, problems
    tail = text[-TAIL_CHARS:]  # for the summary lines below the data
    skipped = 0
    if opts.skip_rows:  # the title block is cut off: nothing below reads it (its quotes are not CSV quoting)
        cut = skip_lines(text, opts.skip_rows)
        skipped, text = text[:cut].count("\n"), text[cut:]
        if re.search(r"[^\s\ufeff]", text) is None:
            raise CxError(
                f"{p.name}: --skip-rows {opts.skip_rows} (skip_rows= in Python) skips every line that holds "
                "anything: give the number of lines above the header row."
            )
    lead, begin = _leading_blank_lines(text)
    rep.rows_skipped = skipped + lead if skipped else 0
    if text.startswith("\ufeff") and begin == 0:
        begin = 1
    end = text.find("\n", begin)
    first = text[begin : end if end >= 0 else len(text)]
    sep = SEP_NAMES.get(opts.sep, opts.sep) if opts.sep else sniff_sep(first[:65536])
    rep.delimiter = sep
    header = _readable_header(text, begin, sep, p.name)
    if len(header) > limits.max_columns:
        raise too_big(p.name, f"the header has {len(header):,} columns", f"{limits.max_columns:,} columns")
    lines = text.count("\n") + 1
    if lines * len(header) > limits.max_cells:
        raise too_big(p.name, f"about {lines:,} rows x {len(header):,} columns", f"{limits.max_cells:,} cells")
    file_cols = [clean_header(h) or f"Unnamed: {column_letter(i)}" for i, h in enumerate(header)]
    mapping, problems = resolve(file_cols, kind, columns, require, rep, only)
    first_split, *others = head_rows(text, begin)
    hinted = header_row_hint(problems, first_split, 1 + skipped + lead, columns, others)
    dups = duplicate_headers(header, file_cols)
    if dups or hinted is not problems:  # a header further down: the rows read below this one mean nothing
        return None, mapping, dups + hinted
    schema = get_spec(kind)
    text_mode = sep != "," or opts.decimal == ","
    types = {f: schema.columns[s].metadata["cx_type"] for s, f in mapping.items()}
    as_str: Any = str if text_mode else {f: str for f, t in types.items() if t in TEXT_TYPES + ("date", "datetime")}
    na = {f: [""] + (sorted(TEXT_NA_SPELLINGS) if types.get(f) in ("id", "category") else []) for f in file_cols}
    utf8 = enc in ("utf-8", "utf-8-sig")
    if skipped or not utf8 or mended:  # the text read below the title (or decoded or mended), as UTF-8
        data = text.lstrip("\ufeff").encode("utf-8")
    else:
        data = raw[3:] if enc == "utf-8-sig" else raw
    del text
    # the C parser decodes UTF-8 itself (faster than a str buffer)
    df = _parse(_io.BytesIO(data), sep, lead, file_cols, as_str, na)
    first_row = 2 + skipped + lead
    if df is None:
        rows = _shifted(_row_problems(data, sep, len(header), lead), skipped)
        return (
            None,
            mapping,
            problems
            + (
                rows
                or [
                    Problem(
                        "the file could not be read as a table",
                        fix=f"Check the delimiter ({sep!r}; pass "
                        "--sep to choose another) and that quotes are balanced, then export it again.",
                    )
                ]
            ),
        )
    # first: a summary line explains the problems of its cells
    problems += summary_problem(summary_lines(tail, sep), first_row + len(df) - 1) if len(df) else []
    problems += _shifted(_short_rows(df, data, sep, len(header), lead), skipped)
    df.index = pd.RangeIndex(first_row, first_row + len(df))
    return qualtrics_rows(df, rep), mapping, problems
