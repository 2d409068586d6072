"""Going deeper parts of a lesson (issue 12): are they marked, and can they be skipped?

:func:`deeper_problems` checks a lesson's ``deeper`` cells; :func:`split_at_headings` makes
every section start its own cell so it can be tagged. Both are re-exported by
:mod:`cxlib.teaching.lesson_design`.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from cxlib.teaching.lesson_design import DEEPER_TAG, _parse_cell, _read, _tags

__all__ = ["deeper_problems", "split_at_headings"]


class _Names(ast.NodeVisitor):
    """The names a cell binds at top level and the names it reads (before binding them itself)."""

    def __init__(self) -> None:
        self.bound: set[str] = set()
        self.read: set[str] = set()

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            if node.id not in self.bound:
                self.read.add(node.id)
        else:
            self.bound.add(node.id)

    def visit_Assign(self, node: ast.Assign | ast.AugAssign | ast.AnnAssign) -> None:
        if node.value is not None:  # the value is read before the targets are bound
            self.visit(node.value)
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id not in self.bound:
            self.read.add(node.target.id)
        for target in targets:
            self.visit(target)

    visit_AugAssign = visit_AnnAssign = visit_Assign

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        for alias in node.names:
            self.bound.add((alias.asname or alias.name).split(".")[0])

    visit_ImportFrom = visit_Import

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        for deco in node.decorator_list:
            self.visit(deco)
        self.bound.add(node.name)  # the body runs later, with its own scope: not read here

    visit_AsyncFunctionDef = visit_ClassDef = visit_FunctionDef

    def _scoped(self, node: ast.AST) -> None:  # comprehensions and lambdas: their targets stay inside
        inner = _Names()
        for child in ast.iter_child_nodes(node):
            inner.visit(child)
        self.read |= {n for n in inner.read if n not in self.bound} - inner.bound

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = visit_Lambda = _scoped


def _cell_names(source: str) -> _Names:
    names = _Names()
    tree = _parse_cell(source)
    if tree is not None:
        names.visit(tree)
    return names


def deeper_problems(nb_or_path: Any) -> list[str]:
    """Where a lesson's *Going deeper* parts are not optional: what skipping them would break.

    A part is a run of consecutive cells tagged ``deeper``. It must open with a markdown cell
    that says "Going deeper" (so a reader sees it is optional), and no later core cell may read
    a name that only a deeper cell defines (skipping the part must not break the lesson).

    Parameters
    ----------
    nb_or_path : notebook or path
        A notebook (``nbformat.NotebookNode``) or the path of an ``.ipynb`` file.

    Returns
    -------
    list of str
        One line per problem, naming the cells and the names.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> deep = {"tags": ["deeper"]}
    >>> nb.cells = [nbformat.v4.new_code_cell("x = 1"),
    ...             nbformat.v4.new_markdown_cell("## Going deeper: more", metadata=deep),
    ...             nbformat.v4.new_code_cell("y = x + 1", metadata=deep),
    ...             nbformat.v4.new_code_cell("print(x, y)")]
    >>> deeper_problems(nb)
    ["cell 3 (core) reads 'y', defined only in Going deeper cells (2): define it in the core or tag cell 3 deeper"]
    """
    nb, _ = _read(nb_or_path)
    problems = []
    core_bound: set[str] = set()
    deeper_bound: dict[str, int] = {}
    previous_deeper = False
    for i, cell in enumerate(nb.cells):
        tags = _tags(cell)
        if tags & {"cx-nav", "cx-toc"}:
            continue
        deeper = DEEPER_TAG in tags
        if deeper and not previous_deeper:
            if cell.get("cell_type") != "markdown" or not re.search(r"going deeper", str(cell.get("source", "")), re.I):
                problems.append(
                    f"cell {i}: a Going deeper part must open with a markdown cell that says 'Going deeper' "
                    "(its heading), so a reader knows it can be skipped"
                )
        previous_deeper = deeper
        if cell.get("cell_type") != "code" or "solution" in tags:
            continue
        names = _cell_names(str(cell.get("source", "")))
        if deeper:
            for name in names.bound - core_bound:
                deeper_bound.setdefault(name, i)
            continue
        for name in sorted(names.read - core_bound):
            if name in deeper_bound:
                problems.append(
                    f"cell {i} (core) reads {name!r}, defined only in Going deeper cells ({deeper_bound[name]}): "
                    f"define it in the core or tag cell {i} deeper"
                )
        core_bound |= names.bound
    return problems


def split_at_headings(nb: Any, level: int = 2) -> int:
    """Split markdown cells so that every heading of ``level`` or above starts its own cell.

    A section can then be tagged (``deeper``, slides) cell by cell. The new cells keep the
    original cell's tags. Returns the number of cells added.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook, changed in place.
    level : int
        The deepest heading level that starts a cell (2: ``#`` and ``##``).

    Returns
    -------
    int
        How many cells were added.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells = [nbformat.v4.new_markdown_cell("Text.\\n\\n## Next\\n\\nMore.")]
    >>> split_at_headings(nb), [c.source for c in nb.cells]
    (1, ['Text.', '## Next\\n\\nMore.'])
    """
    import copy

    import nbformat

    heading = re.compile(rf"^#{{1,{level}}}\s", re.M)
    cells, added = [], 0
    for cell in nb.cells:
        source = str(cell.get("source", ""))
        if cell.get("cell_type") != "markdown":
            cells.append(cell)
            continue
        fences = [m.start() for m in re.finditer(r"^\s*(```|~~~)", source, re.M)]
        inside = list(zip(fences[::2], fences[1::2] + [len(source)] * (len(fences) % 2)))
        starts = [
            m.start()
            for m in heading.finditer(source)
            if m.start() > 0 and not any(a < m.start() < b for a, b in inside)  # not a comment in a code block
        ]
        if not starts:
            cells.append(cell)
            continue
        pieces = [source[a:b].strip("\n") for a, b in zip([0, *starts], [*starts, len(source)])]
        for n, piece in enumerate(p for p in pieces if p.strip()):
            new = nbformat.v4.new_markdown_cell(piece, metadata=copy.deepcopy(dict(cell.get("metadata", {}))))
            if n == 0 and "id" in cell:
                new["id"] = cell["id"]
            cells.append(new)
            added += n > 0
    nb.cells = cells
    return added
