"""A lesson's parameters: declared types, safe parsing of ``-p NAME=VALUE``, literal cells.

A lesson's first code cell (tagged ``parameters``) declares each parameter with a
type annotation, a literal default and a comment::

    DATA: str | None = None         # path to your export; None uses the bundled data
    SCORE_COLUMN: str = "ltr"       # the 0-10 answer
    K: int | None = None            # number of segments; None chooses it

The supported types are ``str``, ``int``, ``float``, ``bool``, ``list[str]`` (for
column lists) and ``Literal["M", "Q"]`` (one of a few strings; the cell then starts
with ``from typing import Literal``), each optionally ``| None``. :func:`read_parameters_cell` reads such a
cell with :mod:`ast` (nothing in it is executed); :meth:`ParameterType.parse` turns
the text a command-line user typed into a value of the declared type, and
:func:`parameters_source` writes the cell that carries the values into the
notebook. Values reach a notebook **only as literals** written here with ``repr``
and checked by parsing the result back: no text a user typed is ever pasted into
code.

Examples
--------
>>> t = ParameterType.from_annotation("list[str] | None")
>>> t.parse("usage_gb, tenure_months")
['usage_gb', 'tenure_months']
>>> t.parse("None") is None
True
>>> print(parameters_source({"SCORE_COLUMN": "Q1 \\"best\\" score", "K": 3}))
SCORE_COLUMN = 'Q1 "best" score'
K = 3
"""

from __future__ import annotations

import ast
import io
import math
import re
import tokenize
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cxlib.errors import CxError

__all__ = ["ParameterType", "Parameter", "read_parameters_cell", "parameters_source"]


_BASES = ("str", "int", "float", "bool", "list[str]")


_TRUE = {"true", "yes", "1", "on"}


_FALSE = {"false", "no", "0", "off"}


_FORMS = {
    "str": 'text, e.g. -p {name}="Q1 Recommend"',
    "int": "a whole number, e.g. -p {name}=5",
    "float": "a number, e.g. -p {name}=0.35",
    "bool": "true or false, e.g. -p {name}=true",
    "list[str]": 'column names separated by commas, e.g. -p {name}="usage_gb,tenure_months" '
    "(or a list: -p {name}=\"['usage_gb', 'tenure_months']\")",
}


@dataclass(frozen=True)
class ParameterType:
    """The declared type of a lesson parameter: a base type, optionally ``| None``.

    ``choices`` holds the allowed values of a ``Literal["M", "Q"]`` (base ``str``).

    Attributes
    ----------
    base : str
        ``str``, ``int``, ``float``, ``bool``, ``list[str]``, ... (the annotation's base type).
    optional : bool
        Whether None is allowed too (``| None``).
    choices : tuple of str
        The allowed values of a ``Literal``; empty for any value.
    """

    base: str
    optional: bool = False
    choices: tuple[str, ...] = ()

    @classmethod
    def from_annotation(cls, text: str) -> ParameterType:
        """Read ``"int"``, ``"str | None"``, ``"list[str] | None"``, ...

        >>> ParameterType.from_annotation("float | None")
        ParameterType(base='float', optional=True, choices=())
        >>> str(ParameterType.from_annotation("Literal['M', 'Q']"))
        "Literal['M', 'Q']"
        """
        parts = [p.strip() for p in text.split("|")]
        optional = "None" in parts
        rest = [p for p in parts if p != "None"]
        if len(rest) == 1 and re.fullmatch(r"Literal\[.*\]", rest[0]):
            choices = _literal("(" + rest[0][len("Literal[") : -1] + ",)")
            if isinstance(choices, tuple) and choices and all(isinstance(c, str) for c in choices):
                return cls("str", optional, choices)
        rest = [re.sub(r"\s+", "", p) for p in rest]
        if len(rest) != 1 or rest[0].replace("List", "list") not in _BASES:
            raise CxError(
                f"unsupported parameter type {text!r}: use one of "
                f"{', '.join(_BASES)} or Literal['a', 'b'], optionally followed by '| None'."
            )
        return cls(rest[0].replace("List", "list"), optional)

    def __str__(self) -> str:
        base = f"Literal[{', '.join(map(repr, self.choices))}]" if self.choices else self.base
        return base + (" | None" if self.optional else "")

    def forms(self, name: str) -> str:
        """The valid ways to write a value of this type on the command line."""
        if self.choices:
            form = "one of " + ", ".join(map(repr, self.choices))
        else:
            form = _FORMS[self.base].format(name=name)
        return form + (f", or None (-p {name}=None)" if self.optional else "")

    def accepts(self, value: Any) -> bool:
        """Whether ``value`` (a Python object) is of this type."""
        if value is None:
            return self.optional
        if self.base == "str":
            return isinstance(value, str) and (not self.choices or value in self.choices)
        if self.base == "bool":
            return isinstance(value, bool)
        if self.base == "int":
            return isinstance(value, int) and not isinstance(value, bool)
        if self.base == "float":
            return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        return isinstance(value, list) and all(isinstance(v, str) for v in value)

    def parse(self, text: str, name: str = "VALUE") -> Any:
        """The value a command-line user meant by ``text`` (raises CxError with the valid forms).

        >>> ParameterType("int").parse("30")
        30
        >>> ParameterType("str").parse("'quoted'")
        'quoted'
        >>> ParameterType("float").parse("1e400")
        Traceback (most recent call last):
        ...
        cxlib.errors.CxError: parameter VALUE: '1e400' is not a number, e.g. -p VALUE=0.35.
        """
        raw = str(text)
        stripped = raw.strip()
        if self.optional and stripped in ("None", "none", "null"):
            return None
        value = self._convert(raw, stripped)
        if value is _INVALID or not self.accepts(value):
            shown = raw if len(raw) <= 80 else raw[:77] + "..."
            raise CxError(f"parameter {name}: {shown!r} is not {self.forms(name)}.")
        return value

    def _convert(self, raw: str, stripped: str) -> Any:
        if self.base == "str":
            if len(stripped) >= 2 and stripped[0] == stripped[-1] and stripped[0] in "'\"":
                value = _literal(stripped)
                return value if isinstance(value, str) else _INVALID
            return raw
        if self.base == "int":
            return int(stripped) if re.fullmatch(r"[+-]?\d{1,18}", stripped) else _INVALID
        if self.base == "float":
            if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", stripped):
                return _INVALID
            value = float(stripped)
            return value if math.isfinite(value) else _INVALID
        if self.base == "bool":
            low = stripped.lower()
            return True if low in _TRUE else False if low in _FALSE else _INVALID
        # list[str]
        if stripped.startswith(("[", "(")):
            value = _literal(stripped)
            return list(value) if isinstance(value, (list, tuple)) else _INVALID
        items = [v.strip() for v in raw.split(",")]
        return items if stripped and all(items) else _INVALID


_INVALID = object()


def _literal(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return _INVALID


@dataclass(frozen=True)
class Parameter:
    """One declared parameter of a lesson.

    Attributes
    ----------
    name : str
        The parameter's name, e.g. ``SCORE_COLUMN``.
    type : ParameterType
        Its declared type.
    default : object
        The literal the cell assigns.
    help : str
        The comment after it.
    """

    name: str
    type: ParameterType
    default: Any
    help: str = ""

    @property
    def default_text(self) -> str:
        """The default as written in the cell."""
        return _literal_text(self.default)


def _literal_text(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(repr(str(v)) for v in value) + "]"
    if isinstance(value, float):
        return repr(float(value))
    return repr(value)


def _comments(source: str) -> dict[int, str]:
    out: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                out[tok.start[0]] = tok.string.lstrip("#").strip()
    except (tokenize.TokenError, IndentationError):
        pass
    return out


def read_parameters_cell(source: str, where: str = "the parameters cell") -> dict[str, Parameter]:
    """Read a parameters cell: ``NAME: type = literal  # help`` per line. Nothing is executed.

    Parameters
    ----------
    source : str
        The cell's code.
    where : str
        What to call the cell in messages.

    Returns
    -------
    dict of str to Parameter
        Name -> declared parameter, in the cell's order; a :class:`~cxlib.errors.CxError` names
        the line that is not a declaration.

    Examples
    --------
    >>> cell = 'DATA: str | None = None  # your file\\nK: int = 5\\n'
    >>> ps = read_parameters_cell(cell)
    >>> str(ps["K"].type), ps["K"].default, ps["DATA"].help
    ('int', 5, 'your file')
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise CxError(f"{where}: not valid Python ({exc.msg}, line {exc.lineno}).") from None
    comments = _comments(source)
    out: dict[str, Parameter] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "typing":
            continue  # from typing import Literal
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None):
            raise CxError(
                f"{where}, line {node.lineno}: each line must read "
                "'NAME: type = literal  # help' (for example SCORE_COLUMN: str = \"ltr\")."
            )
        name = node.target.id
        ptype = ParameterType.from_annotation(ast.unparse(node.annotation))
        try:
            default = ast.literal_eval(node.value)
        except ValueError:
            raise CxError(f"{where}: the default of {name} must be a literal.") from None
        if isinstance(default, tuple):
            default = list(default)
        if not ptype.accepts(default):
            raise CxError(f"{where}: the default of {name} ({default!r}) is not of type {ptype}.")
        out[name] = Parameter(name, ptype, default, comments.get(node.lineno, ""))
    return out


def parameters_source(values: Mapping[str, Any], declared: Mapping[str, Parameter] | None = None) -> str:
    """The source of a cell assigning ``values`` as literals (checked by parsing it back).

    With ``declared``, every value must be of its parameter's declared type.

    Parameters
    ----------
    values : mapping of str to object
        Name -> value (None, bool, int, float, str or a list of them).
    declared : mapping of str to Parameter, optional
        The lesson's declared parameters, to check the values' types against.

    Returns
    -------
    str
        Python source, one ``NAME = literal`` line per value.

    Examples
    --------
    >>> parameters_source({"FEATURES": ["a", "b'c"], "X": None, "ON": True})
    'FEATURES = [\\'a\\', "b\\'c"]\\nX = None\\nON = True'
    """
    lines = []
    for name, value in values.items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise CxError(f"{name!r} is not a parameter name.")
        if declared is not None:
            if name not in declared:
                raise CxError(f"unknown parameter {name}.")
            if not declared[name].type.accepts(value):
                raise CxError(f"parameter {name}: {value!r} is not {declared[name].type.forms(name)}.")
        elif not any(ParameterType(b, True).accepts(value) for b in _BASES):
            raise CxError(f"parameter {name}: {type(value).__name__} values are not supported.")
        text = _literal_text(value)
        if _literal(text) != value:  # the literal must read back as exactly this value
            raise CxError(f"parameter {name}: {value!r} cannot be written as a literal.")
        lines.append(f"{name} = {text}")
    source = "\n".join(lines)
    for node in ast.parse(source).body:  # defence in depth: only NAME = literal
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            raise CxError("internal check failed: the parameters cell is not plain assignments.")
        ast.literal_eval(node.value)
    return source
