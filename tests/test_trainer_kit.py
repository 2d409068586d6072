"""The trainer kit without a browser: student edition, cell tagging, slide sources, answer key.

The browser checks (slides fit 1280x720, maths rendered, nothing fetched) are in
``test_trainer_browser.py``; the learners' website in ``test_site.py``.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, load_tool

from cxlib.teaching.exercises import OpenExercise, exercises_of, solutions_enabled

student = load_tool("build_student")
tagex = load_tool("tag_exercises")
slides = load_tool("build_slides")
tagsl = load_tool("tag_slides")
key = load_tool("build_answer_key")

LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _module(path: Path):
    import importlib

    return importlib.import_module(f"cxlib.teaching.exercises.lesson{path.name[:2]}")


# --- student edition ------------------------------------------------------------------
def _toy_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 99 · Toy\n\n## Part one"),
        nbformat.v4.new_code_cell(
            "x = 1\nx",
            execution_count=1,
            outputs=[nbformat.v4.new_output("execute_result", {"text/plain": "1"}, execution_count=1)],
        ),
        nbformat.v4.new_code_cell(
            "answer = 42  # the share\nex.q1.check(answer)",
            execution_count=2,
            metadata={"tags": ["exercise"]},
            outputs=[nbformat.v4.new_output("execute_result", {"text/plain": "Correct"}, execution_count=2)],
        ),
        nbformat.v4.new_code_cell("# ex.q1.hint()", metadata={"tags": ["hint"]}),
        nbformat.v4.new_code_cell("answer = 42  # the worked solution", metadata={"tags": ["solution"]}),
        nbformat.v4.new_markdown_cell("> trainer's edition", metadata={"tags": ["cx-edition"]}),
    ]
    return nb


def test_studentise_removes_solutions_resets_answers_and_keeps_hints():
    nb, counts = student.studentise(_toy_notebook())
    assert counts == {"removed": 1, "cleared": 1}
    sources = [c.source for c in nb.cells]
    assert not any("worked solution" in s for s in sources)
    answer = next(c for c in nb.cells if ".check(" in c.source)
    assert answer.source.splitlines()[0] == "answer = ____  # the share"  # the filled-in 42 is gone
    assert answer.outputs == [] and answer.execution_count is None
    assert any("ex.q1.hint()" in s for s in sources)
    assert next(c for c in nb.cells if "cx-edition" in c.metadata.get("tags", [])).source == student.STUDENT_BANNER
    kept = next(c for c in nb.cells if c.source.startswith("x = 1"))
    assert kept.outputs  # ordinary outputs stay, so the lesson still reads well


def test_an_answer_cell_without_placeholder_is_an_error():
    with pytest.raises(student.StudentEditionError, match="no ____ placeholder"):
        student.clear_answer("ex.q1.check(42)", "toy, cell 3")


def test_missing_hints_names_the_exercise():
    nb = _toy_notebook()
    nb.cells = [c for c in nb.cells if "hint" not in c.source]
    assert student.missing_hints(nb) == ["q1"]


@pytest.fixture(scope="module")
def student_edition(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("student")
    student.build(out)
    return out


def test_student_edition_of_the_course(student_edition):
    out = student_edition
    assert {p.name for p in (out / "notebooks").glob("*.ipynb")} == {p.name for p in LESSONS}
    assert (out / ".cx-student").exists() and not solutions_enabled(start=out / "notebooks")
    for path in sorted((out / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            assert "solution" not in cell.metadata.get("tags", []), path.name
            if cell.cell_type == "code":
                assert not re.search(r"ex\.q\d+\.solution\(", cell.source), f"{path.name}: a solution call survived"
            if cell.cell_type == "code" and re.search(r"\.(check|hint)\(", cell.source):
                assert cell.outputs == [], f"{path.name}: answer cell still shows its output"
            if "exercise" in cell.metadata.get("tags", []):
                assert "____" in cell.source, f"{path.name}: an answer cell is not reset to ____"


def test_every_exercise_keeps_a_hint_in_the_student_edition(student_edition):
    for path in LESSONS:
        nb = nbformat.read(student_edition / "notebooks" / path.name, as_version=4)
        hinted = {
            m.group(1)
            for c in nb.cells
            if c.cell_type == "code"
            for m in re.finditer(r"\bex\.(q\d+)\.hint\(", c.source)
        }
        assert set(exercises_of(_module(path))) <= hinted, f"{path.name}: exercises without a hint cell"


def test_editions_say_which_they_are(student_edition):
    full = nbformat.read(ROOT / "notebooks" / "00_welcome.ipynb", as_version=4)
    stud = nbformat.read(student_edition / "notebooks" / "00_welcome.ipynb", as_version=4)

    def banner(nb):
        return next(c.source for c in nb.cells if "cx-edition" in c.metadata.get("tags", []))

    assert "Trainer's edition" in banner(full) and "Student edition" in banner(stud)


def test_student_build_with_solutions_has_no_marker(tmp_path):
    student.build(tmp_path / "s", with_solutions=True)
    assert not (tmp_path / "s" / ".cx-student").exists()


# --- tagging exercise cells -------------------------------------------------------------
def test_exercise_tags_are_current_and_idempotent():
    """The committed notebooks are tagged: a run of the script would change nothing."""
    assert tagex.main(["--check"]) == 0


def _lesson05_toy(mixed: bool = True) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cells = [nbformat.v4.new_code_cell("from cxlib.teaching.exercises import lesson05 as ex, ____", execution_count=1)]
    n = 2
    for q in exercises_of(_module(Path("05_x.ipynb"))):
        cells.append(
            nbformat.v4.new_code_cell(
                f"answer = ____\nex.{q}.check(answer)", execution_count=n, metadata={"tags": ["exercise"]}
            )
        )
        cells.append(
            nbformat.v4.new_code_cell(
                f"# ex.{q}.hint()\n# ex.{q}.solution()" if mixed else f"# ex.{q}.hint()", execution_count=n + 1
            )
        )
        n += 2
    nb.cells = cells
    return nb


def test_tag_exercises_splits_mixed_cells_once(tmp_path):
    path = tmp_path / "05_toy.ipynb"
    nbformat.write(_lesson05_toy(), path)
    n = len(exercises_of(_module(Path("05_x.ipynb"))))  # one mixed hint/solution cell per exercise
    assert tagex.tag_notebook(path) == n
    nb = nbformat.read(path, as_version=4)
    sol = [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    hints = [c for c in nb.cells if "hint" in c.metadata.get("tags", [])]
    assert len(sol) == n and all(c.source.startswith("# ex.q") and ".solution()" in c.source for c in sol)
    assert len(hints) == n and not any(".solution(" in c.source for c in hints)
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))
    assert tagex.tag_notebook(path) == 0  # idempotent


def test_tag_exercises_adds_a_missing_hint_and_fails_on_a_missing_exercise(tmp_path):
    nb = _lesson05_toy(mixed=False)
    nb.cells = [c for c in nb.cells if c.source != "# ex.q3.hint()"]
    path = tmp_path / "05_toy.ipynb"
    nbformat.write(nb, path)
    tagex.tag_notebook(path)
    assert any(c.source == "# ex.q3.hint()" for c in nbformat.read(path, as_version=4).cells)
    nb.cells = [c for c in nb.cells if "q4" not in c.source]
    nbformat.write(nb, path)
    with pytest.raises(tagex.TagError, match="q4"):
        tagex.tag_notebook(path)


# --- slide sources and figure tags --------------------------------------------------------
SOURCES = sorted((ROOT / "trainer" / "slides").glob("[0-9][0-9].yml"))


def test_every_lesson_has_a_slides_source():
    assert [p.stem for p in SOURCES] == [p.name[:2] for p in LESSONS]


def test_slide_sources_never_hold_images():
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"data:image|\.png|\.svg|base64", text), f"{path.name} embeds an image"


def test_figure_tags_are_current_and_idempotent():
    assert tagsl.main(["--check"]) == 0


def test_figure_tags_follow_the_cell_not_its_position():
    src = slides.load_source(ROOT / "trainer" / "slides" / "05.yml")
    nb = nbformat.read(slides.lesson_path("05"), as_version=4)
    wanted, problems = tagsl.plan("05", src, nb)
    assert problems == [] and len(wanted) == sum("figure" in s for s in src["slides"])
    moved = copy.deepcopy(nb)
    moved.cells.insert(3, nbformat.v4.new_markdown_cell("a new paragraph"))
    wanted2, _ = tagsl.plan("05", src, moved)
    assert {k + 1: v for k, v in wanted.items()} == wanted2


def test_figure_tagging_fails_loudly():
    src = slides.load_source(ROOT / "trainer" / "slides" / "05.yml")
    nb = nbformat.read(slides.lesson_path("05"), as_version=4)
    bad = copy.deepcopy(src)
    bad["slides"] = [
        {"figure": "gone", "match": "no cell has this text", "title": "t", "takeaway": "t"},
        {"figure": "many", "match": "plots.", "title": "t", "takeaway": "t"},
        {"figure": "nofig", "match": "from cxlib.teaching.exercises import lesson05", "title": "t", "takeaway": "t"},
    ]
    _, problems = tagsl.plan("05", bad, nb)
    assert len(problems) == 3
    assert "no code cell" in problems[0] and "code cells contain" in problems[1] and "no figure" in problems[2]


def test_every_decks_timers_are_the_trainer_guides_plan():
    """An exercise or discussion timer on a slide is the one the guide's timing table gives it, and no row
    of a timing table times more minutes of activities than it has."""
    text = (ROOT / "docs" / "trainer-guide.md").read_text(encoding="utf-8")
    timings, questions = slides.guide_timings(text), slides.discussion_questions(text)
    for number, src in slides.load_sources().items():
        assert slides.timing_problems(number, src, timings, questions) == [], number
        assert sum(m for _, m, _ in timings[number]) > 0, number


def test_a_deck_that_runs_past_the_guide_is_refused():
    text = (ROOT / "docs" / "trainer-guide.md").read_text(encoding="utf-8")
    timings, questions = slides.guide_timings(text), slides.discussion_questions(text)
    src = {
        "slides": [
            {"exercise": "q1", "minutes": 9},
            {"exercise": "q5", "minutes": 4},
            {"discussion": "all", "minutes": 4},
        ]
    }
    problems = slides.timing_problems("03", src, timings, questions)
    assert "q1: the deck gives 9 min, the guide 3 min" in problems
    assert "q5: the deck gives 4 min, the guide not in its timing table" in problems
    assert "discussion 2: the deck gives 4 min, the guide not in its timing table" in problems
    assert "q4: the deck gives no timer, the guide 3 min" in problems
    crowded = {"03": [("*Exercises*", 3, {"q1": 3, "q4": 3})]}
    assert "the guide's row '*Exercises*' times 6 minutes of activities in 3" in slides.timing_problems(
        "03", {"slides": []}, crowded, questions
    )


def test_a_bad_slides_source_lists_every_problem(tmp_path):
    path = tmp_path / "05.yml"
    path.write_text(
        "lesson: '04'\nslides:\n  - figure: Bad Name\n  - points:\n    title: x\n  - {}\n", encoding="utf-8"
    )
    with pytest.raises(slides.SlideSourceError) as err:
        slides.load_source(path)
    text = str(err.value)
    for expected in (
        "'lesson' must be",
        "'agenda'",
        "slide 1 (figure): missing match",
        "must be lower-case",
        "slide 2 (points): missing bullets",
        "slide 3: give exactly one",
    ):
        assert expected in text


def test_long_tables_are_split_over_slides():
    rows = "\n".join(f"| {i} | row {i} |" for i in range(14))
    parts = slides._table_slides("Big table", f"| a | b |\n|---|---|\n{rows}")
    assert [p.title for p in parts] == ["Big table (1/3)", "Big table (2/3)", "Big table (3/3)"]
    assert all(p.body.count("<tr>") <= slides.TABLE_ROWS + 1 for p in parts)


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("slides")
    return {p.stem[:2]: p.read_text(encoding="utf-8") for p in slides.build(out)}


def test_each_deck_has_the_parts_a_room_needs(decks):
    guide = slides.discussion_questions(slides.GUIDE.read_text(encoding="utf-8"))
    assert sorted(decks) == [p.name[:2] for p in LESSONS]
    for number, deck in decks.items():
        kinds = re.findall(r'data-kind="(\w+)"', deck)
        assert kinds[:2] == ["title", "agenda"] and kinds[-1] == "summary", number
        assert kinds.count("figure") >= 1 and kinds.count("exercise") >= 1, number
        assert kinds.count("discussion") == len(guide[number]), f"{number}: one slide per discussion question"
        assert deck.count('class="timer"') >= kinds.count("exercise"), f"{number}: every exercise slide has a timer"
        assert sum(k == "code" for k in kinds) / len(kinds) <= 0.3


def test_exercise_slides_show_the_question_not_the_solution(decks):
    for number, deck in decks.items():
        mod = _module(Path(f"{number}_x.ipynb"))
        for name, ex in exercises_of(mod).items():
            code = ex.solution_code.strip().splitlines()
            assert not any(len(line) > 25 and line in deck for line in code), (
                f"{number} {name}: solution code on a slide"
            )


# --- answer key ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def answer_key(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("key")
    return key.build(out, ["00", "04", "06"], pdf=False)["html"].read_text(encoding="utf-8")


def test_answer_key_has_computed_answers_solutions_and_good_answers(answer_key):
    import html as _html

    plain = _html.unescape(re.sub(r"<[^>]+>", "", answer_key))
    open_questions = 0
    for number in ("00", "04", "06"):
        assert f'id="lesson-{number}"' in answer_key
        for name, ex in exercises_of(_module(Path(f"{number}_x.ipynb"))).items():
            assert f'id="ex-{number}-{name}"' in answer_key
            if isinstance(ex, OpenExercise):  # no code: the model answer, computed, and what to look for
                open_questions += 1
                assert str(ex.expected_value())[:80] in plain, f"{number} {name}: model answer missing"
                continue
            first = ex.solution_code.strip().splitlines()[0]
            assert first in plain, f"{number} {name}: worked solution missing"
    # the discussion questions of 00, 04 and 06, and each open question's list
    assert answer_key.count("A good answer contains") == 2 + 4 + 3 + open_questions
    q1 = exercises_of(_module(Path("04_x.ipynb")))["q1"].expected_value()
    assert f"{q1:,.4g}" in answer_key  # the computed value, not a typed one


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name[:2])
def test_the_answer_keys_examples_of_accepted_forms_are_accepted_and_written_from_the_answer(path):
    """'for example 44.8, 45, 0.448' is what check() marks right for *this* answer, not a typed illustration."""
    from cxlib.teaching.exercises import NumericExercise

    for name, ex in exercises_of(_module(path)).items():
        if type(ex) is not NumericExercise:
            continue
        value = float(ex.expected_value())
        forms = key._forms(ex, value)
        assert forms, f"{path.name[:2]} {name}: no example form of {value} is accepted"
        assert all(ex.check(float(f) if f[0] != "'" else f.strip("'")).status == "correct" for f in forms)
        assert float(forms[0]) == pytest.approx(value, rel=0.01, abs=0.06), (name, value, forms)  # the answer itself


def test_answer_key_rejects_answers_that_do_not_match_the_guide(tmp_path, monkeypatch):
    (tmp_path / "00.md").write_text("## Discussion\n\n1. only one\n", encoding="utf-8")
    monkeypatch.setattr(key, "ANSWERS", tmp_path)
    with pytest.raises(key.AnswerKeyError, match="1 good answers .* 2 discussion questions"):
        key.model_answers("00", ["q one", "q two"])
