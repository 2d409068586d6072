"""``cx nps``: NPS with 95% intervals from a survey file or table, overall and by segment."""

from __future__ import annotations

from cxlib.cli._options import add_read_options, add_source_options, read_kwargs, source_kwargs

NAME = "nps"
HELP = "NPS with 95% intervals from a survey file (CSV, .xlsx, Parquet) or table, overall and by segment"
DESCRIPTION = """Compute the Net Promoter Score of a relationship-survey file: promoters answer 9-10,
passives 7-8, detractors 0-6; NPS = % promoters - % detractors, in points (-100 to 100), with a
95% interval (adjusted Wald by default, see cxlib.analytics.nps). Blank answers are skipped and counted,
never scored as 0. The file is read and validated as the 'nps_surveys' table: only the score
column (and the --by column) is needed; the table's other columns (response id, survey date, ...)
are checked when present (`cx schemas nps_surveys` lists them), and a bad file gets a list of
every problem and exit code 2. Map such columns with --column, e.g. a date column named
differently: --column survey_date="Response date".

A CSV of 64 MB or more, a Parquet file or a table (--table) is counted by DuckDB where it is,
with the same checks and the same output; --engine spark counts a Spark table.

examples:
  cx nps surveys.csv --score ltr
  cx nps surveys.xlsx --score "Q1 Likelihood" --by Region --column survey_date="Response date"
  cx nps surveys.parquet --score ltr --by plan --json
  cx nps --table surveys --database company.duckdb --score ltr --by plan"""


def add_arguments(p) -> None:
    """Add the arguments and options of ``cx nps`` to its parser.

    Parameters
    ----------
    p : argparse.ArgumentParser
        The subcommand's parser, created by :func:`cxlib.cli.build_parser`.
    """
    p.add_argument("file", metavar="FILE", nargs="?", help="survey file (.csv, .tsv, .txt, .xlsx, .parquet)")
    p.add_argument("--score", required=True, metavar="COLUMN", help="the 0-10 likelihood-to-recommend column")
    p.add_argument("--by", metavar="COLUMN", help="segment column (e.g. plan, region, month)")
    p.add_argument(
        "--column",
        "-c",
        action="append",
        metavar="SCHEMA=FILECOL",
        help="map another schema column onto your file's column (repeatable), e.g. survey_date='Response date'",
    )
    p.add_argument(
        "--method",
        default="adjusted-wald",
        choices=["adjusted-wald", "wald", "bootstrap"],
        help="interval method (default %(default)s)",
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--csv", metavar="FILE", help="also write the NPS table (by segment, then overall) to a CSV file")
    add_source_options(p)
    add_read_options(p)


def run(args) -> int:
    """Run ``cx nps``: read the survey file, call
    :func:`cxlib.analytics.summaries.nps_summary` and print the NPS table (or JSON).

    Parameters
    ----------
    args : argparse.Namespace
        The parsed arguments and options (see :func:`add_arguments`).

    Returns
    -------
    int
        The exit code, 0; a file that cannot be read raises a
        :class:`~cxlib.errors.CxError` (exit code 2 from ``cx``).
    """
    from cxlib.analytics.summaries import nps_summary
    from cxlib.cli._output import check_csv_target, print_json, print_table, write_csv
    from cxlib.cli.validate import parse_column_maps

    if args.csv:  # before the work: a wrong path costs nothing
        check_csv_target(args.csv, [args.file, args.database])
    res = nps_summary(
        args.file,
        args.score,
        by=args.by,
        columns=parse_column_maps(args.column),
        method=args.method,
        **source_kwargs(args),
        **read_kwargs(args),
    )
    if args.csv:
        write_csv(res.table(), args.csv, inputs=[args.file, args.database])
    if args.json:
        print_json(res.to_dict())
        return 0
    print(res.read.brief())
    print(res.title())
    print_table(res.table())
    for line in res.notes():
        print(line)
    return 0
