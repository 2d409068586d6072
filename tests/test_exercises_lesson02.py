"""Exercises of lesson 02: correct, wrong and unattempted answers, and the known mistakes."""

from __future__ import annotations

import pytest

from cxlib import features
from cxlib.analytics import personas as P
from cxlib.data import datasets
from cxlib.teaching.exercises import lesson02 as ex


@pytest.fixture(scope="module")
def seg_data():
    feats = features.customer_features(
        datasets.load_customers(), datasets.load_activity(), datasets.load_interactions()
    )
    seg = P.Segmenter(k=4, feature_columns=features.DEFAULT_FEATURES, random_state=0).fit(feats)
    return feats, seg


def test_q1_rfm_lost(seg_data):
    r = P.rfm(datasets.load_activity(), date_column="month", amount_column="spend", asof="2025-01-01")
    groups = P.rfm_segment(r)
    lost = int((groups == "lost").sum())
    assert ex.q1.check(lost)
    # the "lost" customers have all churned: RFM re-discovers churn in a subscription business
    status = datasets.load_customers().set_index("customer_id")["status"]
    assert (status.reindex(groups[groups == "lost"].index) == "churned").all()
    wrong = ex.q1.check(int((groups == "at risk").sum()))
    assert wrong.status == "incorrect" and "at risk" in wrong.message
    assert ex.q1.check(lost + 1).status == "incorrect"


def test_q2_row_order():
    assert ex.q2.check("Row order ")
    fb = ex.q2.check("recency")
    assert fb.status == "incorrect" and "identical" in fb.message
    assert ex.q2.check("banana").status == "incorrect"


def test_q3_median_age_of_video_segment(seg_data):
    feats, seg = seg_data
    s = feats["help_video_views_mean"].groupby(seg.labels_).mean().idxmax()
    med = feats.loc[seg.labels_ == s, "age"].median()
    assert ex.q3.check(med)
    assert med < feats["age"].median()  # the video watchers are younger than the base
    fb = ex.q3.check(35)
    assert fb.status == "incorrect" and "illustration" in fb.message
    assert ex.q3.check(feats["age"].median()).status == "incorrect"


def test_q4_verdict_function():
    def good(j):
        return "stable" if j >= 0.75 else ("doubtful" if j >= 0.5 else "dissolved")

    def off_by_boundary(j):
        return "stable" if j > 0.75 else ("doubtful" if j >= 0.5 else "dissolved")

    assert ex.q4.check(good)
    fb = ex.q4.check(off_by_boundary)
    assert fb.status == "incorrect" and "0.75" in fb.message
    assert ex.q4.check("stable").status == "incorrect"


def test_q5_churn_after_cutoff_of_guided_segment(seg_data):
    from cxlib.features import later_churn

    activity = datasets.load_activity()
    feats_t0 = features.customer_features(
        datasets.load_customers(), activity, datasets.load_interactions(), cutoff="2024-07-01"
    )
    seg_t0 = P.Segmenter(k=4, feature_columns=features.DEFAULT_FEATURES, random_state=0).fit(feats_t0)
    later = later_churn(activity, "2024-07-01", horizon=6)
    assert set(feats_t0.index) == set(later.index)  # the same customers: active at the cutoff
    s = feats_t0["help_article_views_mean"].groupby(seg_t0.labels_).mean().idxmax()
    rates = P.rate_by_segment(seg_t0.labels_, later)
    rate = rates.loc[s, "rate"]
    assert ex.q5.check(rate) and ex.q5.check(round(rate, 2))
    assert "percentage" in ex.q5.check(100 * rate).message
    fb = ex.q5.check(1 - rate)
    assert fb.status == "incorrect" and "still active" in fb.message
    other = rates.drop(s)["rate"]
    other = other[(other - rate).abs() > 0.02].iloc[0]
    fb = ex.q5.check(other)
    assert fb.status == "incorrect" and "segment" in fb.message
    # the old, circular answer (status at the end of the window, full-window segments) is named
    feats, seg = seg_data
    churned = datasets.load_customers().set_index("customer_id")["status"].eq("churned").astype(int)
    s_full = feats["help_article_views_mean"].groupby(seg.labels_).mean().idxmax()
    circular = P.rate_by_segment(seg.labels_, churned).loc[s_full, "rate"]
    fb = ex.q5.check(circular)
    assert fb.status == "incorrect" and "circular" in fb.message
    # the personas differ on later churn: intervals of the extreme segments do not overlap
    assert rates["ci_high"].min() < rates["ci_low"].max()
