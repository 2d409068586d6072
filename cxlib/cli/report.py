"""``cx report``: a lesson's whole analysis on your file, as a report about your data only."""

from __future__ import annotations

from cxlib.cli._options import add_read_options, read_kwargs
from cxlib.teaching.lessons import CELL_TIMEOUT

NAME = "report"
HELP = "a report about your data: a lesson's analysis on your file, with its tables as CSV"
DESCRIPTION = """Write a report about your own data: the whole analysis of a lesson, run on your file only
(nothing from the course's simulated company), with every figure and table, short text written
from the results, and a header with the file, rows read and dropped, parameters and date. The
file is validated first (a clear report and exit code 2 if it fails). DIR receives the executed
notebook, an offline HTML report without code, and the result tables as CSV files.

which command when:
  cx report   a report about your data, to share (HTML + CSV tables)
  cx run      the whole lesson, teaching text and all, run on your data (to learn with it)

examples:
  cx report 05 --data surveys.xlsx -p SCORE_COLUMN="Q1 Recommend" -p SEGMENT_COLUMN=Region --out nps-report
  cx report 06 --data customers.csv -p TARGET_COLUMN=Churn -p ID_COLUMN=customerID --out churn-report
  cx lessons                                   # the parameters of each lesson (reports take the same)"""


def add_arguments(p) -> None:
    p.add_argument("lesson", help="the lesson whose report to write: a number or name, e.g. 05")
    p.add_argument("--data", metavar="FILE", required=True, help="your CSV, .xlsx or .parquet file")
    p.add_argument(
        "-p",
        "--parameter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a parameter, e.g. a column name (repeatable); `cx lessons` lists them",
    )
    p.add_argument("--out", default="report", metavar="DIR", help="output folder (default %(default)s)")
    p.add_argument(
        "--timeout",
        type=int,
        default=CELL_TIMEOUT,
        metavar="SECONDS",
        help="seconds a cell may run before the run stops with an error (default %(default)s)",
    )
    add_read_options(p)


def run(args) -> int:
    from cxlib.teaching.lessons import parse_parameter, run_report

    params = dict(parse_parameter(p) for p in args.parameter)
    out = run_report(
        args.lesson,
        data=args.data,
        parameters=params,
        out=args.out,
        timeout=args.timeout,
        read_options=read_kwargs(args) or None,
    )
    if out.get("read"):
        print(out["read"])
    print(f"wrote the report {out['notebook'].stem}")
    print(f"  report:   {out['html']}")
    print(f"  notebook: {out['notebook']}")
    for table in out["tables"]:
        print(f"  table:    {table}")
    return 0
