"""cxlib.teaching.lesson_design: the timing estimate and the concepts check, on small synthetic lessons.

The same checks on the real lessons are enabled once the lessons are restructured into core
and "Going deeper" parts (issue 12); until then they run here on notebooks written to tmp_path.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, load_tool

from cxlib.teaching.lesson_design import (
    Concept,
    concept_problems,
    concepts_markdown,
    count_words,
    deeper_problems,
    lesson_time,
    load_concepts,
    split_at_headings,
    timing_problems,
)


def md(text: str, *tags: str):
    return nbformat.v4.new_markdown_cell(text, metadata={"tags": list(tags)} if tags else {})


def code(text: str, *tags: str):
    return nbformat.v4.new_code_cell(text, metadata={"tags": list(tags)} if tags else {})


def words(n: int) -> str:
    return " ".join(["word"] * n)


def lesson(minutes: int | None, cells: list, concepts: dict | None = None):
    nb = nbformat.v4.new_notebook()
    nb.metadata["cx"] = {"sources": ["001"]}
    if minutes is not None:
        nb.metadata["cx"]["minutes"] = minutes
    if concepts is not None:
        nb.metadata["cx"]["concepts"] = concepts
    nb.cells = cells
    return nb


def exercise_cells(q: str, *tags: str) -> list:
    """The cells of one exercise as the lessons write them (shown, answered, hinted, solved)."""
    return [
        code(f"ex.{q}", *tags),
        code(f"answer = ____\nex.{q}.check(answer)", *tags, "exercise"),
        code(f"# ex.{q}.hint()", *tags, "hint"),
        code(f"# ex.{q}.solution()", "solution"),
    ]


# --- time ------------------------------------------------------------------------------------
def test_words_count_what_a_reader_reads():
    assert count_words("Churn fell by 2.5 points, from 12% to 9.5%.") == 9
    assert count_words("<!-- generated: do not edit -->\nSee [the notes](../docs/methods.md#wilson-interval).") == 3
    assert count_words("وفاداری مشتری") == 2
    assert count_words("") == 0


def test_the_estimate_is_150_words_a_minute_one_per_code_cell_four_per_exercise():
    """Issue 12's estimate: an exercise's own code cells (shown, answered, hint) count too."""
    nb = lesson(
        30,
        [
            md(words(300)),  # 2 minutes
            code("x = 1"),
            code("x + 1"),
            code("   "),  # empty: not counted
            md(words(150)),  # 1 minute
            *exercise_cells("q1"),
            *exercise_cells("q2"),
        ],
    )
    t = lesson_time(nb)
    assert (t.core.words, t.core.code_cells, t.core.exercises) == (450, 2 + 2 * 3, 2)
    assert t.core.minutes == pytest.approx(450 / 150 + 8 + 2 * 4)
    assert t.deeper.minutes == 0 and t.deeper_minutes_rounded == 0
    inside = lesson_time(nb, exercise_cells=False)  # an exercise's cells inside its four minutes
    assert (inside.core.code_cells, inside.core.exercises) == (2, 2)
    assert inside.core.minutes == pytest.approx(450 / 150 + 2 + 2 * 4)


def test_deeper_navigation_contents_and_solution_cells_stay_out_of_the_core():
    nb = lesson(
        20,
        [
            md("nav " * 30, "cx-nav"),
            md(words(300), "cx-toc"),
            md(words(150)),
            code("x = 1"),
            md(words(300), "deeper"),
            code("y = 2", "deeper"),
            code("z = 3", "deeper"),
            *exercise_cells("q1"),
            *exercise_cells("q2", "deeper"),
            code("answer = 42  # the worked solution", "solution"),
            md("nav " * 30, "cx-nav"),
        ],
    )
    t = lesson_time(nb)
    assert (t.core.words, t.core.code_cells, t.core.exercises) == (150, 1 + 3, 1)
    assert (t.deeper.words, t.deeper.code_cells, t.deeper.exercises) == (300, 2 + 3, 1)
    assert t.core.minutes == pytest.approx(1 + 4 + 4)
    assert t.deeper.minutes == pytest.approx(2 + 5 + 4)
    assert t.deeper_minutes_rounded == 15


def test_an_exercise_belongs_to_the_part_of_its_check_cell():
    cells = [code("ex.q1"), code("answer = ____\nex.q1.check(answer)", "deeper"), code("# ex.q1.hint()")]
    t = lesson_time(lesson(10, cells))
    assert (t.core.exercises, t.deeper.exercises) == (0, 1)
    assert (t.core.code_cells, t.deeper.code_cells) == (2, 1)  # each cell where it stands
    assert lesson_time(lesson(10, cells), exercise_cells=False).core.code_cells == 0


def _write(folder: Path, name: str, nb) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    nbformat.write(nb, path)
    return path


def test_timing_problems_name_the_lesson_its_estimate_and_the_fix(tmp_path):
    honest = _write(tmp_path, "01_honest.ipynb", lesson(10, [md(words(750)), code("x"), code("y")]))  # 7 min
    slow = _write(tmp_path, "02_slow.ipynb", lesson(10, [md(words(1500)), *exercise_cells("q1")]))  # 17 min
    edge = _write(tmp_path, "03_edge.ipynb", lesson(10, [md(words(1650))]))  # 11.0 min = 1.1 x 10: fine
    long = _write(tmp_path, "04_long.ipynb", lesson(75, [md(words(150))]))
    unstated = _write(tmp_path, "05_unstated.ipynb", lesson(None, [md(words(150))]))
    welcome = _write(tmp_path, "00_welcome.ipynb", lesson(90, [md(words(150))]))  # 00 may state more than 60
    problems = timing_problems([welcome, honest, slow, edge, long, unstated])
    assert len(problems) == 3, problems
    assert problems[0].startswith("02_slow.ipynb: the core path is estimated at 17 min (1,500 words, 3 code cells,")
    assert "1 exercise)" in problems[0] and "tag optional sections `deeper`" in problems[0]
    assert problems[1].startswith("04_long.ipynb: cx.minutes is 75; a lesson's core path is at most 60 minutes")
    assert problems[2] == "05_unstated.ipynb: no cx.minutes in the notebook metadata (the core path's minutes)"
    moved = lesson(10, [md(words(750)), md(words(750), "deeper"), *exercise_cells("q1", "deeper")])
    assert timing_problems([_write(tmp_path, "02_slow.ipynb", moved)]) == []  # fixed by going deeper


# --- concepts ----------------------------------------------------------------------------------
REGISTRY = {
    "confidence-interval": Concept("confidence-interval", "a confidence interval", "01"),
    "wilson-interval": Concept("wilson-interval", "the Wilson interval", "01"),
    "roc-auc": Concept("roc-auc", "ROC AUC", "01"),
    "logistic-regression": Concept("logistic-regression", "logistic regression", "01"),
    "lift": Concept("lift", "lift", None),
}


def _course(tmp_path: Path, declarations: dict[str, dict | None]) -> list[Path]:
    return [
        _write(tmp_path / "notebooks", f"{number}_lesson.ipynb", lesson(30, [md("# title")], concepts))
        for number, concepts in declarations.items()
    ]


def test_concepts_taught_before_use_pass(tmp_path):
    paths = _course(
        tmp_path,
        {
            "00": None,  # the welcome page declares nothing: fine
            "01": {"introduces": ["confidence-interval", "wilson-interval", "logistic-regression", "roc-auc"]},
            "02": {"introduces": ["lift"], "uses": ["roc-auc", "lift"]},  # its own concept may be used too
        },
    )
    assert concept_problems(paths, REGISTRY, complete=True) == []


def test_a_concept_used_before_it_is_introduced_is_reported_with_where_it_is_introduced(tmp_path):
    paths = _course(
        tmp_path,
        {
            "01": {"introduces": ["confidence-interval"], "uses": ["roc-auc"]},
            "02": {"uses": ["wilson-interval"]},
            "03": {"introduces": ["roc-auc", "wilson-interval"]},
        },
    )
    problems = concept_problems(paths, REGISTRY)
    assert problems[0].startswith(
        "01_lesson.ipynb uses 'roc-auc', which no earlier lesson introduces (lesson 03 introduces it, later)"
    )
    assert problems[1].startswith("02_lesson.ipynb uses 'wilson-interval', which no earlier lesson introduces")
    assert any("docs/concepts.yml says lesson 01 does" in p for p in problems)  # 03 disagrees with the plan


def test_unknown_twice_introduced_undeclared_and_never_introduced_concepts_are_reported(tmp_path):
    paths = _course(
        tmp_path,
        {
            "01": {"introduces": ["confidence-interval", "wilson-intervals"]},
            "02": {"introduces": ["confidence-interval"]},
            "03": None,
        },
    )
    problems = concept_problems(paths, REGISTRY, complete=True)
    assert any("unknown concept 'wilson-intervals' (did you mean wilson-interval" in p for p in problems)
    assert any(p.startswith("02_lesson.ipynb introduces 'confidence-interval', which lesson 01") for p in problems)
    assert "03_lesson.ipynb: declare cx.concepts (introduces, uses) in the notebook metadata" in problems
    assert "docs/concepts.yml: no lesson introduces 'roc-auc'" in problems
    assert not any("03_lesson" in p for p in concept_problems(paths, REGISTRY, require_declarations=False))


def test_concepts_page_lists_lessons_and_concepts_with_planned_lessons(tmp_path):
    paths = _course(tmp_path, {"01": {"introduces": ["confidence-interval"], "uses": []}, "02": {"uses": ["lift"]}})
    page = concepts_markdown(paths, REGISTRY, link_prefix="../notebooks/")
    assert "| [01](../notebooks/01_lesson.ipynb) | a confidence interval | – |" in page
    assert "| [02](../notebooks/02_lesson.ipynb) | – | lift |" in page
    assert "| a confidence interval | `confidence-interval` | 01 | – |" in page
    assert "| the Wilson interval | `wilson-interval` | 01 (planned) | – |" in page
    assert "| lift | `lift` | – | 02 |" in page


def test_the_course_concepts_file_is_valid_and_plans_the_four_introductions_before_use():
    registry = load_concepts(ROOT / "docs" / "concepts.yml")
    assert len(registry) >= 40
    for cid in ("confidence-interval", "wilson-interval", "logistic-regression", "roc-auc"):
        assert registry[cid].introduced_in == "01", cid  # their first use is in lesson 01 (issue 12)
    lessons = {p.name[:2] for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    assert {c.introduced_in for c in registry.values()} - {None} <= lessons
    methods = (ROOT / "docs" / "methods.md").read_text(encoding="utf-8")
    sources = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    for concept in registry.values():
        page, _, anchor = (concept.see or "").partition("#")
        assert page in ("methods.md", "sources.md"), concept.id
        assert f'<a id="{anchor}"></a>' in (methods if page == "methods.md" else sources), concept.see


def test_a_malformed_concepts_file_lists_every_problem(tmp_path):
    bad = tmp_path / "concepts.yml"
    bad.write_text(
        "concepts:\n  - {id: Wilson Interval, name: x}\n  - {id: auc, name: ''}\n  - {id: auc, name: y}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError) as err:
        load_concepts(bad)
    assert "'Wilson Interval' is not lower-case" in str(err.value)
    assert "auc: no plain name" in str(err.value) and "auc: listed twice" in str(err.value)


# --- navigation shows core and deeper minutes, and writes docs/concepts.md ------------------------------
def test_navigation_writes_core_and_deeper_minutes_and_the_concepts_page(tmp_path):
    nav = load_tool("navigation")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "concepts.yml").write_text(
        "concepts:\n  - {id: roc-auc, name: ROC AUC, introduced_in: '01'}\n", encoding="utf-8"
    )
    (tmp_path / "docs" / "methods.md").write_text("# Methods\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("<!-- lessons:start -->\n<!-- lessons:end -->\n", encoding="utf-8")
    _write(tmp_path / "notebooks", "00_welcome.ipynb", lesson(20, [md("# 00 · Welcome")]))
    core = [md("# 01 · Churn\n\n" + words(600)), code("x = 1")]
    deeper = [md(words(900), "deeper"), *exercise_cells("q1", "deeper")]
    _write(tmp_path / "notebooks", "01_churn.ipynb", lesson(45, core + deeper, {"introduces": ["roc-auc"]}))
    nav.update(tmp_path)
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "| lesson | title | minutes | going deeper (optional) | source articles |" in readme
    assert "| 01 | [Churn](notebooks/01_churn.ipynb) | 45 | +15 | 001 |" in readme  # 6 + 3 + 4 = 13 minutes
    assert "| 00 | [Welcome](notebooks/00_welcome.ipynb) | 20 | – | 001 |" in readme
    assert "plus about 0.2 hours of optional *going deeper* parts" in readme
    # only the notes that exist are linked (no sources.md here)
    assert (
        "Course notes: [statistics notes](docs/methods.md) · [concepts and where each is taught](docs/concepts.md)."
        in readme
    )
    cells = nbformat.read(tmp_path / "notebooks" / "00_welcome.ipynb", 4).cells
    toc = next(c for c in cells if "cx-toc" in c.metadata.get("tags", []))
    assert "[statistics notes](../docs/methods.md)" in toc.source
    page = (tmp_path / "docs" / "concepts.md").read_text(encoding="utf-8")
    assert "generated by tools/navigation.py" in page and "| ROC AUC | `roc-auc` | 01 | – |" in page
    assert nav.update(tmp_path, check=True) == []


# --- Going deeper parts ---------------------------------------------------------------------------
def test_a_core_cell_that_needs_a_deeper_cell_is_reported():
    nb = lesson(
        30,
        [
            code("import pandas as pd\nbase = 1"),
            md("## Going deeper: the same by hand", "deeper"),
            code("detail = base + 1\ncount = 2", "deeper"),
            code("count += 1\nprint(base, [detail for _ in range(2)])"),
        ],
    )
    problems = deeper_problems(nb)
    assert [p.split(" reads ")[1].split(",")[0] for p in problems] == ["'count'", "'detail'"]
    assert all("cell 3 (core)" in p for p in problems)


def test_a_deeper_part_that_is_marked_and_self_contained_passes():
    nb = lesson(
        30,
        [
            code("base = 1"),
            md("## Going deeper: more", "deeper"),
            code("detail = base + 1", "deeper"),
            md("## Exercises"),
            code("detail = 3\nprint(detail, [x for x in range(base)])\ndef f(y):\n    return y + detail"),
        ],
    )
    assert deeper_problems(nb) == []


def test_a_deeper_part_must_say_so_where_it_starts():
    nb = lesson(30, [code("base = 1"), code("x = base", "deeper"), md("## Done")])
    assert deeper_problems(nb) == [
        "cell 1: a Going deeper part must open with a markdown cell that says 'Going deeper' "
        "(its heading), so a reader knows it can be skipped"
    ]


def test_markdown_cells_are_split_so_each_section_starts_a_cell():
    nb = lesson(30, [md("Intro.\n\n## One\n\nText.\n\n### Sub\n\n## Two", "slide"), code("x = 1")])
    assert split_at_headings(nb) == 2
    assert [c.source for c in nb.cells[:3]] == ["Intro.", "## One\n\nText.\n\n### Sub", "## Two"]
    assert all(c.metadata["tags"] == ["slide"] for c in nb.cells[:3])
    assert split_at_headings(nb) == 0
    fenced = lesson(30, [md("Run:\n\n```bash\n# a comment\ncx nps\n```\n\n## Next\n\nText.")])
    assert split_at_headings(fenced) == 1
    assert [c.source for c in fenced.cells] == ["Run:\n\n```bash\n# a comment\ncx nps\n```", "## Next\n\nText."]


# --- the course's own lessons (issue 12, "Done means") -------------------------------------------------
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_every_lesson_states_honest_minutes_for_its_core_path():
    assert len(LESSONS) >= 8
    assert timing_problems(LESSONS) == []


def test_every_lesson_teaches_a_concept_before_any_lesson_uses_it():
    assert concept_problems(LESSONS, load_concepts(ROOT / "docs" / "concepts.yml")) == []


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name[:2])
def test_going_deeper_parts_say_so_and_can_be_skipped(path):
    assert deeper_problems(path) == []


def test_a_lesson_wide_resolution_other_than_the_courses_is_reported():
    from cxlib.teaching.lesson_design import code_style_problems

    nb = lesson(30, [code('DPI = 80\n%config InlineBackend.print_figure_kwargs = {"dpi": 80}')])
    problems = code_style_problems(nb, dpi=120)
    assert len(problems) == 2 and all("dpi=80" in p for p in problems)
