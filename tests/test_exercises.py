"""What every lesson's exercises must do, checked once for all lessons.

Each ``tests/test_exercises_lessonNN.py`` then tests its own answers: the correct one,
typical wrong ones with their specific messages, and that the shown solution code
computes the expected answer.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest

from cxlib.teaching import exercises as exercises_pkg
from cxlib.teaching.exercises import ____, exercises_of

LESSONS = sorted(m.name for m in pkgutil.iter_modules(exercises_pkg.__path__) if m.name.startswith("lesson"))
EXERCISES = [
    (name, q)
    for name in LESSONS
    for q in exercises_of(importlib.import_module(f"cxlib.teaching.exercises.{name}")).values()
]


def test_every_lesson_has_its_exercises():
    assert LESSONS == [f"lesson{n:02d}" for n in range(8)]
    for name in LESSONS:
        count = len(exercises_of(importlib.import_module(f"cxlib.teaching.exercises.{name}")))
        assert count >= (2 if name == "lesson00" else 3), name


@pytest.mark.parametrize("lesson, q", EXERCISES, ids=lambda v: v if isinstance(v, str) else v.name)
def test_exercise_has_a_prompt_hints_and_a_solution(lesson, q):
    assert q.prompt.strip() and q.hints
    assert q.solution_code.strip() or q.solution_text.strip()  # code, or an explanation for a choice
    assert q.hint().status == "hint" and q.hint(99).status == "hint"
    assert q.name.startswith("q")


@pytest.mark.parametrize("lesson, q", EXERCISES, ids=lambda v: v if isinstance(v, str) else v.name)
def test_blank_answer_is_not_attempted_rather_than_wrong(lesson, q):
    for blank in (____, None, ...):
        fb = q.check(blank)
        assert fb.status == "unattempted" and not fb.correct


@pytest.mark.parametrize("lesson, q", EXERCISES, ids=lambda v: v if isinstance(v, str) else v.name)
def test_answer_of_the_wrong_kind_gets_a_message_not_an_exception(lesson, q):
    for odd in ("not an answer", object(), {"a": 1}):
        fb = q.check(odd)
        assert fb.status == "incorrect" and fb.message


@pytest.mark.parametrize("lesson, q", EXERCISES, ids=lambda v: v if isinstance(v, str) else v.name)
def test_solutions_can_be_switched_off_for_a_student_edition(lesson, q, monkeypatch):
    monkeypatch.setenv("CX_SOLUTIONS", "off")
    hidden = q.solution()
    assert hidden.status == "info" and not hidden.code
    monkeypatch.setenv("CX_SOLUTIONS", "on")
    shown = q.solution()
    assert shown.status == "solution" and shown.code == q.solution_code
