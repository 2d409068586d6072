"""Exercises of lesson 04: correct, wrong and unattempted answers, and the known mistakes."""

from __future__ import annotations

import numpy as np
import pytest

from cxlib.analytics.feedback import AgentFeedback
from cxlib.data import datasets
from cxlib.teaching.exercises import lesson04 as ex


@pytest.fixture(scope="module")
def fb():
    return datasets.load_agent_feedback()


def test_q1(fb):
    share = (fb["csat"] >= 4).mean()
    assert 0.3 < share < 0.95
    assert ex.q1.check(share).correct
    assert ex.q1.check(round(float(share), 3)).correct
    wrong = ex.q1.check((fb["csat"] >= 3).mean())
    assert wrong.status == "incorrect" and "3 as satisfied" in wrong.message
    assert "percentage" in ex.q1.check(100 * share).message
    assert "mean CSAT" in ex.q1.check(fb["csat"].mean()).message
    assert ex.q1.check("0.7").status == "incorrect"


def test_q2(fb):
    s = AgentFeedback().fit(fb).summary
    n = int(s["funnel"].str.contains("99.8").sum())
    assert ex.q2.check(n).correct
    assert not ex.q2.check(n + 1).correct
    n95 = int((s["funnel"] != "inside").sum())
    if n95 != n:
        assert "95%" in ex.q2.check(n95).message


def test_q3():
    assert ex.q3.check(lambda k, n, a, b: (k + a) / (n + a + b)).correct
    raw = ex.q3.check(lambda k, n, a, b: k / n)
    assert raw.status == "incorrect"
    bad = ex.q3.check(lambda k, n, a, b: (k + a) / (n + a))
    assert bad.status == "incorrect" and "alpha + beta" in bad.message
    assert ex.q3.check(5).status == "incorrect"


def test_q4():
    assert ex.q4.check("Investigate ").correct
    blame = ex.q4.check("blame")
    assert blame.status == "incorrect" and "unfair" in blame.message
    assert "000" in ex.q4.check("pay").message
    assert ex.q4.check("fire").status == "incorrect"


def test_q5(fb):
    p = (fb.loc[fb["date"].dt.year == 2023, "csat"] <= 3).mean()
    ucl = p + 3 * np.sqrt(p * (1 - p) / 50)
    assert ex.q5.check(ucl).correct
    assert "centre line" in ex.q5.check(p).message
    assert "2σ" in ex.q5.check(p + 2 * np.sqrt(p * (1 - p) / 50)).message
    assert not ex.q5.check(ucl + 0.05).correct
