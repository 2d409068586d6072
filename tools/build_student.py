"""Write the student edition of the course (``make student``).

The student edition is a copy of ``notebooks/`` in which:

* cells tagged ``solution`` are removed (``tools/tag_exercises.py`` keeps each
  exercise's hint in a cell of its own, so every hint survives: the build checks it);
* answer cells (tagged ``exercise``) are reset to the ``____`` placeholder: a line
  ``name = <anything>`` becomes ``name = ____`` (its comment kept), and a cell with no
  placeholder left is an error;
* cells where the learner answers (tagged ``exercise``, or calling an exercise's
  ``check``/``hint``/``solution``) have their outputs cleared;
* lesson 00's edition banner (the cell tagged ``cx-edition``) says it is the student edition;
* a ``.cx-student`` marker switches ``ex.qN.solution()`` off (a trainer can switch
  solutions back on with the environment variable ``CX_SOLUTIONS=on``);
* the model answers of open questions (:class:`cxlib.teaching.exercises.OpenExercise`) take
  the same path as worked solutions: shown only by ``solution()``, whose cells are removed;
  the build stops if a model answer's text is still anywhere in a lesson (a cell's source
  or a saved output), so a trainer's run of ``ex.qN.solution()`` can never be shipped.

Usage: ``python tools/build_student.py [--out student] [--with-solutions]``
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
_ANSWER_CALL = re.compile(r"\.(check|hint|solution)\(")
_ASSIGNMENT = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*=\s*(?P<value>.*?)(?P<comment>\s+#.*)?$")
_EXERCISE = re.compile(r"\bex\.(q\d+)\b")
_HINT = re.compile(r"\bex\.(q\d+)\.hint\(")

#: The course notes in docs/ that the lessons link to (copied into the student edition).
COURSE_NOTES = ("sources.md", "methods.md", "concepts.md")

STUDENT_BANNER = (
    "> **Student edition.** The exercises are waiting for your answers: replace `____`, run the cell, and "
    "`ex.qN.check(answer)` tells you how you did. Stuck? Uncomment `# ex.qN.hint()` and run it "
    "(`hint(2)` for the next hint). Worked solutions are switched off in this edition: ask your trainer."
)


class StudentEditionError(ValueError):
    """A lesson the student edition cannot be built from (the message names it)."""


STUDENT_README = """# CX analytics: student edition

This is the student edition of the course: worked solutions are removed and the
exercises are waiting for your answers. Open `notebooks/00_welcome.ipynb` to start.

Each exercise: replace `____` with your answer and run the cell; `ex.qN.check(answer)` says
whether it is right, and what is wrong with it if not. Stuck? `ex.qN.hint()`, then
`ex.qN.hint(2)`. `ex.qN.solution()` is switched off in this edition: ask your trainer.
"""


def clear_answer(source: str, where: str = "an exercise cell") -> str:
    r"""Reset an answer cell to the ``____`` placeholder.

    >>> clear_answer("answer = 0.42  # the share\nex.q2.check(answer)")
    'answer = ____  # the share\nex.q2.check(answer)'
    >>> clear_answer("def verdict(j):\n    ____\nanswer = verdict")
    'def verdict(j):\n    ____\nanswer = ____'
    """
    lines = []
    for line in source.splitlines():
        m = _ASSIGNMENT.match(line)
        if m and m.group("value").strip() != "____":
            line = f"{m.group('name')} = ____{m.group('comment') or ''}"
        lines.append(line)
    out = "\n".join(lines)
    if "____" not in out:
        raise StudentEditionError(
            f"{where} has no ____ placeholder for the learner's answer: write the answer "
            "line as `answer = ____  # what to compute`"
        )
    return out


def studentise(nb: nbformat.NotebookNode, name: str = "notebook") -> tuple[nbformat.NotebookNode, dict]:
    """Return the student version of a notebook and counts of what changed."""
    removed = cleared = 0
    cells = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if "solution" in tags:
            removed += 1
            continue
        if "cx-edition" in tags:
            cell.source = STUDENT_BANNER
        if cell.cell_type == "code" and "exercise" in tags:
            cell.source = clear_answer(cell.source, f"{name}, cell {cell.get('id', '?')}")
        if cell.cell_type == "code" and ("exercise" in tags or _ANSWER_CALL.search(cell.source)):
            if cell.outputs:
                cleared += 1
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    nb.cells = cells
    return nb, {"removed": removed, "cleared": cleared}


def missing_hints(nb: nbformat.NotebookNode) -> list[str]:
    """Exercises (``ex.qN``) of a notebook that have no ``ex.qN.hint()`` cell left."""
    shown = {m.group(1) for c in nb.cells if c.cell_type == "code" for m in _EXERCISE.finditer(c.source)}
    hinted = {m.group(1) for c in nb.cells if c.cell_type == "code" for m in _HINT.finditer(c.source)}
    return sorted(shown - hinted, key=lambda q: int(q[1:]))


def _cell_text(cell) -> str:
    parts = [cell.get("source", "")]
    for out in cell.get("outputs", []):
        parts.append(str(out.get("text", "")))
        for value in (out.get("data") or {}).values():
            parts.append(value if isinstance(value, str) else str(value))
    return "\n".join(parts)


def model_answer_leaks(nb: nbformat.NotebookNode, lesson: str, exercises: dict | None = None) -> list[str]:
    """Where a model answer of lesson ``lesson``'s open questions appears in ``nb`` (empty when nowhere).

    ``exercises`` (name -> exercise) defaults to those of ``cxlib.teaching.exercises.lessonNN``.

    >>> model_answer_leaks(nbformat.v4.new_notebook(), "00")
    []
    """
    import importlib
    import importlib.util

    from cxlib.teaching.exercises import OpenExercise, exercises_of

    if exercises is None:
        name = f"cxlib.teaching.exercises.lesson{lesson}"
        if importlib.util.find_spec(name) is None:
            return []
        exercises = exercises_of(importlib.import_module(name))
    found = []
    for q, ex in exercises.items():
        if not isinstance(ex, OpenExercise):
            continue
        for i, cell in enumerate(nb.cells):
            text = _cell_text(cell)
            if any(fragment in text for fragment in ex.model_answer_fragments()):
                found.append(f"cell {i} ({cell.get('id', '?')}) shows the model answer of {q}")
    return found


def build(out: Path, with_solutions: bool = False, src: Path = ROOT / "notebooks") -> dict:
    """Write the student edition into ``out``; returns per-notebook counts."""
    if out.exists():
        shutil.rmtree(out)
    (out / "notebooks").mkdir(parents=True)
    report = {}
    for path in sorted(src.glob("[0-9][0-9]_*.ipynb")):
        nb, counts = studentise(nbformat.read(path, as_version=4), path.name)
        leaks = model_answer_leaks(nb, path.name[:2])
        if leaks:
            raise StudentEditionError(
                f"{path.name}: {'; '.join(leaks)}; a model answer is for trainers: call `ex.qN.solution()` "
                "only in a cell tagged `solution` (python tools/tag_exercises.py tags it), and clear its output"
            )
        lost = missing_hints(nb)
        if lost:
            raise StudentEditionError(
                f"{path.name}: no hint cell left for {', '.join(lost)} in the student edition; "
                "run `python tools/tag_exercises.py` to give each exercise its own hint cell"
            )
        nbformat.write(nb, out / "notebooks" / path.name)
        report[path.name] = counts
    (out / "README.md").write_text(STUDENT_README, encoding="utf-8")
    (out / "data").mkdir()
    shutil.copy(ROOT / "data" / "README.md", out / "data" / "README.md")  # lessons link to the data cards
    (out / "docs").mkdir()
    for note in COURSE_NOTES:  # lesson 00 and the lessons link to the course notes
        if (ROOT / "docs" / note).exists():
            shutil.copy(ROOT / "docs" / note, out / "docs" / note)
    if not with_solutions:
        (out / ".cx-student").write_text(
            "solutions off: see cxlib.teaching.exercises.solutions_enabled\n", encoding="utf-8"
        )
    return report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "student")
    ap.add_argument("--with-solutions", action="store_true", help="keep ex.qN.solution() switched on")
    args = ap.parse_args()
    try:
        report = build(args.out, args.with_solutions)
    except StudentEditionError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    for name, c in report.items():
        print(f"  {name:<40} {c['removed']} solution cells removed, {c['cleared']} answer cells cleared")
    print(f"==> student edition written to {args.out}/ (open {args.out}/notebooks/00_welcome.ipynb)")


if __name__ == "__main__":
    main()
