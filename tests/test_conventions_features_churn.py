"""One name per idea, numpydoc sections and sizes in the features, churn and value modules (issue 17 items 2, 4).

Checked from the source, for every public function, class and method:
* arguments that name a column end in ``_column`` (or ``_columns``); a confidence level is ``level``;
* docstrings have a ``Parameters`` section (when there are parameters), a ``Returns`` section
  (when something is returned) and, for functions and classes, ``Examples``;
* functions are under 80 lines of code (the docstring not counted) and modules under 800 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(
    [
        *ROOT.glob("cxlib/features/*.py"),
        *ROOT.glob("cxlib/analytics/churn/*.py"),
        *ROOT.glob("cxlib/analytics/personas/*.py"),
        *(
            ROOT / "cxlib/analytics" / f
            for f in (
                "economics.py",
                "expectations.py",
                "health.py",
                "devotees.py",
                "drivers.py",
                "emotion.py",
                "_emotion_measures.py",
                "_emotion_base.py",
                "_emotion_share.py",
                "_level.py",
                "_business_case.py",
                "_clv_orders.py",
                "clv.py",
            )
        ),
        *(
            ROOT / "cxlib/teaching/plots" / f"{m}.py"
            for m in ("churn", "economics", "expectations", "health", "devotees", "drivers", "personas")
        ),
        ROOT / "cxlib/simulation/_truth.py",
        ROOT / "cxlib/cli/churn.py",
        ROOT / "cxlib/data/io/_churn.py",
    ]
)
EXERCISES = [ROOT / f"cxlib/teaching/exercises/lesson{n}.py" for n in ("01", "02", "03", "06", "07")]

#: Bare argument names that name a column or a confidence level: one name per idea instead.
BARE = {
    "id",
    "customer",
    "text",
    "target",
    "date",
    "amount",
    "score",
    "agent",
    "exposure",
    "outcome",
    "outcomes",
    "confounders",
    "drivers",
    "functional",
    "dysfunctional",
    "feature",
    "value",
    "churn_column",
    "confidence",
    "conf",
    "alpha",
}
#: Arguments that keep a bare name for a stated reason.
ALLOWED = {
    ("excludes", "value"): "a number to compare with the interval",
    ("month_start", "value"): "a date, not a column",
    ("measure_validity", "score"): "the scores themselves (an array), not a column",
    ("kano_decay", "feature"): "the feature's name in the chart's title, not a column",
    ("score_weights", "score"): "the fitted HealthScore, not a column",
    ("rate_by_segment", "outcome"): "the outcomes themselves (a Series), not a column",
    ("targeting_profit", "value"): "the value saved per customer (numbers, not a column)",
    ("business_case", "value"): "the value saved per customer (numbers, not a column)",
    ("kano_classify", "functional"): "the answers themselves (not a column)",
    ("kano_classify", "dysfunctional"): "the answers themselves (not a column)",
}


def public_defs(tree: ast.Module):
    """(qualified name, node, is_method) of every public function, class and method."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
            yield node.name, node, False
            if isinstance(node, ast.ClassDef):
                for sub in node.body:
                    if isinstance(sub, ast.FunctionDef) and not sub.name.startswith("_"):
                        yield f"{node.name}.{sub.name}", sub, True


def arguments(fn: ast.FunctionDef) -> list[str]:
    a = fn.args
    names = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs]
    return [n for n in names if n not in ("self", "cls")]


def code_lines(fn: ast.FunctionDef) -> int:
    body = fn.body
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
        body = body[1:]
    if not body:
        return 0
    return max(getattr(n, "end_lineno", n.lineno) for n in body) - body[0].lineno + 1


def returns_something(fn: ast.FunctionDef) -> bool:
    if isinstance(fn.returns, ast.Constant) and fn.returns.value is None:
        return False
    return any(isinstance(n, ast.Return) and n.value is not None for n in ast.walk(fn))


def is_property(fn: ast.FunctionDef) -> bool:
    return any(isinstance(d, ast.Name) and d.id in ("property", "cached_property") for d in fn.decorator_list)


@pytest.mark.parametrize("path", MODULES + EXERCISES, ids=lambda p: str(p.relative_to(ROOT)))
def test_sizes(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert len(path.read_text(encoding="utf-8").splitlines()) < 800, f"{path.name} has 800 lines or more"
    long = [
        f"{n.name} ({code_lines(n)} lines)"
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef) and code_lines(n) >= 80
    ]
    assert not long, f"functions of 80 lines or more in {path.name}: {long}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_one_name_per_idea(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = []
    for name, node, _ in public_defs(tree):
        if isinstance(node, ast.FunctionDef):
            short = name.split(".")[-1]
            bad += [f"{name}({a}=)" for a in arguments(node) if a in BARE and (short, a) not in ALLOWED]
    assert not bad, f"use *_column / level instead of: {bad}"


#: Private implementation modules: their functions are documented by the public function that calls them.
PRIVATE = {"_groups.py", "_drivers.py"}


@pytest.mark.parametrize("path", [m for m in MODULES if m.name not in PRIVATE], ids=lambda p: str(p.relative_to(ROOT)))
def test_numpydoc_sections(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    missing = []
    for name, node, is_method in public_defs(tree):
        doc = ast.get_docstring(node) or ""
        if isinstance(node, ast.ClassDef):
            estimator = any(isinstance(m, ast.FunctionDef) and m.name == "fit" for m in node.body)
            if not doc or (estimator and "Examples" not in doc):  # result objects: see the function making them
                missing.append(f"{name}: {'Examples' if doc else 'docstring'}")
            continue
        if not doc:
            missing.append(f"{name}: docstring")
            continue
        if node.name in ("__init__",) or is_property(node):
            continue
        if arguments(node) and "Parameters" not in doc:
            missing.append(f"{name}: Parameters")
        if returns_something(node) and "Returns" not in doc:
            missing.append(f"{name}: Returns")
        cli_hook = path.parent.name == "cli" and node.name in ("add_arguments", "run")
        if not is_method and not cli_hook and "Examples" not in doc and ">>>" not in doc:
            missing.append(f"{name}: Examples")
    assert not missing, f"{path.name}: {missing}"
