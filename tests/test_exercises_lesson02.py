"""Exercises of lesson 02: correct, wrong and unattempted answers, and the known mistakes."""

from __future__ import annotations

import pytest

from cxlib import features
from cxlib.analytics import personas as P
from cxlib.data import datasets
from cxlib.teaching.exercises import OpenExercise, PandasExercise, ____, exercises_of
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


def test_q6_verdict_function():
    def good(j):
        return "stable" if j >= 0.75 else ("doubtful" if j >= 0.5 else "dissolved")

    def off_by_boundary(j):
        return "stable" if j > 0.75 else ("doubtful" if j >= 0.5 else "dissolved")

    assert ex.q6.check(good)
    fb = ex.q6.check(off_by_boundary)
    assert fb.status == "incorrect" and "0.75" in fb.message
    assert ex.q6.check("stable").status == "incorrect"


@pytest.fixture(scope="module")
def at_cutoff():
    from cxlib.features import later_churn

    activity = datasets.load_activity()
    feats_t0 = features.customer_features(
        datasets.load_customers(), activity, datasets.load_interactions(), cutoff="2024-07-01"
    )
    seg_t0 = P.Segmenter(k=4, feature_columns=features.DEFAULT_FEATURES, random_state=0).fit(feats_t0)
    later = later_churn(activity, "2024-07-01", horizon=6)
    return feats_t0, seg_t0, later


def test_q4_churn_after_cutoff_of_guided_segment(seg_data, at_cutoff):
    feats_t0, seg_t0, later = at_cutoff
    assert isinstance(ex.q4, PandasExercise) and ex.q4.cxlib_equivalent.endswith("rate_by_segment")
    assert set(feats_t0.index) == set(later.index)  # the same customers: active at the cutoff
    s = feats_t0["help_article_views_mean"].groupby(seg_t0.labels_).mean().idxmax()
    rates = P.rate_by_segment(seg_t0.labels_, later)
    rate = rates.loc[s, "rate"]
    by_hand = later.groupby(seg_t0.labels_).mean()[s]  # what the pandas solution computes
    assert ex.q4.expected_value() == pytest.approx(rate, abs=1e-12) == pytest.approx(by_hand, abs=1e-12)
    for answer in (rate, round(rate, 2), 100 * rate, f"{100 * rate:.1f}%", f"{rate:.3f}"):
        fb = ex.q4.check(answer)
        assert fb.correct, (answer, fb.message)
        assert "rate_by_segment" in fb.message
    assert ex.q4.check(____).status == "unattempted"
    fb = ex.q4.check(1 - rate)
    assert fb.status == "incorrect" and "still active" in fb.message
    other = rates.drop(s)["rate"]
    other = other[(other - rate).abs() > 0.02].iloc[0]
    fb = ex.q4.check(f"{100 * other:.1f}%")
    assert fb.status == "incorrect" and "segment" in fb.message
    # the old, circular answer (status at the end of the window, full-window segments) is named
    feats, seg = seg_data
    churned = datasets.load_customers().set_index("customer_id")["status"].eq("churned").astype(int)
    s_full = feats["help_article_views_mean"].groupby(seg.labels_).mean().idxmax()
    circular = P.rate_by_segment(seg.labels_, churned).loc[s_full, "rate"]
    fb = ex.q4.check(circular)
    assert fb.status == "incorrect" and "circular" in fb.message
    # the personas differ on later churn: intervals of the extreme segments do not overlap
    assert rates["ci_high"].min() < rates["ci_low"].max()


def test_q5_open_question_notes_a_real_answer():
    assert isinstance(ex.q5, OpenExercise)
    answer = (
        "With five segments the low spenders split and the new older segment has a Jaccard of 0.57, "
        "doubtful, so I would keep four personas; the low spenders card: 28% of customers, median age 37."
    )
    fb = ex.q5.check(answer)
    assert fb.status == "noted" and "check it yourself" in fb.message
    assert ex.q5.check("Keep four.").status == "incorrect"
    assert ex.q5.check(____).status == "unattempted"


def test_q5_model_answer_numbers_are_the_library_s(seg_data, at_cutoff):
    feats, seg = seg_data
    feats_t0, seg_t0, later = at_cutoff
    facts = ex.q5.facts()
    five = P.Segmenter(k=5, feature_columns=features.DEFAULT_FEATURES, random_state=0).fit(feats)
    jaccard = five.stability(n_boot=20).jaccard["jaccard"]
    assert facts["weakest_jaccard"] == pytest.approx(jaccard.min(), abs=1e-12)
    assert facts["verdict"] == (
        "stable" if jaccard.min() >= 0.75 else "dissolved" if jaccard.min() < 0.5 else "doubtful"
    )
    assert facts["four_min_jaccard"] == pytest.approx(seg.stability(n_boot=20).jaccard["jaccard"].min(), abs=1e-12)
    low = feats["spend_mean"].groupby(seg.labels_).mean().idxmin()
    assert facts["low_size"] == int((seg.labels_ == low).sum())
    assert facts["low_age"] == feats.loc[seg.labels_ == low, "age"].median()
    low_t0 = feats_t0["spend_mean"].groupby(seg_t0.labels_).mean().idxmin()
    churn = P.rate_by_segment(seg_t0.labels_, later).loc[low_t0]
    assert (facts["low_churn"], facts["low_churn_low"], facts["low_churn_high"]) == pytest.approx(
        (churn["rate"], churn["ci_low"], churn["ci_high"]), abs=1e-12
    )
    model = ex.q5.expected_value()
    assert "{" not in model and f"{jaccard.min():.2f}" in model and f"{facts['low_size']:,} customers" in model


def test_every_hint_ladder_keeps_the_solution_back():
    assert {name: q.hint_problems() for name, q in exercises_of(ex).items()} == {f"q{i}": [] for i in range(1, 7)}
