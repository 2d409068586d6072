"""Exercises of lesson 00 (welcome): two first looks at the bundled Simorgh Mobile data.

The expected answers are computed from the bundled data, never typed in.

Examples
--------
>>> from cxlib.teaching.exercises import ____, lesson00 as ex
>>> ex.q1.check(____).status
'unattempted'
>>> from cxlib.data import datasets
>>> ex.q1.check(int((datasets.load_customers()["status"] == "active").sum())).status
'correct'
>>> print(ex.q2.check(46.2))  # a percentage where a share is asked for
Incorrect: you gave a percentage (46.2); give the share as a number between 0 and 1 (e.g. 0.46).
"""

from __future__ import annotations

import math
from typing import Any

from cxlib.teaching.exercises import NumericExercise, as_number, exercise

__all__ = ["q1", "q2"]


def _customers():
    from cxlib.data import datasets

    return datasets.load_customers()


def _ltr():
    from cxlib.data import datasets

    return datasets.load_nps_surveys()["ltr"].dropna()


def _close(a: float, b: float, tol: float = 0.005) -> bool:
    return math.isclose(a, b, abs_tol=tol)


@exercise
class q1(NumericExercise):
    prompt = (
        "How many customers were **still active at the end of the window** (December 2024)? Use the `customers` table."
    )
    hints = (
        "Each customer has one row in `customers`; the column `status` is `active` or `churned` "
        "at the end of the window.",
        "Compare the `status` column with the value that means 'still a customer': you get a True/False "
        "column, one value per customer, and `.sum()` of it counts the Trues.",
    )
    solution_code = "customers = datasets.load_customers()\nanswer = (customers['status'] == 'active').sum()"
    solution_text = "one row per customer, so count the rows whose status is still `active`:"
    rel_tol = 0.0  # a count: exactly right or not

    def expected(self) -> int:
        return int((_customers()["status"] == "active").sum())

    def validate(self, answer: Any) -> str | None:
        problem = super().validate(answer)
        if problem is None and as_number(answer) != int(as_number(answer)):
            return f"a number of customers is a whole number; you gave {answer}."
        return problem

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        a = int(as_number(answer))
        customers = _customers()
        if a == len(customers):
            return (
                f"{a} is every customer who was active at some time in the window, including "
                "those who churned. Keep only the rows whose `status` is `active`."
            )
        if a == int((customers["status"] == "churned").sum()):
            return f"{a} is the number of customers who churned; the question asks for those still active."
        from cxlib.data import datasets

        activity = datasets.load_activity()
        last = activity[activity["month"] == activity["month"].max()]
        if a == last["customer_id"].nunique():
            return (
                f"{a} customers have a row in December 2024, but that includes those who "
                "cancelled during December (their last row has `churned == 1`)."
            )
        return None


@exercise
class q2(NumericExercise):
    prompt = (
        "What **share of the relationship-survey answers are promoters** (a score of 9 or 10 "
        "to 'How likely are you to recommend Simorgh Mobile?')? Use the `ltr` column of "
        "`nps_surveys` and give a share between 0 and 1, to two decimals or more."
    )
    hints = (
        "Promoters score 9–10, passives 7–8, detractors 0–6 (Reichheld 2003).",
        "Compare the `ltr` column with the lowest promoter score: you get a True/False column, one value per answer.",
        "The mean of a True/False column is the share of Trues (pandas' `.mean()`).",
    )
    solution_code = "surveys = datasets.load_nps_surveys()\nanswer = (surveys['ltr'] >= 9).mean()"
    solution_text = "the mean of a True/False column is the share of Trues:"
    scale = "share"  # 0.46, 45.9 and "45.9%" are read alike; rounding to whole percents is accepted
    abs_tol = 0.0051
    rel_tol = 0.0
    formats = "0.46 or '0.46' (a share between 0 and 1)"

    def expected(self) -> float:
        return float((_ltr() >= 9).mean())

    def validate(self, answer: Any) -> str | None:
        problem = super().validate(answer)
        if problem is None and 1 < as_number(answer) <= 100:
            return (
                f"you gave a percentage ({as_number(answer):g}); give the share as a number "
                "between 0 and 1 (e.g. 0.46)."
            )
        if problem is None and not 0 <= as_number(answer) <= 1:
            return f"a share is between 0 and 1; you gave {as_number(answer):g}."
        return problem

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        a, ltr = as_number(answer), _ltr()
        if _close(a, (ltr >= 8).mean()):
            return "you counted 8s as promoters: 7–8 are passives, promoters score 9 or 10."
        if _close(a, (ltr >= 10).mean()):
            return "you counted only the 10s (`> 9` or `== 10`): a 9 is a promoter too."
        if _close(a, (ltr >= 9).mean() - (ltr <= 6).mean()):
            return (
                "that is promoters minus detractors (the NPS divided by 100); the question asks "
                "for the share of promoters alone."
            )
        if _close(a, (ltr <= 6).mean()):
            return "that is the share of detractors (0–6); promoters score 9 or 10."
        return None
