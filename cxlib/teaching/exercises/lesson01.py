"""Exercises of lesson 01 (defining customer obsession): CLV, CLV/CAC, churn, drivers, Goodhart.

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

from cxlib.teaching.exercises import ChoiceExercise, FunctionExercise, NumericExercise, as_number, exercise

__all__ = ["q1", "q2", "q3", "q4", "q5"]


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

    return customer_economics(datasets.load_activity(), datasets.load_customers())


@exercise
class q2(ChoiceExercise):
    prompt = (
        "With `economics.customer_economics(activity, customers)` (margin 35% of spend, 10% a year "
        "discount), which **acquisition channel** has the **highest CLV/CAC**?"
    )
    choices = ("online", "partner", "referral", "store")
    hints = (
        "The table has one row per channel and a column `clv_cac`.",
        "`econ.query(\"group != 'all'\").sort_values('clv_cac')` puts the answer last.",
    )
    solution_code = (
        "econ = economics.customer_economics(activity, customers)\n"
        "answer = econ.query(\"group != 'all'\").sort_values('clv_cac')['group'].iloc[-1]"
    )

    def expected(self) -> str:
        e = _economics()
        return str(e[e["group"] != "all"].sort_values("clv_cac")["group"].iloc[-1])

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        e = _economics().set_index("group").drop("all")
        a = answer.strip().lower()
        if a == e["clv"].idxmax() and a != expected:
            return f"{a} has the highest CLV, but CLV/CAC also divides by what winning the customer cost."
        if a == e["cac"].idxmin() and a != expected:
            return f"{a} is the cheapest to acquire, but its customers are worth less: compare CLV/CAC."
        return f"{a} has CLV/CAC {e.loc[a, 'clv_cac']:.1f}; another channel does better."


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


@exercise
class q4(NumericExercise):
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
class q5(ChoiceExercise):
    prompt = (
        "Fit `DriverAnalysis().fit(surveys, 'ltr', [...the four attributes...])` on **all** survey "
        "answers. Which attribute has the **weakest** standardised association with the likelihood "
        "to recommend? (Article 003 calls it a 'basic' every business should score 5/5 on.)"
    )
    choices = ("value_for_money", "network_quality", "ease_of_support", "friendly_polite")
    hints = (
        "`da.summary` is sorted from the strongest to the weakest |coefficient|.",
        "Look at the last row, and at whether its interval includes 0.",
    )
    solution_code = (
        "da = drivers.DriverAnalysis().fit(surveys, 'ltr', ['value_for_money', 'network_quality', "
        "'ease_of_support', 'friendly_polite'])\nanswer = da.summary['driver'].iloc[-1]"
    )

    def expected(self) -> str:
        return str(_drivers()["driver"].iloc[-1])

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        s = _drivers().set_index("driver")
        a = answer.strip().lower()
        return (
            f"{a} has a standardised coefficient of {s.loc[a, 'coef']:+.2f}, stronger than the weakest "
            "one; look at the bottom of the summary."
        )
