"""Shared output helpers for ``cx`` subcommands: JSON, readable tables, safe terminal text."""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    import pandas as pd


def _clean(obj: Any) -> Any:
    import numpy as np
    import pandas as pd

    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        return None if math.isnan(float(obj)) else float(obj)
    if isinstance(obj, (np.bool_,)):
        return bool(obj)
    if isinstance(obj, pd.Timestamp):
        return obj.isoformat()
    return obj


def print_json(obj: Any) -> None:
    """Print ``obj`` as JSON (NaN becomes null, numpy scalars become numbers)."""
    json.dump(_clean(obj), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


#: Longest text a printed table shows in one cell; longer labels are cut (JSON and CSV keep them whole).
MAX_CELL = 60


def print_table(df: pd.DataFrame, floatfmt: str = "{:.1f}") -> None:
    """Print a DataFrame as a plain aligned table; text longer than :data:`MAX_CELL` is cut, with a note.

    A segment label or agent name from a user's file can be any length (a corrupt export once
    held a label of three million characters): the table stays readable, and a note says where
    the whole labels are.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    floatfmt : str
        Format of the numbers.

    Examples
    --------
    >>> import pandas as pd
    >>> print_table(pd.DataFrame({"segment": ["a" * 70, "b"], "nps": [1.0, 2.0]}))
                                                         segment nps
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa... 1.0
                                                               b 2.0
    (1 label longer than 60 characters is cut in this table; --json or --csv FILE give it whole)
    """
    import pandas as pd

    text = df.select_dtypes(exclude="number")
    cut = int(sum(text[col].astype(str).str.len().gt(MAX_CELL).sum() for col in text.columns))
    with pd.option_context("display.max_rows", 500, "display.width", 160):
        print(df.to_string(index=False, max_colwidth=MAX_CELL, float_format=lambda v: floatfmt.format(v)))
    if cut:
        what = (
            f"1 label longer than {MAX_CELL} characters is"
            if cut == 1
            else f"{cut} labels longer than {MAX_CELL} characters are"
        )
        print(f"({what} cut in this table; --json or --csv FILE give {'it' if cut == 1 else 'them'} whole)")


#: Characters never written to a terminal: C0 controls except tab and newline (ESC starts
#: ANSI/OSC sequences; carriage return and backspace overwrite text), DEL, C1 controls
#: (\x9b is a one-byte CSI) and the bidirectional overrides that reorder what is shown.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_control(text: str) -> str:
    r"""``text`` without control characters (ANSI/OSC escapes lose their ESC and cannot act).

    >>> strip_control("agent \x1b[31mred\x1b[0m\x07 ok\n")
    'agent [31mred[0m ok\n'
    """
    return _UNSAFE.sub("", text)


class SafeStream:
    """A text stream that strips control characters from everything written to it.

    ``cx`` wraps standard output and standard error in it, so text from a user's data
    (agent names, segment labels, headers, values in error messages) can never send
    escape sequences to the terminal.
    """

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(strip_control(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, isatty, encoding, ...
        return getattr(self._stream, name)


_RAW_STDERR: list[TextIO] = []


def progress_stream() -> TextIO:
    """The unfiltered standard error, for progress bars (they redraw with a carriage return)."""
    return _RAW_STDERR[-1] if _RAW_STDERR else sys.stderr


def check_csv_target(path: str, inputs: Sequence[str | None] = ()) -> None:
    """Refuse a ``--csv``/``--scores`` path that is a folder, lies in no folder, or is one of the ``inputs``.

    Called before the work starts, so a typo costs nothing, and again by :func:`write_csv`.

    Parameters
    ----------
    path : str
        Where the table is to go.
    inputs : sequence of str
        The files the command reads (the data file, a DuckDB database): never overwritten.

    Raises
    ------
    CxError
        Naming the problem and what to do instead.
    """
    from pathlib import Path

    from cxlib.errors import CxError

    out = Path(path).expanduser()
    if out.is_dir():
        raise CxError(f"{path} is a folder; give a file name for the table, e.g. {out / 'table.csv'}.")
    if not out.parent.is_dir():
        raise CxError(f"the folder {out.parent} does not exist; create it or write the table elsewhere.")
    for given in inputs:
        if given and out.exists() and Path(given).expanduser().exists() and out.samefile(Path(given).expanduser()):
            raise CxError(
                f"{path} is the file this command reads; writing the table there would destroy your data. "
                "Give another name, e.g. nps_table.csv."
            )


def write_csv(df: pd.DataFrame, path: str, inputs: Sequence[str | None] = ()) -> None:
    """Write a result table as CSV (UTF-8) for ``--csv``/``--scores``, and say so on stderr.

    Text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``)
    is written with a leading apostrophe, so a hostile agent or segment name in the
    analyst's data cannot become a formula when the CSV is opened in Excel.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    path : str
        Where to write it; its folder must exist.
    inputs : sequence of str
        The files the command read: never overwritten.

    Raises
    ------
    CxError
        If the folder does not exist, the path is a folder or one of the inputs.
    """
    from pathlib import Path

    check_csv_target(path, inputs)
    out = Path(path).expanduser()
    safe = df.copy()
    for col in safe.columns:
        if safe[col].dtype == object:
            safe[col] = [
                "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") else v for v in safe[col]
            ]
    safe.to_csv(out, index=False, encoding="utf-8")
    print(f"wrote {len(safe):,} rows to {strip_control(out.name)}", file=sys.stderr)
