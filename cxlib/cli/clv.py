"""``cx clv``: customer lifetime value (BG/NBD, Gamma-Gamma) from an order export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cxlib.cli._options import add_read_options, read_kwargs
from cxlib.errors import CxError

if TYPE_CHECKING:
    import pandas as pd

NAME = "clv"
HELP = "customer lifetime value from an order export: BG/NBD purchases, P(alive), Gamma-Gamma spend, holdout check"
DESCRIPTION = """Fit the BG/NBD model (Fader, Hardie & Lee 2005) to an order export (one row per order:
customer, date and optionally value) and predict, for every customer, the repeat purchases
expected in the next period and the probability of still being active. Orders are counted by
day (several orders of a customer on one day are one purchase). Only orders up to
--calibration-end are used to fit; customers who first bought after it are left out (and
counted). With --holdout-end the model's prediction for the holdout period is compared with
the repeat purchases actually made in it. With --value the Gamma-Gamma model adds the expected
spend per purchase and the expected value (expected purchases x expected spend, undiscounted,
in the file's currency; revenue unless the column holds margins).

The file is read and validated as the 'orders' table (see `cx schemas orders`); a bad file gets
a list of every problem and exit code 2.

examples:
  cx clv orders.csv --customer customer_id --date order_date --calibration-end 2024-06-30
  cx clv orders.xlsx --customer "Customer ID" --date "Order Date" --value Total \\
         --calibration-end 2024-06-30 --holdout-end 2024-12-31 --csv clv_per_customer.csv
  cx clv orders.csv --customer id --date day --calibration-end 1997-09-30 --unit week --json"""


def add_arguments(p) -> None:
    """Add the arguments and options of ``cx clv`` to its parser.

    Parameters
    ----------
    p : argparse.ArgumentParser
        The subcommand's parser, created by :func:`cxlib.cli.build_parser`.
    """
    p.add_argument("file", metavar="FILE", help="order export (.csv, .tsv, .txt, .xlsx or .parquet), one row per order")
    p.add_argument("--customer", required=True, metavar="COLUMN", help="the customer id column")
    p.add_argument("--date", required=True, metavar="COLUMN", help="the order date column")
    p.add_argument("--value", metavar="COLUMN", help="the order value column (adds the Gamma-Gamma spend model)")
    p.add_argument(
        "--calibration-end",
        required=True,
        metavar="DATE",
        help="last day of the period the model learns from (YYYY-MM-DD, included)",
    )
    p.add_argument(
        "--holdout-end",
        metavar="DATE",
        help="last day of a holdout period after the calibration end: compare predicted and actual purchases",
    )
    p.add_argument(
        "--unit",
        choices=("week", "day"),
        default="week",
        help="time unit of recency, T, the horizon and alpha (default %(default)s)",
    )
    p.add_argument(
        "--horizon",
        type=float,
        metavar="N",
        help="predict purchases over the next N units (default: the holdout's length, else 52 weeks)",
    )
    p.add_argument(
        "--top",
        type=int,
        default=10,
        metavar="N",
        help="customers shown in the text table (default 10; --json and --csv give all)",
    )
    p.add_argument("--csv", metavar="OUT", help="write the per-customer table to this CSV file")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    add_read_options(p)


def _day(value: str, option: str) -> pd.Timestamp:
    import pandas as pd

    try:
        day = pd.Timestamp(value)
    except (ValueError, TypeError):
        day = None
    if day is None or pd.isna(day):
        raise CxError(f"{option} {value!r} is not a date; write it as YYYY-MM-DD (for example 2024-06-30).")
    return day.normalize()


_OPTION = {"customer_id": "--customer", "order_date": "--date", "order_value": "--value"}


def read_orders(path: str, customer: str, date: str, value: str | None = None, **read):
    """Read and validate the order export with the data layer (``cxlib.data.io``, kind ``orders``).

    A column that is not in the file is reported with the option that names it
    (``--customer``, ``--date``, ``--value``) instead of the library's ``columns=`` mapping.

    Parameters
    ----------
    path : str
        The order export (.csv, .tsv, .txt, .xlsx or .parquet), one row per order.
    customer : str
        The file's customer id column (``--customer``).
    date : str
        The file's order date column (``--date``).
    value : str, optional
        The file's order value column (``--value``); without it only purchases are modelled.
    **read
        Reading options passed to :func:`cxlib.data.io.read_table` (``sep``, ``encoding``,
        ``sheet``, ...).

    Returns
    -------
    tuple of (DataFrame, ReadReport)
        The orders with the schema's column names (``customer_id``, ``order_date`` and
        ``order_value``), and the report of how the file was read.

    Raises
    ------
    ValidationError
        Every problem of the file, a missing column named by its option.
    """

    from cxlib.data.io import read_table, with_options
    from cxlib.errors import ValidationError

    columns = {"customer_id": customer, "order_date": date}
    if value:
        columns["order_value"] = value
    try:
        return read_table(path, "orders", columns=columns, only=list(columns), report=True, **read)
    except ValidationError as err:
        raise with_options(err, _OPTION) from None


def analyse(
    df: pd.DataFrame,
    *,
    value: bool,
    calibration_end,
    holdout_end=None,
    unit: str = "week",
    horizon: float | None = None,
):
    """Fit the models on a validated order table (schema column names).

    Parameters
    ----------
    df : DataFrame
        Orders with the schema's column names, as returned by :func:`read_orders`.
    value : bool
        Whether ``df`` has ``order_value``: adds the Gamma-Gamma spend model.
    calibration_end : Timestamp
        Last day of the period the models learn from (included).
    holdout_end : Timestamp, optional
        Last day of a holdout period after ``calibration_end``, to compare predicted and
        actual repeat purchases.
    unit : {"week", "day"}, default "week"
        Time unit of recency, T and the horizon.
    horizon : float, optional
        Predict purchases over the next ``horizon`` units (default: the holdout's length,
        else 52 weeks).

    Returns
    -------
    CLVResult
        The fitted models and per-customer predictions (:func:`cxlib.analytics.clv.fit_clv`).

    Raises
    ------
    CxError
        The models cannot be fitted; the message names the command-line option to change.
    """
    from cxlib.analytics.clv import fit_clv

    try:
        return fit_clv(
            df,
            "customer_id",
            "order_date",
            "order_value" if value else None,
            calibration_end=calibration_end,
            holdout_end=holdout_end,
            unit=unit,
            horizon=horizon,
        )
    except CxError as exc:
        msg = str(exc).replace("Use a later calibration end", "Use a later --calibration-end")
        raise CxError(msg) from None


def _per_customer(res, id_name: str) -> pd.DataFrame:
    cols = ["frequency", "recency", "T", "expected_purchases", "probability_alive"]
    cols += [c for c in ("monetary_value", "expected_spend", "expected_value") if c in res.customers]
    cols += [c for c in ("frequency_holdout", "value_holdout") if c in res.customers]
    table = res.customers[cols].reset_index()
    table = table.rename(columns={table.columns[0]: id_name})
    table.insert(1, "first_purchase", res.customers["first_purchase"].dt.strftime("%Y-%m-%d").to_numpy())
    ids = table[id_name].astype(str)
    if ids.str.fullmatch(r"\d{1,18}").all():  # numeric ids read as text: 1, 2, ..., 10, not 1, 10, 100
        table = table.iloc[ids.astype("int64").argsort(kind="stable")].reset_index(drop=True)
    return table


def _result(res, args, rep, table: pd.DataFrame) -> dict:
    m = res.model
    out = {
        "file": Path(args.file).name,
        "rows_read": rep.rows_read,
        "rows_used": rep.rows,
        "empty_rows_dropped": rep.empty_rows_dropped,
        "unit": res.unit,
        "calibration_end": res.customers.attrs.get("calibration_end"),
        "holdout_end": res.customers.attrs.get("holdout_end"),
        "horizon": res.horizon,
        "customers": m.n_customers_,
        "repeat_customers": m.n_repeaters_,
        "params": {k: float(v) for k, v in m.params_.items()},
        "standard_errors": {k: float(v) for k, v in m.summary["se"].items()},
        "params_ci95": {k: [float(r.ci_low), float(r.ci_high)] for k, r in m.summary.iterrows()},
        "log_likelihood": m.log_likelihood_,
        "converged": m.converged_,
        "spend_params": None,
        "mean_spend_per_purchase": None,
        "holdout": res.holdout,
        "notes": list(res.notes),
    }
    if res.spend_model is not None:
        sm = res.spend_model
        out["spend_params"] = {k: float(v) for k, v in sm.params_.items()}
        try:
            out["mean_spend_per_purchase"] = sm.population_mean_spend()
        except CxError:
            out["mean_spend_per_purchase"] = None
    out["per_customer"] = table.to_dict(orient="records")
    return out


_MEANING = {
    "r": "purchase rate while active ~ Gamma(r, alpha): shape",
    "alpha": "purchase rate: scale (in {unit}s)",
    "a": "chance of dropping out after a purchase ~ Beta(a, b)",
    "b": "  (mean dropout chance a/(a+b) = {drop:.1%})",
}


def _text(r: dict, res, table: pd.DataFrame, top: int) -> str:
    import pandas as pd

    unit = r["unit"]
    lines = [f"Customer lifetime value (BG/NBD) of {r['file']}", ""]
    lines.append(
        f"  orders             {r['rows_used']:,} rows used of {r['rows_read']:,} read"
        + (f" ({r['empty_rows_dropped']:,} empty dropped)" if r["empty_rows_dropped"] else "")
    )
    lines.append(
        f"  calibration        to {r['calibration_end']} ({unit}s); {r['customers']:,} customers, "
        f"{r['repeat_customers']:,} with a repeat purchase"
    )
    lines.append("")
    lines.append("  params (95% intervals)")
    p, ci = r["params"], r["params_ci95"]
    drop = p["a"] / (p["a"] + p["b"])
    for k in ("r", "alpha", "a", "b"):
        lines.append(
            f"    {k:<6} {p[k]:8.3f}  [{ci[k][0]:.3f}, {ci[k][1]:.3f}]   " + _MEANING[k].format(unit=unit, drop=drop)
        )
    lines.append(f"  log-likelihood     {r['log_likelihood']:.1f}")
    if r["spend_params"]:
        sp = r["spend_params"]
        mean = r["mean_spend_per_purchase"]
        lines.append(
            f"  spend (Gamma-Gamma) p {sp['p']:.2f}, q {sp['q']:.2f}, gamma {sp['gamma']:.2f}"
            + (f"; mean spend per purchase {mean:,.2f}" if mean is not None else "")
        )
    if r["holdout"]:
        h = r["holdout"]
        diff = (h["predicted"] - h["actual"]) / h["actual"] if h["actual"] else float("nan")
        start = (pd.Timestamp(r["calibration_end"]) + pd.Timedelta(days=1)).date()
        lines.append(
            f"  holdout            {start} to {r['holdout_end']} ({h['duration']:g} {unit}s): "
            f"predicted {h['predicted']:,.1f} repeat purchases, actual {h['actual']:,}"
            + (f" ({diff:+.1%})" if h["actual"] else "")
        )
    lines.append("")
    sort = "expected_value" if "expected_value" in table else "expected_purchases"
    shown = table.sort_values(sort, ascending=False, kind="stable").head(max(top, 0))
    lines.append(
        f"  Top {len(shown)} of {len(table):,} customers by {sort.replace('_', ' ')} in the next "
        f"{r['horizon']:g} {unit}s (all: --csv FILE or --json):"
    )
    cols = [table.columns[0], "frequency", "recency", "T", "expected_purchases", "probability_alive"]
    cols += [c for c in ("expected_spend", "expected_value") if c in shown]
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        body = shown[cols].to_string(index=False, float_format=lambda v: f"{v:.3f}")
    lines += ["    " + line for line in body.splitlines()]
    if r["notes"]:
        lines.append("")
        lines.append("  Notes:")
        lines += [f"    - {n}" for n in r["notes"]]
    return "\n".join(lines)


def run(args) -> int:
    """Run ``cx clv``: check the options, read the orders, fit the models and print (or write) the results.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed arguments and options (see :func:`add_arguments`).

    Returns
    -------
    int
        The exit code, 0; bad options or a bad file raise a :class:`~cxlib.errors.CxError`
        (exit code 2 from ``cx``).
    """
    from cxlib.cli._output import print_json

    cal = _day(args.calibration_end, "--calibration-end")
    hold = _day(args.holdout_end, "--holdout-end") if args.holdout_end else None
    if hold is not None and hold <= cal:
        raise CxError(f"--holdout-end {hold.date()} must be after --calibration-end {cal.date()}.")
    if args.horizon is not None and not args.horizon > 0:
        raise CxError(f"--horizon must be a number > 0 ({args.unit}s), not {args.horizon:g}.")
    if args.top < 0:
        raise CxError("--top must be 0 or more.")
    if args.csv and Path(args.csv).resolve() == Path(args.file).resolve():
        raise CxError(f"--csv {args.csv} is the input file; choose another file name for the results.")
    df, rep = read_orders(args.file, args.customer, args.date, args.value, **read_kwargs(args))
    res = analyse(
        df, value=bool(args.value), calibration_end=cal, holdout_end=hold, unit=args.unit, horizon=args.horizon
    )
    table = _per_customer(res, args.customer)
    r = _result(res, args, rep, table)
    if args.csv:
        try:
            table.to_csv(args.csv, index=False)
        except OSError as exc:
            raise CxError(
                f"cannot write --csv {args.csv}: {exc.strerror or exc}. Check the folder exists and "
                "that you may write there."
            ) from None
        r["csv"] = str(args.csv)
    if args.json:
        print_json(r)
    else:
        print(_text(r, res, table, args.top))
        if args.csv:
            print(f"\n  per-customer table ({len(table):,} rows) written to {args.csv}")
    return 0
