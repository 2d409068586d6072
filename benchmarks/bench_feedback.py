"""Benchmark of cxlib.analytics.feedback (issue 8).

Targets: one FeedbackMonitor.update with 10,000 responses in at most 50 ms; ranking
1,000 agents (raw + empirical-Bayes shrinkage with intervals) from 1,000,000 responses
in at most 1 s. Prints times, rows/s and the targets; exits 1 if a target is missed.

    python benchmarks/bench_feedback.py
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from cxlib.analytics.feedback import AgentFeedback, FeedbackMonitor


def _responses(n_rows: int, n_agents: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    agent_ids = np.array([f"A{i:04d}" for i in range(n_agents)])
    p = rng.beta(8, 3, n_agents)
    a = rng.integers(0, n_agents, n_rows)
    sat = rng.random(n_rows) < p[a]
    csat = np.where(sat, rng.integers(4, 6, n_rows), rng.integers(1, 4, n_rows))
    return pd.DataFrame(
        {
            "agent_id": agent_ids[a],
            "team": np.char.add("T", (a % 20).astype(str)),
            "date": pd.Timestamp("2024-01-01"),
            "csat": csat,
        }
    )


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> int:
    ok = True
    # 1. monitor update
    base = _responses(50_000, 1_000, seed=1)
    batches = [_responses(10_000, 1_000, seed=s) for s in range(2, 8)]
    mon = FeedbackMonitor(base, levels=("overall", "team", "agent"))
    mon.update(batches[0])  # warm-up (first sight of every unit)
    it = iter(batches[1:])
    t = best_of(lambda: mon.update(next(it)), repeat=5)
    target = 0.050
    ok &= t <= target
    print(
        f"FeedbackMonitor.update, 10,000 responses (overall+team+agent charts): {t * 1000:.1f} ms "
        f"({10_000 / t:,.0f} rows/s); target <= {target * 1000:.0f} ms: {'OK' if t <= target else 'MISSED'}"
    )
    # 2. ranking
    big = _responses(1_000_000, 1_000, seed=9)
    for method in ("ml", "corrected", "mom"):
        t = best_of(lambda m=method: AgentFeedback(method=m).fit(big).summary, repeat=3)
        target = 1.0
        ok &= t <= target
        print(
            f"AgentFeedback(method={method!r}).fit, 1,000 agents from 1,000,000 responses: {t:.3f} s "
            f"({1_000_000 / t:,.0f} rows/s); target <= {target:.0f} s: {'OK' if t <= target else 'MISSED'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
