"""``cx validate KIND FILE``: check a CSV, Excel or Parquet export (or a table) against a schema.

Prints the read report (encoding, rows read and dropped, values converted,
blank cells, every problem with its rows, values and fix) and exits 0 when the
file is valid, 2 when it is not. ``--json`` prints the same report as JSON.
"""

from __future__ import annotations

import argparse

from cxlib.cli._options import add_read_options, add_source_options, for_cli, read_kwargs, source_kwargs
from cxlib.cli._output import print_json
from cxlib.errors import CxError

NAME = "validate"
HELP = "check a CSV/Excel/Parquet export or a table against a table schema (exit 0 valid, 2 not)"
DESCRIPTION = """Check a CSV, Excel or Parquet export (or a database table) against a table schema and
print what was read. A CSV of 64 MB or more, a Parquet file or a table is checked by DuckDB
where it is, with the same report (rows, values and fixes).

Examples:
  cx validate nps_surveys survey.csv
  cx validate nps_surveys survey.xlsx --column ltr="Q1 Likelihood" --column response_id=ID
  cx validate agent_feedback feedback.csv --json
  cx validate churn_table export.csv --sep ';' --decimal , --dayfirst
  cx validate nps_surveys --table surveys --database company.duckdb

Run 'cx schemas KIND' to see the columns a kind expects.
Exit codes: 0 valid, 2 not valid or unreadable."""


def _kinds() -> tuple:
    from cxlib.data.kinds import KINDS

    return KINDS


def parse_column_maps(items: list[str] | None) -> dict[str, str]:
    """Turn ``["ltr=Q1 Likelihood", ...]`` into ``{"ltr": "Q1 Likelihood"}``.

    Parameters
    ----------
    items : list of str or None
        The values of the repeated ``--column SCHEMA=FILECOLUMN`` option; quotes around the
        file's column name are removed. ``None`` when the option was not given.

    Returns
    -------
    dict
        Schema column -> the file's column name.

    Raises
    ------
    CxError
        An item without ``=``, or with an empty side.

    Examples
    --------
    >>> parse_column_maps(["ltr='Q1 Likelihood'", "survey_date = Date"])
    {'ltr': 'Q1 Likelihood', 'survey_date': 'Date'}
    """
    out: dict[str, str] = {}
    for item in items or []:
        if "=" not in item:
            raise CxError(
                f"--column {item!r}: write it as SCHEMA=FILECOLUMN, for example --column ltr='Q1 Likelihood'."
            )
        key, value = item.split("=", 1)
        key, value = key.strip(), value.strip().strip('"').strip("'")
        if not key or not value:
            raise CxError(f"--column {item!r}: both the schema column and your column name are needed.")
        out[key] = value
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments and options of ``cx validate`` to its parser.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The subcommand's parser, created by :func:`cxlib.cli.build_parser`.
    """
    parser.add_argument("kind", metavar="KIND", choices=_kinds(), help="table kind: " + ", ".join(_kinds()))
    parser.add_argument("file", metavar="FILE", nargs="?", help="a .csv, .txt, .tsv, .xlsx or .parquet file")
    parser.add_argument(
        "--column",
        "-c",
        action="append",
        metavar="SCHEMA=FILECOL",
        help="map a schema column onto your file's column (repeatable)",
    )
    parser.add_argument(
        "--require", action="append", metavar="COLUMN", help="make an optional schema column required (repeatable)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    add_source_options(parser)
    add_read_options(parser)


def run(args: argparse.Namespace) -> int:
    """Run ``cx validate``: check the file against the schema of its
    kind with :func:`cxlib.data.engine.validate_source` and print the report (or JSON).

    Parameters
    ----------
    args : argparse.Namespace
        The parsed arguments and options (see :func:`add_arguments`).

    Returns
    -------
    int
        0 when the file passes, 2 when the report lists problems.
    """
    from cxlib.data.engine import validate_source

    columns = parse_column_maps(args.column)
    report, _ = validate_source(
        args.file, args.kind, columns, require=args.require, **source_kwargs(args), **read_kwargs(args)
    )
    if args.json:
        print_json(report.to_dict())
    else:
        print(for_cli(report.summary()))
    return 0 if report.ok else 2
