"""Exercises of lesson 05: correct, wrong and unattempted answers, and the known mistakes."""

from __future__ import annotations

import pandas as pd
import pytest

from cxlib.analytics import nps as N
from cxlib.data import datasets
from cxlib.teaching.exercises import lesson05 as ex

ALL = [ex.q1, ex.q2, ex.q3, ex.q4, ex.q5]


@pytest.mark.parametrize("q", ALL, ids=lambda q: q.name)
def test_solution_code_is_correct(q):
    surveys = datasets.load_nps_surveys()
    ns = {"N": N, "pd": pd, "datasets": datasets, "surveys": surveys, "truth": datasets.load_truth()}
    exec(q.solution_code, ns)
    assert q.check(ns["answer"]).correct


def test_q1_premium_nps_and_bucket_mistakes():
    s = datasets.load_nps_surveys()
    x = s.loc[s["plan"] == "Premium", "ltr"]
    right = 100 * ((x >= 9).mean() - (x <= 6).mean())
    assert ex.q1.check(round(right, 1)).correct
    assert "share" in ex.q1.check(right / 100).message
    assert "7 as a detractor" in ex.q1.check(100 * ((x >= 9).mean() - (x <= 7).mean())).message
    assert "8 as a promoter" in ex.q1.check(100 * ((x >= 8).mean() - (x <= 6).mean())).message
    assert ex.q1.check(right + 5).status == "incorrect"
    assert ex.q1.check("46").status == "incorrect"


def test_q2_function():
    def good(scores):
        v = [s for s in scores if s is not None]
        return 100 * (sum(s >= 9 for s in v) - sum(s <= 6 for s in v)) / len(v)

    def missing_as_zero(scores):
        return good([0 if s is None else s for s in scores])

    def seven_is_detractor(scores):
        v = [s for s in scores if s is not None]
        return 100 * (sum(s >= 9 for s in v) - sum(s <= 7 for s in v)) / len(v)

    assert ex.q2.check(good).correct
    assert "missing answer was counted" in ex.q2.check(missing_as_zero).message
    assert ex.q2.check(seven_is_detractor).status == "incorrect"
    assert ex.q2.check(42).status == "incorrect"


def test_q3_waves_verdict_from_the_interval():
    a, b, c = ex._waves()
    assert a.n > 100 and b.n > 100 and c.diff == pytest.approx(b.nps - a.nps)
    right = "noise" if c.ci_low < 0 < c.ci_high else ("improved" if c.diff > 0 else "declined")
    assert ex.q3.check(right).correct and ex.q3.check(f" {right.title()} ").correct
    for wrong in {"noise", "improved", "declined"} - {right}:
        fb = ex.q3.check(wrong)
        assert fb.status == "incorrect" and "interval of the difference" in fb.message
    assert ex.q3.check("maybe").status == "incorrect"


def test_q4_sample_size():
    pP, pD = ex._latest_shares()
    n = N.sample_size((pP, pD), (pP + 0.025, pD - 0.025))
    assert n > 1000
    assert ex.q4.check(n).correct
    assert "per wave" in ex.q4.check(2 * n).message
    assert ex.q4.check(n // 3).status == "incorrect"


def test_q5_reality_gap_is_large():
    gap = ex.q5.expected_value()
    assert gap > 5  # the survey overstates the base late in 2024
    assert ex.q5.check(round(gap, 1)).correct
    assert ex.q5.check(gap - 10).status == "incorrect"
