"""Exercises of lesson 05: correct, wrong and unattempted answers, and the known mistakes."""

from __future__ import annotations

import pandas as pd
import pytest

from cxlib.analytics import nps as N
from cxlib.data import datasets
from cxlib.teaching.exercises import ____
from cxlib.teaching.exercises import lesson05 as ex

ALL = [ex.q1, ex.q2, ex.q3, ex.q4, ex.q5, ex.q6]


@pytest.mark.parametrize("q", [q for q in ALL if q.solution_code], ids=lambda q: q.name)
def test_solution_code_is_correct(q):
    surveys = datasets.load_nps_surveys()
    ns = {"N": N, "pd": pd, "datasets": datasets, "surveys": surveys, "truth": datasets.load_truth()}
    exec(q.solution_code, ns)
    assert q.check(ns["answer"]).correct


def test_q1_premium_nps_by_hand_in_any_form_and_bucket_mistakes():
    s = datasets.load_nps_surveys()
    x = s.loc[s["plan"] == "Premium", "ltr"]
    right = 100 * ((x >= 9).mean() - (x <= 6).mean())
    assert right == pytest.approx(N.nps(x).nps)  # the pandas answer is the library's NPS
    for form in (round(right, 1), round(right), f"{right:.1f}", f"{right:.1f} points", right / 100):
        assert ex.q1.check(form).correct, form
    fb = ex.q1.check(right)
    assert "cxlib.analytics.nps.nps" in fb.message  # named once the answer is right, never in a hint
    assert "7 as a detractor" in ex.q1.check(100 * ((x >= 9).mean() - (x <= 7).mean())).message
    assert "8 as a promoter" in ex.q1.check(100 * ((x >= 8).mean() - (x <= 6).mean())).message
    assert ex.q1.check(right + 5).status == "incorrect"
    assert ex.q1.check(round(right) + 1).status == "incorrect"
    assert not any("nps(" in h for h in ex.q1.hints)


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


def test_q4_board_report_is_noted_and_its_model_answer_holds_the_library_s_numbers():
    answer = (
        "Survey NPS in 2024 H2 is about 24 with an interval of 17 to 30; the change from 2023 has an "
        "interval that excludes zero. Churn doubled and complaints rose, so churn goes first."
    )
    assert ex.q4.check(answer).status == "noted"
    assert ex.q4.check("NPS fell.").status == "incorrect"  # too short to be an answer
    assert ex.q4.check(____).status == "unattempted"
    assert ex.q4.check(42).status == "incorrect"
    s = datasets.load_nps_surveys()
    h2, base = N.nps(s[s["survey_date"] >= "2024-07-01"], "ltr"), N.nps(s[s["survey_date"].dt.year == 2023], "ltr")
    c = N.compare(h2, base)
    monthly = datasets.load_activity().groupby("month")[["churned", "complaints"]].mean()
    facts = ex.q4.facts()
    assert (facts["nps_h2"], facts["h2_low"], facts["h2_high"], facts["n_h2"]) == (h2.nps, h2.ci_low, h2.ci_high, h2.n)
    assert (facts["diff"], facts["d_low"], facts["d_high"]) == (c.diff, c.ci_low, c.ci_high)
    assert c.ci_high < 0 and facts["verdict"] == "a real fall, the interval excludes 0"
    assert facts["churn_h2"] == pytest.approx(100 * monthly.loc["2024-07-01":, "churned"].mean())
    assert facts["compl_2023"] == pytest.approx(100 * monthly.loc["2023-01-01":"2023-12-01", "complaints"].mean())
    june = N.nps(s[s["survey_date"].dt.strftime("%Y-%m") == "2024-06"], "ltr")
    assert facts["first_fall"] == "June 2024" and N.compare(june, base).ci_high < 0
    model = ex.q4.expected_value()
    assert f"{h2.nps:.0f} points" in model and f"{c.diff:+.0f} points" in model and "{" not in model


def test_q5_sample_size():
    pP, pD = ex._latest_shares()
    n = N.sample_size((pP, pD), (pP + 0.025, pD - 0.025))
    assert n > 1000
    assert ex.q5.check(n).correct
    assert "per wave" in ex.q5.check(2 * n).message
    assert ex.q5.check(n // 3).status == "incorrect"


def test_q6_reality_gap_is_large():
    gap = ex.q6.expected_value()
    assert gap > 5  # the survey overstates the base late in 2024
    assert ex.q6.check(round(gap, 1)).correct
    assert ex.q6.check(gap - 10).status == "incorrect"
