"""Slide decks in a real browser: every slide fits 1280x720, little code, maths drawn, nothing fetched.

Also prints one deck to PDF as ``make handouts`` does (one slide per page). Needs
Chromium (see ``tests/browser.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import MATH_JS, chromium_or_skip
from conftest import ROOT, load_tool

from cxlib.teaching.offline import remote_references

slides = load_tool("build_slides")
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> list[Path]:
    return slides.build(tmp_path_factory.mktemp("slides"))


def _overflowing_deck(folder: Path) -> Path:
    """A deck whose second slide cannot fit, so the measurement is shown to catch overflow."""
    long = slides.Slide(
        "points", "<h2>Too much</h2><div class='text'><ul>" + "<li>a line of text</li>" * 30 + "</ul></div>"
    )
    ok = slides.Slide("points", "<h2>Fine</h2><div class='text'><ul><li>one idea</li></ul></div>")
    path = folder / "99_overflow.html"
    path.write_text(slides.deck_html([ok, long], "99", "Overflow"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def measured(decks, tmp_path_factory) -> dict[str, dict]:
    """For each deck: the per-slide report at 1280x720, the maths check and what it fetched."""
    results = {}
    with chromium_or_skip() as browser:
        bad = _overflowing_deck(tmp_path_factory.mktemp("bad"))
        browser.goto(bad.resolve().as_uri())
        results["_overflow_check"] = browser.evaluate(slides.MEASURE_JS)
        for deck in decks:
            browser.goto(deck.resolve().as_uri())
            report = browser.evaluate(slides.MEASURE_JS)
            browser.evaluate("document.querySelectorAll('.slide').forEach(s => s.classList.add('active'))")
            results[deck.name] = {"slides": report, "math": browser.evaluate(MATH_JS)}
        results["_remote"] = browser.remote_requests()
    return results


def test_every_deck_was_measured(decks, measured):
    assert [d.stem for d in decks] == [p.stem for p in LESSONS]
    assert all(len(measured[d.name]["slides"]) >= 8 for d in decks)


def test_the_measurement_catches_an_overflowing_slide(measured):
    first, second = measured["_overflow_check"]
    assert first["problems"] == [] and second["problems"], second


def test_no_slide_overflows_at_1280x720(measured):
    overflowing = [
        f"{deck} slide {s['slide']} ({s['kind']}: {s['title'][:40]}): {s['problems']}"
        for deck, r in measured.items()
        if not deck.startswith("_")
        for s in r["slides"]
        if s["problems"]
    ]
    assert overflowing == []


def test_text_is_big_enough_for_a_room(measured):
    small = [
        f"{deck} slide {s['slide']}: {s['minFont']}px"
        for deck, r in measured.items()
        if not deck.startswith("_")
        for s in r["slides"]
        if s["minFont"] is not None and s["minFont"] < 22
    ]
    assert small == []


def test_at_most_30_percent_of_slides_show_code(measured):
    for deck, r in measured.items():
        if deck.startswith("_"):
            continue
        share = sum(s["code"] for s in r["slides"]) / len(r["slides"])
        assert share <= 0.30, f"{deck}: {share:.0%} of slides show code"


def test_maths_is_drawn_in_the_decks(measured):
    for deck, r in measured.items():
        if deck.startswith("_"):
            continue
        assert r["math"]["raw"] == [], f"{deck}: unrendered LaTeX {r['math']['raw']}"
        assert r["math"]["notDrawn"] == 0, f"{deck}: MathML not drawn"
    assert measured["05_nps_pitfalls.html"]["math"]["count"] >= 2  # the NPS formula and 1/sqrt(n)


def test_decks_fetch_and_reference_nothing_remote(decks, measured):
    assert measured["_remote"] == []
    for deck in decks:
        assert remote_references(deck.read_text(encoding="utf-8")) == [], deck.name


def test_handout_has_one_page_per_slide(decks, tmp_path):
    deck = next(d for d in decks if d.name.startswith("05_"))
    chromium_or_skip()  # skips (or fails under CI) without a browser
    pdf = slides.handouts([deck], tmp_path)[0]
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))
    assert pages == deck.read_text(encoding="utf-8").count('<section class="slide')


def test_handout_with_four_slides_per_page_prints_a_quarter_of_the_pages(decks, tmp_path):
    deck = next(d for d in decks if d.name.startswith("05_"))
    chromium_or_skip()
    pdf = slides.handouts([deck], tmp_path, per_page=4)[0]
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))
    n = deck.read_text(encoding="utf-8").count('<section class="slide')
    assert pdf.name.endswith("-4up.pdf") and pages == -(-n // 4)
    with pytest.raises(slides.SlideSourceError, match="1 or 4 slides per page"):
        slides.handouts([deck], tmp_path, per_page=3)


def test_a_running_countdown_goes_on_when_the_trainer_moves_to_another_slide(decks):
    """Started on its exercise slide, the countdown keeps running on the next slides, where a corner clock shows
    it (and leads back to it); it pauses only when asked."""
    import time

    deck = next(d for d in decks if d.name.startswith("05_"))
    with chromium_or_skip() as browser:
        browser.goto(deck.resolve().as_uri())
        k = browser.evaluate(
            "[].slice.call(document.querySelectorAll('.slide')).findIndex(function(e){return e.querySelector('.timer')})+1"
        )
        browser.evaluate(f"cxShow({k})")
        browser.evaluate("document.dispatchEvent(new KeyboardEvent('keydown',{key:'t'}))")
        browser.evaluate(f"cxShow({k + 1})")
        time.sleep(1.5)
        away, left, running = browser.evaluate(
            "[document.querySelector('.away').style.display, +document.querySelector('.timer').dataset.left,"
            " document.querySelector('.timer').classList.contains('running')]"
        )
        assert (
            away == "block"
            and running
            and left < int(browser.evaluate("+document.querySelector('.timer').dataset.seconds"))
        )
        browser.evaluate("document.querySelector('.away').click()")
        assert browser.evaluate("location.hash") == f"#{k}"
        assert browser.evaluate("document.querySelector('.away').style.display") == "none"
