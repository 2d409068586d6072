"""``cx agents``: fair per-agent satisfaction from a post-interaction survey export.

For each agent: answered surveys (n), the raw share satisfied (CSAT 4-5) with its
95% Wilson interval, and the empirical-Bayes shrunk share with its 95% credible
interval (lesson 04), sorted best first. Agents outside the 99.8% funnel limits are
marked. Bad files get the same clear, complete error report as every ``cx`` command.
"""

from __future__ import annotations

import argparse

from cxlib.cli._options import add_read_options, add_source_options, read_kwargs, source_kwargs
from cxlib.cli._output import check_csv_target, print_json, print_table, write_csv

NAME = "agents"
HELP = "per-agent CSAT: n, raw rate, shrunk rate and 95% interval, sorted (lesson 04)"
DESCRIPTION = """\
Rank support agents fairly from a post-interaction survey export (CSV, Excel or Parquet) or table.

Each agent's share of satisfied answers (CSAT 4-5) is shown raw, with a 95% Wilson
interval, and shrunk towards the overall rate by empirical Bayes (beta-binomial),
with a 95% credible interval. Agents with few surveys are pulled in most. Read the
intervals, not the ranks: overlapping intervals mean the data cannot separate the
agents. Use the result for coaching, not pay.

examples:
  cx agents feedback.csv
  cx agents export.xlsx --agent "Agent Name" --score "CSAT (1-5)" --json
  cx agents export.csv --agent Agent --score CSAT --column response_id=Ticket
  cx agents --table feedback --database company.duckdb
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments and options of ``cx agents`` to its parser.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The subcommand's parser, created by :func:`cxlib.cli.build_parser`.
    """
    parser.add_argument(
        "file", metavar="FILE", nargs="?", help="CSV, Excel or Parquet file, one row per answered survey"
    )
    parser.add_argument(
        "--agent", default="agent_id", metavar="COLUMN", help="column with the agent's id or name (default: agent_id)"
    )
    parser.add_argument(
        "--score", default="csat", metavar="COLUMN", help="column with the CSAT answer, 1-5 (default: csat)"
    )
    parser.add_argument(
        "--column",
        "-c",
        action="append",
        metavar="SCHEMA=FILECOL",
        help="map another schema column onto your file's column (repeatable), e.g. response_id=Ticket",
    )
    parser.add_argument(
        "--method",
        default="ml",
        choices=["ml", "corrected", "mom"],
        help="how the shrinkage prior is fitted (default: ml, maximum likelihood)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--csv", metavar="FILE", help="also write the agent table (raw and shrunk rates with intervals) to a CSV file"
    )
    add_source_options(parser)
    add_read_options(parser)


def run(args: argparse.Namespace) -> int:
    """Run ``cx agents``: read the survey export, call
    :func:`cxlib.analytics.summaries.agents_summary` and print the table (or JSON).

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
    from cxlib.analytics.summaries import agents_summary
    from cxlib.cli.validate import parse_column_maps

    if args.csv:  # before the work: a wrong path costs nothing
        check_csv_target(args.csv, [args.file, args.database])
    res = agents_summary(
        args.file,
        agent=args.agent,
        score=args.score,
        columns=parse_column_maps(args.column),
        method=args.method,
        **source_kwargs(args),
        **read_kwargs(args),
    )
    if args.csv:
        write_csv(res.agent_table(), args.csv, inputs=[args.file, args.database])
    if args.json:
        print_json(res.to_dict())
        return 0
    print(res.read.brief())
    print(res.headline())
    for line in res.notes():
        print(line)
    print_table(res.table())
    for line in res.guide():
        print(line)
    return 0
