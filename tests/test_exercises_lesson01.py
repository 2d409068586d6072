"""Exercises of lesson 01: correct, wrong and unattempted answers, and the known mistakes."""

from __future__ import annotations

from cxlib.analytics import drivers, economics
from cxlib.analytics.incentives import simulate_incentive
from cxlib.data import datasets
from cxlib.teaching.exercises import lesson01 as ex

ALL = [ex.q1, ex.q2, ex.q3, ex.q4, ex.q5]


def test_q1_clv_conventions():
    assert ex.q1.check(450.0).correct
    assert "start-of-period" in ex.q1.check(550).message
    assert "no discounting" in ex.q1.check(1000).message
    assert ex.q1.check(400).status == "incorrect"
    assert ex.q1.check("450").correct  # a number written as text is accepted (issue 12)


def test_q2_channel_from_data():
    econ = economics.customer_economics(datasets.load_activity(), datasets.load_customers())
    best = econ.query("group != 'all'").sort_values("clv_cac")["group"].iloc[-1]
    assert ex.q2.check(best).correct and ex.q2.check(best.upper()).correct
    wrong = next(c for c in ex.q2.choices if c != best)
    fb = ex.q2.check(wrong)
    assert fb.status == "incorrect" and "CLV" in fb.message
    assert "choose one of" in ex.q2.check("tv").message


def test_q3_function():
    assert ex.q3.check(lambda a: a["churned"].sum() / len(a)).correct
    assert ex.q3.check(lambda a: a["churned"].mean()).correct
    per_customer = ex.q3.check(lambda a: a["churned"].sum() / a["customer_id"].nunique())
    assert per_customer.status == "incorrect" and "per customer" in per_customer.message
    assert "raised" in ex.q3.check(lambda a: a["nope"].mean()).message
    assert "function" in ex.q3.check(0.25).message


def test_q4_goodhart():
    s = simulate_incentive(seed=7, nudge=0, nudge_share=0).summary.set_index("period")
    rise = s.loc["paid on NPS", "reported_nps"] - s.loc["before", "reported_nps"]
    assert rise > 3  # cherry-picking alone inflates the score
    assert ex.q4.check(round(rise, 1)).correct
    assert "true" in ex.q4.check(s.loc["paid on NPS", "true_nps"] - s.loc["before", "true_nps"]).message
    assert "sign" in ex.q4.check(-rise).message
    assert ex.q4.check(rise + 5).status == "incorrect"


def test_q5_weakest_driver_is_the_basic():
    assert ex.q5.check("friendly_polite").correct  # the simulator inflates the 'basic' question
    fb = ex.q5.check("value_for_money")
    assert fb.status == "incorrect" and "coefficient" in fb.message


def test_solution_code_computes_the_expected_answer():
    surveys, activity, customers = datasets.load_nps_surveys(), datasets.load_activity(), datasets.load_customers()
    for q in ALL:
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
