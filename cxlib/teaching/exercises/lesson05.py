"""Exercises of lesson 05 (NPS pitfalls): an NPS with pandas, a correct NPS function, a change
judged with its interval, the board report (an open question), a sample size, and the reality gap.

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
>>> ex.q4.check("NPS is fine.").status
'incorrect'
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

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6", "GAP_QUARTER"]

#: The quarter of the reality-gap question q6.
GAP_QUARTER = "2024-10-01"


def _surveys() -> pd.DataFrame:
    from cxlib.data import datasets

    return datasets.load_nps_surveys()


@exercise
class q1(PandasExercise, NumericExercise):
    prompt = (
        "Easy, with pandas. What is the NPS, in points, of the **Premium** plan's answers in the bundled "
        "survey (`plan == 'Premium'`, column `ltr`)? Compute it from the answers: the share of promoters "
        "minus the share of detractors, times 100."
    )
    hints = (
        "Promoters answer 9-10, detractors 0-6; NPS = 100 × (share of promoters − share of detractors).",
        "Keep only the Premium answers first: a True/False mask on the `plan` column, then the `ltr` column.",
        "A comparison of the scores with a number gives True/False values, and the mean of True/False "
        "values is the share of Trues.",
    )
    solution_code = (
        "premium = surveys.loc[surveys['plan'] == 'Premium', 'ltr']\n"
        "answer = 100 * ((premium >= 9).mean() - (premium <= 6).mean())"
    )
    cxlib_equivalent = "cxlib.analytics.nps.nps"
    scale = "points"
    decimals = 0
    rel_tol = 0.0
    abs_tol = 0.06
    unit = " points"

    def expected(self) -> float:
        from cxlib.analytics import nps as N

        s = _surveys()
        return float(N.nps(s[s["plan"] == "Premium"], "ltr").nps)

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        s = _surveys()
        x = s.loc[s["plan"] == "Premium", "ltr"]
        a = as_number(answer)
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


def _change_verdict(c) -> str:
    """How a board should read a change: by the interval of the difference."""
    if not c.significant:
        return "no clear change, the interval includes 0"
    return "a real fall, the interval excludes 0" if c.diff < 0 else "a real rise, the interval excludes 0"


def _board_facts() -> dict[str, Any]:
    """The numbers of the January 2025 board report on 2024 (q4), computed as pitfall 4 computes them."""
    from cxlib.analytics import nps as N
    from cxlib.data import datasets

    s = _surveys()
    d = s["survey_date"]
    h2, base = N.nps(s[d >= "2024-07-01"], "ltr"), N.nps(s[d.dt.year == 2023], "ltr")
    c = N.compare(h2, base)
    waves = d.dt.to_period("M")
    falls = [
        m for m in sorted(waves[d.dt.year == 2024].unique()) if N.compare(N.nps(s[waves == m], "ltr"), base).ci_high < 0
    ]
    monthly = datasets.load_activity().groupby("month")[["churned", "complaints"]].mean()
    in_2023, in_h2 = monthly.index.year == 2023, monthly.index >= "2024-07-01"
    return {
        "nps_h2": h2.nps,
        "h2_low": h2.ci_low,
        "h2_high": h2.ci_high,
        "n_h2": h2.n,
        "diff": c.diff,
        "d_low": c.ci_low,
        "d_high": c.ci_high,
        "verdict": _change_verdict(c),
        "first_fall": falls[0].strftime("%B %Y") if falls else "no 2024 wave",
        "churn_2023": 100 * monthly.loc[in_2023, "churned"].mean(),
        "churn_h2": 100 * monthly.loc[in_h2, "churned"].mean(),
        "compl_2023": 100 * monthly.loc[in_2023, "complaints"].mean(),
        "compl_h2": 100 * monthly.loc[in_h2, "complaints"].mean(),
    }


@exercise
class q4(OpenExercise):
    prompt = (
        "Open question, for discussion. Draft the one-page NPS report on the second half of 2024 that you "
        "would give the board in January 2025, in a few sentences (a string between quotes): the survey "
        "NPS with its interval, the change since 2023 with the interval of the difference, and two "
        "behavioural signals next to it. Which chart would you put first, and why?"
    )
    hints = (
        "Every number you need is in pitfall 4: the survey NPS by half-year, its change from 2023, churn "
        "and complaints per month.",
        "For the change, the question is whether the interval of the difference includes 0, not how large "
        "the point estimate looks.",
        "For the first chart, ask which line moved first in 2024, and which one a board would otherwise see too late.",
    )
    model_answer = (
        "Survey NPS for July to December 2024: {nps_h2:.0f} points (95% interval {h2_low:.0f} to {h2_high:.0f}, "
        "{n_h2} answers), {diff:+.0f} points against 2023 (95% interval of the difference {d_low:+.0f} to "
        "{d_high:+.0f}: {verdict}). Next to it, behaviour: customers cancelling rose from {churn_2023:.1f}% a "
        "month in 2023 to {churn_h2:.1f}% in the second half of 2024, and complaints from {compl_2023:.1f} to "
        "{compl_h2:.1f} per 100 customers a month. The first chart is monthly churn and complaints, because "
        "behaviour moved first (from the March price rise) while the first survey wave that fell clearly below 2023 was {first_fall}: "
        "the happier customers answer, and those who left are no longer asked. Recommendation: keep NPS, "
        "but always with its interval, next to churn and complaints, asked of a random sample with the "
        "response rate reported."
    )
    look_for = (
        "the survey NPS with its interval and its number of answers",
        "the change since 2023 judged by the interval of the difference",
        "two behavioural signals (churn, complaints) next to the survey, and that they moved first",
        "why the survey lags: the happier customers answer, and those who left are not asked",
        "a first chart chosen for a reason",
    )
    self_check = (
        "Does every number in your report carry its interval?",
        "Did you judge the change with the interval of the difference, not the point estimate?",
        "Does your reason for the first chart say what moved first?",
    )

    def facts(self) -> dict[str, Any]:
        return _board_facts()


def _latest_shares() -> tuple[float, float]:
    from cxlib.analytics import nps as N

    s = _surveys()
    r = N.nps(s[s["survey_date"] >= "2024-01-01"], "ltr")
    return r.share_promoters, r.share_detractors


@exercise
class q5(NumericExercise):
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
class q6(NumericExercise):
    prompt = (
        f"The reality gap: in the quarter starting {GAP_QUARTER[:7]}, by how many points did the "
        "**survey NPS** exceed the **true NPS of the whole customer base** (the mean of "
        "`truth.summary['true_nps_by_month']` over that quarter's three months)?"
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
