"""Exercises of lesson 01: correct, wrong and unattempted answers, and the known mistakes."""

from __future__ import annotations

import pytest

from cxlib.analytics import drivers, economics
from cxlib.analytics.incentives import simulate_incentive
from cxlib.data import datasets
from cxlib.teaching.exercises import OpenExercise, PandasExercise, ____, exercises_of
from cxlib.teaching.exercises import lesson01 as ex

ALL = [ex.q1, ex.q2, ex.q3, ex.q4, ex.q5, ex.q6]


def test_q1_clv_conventions():
    assert ex.q1.check(450.0).correct
    assert "start-of-period" in ex.q1.check(550).message
    assert "no discounting" in ex.q1.check(1000).message
    assert ex.q1.check(400).status == "incorrect"
    assert ex.q1.check("450").correct  # a number written as text is accepted (issue 12)


def _referral_churn() -> float:
    econ = economics.customer_economics(datasets.load_activity(), datasets.load_customers()).set_index("group")
    return float(econ.loc["referral", "churn_rate"])


def test_q2_is_a_pandas_exercise_with_the_library_s_number():
    assert isinstance(ex.q2, PandasExercise) and ex.q2.cxlib_equivalent.endswith("customer_economics")
    activity, customers = datasets.load_activity(), datasets.load_customers()
    by_hand = activity.merge(customers[["customer_id", "acquisition_channel"]], on="customer_id")
    rate = by_hand.groupby("acquisition_channel")["churned"].mean()["referral"]
    assert ex.q2.expected_value() == pytest.approx(_referral_churn(), rel=1e-12) == pytest.approx(rate, rel=1e-12)


def test_q2_accepts_a_share_or_a_percent():
    rate = _referral_churn()
    for answer in (rate, round(rate, 3), f"{100 * rate:.1f}%", round(100 * rate, 2), f"{rate:.4f}"):
        fb = ex.q2.check(answer)
        assert fb.correct, (answer, fb.message)
        assert "customer_economics" in fb.message  # names the one call for next time
    assert ex.q2.check(____).status == "unattempted"


def test_q2_names_the_known_mistakes():
    econ = economics.customer_economics(datasets.load_activity(), datasets.load_customers()).set_index("group")
    assert "retention" in ex.q2.check(1 - _referral_churn()).message
    assert "store channel" in ex.q2.check(round(econ.loc["store", "churn_rate"], 4)).message
    assert "partner channel" in ex.q2.check(f"{100 * econ.loc['partner', 'churn_rate']:.1f}%").message
    per_customer = ex.q2.check(round(ex._churned_share_of_customers(), 3))
    assert per_customer.status == "incorrect" and "customer-months" in per_customer.message
    assert "3 decimal" in ex.q2.check(0.01).message
    assert ex.q2.check(0.05).status == "incorrect"


def test_q3_function():
    assert ex.q3.check(lambda a: a["churned"].sum() / len(a)).correct
    assert ex.q3.check(lambda a: a["churned"].mean()).correct
    per_customer = ex.q3.check(lambda a: a["churned"].sum() / a["customer_id"].nunique())
    assert per_customer.status == "incorrect" and "per customer" in per_customer.message
    assert "raised" in ex.q3.check(lambda a: a["nope"].mean()).message
    assert "function" in ex.q3.check(0.25).message


def test_q4_open_question_notes_a_real_answer_and_keeps_the_model_answer_for_trainers():
    assert isinstance(ex.q4, OpenExercise)
    answer = (
        "The reported NPS jumped from about 2 to 40 while the true NPS and retention did not move, so the "
        "team gamed whom it surveyed; I would not pay on NPS but on FCR verified by no repeat contact."
    )
    fb = ex.q4.check(answer)
    assert fb.status == "noted" and "check it yourself" in fb.message
    assert ex.q4.check("Article 000.").status == "incorrect"
    assert ex.q4.check(40).status == "incorrect"
    assert ex.q4.check(____).status == "unattempted"
    assert ex.q4.hint_problems() == []


def test_q4_model_answer_numbers_are_the_simulation_s():
    s = simulate_incentive(seed=0).summary.set_index("period")
    facts = ex.q4.facts()
    assert facts["reported_before"] == s.loc["before", "reported_nps"]
    assert facts["reported_paid"] == s.loc["paid on NPS", "reported_nps"]
    assert facts["true_paid"] == s.loc["paid on NPS", "true_nps"]
    assert facts["retention_before"] == s.loc["before", "retention"]
    model = ex.q4.expected_value()
    assert f"to {s.loc['paid on NPS', 'reported_nps']:.0f} points" in model
    assert f"{s.loc['paid on NPS', 'retention']:.1%}" in model
    assert "{" not in model


def test_q5_goodhart():
    s = simulate_incentive(seed=7, nudge=0, nudge_share=0).summary.set_index("period")
    rise = s.loc["paid on NPS", "reported_nps"] - s.loc["before", "reported_nps"]
    assert rise > 3  # cherry-picking alone inflates the score
    assert ex.q5.check(round(rise, 1)).correct
    assert "true" in ex.q5.check(s.loc["paid on NPS", "true_nps"] - s.loc["before", "true_nps"]).message
    assert "sign" in ex.q5.check(-rise).message
    assert ex.q5.check(rise + 5).status == "incorrect"


def test_q6_weakest_driver_is_the_basic():
    assert ex.q6.check("friendly_polite").correct  # the simulator inflates the 'basic' question
    assert ex.q6.check("Friendly-Polite").correct
    fb = ex.q6.check("value_for_money")
    assert fb.status == "incorrect" and "coefficient" in fb.message


def test_every_hint_ladder_keeps_the_solution_back():
    assert {name: q.hint_problems() for name, q in exercises_of(ex).items()} == {f"q{i}": [] for i in range(1, 7)}


def test_solution_code_computes_the_expected_answer():
    surveys, activity, customers = datasets.load_nps_surveys(), datasets.load_activity(), datasets.load_customers()
    for q in ALL:
        if isinstance(q, OpenExercise):  # answered in words: its model answer is checked above
            continue
        scope = {
            "economics": economics,
            "drivers": drivers,
            "simulate_incentive": simulate_incentive,
            "surveys": surveys,
            "activity": activity,
            "customers": customers,
        }
        exec(q.solution_code, scope)
        answer = scope.get("answer", scope.get("monthly_churn"))
        assert q.check(answer).correct, q.name
