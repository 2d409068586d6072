"""Every exercise's solution code runs and passes its own check (issue 17, "Habits").

A solution is shown to learners as code to run in the lesson, so it must work with the names
the lesson defines. Lessons 00, 01 and 05 execute their solutions in their own test files
(``test_solution_code_*``); this file runs those of every other lesson, in a namespace with
the names its notebook defines before the exercises, and checks that no lesson is left out.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxlib.data import datasets
from cxlib.teaching.exercises import ChoiceExercise, Exercise, OpenExercise, exercises_of

ROOT = Path(__file__).resolve().parents[1]
#: lessons whose own test file executes every solution (and the name of that test)
RUN_ELSEWHERE = {
    "00": "test_solution_code_computes_the_expected_answer",
    "01": "test_solution_code_computes_the_expected_answer",
    "05": "test_solution_code_is_correct",
}


def _lesson02() -> dict:
    from cxlib import features
    from cxlib.analytics import personas as P

    customers, activity = datasets.load_customers(), datasets.load_activity()
    interactions, surveys = datasets.load_interactions(), datasets.load_nps_surveys()
    feats = features.customer_features(customers, activity, interactions, surveys)
    return dict(P=P, features=features, customers=customers, activity=activity, interactions=interactions, feats=feats)


def _lesson03() -> dict:
    from cxlib.analytics.emotion import connection_from_text, measure_validity, risk_ratio_table
    from cxlib.analytics.text import score_texts
    from cxlib.teaching.exercises import lesson03

    return dict(
        ex=lesson03,
        nps=datasets.load_nps_surveys(),
        score_texts=score_texts,
        risk_ratio_table=risk_ratio_table,
        connection_from_text=connection_from_text,
        measure_validity=measure_validity,
    )


def _lesson04() -> dict:
    from cxlib.analytics import feedback as F

    return dict(F=F, datasets=datasets, np=np)


def _lesson06() -> dict:
    return dict(snap=datasets.load_churn_snapshot(), truth=datasets.load_truth())


def _lesson07() -> dict:
    return dict(
        snapshot=datasets.load_churn_snapshot(),
        activity=datasets.load_activity(),
        customers=datasets.load_customers(),
    )


def _lesson08() -> dict:
    from cxlib.teaching.exercises import lesson08

    # the lesson's count table of its big file (same rows, same seed) and the bundled survey
    return dict(counts=lesson08._counts(), surveys=datasets.load_nps_surveys())


NAMESPACES: dict[str, Callable[[], dict]] = {
    "02": _lesson02,
    "03": _lesson03,
    "04": _lesson04,
    "06": _lesson06,
    "07": _lesson07,
    "08": _lesson08,
}


def lesson_numbers() -> list[str]:
    return sorted(
        p.stem.removeprefix("lesson") for p in (ROOT / "cxlib/teaching/exercises").glob("lesson[0-9][0-9].py")
    )


def the_answer(q: Exercise, scope: dict):
    """``answer`` if the solution sets it, else the function it defines (a FunctionExercise)."""
    if "answer" in scope:
        return scope["answer"]
    defined = [node.name for node in ast.parse(q.solution_code).body if isinstance(node, ast.FunctionDef)]
    assert defined, f"{q.name}: its solution sets no `answer` and defines no function"
    return scope[defined[-1]]


CASES = [
    (n, name)
    for n in sorted(NAMESPACES)
    for name in exercises_of(importlib.import_module(f"cxlib.teaching.exercises.lesson{n}"))
]


@pytest.fixture(scope="module")
def namespaces() -> dict[str, dict]:
    return {}


@pytest.mark.parametrize(("lesson", "name"), CASES, ids=[f"{n}-{q}" for n, q in CASES])
def test_solution_code_runs_and_passes_its_check(lesson, name, namespaces):
    q = exercises_of(importlib.import_module(f"cxlib.teaching.exercises.lesson{lesson}"))[name]
    if not q.solution_code.strip():
        # a choice or an open question may be answered in words only
        assert isinstance(q, (ChoiceExercise, OpenExercise)) and (q.solution_text.strip() or q.model_answer.strip())
        return
    if lesson not in namespaces:
        namespaces[lesson] = NAMESPACES[lesson]()
    scope = {"pd": pd, "np": np, "datasets": datasets, **namespaces[lesson]}
    scope = {k: (v.copy() if isinstance(v, pd.DataFrame) else v) for k, v in scope.items()}  # solutions may add columns
    exec(q.solution_code, scope)
    feedback = q.check(the_answer(q, scope))
    assert feedback.correct, f"lesson {lesson} {name}: {feedback.message}"


def test_every_lesson_s_solutions_are_run_somewhere():
    lessons = lesson_numbers()
    assert set(lessons) == set(NAMESPACES) | set(RUN_ELSEWHERE), "add the new lesson's namespace to NAMESPACES"
    for n, test in RUN_ELSEWHERE.items():
        source = (ROOT / "tests" / f"test_exercises_lesson{n}.py").read_text(encoding="utf-8")
        assert re.search(rf"def {test}\(.*\n(.*\n){{0,15}}.*exec\(q\.solution_code", source), n
