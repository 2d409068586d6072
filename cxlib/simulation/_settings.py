"""The simulator's default settings and size limits (nothing heavy is imported here)."""

from typing import Any

__all__ = ["DEFAULTS", "LIMITS"]

#: The settings of the bundled data.
DEFAULTS: dict[str, Any] = dict(
    n_customers=2500, months=24, start="2023-01-01", seed=20240101, cutoff="2024-07-01", horizon=3, truth_replicates=400
)


#: The largest company simulated without ``allow_large=True`` (``cx simulate --allow-large``):
#: 500,000 customers x 24 months take a few GB of memory and about a minute.
LIMITS: dict[str, int] = dict(n_customers=500_000, months=120, truth_replicates=2_000, customer_months=12_000_000)
