"""Exercises of lesson 07: correct, wrong and unattempted answers, and the known mistakes."""

from __future__ import annotations

import pandas as pd
import pytest

from cxlib.analytics.economics import business_case, business_case_from_table, customer_economics, retention_economics
from cxlib.data import datasets
from cxlib.teaching.exercises import OpenExercise, PandasExercise, ____
from cxlib.teaching.exercises import lesson07 as ex


def test_q1_kano():
    assert ex.q1.check("must-be").correct and ex.q1.check("Must-Be").correct
    fb = ex.q1.check("one-dimensional")
    assert fb.status == "incorrect" and "neutral" in fb.message
    assert "choose one of" in ex.q1.check("basic").message


@pytest.fixture(scope="module")
def by_channel() -> pd.DataFrame:
    """Monthly retention per channel as the lesson's library computes it, and the pandas route."""
    activity, customers = datasets.load_activity(), datasets.load_customers()
    table = customer_economics(activity, customers).set_index("group").drop(index="all")
    channel = activity["customer_id"].map(customers.set_index("customer_id")["acquisition_channel"])
    by_hand = 1 - activity["churned"].groupby(channel).mean()
    return pd.DataFrame({"library": table["retention"], "pandas": by_hand})


def test_q2_retention_per_channel_with_pandas(by_channel):
    assert isinstance(ex.q2, PandasExercise) and ex.q2.cxlib_equivalent.endswith("customer_economics")
    pd.testing.assert_series_equal(ex.q2.expected_value(), by_channel["library"] ** 12, check_names=False)
    yearly = by_channel["pandas"] ** 12
    fb = ex.q2.check(yearly)
    assert fb.correct and "customer_economics" in fb.message  # names the one-call equivalent once right
    assert ex.q2.check(yearly.round(3)).correct and ex.q2.check(yearly.round(2)).correct  # whole percents too
    assert ex.q2.check((100 * yearly).round(1)).correct  # percents, read as shares
    assert ex.q2.check(yearly.rename(index=str.upper).to_dict()).correct  # a dict, labels in any case
    assert ex.q2.check(yearly.to_frame("retention")).correct  # a one-column table
    assert "monthly retentions" in ex.q2.check(by_channel["pandas"]).message
    assert "monthly churn rates" in ex.q2.check(1 - by_channel["pandas"]).message
    assert "lost in a year" in ex.q2.check(1 - yearly).message
    assert "compounds" in ex.q2.check(1 - 12 * (1 - by_channel["pandas"])).message
    assert "missing" in ex.q2.check(yearly.drop(index="store")).message
    wrong = yearly.copy()
    wrong["store"] += 0.02
    assert ex.q2.check(wrong).status == "incorrect" and "'store'" in ex.q2.check(wrong).message
    assert ex.q2.check(____).status == "unattempted"
    assert ex.q2.check(0.8).status == "incorrect"  # one number for every channel is not the answer


def test_q3_retention_for_18_percent():
    assert ex.q3.check(0.772).correct  # 1 − 0.05/0.18 + 0.05
    assert ex.q3.check("0.772").correct  # a number written as text is accepted (issue 12)
    assert ex.q3.check(77.2).correct and ex.q3.check("77.2%").correct  # a percent, read as a share
    assert "service cost" in ex.q3.check(0.722).message
    assert "service cost" in ex.q3.check("72.2%").message
    assert "r × 1.05" in ex.q3.check(0.822).message
    assert ex.q3.check(0.79).status == "incorrect"


@pytest.fixture(scope="module")
def lesson_case():
    """The capstone's case and the same list with the success rate known, as the lesson computes them."""
    case = business_case_from_table(datasets.load_churn_snapshot(), seed=0)
    known = business_case(case.p, case.value, offer_cost=10.0, success_rate=0.3, success_strength=1e6)
    return case, known


def test_q4_open_question_is_noted_and_its_model_answer_uses_the_library_s_numbers(lesson_case):
    assert isinstance(ex.q4, OpenExercise)
    answer = (
        "Paid on saves, the team would fill the list with low-risk customers who stay anyway, so most of "
        "the 472 'saves' would not be caused by the call. A randomised holdout compares the churn of the "
        "contacted with a random group not called: pay on that difference."
    )
    assert ex.q4.check(answer).status == "noted"
    assert "holdout group" in ex.q4.check(answer).message  # the learner's own checklist
    assert ex.q4.check("They would game it.").status == "incorrect"  # too short
    assert ex.q4.check(42).status == "incorrect"
    assert ex.q4.check(____).status == "unattempted"
    case, known = lesson_case
    facts = ex.q4.facts()
    listed = case.p[case.contacted]
    assert facts["contacted"] == case["customers_contacted"] == len(listed)
    assert facts["churners"] == pytest.approx(listed.sum())
    assert facts["saves"] == pytest.approx(case["expected_saves"])
    assert facts["stayers"] == pytest.approx(len(listed) - listed.sum())
    assert facts["ratio"] == pytest.approx((facts["stayers"] + facts["saves"]) / facts["saves"])
    assert [facts["net_low"], facts["net_high"]] == pytest.approx(case.summary.loc["net", ["low", "high"]].tolist())
    assert [facts["known_low"], facts["known_high"]] == pytest.approx(
        known.summary.loc["net", ["low", "high"]].tolist()
    )
    model = ex.q4.expected_value()
    assert f"list of {len(listed)} customers" in model and f"{facts['known_low']:,.0f}" in model
    assert "{" not in model  # every field filled


def test_q5_break_even():
    assert ex.q5.check(0.111).correct  # 10 / (0.3 · 300)
    assert ex.q5.check("11.1%").correct
    assert "success rate" in ex.q5.check(0.033).message
    assert "success rate" in ex.q5.check("3.3%").message
    assert "upside down" in ex.q5.check(9.0).message
    assert ex.q5.check(0.2).status == "incorrect"


def test_q6_premium_business_case():
    snap = datasets.load_churn_snapshot()
    premium = snap[snap["plan"] == "Premium"].reset_index(drop=True)
    n = business_case_from_table(premium, n_draws=500, seed=0)["customers_contacted"]
    assert ex.q6.check(n).correct and ex.q6.check(int(n)).correct
    assert "every Premium customer" in ex.q6.check(len(premium)).message
    assert ex.q6.check(n + 5).status == "incorrect"
    assert "between 0" in ex.q6.check(-3).message


def test_q7_clv_change():
    assert ex.q7.check(14.29).correct  # 110/0.35 vs 110/0.40: +14.3%
    assert ex.q7.check(retention_economics(100, [0.7], 0.1)["clv_change_pct"].iloc[0]).correct
    assert ex.q7.check(0.1429).correct and ex.q7.check("14.3%").correct  # a share, read as a percent
    assert "Gupta" in ex.q7.check(22.45).message
    assert "lifetime" in ex.q7.check(20.0).message
    assert ex.q7.check(10).status == "incorrect"


def test_the_lesson_has_a_pandas_exercise_and_an_open_question_with_sound_hints():
    kinds = [type(q) for q in (ex.q1, ex.q2, ex.q3, ex.q4, ex.q5, ex.q6, ex.q7)]
    assert any(issubclass(k, PandasExercise) for k in kinds) and any(issubclass(k, OpenExercise) for k in kinds)
    for q in (ex.q1, ex.q2, ex.q3, ex.q4, ex.q5, ex.q6, ex.q7):
        assert q.hint_problems() == [], q.name
