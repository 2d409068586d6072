"""Auto-checked exercises for the lessons, in the style of Kaggle Learn's learntools.

In a lesson::

    from cxlib.teaching.exercises import lesson00 as ex, ____
    answer = ____          # the learner replaces the placeholder
    ex.q1.check(answer)    # "not attempted yet", "correct", or what is wrong with *this* answer
    ex.q1.hint()
    ex.q1.solution()

An exercise is declared once, in the lesson's module (``cxlib/exercises/lessonNN.py``),
as a small class decorated with :func:`exercise`. Its expected answer is *computed
from the data* in :meth:`Exercise.expected`, never typed in, so it stays right when
the data change. ``check``, ``hint`` and ``solution`` return a :class:`Feedback`
object that Jupyter shows as coloured Markdown; library code never prints.

Solutions can be switched off for a student edition: they are hidden when the
environment variable ``CX_SOLUTIONS`` is ``off`` (or ``0``/``no``/``false``), or
when a file named ``.cx-student`` is in the working directory or one of its
parents (``make student`` writes it). ``CX_SOLUTIONS=on`` turns them back on.

Examples
--------
>>> @exercise
... class q_demo(NumericExercise):
...     prompt = "What is 2 + 2?"
...     hints = ("Count on your fingers.",)
...     solution_code = "answer = 2 + 2"
...     def expected(self):
...         return 4
>>> q_demo.check(____).status
'unattempted'
>>> q_demo.check(4).status
'correct'
>>> print(q_demo.check(5))
Incorrect: you gave 5, the expected value is smaller.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "____",
    "Placeholder",
    "Feedback",
    "Exercise",
    "NumericExercise",
    "ChoiceExercise",
    "SetExercise",
    "FunctionExercise",
    "exercise",
    "solutions_enabled",
    "exercises_of",
    "as_number",
]


class Placeholder:
    """The ``____`` a learner replaces with an answer."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "____"


#: The blank that exercise cells start with.
____ = Placeholder()

_ICONS = {"correct": "✅", "incorrect": "❌", "unattempted": "✍️", "hint": "💡", "solution": "📘", "info": "ℹ️"}
_COLORS = {
    "correct": "#1a7f37",
    "incorrect": "#cf222e",
    "unattempted": "#6e7781",
    "hint": "#0969da",
    "solution": "#8250df",
    "info": "#6e7781",
}
_LABELS = {
    "correct": "Correct",
    "incorrect": "Incorrect",
    "unattempted": "Not attempted yet",
    "hint": "Hint",
    "solution": "Solution",
    "info": "Note",
}


@dataclass(frozen=True)
class Feedback:
    """The result of ``check``, ``hint`` or ``solution``.

    ``status`` is one of ``correct``, ``incorrect``, ``unattempted``, ``hint``,
    ``solution`` or ``info``; ``bool(feedback)`` is True only when correct.
    """

    status: str
    message: str
    code: str = ""

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __bool__(self) -> bool:
        return self.correct

    def __str__(self) -> str:
        text = f"{_LABELS[self.status]}: {self.message}"
        if self.code:
            text += "\n" + self.code
        return text

    __repr__ = __str__

    def _repr_markdown_(self) -> str:
        head = (
            f'<span style="color:{_COLORS[self.status]}"><b>{_ICONS[self.status]} '
            f"{_LABELS[self.status]}:</b></span> {self.message}"
        )
        if self.code:
            head += f"\n\n```python\n{self.code}\n```"
        return head


def solutions_enabled(start: str | os.PathLike | None = None) -> bool:
    """Whether ``solution()`` may reveal answers (see the module docstring).

    >>> import os; os.environ["CX_SOLUTIONS"] = "off"; solutions_enabled()
    False
    >>> os.environ["CX_SOLUTIONS"] = "on"; solutions_enabled()
    True
    >>> del os.environ["CX_SOLUTIONS"]
    """
    flag = os.environ.get("CX_SOLUTIONS", "").strip().lower()
    if flag in {"off", "0", "no", "false"}:
        return False
    if flag in {"on", "1", "yes", "true"}:
        return True
    here = Path(start or os.getcwd()).resolve()
    return not any((d / ".cx-student").exists() for d in (here, *here.parents))


class Exercise:
    """Base class of an exercise. Subclass it and set the class attributes.

    Attributes
    ----------
    prompt : str
        The question, in Markdown (shown when the exercise object is displayed).
    hints : tuple of str
        Hints, shown one at a time by ``hint()`` / ``hint(2)``.
    solution_code : str
        Code that computes the answer, shown by ``solution()``.
    solution_text : str
        An explanation shown with the code (optional).
    """

    prompt: str = ""
    hints: Sequence[str] = ()
    solution_code: str = ""
    solution_text: str = ""

    def __init__(self) -> None:
        self._expected_cache: Any = Placeholder()

    # --- what a lesson module defines -------------------------------------------------
    def expected(self) -> Any:
        """Compute the expected answer from the data."""
        raise NotImplementedError

    def compare(self, answer: Any, expected: Any) -> bool:
        """True if ``answer`` matches ``expected``."""
        return answer == expected

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        """A message about a specific wrong answer (a known mistake), or None."""
        return None

    def describe_wrong(self, answer: Any, expected: Any) -> str:
        """The default message for a wrong answer."""
        return f"you gave {answer!r}, which is not the expected answer."

    def validate(self, answer: Any) -> str | None:
        """A message if ``answer`` has the wrong type or shape, else None."""
        return None

    # --- the three verbs --------------------------------------------------------------
    @property
    def name(self) -> str:
        return type(self).__name__

    def expected_value(self) -> Any:
        """The expected answer, computed once and cached."""
        if isinstance(self._expected_cache, Placeholder):
            self._expected_cache = self.expected()
        return self._expected_cache

    def check(self, answer: Any = ____) -> Feedback:
        """Check ``answer``; returns a :class:`Feedback`."""
        if isinstance(answer, Placeholder) or answer is None or answer is Ellipsis:
            return Feedback(
                "unattempted", f"replace `____` with your answer, then run `{self.name}.check(answer)` again."
            )
        problem = self.validate(answer)
        if problem:
            return Feedback("incorrect", problem)
        expected = self.expected_value()
        if self.compare(answer, expected):
            return Feedback("correct", self.correct_message(answer, expected))
        return Feedback("incorrect", self.diagnose(answer, expected) or self.describe_wrong(answer, expected))

    def correct_message(self, answer: Any, expected: Any) -> str:
        return "well done."

    def hint(self, n: int = 1) -> Feedback:
        """Hint number ``n`` (1-based)."""
        if not self.hints:
            return Feedback("hint", "no hint for this one: re-read the section above.")
        n = max(1, min(int(n), len(self.hints)))
        more = f" (hint {n} of {len(self.hints)}; `hint({n + 1})` for the next)" if n < len(self.hints) else ""
        return Feedback("hint", self.hints[n - 1] + more)

    def solution(self) -> Feedback:
        """The solution, unless solutions are switched off (student edition)."""
        if not solutions_enabled():
            return Feedback(
                "info", "solutions are switched off in this edition of the course; ask your trainer, or use `hint()`."
            )
        text = self.solution_text or "one way to compute it:"
        return Feedback("solution", text, code=self.solution_code)

    def __repr__(self) -> str:
        return f"<exercise {self.name}: {self.prompt.splitlines()[0] if self.prompt else ''}>"

    def _repr_markdown_(self) -> str:
        return f"**Exercise `{self.name}`.** {self.prompt}"


def as_number(answer: Any) -> float:
    """A learner's numeric answer as a float (a number, a 1-element array or Series).

    >>> as_number(3), as_number([2.5])
    (3.0, 2.5)
    """
    return float(np.asarray(answer, dtype=float).ravel()[0])


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool)


class NumericExercise(Exercise):
    """An exercise whose answer is one number, matched within a tolerance.

    ``abs_tol`` and ``rel_tol`` follow :func:`math.isclose`; the default accepts
    answers within 0.5% (so rounding to the shown decimals passes).
    """

    abs_tol: float = 0.0
    rel_tol: float = 0.005
    unit: str = ""

    def validate(self, answer: Any) -> str | None:
        if isinstance(answer, (np.ndarray, list, tuple)) and np.size(answer) == 1:
            return None
        if not _is_number(answer):
            return f"the answer should be a single number, but you gave {type(answer).__name__} {answer!r}." + (
                " Did you keep it as text? Convert with float()." if isinstance(answer, str) else ""
            )
        if isinstance(answer, float) and math.isnan(answer):
            return "you gave NaN (not a number): a missing value has crept into your calculation."
        return None

    def compare(self, answer: Any, expected: Any) -> bool:
        return math.isclose(as_number(answer), float(expected), rel_tol=self.rel_tol, abs_tol=self.abs_tol)

    def describe_wrong(self, answer: Any, expected: Any) -> str:
        a = as_number(answer)
        direction = "smaller" if a > expected else "larger"
        return f"you gave {a:g}{self.unit}, the expected value is {direction}."


class ChoiceExercise(Exercise):
    """An exercise whose answer is one of a few named choices (case-insensitive)."""

    choices: Sequence[str] = ()
    #: Per-choice explanation shown when that wrong choice is picked.
    why_not: dict = {}

    def validate(self, answer: Any) -> str | None:
        if not isinstance(answer, str) or answer.strip().lower() not in {c.lower() for c in self.choices}:
            return f"choose one of {', '.join(repr(c) for c in self.choices)}; you gave {answer!r}."
        return None

    def compare(self, answer: Any, expected: Any) -> bool:
        return answer.strip().lower() == str(expected).lower()

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        lookup = {k.lower(): v for k, v in self.why_not.items()}
        return lookup.get(answer.strip().lower())

    def describe_wrong(self, answer: Any, expected: Any) -> str:
        return f"{answer!r} is not the best choice here; look at the evidence again."


class SetExercise(Exercise):
    """An exercise whose answer is a collection of labels, order ignored."""

    def validate(self, answer: Any) -> str | None:
        if isinstance(answer, (str, bytes)) or not hasattr(answer, "__iter__"):
            return f"the answer should be a list of labels, but you gave {answer!r}."
        return None

    def compare(self, answer: Any, expected: Any) -> bool:
        return {str(a) for a in answer} == {str(e) for e in expected}

    def describe_wrong(self, answer: Any, expected: Any) -> str:
        got, want = {str(a) for a in answer}, {str(e) for e in expected}
        parts = []
        if got - want:
            parts.append(f"these should not be there: {sorted(got - want)}")
        if want - got:
            parts.append(f"{len(want - got)} expected item(s) are missing")
        return "; ".join(parts) + "."


class FunctionExercise(Exercise):
    """An exercise whose answer is a function, checked on test cases.

    ``cases()`` returns a list of ``(args, expected_result)``; the first failing
    case is reported with the arguments, the expected and the returned value.
    """

    def cases(self) -> list[tuple[tuple, Any]]:
        raise NotImplementedError

    def expected(self) -> Any:
        return self.cases()

    def validate(self, answer: Any) -> str | None:
        if not callable(answer):
            return f"the answer should be a function (def ...), but you gave {type(answer).__name__}."
        return None

    def _first_failure(self, fn: Callable, cases) -> str | None:
        for args, want in cases:
            try:
                got = fn(*args)
            except Exception as exc:  # the learner's code raised: report it, do not crash
                return f"calling it with {', '.join(map(repr, args))} raised {type(exc).__name__}: {exc}."
            if not _same(got, want):
                return f"with {', '.join(map(repr, args))} it returned {got!r}; expected {want!r}."
        return None

    def compare(self, answer: Any, expected: Any) -> bool:
        return self._first_failure(answer, expected) is None

    def describe_wrong(self, answer: Any, expected: Any) -> str:
        return self._first_failure(answer, expected) or "it does not behave as expected."


def _same(got: Any, want: Any) -> bool:
    if _is_number(got) and _is_number(want):
        return math.isclose(float(got), float(want), rel_tol=1e-9, abs_tol=1e-9)
    try:
        return bool(got == want)
    except Exception:  # arrays and frames: compare element-wise
        return bool(np.all(np.asarray(got) == np.asarray(want)))


def exercise(cls: type) -> Exercise:
    """Class decorator: declare an exercise; the module gets its instance."""
    return cls()


def exercises_of(module) -> dict[str, Exercise]:
    """The exercises a lesson module declares, by name (``q1``, ``q2``, ...)."""
    return {k: v for k, v in sorted(vars(module).items()) if isinstance(v, Exercise)}
