"""Shared output helpers for ``cx`` subcommands: JSON, readable tables, safe terminal text."""

from __future__ import annotations

import json
import math
import re
import sys
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


def print_table(df: pd.DataFrame, floatfmt: str = "{:.1f}") -> None:
    """Print a DataFrame as a plain aligned table."""
    import pandas as pd

    with pd.option_context("display.max_rows", 500, "display.width", 160):
        print(df.to_string(index=False, float_format=lambda v: floatfmt.format(v)))


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
