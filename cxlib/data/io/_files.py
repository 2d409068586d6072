"""The path checks and the size limits of every read."""

from __future__ import annotations

import stat
from collections.abc import Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

from cxlib.errors import CxError

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
PARQUET_SUFFIXES = (".parquet", ".pq")


@dataclass(frozen=True)
class Limits:
    """The largest input the in-memory reader accepts; anything larger is refused at once.

    The defaults keep a read well inside a laptop's memory (about 500 bytes per cell
    once cleaned). Pass ``limits=Limits(...)`` to :func:`read_table` to raise them.

    Attributes
    ----------
    max_bytes : int
        Largest file size in bytes (default 2 GiB).
    max_columns : int
        Most columns in a table.
    max_cells : int
        Most cells (rows x columns).
    """

    #: bytes of a CSV file, and of a workbook's uncompressed sheet
    max_bytes: int = 2 * 1024**3
    #: columns of a table (a CSV header or a sheet row)
    max_columns: int = 2_000
    #: rows x columns
    max_cells: int = 100_000_000


LIMITS = Limits()

#: The most lines or rows ``skip_rows`` skips above a header (a title block is a few).
MAX_SKIP_ROWS = 10_000


def too_big(name: str, what: str, limit: str) -> CxError:
    """The error for an input beyond the limits."""
    return CxError(
        f"{name}: {what}, more than this reader accepts ({limit}). Export only the "
        "columns and rows the analysis needs (or split the file), or raise the limit "
        "with read_table(..., limits=cxlib.data.io.Limits(...)) if this machine has the memory."
    )


def check_data_file(path: str | PathLike, suffixes: Sequence[str] | None = None) -> Path:
    """The path of a readable data file, or a :class:`CxError` that says what is wrong.

    The one check of a path an analyst gives: it exists, is a regular file (not a
    folder, a pipe or a device such as ``/dev/zero``) and has a supported extension.

    Parameters
    ----------
    path : str or path-like
        The file.
    suffixes : sequence of str, optional
        The accepted extensions (default: CSV, Excel and Parquet).

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
    allowed = tuple(suffixes) if suffixes is not None else CSV_SUFFIXES + EXCEL_SUFFIXES + PARQUET_SUFFIXES
    if not p.exists():
        raise CxError(f"{p}: file not found. Check the path (relative paths start from {Path.cwd()}).")
    if p.is_dir():
        raise CxError(f"{p}: is a directory, not a file. Give the path of a file ({', '.join(allowed)}).")
    if not stat.S_ISREG(p.stat().st_mode):
        raise CxError(
            f"{p}: not a regular file (a device or a pipe). Save the export to a file first and give that file's path."
        )
    suffix = p.suffix.lower()
    if suffix == ".xls":
        raise CxError(
            f"{p.name}: the old Excel format (.xls) is not supported. Open it in Excel or "
            "LibreOffice and save it as .xlsx, or export it as CSV."
        )
    if suffix not in allowed:
        raise CxError(
            f"{p.name}: unsupported file type '{suffix or '(no extension)'}'. cx reads "
            f"{', '.join(allowed)}; export your table as CSV, .xlsx or Parquet."
        )
    return p.resolve()


def check_read_options(
    path: str | PathLike | None,
    *,
    sheet: str | int | None = None,
    sep: str | None = None,
    encoding: str | None = None,
    skip_rows: int = 0,
) -> None:
    """Refuse a reading option that does not apply to the file: it would be ignored without a word.

    ``sep`` and ``encoding`` apply to CSV files, ``sheet`` to Excel workbooks, ``skip_rows`` to
    both; a Parquet file or a table (``path`` None) takes none of them (``decimal`` and
    ``dayfirst`` apply to text columns, which any of them may hold).

    Parameters
    ----------
    path : str or path-like or None
        The file (its extension says what it is), or None for a table.
    sheet, sep, encoding : optional
        The reading options given (None or '' when not given).
    skip_rows : int, default 0
        Lines above the header to skip (0 when not given).

    Raises
    ------
    CxError
        Naming the options, what the file is and what to do.

    Examples
    --------
    >>> check_read_options("surveys.csv", sep=";")
    >>> check_read_options("surveys.parquet", sep=";")
    Traceback (most recent call last):
    ...
    cxlib.errors.CxError: --sep (sep= in Python) applies to CSV files only, and surveys.parquet is a Parquet file, ...
    """
    suffix = Path(path).suffix.lower() if path is not None else None
    name = Path(path).name if path is not None else "the table"
    wrong: dict[str, object]
    if suffix in EXCEL_SUFFIXES:
        what, wrong = "an Excel workbook, which has no delimiter or encoding", {"sep": sep, "encoding": encoding}
    elif path is None:
        what = "read from a database"
        wrong = {"sheet": sheet, "sep": sep, "encoding": encoding, "skip-rows": skip_rows or None}
    elif suffix in PARQUET_SUFFIXES:
        what = "a Parquet file, whose columns carry their own types"
        wrong = {"sheet": sheet, "sep": sep, "encoding": encoding, "skip-rows": skip_rows or None}
    else:
        what, wrong = "read as CSV, which has no sheets", {"sheet": sheet}
    given = [k for k, v in wrong.items() if v is not None and v != ""]  # '' is no encoding, as read_options reads it
    if not given:
        return
    applies = {
        "sheet": ("Excel workbooks",),
        "sep": ("CSV files",),
        "encoding": ("CSV files",),
        "skip-rows": ("CSV files", "Excel workbooks"),
    }
    names = " and ".join(f"--{k}" for k in given)
    python = ", ".join(f"{k.replace('-', '_')}=" for k in given)
    kinds = " and ".join(dict.fromkeys(t for k in given for t in applies[k]))
    verb, it = ("applies", "it") if len(given) == 1 else ("apply", "them")
    aside = " (if it is in fact a CSV file, rename it .csv)" if suffix in PARQUET_SUFFIXES else ""
    raise CxError(f"{names} ({python} in Python) {verb} to {kinds} only, and {name} is {what}: leave {it} out{aside}.")
