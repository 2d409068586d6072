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

Answers are accepted in any unambiguous form (see :mod:`cxlib.teaching.exercises._answers`):
a number as text (``"14.3"``, ``"14.3%"``, ``"1,234"``), a one-element list, array or
Series; a share or a percent when the question declares its ``scale``; a rounded answer
when the question accepts that many ``decimals`` (whole points for NPS); a choice with any
case, spacing, hyphens or underscores. Besides numbers, choices, sets and functions there
are :class:`SeriesExercise` (one number per label, e.g. a churn rate per plan),
:class:`OpenExercise` (a few sentences; the trainer's model answer is shown only where
solutions are) and :class:`PandasExercise` (compute it by hand: no hint names the cxlib
call that would do it in one line). :meth:`Exercise.hint_problems` checks that the hints
form a ladder that never contains the solution.

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
import re
import string
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from cxlib.teaching.exercises._answers import Reading, normalise_label, parse_number, readings
from cxlib.teaching.exercises._feedback import Feedback, Placeholder, ____, solutions_enabled
from cxlib.teaching.exercises._ladder import ladder_problems

__all__ = [
    "____",
    "Placeholder",
    "Feedback",
    "Exercise",
    "NumericExercise",
    "ChoiceExercise",
    "SetExercise",
    "FunctionExercise",
    "SeriesExercise",
    "OpenExercise",
    "PandasExercise",
    "exercise",
    "solutions_enabled",
    "exercises_of",
    "as_number",
    "normalise_label",
]


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
            return Feedback("unattempted", "replace `____` with your answer, then run this cell again.")
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
        """Hint number ``n`` (1-based); past the last hint, says so and repeats the last one."""
        if not self.hints:
            return Feedback("hint", "no hint for this one: re-read the section above.")
        total = len(self.hints)
        n = int(n)
        if n < 1:
            return Feedback("info", f"hints are numbered from 1: `{self.name}.hint()` or `{self.name}.hint(1)`.")
        if n > total:
            after = (
                f"`{self.name}.solution()` shows a worked solution."
                if solutions_enabled()
                else "Ask your trainer, or compare your approach with the section above."
            )
            return Feedback(
                "info",
                f"there is no hint {n}: {self.name} has {total} hint{'s' if total > 1 else ''}, and "
                f"`hint({total})` was the last. It said: {self.hints[-1]} {after}",
            )
        more = (
            f" (hint {n} of {total}; `hint({n + 1})` for the next)"
            if n < total
            else f" (hint {n} of {total}, the last)"
        )
        return Feedback("hint", self.hints[n - 1] + more)

    def hint_problems(self) -> list[str]:
        """Every way the hints fail to form a ladder that keeps the solution back (empty when fine).

        No hint may contain the solution code's key call, one of its statements, or the
        final value (see :mod:`cxlib.teaching.exercises._ladder`); computing the expected
        value may load data.
        """
        return ladder_problems(self.hints, self.solution_code, **self._ladder_options())

    def _ladder_options(self) -> dict[str, Any]:
        return {}

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
    """A learner's numeric answer as a float, as written (a percent sign is dropped).

    Takes a number, a one-element list, array or Series, or text such as ``"14.3"``,
    ``"1,234"`` or ``"14.3%"`` (read as 14.3). Raises ``ValueError`` when the answer holds
    no single number.

    Parameters
    ----------
    answer : object
        The learner's answer.

    Returns
    -------
    float
        The number as written (``"14.3%"`` gives 14.3).

    Examples
    --------
    >>> as_number(3), as_number([2.5]), as_number("14.3%"), as_number("1,234")
    (3.0, 2.5, 14.3, 1234.0)
    """
    parsed = parse_number(answer)
    if parsed is None:
        raise ValueError(f"{answer!r} holds no single number.")
    return parsed.value


def _shown(x: float) -> str:
    """A number as a message shows it: 4,900,000 rather than 4.9e+06; 0.248 and 24.8 as written."""
    return f"{x:,.0f}" if abs(x) >= 10_000 and float(x).is_integer() else f"{x:g}"


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool)


class NumericExercise(Exercise):
    """An exercise whose answer is one number, matched within a tolerance.

    ``abs_tol`` and ``rel_tol`` follow :func:`math.isclose`; the default accepts
    answers within 0.5% (so rounding to the shown decimals passes).

    Attributes
    ----------
    scale : {None, "share", "percent", "points"}
        What the number is. With ``"share"`` (0 to 1) an answer of 14.3 or ``"14.3%"`` is
        read as 0.143; with ``"percent"`` an answer of 0.143 is read as 14.3%; with
        ``"points"`` (NPS, −100 to 100) 0.453 is read as 45.3 points. ``None`` (money,
        counts) reads a bare number only as given, and ``"14.3%"`` as 0.143 or 14.3.
    decimals : int or None
        The coarsest rounding accepted: an answer written with at least this many
        decimals is right when it equals the expected value rounded to the decimals the
        learner wrote (``decimals = 0``: 45 is right for 45.3). ``None`` (the default)
        relies on the tolerances only; a ``"points"`` question defaults to whole points, a
        ``"share"`` question to whole percents (0.22 or 22% is right for 0.2222).
    unit : str
        Shown after the number in messages (``" points"``, ``" USD"``).
    formats : str
        The ways of writing an answer that a message suggests when one cannot be read.

    Examples
    --------
    >>> @exercise
    ... class q_points(NumericExercise):
    ...     prompt = "What is the NPS, in points?"
    ...     scale = "points"
    ...     def expected(self):
    ...         return 45.283
    >>> [q_points.check(a).status for a in (45, "45.3", 0.453, "45.28 points", 45.7, 46)]
    ['correct', 'correct', 'correct', 'correct', 'incorrect', 'incorrect']
    """

    abs_tol: float = 0.0
    rel_tol: float = 0.005
    unit: str = ""
    scale: str | None = None
    decimals: int | None = None
    formats: str = "45.3, '45.3', '14.3%' or '1,234'"

    def _min_decimals(self) -> int | None:
        if self.decimals is not None:
            return self.decimals
        return {"points": 0, "share": 2}.get(self.scale or "")

    def readings(self, answer: Any) -> list[Reading]:
        """What ``answer`` can mean on this question's ``scale``, the reading as given first."""
        parsed = parse_number(answer)
        return [] if parsed is None else readings(parsed, self.scale)

    def validate(self, answer: Any) -> str | None:
        parsed = parse_number(answer)
        if parsed is None:
            if isinstance(answer, str):
                return f"{answer!r} could not be read as one number; write it as {self.formats}."
            return f"the answer should be a single number, but you gave {type(answer).__name__} {answer!r}."
        if math.isnan(parsed.value):
            return "you gave NaN (not a number): a missing value has crept into your calculation."
        if math.isinf(parsed.value):
            return "you gave an infinite value: a division by zero has crept into your calculation."
        return None

    def _matches(self, reading: Reading, expected: float) -> bool:
        if math.isclose(reading.value, expected, rel_tol=self.rel_tol, abs_tol=self.abs_tol):
            return True
        coarsest = self._min_decimals()
        if coarsest is None or reading.decimals is None or reading.decimals < coarsest:
            return False
        half = 0.5 * 10.0 ** (-reading.decimals)
        if half > 0.1 * abs(expected):  # a rounding that keeps no digit of it ("0%" for 0.004) is no answer
            return False
        return abs(reading.value - expected) <= half * (1 + 1e-9) + 1e-12

    def read_as(self, answer: Any, value: float, tol: float = 1e-3) -> bool:
        """Whether ``answer`` can be read (on this question's scale) as ``value``, within ``tol``;
        for diagnoses of a wrong answer written as a share or as a percent alike."""
        return any(abs(r.value - value) <= tol for r in self.readings(answer))

    def matching_reading(self, answer: Any, expected: Any) -> Reading | None:
        """The first reading of ``answer`` that matches ``expected`` (None if none does)."""
        e = float(expected)
        return next((r for r in self.readings(answer) if self._matches(r, e)), None)

    def compare(self, answer: Any, expected: Any) -> bool:
        return self.matching_reading(answer, expected) is not None

    def correct_message(self, answer: Any, expected: Any) -> str:
        reading = self.matching_reading(answer, expected)
        if reading is not None and reading.note:
            return f"well done ({reading.note})."
        return "well done."

    def describe_wrong(self, answer: Any, expected: Any) -> str:
        e = float(expected)
        reading = min(self.readings(answer), key=lambda r: abs(r.value - e), default=None)
        a = reading.value if reading is not None else as_number(answer)  # "30%" for a share: 0.3
        direction = "smaller" if a > e else "larger"
        read = f" ({reading.note})" if reading is not None and reading.note else ""
        text = f"you gave {_shown(a)}{self.unit}{read}, the expected value is {direction}."
        coarsest = self._min_decimals()
        parsed = parse_number(answer)
        places = reading.decimals if reading is not None else None  # of the reading: "30%" is 0.30
        whole_share = self.scale == "share" and places == 0  # 0 or 1 is a claim ("always right"), not a rounding
        if coarsest is not None and places is not None and not whole_share:
            if places < coarsest and abs(a - e) <= 0.5 * 10.0 ** (-places):  # a rounding of it, too coarse
                return f"you gave {_shown(a)}{self.unit}: give it with at least {coarsest} decimal(s)."
        if self.scale is None and parsed is not None and not parsed.percent:
            if math.isclose(a / 100, e, rel_tol=max(self.rel_tol, 1e-9), abs_tol=self.abs_tol / 100 or 0.0):
                text += f" (If {a:g} is a percent, write it as '{a:g}%' or as the number {a / 100:g}.)"
        return text

    def _ladder_options(self) -> dict[str, Any]:
        return {"expected": self.expected_value, "numeric": True, "percent_forms": self.scale == "share"}


class ChoiceExercise(Exercise):
    """An exercise whose answer is one of a few named choices.

    Case, surrounding quotes or brackets, and spaces, hyphens or underscores between words
    do not matter (``"Must be"``, ``"must-be"`` and ``"MUST_BE"`` are the same choice).
    """

    choices: Sequence[str] = ()
    #: Per-choice explanation shown when that wrong choice is picked.
    why_not: dict = {}

    def _choice(self, answer: Any) -> str | None:
        if not isinstance(answer, str):
            return None
        key = normalise_label(answer)
        return next((c for c in self.choices if normalise_label(c) == key), None)

    def validate(self, answer: Any) -> str | None:
        if self._choice(answer) is None:
            return f"choose one of {', '.join(repr(c) for c in self.choices)}; you gave {answer!r}."
        return None

    def compare(self, answer: Any, expected: Any) -> bool:
        return normalise_label(answer) == normalise_label(expected)

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        lookup = {normalise_label(k): v for k, v in self.why_not.items()}
        return lookup.get(normalise_label(answer))

    def describe_wrong(self, answer: Any, expected: Any) -> str:
        return f"{answer!r} is not the best choice here; look at the evidence again."


class SetExercise(Exercise):
    """An exercise whose answer is a collection of labels, order, case and separators ignored."""

    def validate(self, answer: Any) -> str | None:
        if isinstance(answer, (str, bytes)) or not hasattr(answer, "__iter__"):
            return f"the answer should be a list of labels, but you gave {answer!r}."
        return None

    @staticmethod
    def _labels(values: Any) -> set[str]:
        return {normalise_label(v) for v in values}

    def compare(self, answer: Any, expected: Any) -> bool:
        return self._labels(answer) == self._labels(expected)

    def describe_wrong(self, answer: Any, expected: Any) -> str:
        got, want = self._labels(answer), self._labels(expected)
        parts = []
        if got - want:
            extra = sorted(str(a) for a in answer if normalise_label(a) in got - want)
            parts.append(f"these should not be there: {extra}")
        if want - got:
            parts.append(f"{len(want - got)} expected item(s) are missing")
        return "; ".join(parts) + "."

    def _ladder_options(self) -> dict[str, Any]:
        return {"expected": self.expected_value, "labels": True}


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


class SeriesExercise(NumericExercise):
    """An exercise whose answer is one number per label (a churn rate per plan, an NPS per city).

    ``expected()`` returns a :class:`pandas.Series` indexed by label. The learner may answer
    with a Series (a ``groupby`` result), a one-column DataFrame or a dict; labels are
    matched as in :class:`ChoiceExercise` and values as in :class:`NumericExercise`, with
    one reading (as given, or every value converted between share and percent) for all.

    Examples
    --------
    >>> import pandas as pd
    >>> @exercise
    ... class q_rates(SeriesExercise):
    ...     prompt = "Churn rate per plan, as a share."
    ...     scale = "share"
    ...     def expected(self):
    ...         return pd.Series({"Basic": 0.12, "Plus": 0.08})
    >>> q_rates.check({"basic": 0.12, "PLUS": 0.08}).status, q_rates.check({"Basic": 12, "Plus": 8}).status
    ('correct', 'correct')
    >>> print(q_rates.check({"Basic": 0.12}))
    Incorrect: missing: 'Plus'.
    """

    def _mapping(self, answer: Any) -> dict[str, tuple[Any, Any]] | None:
        import pandas as pd

        if isinstance(answer, pd.DataFrame):
            if answer.shape[1] != 1:
                return None
            answer = answer.iloc[:, 0]
        if isinstance(answer, pd.Series):
            items = list(answer.items())
        elif isinstance(answer, Mapping):
            items = list(answer.items())
        else:
            return None
        return {normalise_label(k): (k, v) for k, v in items}

    def validate(self, answer: Any) -> str | None:
        mapping = self._mapping(answer)
        if mapping is None:
            return (
                "the answer should be one number per label: a Series (for example the result of "
                f"`df.groupby(...)[...].mean()`), a one-column DataFrame or a dict; you gave {type(answer).__name__}."
            )
        bad = [str(k) for k, v in mapping.values() if not self.readings(v) or math.isnan(self.readings(v)[0].value)]
        if bad:
            return f"these labels have no usable number: {', '.join(bad[:5])}."
        return None

    def _expected_mapping(self, expected: Any) -> dict[str, tuple[Any, float]]:
        return {normalise_label(k): (k, float(v)) for k, v in dict(expected).items()}

    def _reading_kind(self, answer: Any, expected: Any) -> str | None:
        got, want = self._mapping(answer), self._expected_mapping(expected)
        if got is None or set(got) != set(want):
            return None
        options = {key: {r.kind: r for r in self.readings(got[key][1])} for key in want}
        for kind in ("as given", "percent as share", "share as percent"):
            if all(kind in options[k] and self._matches(options[k][kind], want[k][1]) for k in want):
                return kind
        return None

    def compare(self, answer: Any, expected: Any) -> bool:
        return self._reading_kind(answer, expected) is not None

    def correct_message(self, answer: Any, expected: Any) -> str:
        kind = self._reading_kind(answer, expected)
        if kind == "percent as share":
            return "well done (your percents read as shares)."
        if kind == "share as percent":
            return "well done (your shares read as percents)."
        return "well done."

    def describe_wrong(self, answer: Any, expected: Any) -> str:
        got, want = self._mapping(answer) or {}, self._expected_mapping(expected)
        parts = []
        if set(want) - set(got):
            parts.append("missing: " + ", ".join(repr(want[k][0]) for k in want if k not in got))
        if set(got) - set(want):
            parts.append("not expected: " + ", ".join(repr(got[k][0]) for k in got if k not in want))
        if parts:
            return "; ".join(parts) + "."
        off = []
        for key, (label, e) in want.items():
            a = as_number(got[key][1])
            if not any(self._matches(r, e) for r in self.readings(got[key][1])):
                off.append(
                    f"{label!r}: you gave {a:g}{self.unit}, the expected value is {'smaller' if a > e else 'larger'}"
                )
        return "; ".join(off[:3]) + (f" (and {len(off) - 3} more)" if len(off) > 3 else "") + "."

    def _ladder_options(self) -> dict[str, Any]:
        return {}


class OpenExercise(Exercise):
    """An open question: the learner writes a few sentences, and the trainer has a model answer.

    ``check`` cannot mark prose: once the answer has at least ``min_words`` words it is
    *noted* (status ``"noted"``), with the learner's own checklist (``self_check``) when
    there is one. The **model answer** (``model_answer``, with ``{name}`` fields filled from
    :meth:`facts`, so no number is typed in) and what a good answer contains
    (``look_for``) are shown by :meth:`solution` only where solutions are: never in the
    student edition (``tools/build_student.py`` removes solution cells, switches
    ``solution()`` off and refuses to build if a model answer's text is in a lesson). The
    trainer's answer key (``tools/build_answer_key.py``) prints both.

    Examples
    --------
    >>> @exercise
    ... class q_open(OpenExercise):
    ...     prompt = "In two sentences, tell the board what the NPS change means."
    ...     hints = ("Start from the interval of the difference.", "Does it include 0?")
    ...     model_answer = "The change is {change:+.0f} points, but its interval includes 0: no evidence of a change."
    ...     look_for = ("the interval of the difference", "no causal claim")
    ...     def facts(self):
    ...         return {"change": 8}
    >>> q_open.check("Up.").status
    'incorrect'
    >>> q_open.check("NPS rose 8 points but the interval of the change includes zero, so it may be noise.").status
    'noted'
    >>> q_open.expected_value()
    'The change is +8 points, but its interval includes 0: no evidence of a change.'
    """

    model_answer: str = ""
    look_for: Sequence[str] = ()
    self_check: Sequence[str] = ()
    min_words: int = 12

    def facts(self) -> Mapping[str, Any]:
        """Numbers computed from the data that fill the ``{name}`` fields of the model answer."""
        return {}

    def expected(self) -> str:
        facts = self.facts()
        return self.model_answer.format(**facts) if facts else self.model_answer

    def validate(self, answer: Any) -> str | None:
        if not isinstance(answer, str):
            return f"write your answer as text in quotes (a few sentences); you gave {type(answer).__name__}."
        words = len(re.findall(r"\w+", answer))
        if words < self.min_words:
            return f"write a few sentences (at least {self.min_words} words); you wrote {words}."
        return None

    def compare(self, answer: Any, expected: Any) -> bool:
        return False

    def check(self, answer: Any = ____) -> Feedback:
        """Note a written answer (no code can mark it right or wrong)."""
        if isinstance(answer, Placeholder) or answer is None or answer is Ellipsis:
            return super().check(answer)
        problem = self.validate(answer)
        if problem:
            return Feedback("incorrect", problem)
        words = len(re.findall(r"\w+", answer))
        message = f"your answer ({words} words) is kept in this notebook; compare it with the discussion in class."
        if self.self_check:
            message += " Before you do, check it yourself: " + " ".join(
                f"({i}) {q}" for i, q in enumerate(self.self_check, 1)
            )
        return Feedback("noted", message)

    def solution(self) -> Feedback:
        """The model answer and what a good answer contains, unless solutions are switched off."""
        if not solutions_enabled():
            return Feedback(
                "info", "the model answer is for your trainer; it is discussed in class. Use `hint()` to get started."
            )
        text = f"a model answer: {self.expected_value()}"
        if self.look_for:
            text += " A good answer contains: " + "; ".join(self.look_for) + "."
        return Feedback("solution", text)

    def model_answer_fragments(self, min_chars: int = 30) -> list[str]:
        """Literal pieces of the model answer's template (between ``{fields}``), for leak checks."""
        pieces = [literal for literal, *_ in string.Formatter().parse(self.model_answer)]
        return [p.strip() for p in pieces if p and len(p.strip()) >= min_chars]

    def hint_problems(self) -> list[str]:
        problems = ladder_problems(self.hints, "")
        if not self.model_answer.strip():
            problems.append("no model_answer for the trainer")
        sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", self.model_answer) if len(s.split()) >= 6]
        for i, hint in enumerate(self.hints, start=1):
            if any(s in hint for s in sentences):
                problems.append(f"hint {i} contains a sentence of the model answer")
        return problems


class PandasExercise(Exercise):
    """A "compute it with pandas" exercise: combine with a checking class, first.

    ``class q6(PandasExercise, NumericExercise)``: the answer is checked as usual, the
    solution computes it with pandas, and no hint names ``cxlib_equivalent``, the cxlib
    function that would do it in one call (``hint_problems`` checks both). Once the answer is
    right, the message names that function, so the learner knows it for next time.

    Examples
    --------
    >>> @exercise
    ... class q_by_hand(PandasExercise, NumericExercise):
    ...     prompt = "The share of promoters among 9, 10, 7, 3, computed with pandas."
    ...     hints = ("Promoters answer 9 or 10.", "The mean of a True/False column is a share.")
    ...     solution_code = "answer = (pd.Series([9, 10, 7, 3]) >= 9).mean()"
    ...     cxlib_equivalent = "cxlib.analytics.nps.nps"
    ...     scale = "share"
    ...     def expected(self):
    ...         return 0.5
    >>> print(q_by_hand.check("50%"))
    Correct: well done (read as 50% = 0.5). In a report, `cxlib.analytics.nps.nps` gives this in one call.
    >>> q_by_hand.hint_problems()
    []
    """

    cxlib_equivalent: str = ""

    def correct_message(self, answer: Any, expected: Any) -> str:
        base = super().correct_message(answer, expected)
        if not self.cxlib_equivalent:
            return base
        return f"{base} In a report, `{self.cxlib_equivalent}` gives this in one call."

    def _ladder_options(self) -> dict[str, Any]:
        options = dict(super()._ladder_options())
        options["forbidden_calls"] = [self.cxlib_equivalent] if self.cxlib_equivalent else []
        return options

    def hint_problems(self) -> list[str]:
        problems = super().hint_problems()
        if not self.cxlib_equivalent:
            problems.append("a pandas exercise names its cxlib_equivalent (the call it does by hand)")
        return problems


def _same(got: Any, want: Any) -> bool:
    if _is_number(got) and _is_number(want):
        return math.isclose(float(got), float(want), rel_tol=1e-9, abs_tol=1e-9)
    try:
        return bool(got == want)
    except Exception:  # arrays and frames: compare element-wise
        return bool(np.all(np.asarray(got) == np.asarray(want)))


def exercise(cls: type) -> Exercise:
    """Class decorator: declare an exercise; the module gets its instance.

    Returns
    -------
    Exercise
        The one instance of ``cls``, bound to the lesson module as ``qN``.
    """
    return cls()


def exercises_of(module) -> dict[str, Exercise]:
    """The exercises a lesson module declares, by name (``q1``, ``q2``, ...).

    Parameters
    ----------
    module : module
        A lesson's exercise module, e.g. :mod:`cxlib.teaching.exercises.lesson05`.

    Returns
    -------
    dict of str to Exercise
        Name -> exercise, sorted by name.
    """
    return {k: v for k, v in sorted(vars(module).items()) if isinstance(v, Exercise)}
