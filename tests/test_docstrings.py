"""Docstrings and sizes of the public API (issue 17, "Habits").

Every public function and class of cxlib (the names a public module exports: its ``__all__``,
or else the functions and classes it defines whose names do not start with ``_``; a module is
public when no part of its dotted name starts with ``_``) has a numpydoc docstring with

- a summary line;
- a **Parameters** section naming every parameter other than ``self`` (a class documents its
  constructor's parameters under Parameters or, for a result record, Attributes);
- a **Returns** (or **Yields**) section when it returns something other than None.

numpydoc's own validator reads the docstrings (codes GL08, SS01, PR01, RT01, YD01).

Sizes: no module in cxlib over :data:`MAX_MODULE_LINES` lines, and no function over
:data:`MAX_FUNCTION_LINES` lines of code (its docstring not counted) unless its docstring has a
line starting with ``Length:`` that says why it is one piece.

Failures are reported per module, the module that defines the object (where its docstring is
edited). Modules being rewritten on another branch are in :data:`PENDING`: their problems are
reported as expected failures until those branches are merged.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import warnings
from pathlib import Path

import pytest

numpydoc_validate = pytest.importorskip("numpydoc.validate", reason="pip install numpydoc (the test extra)")

import cxlib  # noqa: E402

PKG = Path(cxlib.__file__).resolve().parent
MAX_MODULE_LINES = 800
MAX_FUNCTION_LINES = 80
#: numpydoc validation codes this test enforces: no docstring, no summary, parameters not
#: documented, no Returns, no Yields.
CODES = {"GL08", "SS01", "PR01", "RT01", "YD01"}

#: Modules rewritten on other branches while this test was written (issue 17 item 4). Their
#: problems show as xfail, never as passes. Empty since those branches were merged; no other
#: exemption exists.
PENDING: set[str] = set()


def module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def public_modules() -> list[str]:
    names = ["cxlib"]
    for info in pkgutil.walk_packages(cxlib.__path__, "cxlib."):
        if not any(part.startswith("_") for part in info.name.split(".")[1:]):
            names.append(info.name)
    return names


def public_objects() -> dict[str, list[tuple[str, object]]]:
    """Defining module -> [(public import path, function or class)], each object once."""
    seen: set[int] = set()
    out: dict[str, list[tuple[str, object]]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for name in public_modules():
            mod = importlib.import_module(name)
            exported = getattr(mod, "__all__", None)
            if exported is None:
                exported = [
                    n
                    for n, obj in vars(mod).items()
                    if not n.startswith("_") and getattr(obj, "__module__", None) == name
                ]
            for n in exported:
                obj = getattr(mod, n)
                if not (inspect.isfunction(obj) or inspect.isclass(obj)) or id(obj) in seen:
                    continue
                if not str(getattr(obj, "__module__", "")).startswith("cxlib"):
                    continue
                seen.add(id(obj))
                out.setdefault(obj.__module__, []).append((f"{name}.{n}", obj))
    return out


OBJECTS = public_objects()


def docstring_problems(path: str, obj: object) -> list[str]:
    result = numpydoc_validate.validate(path)
    errors = [(code, msg) for code, msg in result["errors"] if code in CODES]
    if inspect.isclass(obj) and any(code == "PR01" for code, _ in errors):
        # a record documents its fields under Attributes: accept them as its parameters
        doc = numpydoc_validate.Validator(numpydoc_validate.get_doc_object(obj))
        documented = {n.strip() for p in doc.doc["Attributes"] for n in p.name.split(",")} | set(doc.doc_parameters)
        params = set(inspect.signature(obj).parameters) - {"self"}
        errors = [(code, msg) for code, msg in errors if code != "PR01"]
        if params - documented:
            errors.append(("PR01", f"Parameters or Attributes {sorted(params - documented)} not documented"))
    return [f"{path}: {code} {msg}" for code, msg in errors]


def report(module: str, problems: list[str]) -> None:
    if not problems:
        return
    text = "\n".join(problems)
    if module in PENDING:
        pytest.xfail(f"PENDING (another branch edits {module}):\n{text}")
    pytest.fail(f"{len(problems)} problem(s) in {module}:\n{text}")


def test_public_api_is_found():
    names = {path for objs in OBJECTS.values() for path, _ in objs}
    assert len(names) > 200
    assert {"cxlib.data.io.read_table", "cxlib.teaching.lessons.find_lesson"} <= names


def test_pending_names_real_modules():
    for module in PENDING:
        importlib.import_module(module)


@pytest.mark.parametrize("module", sorted(OBJECTS))
def test_numpydoc_sections(module):
    problems = [p for path, obj in OBJECTS[module] for p in docstring_problems(path, obj)]
    report(module, problems)


def test_docstring_check_catches_a_bad_docstring():
    problems = docstring_problems(f"{__name__}._undocumented", _undocumented)
    assert any("PR01" in p for p in problems) and any("RT01" in p for p in problems)


def _undocumented(x):
    """Double a number."""
    return 2 * x


# --- sizes ---------------------------------------------------------------------------------


def code_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines of a function's body, from its first statement after the docstring to its end."""
    body = node.body
    first = body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        body = body[1:]
    if not body:
        return 0
    assert node.end_lineno is not None
    return node.end_lineno - body[0].lineno + 1


def has_length_reason(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    doc = ast.get_docstring(node) or ""
    return any(
        line.strip().startswith("Length:") and len(line.strip()) > len("Length:") + 10 for line in doc.splitlines()
    )


def size_problems(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    rel = path.relative_to(PKG.parent)
    problems = []
    n = source.count("\n")
    if n > MAX_MODULE_LINES:
        problems.append(f"{rel}: {n} lines (at most {MAX_MODULE_LINES}): split it by concept")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines = code_lines(node)
            if lines > MAX_FUNCTION_LINES and not has_length_reason(node):
                problems.append(
                    f"{rel}:{node.lineno} {node.name}() has {lines} lines of code (at most {MAX_FUNCTION_LINES}): "
                    "split it, or say why it is one piece on a docstring line starting 'Length:'"
                )
    return problems


FILES = sorted(PKG.rglob("*.py"))


@pytest.mark.parametrize("path", FILES, ids=[module_name(p) for p in FILES])
def test_sizes(path):
    report(module_name(path), size_problems(path))


def test_size_check_catches_a_long_function(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES + 1))
    long = tmp_path / "long.py"
    long.write_text(f'def f():\n    """Doc."""\n{body}\n', encoding="utf-8")
    tree = ast.parse(long.read_text())
    node = tree.body[0]
    assert isinstance(node, ast.FunctionDef)
    assert code_lines(node) == MAX_FUNCTION_LINES + 1 and not has_length_reason(node)
    reasoned = ast.parse(
        f'def f():\n    """Doc.\n\n    Length: one table of cases, read top to bottom.\n    """\n{body}\n'
    )
    node = reasoned.body[0]
    assert isinstance(node, ast.FunctionDef) and has_length_reason(node)
