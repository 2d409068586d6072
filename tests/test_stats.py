"""cxlib.analytics.stats: the one Wilson interval and the one DeLong AUC the lessons share."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxlib.analytics.stats import check_target_scores, delong_auc_ci, wilson_interval
from cxlib.errors import CxError


def test_wilson_by_hand_and_empty_groups():
    # k = 12, n = 100, z = 1.96: centre 0.1304, half 0.0641 (cx_science §2 formula)
    lo, hi = wilson_interval([12, 0], [100, 0])
    assert lo[0] == pytest.approx(0.0700, abs=5e-4) and hi[0] == pytest.approx(0.1981, abs=5e-4)
    assert np.isnan(lo[1]) and np.isnan(hi[1])


@given(st.integers(0, 500), st.integers(1, 500))
def test_wilson_contains_the_rate_and_stays_in_0_1(k, n):
    k = min(k, n)
    lo, hi = wilson_interval(k, n)
    assert 0 <= lo <= k / n <= hi <= 1


def test_delong_matches_the_rank_auc_and_rejects_bad_input():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    p = rng.normal(y, 1.0)
    auc, se, lo, hi = delong_auc_ci(y, p)
    pairs = (p[y == 1][:, None] > p[y == 0][None, :]).mean()
    assert auc == pytest.approx(pairs) and lo < auc < hi and 0 < se < 0.05
    with pytest.raises(CxError, match="one class"):
        check_target_scores([1, 1], [0.2, 0.3])
    with pytest.raises(CxError, match="missing"):
        delong_auc_ci([0, 1], [0.2, np.nan])
    with pytest.raises(CxError, match="0/1"):
        delong_auc_ci([0, 2], [0.2, 0.3])
