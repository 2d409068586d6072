"""How long the lessons take to run headless, against the floor of starting a kernel and importing.

The floor of a lesson is a notebook that only starts a kernel and runs the lesson's import statements
(every top-level ``import``/``from ... import`` line of its code cells), measured in the same run, so
a busy machine slows both alike. Targets (issue 17): the whole course within 1.5x the floor,
and each lesson within 10 s on an idle 2-core machine.

Usage: ``python benchmarks/bench_notebooks.py [--repeat 1] [NOTEBOOK ...]`` (default: every lesson).
Exit code 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import ast
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
RATIO_TARGET = 1.5
LESSON_TARGET_S = 10.0
FLOOR_IMPORTS = (
    "import numpy as np\nimport pandas as pd\nimport matplotlib.pyplot as plt\n"
    "from cxlib.data import datasets\nfrom cxlib.teaching import plots\nplots.use_style()"
)


def run(nb: nbformat.NotebookNode, cwd: Path) -> float:
    """Seconds to start a kernel, execute every cell of ``nb`` and stop the kernel at once (as nbval does)."""
    t0 = time.perf_counter()
    NotebookClient(
        nb, timeout=600, kernel_name="python3", shutdown_kernel="immediate", resources={"metadata": {"path": str(cwd)}}
    ).execute()
    return time.perf_counter() - t0


def floor_notebook(lesson: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A notebook with the lesson's import lines only (and the course style, as lessons set it)."""
    lines = []
    for cell in lesson.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse("\n".join(x for x in cell.source.splitlines() if not x.lstrip().startswith(("%", "!"))))
        except SyntaxError:
            continue
        lines += [ast.unparse(node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("\n".join(dict.fromkeys(lines)) + "\n" + FLOOR_IMPORTS)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=1, help="runs of each notebook; the fastest counts")
    args = ap.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    times, floors = {}, {}
    for p in paths:
        nb = nbformat.read(p, as_version=4)
        floors[p.name] = min(run(floor_notebook(nb), p.parent) for _ in range(args.repeat))
        times[p.name] = min(run(nbformat.read(p, as_version=4), p.parent) for _ in range(args.repeat))
        print(
            f"  {p.name:<45} {times[p.name]:6.1f} s   floor {floors[p.name]:5.1f} s   "
            f"({times[p.name] / floors[p.name]:4.1f}x)",
            flush=True,
        )
    total, floor_total = sum(times.values()), sum(floors.values())
    ratio = total / floor_total
    slow = [n for n, t in times.items() if t > LESSON_TARGET_S]
    print(
        f"all {len(times)} notebooks: {total:.1f} s = {ratio:.2f}x the floor ({floor_total:.1f} s)   "
        f"target <= {RATIO_TARGET}x"
    )
    print(f"lessons over {LESSON_TARGET_S:.0f} s: {', '.join(slow) or 'none'}")
    return 0 if ratio <= RATIO_TARGET and not slow else 1


if __name__ == "__main__":
    sys.exit(main())
