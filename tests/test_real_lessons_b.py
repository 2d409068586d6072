"""The analyses behind the "On real data" sections of lessons 03-06 (issue 14, item 2).

Hand-computed cases for the functions added for them (correlation intervals, agreement of a
sentiment score with human ratings, a risk ratio seen through a noisy classifier, the
control chart of a customer cohort around its expected decay), their edge cases and bad
input, and one check of each on the bundled real set it was written for.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cxlib.analytics.correlation import correlation, correlation_interval
from cxlib.analytics.emotion import misclassified_risk_ratio
from cxlib.analytics.text import rating_agreement
from cxlib.errors import CxError


# ------------------------------------------------------------------------------------------
# correlation intervals
# ------------------------------------------------------------------------------------------
def test_correlation_interval_pearson_by_hand():
    z, se = math.atanh(0.5), 1 / math.sqrt(18)
    q = stats.norm.ppf(0.975)
    low, high = correlation_interval(0.5, 21)
    assert low == pytest.approx(math.tanh(z - q * se))
    assert high == pytest.approx(math.tanh(z + q * se))
    assert (round(low, 3), round(high, 3)) == (0.087, 0.766)


def test_correlation_interval_spearman_is_wider_by_bonett_wright():
    r, n = 0.6, 50
    se = math.sqrt((1 + r**2 / 2) / (n - 3))
    low, high = correlation_interval(r, n, method="spearman")
    assert low == pytest.approx(math.tanh(math.atanh(r) - stats.norm.ppf(0.975) * se))
    pearson = correlation_interval(r, n)
    assert low < pearson[0] and high > pearson[1]


@pytest.mark.parametrize(
    ("r", "n", "method", "level"),
    [(1.0, 10, "pearson", 0.95), (0.3, 3, "pearson", 0.95), (0.3, 10, "kendall", 0.95), (0.3, 10, "pearson", 95)],
)
def test_correlation_interval_bad_input(r, n, method, level):
    with pytest.raises(CxError):
        correlation_interval(r, n, method=method, level=level)


def test_correlation_drops_blank_pairs_and_matches_scipy():
    x = [1, 2, 3, 4, 5, 6, np.nan, 8]
    y = [2, 1, 4, 3, 6, 5, 7, np.nan]
    c = correlation(x, y)
    assert c.n == 6 and c.n_missing == 2
    assert c.r == pytest.approx(stats.spearmanr([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 6, 5])[0])
    assert c.ci_low < c.r < c.ci_high
    assert "2 pairs with a blank left out" in repr(c)
    p = correlation(x, y, method="pearson")
    assert p.r == pytest.approx(stats.pearsonr([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 6, 5])[0])


def test_correlation_interval_covers_about_95_percent():
    rng = np.random.default_rng(11)
    cov = [[1, 0.6], [0.6, 1]]
    rho_s = 6 / np.pi * np.arcsin(0.6 / 2)  # Spearman's rho of a bivariate normal
    hits = 0
    for _ in range(400):
        xy = rng.multivariate_normal([0, 0], cov, size=60)
        c = correlation(xy[:, 0], xy[:, 1])
        hits += c.ci_low <= rho_s <= c.ci_high
    assert 0.91 <= hits / 400 <= 0.99


@pytest.mark.parametrize(
    ("x", "y"),
    [([1, 2, 3], [1, 2, 3]), ([1, 1, 1, 1, 1], [1, 2, 3, 4, 5]), ([1, 2, 3, 4], [1, 2, 3]), (["a"] * 5, [1] * 5)],
)
def test_correlation_bad_input(x, y):
    with pytest.raises(CxError):
        correlation(x, y)


# ------------------------------------------------------------------------------------------
# agreement of a sentiment score with human ratings
# ------------------------------------------------------------------------------------------
def test_rating_agreement_by_hand():
    t = pd.DataFrame(
        {
            "kind": ["a"] * 6 + ["b"] * 5,
            "compound": [0.8, 0.4, 0.0, -0.3, -0.7, 0.6, 0.5, 0.3, -0.2, -0.6, 0.01],
            "rating": [2.5, 1.0, -0.5, -1.5, -3.0, 0.0, -1.0, 2.0, 1.0, -2.0, 3.0],
        }
    )
    out = rating_agreement(t, "compound", "rating", "kind").set_index("kind")
    # a: the rating-0 text is left out; of the other five, only the 0.0 score (neutral) misses
    assert out.loc["a", "n_signed"] == 5 and out.loc["a", "sign_agreement"] == pytest.approx(0.8)
    assert out.loc["a", "called_neutral"] == pytest.approx(0.2)
    # b: 0.5 on a negative text, -0.2 on a positive one and 0.01 (neutral) on a positive one miss
    assert out.loc["b", "sign_agreement"] == pytest.approx(2 / 5)
    assert out.loc["b", "spearman"] == pytest.approx(stats.spearmanr(t.compound[6:], t.rating[6:])[0])
    lo, hi = out.loc["a", ["sign_low", "sign_high"]]
    assert (round(lo, 3), round(hi, 3)) == (0.376, 0.964)  # Wilson 4/5
    assert list(out.index) == ["a", "b"]


def test_rating_agreement_thresholds_and_blanks():
    t = pd.DataFrame({"s": [0.04, 0.5, -0.5, 0.3, np.nan, 0.2], "r": [1.0, 2.0, -2.0, 1.0, 1.0, -1.0]})
    default = rating_agreement(t, "s", "r")
    assert default.loc[0, "n"] == 5 and default.loc[0, "n_missing"] == 1
    assert default.loc[0, "sign_agreement"] == pytest.approx(3 / 5)
    loose = rating_agreement(t, "s", "r", positive=0.01, negative=-0.01)
    assert loose.loc[0, "sign_agreement"] == pytest.approx(4 / 5)


def test_rating_agreement_bad_input():
    t = pd.DataFrame({"s": [0.1, 0.2, 0.3, 0.4], "r": [1, 2, 3, 4]})
    with pytest.raises(CxError, match="rating"):
        rating_agreement(t, "s", "rating")
    with pytest.raises(CxError):
        rating_agreement(t, "s", "r", positive=-0.5, negative=0.5)
    with pytest.raises(CxError):
        rating_agreement(t.head(3), "s", "r")


def test_rating_agreement_on_the_real_rated_texts():
    from cxlib.analytics.text import score_texts
    from cxlib.data.datasets import load_rated_texts

    rated = load_rated_texts().groupby("kind", sort=False).sample(n=300, random_state=0)
    rated = rated.join(score_texts(rated["text"], progress=False)["compound"])
    out = rating_agreement(rated, "compound", "mean_rating", "kind").set_index("kind")
    assert list(out.index) == ["tweets", "movie_reviews", "nyt_editorials"]
    # VADER's rules were partly built from tweets: it agrees with people far better there
    assert out.loc["tweets", "spearman_low"] > out.loc["movie_reviews", "spearman_high"]
    assert out.loc["tweets", "sign_low"] > out.loc["nyt_editorials", "sign_high"]


# ------------------------------------------------------------------------------------------
# a risk ratio seen through a noisy classifier
# ------------------------------------------------------------------------------------------
def test_misclassified_risk_ratio_by_hand():
    # pi 0.3, Se 0.8, Sp 0.9, r1 0.6, r0 0.2
    exposed = (0.3 * 0.8 * 0.6 + 0.7 * 0.1 * 0.2) / (0.3 * 0.8 + 0.7 * 0.1)
    unexposed = (0.3 * 0.2 * 0.6 + 0.7 * 0.9 * 0.2) / (0.3 * 0.2 + 0.7 * 0.9)
    assert misclassified_risk_ratio(3, 0.2, 0.3, 0.8, 0.9) == pytest.approx(exposed / unexposed)
    assert misclassified_risk_ratio(3, 0.2, 0.3, 1.0, 1.0) == pytest.approx(3.0)
    assert misclassified_risk_ratio(0.5, 0.4, 0.5, 1.0, 1.0) == pytest.approx(0.5)


def test_misclassified_risk_ratio_moves_towards_one_as_accuracy_falls():
    seen = [misclassified_risk_ratio(3, 0.2, 0.3, acc, acc) for acc in (1.0, 0.9, 0.8, 0.7, 0.6)]
    assert all(a > b > 1 for a, b in zip(seen, seen[1:]))
    protective = [misclassified_risk_ratio(0.5, 0.4, 0.3, acc, acc) for acc in (1.0, 0.8, 0.6)]
    assert all(a < b < 1 for a, b in zip(protective, protective[1:]))


def test_misclassified_risk_ratio_matches_a_simulation():
    rng = np.random.default_rng(5)
    n = 400_000
    exposed = rng.random(n) < 0.3
    outcome = rng.random(n) < np.where(exposed, 0.6, 0.2)
    called = np.where(exposed, rng.random(n) < 0.75, rng.random(n) < 0.2)  # Se 0.75, Sp 0.8
    seen = outcome[called].mean() / outcome[~called].mean()
    assert seen == pytest.approx(misclassified_risk_ratio(3, 0.2, 0.3, 0.75, 0.8), rel=0.02)


@pytest.mark.parametrize(
    "args",
    [
        (0, 0.2, 0.3, 0.8, 0.9),
        (3, 0.5, 0.3, 0.8, 0.9),
        (3, 0.2, 1.0, 0.8, 0.9),
        (3, 0.2, 0.3, 0.5, 0.5),
        (3, 0.2, 0.3, 1.2, 0.9),
    ],
)
def test_misclassified_risk_ratio_bad_input(args):
    with pytest.raises(CxError, match="misclassified_risk_ratio"):
        misclassified_risk_ratio(*args)


# ------------------------------------------------------------------------------------------
# a cohort's daily purchases on a control chart
# ------------------------------------------------------------------------------------------
def _orders():
    return pd.DataFrame(
        {
            "id": [1, 1, 1, 2, 2, 3, 3],
            "day": ["2024-01-01", "2024-01-01", "2024-01-03", "2024-01-02", "2024-01-03", "2024-01-03", "2024-01-05"],
        }
    )


def test_cohort_daily_buyers_by_hand():
    from cxlib.analytics.cohort_chart import cohort_daily_buyers

    out = cohort_daily_buyers(_orders(), "id", "day")
    assert list(out.index.strftime("%d")) == ["01", "02", "03", "04", "05"]
    # acquired before each day: 0, 1 (id 1), 2 (ids 1, 2), 3, 3; repeats: 1 and 2 on the 3rd, 3 on the 5th
    assert out["customers"].tolist() == [0, 1, 2, 3, 3]
    assert out["repeat_buyers"].tolist() == [0, 0, 2, 0, 1]
    window = cohort_daily_buyers(_orders(), "id", "day", start="2024-01-04", end="2024-01-07")
    assert window["customers"].tolist() == [3, 3, 3, 3] and window["repeat_buyers"].tolist() == [0, 1, 0, 0]


def test_cohort_daily_buyers_bad_input():
    from cxlib.analytics.cohort_chart import cohort_daily_buyers

    with pytest.raises(CxError, match="when"):
        cohort_daily_buyers(_orders(), "id", "when")
    bad = _orders().assign(day=["2024-01-01", "soon", None, "2024-01-02", "2024-01-03", "2024-01-03", "x"])
    with pytest.raises(CxError, match="not dates"):
        cohort_daily_buyers(bad, "id", "day")
    with pytest.raises(CxError, match="blank"):
        cohort_daily_buyers(_orders().assign(day=[None] + _orders()["day"].tolist()[1:]), "id", "day")
    with pytest.raises(CxError, match="no customer id"):
        cohort_daily_buyers(_orders().assign(id=[1, None, 1, 2, 2, 3, 3]), "id", "day")
    with pytest.raises(CxError, match="after end"):
        cohort_daily_buyers(_orders(), "id", "day", start="2024-02-01", end="2024-01-01")


def test_p_chart_expected_by_hand_and_flat_case_matches_p_chart():
    from cxlib.analytics.cohort_chart import p_chart_expected
    from cxlib.analytics.feedback import p_chart

    out = p_chart_expected([5, 9, 0], [100, 100, 0], [5.0, 2.0, 0.0])
    sd = math.sqrt(0.02 * 0.98 / 100)
    assert out.loc[1, "ucl"] == pytest.approx(0.02 + 3 * sd)
    assert out["signal"].tolist() == ["", "above", ""]
    assert np.isnan(out.loc[2, "p"])
    d, n = [6, 48, 10], [50, 400, 400]
    flat = p_chart(d, n, p0=0.12)
    same = p_chart_expected(d, n, [0.12 * k for k in n])
    assert np.allclose(flat[["lcl", "ucl"]], same[["lcl", "ucl"]])
    assert flat["signal"].tolist() == same["signal"].tolist() == ["", "", "below"]


@pytest.mark.parametrize(
    ("d", "n", "e", "sigma"),
    [([1, 2], [10], [1, 1], 3), ([11], [10], [1], 3), ([1], [10], [12], 3), ([-1], [10], [1], 3), ([1], [10], [1], 0)],
)
def test_p_chart_expected_bad_input(d, n, e, sigma):
    from cxlib.analytics.cohort_chart import p_chart_expected

    with pytest.raises(CxError):
        p_chart_expected(d, n, e, sigma=sigma)


def test_expected_cohort_purchases_adds_up_the_model_per_customer():
    from cxlib.analytics.clv import BetaGeoModel, summarize_orders
    from cxlib.analytics.cohort_chart import expected_cohort_purchases
    from cxlib.data.datasets import load_cdnow

    sample = load_cdnow(sample=True)
    model = BetaGeoModel().fit(summarize_orders(sample, "customer_id", "date", calibration_end="1997-09-30"))
    first = pd.to_datetime(["1997-01-01", "1997-01-01", "1997-01-10"])
    days = pd.date_range("1997-01-01", "1997-03-31")
    out = expected_cohort_purchases(model, first, days)
    assert out.iloc[0] == 0  # nobody buys again on their first day
    # by 31 March: two customers 89 days after their first purchase, one 80 days after
    total = 2 * model.expected_purchases_new(89 / 7) + model.expected_purchases_new(80 / 7)
    assert out.sum() == pytest.approx(total)
    in_days = expected_cohort_purchases(model, first, days, unit="day")
    assert in_days.sum() == pytest.approx(2 * model.expected_purchases_new(89) + model.expected_purchases_new(80))
    with pytest.raises(CxError, match="unit"):
        expected_cohort_purchases(model, first, days, unit="month")


def test_cdnow_cohort_decays_and_the_expected_decay_takes_most_alarms_away():
    from cxlib.analytics import clv
    from cxlib.analytics.cohort_chart import cohort_daily_buyers, expected_cohort_purchases, p_chart_expected
    from cxlib.analytics.feedback import p_chart
    from cxlib.data.datasets import load_cdnow

    cdnow = load_cdnow()
    daily = cohort_daily_buyers(cdnow, "customer_id", "date", start="1997-04-01")
    assert (daily["customers"] == 23570).all()  # the last newcomer arrived on 25 March 1997
    sample = load_cdnow(sample=True)
    model = clv.BetaGeoModel().fit(clv.summarize_orders(sample, "customer_id", "date", calibration_end="1997-09-30"))
    expected = expected_cohort_purchases(model, cdnow.groupby("customer_id")["date"].min(), daily.index)
    # the 1/10 sample's model under-predicts the whole cohort's holdout purchases by about 15%
    # (16,664 expected, 19,684 made: the holiday season and March 1998 are in the holdout)
    holdout = daily.index >= "1997-10-01"
    ratio = expected[holdout].sum() / daily.loc[holdout, "repeat_buyers"].sum()
    assert 0.8 < ratio < 0.9
    flat = p_chart(daily["repeat_buyers"], daily["customers"], baseline=daily.index < "1997-05-01")
    decay = p_chart_expected(daily["repeat_buyers"], daily["customers"], expected)
    assert (flat["signal"] == "below").mean() > 0.6
    assert (decay["signal"] != "").mean() < 0.3
