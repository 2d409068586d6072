"""Exercises of lesson 08 (when the data is big): NPS by plan from a Parquet file with DuckDB.

The expected answers are computed from the lesson's file (:func:`cxlib.teaching.bigdata.write_big_surveys`
with the lesson's rows and seed), never typed in.

Examples
--------
>>> from cxlib.teaching.exercises import ____, lesson08 as ex
>>> ex.q1.check(____).status
'unattempted'
"""

from __future__ import annotations

import functools
import math
import tempfile
from pathlib import Path
from typing import Any

from cxlib.teaching.exercises import NumericExercise, as_number, exercise

__all__ = ["q1", "q2", "q3", "ROWS", "SEED"]

#: The size and seed of the lesson's file.
ROWS = 1_000_000
SEED = 8


@functools.lru_cache(maxsize=1)
def _counts():
    from cxlib.data import engine
    from cxlib.teaching.bigdata import write_big_surveys

    path = write_big_surveys(Path(tempfile.mkdtemp(prefix="cx08-")) / "surveys_big.parquet", ROWS, SEED)
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
    rel_tol = 0.05

    def expected(self) -> float:
        return math.sqrt(_answers() / 2003)

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        a = as_number(answer)
        if math.isclose(a, _answers() / 2003, rel_tol=0.05):
            return "that is the ratio of the sample sizes; the width shrinks with its square root."
        return None
