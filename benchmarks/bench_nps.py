"""Benchmark: NPS with 95% intervals for 10,000,000 answers in 1,000 segments.

Targets (issue 5): ``cxlib.analytics.nps.nps_by`` takes at most 2 s, and is at least 10x faster
than the per-group Python way (``groupby().apply`` with a Python function that
computes the NPS and its interval). Prints both times, rows/s and the ratio; exits
non-zero if a target is missed. Run: ``python benchmarks/bench_nps.py [--rows N]``.

The segment column is a pandas categorical (what a 1,000-level segment column
should be); an integer-id segment column is timed too, for information.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import pandas as pd

from cxlib.analytics import nps as N

TARGET_SECONDS = 2.0
TARGET_RATIO = 10.0


def per_group_python(g: pd.DataFrame) -> pd.Series:
    """What an analyst typically writes: one Python call per segment."""
    s = g["ltr"].dropna()
    n = len(s)
    p, d = (s >= 9).mean(), (s <= 6).mean()
    est = 100 * (p - d)
    se = 100 * np.sqrt((p + d - (p - d) ** 2) / n)
    return pd.Series({"n": n, "nps": est, "ci_low": est - 1.96 * se, "ci_high": est + 1.96 * se})


def best_of(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--segments", type=int, default=1_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    rng = np.random.default_rng(0)
    seg_id = rng.integers(0, args.segments, args.rows)
    df = pd.DataFrame(
        {
            "segment": pd.Categorical.from_codes(seg_id, [f"S{i:04d}" for i in range(args.segments)]),
            "segment_id": seg_id,
            "ltr": rng.choice(11, args.rows, p=np.r_[np.full(7, 0.03), 0.14, 0.2, 0.22, 0.23]),
        }
    )
    print(f"{args.rows:,} answers in {args.segments:,} segments")

    N.nps_by(df.head(1000), "ltr", "segment")  # warm up imports
    t_vec, res = best_of(lambda: N.nps_by(df, "ltr", "segment"), args.repeat)
    t_int, _ = best_of(lambda: N.nps_by(df, "ltr", "segment_id"), args.repeat)
    t_loop, loop = best_of(lambda: df.groupby("segment", observed=True)[["ltr"]].apply(per_group_python), 1)

    # both ways agree (the Python function uses the Wald interval)
    wald = N.nps_by(df, "ltr", "segment", method="wald").summary
    assert np.allclose(wald["nps"].to_numpy(), loop["nps"].to_numpy())
    assert np.allclose(wald["ci_low"].to_numpy(), loop["ci_low"].to_numpy(), atol=1e-3)
    assert len(res.summary) == args.segments

    ratio = t_loop / t_vec
    print(
        f"cxlib.analytics.nps.nps_by (categorical segments): {t_vec:.3f} s  ({args.rows / t_vec:,.0f} rows/s)"
        f"  target <= {TARGET_SECONDS} s"
    )
    print(
        f"cxlib.analytics.nps.nps_by (integer segment ids):  {t_int:.3f} s  ({args.rows / t_int:,.0f} rows/s)  (info)"
    )
    print(f"groupby().apply(Python function):        {t_loop:.3f} s  ({args.rows / t_loop:,.0f} rows/s)")
    print(f"ratio: {ratio:.1f}x faster  target >= {TARGET_RATIO:.0f}x")
    ok = t_vec <= TARGET_SECONDS and ratio >= TARGET_RATIO
    print("PASS" if ok else "FAIL: a target was missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
