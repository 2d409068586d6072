"""``cx run``: run a lesson on your own data."""

from __future__ import annotations

from cxlib.cli._options import add_read_options, read_kwargs
from cxlib.teaching.lessons import CELL_TIMEOUT

NAME = "run"
HELP = "validate your data file and run a lesson on it (writes the notebook and an HTML report)"
DESCRIPTION = """Run a whole lesson, teaching text and all, on your own data. The file is validated against
the lesson's schema first (a clear report and exit code 2 if it fails); then the lesson is executed
and the executed notebook and an offline HTML page are written to DIR. For a report about your
data only (figures, tables as CSV, no teaching text), use `cx report` instead.

examples:
  cx lessons                                   # lessons and their parameters
  cx run 05 --data surveys.xlsx -p SCORE_COLUMN="Q1 Recommend" -p SEGMENT_COLUMN=Region --out report
  cx run 06 --data customers.csv -p TARGET_COLUMN=Churn -p ID_COLUMN=customerID
  cx run 05 --data export.csv --sep ';' --decimal , --dayfirst -p SCORE_COLUMN=Q1"""


def add_arguments(p) -> None:
    p.add_argument("lesson", help="lesson number or name, e.g. 05 or 05_nps_pitfalls")
    p.add_argument("--data", metavar="FILE", help="your CSV or .xlsx file (default: the bundled data)")
    p.add_argument(
        "-p",
        "--parameter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a lesson parameter (repeatable); `cx lessons` lists them",
    )
    p.add_argument("--out", default="runs", metavar="DIR", help="output folder (default %(default)s)")
    p.add_argument(
        "--timeout",
        type=int,
        default=CELL_TIMEOUT,
        metavar="SECONDS",
        help="seconds a cell may run before the run stops with an error (default %(default)s)",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="run only the lesson's set-up and its In practice section (a quick check that your file works)",
    )
    add_read_options(p)


def run(args) -> int:
    from cxlib.teaching.lessons import parse_parameter, run_lesson

    params = dict(parse_parameter(p) for p in args.parameter)
    out = run_lesson(
        args.lesson,
        data=args.data,
        parameters=params,
        out=args.out,
        timeout=args.timeout,
        read_options=read_kwargs(args) or None,
        quick=args.quick,
    )
    if out.get("read"):
        print(out["read"])
    print(f"ran lesson {out['notebook'].stem}")
    print(f"  notebook: {out['notebook']}")
    print(f"  report:   {out['html']}")
    return 0
