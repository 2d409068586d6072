"""Two checks of a lesson's design (issue 12): honest minutes, and concepts taught before use.

**Time.** A lesson has a *core* path (what a business student does in a workshop block)
and optional *Going deeper* parts, whose cells carry the cell tag ``deeper``. The time
of each part is estimated from its cells:

* prose: 150 words a minute (markdown cells);
* one minute per code cell, the cells of exercises included (showing ``ex.qN``, the
  answer cell, the hint cell), as issue 12's estimate counts them;
* four minutes per exercise on top (``exercise_cells=False`` counts an exercise's cells
  in those four minutes instead).

Navigation and contents cells (tags ``cx-nav``, ``cx-toc``) and solution cells (tag
``solution``, removed from the student edition) are not counted; an exercise belongs to
the part of its ``ex.qN.check(...)`` cell. :func:`timing_problems` reports a lesson whose
core estimate exceeds 1.1 × its stated minutes (``cx.minutes`` in the notebook metadata),
or which states more than 60 minutes (lessons 01 on).

**Concepts.** Each lesson declares, in its metadata, the concepts it introduces and those
it uses (concept ids of ``docs/concepts.yml``)::

    "cx": {"concepts": {"introduces": ["wilson-interval"], "uses": ["confidence-interval"]}}

:func:`concept_problems` reports a lesson that uses a concept no earlier lesson (or itself)
introduces, a concept introduced twice, an unknown id, and a disagreement with the lesson
``docs/concepts.yml`` names; :func:`concepts_markdown` writes ``docs/concepts.md``.

**Student text.** :func:`internal_references` finds what must never reach a learner, in a
notebook's sources and saved outputs: absolute paths of a machine (``/home/...``,
``C:\\...``), file names of the test suite and the benchmarks, and references to files
outside the repository (the team's notes) or to an article as "the seed" (the course's word
for a random seed). :func:`code_style_problems` finds code a beginner should not have to
read: a lambda inside a comprehension, ``argsort().argsort()``, lines over 100 characters,
a figure saved at another resolution than the course's.

Examples
--------
>>> import nbformat
>>> nb = nbformat.v4.new_notebook()
>>> nb.metadata["cx"] = {"minutes": 10}
>>> nb.cells = [nbformat.v4.new_markdown_cell("word " * 300), nbformat.v4.new_code_cell("x = 1"),
...             nbformat.v4.new_code_cell("x + 1", metadata={"tags": ["deeper"]})]
>>> t = lesson_time(nb)
>>> t.core.minutes, t.deeper.minutes
(3.0, 1.0)
"""

from __future__ import annotations

import ast
import difflib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "DEEPER_TAG",
    "SKIPPED_TAGS",
    "WORDS_PER_MINUTE",
    "MINUTES_PER_CODE_CELL",
    "MINUTES_PER_EXERCISE",
    "MAX_LESSON_MINUTES",
    "TOLERANCE",
    "PartTime",
    "LessonTime",
    "Concept",
    "count_words",
    "lesson_time",
    "timing_problems",
    "load_concepts",
    "lesson_concepts",
    "concept_problems",
    "concepts_markdown",
    "internal_references",
    "code_style_problems",
    "deeper_problems",
    "split_at_headings",
    "MAX_CODE_LINE",
]

#: The cell tag of the optional "Going deeper" parts.
DEEPER_TAG = "deeper"
#: Cells that are not part of either path: navigation, contents and worked solutions.
SKIPPED_TAGS = frozenset({"cx-nav", "cx-toc", "solution"})
WORDS_PER_MINUTE = 150
MINUTES_PER_CODE_CELL = 1
MINUTES_PER_EXERCISE = 4
#: The most a lesson from 01 on may state (``cx.minutes``).
MAX_LESSON_MINUTES = 60
#: The core estimate may exceed the stated minutes by this factor.
TOLERANCE = 1.1

_EXERCISE = re.compile(r"\bex\.(q\d+)\b")
_CHECK = re.compile(r"\bex\.(q\d+)\.check\(")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_WORD = re.compile(r"[^\W_]+(?:['’.,\-][^\W_]+)*")


def count_words(markdown: str) -> int:
    """Words a reader reads in a markdown cell (HTML comments and link targets left out).

    Parameters
    ----------
    markdown : str
        The source of a markdown cell.

    Returns
    -------
    int
        The number of words.

    Examples
    --------
    >>> count_words("A **bold** claim: [read it](https://example.org/a-long-path) <!-- not this -->")
    5
    >>> count_words("NPS = 100 × (0.45 − 0.20), i.e. 25 points")
    7
    """
    text = _LINK_TARGET.sub("]", _COMMENT.sub(" ", markdown))
    return len(_WORD.findall(text))


@dataclass
class PartTime:
    """The estimated time of one part (core or deeper) of a lesson.

    Attributes
    ----------
    words : int
        Words of prose a reader reads (:func:`count_words`).
    code_cells : int
        Code cells outside the exercises.
    exercises : int
        Exercises (each checked cell).
    """

    words: int = 0
    code_cells: int = 0
    exercises: int = 0

    @property
    def minutes(self) -> float:
        return (
            self.words / WORDS_PER_MINUTE
            + MINUTES_PER_CODE_CELL * self.code_cells
            + MINUTES_PER_EXERCISE * self.exercises
        )

    def describe(self) -> str:
        """The estimate in words: ``"62 min (3,150 words, 28 code cells, 5 exercises)"``."""
        return (
            f"{self.minutes:.0f} min ({self.words:,} words, {self.code_cells} code cells, "
            f"{self.exercises} exercise{'' if self.exercises == 1 else 's'})"
        )


@dataclass
class LessonTime:
    """A lesson's stated minutes and the estimated time of its core and deeper parts.

    Attributes
    ----------
    name : str
        The notebook's name, e.g. ``05_nps_pitfalls``.
    stated : int or None
        The minutes the lesson's metadata states (``cx.minutes``).
    core, deeper : PartTime
        The estimated time of the core path and of the ``deeper`` cells.
    """

    name: str
    stated: int | None
    core: PartTime = field(default_factory=PartTime)
    deeper: PartTime = field(default_factory=PartTime)

    @property
    def deeper_minutes_rounded(self) -> int:
        """The deeper part's estimate, rounded up to 5 minutes (0 when there is none)."""
        return 0 if self.deeper.minutes == 0 else int(5 * math.ceil(self.deeper.minutes / 5))


def _tags(cell: Mapping[str, Any]) -> set[str]:
    return set((cell.get("metadata") or {}).get("tags", []))


def _read(nb_or_path: Any):
    if isinstance(nb_or_path, (str, Path)):
        import nbformat

        return nbformat.read(nb_or_path, as_version=4), Path(nb_or_path).stem
    return nb_or_path, "notebook"


def lesson_time(nb_or_path: Any, *, exercise_cells: bool = True) -> LessonTime:
    """Estimate a lesson's core and deeper time from its cells (see the module docstring).

    Parameters
    ----------
    nb_or_path : notebook or path
        A notebook (``nbformat.NotebookNode``) or the path of an ``.ipynb`` file.
    exercise_cells : bool
        Count the code cells of exercises one minute each, besides the four minutes per
        exercise (the default, issue 12's estimate); False counts them inside the four minutes.

    Returns
    -------
    LessonTime
    """
    nb, name = _read(nb_or_path)
    stated = ((nb.get("metadata") or {}).get("cx") or {}).get("minutes")
    result = LessonTime(name=name, stated=int(stated) if isinstance(stated, (int, float)) else None)
    exercise_part: dict[str, str] = {}
    for cell in nb.cells:
        tags = _tags(cell)
        if tags & SKIPPED_TAGS:
            continue
        part_name = "deeper" if DEEPER_TAG in tags else "core"
        part = result.deeper if part_name == "deeper" else result.core
        source = cell.get("source", "")
        if cell.get("cell_type") == "markdown":
            part.words += count_words(source)
        elif cell.get("cell_type") == "code" and source.strip():
            shown = set(_EXERCISE.findall(source))
            if not shown or exercise_cells:
                part.code_cells += 1
            if not shown:
                continue
            checked = set(_CHECK.findall(source))
            for q in shown:
                if q in checked or q not in exercise_part:
                    exercise_part[q] = part_name
    for part_name in exercise_part.values():
        (result.deeper if part_name == "deeper" else result.core).exercises += 1
    return result


def timing_problems(
    paths: Iterable[str | Path],
    *,
    tolerance: float = TOLERANCE,
    max_minutes: int = MAX_LESSON_MINUTES,
    exercise_cells: bool = True,
) -> list[str]:
    """Lessons whose stated minutes are missing, above ``max_minutes`` or not honest for the core.

    Lesson 00 (the welcome page) may state any minutes; from lesson 01 on a lesson states at
    most ``max_minutes``, and its core estimate (:func:`lesson_time`, with ``exercise_cells``)
    must not exceed ``tolerance`` × the stated minutes.

    Parameters
    ----------
    paths : iterable of path
        The lesson notebooks.
    tolerance : float
        How far the core estimate may exceed the stated minutes (a factor).
    max_minutes : int
        The most minutes a lesson may state.
    exercise_cells : bool
        Count an exercise's code cells one minute each on top of its four minutes.

    Returns
    -------
    list of str
        One message per problem; empty when every lesson's minutes are honest.
    """
    problems = []
    for path in paths:
        path = Path(path)
        t = lesson_time(path, exercise_cells=exercise_cells)
        if t.stated is None:
            problems.append(f"{path.name}: no cx.minutes in the notebook metadata (the core path's minutes)")
            continue
        if not path.name.startswith("00") and t.stated > max_minutes:
            problems.append(
                f"{path.name}: cx.minutes is {t.stated}; a lesson's core path is at most {max_minutes} "
                "minutes: move sections into 'Going deeper' cells (tag `deeper`)"
            )
        if t.core.minutes > tolerance * t.stated:
            problems.append(
                f"{path.name}: the core path is estimated at {t.core.describe()}, more than {tolerance:g} × "
                f"the stated {t.stated} minutes; tag optional sections `deeper`, shorten the prose, or "
                "state honest minutes"
            )
    return problems


# --- concepts -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Concept:
    """One concept of the course: its id, its plain name, the lesson meant to introduce it.

    Attributes
    ----------
    id : str
        Its id in ``docs/concepts.yml`` (e.g. ``nps-interval``).
    name : str
        Its plain name.
    introduced_in : str, optional
        The lesson meant to introduce it (e.g. ``"05"``).
    see : str, optional
        The section of the statistics notes that explains it.
    """

    id: str
    name: str
    introduced_in: str | None = None
    see: str | None = None


_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def load_concepts(path: str | Path) -> dict[str, Concept]:
    """Read ``docs/concepts.yml``: a list of ``{id, name, introduced_in, see}``.

    Raises ``ValueError`` listing every malformed entry (a bad or repeated id, no name).

    Parameters
    ----------
    path : str or path
        The YAML file.

    Returns
    -------
    dict of str to Concept
        Concept id -> concept, in the file's order.
    """
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    entries = data.get("concepts", data) if isinstance(data, dict) else data
    problems, out = [], {}
    for i, entry in enumerate(entries or []):
        if not isinstance(entry, dict):
            problems.append(f"entry {i + 1} is not a mapping")
            continue
        cid, name = str(entry.get("id", "")), str(entry.get("name", "")).strip()
        if not _ID.match(cid):
            problems.append(f"entry {i + 1}: id {cid!r} is not lower-case words joined by hyphens")
        if not name:
            problems.append(f"{cid}: no plain name")
        if cid in out:
            problems.append(f"{cid}: listed twice")
        lesson = entry.get("introduced_in")
        lesson = None if lesson is None else f"{int(lesson):02d}" if str(lesson).isdigit() else str(lesson)
        out[cid] = Concept(cid, name, lesson, entry.get("see"))
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems) + ".")
    return out


def lesson_concepts(nb: Any) -> tuple[list[str], list[str]] | None:
    """``(introduces, uses)`` from a notebook's ``cx.concepts`` metadata, or None when it declares none.

    Parameters
    ----------
    nb : NotebookNode or dict
        A notebook read with :mod:`nbformat`.

    Returns
    -------
    tuple of (list of str, list of str) or None
        The concept ids the lesson introduces and uses.
    """
    cx = (nb.get("metadata") or {}).get("cx") or {}
    declared = cx.get("concepts")
    if not isinstance(declared, Mapping):
        return None
    return [str(c) for c in declared.get("introduces", [])], [str(c) for c in declared.get("uses", [])]


def _lessons(paths: Iterable[str | Path]) -> list[tuple[str, Path, Any]]:
    import nbformat

    out = []
    for p in sorted(Path(x) for x in paths):
        out.append((p.name[:2], p, nbformat.read(p, as_version=4)))
    return out


def concept_problems(
    paths: Iterable[str | Path],
    registry: Mapping[str, Concept] | None = None,
    *,
    require_declarations: bool = True,
    complete: bool = False,
) -> list[str]:
    """Every way the lessons' concept declarations break "taught before used".

    Parameters
    ----------
    paths
        The lesson notebooks (taken in the order of their numbers).
    registry
        The concepts of ``docs/concepts.yml`` (:func:`load_concepts`); when given, unknown ids
        and lessons that disagree with its ``introduced_in`` are reported.
    require_declarations
        Report lessons from 01 on that declare no ``cx.concepts``.
    complete
        Report concepts of the registry that no lesson introduces.

    Returns
    -------
    list of str
        One message per problem; empty when every concept is taught before it is used.
    """
    problems: list[str] = []
    introduced_by: dict[str, str] = {}
    known = set(registry or {})

    def unknown(cid: str, where: str) -> None:
        close = difflib.get_close_matches(cid, sorted(known), n=2)
        problems.append(
            f"{where}: unknown concept {cid!r}"
            + (f" (did you mean {' or '.join(close)}?)" if close else "")
            + "; add it to docs/concepts.yml"
        )

    lessons = _lessons(paths)
    for number, path, nb in lessons:
        declared = lesson_concepts(nb)
        if declared is None:
            if require_declarations and number != "00":
                problems.append(f"{path.name}: declare cx.concepts (introduces, uses) in the notebook metadata")
            continue
        introduces, uses = declared
        for cid in introduces:
            if registry is not None and cid not in known:
                unknown(cid, path.name)
            if cid in introduced_by:
                problems.append(
                    f"{path.name} introduces {cid!r}, which lesson {introduced_by[cid]} already introduces; "
                    "list it under 'uses'"
                )
                continue
            introduced_by[cid] = number
            planned = registry.get(cid) if registry else None
            if planned is not None and planned.introduced_in and planned.introduced_in != number:
                problems.append(
                    f"{path.name} introduces {cid!r}, but docs/concepts.yml says lesson {planned.introduced_in} "
                    "does: change one of them"
                )
        for cid in uses:
            if registry is not None and cid not in known:
                unknown(cid, path.name)
            if cid not in introduced_by:
                later = next(
                    (n for n, _, other in lessons if n > number and cid in (lesson_concepts(other) or ([], []))[0]),
                    None,
                )
                where = f" (lesson {later} introduces it, later)" if later else ""
                problems.append(
                    f"{path.name} uses {cid!r}, which no earlier lesson introduces{where}: introduce it here "
                    "(a plain-language introduction before its first use) or in an earlier lesson"
                )
    if complete and registry:
        for cid in sorted(set(registry) - set(introduced_by)):
            problems.append(f"docs/concepts.yml: no lesson introduces {cid!r}")
    return problems


def _names(ids: Sequence[str], registry: Mapping[str, Concept]) -> str:
    if not ids:
        return "–"
    return ", ".join(registry[c].name if c in registry else f"`{c}`" for c in ids)


def concepts_markdown(
    paths: Iterable[str | Path], registry: Mapping[str, Concept], *, note: str = "", link_prefix: str = ""
) -> str:
    """``docs/concepts.md``: the concepts each lesson introduces and uses, and where each concept is taught.

    Concepts that no lesson declares yet are listed with the lesson the registry plans for them.

    Parameters
    ----------
    paths : iterable of path
        The lesson notebooks.
    registry : mapping of str to Concept
        The concepts of ``docs/concepts.yml`` (:func:`load_concepts`).
    note : str
        A line put under the title (e.g. "generated by tools/navigation.py").
    link_prefix : str
        Prefix of the links to the lessons (relative to where the page is written).

    Returns
    -------
    str
        The Markdown page.
    """
    lessons = _lessons(paths)
    declared = {number: lesson_concepts(nb) for number, _, nb in lessons}
    lines = [
        "# Concepts: where each is taught",
        "",
        *([note, ""] if note else []),
        "Every lesson declares the concepts it **introduces** and the ones it **uses** (its notebook "
        "metadata, `cx.concepts`); a test checks that no lesson uses a concept that no earlier lesson, or "
        "itself, introduces. The statistics behind each concept are in [methods.md](methods.md).",
        "",
        "## By lesson",
        "",
        "| lesson | introduces | uses |",
        "|---|---|---|",
    ]
    for number, path, _nb in lessons:
        intro, uses = declared[number] or ([], [])
        lines.append(f"| [{number}]({link_prefix}{path.name}) | {_names(intro, registry)} | {_names(uses, registry)} |")
    lines += ["", "## All concepts", "", "| concept | id | introduced in | used in |", "|---|---|---|---|"]
    for cid, concept in registry.items():
        intro = [n for n, d in declared.items() if d and cid in d[0]]
        used = [n for n, d in declared.items() if d and cid in d[1]]
        if intro:
            where = ", ".join(intro)
        elif concept.introduced_in:
            where = f"{concept.introduced_in} (planned)"
        else:
            where = "–"
        name = f"[{concept.name}]({concept.see})" if concept.see else concept.name
        lines.append(f"| {name} | `{cid}` | {where} | {', '.join(used) or '–'} |")
    return "\n".join(lines) + "\n"


# --- student text and beginner-readable code ----------------------------------------------------
_ABSOLUTE_PATH = re.compile(
    r"(?<![\w.:/~-])(?:/(?:home|Users|tmp|root|work|var|opt|usr|mnt|srv|private|etc|Volumes)/[^\s'\"<>)`]*"
    r"|\b[A-Za-z]:\\{1,2}[^\s'\"<>`]+|~/[^\s'\"<>)`]+)"
)
_TEST_FILES = re.compile(
    r"\b(?:tests?/[\w/.-]+|test_\w+\.py|conftest\.py|benchmarks/[\w/.-]*|bench_\w+\.py|nbval_sanitize\.cfg)"
)
_OUTSIDE = re.compile(
    r"cx_science|DIGEST\.md|\.\./shared|\bSTYLE\.md|\bseeds/"
    r"|\bthe seed(?:'s\b|\s+(?:says|said|names|quotes|claims|article|text|argues|cites|attributes|gives)\b)"
    r"|\bseeds?\s+(?:article|00[0-4])\b",
    re.I,
)
#: Longest line of notebook code a beginner should have to read.
MAX_CODE_LINE = 100


def _cell_texts(cell: Mapping[str, Any]) -> list[tuple[str, str]]:
    texts = [("source", str(cell.get("source", "")))]
    for out in cell.get("outputs", []) or []:
        parts = [str(out.get("text", "")), str(out.get("evalue", "")), "\n".join(out.get("traceback", []) or [])]
        parts += [
            v if isinstance(v, str) else str(v) for k, v in (out.get("data") or {}).items() if k.startswith("text/")
        ]
        texts.append(("saved output", "\n".join(parts)))
    return texts


def internal_references(nb_or_path: Any, *, outside: bool = True) -> list[str]:
    """What a learner must not see in a notebook: machine paths, test and benchmark files, outside files.

    Parameters
    ----------
    nb_or_path : notebook or path
    outside : bool
        Also report references to files outside the repository and "the seed" for an article.

    Returns
    -------
    list of str
        One line per finding: the cell, source or saved output, and the text found.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells = [nbformat.v4.new_markdown_cell("Checked in `tests/test_feedback.py`.")]
    >>> internal_references(nb)
    ["cell 0, source: a file of the test suite or benchmarks: 'tests/test_feedback.py'"]
    """
    nb, _ = _read(nb_or_path)
    found = []
    checks = [(_ABSOLUTE_PATH, "an absolute path"), (_TEST_FILES, "a file of the test suite or benchmarks")]
    if outside:
        checks.append((_OUTSIDE, "a file outside the repository, or 'seed' for an article"))
    for i, cell in enumerate(nb.cells):
        for where, text in _cell_texts(cell):
            for rx, what in checks:
                for m in rx.finditer(text):
                    found.append(f"cell {i}, {where}: {what}: {m.group(0)!r}")
    return found


def _parse_cell(source: str) -> ast.Module | None:
    """A code cell's syntax tree, IPython magics and shell lines left out (None if it does not parse)."""
    try:
        return ast.parse("\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))))
    except SyntaxError:
        return None


class _LambdaInComprehension(ast.NodeVisitor):
    def __init__(self) -> None:
        self.found = 0

    def _comprehension(self, node: ast.AST) -> None:
        if any(isinstance(n, ast.Lambda) for n in ast.walk(node)):
            self.found += 1
        else:
            self.generic_visit(node)

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension


#: ``.iloc[0]``, ``.iloc[-1]``: a row (or value) shown by its position
_POSITIONAL_PICK = re.compile(r"\.iloc\[\s*-?\d+\s*\]")
#: widgets wired by hand rather than with ``cxlib.teaching.widgets.live``
_HAND_WIRED_WIDGET = re.compile(r"\b(?:interact|interactive|interact_manual)\(|\.observe\(")


def code_style_problems(nb_or_path: Any, *, dpi: int | None = None, max_line: int = MAX_CODE_LINE) -> list[str]:
    """Code a beginner should not have to read, in a notebook's code cells.

    A lambda inside a comprehension; ``argsort().argsort()`` (ranks: name a helper, or use
    ``Series.rank``); lines longer than ``max_line`` characters; ``dpi=`` other than the
    course's (``dpi``, default ``savefig.dpi`` of :mod:`cxlib.teaching.plots`); a row picked
    by position to show (``.iloc[0]``, ``.iloc[-1]``: pick it by its label or by what makes
    it the one, e.g. ``.loc[table["share"].idxmax()]``, so a re-sorted table cannot change
    what the prose describes); a widget wired by hand (``interact``, ``interactive``,
    ``.observe(``) instead of the course's one pattern, :func:`cxlib.teaching.widgets.live`.
    Solution cells are checked too: learners read them.

    Parameters
    ----------
    nb_or_path : NotebookNode, dict or path
        A notebook, or the path of one.
    dpi : int, optional
        The course's figure resolution (default: ``savefig.dpi`` of the course style).
    max_line : int
        The longest code line allowed, in characters.

    Returns
    -------
    list of str
        One message per problem, naming the cell and line; empty when the code is easy to read.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells = [nbformat.v4.new_code_cell("r = x.argsort().argsort()\\nf = [lambda v: v + k for k in ks]"),
    ...             nbformat.v4.new_code_cell("top = table.iloc[0]\\nwidgets.interact(show, n=slider)")]
    >>> for problem in code_style_problems(nb, dpi=120):
    ...     print(problem)
    cell 0: argsort().argsort(): name a helper (e.g. ranks = series.rank(method='first') - 1)
    cell 0: a lambda inside a comprehension: write a small def instead
    cell 1: .iloc[0] picks a row by position: pick it by label or by what makes it the one (idxmax, a query)
    cell 1: interact(: wire widgets with cxlib.teaching.widgets.live (the course's one widget pattern)
    """
    if dpi is None:
        from cxlib.teaching.plots import _RC

        dpi = int(_RC["savefig.dpi"])
    nb, _ = _read(nb_or_path)
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        source = str(cell.get("source", ""))
        if re.search(r"argsort\(\s*\)\s*\.\s*argsort\(", source):
            problems.append(
                f"cell {i}: argsort().argsort(): name a helper (e.g. ranks = series.rank(method='first') - 1)"
            )
        tree = _parse_cell(source)
        if tree is not None:
            visitor = _LambdaInComprehension()
            visitor.visit(tree)
            if visitor.found:
                problems.append(f"cell {i}: a lambda inside a comprehension: write a small def instead")
        for n, line in enumerate(source.splitlines(), start=1):
            if len(line) > max_line:
                problems.append(f"cell {i}, line {n}: {len(line)} characters (at most {max_line})")
        for m in re.finditer(r"\bdpi[\"']?\s*[=:]\s*(\d+)", source, flags=re.I):
            if int(m.group(1)) != dpi:
                problems.append(f"cell {i}: dpi={m.group(1)}; the course's figures use dpi={dpi} (or leave it out)")
        for m in _POSITIONAL_PICK.finditer(source):
            problems.append(
                f"cell {i}: {m.group(0)} picks a row by position: pick it by label or by what makes it the one"
                " (idxmax, a query)"
            )
        for m in _HAND_WIRED_WIDGET.finditer(source):
            problems.append(
                f"cell {i}: {m.group(0)}: wire widgets with cxlib.teaching.widgets.live (the course's one widget pattern)"
            )
    return problems


from cxlib.teaching._deeper import deeper_problems, split_at_headings  # noqa: E402
