"""The lessons as objects: list them, read their parameters, run them on your data.

A lesson is a notebook ``notebooks/NN_name.ipynb`` of the course. Its top-level
metadata ``cx`` says how long it takes, which articles it draws on, the kind of
table its "In practice" part analyses (``data_kind``, a schema of
:mod:`cxlib.schemas`) and which parameters name that table's columns
(``columns``: parameter name -> schema column) and, optionally, other schema
columns it needs (``require``); only those are required of an analyst's file.
``free_columns`` lists parameters that name a column outside the schema (for
example a value column); ``cx run`` checks that the file has it.
Its first code cell, tagged
``parameters``, holds the papermill parameters with their defaults.

:func:`run_lesson` is what ``cx run`` does: validate the analyst's file against the
lesson's schema first (a clear error if it fails), then execute the lesson with
papermill and write the executed notebook and an offline HTML report.

Examples
--------
>>> lessons = list_lessons()
>>> lessons[0].number
'00'
>>> find_lesson("0").name
'00_welcome'
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from cxlib.errors import CxError, Problem, ValidationError

__all__ = ["Lesson", "list_lessons", "find_lesson", "notebooks_dir", "parse_parameter",
           "run_lesson", "to_html", "offline_html"]


def notebooks_dir() -> Path:
    """The course's ``notebooks/`` folder (next to the ``cxlib`` package in a clone)."""
    here = Path(__file__).resolve().parent.parent / "notebooks"
    if not here.is_dir():
        raise CxError(f"the course's notebooks were not found at {here}. `cx run` and `cx lessons` need a clone "
                      "of the course (git clone ... && make lab), not only the installed package.")
    return here


@dataclass
class Lesson:
    """One lesson notebook and what ``cx`` needs to know about it."""

    path: Path
    title: str
    meta: dict = field(default_factory=dict)
    parameters: dict = field(default_factory=dict)   # name -> {"default": str, "help": str}

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def number(self) -> str:
        return self.name.split("_", 1)[0]

    @property
    def data_kind(self) -> str | None:
        return self.meta.get("data_kind")

    @property
    def column_parameters(self) -> dict:
        return dict(self.meta.get("columns", {}))

    def __repr__(self) -> str:
        return f"Lesson({self.name!r}, {len(self.parameters)} parameters)"


_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<value>[^#]*?)\s*(?:#\s*(?P<help>.*))?$")


def _read_lesson(path: Path) -> Lesson:
    nb = nbformat.read(path, as_version=4)
    title = ""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "cx-nav" not in cell.metadata.get("tags", []):
            m = re.search(r"^#\s+(.+)$", cell.source, flags=re.M)
            if m:
                title = m.group(1).strip()
                break
    params: dict[str, dict] = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            for line in cell.source.splitlines():
                m = _PARAM.match(line.strip())
                if m:
                    params[m.group("name")] = {"default": m.group("value"), "help": (m.group("help") or "").strip()}
            break
    return Lesson(path=path, title=title, meta=dict(nb.metadata.get("cx", {})), parameters=params)


def list_lessons(folder: str | Path | None = None) -> list[Lesson]:
    """Every lesson in the course, in order."""
    folder = Path(folder) if folder else notebooks_dir()
    return [_read_lesson(p) for p in sorted(folder.glob("[0-9][0-9]_*.ipynb"))]


def find_lesson(key: str, folder: str | Path | None = None) -> Lesson:
    """Find a lesson by number (``5``, ``05``) or name (``05_nps_pitfalls``, ``nps_pitfalls``)."""
    lessons = list_lessons(folder)
    k = str(key).strip().removesuffix(".ipynb")
    for lesson in lessons:
        if k in (lesson.name, lesson.number, lesson.name.split("_", 1)[-1]) or (k.isdigit() and int(k) == int(lesson.number)):
            return lesson
    raise CxError(f"no lesson {key!r}. Lessons: {', '.join(l.name for l in lessons)} (run `cx lessons`).")


def parse_parameter(text: str) -> tuple[str, Any]:
    """Parse ``NAME=VALUE``; the value is a Python literal if it is one, else text.

    >>> parse_parameter("SEGMENT_COLUMN=region")
    ('SEGMENT_COLUMN', 'region')
    >>> parse_parameter("N=30")
    ('N', 30)
    >>> parse_parameter("X=None")
    ('X', None)
    """
    if "=" not in text:
        raise CxError(f"parameter {text!r} is not NAME=VALUE (for example -p SCORE_COLUMN=q1_score).")
    name, value = text.split("=", 1)
    name = name.strip()
    try:
        return name, ast.literal_eval(value.strip())
    except (ValueError, SyntaxError):
        return name, value.strip()


def _validate_file(lesson: Lesson, data: Path, params: dict) -> None:
    """Validate ``data`` against the lesson's schema (raises ValidationError)."""
    if not lesson.data_kind:
        return
    from cxlib.io import read_table

    columns = {}
    for pname, schema_col in lesson.column_parameters.items():
        user_col = params.get(pname, _default_value(lesson, pname))
        if isinstance(user_col, str) and user_col != schema_col:
            columns[schema_col] = user_col
    needed = list(lesson.column_parameters.values()) + list(lesson.meta.get("require", []))
    df = read_table(data, lesson.data_kind, columns=columns or None, only=needed or None)
    problems = []
    for pname in lesson.meta.get("free_columns", []):
        want = params.get(pname, _default_value(lesson, pname))
        wanted = [want] if isinstance(want, str) else list(want) if isinstance(want, (list, tuple)) else []
        listing = ", ".join(repr(columns.get(c, c)) for c in df.columns)  # the file's own names
        for name in wanted:
            if name not in df.columns:
                problems.append(Problem("missing column", column=str(name),
                                        fix=f"The lesson's parameter {pname} names the column {name!r}, which the "
                                            f"file does not have. Its columns are: {listing}. "
                                            f"Pass the right one with -p {pname}=<column>."))
    if problems:
        raise ValidationError(problems, source=data.name)


def _default_value(lesson: Lesson, name: str) -> Any:
    raw = lesson.parameters.get(name, {}).get("default", "None")
    try:
        return ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        return raw


def run_lesson(key: str, data: str | Path | None = None, parameters: dict | None = None,
               out: str | Path = "runs", *, folder: str | Path | None = None,
               timeout: int = 600) -> dict:
    """Validate ``data`` and execute a lesson on it; write the notebook and an HTML report.

    Parameters
    ----------
    key : str
        The lesson (number or name).
    data : path, optional
        The analyst's file (CSV or .xlsx); passed to the lesson as ``DATA``.
    parameters : dict, optional
        Other parameters (for example the names of the file's columns).
    out : path
        Folder for ``<lesson>.ipynb`` and ``<lesson>.html``.

    Returns
    -------
    dict with the paths written (``notebook``, ``html``).
    """
    import papermill as pm

    lesson = find_lesson(key, folder)
    params = dict(parameters or {})
    unknown = sorted(set(params) - set(lesson.parameters) - {"DATA"})
    if unknown:
        valid = ", ".join(lesson.parameters) or "(none)"
        raise CxError(f"unknown parameter(s) {', '.join(unknown)} for lesson {lesson.name}. Valid parameters: {valid}.")
    if data is not None:
        data = Path(data).expanduser().resolve()
        if not data.exists():
            raise CxError(f"{data}: no such file. Check the path to your data file.")
        if "DATA" not in lesson.parameters:
            raise CxError(f"lesson {lesson.name} does not take a data file (it has no DATA parameter).")
        try:
            _validate_file(lesson, data, params)
        except ValidationError as err:
            names = ", ".join(f"{p}={c!r}" for p, c in lesson.column_parameters.items())
            raise CxError(f"{err}\n\nWith `cx run`, name your file's columns with the lesson's parameters, "
                          f"e.g. -p {next(iter(lesson.column_parameters), 'NAME')}='Your column' "
                          f"(this lesson's defaults: {names}; `cx lessons {lesson.number}` lists them). "
                          "The `--column` mappings above are for `cx validate`.") from None
        params["DATA"] = str(data)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    nb_out = out / f"{lesson.name}.ipynb"
    try:
        pm.execute_notebook(str(lesson.path), str(nb_out), parameters=params, progress_bar=False,
                            cwd=str(out), execution_timeout=timeout, kernel_name="python3")
    except pm.PapermillExecutionError as exc:
        raise CxError(f"lesson {lesson.name} stopped with {exc.ename}: {exc.evalue}\n"
                      f"The executed notebook, with the failing cell, is in {nb_out}.") from None
    html = out / f"{lesson.name}.html"
    html.write_text(to_html(nb_out), encoding="utf-8")
    return {"notebook": nb_out, "html": html}


_REMOTE_SCRIPT = re.compile(r'<script[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>', re.I)
_MODULE_SCRIPT = re.compile(r'<script type="module">.*?</script>', re.S | re.I)
_REMOTE_LINK = re.compile(r'<link[^>]*\bhref="https?://[^"]*"[^>]*>', re.I)


def offline_html(html: str) -> str:
    """Remove every script or stylesheet that nbconvert would load from the network.

    >>> offline_html('<script src="https://cdn.example/x.js"></script><p>hi</p>')
    '<p>hi</p>'
    """
    html = _REMOTE_SCRIPT.sub("", html)
    html = _MODULE_SCRIPT.sub(lambda m: "" if re.search(r"https?://", m.group(0)) else m.group(0), html)
    return _REMOTE_LINK.sub("", html)


def to_html(notebook: str | Path, *, exclude_input: bool = False) -> str:
    """An executed notebook as one self-contained HTML page that loads nothing from the network."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(embed_images=True, exclude_input=exclude_input)
    exporter.mathjax_url = ""
    exporter.require_js_url = ""
    body, _ = exporter.from_filename(str(notebook))
    return offline_html(body)
