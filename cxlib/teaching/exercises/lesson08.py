"""Exercises of lesson 08 (when the data is big): NPS by plan from a Parquet file with DuckDB.

The expected answers are computed from the lesson's file (:func:`cxlib.teaching.bigdata.write_big_surveys`
with the lesson's rows and seed) and from the bundled survey, never typed in. q4 is computed with
pandas; q5 is an open question whose model answer (for trainers) is filled from the data.

Examples
--------
>>> from cxlib.teaching.exercises import ____, lesson08 as ex
>>> ex.q1.check(____).status
'unattempted'
"""

from __future__ import annotations

import functools
import math
from typing import Any

import pandas as pd

from cxlib.teaching.exercises import NumericExercise, OpenExercise, PandasExercise, SeriesExercise, as_number, exercise

__all__ = ["q1", "q2", "q3", "q4", "q5", "ROWS", "SEED"]

#: The size and seed of the lesson's file.
ROWS = 5_000_000
SEED = 8


@functools.lru_cache(maxsize=1)
def _counts():
    from cxlib.data import engine
    from cxlib.teaching.bigdata import big_surveys_file

    path = big_surveys_file(ROWS, SEED)  # the lesson's own file (cached: written once)
    return engine.nps_counts(path, "ltr", by="plan")


def _answers() -> int:
    return int(_counts()[["promoters", "passives", "detractors"]].sum().sum())


def _nps(row) -> float:
    n = row["promoters"] + row["passives"] + row["detractors"]
    return 100.0 * (row["promoters"] - row["detractors"]) / n


@exercise
class q1(NumericExercise):
    prompt = (
        "Easy. From the count table `counts` of the big file (one row per plan), what is the NPS of the "
        "**Basic** plan, in points?"
    )
    hints = (
        "NPS = 100 × (promoters − detractors) / (promoters + passives + detractors); blanks are not answers.",
        "Pick the row of `counts` whose `plan` is Basic, and use its promoters, passives and detractors.",
    )
    solution_code = (
        "b = counts.set_index('plan').loc['Basic']\n"
        "answer = 100 * (b.promoters - b.detractors) / (b.promoters + b.passives + b.detractors)"
    )
    abs_tol = 0.06
    rel_tol = 0.0
    scale = "points"  # 0.248 is read as 24.8 points
    decimals = 1
    unit = " points"

    def expected(self) -> float:
        return _nps(_counts().set_index("plan").loc["Basic"])

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        b = _counts().set_index("plan").loc["Basic"]
        a = as_number(answer)
        n_all = b["promoters"] + b["passives"] + b["detractors"] + b["missing"]
        if math.isclose(a, 100.0 * (b["promoters"] - b["detractors"]) / n_all, abs_tol=0.06) and b["missing"]:
            return "you divided by every row, blanks included; divide by the answers only."
        if math.isclose(a, _nps(_counts().sum(numeric_only=True)), abs_tol=0.06):
            return "that is the NPS of all plans together; the question asks for the Basic plan."
        return None


@exercise
class q2(NumericExercise):
    prompt = (
        "How many answers (promoters, passives and detractors, all plans) does the big file hold? "
        "This is the *n* of the overall NPS."
    )
    hints = (
        "Each row of `counts` holds a plan's promoters, passives and detractors.",
        "Add the three count columns, then add the plans' totals.",
    )
    solution_code = "answer = int(counts[['promoters', 'passives', 'detractors']].sum().sum())"
    rel_tol = 0.0

    def expected(self) -> int:
        return _answers()


@exercise
class q3(NumericExercise):
    prompt = (
        "The bundled survey has 2,003 answers and its overall NPS interval is about 5.8 points wide. About how "
        "many times **narrower** is the interval of the big file's overall NPS? (Intervals narrow with "
        "the square root of *n*.) Give the ratio of the two widths."
    )
    hints = (
        "The width is proportional to $1/\\sqrt{n}$ when the shares stay the same.",
        "Divide the square root of the big file's *n* (exercise q2) by the square root of 2,003.",
    )
    solution_code = "answer = (counts[['promoters', 'passives', 'detractors']].sum().sum() / 2003) ** 0.5"
    rel_tol = 0.2  # "about": widths read off the printed, rounded intervals give 45-60

    def expected(self) -> float:
        return math.sqrt(_answers() / 2003)

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        a = as_number(answer)
        if math.isclose(a, _answers() / 2003, rel_tol=0.05):
            return "that is the ratio of the sample sizes; the width shrinks with its square root."
        return None


def _surveys() -> pd.DataFrame:
    from cxlib.data import datasets

    return datasets.load_nps_surveys()


@exercise
class q4(PandasExercise, SeriesExercise):
    prompt = (
        "With pandas. A count table is a `groupby`: when the rows fit in memory, pandas counts them too. "
        "Compute the NPS of each **city** in the bundled survey `surveys` (one number per city, in points): "
        "count the promoters and detractors per city, then NPS = 100 × (promoters − detractors) / answers."
    )
    hints = (
        "Group the answers by city: `surveys.groupby('city')['ltr']`.",
        "Promoters answer 9-10 and detractors 0-6; the mean of a True/False column is a share, so "
        "compute the two shares per city.",
        "Combine the two shares per city: (share of promoters − share of detractors) × 100.",
    )
    solution_code = (
        "promoter = (surveys['ltr'] >= 9).groupby(surveys['city']).mean()\n"
        "detractor = (surveys['ltr'] <= 6).groupby(surveys['city']).mean()\n"
        "answer = 100 * (promoter - detractor)"
    )
    cxlib_equivalent = "cxlib.analytics.nps.nps_by"
    scale = "points"
    decimals = 0
    rel_tol = 0.0
    abs_tol = 0.06
    unit = " points"

    def expected(self) -> pd.Series:
        from cxlib.analytics import nps as N

        return N.nps_by(_surveys(), "ltr", "city").summary["nps"].astype(float)

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        s = _surveys()
        score, city = s["ltr"], s["city"]
        seven = 100 * ((score >= 9).groupby(city).mean() - (score <= 7).groupby(city).mean())
        if self.compare(answer, seven):
            return "you counted 7 as a detractor; detractors answer 0-6, 7 and 8 are passives."
        eight = 100 * ((score >= 8).groupby(city).mean() - (score <= 6).groupby(city).mean())
        if self.compare(answer, eight):
            return "you counted 8 as a promoter; promoters answer 9 or 10."
        return None


def _board_facts() -> dict[str, Any]:
    """The numbers of q5's model answer: the big file's NPS, its interval at 40 million answers, the reality gap."""
    from cxlib.analytics import nps as N
    from cxlib.data import datasets

    total = _counts()[["promoters", "passives", "detractors"]].sum()
    big = N.from_counts(int(total["promoters"]), int(total["passives"]), int(total["detractors"]))
    shares = total / total.sum()
    forty = N.from_counts(*(round(40_000_000 * float(shares[c])) for c in ("promoters", "passives", "detractors")))
    s = _surveys()
    survey = N.nps(s, "ltr")
    true = pd.Series(datasets.load_truth().summary["true_nps_by_month"])
    true.index = pd.to_datetime(true.index)
    first = s["survey_date"].min().to_period("M").to_timestamp()
    base = float(true[(true.index >= first) & (true.index <= s["survey_date"].max())].mean())
    return {
        "nps": big.nps,
        "half_40m": (forty.ci_high - forty.ci_low) / 2,
        "half_small": (survey.ci_high - survey.ci_low) / 2,
        "n_small": survey.n,
        "survey": survey.nps,
        "base": base,
        "gap": survey.nps - base,
    }


@exercise
class q5(OpenExercise):
    prompt = (
        "Open question, for discussion. Your company has 40 million survey answers in a Spark table. In a "
        "few sentences (a string between quotes): which two numbers would you still report next to the NPS "
        "by plan, and why does the size of the table not make lesson 05's reality gap smaller?"
    )
    hints = (
        "Start from the interval: how wide is it with 40 million answers? Use the slider above, or the "
        "square-root rule of exercise q3.",
        "Lesson 05 compared the survey's NPS with the true NPS of the whole customer base: is that gap noise "
        "that more answers average away, or a difference in who answers?",
        "Think of a number that says who answered, and one about what customers do rather than say.",
    )
    model_answer = (
        "With 40 million answers the interval of the NPS by plan is about ±{half_40m:.2f} points (the bundled "
        "survey's {n_small:,} answers give ±{half_small:.1f}), so precision is no longer the question; I would "
        "still report it, with the response rate (who answered, per plan) and a behavioural measure such as "
        "churn or complaints next to the NPS. The size does not shrink the reality gap: in lesson 05 the "
        "survey's NPS ({survey:.0f}) stood about {gap:.0f} points above the true NPS of the whole base "
        "({base:.0f}) over the same months, because the happier customers answer and those who left are no "
        "longer asked. That is a bias in who answers, not noise: 40 million answers from the same kind of "
        "respondents estimate the same biased number, only more precisely."
    )
    look_for = (
        "the interval is tiny with 40 million answers: precision is not the issue",
        "who answered (response rate, per segment) reported next to the NPS",
        "a behavioural measure (churn, complaints, repeat contacts) next to what customers say",
        "the reality gap is a bias in who answers, which more answers do not average away",
    )
    self_check = (
        "Did you say how wide the interval is with 40 million answers?",
        "Did you name a number about who answered, and one about what customers do?",
        "Did you explain why the gap is a bias and not noise?",
    )

    def facts(self) -> dict[str, Any]:
        return _board_facts()
