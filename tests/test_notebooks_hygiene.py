"""Static checks on the committed notebooks (nbval, in the same suite, checks that they run).

A committed notebook must read well on a code host and rerun anywhere: saved executed and
in order, without errors, without data read by a relative path, without warnings silenced,
with the metadata the tools need (``cx``), and with the lesson anatomy of STYLE.md.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
LESSON_NUMBER = re.compile(r"^(\d\d)_")
ARTICLES = {"000", "001", "002", "003", "004"}
#: Lessons that analysts run on their own data: full anatomy, parameters cell, exercises.
CORE_LESSONS = {f"{i:02d}" for i in range(1, 9)}
REQUIRED_HEADINGS = ("In practice", "Exercises", "Key ideas", "References")

RELATIVE_DATA = [
    (re.compile(r"\.\./data"), "a path that climbs to ../data"),
    (re.compile(r"""["']\.?/?data/"""), "a path into data/"),
    (
        re.compile(r"""\bread_(csv|excel|table|parquet|json)\(\s*[rRbBuUfF]{0,2}["']"""),
        "a file read from a literal path",
    ),
]
SILENCED = re.compile(r"""(filterwarnings|simplefilter)\([^)]*["']ignore["']""")


def lesson_number(path: Path) -> str | None:
    m = LESSON_NUMBER.match(path.name)
    return m.group(1) if m else None


def code_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


def without_comments(source: str) -> str:
    """Code with comments removed (so a comment may mention a path); magics kept as text."""
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type != tokenize.COMMENT]
        return tokenize.untokenize(tokens)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return "\n".join(re.sub(r"\s#.*$", "", ln) for ln in source.splitlines())


def headings(nb) -> list[str]:
    return [
        ln.lstrip("#").strip()
        for c in nb.cells
        if c.cell_type == "markdown"
        for ln in c.source.splitlines()
        if re.match(r"^#{1,6} ", ln)
    ]


@pytest.fixture(params=NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def notebook(request):
    path: Path = request.param
    return path, nbformat.read(path, as_version=4)


@pytest.fixture(
    params=[p for p in NOTEBOOKS if lesson_number(p) in CORE_LESSONS],
    ids=[p.name for p in NOTEBOOKS if lesson_number(p) in CORE_LESSONS],
)
def core_lesson(request):
    path: Path = request.param
    return path, nbformat.read(path, as_version=4)


# --- every notebook ---------------------------------------------------------------------
def test_notebook_is_valid_nbformat(notebook):
    path, nb = notebook
    nbformat.validate(nb)
    assert lesson_number(path), f"{path.name}: lessons are named NN_topic.ipynb"


def test_no_error_outputs(notebook):
    path, nb = notebook
    errors = [
        (i, o.get("ename"), o.get("evalue"))
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert not errors, f"{path.name} was saved with errors (cell, type, message): {errors}"


def test_executed_in_order_from_a_fresh_kernel(notebook):
    path, nb = notebook
    counts = [c.execution_count for c in code_cells(nb) if c.source.strip()]
    assert None not in counts, f"{path.name} has unexecuted code cells: run 'make notebooks'"
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: execution counts {counts} are not 1..n; restart the kernel and run all "
        "(or 'make notebooks') before committing"
    )


def test_no_data_read_by_a_relative_path(notebook):
    path, nb = notebook
    found = [
        (i, why, m.group(0))
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code"
        for rx, why in RELATIVE_DATA
        for m in [rx.search(without_comments(c.source))]
        if m
    ]
    assert not found, (
        f"{path.name} reads data by path (cell, problem, text): {found}; load the bundled "
        "data with cxlib.data.datasets and the analyst's file with cxlib.data.io.read_table(DATA, ...)"
    )


def test_warnings_are_not_silenced(notebook):
    path, nb = notebook
    found = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and SILENCED.search(c.source)]
    assert not found, f"{path.name} silences warnings in cells {found}: fix the cause instead"


def test_course_metadata(notebook):
    path, nb = notebook
    cx = nb.metadata.get("cx")
    assert isinstance(cx, dict), f"{path.name}: add notebook metadata 'cx' (minutes, sources)"
    assert isinstance(cx.get("minutes"), int) and 5 <= cx["minutes"] <= 240, f"{path.name}: cx.minutes"
    sources = cx.get("sources")
    assert isinstance(sources, list) and sources, f"{path.name}: cx.sources lists the articles used"
    assert set(sources) <= ARTICLES, f"{path.name}: unknown articles {set(sources) - ARTICLES}"


def test_title_carries_the_lesson_number(notebook):
    path, nb = notebook
    first = next(
        c for c in nb.cells if c.cell_type == "markdown" and not {"cx-nav", "cx-toc"} & set(c.metadata.get("tags", []))
    )
    assert re.match(rf"^# {lesson_number(path)} · \S", first.source), (
        f"{path.name}: the first cell starts with '# {lesson_number(path)} · Title'"
    )


def test_checked_output_cells_have_output(notebook):
    path, nb = notebook
    empty = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and c.source.lstrip().startswith("# NBVAL_CHECK_OUTPUT") and not c.get("outputs")
    ]
    assert not empty, f"{path.name}: NBVAL_CHECK_OUTPUT cells {empty} have no saved output to check"


# --- lessons 01-08 ----------------------------------------------------------------------
def test_first_code_cell_is_the_parameters_cell(core_lesson):
    path, nb = core_lesson
    first = code_cells(nb)[0]
    assert "parameters" in first.metadata.get("tags", []), (
        f"{path.name}: tag the first code cell 'parameters' (papermill / cx run)"
    )
    assert re.search(r"^DATA: str \| None\s*=", first.source, flags=re.M), (
        f"{path.name}: the parameters cell declares DATA: str | None"
    )
    columns = nb.metadata["cx"].get("columns", {})
    missing = [p for p in columns if not re.search(rf"^{re.escape(p)}: str\s*=", first.source, flags=re.M)]
    assert not missing, f"{path.name}: metadata cx.columns names parameters not set in the parameters cell: {missing}"


def test_lesson_anatomy_headings(core_lesson):
    path, nb = core_lesson
    found = headings(nb)
    missing = [h for h in REQUIRED_HEADINGS if not any(h.lower() in f.lower() for f in found)]
    assert not missing, f"{path.name}: add the sections {missing} (STYLE.md lesson anatomy)"


def test_at_least_three_checked_exercises(core_lesson):
    path, nb = core_lesson
    checks = sum(c.source.count(".check(") for c in code_cells(nb))
    assert checks >= 3, f"{path.name}: {checks} exercise checks; a lesson has at least three"


def test_headline_results_are_output_checked(core_lesson):
    path, nb = core_lesson
    assert any(c.source.lstrip().startswith("# NBVAL_CHECK_OUTPUT") for c in code_cells(nb)), (
        f"{path.name}: mark the headline result cells with '# NBVAL_CHECK_OUTPUT'"
    )


# --- the checks themselves ----------------------------------------------------------------
@pytest.mark.parametrize(
    "code",
    [
        'pd.read_csv("../data/customers.csv")',
        "df = pd.read_csv('customers.csv')",
        'pd.read_excel(r"C:/exports/survey.xlsx")',
        'open("data/customers.csv")',
        "Path('./data/x.csv')",
    ],
)
def test_relative_path_patterns_catch(code):
    assert any(rx.search(without_comments(code)) for rx, _ in RELATIVE_DATA)


@pytest.mark.parametrize(
    "code",
    [
        "customers = datasets.load_customers()",
        "df = read_table(DATA, 'nps_surveys', columns=COLUMNS)",
        'DATA = None  # e.g. "data/my_export.csv"; None uses the bundled data',
        "pd.read_csv(io.StringIO(text))",
    ],
)
def test_relative_path_patterns_allow(code):
    assert not any(rx.search(without_comments(code)) for rx, _ in RELATIVE_DATA)


def test_silenced_pattern():
    assert SILENCED.search('warnings.filterwarnings("ignore")')
    assert SILENCED.search("warnings.simplefilter('ignore', FutureWarning)")
    assert not SILENCED.search('warnings.filterwarnings("error")')
