"""Exercises of lesson 04: correct, wrong and unattempted answers, and the known mistakes."""

from __future__ import annotations

import numpy as np
import pytest

from cxlib.analytics.feedback import AgentFeedback
from cxlib.data import datasets
from cxlib.teaching.exercises import ____
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


# --- q2 by hand with pandas; q6 the open question (issue 12 item 6) ---------------------------
def _outside_by_hand(fb, centre=None):
    satisfied = fb["csat"] >= 4
    per_agent = satisfied.groupby(fb["agent_id"]).agg(["mean", "size"])
    pbar = satisfied.mean() if centre is None else centre
    z = (per_agent["mean"] - pbar) / np.sqrt(pbar * (1 - pbar) / per_agent["size"])
    return per_agent, int((z.abs() > 3.09).sum())


def test_q2_by_hand_equals_the_library_in_any_form(fb):
    s = AgentFeedback().fit(fb).summary
    per_agent, n = _outside_by_hand(fb)
    assert n == int(s["funnel"].str.contains("99.8").sum())  # pandas and AgentFeedback agree
    for answer in (n, float(n), str(n), [n], np.int64(n)):
        assert ex.q2.check(answer).correct, answer
    assert "AgentFeedback" in ex.q2.check(n).message  # once right, the one-call way is named
    for wrong in (n - 1, n + 1, 0):
        assert not ex.q2.check(wrong).correct
    unweighted = _outside_by_hand(fb, centre=per_agent["mean"].mean())[1]
    assert unweighted != n
    assert "all answers together" in ex.q2.check(unweighted).message


def test_q2_hints_never_name_the_one_call_nor_the_code():
    assert ex.q2.hint_problems() == []
    assert not any("AgentFeedback" in h for h in ex.q2.hints)


def test_q6_notes_a_real_answer_and_rejects_a_too_short_one(monkeypatch):
    answer = (
        "Not on a quarter: a dozen answers give intervals forty points wide, so the named worst is often "
        "not the worst. Show shrunk rates with intervals and the funnel plot, adjust for case mix, coach."
    )
    assert ex.q6.check(answer).status == "noted"
    assert ex.q6.check("Agent A029.").status == "incorrect"
    assert ex.q6.check(42).status == "incorrect"
    assert ex.q6.check(____).status == "unattempted"
    monkeypatch.setenv("CX_SOLUTIONS", "off")
    assert "funnel plot" not in ex.q6.solution().message


def test_q6_model_answer_numbers_are_the_library_s(fb):
    facts = ex.q6.facts()
    quarter = AgentFeedback().fit(fb[fb["date"] < "2023-04-01"]).summary
    whole = AgentFeedback().fit(fb).summary
    assert facts["median_n"] == quarter["n"].median()
    assert facts["width"] == pytest.approx(100 * (quarter["raw_high"] - quarter["raw_low"]).median())
    assert facts["n_out"] == int(whole["funnel"].str.contains("99.8").sum())
    assert facts["n_agents"] == whole["agent"].nunique() == fb["agent_id"].nunique()
    text = ex.q6.expected_value()
    assert f"{facts['n_out']} of {facts['n_agents']} agents" in text and "{" not in text
    assert ex.q6.hint_problems() == []
