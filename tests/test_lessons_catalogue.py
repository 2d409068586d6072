"""The lessons catalogue (cxlib.teaching.lessons): order, numbering, metadata, lookup, clear errors."""

from __future__ import annotations

import re

import nbformat
import pytest

from cxlib.cli import main
from cxlib.data.schemas import SCHEMAS
from cxlib.errors import CxError
from cxlib.teaching.lessons import find_lesson, list_lessons

LESSONS = list_lessons()


def test_lessons_are_numbered_from_00_without_gaps_in_order():
    numbers = [lesson.number for lesson in LESSONS]
    assert numbers == [f"{i:02d}" for i in range(len(LESSONS))]
    assert len(LESSONS) >= 8
    for lesson in LESSONS:
        assert re.fullmatch(r"\d\d_[a-z0-9_]+", lesson.name), lesson.name
        assert lesson.path.suffix == ".ipynb" and lesson.path.is_file()


def test_each_title_is_its_first_heading_with_its_number():
    for lesson in LESSONS:
        assert lesson.title.startswith(f"{lesson.number} · ") and len(lesson.title) > 8, lesson.title


@pytest.mark.parametrize("lesson", LESSONS[1:], ids=lambda x: x.name)
def test_metadata_declares_what_cx_run_needs(lesson):
    meta = lesson.meta
    assert {"minutes", "sources", "data_kind", "columns"} <= set(meta), sorted(meta)
    assert isinstance(meta["minutes"], int) and 0 < meta["minutes"] <= 60
    assert meta["sources"] and all(re.fullmatch(r"00\d", s) for s in meta["sources"])
    assert lesson.data_kind in SCHEMAS
    # every column parameter and free column is a declared parameter of the lesson
    declared = set(lesson.parameters)
    assert "DATA" in declared
    assert set(lesson.column_parameters) <= declared
    assert set(meta.get("free_columns", [])) <= declared
    assert set(meta.get("date_columns", [])) <= set(meta.get("free_columns", []))
    for column in lesson.column_parameters.values():
        assert column in SCHEMAS[lesson.data_kind].columns, (lesson.name, column)


def test_the_welcome_lesson_states_minutes_and_sources():
    assert LESSONS[0].number == "00" and {"minutes", "sources"} <= set(LESSONS[0].meta)


@pytest.mark.parametrize("key", ["5", "05", "05_nps_pitfalls", "nps_pitfalls"])
def test_find_lesson_by_number_or_name(key):
    assert find_lesson(key).name == "05_nps_pitfalls"


@pytest.mark.parametrize("key", ["99", "nps", "5_nps_pitfalls", ""])
def test_an_unknown_lesson_is_a_clear_error_listing_the_lessons(key):
    with pytest.raises(CxError) as err:
        find_lesson(key)
    message = str(err.value)
    assert repr(key) in message and "00_welcome" in message and "cx lessons" in message


def test_a_folder_is_read_in_number_order_and_other_files_are_ignored(tmp_path):
    for name, title in [("10_later", "# 10 · Later"), ("02_first", "# 02 · First"), ("notes", "# Notes")]:
        nb = nbformat.v4.new_notebook()
        nb.cells = [
            nbformat.v4.new_markdown_cell(title),
            nbformat.v4.new_code_cell("DATA: str | None = None  # your file"),
        ]
        nb.cells[1].metadata["tags"] = ["parameters"]
        nb.metadata["cx"] = {"minutes": 5, "sources": ["001"]}
        nbformat.write(nb, tmp_path / f"{name}.ipynb")
    lessons = list_lessons(tmp_path)
    assert [x.name for x in lessons] == ["02_first", "10_later"]
    assert lessons[0].title == "02 · First" and list(lessons[0].parameters) == ["DATA"]
    assert find_lesson("10", folder=tmp_path).name == "10_later"
    with pytest.raises(CxError, match="02_first, 10_later"):
        find_lesson("03", folder=tmp_path)


def test_cx_lessons_lists_them_all(capsys):
    assert main(["lessons"]) == 0
    out = capsys.readouterr().out
    for lesson in LESSONS:
        assert lesson.name in out
    assert main(["lessons", "does-not-exist"]) == 2
    assert "no lesson 'does-not-exist'" in capsys.readouterr().err
