"""Benchmark of cxlib.analytics.churn: feature-building speed and the quality bar of ``cx churn``.

Targets (issue 6):

1. ``build_features`` on 1,000,000 customers x 24 months of activity in at most 30 s
   (2 cores). The synthetic activity table is generated here, quickly, with NumPy.
2. On the bundled ``churn_snapshot.csv``, the out-of-fold ROC AUC of ``cx churn`` is
   at least 0.98 x the oracle AUC (the AUC of the simulator's true probabilities,
   ``truth/churn_probability.csv``).

Run: ``python benchmarks/bench_churn.py`` (``--customers N`` for a smaller speed run).
Exits non-zero when a target is missed.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import pandas as pd


def synthetic_activity(n_customers: int, months: int = 24, seed: int = 0) -> pd.DataFrame:
    """A large activity table in the data contract's shape (about 10% leave over the window)."""
    rng = np.random.default_rng(seed)
    last = np.where(rng.random(n_customers) < 0.10, rng.integers(1, months, n_customers), months)  # months active
    start = np.where(rng.random(n_customers) < 0.15, rng.integers(0, months // 2, n_customers), 0)
    last = np.maximum(last, start + 1)
    n_rows = last - start
    cid = np.repeat(np.arange(n_customers, dtype=np.int64), n_rows)
    offs = np.arange(n_rows.sum()) - np.repeat(np.cumsum(n_rows) - n_rows, n_rows)
    m = np.repeat(start, n_rows) + offs
    total = len(cid)
    complaints = rng.poisson(0.08, total).astype(np.int32)
    df = pd.DataFrame(
        {
            "customer_id": pd.Categorical.from_codes(cid, [f"C{i:07d}" for i in range(n_customers)]),
            "month": (np.datetime64("2023-01", "M") + m.astype("timedelta64[M]")).astype("datetime64[ns]"),
            "usage_gb": rng.gamma(2.0, 5.0, total).astype(np.float32),
            "spend": rng.gamma(5.0, 6.0, total).astype(np.float32),
            "products_held": rng.integers(1, 4, total, dtype=np.int32),
            "care_contacts": rng.poisson(0.3, total).astype(np.int32),
            "complaints": complaints,
            "complaints_resolved": rng.binomial(complaints, 0.6).astype(np.int32),
            "positive_feedback": rng.poisson(0.1, total).astype(np.int32),
            "payment_issue": (rng.random(total) < 0.02).astype(np.int8),
            "help_video_views": rng.poisson(0.4, total).astype(np.int32),
            "help_article_views": rng.poisson(0.3, total).astype(np.int32),
            "churned": ((m == np.repeat(last, n_rows) - 1) & (np.repeat(last, n_rows) < months)).astype(np.int8),
        }
    )
    return df


def bench_speed(n_customers: int, target_s: float = 30.0) -> bool:
    from cxlib.features import build_features

    t0 = time.perf_counter()
    act = synthetic_activity(n_customers)
    t_gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    f = build_features(act, "2024-07-01", horizon=3)
    t = time.perf_counter() - t0
    scale = 1_000_000 / n_customers
    ok = t * scale <= target_s
    print(
        f"build_features: {len(act):,} activity rows ({n_customers:,} customers x 24 months; generated in "
        f"{t_gen:.1f} s) -> {len(f):,} active customers x {f.shape[1] - 2} features in {t:.1f} s "
        f"({len(act) / t:,.0f} rows/s); target <= {target_s:.0f} s per 1,000,000 customers"
        + (f" (scaled: {t * scale:.1f} s)" if scale != 1 else "")
        + f": {'OK' if ok else 'MISSED'}"
    )
    return ok


def bench_quality(ratio_target: float = 0.98) -> bool:
    import json
    import subprocess

    from cxlib.analytics.churn import evaluate
    from cxlib.data import datasets

    path = datasets.data_path("churn_snapshot.csv")
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "cxlib", "churn", str(path), "--target", "churned", "--id", "customer_id", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    t = time.perf_counter() - t0
    r = json.loads(out.stdout)
    snap = datasets.load_churn_snapshot()
    truth = datasets.load_truth().churn_probability.set_index("customer_id")["p_churn"].reindex(snap["customer_id"])
    oracle = evaluate(snap["churned"], truth.to_numpy())
    ratio = r["auc"] / oracle.auc
    ok = ratio >= ratio_target
    print(
        f"cx churn on churn_snapshot.csv ({r['n']:,} customers, churn rate {r['churn_rate']:.1%}, {t:.1f} s): "
        f"out-of-fold AUC {r['auc']:.3f} [{r['auc_ci_low']:.3f}, {r['auc_ci_high']:.3f}] vs oracle AUC "
        f"{oracle.auc:.3f} [{oracle.auc_ci_low:.3f}, {oracle.auc_ci_high:.3f}]: ratio {ratio:.3f}; "
        f"target >= {ratio_target}: {'OK' if ok else 'MISSED'}"
    )
    print(
        f"  PR AUC {r['pr_auc']:.3f} vs oracle {oracle.pr_auc:.3f}; top-decile lift {r['top_decile_lift']:.2f} "
        f"vs oracle {oracle.top_decile_lift:.2f}"
    )
    return ok


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--skip-quality", action="store_true")
    args = ap.parse_args(argv)
    ok = bench_speed(args.customers)
    if not args.skip_quality:
        ok = bench_quality() and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
