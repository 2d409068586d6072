"""Lesson 08's exercises: the answers learners write in other forms are read as they meant them."""

from __future__ import annotations

import pytest

from cxlib.teaching.exercises import lesson00, lesson08


@pytest.mark.parametrize("answer", [24.8, "24.8", 0.248, "24.8 points"])
def test_q1_takes_points_or_the_share_they_come_from(answer):
    assert lesson08.q1.check(answer).status == "correct"


def test_q1_asks_for_a_decimal_when_a_whole_number_is_close():
    feedback = lesson08.q1.check(25)
    assert feedback.status == "incorrect" and "at least 1 decimal" in feedback.message


def test_q2_shows_big_numbers_with_thousands_separators():
    feedback = lesson08.q2.check(4_900_000.0)
    assert "you gave 4,900,000," in feedback.message and "e+06" not in feedback.message


@pytest.mark.parametrize("answer", ["50x", "50 ×", "50 times"])
def test_q3_takes_a_ratio_written_with_its_sign(answer):
    assert lesson08.q3.check(answer).status == "correct"


def test_q3_takes_the_ratio_read_off_the_printed_intervals():
    """'About how many times narrower': widths read off the rounded printed intervals give 45-60."""
    assert lesson08.q3.check(58).correct and lesson08.q3.check(50).correct
    assert not lesson08.q3.check(25).correct and not lesson08.q3.check(2496).correct


def test_an_unreadable_answer_is_told_the_forms_its_question_takes():
    assert "0.46 or '0.46'" in lesson00.q2.check("forty").message
    assert "'14.3%'" not in lesson00.q2.check("forty").message
    assert "'14.3%'" in lesson08.q3.check("fifty").message
