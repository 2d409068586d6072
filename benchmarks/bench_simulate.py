"""Benchmark: simulate 100,000 customers over 24 months (target: at most 10 s on 2 cores).

Run: ``python benchmarks/bench_simulate.py`` (or ``make bench``). Exits 1 if the target is missed.
The Monte Carlo truth of the snapshot label is included, with 50 replicates.
"""

import sys
import time

from cxlib.simulation import simulate

TARGET_S = 10.0
N, MONTHS = 100_000, 24

t0 = time.perf_counter()
company = simulate(n_customers=N, months=MONTHS, seed=1, truth_replicates=50)
elapsed = time.perf_counter() - t0
rows = sum(len(df) for df in company.tables.values())
print(
    f"simulate {N:,} customers x {MONTHS} months: {elapsed:.2f} s "
    f"({rows:,} rows in all, {rows / elapsed:,.0f} rows/s); target <= {TARGET_S:.0f} s"
)
sys.exit(0 if elapsed <= TARGET_S else 1)
