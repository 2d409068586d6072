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
PR AUC with a bootstrap interval (its baseline is the churn rate), top-decile lift, Brier
score, accuracy next to the accuracy of predicting "nobody churns", and the drivers of risk
in plain language (associations, not causes).

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
  cx churn snapshots.csv --target churned --id customer_id --date cutoff   (train earlier, test latest)"""


def add_arguments(p) -> None:
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
        "the latest (time-based validation instead of cross-validation). Leave out earlier "
        "cutoffs whose label window reaches past the latest one.",
    )
    p.add_argument(
        "--model",
        choices=("logistic", "hgb"),
        default="logistic",
        help="logistic regression (interpretable, default) or histogram gradient boosting",
    )
    p.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
    p.add_argument("--seed", type=int, default=0, help="random seed of the folds and bootstrap (default 0)")
    p.add_argument("--top", type=int, default=10, metavar="N", help="how many drivers to list (default 10)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    add_read_options(p)


def read_churn_file(path, target: str, id_column: str | None = None, **read) -> tuple[pd.DataFrame, list[str]]:
    """Read a customer table with the data layer (``cxlib.data.io.read_table(path, "churn_table")``).

    The export is cleaned as every file is (encoding, delimiter, Persian digits, decimal
    marks and thousands separators decided per column, yes/no and churned/active targets,
    blank targets counted); only the target and, when given, the id column are required.
    ``read`` holds the reading options (``sep``, ``decimal``, ``dayfirst``, ...).

    Returns the table (with the file's own column names) and notes for the report, the
    first saying how the file was read.
    """
    from cxlib.data.io import read_table

    cols = {"churned": target}
    if id_column:
        cols["customer_id"] = id_column
    df, rep = read_table(path, "churn_table", columns=cols, only=list(cols), report=True, **read)
    names = {"churned": target}
    if id_column:
        names["customer_id"] = id_column
    elif "customer_id" in df.columns and "customer_id" != target:
        names["customer_id"] = "customer_id"
    df = df.rename(columns=names)
    if rep.labels.get("churned"):  # the data layer read text labels: report them as the file had them
        df.attrs["target_labels"] = dict(sorted(rep.labels["churned"].items()))
    # text features are one-hot encoded here, so the data layer's "encode it first" advice does not apply
    notes = [rep.brief()]
    notes += [
        f"column {names.get(c['column'], c['column'])!r}: {c['what']} ({c['count']:,} values)" for c in rep.conversions
    ]
    notes += [str(n) for n in rep.notes if "models need numbers" not in str(n) and "encode" not in str(n)]
    return df, notes


def analyse(
    df: pd.DataFrame,
    target: str,
    id_column: str | None = None,
    model: str = "logistic",
    folds: int = 5,
    seed: int = 0,
    top: int = 10,
    date_column: str | None = None,
    dayfirst: bool | None = None,
) -> dict:
    """The result of ``cx churn`` as a dict (also used by lesson 06's "In practice").

    With ``date_column`` (a stacked table of snapshots) the model is trained on the
    earlier cutoffs and tested on the latest one (its dates are read as
    :func:`cxlib.data.io.to_dates` reads a column: the day/month order decided from all of
    them, ``dayfirst`` when they do not show it); otherwise out-of-fold predictions from
    stratified K-fold cross-validation are scored.
    """
    from cxlib.analytics.churn import ChurnModel, clean_features, time_validate

    if id_column is None and "customer_id" in df.columns and target != "customer_id":
        id_column = "customer_id"
    if date_column is not None and date_column not in df.columns:
        raise CxError(f"date column {date_column!r} not found; the columns are: {', '.join(map(str, df.columns))}.")
    t = clean_features(df.drop(columns=[date_column]) if date_column else df, target, id_column=id_column)
    m = ChurnModel(kind=model, random_state=seed)
    if date_column:
        from cxlib.data.io import to_dates

        dates = to_dates(df.loc[t.index, date_column], errors="coerce", dayfirst=dayfirst, name=date_column)
        if dates.isna().any():
            raise CxError(
                f"{int(dates.isna().sum())} value(s) in the date column {date_column!r} are not dates; "
                f"write them as YYYY-MM-DD."
            )
        stacked = t.X.assign(__cutoff__=dates.to_numpy(), __target__=t.y.to_numpy())
        ev = time_validate(stacked, "__cutoff__", "__target__", model=m)
        validation = ev.method.split(": ", 1)[1] + " (time-based)"
    else:
        ev = m.cross_validate(t.X, t.y, folds=folds, seed=seed)
        validation = f"{folds}-fold stratified out-of-fold, seed {seed}"
    fitted = m.fit(t.X, t.y)
    drv = fitted.drivers()
    drv = drv[drv["importance"] > 0].head(top)
    return {
        "n": ev.n,
        "n_rows": t.n_rows,
        "n_missing_target": t.n_missing_target,
        "churn_rate": ev.churn_rate,
        "n_churners": int(ev.y.sum()),
        "auc": ev.auc,
        "auc_ci_low": ev.auc_ci_low,
        "auc_ci_high": ev.auc_ci_high,
        "auc_ci_method": "DeLong 95%",
        "pr_auc": ev.pr_auc,
        "pr_auc_ci_low": ev.pr_auc_ci_low,
        "pr_auc_ci_high": ev.pr_auc_ci_high,
        "top_decile_lift": ev.top_decile_lift,
        "brier": ev.brier,
        "brier_baseline": ev.brier_baseline,
        "accuracy": ev.accuracy,
        "accuracy_nobody_churns": ev.accuracy_nobody_churns,
        "model": "logistic regression (L2, C=0.1)" if model == "logistic" else "histogram gradient boosting",
        "validation": validation,
        "target": target,
        "target_mapping": df.attrs.get("target_labels") or t.target_mapping,
        "numeric_features": t.numeric,
        "text_features": t.categorical,
        "dropped_columns": t.dropped,
        "text_as_blank": t.n_text_as_missing,
        "drivers": [
            {"feature": r.feature, "direction": r.direction, "effect": round(r.effect, 4), "plain": r.plain}
            for r in drv.itertuples()
        ],
        "notes": t.notes(),
    }


def _report(r: dict, name: str) -> str:
    lines = [f"Churn model on {name}", ""]
    used = "customers scored" if "time-based" in r["validation"] else "customers used"
    lines.append(
        f"  {used:<18} {r['n']:,} of {r['n_rows']:,} rows"
        + (f" ({r['n_missing_target']:,} with a blank target excluded)" if r["n_missing_target"] else "")
    )
    lines.append(f"  churners           {r['n_churners']:,} ({r['churn_rate']:.1%})")
    lines.append(f"  features           {len(r['numeric_features'])} numeric, {len(r['text_features'])} text")
    lines.append(f"  model              {r['model']}; {r['validation']}")
    lines.append("")
    lines.append(
        f"  ROC AUC            {r['auc']:.3f}  [{r['auc_ci_low']:.3f}, {r['auc_ci_high']:.3f}] "
        f"({r['auc_ci_method']}; 0.5 = coin toss)"
    )
    lines.append(
        f"  PR AUC             {r['pr_auc']:.3f}  [{r['pr_auc_ci_low']:.3f}, {r['pr_auc_ci_high']:.3f}] "
        f"(baseline = churn rate {r['churn_rate']:.3f})"
    )
    lines.append(
        f"  top-decile lift    {r['top_decile_lift']:.2f}  (the riskiest 10% churn {r['top_decile_lift']:.1f}x "
        f"as often as average; at most {1 / r['churn_rate']:.1f})"
    )
    lines.append(
        f"  Brier score        {r['brier']:.4f}  (predicting the churn rate for all: {r['brier_baseline']:.4f})"
    )
    lines.append(
        f'  accuracy at 0.5    {r["accuracy"]:.3f}  ("nobody churns" scores {r["accuracy_nobody_churns"]:.3f}: '
        f"do not judge churn models by accuracy)"
    )
    lines.append("")
    lines.append("  Drivers of predicted risk (associations, not causes):")
    for d in r["drivers"]:
        lines.append(f"    {d['plain']}")
    if r["notes"]:
        lines.append("")
        lines.append("  Notes on the data:")
        lines.extend(f"    - {n}" for n in r["notes"])
    return "\n".join(lines)


def run(args) -> int:
    from cxlib.cli._output import print_json

    if args.folds < 2:
        raise CxError("--folds must be at least 2.")
    read = read_kwargs(args)
    df, notes = read_churn_file(args.file, args.target, args.id_column, **read)
    r = analyse(
        df,
        args.target,
        args.id_column,
        model=args.model,
        folds=args.folds,
        seed=args.seed,
        top=args.top,
        date_column=args.date_column,
        dayfirst=read.get("dayfirst"),
    )
    r["notes"] = notes + r["notes"]
    if args.json:
        print_json(r)
    else:
        print(_report(r, Path(args.file).name))
    return 0
