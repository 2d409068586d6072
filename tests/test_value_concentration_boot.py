"""value_concentration's bootstrap picks each top k without sorting a resample (issue 17 item 5).

The interval must be the one the plain method gives: resample customers with replacement,
sort the resample, add up its k largest values.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cxlib.analytics.devotees import value_concentration


def _sorted_reference(per: np.ndarray, tops, n_boot: int, seed: int, level: float = 0.95) -> np.ndarray:
    n = len(per)
    ks = [max(1, math.ceil(t * n)) for t in tops]
    rng = np.random.default_rng(seed)
    boot = np.empty((n_boot, len(ks)))
    for b in range(n_boot):
        sample = per[rng.integers(0, n, size=n)]
        desc = np.sort(sample)[::-1]
        boot[b] = [desc[:k].sum() / sample.sum() for k in ks]
    q = [(1 - level) / 2, (1 + level) / 2]
    return np.array([np.nanquantile(boot[:, j], q) for j in range(len(ks))])


@pytest.mark.parametrize("seed", [0, 7])
def test_bootstrap_interval_is_the_sorted_resamples(seed):
    rng = np.random.default_rng(seed)
    n = 300
    orders = pd.DataFrame(
        {
            "customer_id": rng.integers(0, n, 3 * n).astype(str),
            # ties on purpose: many customers with the same value
            "value": rng.choice([5.0, 5.0, 10.0, 40.0, 250.0], 3 * n),
        }
    )
    tops = [0.01, 0.1, 0.5, 0.99]
    vc = value_concentration(orders, "customer_id", "value", top=tops, n_boot=200, seed=seed)
    per = orders.groupby("customer_id")["value"].sum().to_numpy()
    want = _sorted_reference(per, tops, 200, seed)
    np.testing.assert_allclose(vc.table[["ci_low", "ci_high"]].to_numpy(), want, rtol=1e-12)
