"""Write the student edition of the course (``make student``).

The student edition is a copy of ``notebooks/`` in which:

* cells tagged ``solution`` are removed;
* cells where the learner answers (tagged ``exercise``, or calling an exercise's
  ``check``/``hint``/``solution``) have their outputs cleared;
* a ``.cx-student`` marker switches ``ex.qN.solution()`` off (a trainer can switch
  solutions back on with the environment variable ``CX_SOLUTIONS=on``).

Usage: ``python tools/build_student.py [--out student] [--with-solutions]``
"""
from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
_ANSWER_CALL = re.compile(r"\.(check|hint|solution)\(")

STUDENT_README = """# CX analytics: student edition

This is the student edition of the course: worked solutions are removed and the
exercises are waiting for your answers. Open `notebooks/00_welcome.ipynb` to start.

`ex.qN.solution()` is switched off in this edition (ask your trainer); `ex.qN.hint()` works.
"""


def studentise(nb: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, dict]:
    """Return the student version of a notebook and counts of what changed."""
    removed = cleared = 0
    cells = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if "solution" in tags:
            removed += 1
            continue
        if cell.cell_type == "code" and ("exercise" in tags or _ANSWER_CALL.search(cell.source)):
            if cell.outputs:
                cleared += 1
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    nb.cells = cells
    return nb, {"removed": removed, "cleared": cleared}


def build(out: Path, with_solutions: bool = False, src: Path = ROOT / "notebooks") -> dict:
    """Write the student edition into ``out``; returns per-notebook counts."""
    if out.exists():
        shutil.rmtree(out)
    (out / "notebooks").mkdir(parents=True)
    report = {}
    for path in sorted(src.glob("[0-9][0-9]_*.ipynb")):
        nb, counts = studentise(nbformat.read(path, as_version=4))
        nbformat.write(nb, out / "notebooks" / path.name)
        report[path.name] = counts
    (out / "README.md").write_text(STUDENT_README, encoding="utf-8")
    (out / "data").mkdir()
    shutil.copy(ROOT / "data" / "README.md", out / "data" / "README.md")  # lessons link to the data cards
    if not with_solutions:
        (out / ".cx-student").write_text("solutions off: see cxlib.teaching.exercises.solutions_enabled\n", encoding="utf-8")
    return report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "student")
    ap.add_argument("--with-solutions", action="store_true", help="keep ex.qN.solution() switched on")
    args = ap.parse_args()
    report = build(args.out, args.with_solutions)
    for name, c in report.items():
        print(f"  {name:<40} {c['removed']} solution cells removed, {c['cleared']} answer cells cleared")
    print(f"==> student edition written to {args.out}/ (open {args.out}/notebooks/00_welcome.ipynb)")


if __name__ == "__main__":
    main()
