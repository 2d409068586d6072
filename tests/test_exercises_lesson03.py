"""Each exercise of lesson 03 with a correct, a wrong and an unattempted answer."""

from __future__ import annotations

import pandas as pd

from cxlib.analytics.emotion import connection_from_text, measure_validity, risk_ratio_table
from cxlib.analytics.text import score_texts
from cxlib.teaching.exercises import lesson03 as ex


def test_q1_blank_comments():
    from cxlib.data import datasets

    nps = datasets.load_nps_surveys()
    n_blank = int(nps["comment"].fillna("").str.strip().eq("").sum())
    assert ex.q1.check(n_blank).correct
    s = score_texts(nps["comment"], progress=False)
    fb = ex.q1.check(int(s["label"].eq("neutral").sum()))
    assert not fb.correct and "neutral" in fb.message
    assert not ex.q1.check(n_blank + 1).correct
    assert not ex.q1.check("433").correct


def test_q2_tone_function():
    def tone(c, positive=0.05, negative=-0.05):
        return "positive" if c >= positive else "negative" if c <= negative else "neutral"

    def strict(c, positive=0.05, negative=-0.05):  # a boundary bug: > instead of >=
        return "positive" if c > positive else "negative" if c < negative else "neutral"

    assert ex.q2.check(tone).correct
    fb = ex.q2.check(strict)
    assert not fb.correct and "0.05" in fb.message
    assert not ex.q2.check(0.05).correct


def test_q3_shop_around_ratio():
    nps = ex.respondents()
    nps["loyal"] = nps["shop_around"].isin(["rarely", "never"]).astype(int)
    r = risk_ratio_table(nps, "connected", "loyal")
    assert ex.q3.check(r.rr).correct
    assert ex.q3.check(round(r.rr, 2)).correct
    inv = ex.q3.check(1 / r.rr)
    assert not inv.correct and "other way round" in inv.message
    share = ex.q3.check(r.risk_exposed)
    assert not share.correct and "share" in share.message


def test_q4_choice():
    assert ex.q4.check("b").correct and ex.q4.check(" B ").correct
    fb = ex.q4.check("a")
    assert not fb.correct and "not causal" in fb.message
    assert not ex.q4.check("e").correct  # not a choice


def test_q3_uses_survey_time_truth():
    from cxlib.data import datasets

    r = ex.respondents()
    assert len(r) == len(datasets.load_nps_surveys()) and r["connected"].isin([0, 1]).all()


def test_q5_text_measure_auc():
    from cxlib.data import datasets

    r = ex.respondents()
    m = connection_from_text(r[["customer_id", "comment"]])
    auc = measure_validity(r.join(m, on="customer_id")["connected"], r.join(m, on="customer_id")["share"]).auc
    assert 0.6 < auc < 0.95
    assert ex.q5.check(auc).correct and ex.q5.check(round(auc, 3)).correct
    flipped = ex.q5.check(1 - auc)
    assert not flipped.correct and "1 - AUC" in flipped.message
    both = pd.concat([r[["customer_id", "comment"]], datasets.load_agent_feedback()[["customer_id", "comment"]]])
    rb = r.join(connection_from_text(both), on="customer_id")
    pooled = measure_validity(rb["connected"], rb["share"]).auc
    assert pooled > auc  # more comments, a better measure
    fb = ex.q5.check(pooled)
    assert not fb.correct and "pools" in fb.message
