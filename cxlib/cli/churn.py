"""``cx churn``: an honest churn model on any customer-level table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cxlib.cli._options import add_read_options, read_kwargs
from cxlib.errors import CxError

if TYPE_CHECKING:
    import pandas as pd

NAME = "churn"
HELP = "fit and validate a churn model on a customer table (out-of-fold AUC, lift, drivers)"
DESCRIPTION = """Fit a churn model on a customer-level table (one row per customer: feature columns and a
0/1 or yes/no target) and report how well it ranks customers, measured honestly on
out-of-fold predictions (5-fold stratified, fixed seed): ROC AUC with a DeLong 95% interval,
PR AUC with a logit interval (Boyd et al. 2013; its baseline is the churn rate), top-decile
lift, Brier score, accuracy next to the accuracy of predicting "nobody churns", and the
drivers of risk in plain language with 95% intervals (associations, not causes; a driver
whose interval includes 0 is not ranked). A leakage alarm warns when the model or one
column alone looks too good (AUC >= 0.99, one column AUC >= 0.95) or a column is blank for
one class only: recorded after the outcome?

Real exports are handled: numbers stored as text (with blanks, thousands separators,
decimal commas, currency signs; the decimal mark is decided per column), text columns with many levels (rare levels pooled), constant or empty
columns (dropped and reported), a target with blanks (those rows are excluded and counted)
and text labels (yes/no, true/false, churned/active: the reading is reported).

The features must be known BEFORE the period the target measures (point-in-time); a column
filled in after the customer left (a cancellation reason, a final bill) makes the model look
brilliant and fail in use. See lesson 06.

examples:
  cx churn data/churn_snapshot.csv --target churned --id customer_id
  cx churn telco.csv --target Churn --id customerID --json
  cx churn snapshots.csv --target churned --id customer_id --date cutoff --horizon 3   (train earlier, test latest)"""


def add_arguments(p) -> None:
    """Add the options of ``cx churn`` to the parser ``p``.

    Parameters
    ----------
    p : argparse.ArgumentParser
        The subcommand's parser, created by :func:`cxlib.cli.build_parser`.
    """
    p.add_argument("file", metavar="FILE", help="customer table (.csv, .tsv, .txt or .xlsx)")
    p.add_argument("--target", required=True, metavar="COLUMN", help="the churn column (0/1, yes/no, true/false)")
    p.add_argument(
        "--id",
        dest="id_column",
        metavar="COLUMN",
        default=None,
        help="the customer id column (excluded from the features)",
    )
    p.add_argument(
        "--date",
        dest="date_column",
        metavar="COLUMN",
        default=None,
        help="snapshot (cutoff) date column of a stacked table: train on the earlier cutoffs, test on "
        "the latest (time-based validation instead of cross-validation). Earlier cutoffs whose label "
        "window reaches into the test period are refused (see --drop-overlapping).",
    )
    p.add_argument(
        "--horizon",
        type=int,
        metavar="MONTHS",
        default=None,
        help="with --date: months after each cutoff in which the target counts churn (default: read "
        "from the data, which needs --id)",
    )
    p.add_argument(
        "--drop-overlapping",
        action="store_true",
        help="with --date: leave out earlier cutoffs whose label window overlaps the test period",
    )
    p.add_argument(
        "--model",
        choices=("logistic", "hgb"),
        default="logistic",
        help="logistic regression (interpretable, default) or histogram gradient boosting",
    )
    p.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
    p.add_argument("--seed", type=int, default=0, help="random seed of the folds and resamples (default 0)")
    p.add_argument("--top", type=int, default=10, metavar="N", help="how many drivers to list (default 10)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument(
        "--scores",
        metavar="FILE",
        help="also write each customer's out-of-fold churn probability and risk decile (1 = riskiest) to a CSV file",
    )
    add_read_options(p)


def read_churn_file(path, target_column: str, id_column: str | None = None, **read) -> tuple[pd.DataFrame, list[str]]:
    """Deprecated: use :func:`cxlib.data.io.read_churn_table` (same arguments).

    Parameters
    ----------
    path, target_column, id_column, **read
        As in :func:`cxlib.data.io.read_churn_table`.

    Returns
    -------
    (DataFrame, list of str)

    Examples
    --------
    >>> from cxlib.data.io import read_churn_table  # use this instead
    """
    import warnings

    from cxlib.data.io import read_churn_table

    warnings.warn(
        "cxlib.cli.churn.read_churn_file is deprecated since cxlib 0.2; use cxlib.data.io.read_churn_table.",
        DeprecationWarning,
        stacklevel=2,
    )
    return read_churn_table(path, target_column, id_column, **read)


def analyse(df: pd.DataFrame, target_column: str, id_column: str | None = None, top: int = 10, **options) -> dict:
    """Deprecated: use :func:`cxlib.analytics.churn.churn_report` (``churn_report(...).to_dict(top)``).

    Parameters
    ----------
    df, target_column, id_column, **options
        As in :func:`cxlib.analytics.churn.churn_report`.
    top : int, default 10
        How many drivers to list.

    Returns
    -------
    dict

    Examples
    --------
    >>> from cxlib.analytics.churn import churn_report  # use this instead
    """
    import warnings

    from cxlib.analytics.churn import churn_report

    warnings.warn(
        "cxlib.cli.churn.analyse is deprecated since cxlib 0.2; use cxlib.analytics.churn.churn_report.",
        DeprecationWarning,
        stacklevel=2,
    )
    return churn_report(df, target_column, id_column, **options).to_dict(top)


def run(args) -> int:
    """Run ``cx churn``: read the file, call :func:`cxlib.analytics.churn.churn_report`, print.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options.

    Returns
    -------
    int
        The exit code (0).
    """
    from cxlib.analytics.churn import churn_report
    from cxlib.cli._output import check_csv_target, print_json, write_csv
    from cxlib.data.io import read_churn_table

    if args.folds < 2:
        raise CxError("--folds must be at least 2.")
    if args.scores:  # before the work: a wrong path costs nothing
        check_csv_target(args.scores, [args.file])
    read = read_kwargs(args)
    df, notes = read_churn_table(args.file, args.target, args.id_column, args.date_column, **read)
    report = churn_report(
        df,
        args.target,
        args.id_column,
        model=args.model,
        folds=args.folds,
        seed=args.seed,
        date_column=args.date_column,
        dayfirst=read.get("dayfirst"),
        horizon=args.horizon,
        drop_overlapping=args.drop_overlapping,
        notes=notes,
    )
    if args.scores:
        ids = args.id_column or ("customer_id" if "customer_id" in df.columns else None)
        write_csv(report.scores(df, ids, args.date_column), args.scores, inputs=[args.file])
    if args.json:
        print_json(report.to_dict(args.top))
    else:
        print(report.to_text(Path(args.file).name, args.top))
    return 0
