"""The reading options every ``cx`` command that reads a file takes, defined once.

``--sheet``, ``--sep``, ``--decimal``, ``--dayfirst`` and ``--encoding`` mean the same in
``cx validate``, ``cx nps``, ``cx agents``, ``cx churn`` and ``cx run``: they are the
keyword arguments of :func:`cxlib.data.io.read_table` of the same names. Each is needed only
when detection cannot decide (the error message then names the option to use).

>>> import argparse
>>> p = argparse.ArgumentParser()
>>> add_read_options(p)
>>> read_kwargs(p.parse_args(["--sep", ";", "--decimal", ",", "--dayfirst"]))
{'sep': ';', 'decimal': ',', 'dayfirst': True}
>>> read_kwargs(p.parse_args(["--no-dayfirst", "--sheet", "2"]))
{'sheet': '2', 'dayfirst': False}
"""

from __future__ import annotations

import argparse
import re
from typing import Any

_PYTHON_ASIDE = re.compile(r" \((?:[^()]|\([^()]*\))*? in Python\)")


def _whole(text: str) -> int:
    """A count typed on the command line: a whole number, 0 or more."""
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of lines such as 3, got {text!r}")
    return n


def add_read_options(parser: argparse.ArgumentParser) -> None:
    """Add the reading options to a command's parser (in their own help group)."""
    g = parser.add_argument_group(
        "reading the file", "Needed only when the file's own content cannot tell; the report says what was detected."
    )
    g.add_argument(
        "--sheet", metavar="NAME", help="Excel sheet: its name, or its number (1 = first); default: the first sheet"
    )
    g.add_argument("--sep", metavar="SEP", help="CSV delimiter: ',' ';' '|' or tab (default: detected)")
    g.add_argument(
        "--decimal",
        choices=[".", ","],
        metavar="MARK",
        help="decimal mark, . or , (for numbers such as 1,234 whose column does not show it; "
        "default: decided per column)",
    )
    g.add_argument(
        "--dayfirst",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="read dates such as 03/04/2024 as day/month/year (--dayfirst) or month/day/year "
        "(--no-dayfirst); default: decided per column from values such as 19/03/2024, "
        "month first when none shows it",
    )
    g.add_argument(
        "--encoding",
        metavar="NAME",
        help="CSV encoding such as utf-8, cp1256 (Windows Persian/Arabic), cp1252 or utf-16 (default: detected)",
    )
    g.add_argument(
        "--skip-rows",
        type=_whole,
        metavar="N",
        help="lines (CSV) or rows (Excel) above the header row to skip, such as a report title; "
        "row numbers in messages stay the file's own (default: 0)",
    )


def add_source_options(parser: argparse.ArgumentParser) -> None:
    """Add the options that name a table instead of a file, and the engine (``--table``, ``--database``, ``--engine``)."""
    g = parser.add_argument_group(
        "big data",
        "A CSV of 64 MB or more, a Parquet file and a table are counted by DuckDB where they are "
        "(nothing is loaded into memory); the report and the results are the same.",
    )
    g.add_argument(
        "--table", metavar="NAME", help="read this table instead of FILE (with --database, or --engine spark)"
    )
    g.add_argument("--database", metavar="FILE", help="the DuckDB database file that holds --table")
    g.add_argument(
        "--engine",
        choices=["auto", "memory", "duckdb", "spark"],
        default="auto",
        help="who reads and counts: auto (default: DuckDB for big files, Parquet and tables), memory, "
        "duckdb, or spark (a Spark table, or a file read by Spark; needs `make extras` and Java 17+)",
    )


def source_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """The file-or-table options given, as keyword arguments of the summary functions."""
    return {"table": args.table, "database": args.database, "engine": args.engine}


def read_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """The options given, as keyword arguments of :func:`cxlib.data.io.read_table`."""
    names = ("sheet", "sep", "decimal", "dayfirst", "encoding", "skip_rows")
    return {n: getattr(args, n) for n in names if getattr(args, n, None) is not None}


def for_cli(text: str) -> str:
    """A library message as a command-line user needs it: the ``cx`` option, not the Python argument.

    cxlib's messages name both (``--decimal , (decimal=',' in Python)``); ``cx`` shows the first.

    >>> for_cli("Say which with --decimal , (decimal=',' or decimal='.' in Python).")
    'Say which with --decimal ,.'
    """
    return _PYTHON_ASIDE.sub("", text)


def add_lesson_options(parser: argparse.ArgumentParser, *, out: str, parameter_help: str, timeout: int) -> None:
    """The options ``cx run`` and ``cx report`` share: ``-p NAME=VALUE``, ``--out DIR``, ``--timeout``.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The subcommand's parser.
    out : str
        The default output folder.
    parameter_help : str
        The help text of ``-p``.
    timeout : int
        The default seconds a cell may run.
    """
    parser.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE", help=parameter_help)
    parser.add_argument("--out", default=out, metavar="DIR", help="output folder (default %(default)s)")
    parser.add_argument(
        "--timeout",
        type=int,
        default=timeout,
        metavar="SECONDS",
        help="seconds a cell may run before the run stops with an error (default %(default)s)",
    )
