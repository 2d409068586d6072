"""What an exercise shows a learner: the ``____`` blank, a :class:`Feedback` and whether solutions show.

Split out of :mod:`cxlib.teaching.exercises`, which re-exports every name here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["____", "Placeholder", "Feedback", "solutions_enabled"]


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

_ICONS = {
    "correct": "✅",
    "incorrect": "❌",
    "unattempted": "✍️",
    "hint": "💡",
    "solution": "📘",
    "info": "ℹ️",
    "noted": "📝",
}
_COLORS = {
    "correct": "#1a7f37",
    "incorrect": "#cf222e",
    "unattempted": "#6e7781",
    "hint": "#0969da",
    "solution": "#8250df",
    "info": "#6e7781",
    "noted": "#0969da",
}
_LABELS = {
    "correct": "Correct",
    "incorrect": "Incorrect",
    "unattempted": "Not attempted yet",
    "hint": "Hint",
    "solution": "Solution",
    "info": "Note",
    "noted": "Answer noted",
}


@dataclass(frozen=True)
class Feedback:
    """The result of ``check``, ``hint`` or ``solution``.

    ``status`` is one of ``correct``, ``incorrect``, ``unattempted``, ``hint``,
    ``solution``, ``info`` or ``noted`` (an open answer, which no code can mark);
    ``bool(feedback)`` is True only when correct.

    Attributes
    ----------
    status : str
        ``correct``, ``incorrect``, ``unattempted``, ``hint``, ``solution``, ``info`` or ``noted``.
    message : str
        What the learner reads, in Markdown.
    code : str
        Code shown with the message (a solution), or empty.
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

    Parameters
    ----------
    start : str or path-like, optional
        Folder to look for a ``.cx-student`` marker in, with its parents (default: the working folder).

    Returns
    -------
    bool
        False when ``CX_SOLUTIONS`` is off, or a ``.cx-student`` file marks a student edition.

    Examples
    --------
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
