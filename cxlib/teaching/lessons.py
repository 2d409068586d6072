"""The lessons as objects: list them, read their parameters, run them on your data.

A lesson is a notebook ``notebooks/NN_name.ipynb`` of the course. Its top-level
metadata ``cx`` says how long it takes, which articles it draws on, the kind of
table its "In practice" part analyses (``data_kind``, a schema of
:mod:`cxlib.data.schemas`) and which parameters name that table's columns
(``columns``: parameter name -> schema column) and, optionally, other schema
columns it needs (``require``); only those are required of an analyst's file.
``free_columns`` lists parameters that name a column outside the schema (for
example a value column); ``cx run`` checks that the file has it, and reads those
listed in ``date_columns`` as dates and those in ``amount_columns`` as amounts
(numbers of 0 or more). A free column whose parameter is None is not read.
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

import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cxlib.errors import CxError, Problem, ValidationError
from cxlib.teaching.parameters import Parameter, parameters_source, read_parameters_cell

if TYPE_CHECKING:  # nbformat is imported where it is used: `cx --help` should not pay for it
    import nbformat

__all__ = [
    "read_lesson_data",
    "run_report",
    "list_reports",
    "reports_dir",
    "Lesson",
    "list_lessons",
    "find_lesson",
    "notebooks_dir",
    "parse_parameter",
    "lesson_parameters",
    "run_lesson",
    "CELL_TIMEOUT",
]


#: Seconds a lesson cell may run under `cx run` before the run stops with a clear error.
CELL_TIMEOUT = 120


def notebooks_dir() -> Path:
    """The course's ``notebooks/`` folder (next to the ``cxlib`` package in a clone).

    Returns
    -------
    pathlib.Path
        The folder; a :class:`~cxlib.errors.CxError` says so when the package is not in a clone.
    """
    here = Path(__file__).resolve().parents[2] / "notebooks"
    if not here.is_dir():
        raise CxError(
            f"the course's notebooks were not found at {here}. `cx run` and `cx lessons` need a clone "
            "of the course (git clone ... && make lab), not only the installed package."
        )
    return here


@dataclass
class Lesson:
    """One lesson notebook and what ``cx`` needs to know about it.

    Attributes
    ----------
    path : pathlib.Path
        The notebook file.
    title : str
        Its title: the first heading of its first markdown cell, e.g. ``"05 · NPS pitfalls"``.
    meta : dict
        Its ``cx`` metadata (minutes, sources, data_kind, columns, concepts, ...).
    parameters : dict of str to Parameter
        The parameters its first (``parameters``) cell declares.
    """

    path: Path
    title: str
    meta: dict = field(default_factory=dict)
    parameters: dict[str, Parameter] = field(default_factory=dict)

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


def _read_lesson(path: Path) -> Lesson:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    title = ""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "cx-nav" not in cell.metadata.get("tags", []):
            m = re.search(r"^#\s+(.+)$", cell.source, flags=re.M)
            if m:
                title = m.group(1).strip()
                break
    params: dict[str, Parameter] = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            params = read_parameters_cell(cell.source, where=f"{path.name}, parameters cell")
            break
    return Lesson(path=path, title=title, meta=dict(nb.metadata.get("cx", {})), parameters=params)


def list_lessons(folder: str | Path | None = None) -> list[Lesson]:
    """Every lesson in the course, in order.

    Parameters
    ----------
    folder : str or path, optional
        The folder of lesson notebooks (default: :func:`notebooks_dir`).

    Returns
    -------
    list of Lesson
        Every ``NN_name.ipynb`` in the folder, in the order of their numbers.
    """
    folder = Path(folder) if folder else notebooks_dir()
    return [_read_lesson(p) for p in sorted(folder.glob("[0-9][0-9]_*.ipynb"))]


def find_lesson(key: str, folder: str | Path | None = None) -> Lesson:
    """Find a lesson by number (``5``, ``05``) or name (``05_nps_pitfalls``, ``nps_pitfalls``).

    Parameters
    ----------
    key : str
        A lesson's number or name.
    folder : str or path, optional
        The folder of lesson notebooks (default: :func:`notebooks_dir`).

    Returns
    -------
    Lesson
        The lesson; a :class:`~cxlib.errors.CxError` lists the lessons there are when none matches.
    """
    lessons = list_lessons(folder)
    k = str(key).strip().removesuffix(".ipynb")
    for lesson in lessons:
        if k in (lesson.name, lesson.number, lesson.name.split("_", 1)[-1]) or (
            k.isdigit() and int(k) == int(lesson.number)
        ):
            return lesson
    raise CxError(f"no lesson {key!r}. Lessons: {', '.join(x.name for x in lessons)} (run `cx lessons`).")


def parse_parameter(text: str) -> tuple[str, str]:
    """Split ``NAME=VALUE`` as typed on the command line; the value stays text.

    :func:`lesson_parameters` converts it to the parameter's declared type.

    Parameters
    ----------
    text : str
        ``NAME=VALUE``.

    Returns
    -------
    tuple of (str, str)
        The name and the value as text; a :class:`~cxlib.errors.CxError` when there is no ``=``.

    Examples
    --------
    >>> parse_parameter("SEGMENT_COLUMN=region")
    ('SEGMENT_COLUMN', 'region')
    >>> parse_parameter("X=a=b")
    ('X', 'a=b')
    """
    if "=" not in text:
        raise CxError(f"parameter {text!r} is not NAME=VALUE (for example -p SCORE_COLUMN=q1_score).")
    name, value = text.split("=", 1)
    return name.strip(), value


def lesson_parameters(lesson: Lesson, values: Mapping[str, Any]) -> dict[str, Any]:
    """Check ``values`` against the lesson's declared parameters; convert text to the declared type.

    Values given as text (from ``-p NAME=VALUE``) are parsed as the parameter's type;
    Python values must already be of that type. Raises :class:`CxError` listing the
    valid forms.

    Parameters
    ----------
    lesson : Lesson
        The lesson whose declared parameters the values are checked against.
    values : mapping of str to object
        Parameter name -> value (text, or a Python value of the declared type).

    Returns
    -------
    dict of str to object
        Parameter name -> value of its declared type.

    Examples
    --------
    >>> lesson = find_lesson("02")
    >>> lesson_parameters(lesson, {"K": "4", "FEATURES": "usage_gb,tenure_months"})
    {'K': 4, 'FEATURES': ['usage_gb', 'tenure_months']}
    """
    unknown = sorted(set(values) - set(lesson.parameters))
    if unknown:
        valid = ", ".join(lesson.parameters) or "(none)"
        raise CxError(f"unknown parameter(s) {', '.join(unknown)} for lesson {lesson.name}. Valid parameters: {valid}.")
    out: dict[str, Any] = {}
    for name, value in values.items():
        declared = lesson.parameters[name]
        if isinstance(value, str):
            value = declared.type.parse(value, name)
        elif not declared.type.accepts(value):
            raise CxError(f"parameter {name}: {value!r} is not {declared.type.forms(name)}.")
        out[name] = value
    return out


def read_lesson_data(
    lesson: str | Lesson,
    data: str | Path,
    *,
    read: Mapping[str, Any] | None = None,
    report: bool = False,
    **params: Any,
) -> Any:
    """Read an analyst's file exactly as a lesson declares it: what ``cx run`` checks is what the lesson reads.

    The lesson's metadata (``cx`` in the notebook) is the one source of what it reads: the
    table kind (``data_kind``), the parameters that name schema columns (``columns``), other
    schema columns it needs (``require``), parameters that name columns outside the schema
    (``free_columns``) and, among those, date columns (``date_columns``, read as
    :func:`cxlib.data.io.to_dates` reads dates: the order decided for the whole column)
    and amount columns (``amount_columns``: numbers of 0 or more, read as
    :func:`cxlib.data.io.to_numbers` reads numbers; blanks allowed, negative values refused).
    A free column whose parameter is None is optional and not read.
    Only these columns are required of the file. A parameter listed in ``data_kind_when``
    (``{"DATE_COLUMN": ["churn_snapshots", "cutoff"]}``) changes the kind when it is set, and
    names that kind's column (lesson 06: a snapshot date makes the table stacked snapshots,
    where a customer appears once per date).

    Parameters
    ----------
    lesson : str or Lesson
        The lesson (number or name).
    data : str or path
        The analyst's CSV, .xlsx or .parquet file.
    read : mapping, optional
        Reading options for :func:`cxlib.data.io.read_table` (``sep``, ``decimal``, ...).
    report : bool, default False
        Also return the read report.
    **params
        The lesson's column parameters as the notebook has them (``SCORE_COLUMN="Q1"``);
        parameters not given take the lesson's defaults.

    Returns
    -------
    pandas.DataFrame or (pandas.DataFrame, ReadReport)
        The table: schema columns under the schema's names, the file's other columns as
        they are (free columns under the names the parameters give).

    Raises
    ------
    ValidationError
        Every problem in the file, and every free column the file lacks, at once.
    CxError
        An unknown parameter, or a lesson that reads no file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "fb.csv"
    >>> _ = f.write_text("Agent,CSAT\\nA1,5\\nA2,2\\n")
    >>> read_lesson_data("04", f, AGENT_COLUMN="Agent", SCORE_COLUMN="CSAT").columns.tolist()
    ['agent_id', 'csat']
    """
    from cxlib.data.io import is_absent_column, read_table, to_dates

    lesson = lesson if isinstance(lesson, Lesson) else find_lesson(lesson)
    if not lesson.data_kind:
        raise CxError(f"lesson {lesson.name} does not read a data file.")
    unknown = sorted(set(params) - set(lesson.parameters))
    if unknown:
        raise CxError(
            f"unknown parameter(s) {', '.join(unknown)} for lesson {lesson.name}; "
            f"its parameters are {', '.join(lesson.parameters)}."
        )
    value = {name: params.get(name, p.default) for name, p in lesson.parameters.items()}
    columns = {}
    for pname, schema_col in lesson.column_parameters.items():
        if isinstance(value.get(pname), str) and value[pname] != schema_col:
            columns[schema_col] = value[pname]
    needed = list(lesson.column_parameters.values()) + list(lesson.meta.get("require", []))
    kind, switched = lesson.data_kind, {}
    for pname, (other_kind, schema_col) in lesson.meta.get("data_kind_when", {}).items():
        if isinstance(value.get(pname), str) and value[pname]:
            kind, columns[schema_col] = other_kind, value[pname]
            needed.append(schema_col)
            switched[schema_col] = pname
    path = Path(data)
    try:
        df, rep = read_table(path, kind, columns=columns or None, only=needed or None, report=True, **dict(read or {}))
    except ValidationError as err:  # a switching parameter's column is missing: name the parameter, as for free columns
        if not switched:
            raise
        problems = [
            Problem(
                "missing column",
                column=columns[p.column],
                fix=f"The parameter {switched[p.column]} names the column {columns[p.column]!r}, which the "
                f"file does not have. Pass the right one with -p {switched[p.column]}=<column>, or leave it unset.",
            )
            if p.column in switched and is_absent_column(p, named_only=True)
            else p
            for p in err.problems
        ]
        raise ValidationError(problems, source=path.name) from None
    problems = []
    listing = ", ".join(repr(columns.get(c, c)) for c in df.columns)  # the file's own names
    for pname in lesson.meta.get("free_columns", []):
        if pname in switched.values():  # read as a schema column of the other kind
            continue
        want = value.get(pname)
        wanted = [want] if isinstance(want, str) else list(want) if isinstance(want, (list, tuple)) else []
        for name in wanted:
            if name not in df.columns:
                problems.append(
                    Problem(
                        "missing column",
                        column=str(name),
                        fix=f"The parameter {pname} names the column {name!r}, which the file does not "
                        f"have. Its columns are: {listing}. Pass the right one with -p {pname}=<column> "
                        f"(in the notebook: {pname} = '<column>').",
                    )
                )
            elif pname in lesson.meta.get("date_columns", []):
                try:
                    df[name] = to_dates(df[name], name=str(name))
                except ValidationError as err:
                    problems.extend(err.problems)
            elif pname in lesson.meta.get("amount_columns", []):
                try:
                    df[name], negative = _amounts(df[name], str(name), pname)
                except ValidationError as err:
                    problems.extend(err.problems)
                else:
                    problems.extend(negative)
    if problems:
        raise ValidationError(problems, source=path.name)
    return (df, rep) if report else df


def _amounts(values: Any, name: str, pname: str) -> tuple[Any, list[Problem]]:
    """A free column of amounts as floats (blanks allowed), and the problem of any negative value."""
    import pandas as pd

    from cxlib.data.io import to_numbers

    what = f"The parameter {pname} names {name!r}, a column of amounts: numbers of 0 or more (blank = unknown)."
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = values.astype(float)
    else:
        try:
            numbers = to_numbers(values, name=name)
        except ValidationError as err:
            raise ValidationError([replace(p, fix=f"{what} {p.fix}") for p in err.problems], source=name) from None
    negative = (numbers < 0).to_numpy()
    if not negative.any():
        return numbers, []
    rows = [i + 2 for i, bad in enumerate(negative) if bad]  # file rows as to_numbers counts them (header = row 1)
    return numbers, [
        Problem(
            "negative value",
            column=name,
            rows=tuple(rows[:5]),
            values=tuple(float(v) for v in numbers[negative][:5]),
            count=len(rows),
            fix=f"{what} Correct or blank those rows.",
        )
    ]


def _validate_file(lesson: Lesson, data: Path, params: dict, read: Mapping[str, Any] | None = None) -> Any:
    """Validate ``data`` as the lesson reads it (raises ValidationError); (table, read report)."""
    if not lesson.data_kind:
        return None, None
    return read_lesson_data(lesson, data, read=read, report=True, **params)


def _data_for_lesson(data: Path, table: Any, report: Any, read: Mapping[str, Any] | None) -> tuple[str, Any]:
    """The path the lesson reads: the file itself, or a plain copy when reading options were needed."""
    if not read or report is None:
        return str(data), None
    from cxlib.data.io import to_clean_csv

    folder = tempfile.TemporaryDirectory(prefix="cx-data-")
    return str(to_clean_csv(table, report, Path(folder.name) / f"{data.stem}.csv")), folder


def _injected(nb: nbformat.NotebookNode, lesson: Lesson, params: Mapping[str, Any]) -> nbformat.NotebookNode:
    """A copy of ``nb`` with a cell assigning ``params`` (as literals) after its parameters cell."""
    import nbformat

    nb = nbformat.from_dict(nb)
    if not params:
        return nb
    cell = nbformat.v4.new_code_cell(
        "# Parameters (written by cx run)\n" + parameters_source(params, lesson.parameters)
    )
    cell.metadata["tags"] = ["injected-parameters"]
    at = next((i + 1 for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])), 0)
    nb.cells.insert(at, cell)
    return nb


class _OutputLock:
    """An exclusive lock on an output folder (a file created with O_EXCL; stale locks are taken over)."""

    def __init__(self, folder: Path):
        self.path = folder / ".cx-run.lock"

    def __enter__(self) -> _OutputLock:
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                if self._stale():
                    self.path.unlink(missing_ok=True)
                    continue
                raise CxError(
                    f"another `cx run` is writing to {self.path.parent} (lock file {self.path.name}). "
                    "Wait for it to finish, or choose another folder with --out."
                ) from None
            with os.fdopen(fd, "w") as fh:
                fh.write(str(os.getpid()))
            return self
        raise CxError(f"could not lock {self.path.parent}; remove {self.path} if no `cx run` is running.")

    def _stale(self) -> bool:
        try:
            pid = int(self.path.read_text().strip() or 0)
        except (OSError, ValueError):
            return True
        if pid <= 0:
            return True
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False

    def __exit__(self, *exc: Any) -> None:
        self.path.unlink(missing_ok=True)


def _register_engine() -> str:
    """Register (once) the papermill engine `cx run` uses, and return its name.

    nbclient mimics a front end for ipywidgets' Output widget: every output captured by
    ``with out:`` (``interact`` and :func:`cxlib.teaching.widgets.live` use one) makes it send a
    ``comm_msg`` to the kernel on the shell socket, while the same client is waiting on
    that socket for the cell's ``execute_reply``. Now and then the reply is then not
    seen until the cell's timeout, with the kernel idle (jupyter/nbclient#312). A
    report has no front end to update, so this engine does not mimic one: the client
    sends nothing while a cell runs, and what a widget draws lands in the cell's
    outputs, where the HTML report shows it.

    The kernel is stopped at once when the last cell has run (nothing is left to say: every
    cell's outputs have arrived). Asked politely, an ipykernel now and then does not exit:
    its control thread waits on the output thread during shutdown, and the client waits
    2.5 s before terminating it (1 run in 10 here, with ipykernel 6 and 7; cf.
    posit-dev/positron#7142).
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger

    name = "cx-static-widgets"

    class StaticWidgetsClient(PapermillNotebookClient):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("shutdown_kernel", "immediate")
            super().__init__(*args, **kwargs)
            self.comm_open_handlers["jupyter.widget"] = lambda msg: None  # no Output-widget mimic

    class StaticWidgetsEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man: Any,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: Any = None,
            stderr_file: Any = None,
            start_timeout: int = 60,
            execution_timeout: int | None = None,
            **kwargs: Any,
        ) -> Any:
            for unused in ("input_path", "timeout", "startup_timeout"):
                kwargs.pop(unused, None)
            from cxlib.teaching.kernels import kernel_manager_class

            kwargs.setdefault("kernel_manager_class", kernel_manager_class())
            client = StaticWidgetsClient(
                nb_man,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
                **kwargs,
            )
            return client.execute()

    papermill_engines.register(name, StaticWidgetsEngine)
    return name


def run_lesson(
    key: str,
    data: str | Path | None = None,
    parameters: Mapping[str, Any] | None = None,
    out: str | Path = "runs",
    *,
    folder: str | Path | None = None,
    timeout: int = CELL_TIMEOUT,
    read_options: Mapping[str, Any] | None = None,
    quick: bool = False,
) -> dict:
    """Validate ``data`` and execute a lesson on it; write the notebook and an HTML report.

    The kernel runs in a fresh, empty temporary folder (nothing in ``out`` or the current
    folder can be imported by it), parameter values reach the notebook only as literals
    of their declared types, and the results are written to a temporary folder first and
    moved into ``out`` only when complete: an interrupted or failed run leaves an earlier
    report in ``out`` as it was.

    Parameters
    ----------
    key : str
        The lesson (number or name).
    data : path, optional
        The analyst's file (CSV, .xlsx or .parquet); passed to the lesson as ``DATA``.
    parameters : dict, optional
        Other parameters (for example the names of the file's columns), as Python values
        or as the text typed after ``-p NAME=``.
    out : path
        Folder for ``<lesson>.ipynb`` and ``<lesson>.html``.
    folder : path, optional
        Where the lessons are (default: the course's ``notebooks/``).
    timeout : int
        Seconds allowed per cell; a cell that takes longer stops the run with a clear error.
    read_options : dict, optional
        How to read ``data`` (``sheet``, ``sep``, ``decimal``, ``dayfirst``, ``encoding``:
        the keywords of :func:`cxlib.data.io.read_table`). When given, the lesson gets a plain
        copy of the table as read this way (:func:`cxlib.data.io.to_clean_csv`).
    quick : bool
        Run only the parameters, the set-up and the part that reads ``DATA`` (the In practice
        section): a fast check that the lesson reads the file.

    Returns
    -------
    dict
        The paths written (``notebook``, ``html``) and how the file was read (``read``).
    """
    return _execute(
        find_lesson(key, folder), data, parameters, out, timeout=timeout, read_options=read_options, command="cx run"
    )


def reports_dir() -> Path:
    """The course's ``reports/`` folder: one report notebook per lesson, run by ``cx report``.

    Returns
    -------
    pathlib.Path
        The folder; a :class:`~cxlib.errors.CxError` says so when the package is not in a clone.
    """
    here = Path(__file__).resolve().parents[2] / "reports"
    if not here.is_dir():
        raise CxError(f"the course's reports were not found at {here}. `cx report` needs a clone of the course.")
    return here


def list_reports(folder: str | Path | None = None) -> list[Lesson]:
    """Every report notebook, in lesson order (each is read like a lesson: parameters and metadata).

    Parameters
    ----------
    folder : str or path, optional
        The folder of report notebooks (default: :func:`reports_dir`).

    Returns
    -------
    list of Lesson
        The reports, in lesson order.
    """
    return list_lessons(folder or reports_dir())


def run_report(
    key: str,
    data: str | Path,
    parameters: Mapping[str, Any] | None = None,
    out: str | Path = "report",
    *,
    folder: str | Path | None = None,
    timeout: int = CELL_TIMEOUT,
    read_options: Mapping[str, Any] | None = None,
) -> dict:
    """Run a lesson's report on an analyst's file: its whole analysis, about that file only.

    The report notebook (``reports/NN_*.ipynb``) is validated and executed like a lesson
    (:func:`run_lesson`: literals only, a clean working folder, nothing replaced until the
    run is complete). It gets ``OUT``, a folder where it writes the CSVs of its result
    tables; they are moved into ``out`` beside the executed notebook and an offline HTML
    report without code.

    Parameters
    ----------
    key : str
        The lesson whose report to run (number or name).
    data : path
        The analyst's file.
    parameters : dict, optional
        The report's parameters (the names of the file's columns, assumptions).
    out : path
        Folder for the notebook, the HTML report and the CSV tables.
    folder : path, optional
        Where the reports are (default: the course's ``reports/``).
    timeout : int
        Seconds allowed per cell.
    read_options : dict, optional
        How to read ``data`` (see :func:`run_lesson`).

    Returns
    -------
    dict
        The paths written: ``notebook``, ``html`` and ``tables`` (a list of CSV files), and
        how the file was read (``read``).
    """
    if data is None:
        raise CxError("a report is about your data: give the file with --data FILE.")
    report = find_lesson(key, folder or reports_dir())
    if "OUT" not in report.parameters:
        raise CxError(f"{report.name} has no OUT parameter: a report must write its tables to OUT.")
    return _execute(
        report,
        data,
        parameters,
        out,
        timeout=timeout,
        read_options=read_options,
        command="cx report",
        exclude_input=True,
    )


def _execute(
    lesson: Lesson,
    data: str | Path | None,
    parameters: Mapping[str, Any] | None,
    out: str | Path,
    *,
    timeout: int,
    read_options: Mapping[str, Any] | None,
    command: str,
    exclude_input: bool = False,
    quick: bool = False,
) -> dict:
    """Validate, then execute ``lesson`` (a lesson or a report) into ``out``, atomically."""
    import nbformat

    from cxlib.data.io import check_data_file
    from cxlib.teaching.offline import to_html

    read_report = copy_dir = None
    params = lesson_parameters(lesson, {k: v for k, v in (parameters or {}).items() if k not in ("DATA", "OUT")})
    if data is not None:
        data = check_data_file(data)
        if "DATA" not in lesson.parameters:
            raise CxError(f"{lesson.name} does not take a data file (it has no DATA parameter).")
        try:
            table, read_report = _validate_file(lesson, data, params, read_options)
        except ValidationError as err:
            names = ", ".join(f"{p}={c!r}" for p, c in lesson.column_parameters.items())
            raise CxError(
                f"{err}\n\nWith `{command}`, name your file's columns with the parameters, "
                f"e.g. -p {next(iter(lesson.column_parameters), 'NAME')}='Your column' "
                f"(defaults: {names}; `cx lessons {lesson.number}` lists them). "
                "The `--column` mappings above are for `cx validate`."
            ) from None
        params["DATA"], copy_dir = _data_for_lesson(data, table, read_report, read_options)
    out = Path(out).expanduser()
    out.mkdir(parents=True, exist_ok=True)
    with (
        _OutputLock(out),
        tempfile.TemporaryDirectory(prefix=".cx-run-", dir=out) as staging,
        tempfile.TemporaryDirectory(prefix="cx-kernel-") as workdir,
    ):
        tables = Path(staging) / "tables"
        if "OUT" in lesson.parameters:
            tables.mkdir()
            params["OUT"] = str(tables)
        nb = _injected(nbformat.read(lesson.path, as_version=4), lesson, params)
        if quick:
            from cxlib.teaching._quick import practice_cells

            nb.cells = practice_cells(nb.cells, lesson.name)
        nb_tmp = Path(staging) / f"{lesson.name}.ipynb"
        _papermill(nb, nb_tmp, out / f"{lesson.name}.failed.ipynb", workdir, timeout, lesson.name)
        html_tmp = Path(staging) / f"{lesson.name}.html"
        html_tmp.write_text(to_html(nb_tmp, exclude_input=exclude_input), encoding="utf-8")
        written: dict[str, Any] = {"notebook": out / nb_tmp.name, "html": out / html_tmp.name, "tables": []}
        for tmp in (nb_tmp, html_tmp):
            os.replace(tmp, out / tmp.name)
        for csv in sorted(tables.glob("*.csv")) if tables.exists() else []:
            os.replace(csv, out / csv.name)
            written["tables"].append(out / csv.name)
        (out / f"{lesson.name}.failed.ipynb").unlink(missing_ok=True)
    if copy_dir is not None:
        copy_dir.cleanup()
    written["read"] = read_report.brief() if read_report else None
    return written


def _papermill(nb: Any, nb_tmp: Path, failed: Path, workdir: str, timeout: int, name: str) -> None:
    """Execute ``nb`` into ``nb_tmp``; a failing or slow cell is a CxError (the notebook kept in ``failed``)."""
    import papermill as pm

    try:
        pm.execute_notebook(
            nb,
            str(nb_tmp),
            parameters=None,
            progress_bar=False,
            engine_name=_register_engine(),
            cwd=workdir,
            execution_timeout=timeout,
            kernel_name="python3",
        )
    except pm.PapermillExecutionError as exc:
        if nb_tmp.exists():
            os.replace(nb_tmp, failed)
        raise CxError(
            f"{name} stopped with {exc.ename}: {exc.evalue}\n"
            f"The executed notebook, with the failing cell, is in {failed}; "
            "any earlier report in the folder is unchanged."
        ) from None
    except TimeoutError:
        raise CxError(
            f"{name}: a cell ran longer than {timeout} s and was stopped. "
            "Try a smaller file, or allow more time with --timeout."
        ) from None
