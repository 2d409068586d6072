"""Exercises of lesson 07: correct, wrong and unattempted answers, and the known mistakes."""

from __future__ import annotations

from cxlib.analytics.economics import business_case_from_table, retention_economics
from cxlib.data import datasets
from cxlib.teaching.exercises import lesson07 as ex


def test_q1_kano():
    assert ex.q1.check("must-be").correct and ex.q1.check("Must-Be").correct
    fb = ex.q1.check("one-dimensional")
    assert fb.status == "incorrect" and "neutral" in fb.message
    assert "choose one of" in ex.q1.check("basic").message


def test_q2_clv_change():
    assert ex.q2.check(14.29).correct  # 110/0.35 vs 110/0.40: +14.3%
    assert ex.q2.check(retention_economics(100, [0.7], 0.1)["clv_change_pct"].iloc[0]).correct
    assert "Gupta" in ex.q2.check(22.45).message
    assert "percent" in ex.q2.check(0.1429).message
    assert "lifetime" in ex.q2.check(20.0).message
    assert ex.q2.check(10).status == "incorrect"


def test_q3_retention_for_18_percent():
    assert ex.q3.check(0.772).correct  # 1 − 0.05/0.18 + 0.05
    assert "service cost" in ex.q3.check(0.722).message
    assert "r × 1.05" in ex.q3.check(0.822).message
    assert "share" in ex.q3.check(77.2).message
    assert ex.q3.check("0.772").correct  # a number written as text is accepted (issue 12)


def test_q4_break_even():
    assert ex.q4.check(0.111).correct  # 10 / (0.3 · 300)
    assert "success rate" in ex.q4.check(0.033).message
    assert "upside down" in ex.q4.check(9.0).message
    assert ex.q4.check(0.2).status == "incorrect"


def test_q5_premium_business_case():
    snap = datasets.load_churn_snapshot()
    premium = snap[snap["plan"] == "Premium"].reset_index(drop=True)
    n = business_case_from_table(premium, n_draws=500, seed=0)["customers_contacted"]
    assert ex.q5.check(n).correct and ex.q5.check(int(n)).correct
    assert "every Premium customer" in ex.q5.check(len(premium)).message
    assert ex.q5.check(n + 5).status == "incorrect"
    assert "between 0" in ex.q5.check(-3).message
