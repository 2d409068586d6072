"""How long the lessons take to run headless, against the floor of starting a kernel and importing.

The floor of a lesson is a notebook that only starts a kernel and imports what the lesson imports,
measured in the same run, so a busy machine slows both alike. "What the lesson imports" is every
module the lesson has loaded when its last cell ends (recorded by two cells the benchmark adds, a few
milliseconds), imported in the order the lesson loaded them: the lesson's own ``import`` lines and
the libraries the course's functions import when first called (statsmodels in lesson 01, VADER in
03, scikit-learn in 06). So the floor does not change when an import moves between a module's top
and the function that needs it. The ratio against the lesson's written import lines alone is printed
too, for comparison. Targets (issue 17): the whole course within 1.5x the floor, and each lesson
within 10 s on an idle 2-core machine.

Usage: ``python benchmarks/bench_notebooks.py [--repeat 1] [NOTEBOOK ...]`` (default: every lesson).
Exit code 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
import time
from pathlib import Path

import nbformat

from cxlib.teaching.kernels import notebook_client

ROOT = Path(__file__).resolve().parents[1]
RATIO_TARGET = 1.5
LESSON_TARGET_S = 10.0
FLOOR_IMPORTS = (
    "import numpy as np\nimport pandas as pd\nimport matplotlib.pyplot as plt\n"
    "from cxlib.data import datasets\nfrom cxlib.teaching import plots\nplots.use_style()"
)
_FIRST = "import sys as _bench_sys\n_bench_before = set(_bench_sys.modules)"
_LAST = (
    "import json as _bench_json\n"
    "print(_bench_json.dumps([m for m in _bench_sys.modules if m not in _bench_before]), end='')"
)
_IMPORT_ALL = (
    "import importlib\n"
    "for _m in {modules!r}:\n"
    "    try:\n"
    "        importlib.import_module(_m)\n"
    "    except Exception:  # a module only its parent can import, or one made at run time\n"
    "        pass"
)


def run(nb: nbformat.NotebookNode, cwd: Path) -> float:
    """Seconds to start a kernel, execute every cell of ``nb`` and stop the kernel at once (as nbval does)."""
    t0 = time.perf_counter()
    notebook_client(nb, cwd).execute()
    return time.perf_counter() - t0


def run_lesson(path: Path) -> tuple[float, list[str]]:
    """Seconds to run the lesson at ``path``, and the modules it loaded, in the order it loaded them."""
    nb = nbformat.read(path, as_version=4)
    nb.cells = [nbformat.v4.new_code_cell(_FIRST), *nb.cells, nbformat.v4.new_code_cell(_LAST)]
    seconds = run(nb, path.parent)
    printed = [o["text"] for o in nb.cells[-1].outputs if o.get("name") == "stdout"]
    return seconds, json.loads("".join(printed)) if printed else []


def floor_notebook(lesson: nbformat.NotebookNode, modules: list[str] = ()) -> nbformat.NotebookNode:
    """A notebook with the lesson's import lines, the course style, then every module in ``modules``."""
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
    if modules:
        nb.cells.append(nbformat.v4.new_code_cell(_IMPORT_ALL.format(modules=list(modules))))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=1, help="runs of each notebook; the fastest counts")
    args = ap.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    times, floors, line_floors = {}, {}, {}
    for p in paths:
        nb = nbformat.read(p, as_version=4)
        runs = [run_lesson(p) for _ in range(args.repeat)]
        times[p.name], modules = min(runs)
        floors[p.name] = min(run(floor_notebook(nb, modules), p.parent) for _ in range(args.repeat))
        line_floors[p.name] = min(run(floor_notebook(nb), p.parent) for _ in range(args.repeat))
        print(
            f"  {p.name:<45} {times[p.name]:6.1f} s   floor {floors[p.name]:5.1f} s   "
            f"({times[p.name] / floors[p.name]:4.1f}x; {len(modules)} modules loaded)",
            flush=True,
        )
    total, floor_total, line_total = sum(times.values()), sum(floors.values()), sum(line_floors.values())
    ratio = total / floor_total
    slow = [n for n, t in times.items() if t > LESSON_TARGET_S]
    print(
        f"all {len(times)} notebooks: {total:.1f} s = {ratio:.2f}x the floor ({floor_total:.1f} s)   "
        f"target <= {RATIO_TARGET}x"
    )
    print(f"  (against the lessons' written import lines alone, {line_total:.1f} s: {total / line_total:.2f}x)")
    print(f"lessons over {LESSON_TARGET_S:.0f} s: {', '.join(slow) or 'none'}")
    return 0 if ratio <= RATIO_TARGET and not slow else 1


if __name__ == "__main__":
    sys.exit(main())
