"""``cx report``: a lesson's whole analysis on your file, as a report about your data only."""

from __future__ import annotations

from cxlib.cli._options import add_lesson_options, add_read_options, read_kwargs
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
  cx nps --csv, cx agents --csv, cx churn --scores
              one result table as CSV, straight from the command line

reports: 01 value, 02 segments, 03 comments, 04 agents, 05 nps, 06 churn,
  07 business case (a churn table), clv (an order export: lifetime value with BG/NBD)

examples:
  cx report 05 --data surveys.xlsx -p SCORE_COLUMN="Q1 Recommend" -p SEGMENT_COLUMN=Region --out nps-report
  cx report 06 --data customers.csv -p TARGET_COLUMN=Churn -p VALUE_COLUMN=MonthlyCharges --out churn-report
  cx report clv --data orders.csv -p CALIBRATION_END=2024-06-30 --out clv-report
  cx lessons            # each lesson's parameters; reports take the same and a few optional ones (reports/README.md)"""


def add_arguments(p) -> None:
    """Declare the arguments and options of ``cx report``.

    Parameters
    ----------
    p : argparse.ArgumentParser
        The subcommand's parser, created by :func:`cxlib.cli.build_parser`.
    """
    p.add_argument("lesson", help="the lesson whose report to write: a number or name, e.g. 05")
    p.add_argument("--data", metavar="FILE", required=True, help="your CSV, .xlsx or .parquet file")
    add_lesson_options(
        p,
        out="report",
        parameter_help="set a parameter, e.g. a column name (repeatable); `cx lessons` lists them",
        timeout=CELL_TIMEOUT,
    )
    add_read_options(p)


def run(args) -> int:
    """Run ``cx report`` with parsed arguments and print its result.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed command line (the options that ``add_arguments`` declares).

    Returns
    -------
    int
        The exit code: 0 on success; errors in the input raise :class:`~cxlib.errors.CxError`,
        which :func:`cxlib.cli.main` turns into a message and exit code 2.
    """
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
