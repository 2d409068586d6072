"""cxlib.analytics.incentives: paying a team on a survey score (Goodhart's law), with a known truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxlib.analytics.incentives import IncentiveResult, simulate_incentive
from cxlib.errors import CxError

SMALL = dict(n_customers=1500, months=6, incentive_month=4)


def test_every_nudged_answer_at_10_reports_an_nps_of_exactly_100():
    # hand-computed: with no one skipped and every answer nudged to 10, every reported answer is a 10
    r = simulate_incentive(**SMALL, skip_unhappy=0, nudge=10, nudge_share=1, seed=0)
    paid = r.monthly[r.monthly["month"] >= 4]
    assert (paid["reported_nps"] == 100).all()
    assert (paid["nps_low"] == 100).all() and (paid["nps_high"] == 100).all()  # Wald: no spread, no width
    assert (r.monthly.loc[r.monthly["month"] < 4, "reported_nps"] < 100).all()


@pytest.mark.parametrize(("skip_unhappy", "nudge"), [(0.9, 0.0), (0.0, 2.0)], ids=["choosing whom", "nudging"])
def test_each_way_of_gaming_alone_raises_the_reported_score_not_the_true_one(skip_unhappy, nudge):
    r = simulate_incentive(**SMALL, skip_unhappy=skip_unhappy, nudge=nudge, seed=1)
    s = r.summary.set_index("period")
    assert s.loc["paid on NPS", "reported_nps"] > s.loc["before", "reported_nps"] + 5
    assert abs(s.loc["paid on NPS", "true_nps"] - s.loc["before", "true_nps"]) < 3
    assert abs(s.loc["paid on NPS", "retention"] - s.loc["before", "retention"]) < 0.01


def test_months_before_the_incentive_do_not_depend_on_the_gaming():
    honest = simulate_incentive(**SMALL, skip_unhappy=0, nudge=0, nudge_share=0, seed=2).monthly
    gamed = simulate_incentive(**SMALL, seed=2).monthly
    pd.testing.assert_frame_equal(honest[honest["month"] < 4], gamed[gamed["month"] < 4])


def test_intervals_contain_the_estimate_and_the_summary_adds_up():
    r = simulate_incentive(**SMALL, seed=3)
    m = r.monthly
    assert list(m["month"]) == list(range(1, 7))
    assert ((m["nps_low"] <= m["reported_nps"]) & (m["reported_nps"] <= m["nps_high"])).all()
    assert m["reported_nps"].between(-100, 100).all() and m["true_nps"].between(-100, 100).all()
    s = r.summary.set_index("period")
    assert s.loc["before", "responses"] == m.loc[m["month"] < 4, "responses"].sum()
    assert s.loc["paid on NPS", "churn_rate"] == pytest.approx(m.loc[m["month"] >= 4, "churn_rate"].mean())
    assert np.allclose(s["retention"], 1 - s["churn_rate"])
    assert "reported NPS" in repr(r) and isinstance(r, IncentiveResult)
    assert r.params["seed"] == 3 and r.incentive_month == 4


def test_the_reported_interval_narrows_as_more_customers_are_surveyed():
    few = simulate_incentive(**SMALL, survey_rate=0.05, seed=4).monthly
    many = simulate_incentive(**SMALL, survey_rate=0.5, seed=4).monthly
    assert (many["responses"] > few["responses"]).all()
    assert (many["nps_high"] - many["nps_low"]).mean() < (few["nps_high"] - few["nps_low"]).mean()


def test_seeded():
    a = simulate_incentive(**SMALL, seed=5).monthly
    pd.testing.assert_frame_equal(a, simulate_incentive(**SMALL, seed=5).monthly)
    assert not a.equals(simulate_incentive(**SMALL, seed=6).monthly)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(incentive_month=1), "incentive_month must be between 2"),
        (dict(months=6, incentive_month=7), "incentive_month must be between 2"),
        (dict(survey_rate=1.5), "survey_rate is a share"),
        (dict(skip_unhappy=-0.1), "skip_unhappy is a share"),
        (dict(nudge_share=2), "nudge_share is a share"),
        (dict(nudge=-1), "nudge must be"),
        (dict(n_customers=5), "n_customers"),
    ],
)
def test_bad_arguments_are_clear_errors(kwargs, message):
    with pytest.raises(CxError, match=message):
        simulate_incentive(**kwargs)
