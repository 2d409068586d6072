"""``cx agents``: fair per-agent satisfaction from a post-interaction survey export.

For each agent: answered surveys (n), the raw share satisfied (CSAT 4-5) with its
95% Wilson interval, and the empirical-Bayes shrunk share with its 95% credible
interval (lesson 04), sorted best first. Agents outside the 99.8% funnel limits are
marked. Bad files get the same clear, complete error report as every ``cx`` command.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from cxlib.cli._options import add_read_options, read_kwargs
from cxlib.cli._output import print_json, print_table
from cxlib.errors import CxError, ValidationError

if TYPE_CHECKING:
    import pandas as pd

    from cxlib.analytics.feedback import AgentFeedback
    from cxlib.data.io import ReadReport

NAME = "agents"
HELP = "per-agent CSAT: n, raw rate, shrunk rate and 95% interval, sorted (lesson 04)"
DESCRIPTION = """\
Rank support agents fairly from a post-interaction survey export (CSV or Excel).

Each agent's share of satisfied answers (CSAT 4-5) is shown raw, with a 95% Wilson
interval, and shrunk towards the overall rate by empirical Bayes (beta-binomial),
with a 95% credible interval. Agents with few surveys are pulled in most. Read the
intervals, not the ranks: overlapping intervals mean the data cannot separate the
agents. Use the result for coaching, not pay.

examples:
  cx agents feedback.csv
  cx agents export.xlsx --agent "Agent Name" --score "CSAT (1-5)" --json
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the arguments and options of ``cx agents``.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The subcommand's parser, created by :func:`cxlib.cli.build_parser`.
    """
    parser.add_argument("file", metavar="FILE", help="CSV or Excel file, one row per answered survey")
    parser.add_argument(
        "--agent", default="agent_id", metavar="COLUMN", help="column with the agent's id or name (default: agent_id)"
    )
    parser.add_argument(
        "--score", default="csat", metavar="COLUMN", help="column with the CSAT answer, 1-5 (default: csat)"
    )
    parser.add_argument(
        "--method",
        default="ml",
        choices=["ml", "corrected", "mom"],
        help="how the shrinkage prior is fitted (default: ml, maximum likelihood)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    add_read_options(parser)


def _read(path: str, agent: str, score: str, **read) -> tuple[pd.DataFrame, str, str, ReadReport]:
    """Read the file through the data layer; returns (frame, agent column, score column, report)."""
    from cxlib.data.io import read_table

    try:
        df, rep = read_table(
            path,
            "agent_feedback",
            columns={"agent_id": agent, "csat": score},
            only=["agent_id", "csat"],
            report=True,
            **read,
        )
    except ValidationError as err:
        raise CxError(
            f"{err}\nOn the command line, name your columns with --agent COLUMN and --score COLUMN."
        ) from None
    a = "agent_id" if "agent_id" in df.columns else agent
    s = "csat" if "csat" in df.columns else score
    return df, a, s, rep


def run(args: argparse.Namespace) -> int:
    """Run ``cx agents`` with parsed arguments and print its result.

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
    import pandas as pd

    from cxlib.analytics.feedback import AgentFeedback

    path = Path(args.file)
    if not path.exists():
        raise CxError(f"{args.file}: file not found. Check the path and try again.")
    df, a, s, rep = _read(str(path), args.agent, args.score, **read_kwargs(args))
    fb = AgentFeedback(method=args.method).fit(df, agent_column=a, score_column=s, source=path.name)
    summ = fb.summary
    if args.json:
        prior = fb.prior_
        print_json(
            {
                "source": str(path),
                "read": rep.brief_dict(),
                "n_agents": len(summ),
                "n_answers": int(summ["n"].sum()),
                "n_missing": fb.n_missing_,
                "overall_rate": fb.overall_rate_,
                "prior": {
                    "model": fb.prior,
                    "widened_to_raw": fb.widened_,
                    "method": prior.method,
                    "pooled": prior.pooled,
                    "alpha": prior.alpha,
                    "beta": prior.beta,
                    "mean": prior.mean,
                },
                "agents": summ[
                    [
                        "agent",
                        "n",
                        "satisfied",
                        "raw_rate",
                        "raw_low",
                        "raw_high",
                        "shrunk_rate",
                        "low",
                        "high",
                        "funnel",
                    ]
                ].to_dict(orient="records"),
            }
        )
        return 0
    pct = lambda x: f"{100 * x:.1f}"
    table = pd.DataFrame(
        {
            "agent": summ["agent"],
            "n": summ["n"],
            "raw %": summ["raw_rate"].map(pct),
            "raw 95% CI": [f"[{pct(lo)}, {pct(hi)}]" for lo, hi in zip(summ["raw_low"], summ["raw_high"])],
            "shrunk %": summ["shrunk_rate"].map(pct),
            "shrunk 95% CI": [f"[{pct(lo)}, {pct(hi)}]" for lo, hi in zip(summ["low"], summ["high"])],
            "funnel": summ["funnel"],
        }
    )
    prior = fb.prior_
    how = _shrinkage_note(fb)
    print(rep.brief())
    print(
        f"{path.name}: {len(summ)} agents, {int(summ['n'].sum())} answers, overall satisfied "
        f"{100 * fb.overall_rate_:.1f}% (CSAT 4-5); shrinkage: {how}."
    )
    if fb.n_missing_:
        print(f"{fb.n_missing_} rows with an empty agent or score were left out.")
    print_table(table)
    print(
        "Read the intervals, not the ranks. An agent is unusual only outside the 99.8% funnel; "
        "use this for coaching, not pay."
    )
    return 0


def _shrinkage_note(fb: AgentFeedback) -> str:
    """One line on how the shrunk rates and intervals were made, for the text output."""
    from cxlib.analytics.feedback import FEW_AGENTS, FEW_ANSWERS

    prior = fb.prior_
    if fb.prior == "plug-in":
        how = (
            "agents indistinguishable from chance: everyone gets the pooled rate"
            if prior.pooled
            else f"prior worth {prior.strength:.0f} surveys at {100 * prior.mean:.1f}%"
        )
    else:
        how = (
            f"the agents look alike, so each is pulled strongly towards {100 * prior.mean:.1f}%"
            if prior.pooled
            else f"prior worth about {prior.strength:.0f} surveys at {100 * prior.mean:.1f}%"
        ) + "; the intervals include the prior's own uncertainty"
    if fb.widened_:
        how += f" and, with fewer than {FEW_AGENTS} agents or {FEW_ANSWERS} answers, contain the raw ones"
    return how
