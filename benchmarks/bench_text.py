"""Benchmark of cxlib.analytics.text: scoring 100,000 feedback comments with VADER.

Target (issue 8): 100,000 comments in at most 30 s on 2 cores. Two workloads:

* *realistic*: comments drawn from a few hundred distinct texts, as real
  feedback repeats a lot (the default ``dedupe=True`` scores each once);
* *all unique*: every comment different (a number appended), the worst case.

Run: ``python benchmarks/bench_text.py``; exits 1 if a target is missed.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from cxlib.analytics.text import labelled_examples, score_texts

N = 100_000
TARGET_S = 30.0


def make_comments(n: int, unique: bool, seed: int = 0) -> pd.Series:
    rng = np.random.default_rng(seed)
    base = labelled_examples()["text"].tolist() + [
        "Average service. Great value for money.",
        "Calls drop all the time.",
        "Excellent! The agent was wonderful and really cared.",
        "Slow and unhelpful answers.",
        "",
        "I waited for hours to talk to someone.",
        "خیلی خوب بود",
        "Support solves problems quickly.",
    ]
    pool = [f"{t} ({k})" if t else t for t in base for k in range(20)]  # ~480 distinct texts
    texts = pd.Series(np.asarray(pool, dtype=object)[rng.integers(0, len(pool), n)])
    if unique:
        texts = texts + " ref " + pd.Series(np.arange(n)).astype(str)
    return texts


def main() -> int:
    score_texts(["warm up"], progress=False)  # load the lexicon once
    failed = False
    for name, unique in (("realistic (repeats)", False), ("all unique", True)):
        texts = make_comments(N, unique)
        t0 = time.perf_counter()
        out = score_texts(texts, progress=False)
        dt = time.perf_counter() - t0
        ok = dt <= TARGET_S
        failed |= not ok
        print(
            f"{name:22s} {N:,} comments ({out.attrs['n_unique']:,} unique scored, "
            f"{out.attrs['n_blank']:,} blank, {out.attrs['n_non_english']:,} non-English): "
            f"{dt:6.2f} s, {N / dt:,.0f} comments/s; target <= {TARGET_S:.0f} s "
            f"[{'ok' if ok else 'MISSED'}]"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
