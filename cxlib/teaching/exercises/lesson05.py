"""Exercises of lesson 05 (NPS pitfalls): an NPS by hand, a correct NPS function, a change
judged with its interval, a sample size, and the reality gap.

Expected answers are computed from the bundled data or from :mod:`cxlib.analytics.nps`, never typed in.

Examples
--------
>>> from cxlib.teaching.exercises import ____, lesson05 as ex
>>> ex.q1.check(____).status
'unattempted'
>>> ex.q1.check(round(ex.q1.expected_value(), 1)).status
'correct'
>>> ex.q2.check(lambda scores: 0).status
'incorrect'
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from cxlib.teaching.exercises import ChoiceExercise, FunctionExercise, NumericExercise, as_number, exercise

__all__ = ["q1", "q2", "q3", "q4", "q5", "GAP_QUARTER"]

#: The quarter of the reality-gap question q5.
GAP_QUARTER = "2024-10-01"


def _surveys() -> pd.DataFrame:
    from cxlib.data import datasets

    return datasets.load_nps_surveys()


@exercise
class q1(NumericExercise):
    prompt = (
        "Easy. What is the NPS, in points, of the **Premium** plan's answers in the bundled "
        "survey (`plan == 'Premium'`, column `ltr`)?"
    )
    hints = (
        "Promoters answer 9-10, detractors 0-6; NPS = 100 × (promoters − detractors) / answers.",
        "Keep only the Premium answers first: a True/False mask on the `plan` column.",
        "`N.nps` takes the answers and the name of the score column; its result has an `.nps` in points.",
    )
    solution_code = "s = datasets.load_nps_surveys()\nanswer = N.nps(s[s['plan'] == 'Premium'], 'ltr').nps"
    abs_tol = 0.06
    rel_tol = 0.0
    unit = " points"

    def expected(self) -> float:
        from cxlib.analytics import nps as N

        s = _surveys()
        return float(N.nps(s[s["plan"] == "Premium"], "ltr").nps)

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        s = _surveys()
        x = s.loc[s["plan"] == "Premium", "ltr"]
        a = as_number(answer)
        if math.isclose(a, expected / 100, abs_tol=0.001):
            return "that is a share (−1 to 1); NPS is reported in points: multiply by 100."
        wrong7 = 100 * ((x >= 9).mean() - (x <= 7).mean())
        if math.isclose(a, wrong7, abs_tol=0.06):
            return "you counted 7 as a detractor; detractors answer 0-6, 7 and 8 are passives."
        wrong8 = 100 * ((x >= 8).mean() - (x <= 6).mean())
        if math.isclose(a, wrong8, abs_tol=0.06):
            return "you counted 8 as a promoter; promoters answer 9 or 10."
        return None


@exercise
class q2(FunctionExercise):
    prompt = (
        "Write `nps_points(scores)`: it takes a list of 0-10 answers, some of which may be "
        "`None` (skipped questions), and returns the NPS in points over the answers that are "
        "there. Missing answers must not count as detractors."
    )
    hints = (
        "Drop the `None` values first, then count 9-10 and 0-6.",
        "A list comprehension with a condition keeps the answers that are there; `sum` of "
        "True/False values counts the Trues.",
        "Promoters minus detractors, divided by the number of answers that are there, times 100.",
    )
    solution_code = (
        "def nps_points(scores):\n"
        "    valid = [s for s in scores if s is not None]\n"
        "    return 100 * (sum(s >= 9 for s in valid) - sum(s <= 6 for s in valid)) / len(valid)\n"
        "answer = nps_points"
    )

    def cases(self) -> list:
        from cxlib.analytics import nps as N

        inputs = [[9, 10, 7, 6], [7, 8], [9, None, 6, 6], [0, 10, 10, 10], [6, 7, 8, 9], [10, None, None]]
        return [((x,), float(N.nps(x).nps)) for x in inputs]

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        try:
            if math.isclose(float(answer([9, None, 6, 6])), 100 * (1 - 3) / 4):
                return "a missing answer was counted as a detractor (a 0); skip it instead."
            if math.isclose(float(answer([7, 8])), -100.0):
                return "7 and 8 are passives, not detractors."
        except Exception:  # the learner's function failed: the default message reports it
            return None
        return None


def _waves():
    """The first two survey waves (survey months) and their comparison, second minus first."""
    from cxlib.analytics import nps as N

    s = _surveys()
    month = s["survey_date"].dt.to_period("M").dt.start_time
    first, second = sorted(month.unique())[:2]
    a, b = N.nps(s[month == first], "ltr"), N.nps(s[month == second], "ltr")
    return a, b, N.compare(b, a)


def _verdict(c) -> str:
    return "noise" if not c.significant else ("improved" if c.diff > 0 else "declined")


@exercise
class q3(ChoiceExercise):
    prompt = (
        "The board compares the survey's **first two waves** (the first two survey months in the data) "
        "and reads the change in NPS as a trend. Use `N.compare(second, first)`. Is the change "
        "`'improved'`, `'declined'` or `'noise'` (the 95% interval of the difference includes 0)?"
    )
    choices = ("improved", "declined", "noise")
    hints = (
        "Group the answers by survey month (`survey_date.dt.to_period('M')`), take the first two months, "
        "compute each wave's `N.nps(...)`, then `N.compare(second, first)`.",
        "Look at `ci_low` and `ci_high` of the comparison: does the interval include 0?",
    )
    solution_code = (
        "month = surveys['survey_date'].dt.to_period('M')\n"
        "first, second = sorted(month.unique())[:2]\n"
        "c = N.compare(N.nps(surveys[month == second], 'ltr'), N.nps(surveys[month == first], 'ltr'))\n"
        "answer = 'noise' if not c.significant else ('improved' if c.diff > 0 else 'declined')"
    )

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        _, _, c = _waves()
        if expected == "noise":
            return (
                f"the point estimate moved {c.diff:+.1f} points, but the 95% interval of the difference, "
                f"[{c.ci_low:+.1f}, {c.ci_high:+.1f}], includes 0: two samples of this size differ that much by chance."
            )
        return f"the interval of the difference, [{c.ci_low:+.1f}, {c.ci_high:+.1f}], excludes 0; look at its sign."

    def expected(self) -> str:
        return _verdict(_waves()[2])


def _latest_shares() -> tuple[float, float]:
    from cxlib.analytics import nps as N

    s = _surveys()
    r = N.nps(s[s["survey_date"] >= "2024-01-01"], "ltr")
    return r.share_promoters, r.share_detractors


@exercise
class q4(NumericExercise):
    prompt = (
        "Take the 2024 survey's promoter and detractor shares as the starting point. How many "
        "answers **per wave** would you need to detect a 5-point rise in NPS (2.5 points more "
        "promoters, 2.5 points fewer detractors), with a two-sided 5% test and 80% power?"
    )
    hints = (
        "`N.sample_size(a, b)` takes `(promoter share, detractor share)` tuples.",
        "The starting point comes from the 2024 answers only: keep the rows from 1 January 2024 on "
        "and read the promoter and detractor shares of their `N.nps(...)` result.",
        "The target adds 2.5 points (0.025) to the promoter share and takes 0.025 from the detractor share.",
    )
    solution_code = (
        "r = N.nps(surveys[surveys['survey_date'] >= '2024-01-01'], 'ltr')\n"
        "pP, pD = r.share_promoters, r.share_detractors\n"
        "answer = N.sample_size((pP, pD), (pP + 0.025, pD - 0.025))"
    )
    rel_tol = 0.02

    def expected(self) -> int:
        from cxlib.analytics import nps as N

        pP, pD = _latest_shares()
        return N.sample_size((pP, pD), (pP + 0.025, pD - 0.025))

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        if math.isclose(as_number(answer), 2 * expected, rel_tol=0.02):
            return "that is the total for both waves; the question asks per wave."
        return None


@exercise
class q5(NumericExercise):
    prompt = (
        f"Open-ended, then one number. The reality gap: in the quarter starting {GAP_QUARTER[:7]}, by how "
        "many points did the **survey NPS** exceed the **true NPS of the whole customer base** "
        "(the mean of `truth.summary['true_nps_by_month']` over that quarter's three months)? "
        "Then write two sentences for the board: why the gap, and what you would track instead."
    )
    hints = (
        "Two numbers for the same quarter: the survey's NPS, and the mean of the true monthly NPS of the whole base.",
        "`N.nps_over_time` gives the survey NPS per period: pass the score and date columns and a quarterly `freq`.",
        "Turn `truth.summary['true_nps_by_month']` into a Series with a DatetimeIndex and average "
        "the three months of the quarter.",
    )
    solution_code = (
        "q = N.nps_over_time(surveys, 'ltr', 'survey_date', freq='Q')\n"
        "true = pd.Series(truth.summary['true_nps_by_month'])\n"
        "true.index = pd.to_datetime(true.index)\n"
        f"quarter = true[(true.index >= '{GAP_QUARTER}')].iloc[:3].mean()\n"
        f"answer = q.loc['{GAP_QUARTER}', 'nps'] - quarter"
    )
    abs_tol = 0.3
    rel_tol = 0.0
    unit = " points"

    def expected(self) -> float:
        from cxlib.analytics import nps as N
        from cxlib.data import datasets

        q = N.nps_over_time(_surveys(), "ltr", "survey_date", freq="Q")
        true = pd.Series(datasets.load_truth().summary["true_nps_by_month"])
        true.index = pd.to_datetime(true.index)
        start = pd.Timestamp(GAP_QUARTER)
        months = true[(true.index >= start) & (true.index < start + pd.DateOffset(months=3))]
        return float(q.loc[start, "nps"] - months.mean())

    def correct_message(self, answer: Any, expected: Any) -> str:
        return (
            "right: the survey overstates the base by this much. Respondents are the happier "
            "customers (unhappy ones answer less, and those who left are no longer asked), so pair "
            "NPS with churn, complaints and repeat contacts."
        )
