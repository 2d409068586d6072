"""``cx simulate``: generate the synthetic company's tables as CSV files."""

from __future__ import annotations

from pathlib import Path

from cxlib.simulation import DEFAULTS, LIMITS

NAME = "simulate"
HELP = "generate Simorgh Mobile's tables (with ground truth) as CSV files"
DESCRIPTION = """Generate the synthetic company Simorgh Mobile and write its tables (CSV, or Parquet with --format parquet) into DIR:
customers, activity, agents, interactions, agent_feedback, nps_surveys, churn_snapshot, and the
ground truth in DIR/truth (including truth/churn_probability.csv, the true probability of each
snapshot label). The same seed always gives the same files.

examples:
  cx simulate --customers 5000 --months 24 --seed 7 --out mydata
  cx simulate --customers 20000 --format parquet --out company"""


def add_arguments(p) -> None:
    """Declare the arguments and options of ``cx simulate``.

    Parameters
    ----------
    p : argparse.ArgumentParser
        The subcommand's parser, created by :func:`cxlib.cli.build_parser`.
    """
    p.add_argument(
        "--customers",
        type=int,
        default=DEFAULTS["n_customers"],
        metavar="N",
        help=f"customers at the start (default {DEFAULTS['n_customers']})",
    )
    p.add_argument(
        "--months",
        type=int,
        default=DEFAULTS["months"],
        metavar="M",
        help=f"months to simulate (default {DEFAULTS['months']})",
    )
    p.add_argument("--seed", type=int, default=DEFAULTS["seed"], metavar="S", help="random seed")
    p.add_argument("--start", default=DEFAULTS["start"], help="first month, YYYY-MM-01 (default %(default)s)")
    p.add_argument(
        "--cutoff", default=None, help="snapshot cutoff month, YYYY-MM-01 (default: 6 months before the end)"
    )
    p.add_argument(
        "--replicates",
        type=int,
        default=DEFAULTS["truth_replicates"],
        metavar="R",
        help=f"Monte Carlo replicates for the true churn probability of each snapshot customer (default "
        f"{DEFAULTS['truth_replicates']}, as the bundled data). Its cost grows with customers x replicates: "
        f"about 0.13 s per replicate per 100,000 customers on one core, so the default takes about a minute "
        f"for 100,000 customers (a progress bar shows it); fewer replicates are quicker and noisier "
        f"(standard error about 0.5/sqrt(R))",
    )
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write the CSV files into")
    p.add_argument(
        "--format",
        choices=("csv", "parquet"),
        default="csv",
        dest="file_format",
        help="the tables' file format: csv (default, as the bundled data) or parquet (as data platforms "
        "export; cx nps, agents and validate count Parquet with DuckDB). The truth is always CSV.",
    )
    p.add_argument(
        "--allow-large",
        action="store_true",
        help=f"allow more than {LIMITS['n_customers']:,} customers, {LIMITS['months']} months or "
        f"{LIMITS['customer_months']:,} customer-months (needs memory and time)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args) -> int:
    """Run ``cx simulate`` with parsed arguments and print its result.

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
    from tqdm.auto import tqdm

    from cxlib.cli._output import progress_stream
    from cxlib.simulation import simulate

    quiet = args.quiet or args.customers < 20000
    tqdm.monitor_interval = 0  # no monitor thread: the Monte Carlo may then run in a forked process

    def bar(total: int, unit: str, desc: str, position: int = 0):
        return tqdm(total=total, unit=unit, desc=desc, file=progress_stream(), disable=quiet, position=position)

    def follow(b):  # a progress callback: move the bar to k, close it at its total (its time stays)
        def update(k: int) -> None:
            b.update(k - b.n)
            if k >= b.total:
                b.close()

        return update

    months = bar(args.months, "month", "simulating the months")
    truth = bar(args.replicates, "replicate", "true churn probability (Monte Carlo)", position=1)
    try:
        company = simulate(
            n_customers=args.customers,
            months=args.months,
            seed=args.seed,
            start=args.start,
            cutoff=args.cutoff,
            truth_replicates=args.replicates,
            progress=follow(months),
            truth_progress=follow(truth),
            allow_large=args.allow_large,
        )
    finally:
        months.close()
        truth.close()
    out = Path(args.out)
    fmt = args.file_format
    writing = bar(len(company.tables) + 5, "file", f"writing {fmt} files to {out}")
    try:
        files = company.write(out, progress=follow(writing), file_format=fmt)
    finally:
        writing.close()
    print(f"wrote {len(files)} files to {out}/")
    for name, df in company.tables.items():
        print(f"  {name + '.' + fmt:<26} {len(df):>10,} rows")
    print("  truth/ (churn_probability.csv, monthly.csv, customers.csv, agents.csv, summary.json)")
    return 0
