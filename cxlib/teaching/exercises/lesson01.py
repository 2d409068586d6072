"""Exercises of lesson 01 (defining customer obsession): CLV, churn by hand, the bonus question, drivers.

Expected answers are computed from the bundled data or from ``cxlib`` itself, never typed in.

Examples
--------
>>> from cxlib.teaching.exercises import ____, lesson01 as ex
>>> ex.q1.check(____).status
'unattempted'
>>> ex.q1.check(450).status
'correct'
>>> print(ex.q1.check(550))  # the start-of-period convention
Incorrect: 550 is the start-of-period CLV, m(1+d)/(1+d−r); the question asks for the Gupta–Lehmann–Stuart (end-of-period) convention, m·r/(1+d−r).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from cxlib.teaching.exercises import (
    ChoiceExercise,
    FunctionExercise,
    NumericExercise,
    OpenExercise,
    PandasExercise,
    as_number,
    exercise,
)

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6"]

#: The acquisition channel of exercise 2.
CHANNEL = "referral"


@exercise
class q1(NumericExercise):
    prompt = (
        "A customer brings a margin of **100 per year**, stays from one year to the next with "
        "probability **0.90**, and you discount at **10% a year**. What is the CLV under the "
        "**Gupta–Lehmann–Stuart** convention (margin counted at the end of each year)?"
    )
    hints = (
        "`cxlib.analytics.economics.clv(margin, retention, discount, convention=...)` has both conventions.",
        "Gupta, Lehmann & Stuart: CLV = m·r/(1+d−r).",
    )
    solution_code = "from cxlib.analytics.economics import clv\nanswer = clv(100, 0.90, 0.10, convention='end')"
    rel_tol = 0.001

    def expected(self) -> float:
        from cxlib.analytics.economics import clv

        return float(clv(100, 0.90, 0.10, convention="end"))

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        from cxlib.analytics.economics import clv

        a = as_number(answer)
        if math.isclose(a, clv(100, 0.90, 0.10), rel_tol=0.001):
            return (
                f"{a:g} is the start-of-period CLV, m(1+d)/(1+d−r); the question asks for the "
                "Gupta–Lehmann–Stuart (end-of-period) convention, m·r/(1+d−r)."
            )
        if math.isclose(a, 1000, rel_tol=0.001):
            return "1000 is margin × expected lifetime (100 / (1 − 0.9)) with no discounting."
        return None


def _economics() -> pd.DataFrame:
    from cxlib.analytics.economics import customer_economics
    from cxlib.data import datasets

    return customer_economics(datasets.load_activity(), datasets.load_customers()).set_index("group")


@exercise
class q2(PandasExercise, NumericExercise):
    prompt = (
        "**Compute it with pandas.** The CLV table above rests on one number per channel: the "
        "**monthly churn rate**, cancellations (`churned == 1`) divided by customer-months (rows of "
        "`activity`). With pandas, compute it for the customers who came through **referral** "
        "(their channel is the `acquisition_channel` column of `customers`). Three decimals, or a "
        "percent with one."
    )
    hints = (
        "`activity` has the monthly churn flag but not the channel, `customers` has the channel: "
        "bring each customer's channel onto their activity rows first.",
        "`DataFrame.merge(other, on='customer_id')` joins two tables on the customer; from "
        "`customers` you need only the id and the channel.",
        "Each row is one customer-month and `churned` is 1 in the month of cancelling, so the mean "
        "of `churned` within a channel (`groupby`) is its monthly churn rate; then pick the referral row by its label.",
    )
    solution_code = (
        "rows = activity.merge(customers[['customer_id', 'acquisition_channel']], on='customer_id')\n"
        "answer = rows.groupby('acquisition_channel')['churned'].mean()['referral']"
    )
    cxlib_equivalent = "cxlib.analytics.economics.customer_economics"
    scale = "share"
    decimals = 3

    def expected(self) -> float:
        return float(_economics().loc[CHANNEL, "churn_rate"])

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        econ = _economics()
        for reading in self.readings(answer):
            a = reading.value
            if math.isclose(a, 1 - expected, abs_tol=0.0005):
                return "that is the monthly *retention* (1 − churn); the question asks for the churn rate."
            for group, rate in econ["churn_rate"].items():
                if group != CHANNEL and math.isclose(a, rate, abs_tol=0.0005):
                    where = "every customer" if group == "all" else f"the {group} channel"
                    return f"that is the churn rate of {where}; keep only the referral customers."
            per_customer = _churned_share_of_customers()
            if math.isclose(a, per_customer, abs_tol=0.0005):
                return (
                    "that is the share of referral *customers* who ever cancelled; divide the "
                    "cancellations by customer-months (rows), not by customers."
                )
        return None


def _churned_share_of_customers() -> float:
    """The per-customer mistake: share of the channel's customers who cancelled at some point."""
    from cxlib.data import datasets

    rows = datasets.load_activity().merge(
        datasets.load_customers()[["customer_id", "acquisition_channel"]], on="customer_id"
    )
    mine = rows[rows["acquisition_channel"] == CHANNEL]
    return float(mine.groupby("customer_id")["churned"].max().mean())


@exercise
class q3(FunctionExercise):
    prompt = (
        "Write a function `monthly_churn(activity)` that returns the **monthly churn rate**: "
        "cancellations (`churned == 1`) divided by customer-months (rows). It is the number "
        "behind every retention figure in this lesson (retention = 1 − churn)."
    )
    hints = (
        "Each row is one customer in one month; `churned` is 1 only in the month they cancel.",
        "The mean of a 0/1 column is the share of ones: `activity['churned'].mean()`.",
    )
    solution_code = "def monthly_churn(activity):\n    return activity['churned'].sum() / len(activity)"

    def cases(self) -> list:
        a = pd.DataFrame({"customer_id": ["a", "a", "b", "b"], "churned": [0, 1, 0, 0]})
        b = pd.DataFrame({"customer_id": ["a"] * 9 + ["b"], "churned": [0] * 9 + [1]})
        return [((a,), 0.25), ((b,), 0.1)]

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        try:
            got = answer(expected[0][0][0])
        except Exception:
            return None
        if _same_float(got, 0.5):
            return (
                "it returned 0.5 on a table where 1 of 2 customers churned: that is churn per customer "
                "over the whole period, not per month. Divide by customer-months (rows)."
            )
        return None


def _same_float(a: Any, b: float) -> bool:
    try:
        return math.isclose(float(a), b, rel_tol=1e-9)
    except (TypeError, ValueError):
        return False


def _bonus_game() -> pd.DataFrame:
    from cxlib.analytics.incentives import simulate_incentive

    return simulate_incentive(seed=0).summary.set_index("period")


@exercise
class q4(OpenExercise):
    prompt = (
        "**Advise the board (open question, for discussion).** The board of Simorgh Mobile wants to "
        "pay the care team a bonus on the survey NPS. From the simulation of Step 3 "
        "(`game.summary`), write three or four sentences: what happened to the reported NPS, the "
        "true NPS and retention while the team was paid on NPS; who is right here, article 000 "
        "(*cut direct links from CX metrics to bonuses*) or article 002 (*reward behaviours that "
        "raise retention*); and what, if anything, you would pay the team on instead."
    )
    hints = (
        "Start from the numbers: compare each column of `game.summary` between the period "
        "before and the period paid on NPS.",
        "Ask what the team changed: the service customers got, or who was surveyed and how they were asked?",
        "A reward works only on something the team cannot move without helping a customer: "
        "think of who would measure it, from which system, and who would draw the sample.",
    )
    model_answer = (
        "Paid on NPS, the team raised the reported NPS from {reported_before:.0f} to "
        "{reported_paid:.0f} points, while the true NPS stayed where it was ({true_before:.0f}, "
        "then {true_paid:.0f}) and so did monthly retention ({retention_before:.1%}, then "
        "{retention_paid:.1%}): the score measured the team's gaming, not the customers. Article "
        "000 is right for a survey score the paid team can touch, because choosing whom to survey "
        "and nudging answers are cheaper than better service. Article 002's advice survives only "
        "for a behaviour or outcome that cannot be faked cheaply: first-contact resolution verified "
        "by no repeat contact within 7 days, proactive fixes, or retention taken from billing (which "
        "lags by months and rewards luck), with any survey sample drawn at random by someone other "
        "than the rewarded team."
    )
    look_for = (
        "the reported NPS rose while the true NPS and retention stayed flat, with the numbers",
        "the levers were choosing whom to survey and nudging answers, not better service",
        "a reward only on something the team cannot fake cheaply (verified FCR, retention from "
        "billing), or no bonus on a survey score",
        "who draws the survey sample: at random, not the rewarded team",
    )
    self_check = (
        "Did you quote the reported and the true NPS of both periods?",
        "Did you say which levers moved the score?",
        "Could the team move what you would pay on without helping a customer?",
    )

    def facts(self) -> dict[str, float]:
        s = _bonus_game()
        before, paid = s.loc["before"], s.loc["paid on NPS"]
        return {
            "reported_before": float(before["reported_nps"]),
            "reported_paid": float(paid["reported_nps"]),
            "true_before": float(before["true_nps"]),
            "true_paid": float(paid["true_nps"]),
            "retention_before": float(before["retention"]),
            "retention_paid": float(paid["retention"]),
        }


@exercise
class q5(NumericExercise):
    prompt = (
        "Goodhart's law, one lever at a time. Run `simulate_incentive(seed=7, nudge=0, nudge_share=0)`: "
        "the team may only **choose whom to survey**, not nudge anyone. By how many NPS points "
        "does the **reported** NPS rise (mean while paid minus mean before)? One decimal is enough."
    )
    hints = (
        "Only the choice of whom to survey moves the number here: compare the *reported* NPS "
        "of the two periods (not the true NPS).",
        "The result of `simulate_incentive` has a `summary` table, one row per period; make its "
        "`period` column the index so that you can pick a row by its name.",
        "With `.loc[row, column]` take the `reported_nps` of the paid period and of the period "
        "before, and subtract the second from the first.",
    )
    solution_code = (
        "r = simulate_incentive(seed=7, nudge=0, nudge_share=0)\n"
        "s = r.summary.set_index('period')\n"
        "answer = s.loc['paid on NPS', 'reported_nps'] - s.loc['before', 'reported_nps']"
    )
    abs_tol = 0.06
    rel_tol = 0.0

    def expected(self) -> float:
        from cxlib.analytics.incentives import simulate_incentive

        s = simulate_incentive(seed=7, nudge=0, nudge_share=0).summary.set_index("period")
        return float(s.loc["paid on NPS", "reported_nps"] - s.loc["before", "reported_nps"])

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        from cxlib.analytics.incentives import simulate_incentive

        s = simulate_incentive(seed=7, nudge=0, nudge_share=0).summary.set_index("period")
        if math.isclose(
            as_number(answer), s.loc["paid on NPS", "true_nps"] - s.loc["before", "true_nps"], abs_tol=0.06
        ):
            return "that is the change in the *true* NPS (almost none); the question asks about the reported one."
        if math.isclose(as_number(answer), -expected, abs_tol=0.06):
            return "the sign is reversed: subtract 'before' from 'paid on NPS'."
        return None


def _drivers():
    from cxlib.analytics.drivers import DriverAnalysis
    from cxlib.data import datasets

    s = datasets.load_nps_surveys()
    return (
        DriverAnalysis()
        .fit(s, "ltr", ["value_for_money", "network_quality", "ease_of_support", "friendly_polite"])
        .summary
    )


@exercise
class q6(ChoiceExercise):
    prompt = (
        "Fit `DriverAnalysis().fit(surveys, 'ltr', [...the four attributes...])` on **all** survey "
        "answers. Which attribute has the **weakest** standardised association with the likelihood "
        "to recommend? (Article 003 calls it a 'basic' every business should score 5/5 on.)"
    )
    choices = ("value_for_money", "network_quality", "ease_of_support", "friendly_polite")
    hints = (
        "`da.summary` has one row per driver: its name (`driver`) and its standardised "
        "coefficient (`coef`); the weakest has the coefficient closest to 0.",
        "Index the coefficients by driver and take their absolute values: `.idxmin()` names the "
        "smallest. Look also at whether its interval includes 0.",
    )
    solution_code = (
        "da = drivers.DriverAnalysis().fit(surveys, 'ltr', ['value_for_money', 'network_quality', "
        "'ease_of_support', 'friendly_polite'])\n"
        "answer = da.summary.set_index('driver')['coef'].abs().idxmin()"
    )

    def expected(self) -> str:
        return str(_drivers().set_index("driver")["coef"].abs().idxmin())

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        s = _drivers().set_index("driver")
        a = answer.strip().lower()
        return (
            f"{a} has a standardised coefficient of {s.loc[a, 'coef']:+.2f}, stronger than the weakest "
            "one; look at the bottom of the summary."
        )
