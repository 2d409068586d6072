"""``cx nps``: NPS with 95% intervals from a survey file, overall and by segment."""

from __future__ import annotations

import re
from pathlib import Path

from cxlib.cli._options import add_read_options, read_kwargs

NAME = "nps"
HELP = "NPS with 95% intervals from a survey file (CSV or .xlsx), overall and by segment"
DESCRIPTION = """Compute the Net Promoter Score of a relationship-survey file: promoters answer 9-10,
passives 7-8, detractors 0-6; NPS = % promoters - % detractors, in points (-100 to 100), with a
95% interval (adjusted Wald by default, see cxlib.analytics.nps). Blank answers are skipped and counted,
never scored as 0. The file is read and validated as the 'nps_surveys' table (it needs a
response id and a survey date column as well; see `cx validate`); a bad file gets a list of
every problem and exit code 2. Map other columns of the schema with --column, e.g. a date column
named differently: --column survey_date="Response date".

examples:
  cx nps surveys.csv --score ltr
  cx nps surveys.xlsx --score "Q1 Likelihood" --by Region --column survey_date="Response date"
  cx nps surveys.csv --score ltr --by plan --json"""


def add_arguments(p) -> None:
    """Declare the arguments and options of ``cx nps``.

    Parameters
    ----------
    p : argparse.ArgumentParser
        The subcommand's parser, created by :func:`cxlib.cli.build_parser`.
    """
    p.add_argument("file", metavar="FILE", help="survey file (.csv, .tsv, .txt, .xlsx)")
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
    add_read_options(p)


def _key(name: str) -> str:
    return re.sub(r"[\s_]+", "", str(name)).lower()


def read_surveys(path: str, score: str, extra: dict | None = None, *, report: bool = False, **read):
    """Read and validate the survey file with the data layer (``cxlib.data.io``).

    ``read`` holds the reading options (``sep``, ``decimal``, ...); with ``report=True``
    the read report is returned too.

    Parameters
    ----------
    path : str
        The survey file (CSV or Excel).
    score : str
        The file's 0-10 likelihood-to-recommend column (``--score``).
    extra : dict, optional
        Other schema column -> file column (``--column SCHEMA=FILECOL``).
    report : bool
        Return the :class:`~cxlib.data.io.ReadReport` too.
    **read
        Reading options (``sep``, ``decimal``, ``dayfirst``, ``encoding``, ``sheet``).

    Returns
    -------
    pandas.DataFrame or tuple of (pandas.DataFrame, ReadReport)
        The validated surveys with the schema's column names (and the read report).
    """
    from cxlib.data.io import read_table
    from cxlib.errors import CxError

    columns = dict(extra or {})
    if "ltr" in columns:
        raise CxError("give the score column with --score, not --column ltr=...")
    columns["ltr"] = score
    # only the score (and any column mapped explicitly) is required: a plain export of scores works
    return read_table(path, "nps_surveys", columns=columns, only=list(columns), report=report, **read)


def _find_column(df, name: str) -> str:
    from cxlib.errors import CxError

    if name in df.columns:
        return name
    matches = [c for c in df.columns if _key(c) == _key(name)]
    if len(matches) == 1:
        return matches[0]
    raise CxError(
        f"the segment column {name!r} is not in the file; its columns are: "
        f"{', '.join(map(repr, df.columns))}. Pass one of them with --by."
    )


def _row(r) -> dict:
    return {
        "n": int(r.n),
        "promoters": int(r.promoters),
        "passives": int(r.passives),
        "detractors": int(r.detractors),
        "nps": float(r.nps),
        "ci_low": float(r.ci_low),
        "ci_high": float(r.ci_high),
    }


def run(args) -> int:
    """Run ``cx nps`` with parsed arguments and print its result.

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

    from cxlib.analytics import nps as N
    from cxlib.cli._output import print_json, print_table
    from cxlib.cli.validate import parse_column_maps

    df, rep = read_surveys(args.file, args.score, parse_column_maps(args.column), report=True, **read_kwargs(args))
    if args.by:
        by = _find_column(df, args.by)
        res = N.nps_by(df, "ltr", by, method=args.method)
        overall = res.overall
        segs = res.summary.reset_index()
    else:
        overall = N.nps(df, "ltr", method=args.method)
        segs = None

    if args.json:
        out = {"read": rep.brief_dict(), "overall": _row(overall)}
        if segs is not None:
            out["by"] = [
                {"segment": (None if pd.isna(seg) else seg), **_row(r)}
                for seg, r in zip(segs[by], segs.itertuples(index=False))
            ]
        print_json(out)
        return 0

    cols = ["n", "promoters", "passives", "detractors", "nps", "ci_low", "ci_high"]
    overall_row = pd.DataFrame([{"segment": "overall", **_row(overall)}])
    if segs is not None:
        table = segs.rename(columns={by: "segment"})[["segment", *cols]]
        table["segment"] = table["segment"].astype(str)
        table = pd.concat([table, overall_row], ignore_index=True)
    else:
        table = overall_row
    print(rep.brief())
    print(
        f"NPS of {Path(args.file).name} (score column {args.score!r}; {overall.method} {overall.level:.0%} intervals, points)"
    )
    print_table(table)
    if overall.n_missing:
        print(f"{overall.n_missing} blank answer(s) skipped (not counted as detractors).")
    if overall.n and overall.n < 100:
        print(f"note: only {overall.n} answers; the interval is wide (n < 100).")
    return 0
