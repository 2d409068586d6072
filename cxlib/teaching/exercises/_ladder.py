"""Check that an exercise's hints form a ladder that never hands over the solution.

Used by :func:`cxlib.teaching.exercises.hint_problems` (and the test over every lesson's
exercises). A hint gives the solution away when it contains

* a **key call** of the solution: a call with arguments (``nps(s[s['plan'] == 'Premium'],
  'ltr')``), compared with every variable name blanked out, so that renaming ``s`` to
  ``surveys`` does not hide it; calls of Python built-ins (``len``, ``sum``, ``float``,
  ...), steps of data wrangling (``groupby``, ``astype``, ``query``, ... in
  :data:`GENERIC_STEPS`), loading a data set (``load_*``) and calls without arguments are
  not key calls;
* a **statement** of the solution (``valid = [s for s in scores if s is not None]``) or
  the right-hand side of its final ``answer = ...`` line, again with names blanked out;
* the **final value**: the expected number written with 0 to 4 decimals (or as a percent),
  when it has at least two significant digits, or every label of an expected set;
* for a "compute it with pandas" exercise, the **cxlib function** that would do it in one
  call (its name followed by ``(``).

Code in a hint is read from its back-quoted spans (and from the whole hint when it parses
as Python).

Examples
--------
>>> key_calls("r = N.nps(s[s['plan'] == 'Premium'], 'ltr')\\nanswer = r.nps")
["nps(_[_['plan'] == 'Premium'], 'ltr')"]
>>> sorted(hint_calls("Try `N.nps(surveys[surveys['plan'] == 'Premium'], 'ltr')`."))
["nps(_[_['plan'] == 'Premium'], 'ltr')"]
"""

from __future__ import annotations

import ast
import copy
import math
import re
from collections.abc import Iterable
from typing import Any

__all__ = [
    "BUILTINS",
    "GENERIC_STEPS",
    "key_calls",
    "key_statements",
    "hint_calls",
    "hint_snippets",
    "value_forms",
    "ladder_problems",
]

#: Calls that never count as the key of a solution.
BUILTINS = frozenset(
    "abs all any bool dict divmod enumerate filter float format int isinstance len list map max min print "
    "range repr reversed round set sorted str sum tuple type zip".split()
)

#: Steps of data wrangling (pandas, NumPy, str methods): naming one with its arguments is a fair hint.
GENERIC_STEPS = frozenset(
    "agg aggregate apply astype between contains cumsum dropna endswith fillna filter get groupby head isin "
    "isna join loc merge notna nunique pivot_table quantile query rank rename reindex replace reset_index resample "
    "set_index sort_index sort_values split startswith tail to_datetime to_numpy to_period unique value_counts where".split()
)

_BACKTICKS = re.compile(r"`([^`]+)`")
_NUMBER = re.compile(r"\d[\d,]*\.?\d*")


class _Blank(ast.NodeTransformer):
    """Replace every variable name by ``_`` (callee names are kept by the caller)."""

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return ast.copy_location(ast.Name(id="_", ctx=node.ctx), node)

    def visit_arg(self, node: ast.arg) -> ast.AST:
        node.arg = "_"
        return node


def _callee(node: ast.Call) -> str | None:
    f = node.func
    if isinstance(f, ast.Attribute):
        return f.attr
    if isinstance(f, ast.Name):
        return f.id
    return None


def _canon_call(node: ast.Call) -> str | None:
    name = _callee(node)
    if name is None or name in BUILTINS or name in GENERIC_STEPS or name.startswith("load_"):
        return None
    if not (node.args or node.keywords):
        return None
    call = copy.deepcopy(node)
    call.func = ast.Name(id=name, ctx=ast.Load())
    blank = _Blank()
    call.args = [blank.visit(a) for a in call.args]
    call.keywords = [blank.visit(k) for k in call.keywords]
    return ast.unparse(call)


def _parse(code: str) -> ast.Module | None:
    try:
        return ast.parse(code.strip())
    except (SyntaxError, ValueError):
        return None


def _calls(tree: ast.AST) -> set[str]:
    return {c for n in ast.walk(tree) if isinstance(n, ast.Call) for c in [_canon_call(n)] if c}


def _blanked(node: ast.AST) -> str:
    return ast.unparse(_Blank().visit(copy.deepcopy(node)))


def key_calls(solution_code: str) -> list[str]:
    """The key calls of a solution, names blanked (see the module docstring)."""
    tree = _parse(solution_code)
    return sorted(_calls(tree)) if tree else []


def key_statements(solution_code: str) -> list[str]:
    """The solution's statements and final right-hand side that a hint must not contain, names blanked.

    Imports, ``def`` lines, and statements whose blanked form is shorter than 12 characters
    (``answer = r``) are left out.

    >>> key_statements("valid = [s for s in scores if s is not None]\\nanswer = valid")
    ['[_ for _ in _ if _ is not None]', '_ = [_ for _ in _ if _ is not None]']
    """
    tree = _parse(solution_code)
    if tree is None:
        return []
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.Module)):
            continue
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.Return, ast.Expr)) and node.value is not None:
            for text in (_blanked(node), _blanked(node.value)):
                if len(text) >= 12 and not re.fullmatch(r"[_\w.]+", text):
                    out.add(text)
    return sorted(out)


def hint_snippets(hint: str) -> list[ast.Module]:
    """The pieces of a hint that parse as Python: its back-quoted spans, and the whole hint."""
    pieces = [m.group(1) for m in _BACKTICKS.finditer(hint)] + [hint]
    parsed = []
    for piece in pieces:
        tree = _parse(piece.strip().rstrip(".;:"))
        if tree is not None:
            parsed.append(tree)
    return parsed


def hint_calls(hint: str) -> set[str]:
    """The calls with arguments in a hint's code, names blanked."""
    return {c for tree in hint_snippets(hint) for c in _calls(tree)}


def _hint_statements(hint: str) -> set[str]:
    out: set[str] = set()
    for tree in hint_snippets(hint):
        for node in ast.walk(tree):
            if isinstance(node, ast.stmt) and not isinstance(node, (ast.Import, ast.ImportFrom)):
                out.add(_blanked(node))
                if isinstance(node, (ast.Assign, ast.Expr, ast.Return, ast.AugAssign)) and node.value is not None:
                    out.add(_blanked(node.value))
            elif isinstance(node, ast.expr):
                out.add(_blanked(node))
    return out


def value_forms(value: Any, *, percent: bool = False) -> list[str]:
    """How an expected number could be written in a hint (two significant digits or more).

    >>> value_forms(45.283)
    ['45', '45.3', '45.28', '45.283']
    >>> value_forms(0.5)
    []
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        return []
    if not math.isfinite(v):
        return []
    candidates = [v, 100 * v] if percent else [v]
    forms: list[str] = []
    for x in candidates:
        for d in range(5):
            text = f"{x:.{d}f}"
            if d and text.endswith("0"):
                continue  # 45.30 is written 45.3
            significant = re.sub(r"[^0-9]", "", text).strip("0")
            if len(significant) >= 2 and text not in forms and float(text) != 0:
                forms.append(text)
            if abs(x) >= 1000:
                grouped = f"{x:,.{d}f}"
                if grouped not in forms and len(significant) >= 2:
                    forms.append(grouped)
    return forms


def _contains_number(text: str, form: str) -> bool:
    pattern = r"(?<![\d.,])" + re.escape(form) + r"(?![\d]|[.,]\d)"
    return re.search(pattern, text) is not None


def ladder_problems(
    hints: Iterable[str],
    solution_code: str,
    *,
    expected: Any = None,
    numeric: bool = False,
    labels: bool = False,
    percent_forms: bool = False,
    forbidden_calls: Iterable[str] = (),
    min_hints: int = 2,
) -> list[str]:
    """Every way the hints fail to form a ladder that keeps the solution back (empty when fine).

    Parameters
    ----------
    hints, solution_code
        The exercise's hints and solution code.
    expected
        The expected answer, or a function that computes it (called only when a hint holds a
        number, so checking the hints rarely loads data); checked when ``numeric`` (a number) or ``labels`` (a set of labels).
    percent_forms
        Also look for a numeric answer written as a percent (a share question).
    forbidden_calls
        Names of functions that no hint may name with ``(`` (a pandas exercise's cxlib equivalent).
    min_hints
        A ladder has at least this many rungs.

    Examples
    --------
    >>> ladder_problems(["Count the promoters.", "`(s['ltr'] >= 9).mean()`"],
    ...                 "answer = (s['ltr'] >= 9).mean()", expected=0.46, numeric=True)
    ["hint 2 contains the solution's code: (_['ltr'] >= 9).mean()"]
    """
    hints = list(hints)
    problems = []
    if len(hints) < min_hints:
        problems.append(f"{len(hints)} hint(s): a ladder needs at least {min_hints}, gentle first")
    if len({h.strip() for h in hints}) < len(hints):
        problems.append("two hints are the same")
    calls = set(key_calls(solution_code))
    statements = set(key_statements(solution_code))
    forms: list[str] = []
    if numeric and expected is not None and any(_NUMBER.search(h) for h in hints):
        value = expected() if callable(expected) else expected
        forms = value_forms(value, percent=percent_forms)
    for i, hint in enumerate(hints, start=1):
        if not hint.strip():
            problems.append(f"hint {i} is empty")
            continue
        given = sorted(calls & hint_calls(hint))
        if given:
            problems.append(f"hint {i} contains the solution's key call: {given[0]}")
        code = sorted(statements & _hint_statements(hint))
        if code and not given:
            problems.append(f"hint {i} contains the solution's code: {code[0]}")
        for form in forms:
            if _contains_number(hint, form):
                problems.append(f"hint {i} contains the answer's value {form}")
                break
        if labels and expected is not None:
            wanted = [str(x) for x in (expected() if callable(expected) else expected)]
            if len(wanted) >= 2 and all(re.search(r"\b" + re.escape(w) + r"\b", hint) for w in wanted):
                problems.append(f"hint {i} lists every expected label")
        for name in forbidden_calls:
            tail = name.rsplit(".", 1)[-1]
            if re.search(r"\b" + re.escape(tail) + r"\s*\(", hint) or name in hint:
                problems.append(f"hint {i} names {name}, the one call this pandas exercise asks you to do by hand")
    for name in forbidden_calls:
        tail = name.rsplit(".", 1)[-1]
        if re.search(r"\b" + re.escape(tail) + r"\s*\(", solution_code):
            problems.append(f"the solution calls {name}: a pandas exercise's solution computes it with pandas")
    return problems
