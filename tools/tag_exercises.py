#!/usr/bin/env python
"""Give every exercise its own hint cell and its own solution cell, tagged for the student edition.

The student edition (``tools/build_student.py``) removes cells tagged ``solution``. A
cell that holds both ``# ex.q1.hint()`` and ``# ex.q1.solution()`` would take the
hint with it, so this script, for every lesson ``notebooks/NN_*.ipynb``:

* splits each code cell that mixes a ``ex.qN.solution()`` line with other lines into
  the other lines (the hint cell, untagged ``solution``) and the solution lines (a new
  cell tagged ``solution``);
* tags ``solution`` every cell that holds only ``ex.qN.solution()`` lines;
* adds ``# ex.qN.hint()`` after the exercise's check when an exercise has no hint cell,
  and ``# ex.qN.solution()`` (tagged) when it has no solution cell;
* writes the edition banner into lesson 00 (a markdown cell tagged ``cx-edition``,
  after the title): this copy is the trainer's edition; the student edition replaces it.

Cells are found by their content (``ex.qN.hint(``, ``ex.qN.solution(``,
``ex.qN.check(``), never by position, so the script can be re-run after anyone edits
a lesson: a second run changes nothing. Split and added cells hold only comments, so
they have no output; the execution counts are renumbered 1..n exactly as a fresh run
would number them. The script stops with exit code 2, naming the notebook and the
exercise, when an exercise of the lesson's module never appears in the notebook, or
when a notebook was saved unexecuted or out of order (run ``make notebooks`` first).

Usage: ``python tools/tag_exercises.py [--check] [notebooks/NN_x.ipynb ...]``
(``--check`` changes nothing and exits 1 if a notebook would change).
"""

from __future__ import annotations

import argparse
import copy
import importlib
import re
import sys
import uuid
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SOLUTION_TAG = "solution"
HINT_TAG = "hint"
EDITION_TAG = "cx-edition"
_SOLUTION_LINE = re.compile(r"\bex\.(q\d+)\.solution\(")
_HINT = re.compile(r"\bex\.(q\d+)\.hint\(")
_CHECK = re.compile(r"\bex\.(q\d+)\.check\(")
_SHOWN = re.compile(r"\bex\.(q\d+)\b")
_MODULE = re.compile(r"from\s+cxlib\.teaching\.exercises\s+import\s+(?:[\w, ]*\b)?(lesson\d\d)\s+as\s+ex\b")

#: The banner of the full edition (lesson 00); the student edition writes its own.
TRAINER_BANNER = (
    "> **Trainer's edition.** This copy of the course shows every worked solution "
    "(`ex.qN.solution()`). In a workshop, learners use the **student edition**: the same lessons "
    "with their hints, the exercises waiting for an answer and the solutions switched off "
    "(`make lab-student` builds it and opens it). Learning on your own? This edition is fine: "
    "ask for a `hint()` before a `solution()`."
)


class TagError(ValueError):
    """A notebook the script cannot tag safely (the message says what to do)."""


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _set_tags(cell, tags: list[str]) -> None:
    if tags:
        cell.setdefault("metadata", {})["tags"] = tags
    else:
        cell.get("metadata", {}).pop("tags", None)


def _new_code(source: str, tags: list[str]) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.id = f"cx-{uuid.uuid5(uuid.NAMESPACE_URL, source).hex[:8]}"
    _set_tags(cell, tags)
    return cell


def _only_comments(source: str) -> bool:
    return all(not ln.strip() or ln.lstrip().startswith("#") for ln in source.splitlines())


def _split_solutions(nb) -> int:
    """Split mixed cells and tag pure solution cells; returns the number of changes."""
    changes, cells = 0, []
    for cell in nb.cells:
        if cell.cell_type != "code" or not _SOLUTION_LINE.search(cell.source):
            cells.append(cell)
            continue
        lines = cell.source.splitlines()
        sol = [ln for ln in lines if _SOLUTION_LINE.search(ln)]
        rest = [ln for ln in lines if not _SOLUTION_LINE.search(ln)]
        if any(ln.strip() for ln in rest):
            if not _only_comments(cell.source):
                raise TagError(
                    f"cell {cell.get('id')} runs code and also holds {sol[0].strip()!r}: move the "
                    "solution line into a cell of its own by hand"
                )
            hint = copy.deepcopy(cell)
            hint.source = "\n".join(rest).strip("\n")
            _set_tags(
                hint,
                [t for t in _tags(cell) if t != SOLUTION_TAG]
                + ([HINT_TAG] if _HINT.search(hint.source) and HINT_TAG not in _tags(cell) else []),
            )
            cells += [hint, _new_code("\n".join(sol), [SOLUTION_TAG])]
            changes += 1
            continue
        if SOLUTION_TAG not in _tags(cell):
            _set_tags(cell, _tags(cell) + [SOLUTION_TAG])
            changes += 1
        cells.append(cell)
    nb.cells = cells
    return changes


def _tag_hints(nb) -> int:
    changes = 0
    for cell in nb.cells:
        if (
            cell.cell_type == "code"
            and _HINT.search(cell.source)
            and SOLUTION_TAG not in _tags(cell)
            and HINT_TAG not in _tags(cell)
        ):
            _set_tags(cell, _tags(cell) + [HINT_TAG])
            changes += 1
    return changes


def _module_exercises(nb, name: str) -> tuple[str | None, list[str]]:
    for cell in nb.cells:
        m = _MODULE.search(cell.source) if cell.cell_type == "code" else None
        if m:
            from cxlib.teaching.exercises import exercises_of

            mod = importlib.import_module(f"cxlib.teaching.exercises.{m.group(1)}")
            return m.group(1), list(exercises_of(mod))
    return None, []


def _add_missing(nb, path: Path) -> int:
    module, names = _module_exercises(nb, path.name)
    if module is None:
        return 0
    changes = 0
    for q in names:

        def where(rx: re.Pattern, solution: bool | None = None, q: str = q) -> list[int]:
            return [
                i
                for i, c in enumerate(nb.cells)
                if c.cell_type == "code"
                and any(m.group(1) == q for m in rx.finditer(c.source))
                and (solution is None or (SOLUTION_TAG in _tags(c)) == solution)
            ]

        shown = where(_SHOWN)
        if not shown:
            raise TagError(
                f"{path.name}: exercise {q} of cxlib.teaching.exercises.{module} never appears in the notebook; "
                f"add its cells (ex.{q}, the answer cell, ex.{q}.check(answer)) or remove it from the module"
            )
        checks = where(_CHECK)
        anchor = (checks or shown)[-1]
        if not where(_HINT, solution=False):
            nb.cells.insert(anchor + 1, _new_code(f"# ex.{q}.hint()", [HINT_TAG]))
            changes += 1
        if not where(_SOLUTION_LINE, solution=True):
            hints = where(_HINT, solution=False)
            at = max(hints + [anchor]) + 1
            nb.cells.insert(at, _new_code(f"# ex.{q}.solution()", [SOLUTION_TAG]))
            changes += 1
    return changes


def _banner(nb, path: Path) -> int:
    if not path.name.startswith("00_"):
        return 0
    existing = [c for c in nb.cells if EDITION_TAG in _tags(c)]
    if existing:
        if existing[0].source != TRAINER_BANNER:
            existing[0].source = TRAINER_BANNER
            return 1
        return 0
    title = next(
        (i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and re.match(r"^# \d\d ·", c.source)), None
    )
    if title is None:
        raise TagError(f"{path.name}: no '# 00 · Title' cell to put the edition banner after")
    cell = nbformat.v4.new_markdown_cell(TRAINER_BANNER)
    cell.id = "cx-edition"
    cell.metadata["tags"] = [EDITION_TAG]
    nb.cells.insert(title + 1, cell)
    return 1


def _renumber(nb, path: Path) -> None:
    """Execution counts 1..n over the non-empty code cells, as a fresh run numbers them."""
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    old = [c.execution_count for c in code if c.execution_count is not None]
    if old != sorted(old) or len(set(old)) != len(old):
        raise TagError(
            f"{path.name} was saved out of order (execution counts {old[:12]}...); "
            "execute it from a fresh kernel first (make notebooks)"
        )
    for n, cell in enumerate(code, start=1):
        cell.execution_count = n
        for out in cell.get("outputs", []):
            if out.get("output_type") == "execute_result":
                out["execution_count"] = n


def tag_notebook(path: Path, write: bool = True) -> int:
    """Tag one notebook; returns the number of changes (0 when it was already tagged)."""
    nb = nbformat.read(path, as_version=4)
    before = nbformat.writes(nb)
    changes = _split_solutions(nb) + _tag_hints(nb) + _add_missing(nb, path) + _banner(nb, path)
    if changes:
        _renumber(nb, path)
    if changes and write and nbformat.writes(nb) != before:
        nbformat.validate(nb)
        nbformat.write(nb, path)
    return changes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="*", type=Path)
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook would change")
    args = ap.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    stale = []
    try:
        for path in paths:
            n = tag_notebook(path, write=not args.check)
            if n:
                stale.append(path.name)
                print(f"  {path.name}: {n} change(s){' needed' if args.check else ''}")
    except TagError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.check:
        return 1 if stale else 0
    print(f"==> exercise cells tagged ({len(stale)} notebook(s) changed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
