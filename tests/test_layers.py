"""The package's layers, read from its import statements: nothing imports upwards.

base (errors, checks) -> data -> features -> simulation -> analytics -> teaching -> cli, where
the simulator and the analytics are siblings: the simulator never imports an estimator, and no
analysis depends on the simulator. Every import counts, including those inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "cxlib"

#: layer -> the layers it may import (itself included)
ALLOWED = {
    "base": {"base"},
    "data": {"base", "data"},
    "features": {"base", "data", "features"},
    "simulation": {"base", "data", "features", "simulation"},
    "analytics": {"base", "data", "features", "analytics"},
    "teaching": {"base", "data", "features", "simulation", "analytics", "teaching"},
    "cli": {"base", "data", "features", "simulation", "analytics", "teaching", "cli"},
}
#: modules outside the layers, and why
EXEMPT = {
    "cxlib._compat": "maps the 0.1 module names to their new homes, lazily, for one release",
    "cxlib.__main__": "`python -m cxlib` runs the command line",
}


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in ("errors", "checks", "_deprecation", "__init__"):
        return "base"
    if parts[1] in ALLOWED:
        return parts[1]
    raise AssertionError(f"{module} is in no layer: put it in one of {sorted(ALLOWED)}")


def module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def cxlib_imports(tree: ast.AST, me: str) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "cxlib"]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.level:
                raise AssertionError(f"{me}: use absolute imports (line {node.lineno})")
            if node.module == "cxlib":
                out += [(node.lineno, f"cxlib.{a.name}") for a in node.names]
            elif node.module.split(".")[0] == "cxlib":
                out.append((node.lineno, node.module))
    return out


MODULES = sorted(p for p in PKG.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_no_module_imports_a_higher_layer(path):
    me = module_name(path)
    if me in EXEMPT:
        pytest.skip(EXEMPT[me])
    mine = layer(me)
    bad = []
    for line, target in cxlib_imports(ast.parse(path.read_text(encoding="utf-8")), me):
        if target in ("cxlib", "cxlib.__version__") or target in EXEMPT:
            continue
        theirs = layer(target)
        if theirs not in ALLOWED[mine]:
            bad.append(f"line {line}: {target} ({theirs} layer)")
    assert not bad, f"{me} ({mine} layer) imports upwards:\n  " + "\n  ".join(bad)


def test_every_module_is_in_a_layer():
    for path in MODULES:
        me = module_name(path)
        if me not in EXEMPT:
            layer(me)


def test_the_rule_catches_an_upward_import(tmp_path):
    tree = ast.parse("def f():\n    from cxlib.teaching import plots\n")
    ((line, target),) = cxlib_imports(tree, "cxlib.analytics.x")
    assert layer(target) not in ALLOWED[layer("cxlib.analytics.x")]
