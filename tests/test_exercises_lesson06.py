"""Each exercise of lesson 06 accepts the right answer, rejects a wrong one, and waits for an attempt."""

from __future__ import annotations

import pytest

from cxlib.analytics.churn import top_decile_lift
from cxlib.data import datasets
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


def test_q2_oracle_lift(snap):
    p = datasets.load_truth().churn_probability.set_index("customer_id")["p_churn"].reindex(snap["customer_id"])
    lift = top_decile_lift(snap["churned"], p)
    assert 2 < lift < 1 / snap["churned"].mean()
    assert ex.q2.check(lift).correct
    assert not ex.q2.check(lift * snap["churned"].mean()).correct  # the top-decile rate, not the lift
    assert not ex.q2.check(1.0).correct


def test_q3_leak():
    assert ex.q3.check("b").correct
    fb = ex.q3.check("a")
    assert not fb.correct and "legitimate" in fb.message
    assert not ex.q3.check("z").correct


def test_q4_function():
    assert ex.q4.check(lambda p, value, cost, success: p * success * value - cost).correct
    assert not ex.q4.check(lambda p, value, cost, success: p * value - cost).correct
    assert "raised" in ex.q4.check(lambda p, value, cost, success: 1 / 0).message


def test_q5_break_even():
    assert ex.q5.check(20 / (0.25 * 360)).correct
    fb = ex.q5.check(20 / 360)
    assert not fb.correct and "success rate" in fb.message
