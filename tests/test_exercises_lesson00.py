"""Exercises of lesson 00: correct, wrong and unattempted answers, and the known mistakes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxlib.data import datasets
from cxlib.teaching.exercises import lesson00 as ex


@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    return datasets.load_customers()


@pytest.fixture(scope="module")
def ltr() -> pd.Series:
    return datasets.load_nps_surveys()["ltr"]


# --- q1: customers active at the end of the window ------------------------------------
def test_q1_expected_is_computed_from_the_data(customers):
    assert ex.q1.expected_value() == (customers["status"] == "active").sum()
    assert 0 < ex.q1.expected_value() < len(customers)


def test_q1_correct(customers):
    answer = (customers["status"] == "active").sum()  # a numpy integer, as pandas returns it
    assert ex.q1.check(answer).status == "correct"
    assert ex.q1.check(int(answer)).correct
    assert ex.q1.check(np.array([answer])).correct


def test_q1_wrong_answers_get_a_message_about_that_answer(customers):
    everyone = ex.q1.check(len(customers))
    assert everyone.status == "incorrect" and "including those who churned" in everyone.message
    churned = ex.q1.check(int((customers["status"] == "churned").sum()))
    assert "churned" in churned.message and not churned
    activity = datasets.load_activity()
    december = activity.loc[activity["month"] == activity["month"].max(), "customer_id"].nunique()
    assert december != ex.q1.expected_value()
    assert "cancelled during December" in ex.q1.check(december).message
    off_by_one = ex.q1.check(ex.q1.expected_value() + 1)
    assert off_by_one.status == "incorrect" and "smaller" in off_by_one.message


@pytest.mark.parametrize(
    "bad, words", [(2386.5, "whole number"), ("about 2386", "could not be read"), ([1, 2], "single number")]
)
def test_q1_bad_types(bad, words):
    feedback = ex.q1.check(bad)
    assert feedback.status == "incorrect" and words in feedback.message


# --- q2: share of promoters ------------------------------------------------------------
def test_q2_expected_is_computed_from_the_data(ltr):
    promoters = ltr.isin([9, 10]).sum() / ltr.notna().sum()
    assert ex.q2.expected_value() == pytest.approx(promoters)


def test_q2_correct_including_rounded(ltr):
    share = (ltr >= 9).mean()
    assert ex.q2.check(share).correct
    assert ex.q2.check(round(share, 2)).correct
    assert ex.q2.check(np.float64(round(share, 3))).correct


def test_q2_known_mistakes_are_named(ltr):
    cases = {
        (ltr >= 8).mean(): "8s as promoters",
        (ltr == 10).mean(): "a 9 is a promoter",
        (ltr >= 9).mean() - (ltr <= 6).mean(): "NPS divided by 100",
        (ltr <= 6).mean(): "detractors",
        100 * (ltr >= 9).mean(): "percentage",
    }
    for answer, words in cases.items():
        feedback = ex.q2.check(answer)
        assert feedback.status == "incorrect" and words in feedback.message, (answer, feedback)


def test_q2_wrong_and_out_of_range():
    far = ex.q2.expected_value() + 0.05
    assert ex.q2.check(far).status == "incorrect" and "smaller" in ex.q2.check(far).message
    assert "between 0 and 1" in ex.q2.check(-0.2).message
    assert "between 0 and 1" in ex.q2.check(250).message
    assert ex.q2.check(float("nan")).status == "incorrect"


def test_solutions_can_be_switched_off(monkeypatch):
    assert ex.q2.solution().status == "solution" and "ltr" in ex.q2.solution().code
    monkeypatch.setenv("CX_SOLUTIONS", "off")
    hidden = ex.q2.solution()
    assert hidden.status == "info" and not hidden.code


def test_solution_code_computes_the_expected_answer():
    """The shown solution is not just text: it really produces the expected answer."""
    for q in (ex.q1, ex.q2):
        scope = {"datasets": datasets}
        exec(q.solution_code, scope)
        assert q.check(scope["answer"]).correct, q.name
