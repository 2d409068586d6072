"""Build the trainer's answer key: one offline HTML page and its PDF (``make answer-key``).

For every lesson, in order:

* each exercise of ``cxlib.teaching.exercises.lessonNN``: the question, the **expected answer
  computed from the data** by the exercise itself (``expected()``; for a function
  exercise, the test cases with their expected results), what ``check`` accepts, the
  hints and the worked solution (``solution_code``);
* the **model answers** of the open questions and the capstone, and for each
  discussion question of ``docs/trainer-guide.md`` **what a good answer contains**:
  both from ``trainer/answers/NN.md``. In those files ``{{ lessonNN.qK }}`` (or
  ``{{ lessonNN.qK:.1f }}``) is replaced by an exercise's computed answer and
  ``{{ capstone }}`` by the capstone's business cases computed from the data, so no
  number is typed in.

The answer key goes to ``answer-key/`` (git-ignored). It is never part of the student
edition or the website: ``make html`` and ``make student`` do not read ``trainer/``.
The page loads nothing from the network (maths is MathML); the PDF is printed by
headless Chromium (``tools/headless.py``).

Usage: ``python tools/build_answer_key.py [--out answer-key] [--no-pdf] [NN ...]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import importlib
import re
import sys
from pathlib import Path
from typing import Any

import nbformat
import numpy as np
import pandas as pd
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

TOOLS = Path(__file__).resolve().parent
ROOT = TOOLS.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(TOOLS))
from build_slides import GUIDE, discussion_questions, lesson_info, md  # noqa: E402

from cxlib.teaching.exercises import (  # noqa: E402
    ChoiceExercise,
    Exercise,
    FunctionExercise,
    NumericExercise,
    OpenExercise,
    PandasExercise,
    SeriesExercise,
    SetExercise,
    exercises_of,
)

ANSWERS = ROOT / "trainer" / "answers"
_SUB = re.compile(r"\{\{\s*(lesson\d\d)\.(q\d+)(?::([^}\s]+))?\s*\}\}|\{\{\s*capstone\s*\}\}")


class AnswerKeyError(ValueError):
    """A model-answers file or a lesson the key cannot be built from (lists every problem)."""


# --- expected answers --------------------------------------------------------------
def _short(x: Any) -> str:
    """A compact, readable form of a test-case argument or result."""
    if isinstance(x, pd.DataFrame):
        return f"a table of {len(x)} rows ({', '.join(map(str, x.columns[:4]))})"
    if isinstance(x, pd.Series):
        return f"a series of {len(x)} values"
    if isinstance(x, (float, np.floating)):
        return f"{float(x):.6g}"
    text = repr(x)
    return text if len(text) <= 80 else text[:77] + "..."


_SCALE_ACCEPTS = {
    "share": "a share or the same as a percent",
    "percent": "a percent or the same as a share",
    "points": "points or the same as a share",
}


def _forms(ex: NumericExercise, value: float) -> list[str]:
    """Ways of writing ``value``, the expected answer, that ``ex.check`` marks right: tried, not assumed.

    The value rounded to three significant digits (two and one decimal for points), as a
    number and as text, and its other scale (a share as a percent, points as a share).
    """
    three = float(f"{value:.3g}")
    candidates: list = [three]
    if ex.scale == "share":
        candidates += [float(f"{100 * value:.3g}"), f"{100 * value:.3g}%"]
    elif ex.scale == "percent":
        candidates += [f"{value:.3g}%", float(f"{value / 100:.3g}")]
    elif ex.scale == "points":
        candidates = [round(value, 1), round(value), float(f"{value / 100:.3g}")]
    shown = []
    for c in dict.fromkeys(candidates):
        if ex.check(c).status == "correct":
            shown.append(repr(c) if isinstance(c, str) else f"{c:g}")
    return shown


def _accepts(ex: NumericExercise, value: float | None = None) -> str:
    """What ``check`` accepts for a numeric exercise, in words; with the expected ``value``, examples it accepts."""
    tol = []
    if ex.abs_tol:
        tol.append(f"± {ex.abs_tol:g}")
    if ex.rel_tol:
        tol.append(f"within {100 * ex.rel_tol:g}%")
    coarsest = ex._min_decimals()
    if coarsest is not None:
        tol.append("rounded to " + ("whole numbers" if coarsest == 0 else f"{coarsest} decimal(s)") + " or finer")
    text = " or ".join(tol) or "the exact value"
    if ex.scale in _SCALE_ACCEPTS:
        text += f"; {_SCALE_ACCEPTS[ex.scale]}"
    forms = _forms(ex, value) if value is not None else []
    return text + "; numbers written as text too" + (f"; for example {', '.join(forms)}" if forms else "")


def expected_html(ex: Exercise) -> str:
    """The expected answer of one exercise, computed from the data, with what ``check`` accepts."""
    if isinstance(ex, OpenExercise):
        look = "".join(f"<li>{md(x, inline=True)}</li>" for x in ex.look_for)
        own = "".join(f"<li>{md(x, inline=True)}</li>" for x in ex.self_check)
        return (
            '<div class="expected"><b>Model answer</b> (an open question: <code>check</code> notes the '
            f"answer, it cannot mark it): {md(str(ex.expected_value()), inline=True)}</div>"
            + (f"<p>A good answer contains:</p><ul>{look}</ul>" if look else "")
            + (f"<p>The learner's own checklist (shown by <code>check</code>):</p><ul>{own}</ul>" if own else "")
        )
    pandas_note = (
        f'<p class="muted">Computed by hand with pandas; the one-call cxlib equivalent, named to the learner '
        f"once the answer is right: <code>{html.escape(ex.cxlib_equivalent)}</code>.</p>"
        if isinstance(ex, PandasExercise)
        else ""
    )
    if isinstance(ex, SeriesExercise):
        value = pd.Series(ex.expected_value())
        rows = "".join(
            f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(_short(float(v)))}{html.escape(ex.unit)}</td></tr>"
            for k, v in value.items()
        )
        return (
            '<p class="expected">Expected: one number per label '
            f'<span class="muted">(check accepts {html.escape(_accepts(ex))})</span></p>'
            f"<table><tr><th>label</th><th>expected</th></tr>{rows}</table>{pandas_note}"
        )
    if isinstance(ex, FunctionExercise):
        rows = "".join(
            f"<tr><td><code>{html.escape(', '.join(_short(a) for a in args))}</code></td>"
            f"<td><code>{html.escape(_short(want))}</code></td></tr>"
            for args, want in ex.cases()
        )
        return (
            '<p class="expected">A function. <code>check</code> calls it on these cases:</p>'
            f"<table><tr><th>arguments</th><th>expected result</th></tr>{rows}</table>"
        )
    value = ex.expected_value()
    if isinstance(ex, NumericExercise):
        v = float(value)
        shown = f"{v:,.0f}" if v == round(v) and abs(v) >= 1 else f"{v:,.4g}"
        return (
            f'<p class="expected">Expected: <b>{html.escape(shown)}{html.escape(ex.unit)}</b> '
            f'<span class="muted">(check accepts {html.escape(_accepts(ex, v))})</span></p>{pandas_note}'
        )
    if isinstance(ex, ChoiceExercise):
        why = "".join(
            f"<li><code>{html.escape(k)}</code>: {md(v, inline=True)}</li>"
            for k, v in getattr(ex, "why_not", {}).items()
        )
        return (
            f'<p class="expected">Expected: <b><code>{html.escape(str(value))}</code></b> '
            f'<span class="muted">(of {", ".join(map(str, ex.choices))}; case, spaces, hyphens and '
            "underscores do not matter)</span></p>" + (f"<p>Why not the others:</p><ul>{why}</ul>" if why else "")
        )
    if isinstance(ex, SetExercise):
        return f'<p class="expected">Expected: <b>{html.escape(", ".join(map(str, value)))}</b></p>'
    return f'<p class="expected">Expected: <b>{html.escape(_short(value))}</b></p>'


def exercise_html(number: str, name: str, ex: Exercise) -> str:
    hints = "".join(f"<li>{md(h, inline=True)}</li>" for h in ex.hints)
    code = highlight(ex.solution_code, PythonLexer(), HtmlFormatter()) if ex.solution_code else ""
    return (
        f'<section class="exercise" id="ex-{number}-{name}"><h3>Exercise {name}</h3>'
        f'<div class="prompt">{md(ex.prompt)}</div>{expected_html(ex)}'
        + (f"<details open><summary>Hints</summary><ol>{hints}</ol></details>" if hints else "")
        + (f"<p>{md(ex.solution_text, inline=True)}</p>" if ex.solution_text else "")
        + (f'<div class="solution"><div class="label">Worked solution</div>{code}</div>' if code else "")
        + "</section>"
    )


# --- model answers -----------------------------------------------------------------
def capstone_html() -> str:
    """The capstone's business cases, computed: Premium at two success rates, and the whole base."""
    from cxlib.analytics.economics import business_case_from_table
    from cxlib.data import datasets

    snap = datasets.load_churn_snapshot()
    premium = snap[snap["plan"] == "Premium"].reset_index(drop=True)
    cases = {
        "Premium, success rate 0.30": business_case_from_table(premium, n_draws=500, seed=0),
        "Premium, success rate 0.15": business_case_from_table(premium, success_rate=0.15, n_draws=500, seed=0),
        "whole base, success rate 0.30": business_case_from_table(snap, n_draws=500, seed=0),
    }
    rows = ["customers_contacted", "expected_saves", "value_saved", "cost", "net", "roi"]
    head = "".join(f"<th>{html.escape(k)}</th>" for k in cases)
    body = ""
    for r in rows:
        cells = ""
        for bc in cases.values():
            est, lo, hi = bc.summary.loc[r, ["estimate", "low", "high"]]
            fmt = (lambda v: f"{100 * v:,.0f}%") if r == "roi" else (lambda v: f"{v:,.0f}")
            cells += f"<td>{fmt(est)} <span class='muted'>[{fmt(lo)}, {fmt(hi)}]</span></td>"
        body += f"<tr><th>{r.replace('_', ' ')}</th>{cells}</tr>"
    return (
        f"<table class='capstone'><tr><th>metric (USD; 95% interval)</th>{head}</tr>{body}</table>"
        "<p class='muted'>Computed by the answer key with <code>business_case_from_table(..., n_draws=500, "
        "seed=0)</code> on the bundled snapshot, margin 35%, offer 10 USD.</p>"
    )


def _substitute(text: str, where: str) -> str:
    """Replace ``{{ lessonNN.qK[:fmt] }}`` by the computed answer and ``{{ capstone }}`` by a marker."""

    def repl(m: re.Match) -> str:
        if m.group(1) is None:
            return "\n\nCXCAPSTONEHTML\n\n"
        mod = importlib.import_module(f"cxlib.teaching.exercises.{m.group(1)}")
        ex = exercises_of(mod).get(m.group(2))
        if ex is None:
            raise AnswerKeyError(f"{where}: {m.group(0)} names no exercise of cxlib.teaching.exercises.{m.group(1)}")
        value = ex.expected_value()
        return format(value, m.group(3)) if m.group(3) else str(value)

    return _SUB.sub(repl, text)


def model_answers(number: str, questions: list[str]) -> tuple[list[str], str]:
    """(good answers to the discussion questions, open-question answers as HTML) from trainer/answers/NN.md."""
    path = ANSWERS / f"{number}.md"
    where = f"trainer/answers/{number}.md"
    if not path.exists():
        raise AnswerKeyError(f"{where} is missing: write what a good answer to each discussion question contains")
    text = _substitute(path.read_text(encoding="utf-8"), where)
    disc = re.search(r"^## Discussion\s*\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    opened = re.search(r"^## Open questions\s*\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    good = []
    if disc:
        good = [re.sub(r"^\d+\.\s+", "", it).strip() for it in re.split(r"\n(?=\d+\. )", disc.group(1).strip())]
    if len(good) != len(questions):
        raise AnswerKeyError(
            f"{where}: {len(good)} good answers under '## Discussion' for the {len(questions)} "
            f"discussion questions of lesson {number} in docs/trainer-guide.md; number them 1., 2., ..."
        )
    open_html = md(opened.group(1)) if opened else ""
    if "CXCAPSTONEHTML" in open_html:
        open_html = re.sub(r"(<p>)?CXCAPSTONEHTML(</p>)?", lambda m: capstone_html(), open_html)
    return good, open_html


# --- the page ----------------------------------------------------------------------
CSS = """
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1d232a;background:#fff}
main{max-width:960px;margin:0 auto;padding:24px 32px 64px}
h1{color:#0072B2;margin-bottom:.2em}h2{color:#0072B2;border-bottom:2px solid #0072B2;padding-bottom:4px;margin-top:2em}
h3{margin:1.4em 0 .4em}
.warning{border:2px solid #D55E00;background:#fdf0e8;padding:10px 14px;border-radius:6px}
.expected{background:#eef8f3;border-left:6px solid #009E73;padding:8px 12px}
.muted{color:#667;font-weight:normal}
.solution{margin:.6em 0}.solution .label{font-weight:600;color:#8250df;margin-bottom:2px}
.highlight pre{background:#f6f8fa;padding:10px 12px;border-radius:6px;overflow-x:auto;font-size:14px;white-space:pre-wrap}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
.discussion li{margin-bottom:.8em}.good{background:#fff7e6;border-left:6px solid #E69F00;padding:6px 12px;margin-top:4px}
nav.toc a{margin-right:12px}
code{background:#eef2f6;padding:0 .2em;border-radius:3px}
@media print{@page{size:A4;margin:14mm}h2{break-before:page}.exercise,.discussion li{break-inside:avoid}a{color:inherit}}
"""


def lesson_html(number: str, guide: dict[str, list[str]]) -> str:
    path = next((ROOT / "notebooks").glob(f"{number}_*.ipynb"))
    nb = nbformat.read(path, as_version=4)
    info = lesson_info(nb, path)
    mod = importlib.import_module(f"cxlib.teaching.exercises.lesson{number}")
    questions = guide.get(number, [])
    good, open_html = model_answers(number, questions)
    parts = [f'<h2 id="lesson-{number}">{number} · {md(info["title"], inline=True)}</h2>', "<h3>Exercises</h3>"]
    parts += [exercise_html(number, name, ex) for name, ex in exercises_of(mod).items()]
    if open_html:
        parts.append(f'<div class="open">{open_html}</div>')
    if questions:
        items = "".join(
            f"<li>{md(q)}<div class='good'><b>A good answer contains:</b> {md(g)}</div></li>"
            for q, g in zip(questions, good)
        )
        parts.append(f"<h3>Discussion questions</h3><ol class='discussion'>{items}</ol>")
    return "\n".join(parts)


def build(out: Path, numbers: list[str] | None = None, pdf: bool = True) -> dict[str, Path]:
    """Write ``answer-key.html`` (and ``answer-key.pdf``) into ``out``; returns the paths."""
    guide = discussion_questions(GUIDE.read_text(encoding="utf-8"))
    lessons = sorted(p.stem[:2] for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if numbers:
        lessons = [n for n in lessons if n in numbers]
    problems, sections = [], []
    for number in lessons:
        try:
            sections.append(lesson_html(number, guide))
        except AnswerKeyError as err:
            problems.append(str(err))
    if problems:
        raise AnswerKeyError("\n".join(problems))
    toc = " ".join(f'<a href="#lesson-{n}">{n}</a>' for n in lessons)
    page = (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Answer key · CX analytics course'
        f'</title><meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}'
        f"{HtmlFormatter().get_style_defs('.highlight')}</style></head><body><main>"
        '<h1>Answer key</h1><p class="warning"><b>For trainers only.</b> Every exercise\'s expected answer, '
        "computed from the bundled data, its worked solution, model answers to the open questions and the "
        "capstone, and what a good answer to each discussion question contains. Do not hand it out or publish "
        "it; the student edition and the website never include it.</p>"
        f'<p class="muted">Built {dt.date.today().isoformat()} from the course in this folder.</p>'
        f'<nav class="toc">Lessons: {toc}</nav>{"".join(sections)}</main></body></html>\n'
    )
    out.mkdir(parents=True, exist_ok=True)
    written = {"html": out / "answer-key.html"}
    written["html"].write_text(page, encoding="utf-8")
    if pdf:
        from headless import Chromium

        with Chromium(1280, 900) as browser:
            browser.goto(written["html"].resolve().as_uri())
            written["pdf"] = browser.pdf(out / "answer-key.pdf", preferCSSPageSize=True)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("lessons", nargs="*", help="lesson numbers (default: all)")
    ap.add_argument("--out", type=Path, default=ROOT / "answer-key")
    ap.add_argument("--no-pdf", action="store_true", help="write the HTML only (no Chromium needed)")
    args = ap.parse_args(argv)
    try:
        written = build(args.out, args.lessons or None, pdf=not args.no_pdf)
    except AnswerKeyError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    for p in written.values():
        print(f"  {p}")
    print(f"==> answer key written to {args.out}/ (trainers only: do not publish it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
