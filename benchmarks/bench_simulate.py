"""Benchmark: simulate 100,000 customers over 24 months (target: at most 10 s on 2 cores).

Run: ``python benchmarks/bench_simulate.py`` (or ``make bench``). Exits 1 if the target is missed.
The Monte Carlo truth of the snapshot label is included, with 50 replicates.

Measured (2-core machine shared with other jobs, so side by side with the previous code):

- before (main at 59768cf): 16.2 s on the idle machine; CPU-bound profile: the label's Monte Carlo
  7.2 s, assembling the tables 4.1 s, the months 2.6 s, the snapshot features 1.5 s.
- after (same numbers, bit for bit; simulator commits of 2026-12-02): about a quarter less CPU, and
  the Monte Carlo runs on the second core from the cutoff month on. Side by side with the previous
  code, wall time before -> after: 16.0 -> 10.0 s and 16.5 -> 10.5 s with one other job on the
  machine; 18.9-25.2 -> 13.9-17.3 s with both cores busy with other jobs (then the second thread
  cannot help). On the idle machine, a thread gave 10.7 and 11.4 s: the two halves compete for
  the GIL (the Monte Carlo alone takes 6.4-7.5 s, on the thread about 9 s).
- the Monte Carlo in a forked process (on Linux, when the process has no other thread and the work
  is at least a million customer-replicates; elsewhere the thread): 9.4, 9.9, 10.3, 8.7 and 9.8 s
  on the idle machine (target met in four runs of five: the Monte Carlo, which starts at the
  cutoff month after about 2.2 s, is now the long pole).
- what is left, per run: the Monte Carlo ~6 s alone (2 s of it the random draws themselves, the
  rest array arithmetic on ~330,000 rows per month and chunk), the 18 months before the cutoff
  ~2.3 s (the Monte Carlo needs their state), tables and snapshot features ~4 s (overlapping).
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
