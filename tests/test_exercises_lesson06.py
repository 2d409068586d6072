"""Each exercise of lesson 06 accepts the right answer, rejects a wrong one, and waits for an attempt."""

from __future__ import annotations

import pytest

from cxlib.analytics.churn import top_decile_lift
from cxlib.data import datasets
from cxlib.teaching.exercises import ____
from cxlib.teaching.exercises import lesson06 as ex


@pytest.fixture(scope="module")
def snap():
    return datasets.load_churn_snapshot()


def test_q1_accuracy_of_nobody_churns(snap):
    rate = snap["churned"].mean()
    assert ex.q1.check(1 - rate).correct
    fb = ex.q1.check(rate)
    assert not fb.correct and "churn rate" in fb.message
    assert not ex.q1.check(0.5).correct


def test_q2_oracle_lift_with_pandas(snap):
    p = datasets.load_truth().churn_probability.set_index("customer_id")["p_churn"].reindex(snap["customer_id"])
    lift = top_decile_lift(snap["churned"], p)
    assert 2 < lift < 1 / snap["churned"].mean()
    # by hand: sort by the true probability, keep the first tenth, divide its churn rate by the overall one
    ranked = snap.assign(p_true=p.to_numpy()).sort_values("p_true", ascending=False)
    by_hand = ranked.head(round(len(ranked) / 10))["churned"].mean() / snap["churned"].mean()
    assert by_hand == pytest.approx(lift, rel=0.01)
    for form in (lift, by_hand, round(lift, 2), f"{lift:.2f}"):
        assert ex.q2.check(form).correct, form
    assert "cxlib.analytics.churn.top_decile_lift" in ex.q2.check(lift).message
    assert "top decile" in ex.q2.check(lift * snap["churned"].mean()).message  # the rate, not the lift
    lowest = ranked.tail(round(len(ranked) / 10))["churned"].mean() / snap["churned"].mean()
    assert "lowest" in ex.q2.check(lowest).message
    assert not ex.q2.check(1.0).correct
    assert not any("top_decile_lift" in h for h in ex.q2.hints)


def test_q4_retention_plan_is_noted_and_its_model_answer_holds_the_library_s_numbers(snap):
    from cxlib.analytics import churn as C
    from cxlib.analytics import economics

    answer = (
        "Score customers on payment problems and unresolved complaints before the cutoff, validate on a "
        "later cutoff, value a save at its margin lifetime value and measure the success rate with a holdout."
    )
    assert ex.q4.check(answer).status == "noted"
    assert ex.q4.check("Call the risky ones.").status == "incorrect"  # too short to be an answer
    assert ex.q4.check(____).status == "unattempted"
    X, y = snap.drop(columns=["customer_id", "churned"]), snap["churned"]
    ev = C.ChurnModel().cross_validate(X, y, folds=5, seed=0)
    value, _ = economics.customer_values(snap["spend_last"], y, margin_rate=ex.MARGIN_RATE)
    plan = C.targeting_profit(ev.p, value, offer_cost=ex.OFFER_COST, success_rate=ex.SUCCESS_RATE, y=y)
    facts = ex.q4.facts()
    assert (facts["auc"], facts["auc_low"], facts["auc_high"]) == (ev.auc, ev.auc_ci_low, ev.auc_ci_high)
    assert (facts["best_n"], facts["best_profit"], facts["best_share"]) == (
        plan.best_n,
        plan.best_profit,
        plan.best_share,
    )
    assert facts["value"] == pytest.approx(value.mean())
    assert facts["break_even"] == pytest.approx(ex.OFFER_COST / (ex.SUCCESS_RATE * value.mean()))
    paid_late = snap["payment_issues_3m"] > 0
    assert facts["pay_with"] == pytest.approx(y[paid_late].mean())
    assert facts["pay_without"] == pytest.approx(y[~paid_late].mean())
    assert facts["pay_with"] > 2 * facts["pay_without"]
    model = ex.q4.expected_value()
    assert f"{plan.best_n} customers" in model and "holdout" in model and "{" not in model


def test_q3_leak():
    assert ex.q3.check("b").correct
    fb = ex.q3.check("a")
    assert not fb.correct and "legitimate" in fb.message
    assert not ex.q3.check("z").correct


def test_q5_function():
    assert ex.q5.check(lambda p, value, cost, success: p * success * value - cost).correct
    assert not ex.q5.check(lambda p, value, cost, success: p * value - cost).correct
    assert "raised" in ex.q5.check(lambda p, value, cost, success: 1 / 0).message


def test_q6_break_even():
    assert ex.q6.check(20 / (0.25 * 360)).correct
    fb = ex.q6.check(20 / 360)
    assert not fb.correct and "success rate" in fb.message
    assert not any("targeting_profit" in h for h in ex.q6.hints)
    # a share rounded to whole percents, or written as a percent, is right, as in every share question
    for answer in (0.22, "0.22", "22%", 22, "22.2%"):
        assert ex.q6.check(answer).correct, answer
    for answer in (0.2, 0.23, "21%"):
        assert not ex.q6.check(answer).correct, answer
    assert ex.q1.check(0.93).correct and ex.q1.check("93%").correct
