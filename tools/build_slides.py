"""Build one offline slide deck per lesson from its slides source (``make slides``).

A deck is written for a room, not dumped from the notebook. Its source is
``trainer/slides/NN.yml`` (the format is in ``trainer/slides/README.md``); the deck is
put together from four places, so nothing is copied by hand:

* the **title slide** (lesson number, title, minutes, source articles) and the
  **summary** (the lesson's *Key ideas*) come from the executed notebook;
* **figures** come from the notebook's outputs, by the cell tag ``slide-fig-<name>``
  that ``tools/tag_slides.py`` puts on the cell matched in the source;
* **exercise slides** show the exercise's question (``cxlib.teaching.exercises``, or a shorter
  ``question`` from the source) and a countdown timer, never code;
* **discussion slides** show the lesson's discussion questions from
  ``docs/trainer-guide.md``, one per slide.

Every slide is a 1280x720 page (scaled to the screen), with big text and one idea; a
table of more than :data:`TABLE_ROWS` rows is split over several slides. Maths is
MathML (:mod:`cxlib.teaching.maths`). The deck is one HTML file with its own CSS and script and
loads nothing from the network. Keys: arrows, space, Page Up/Down, Home/End; ``t``
starts or pauses the timer of an exercise slide; the slide number is kept in the
address (``#12``). Printing gives one slide per page (``make handouts``).

Usage: ``python tools/build_slides.py [--out slides] [--handouts handouts] [NN ...]``
"""

from __future__ import annotations

import argparse
import html
import importlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import mistune
import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from cxlib.teaching.maths import protect_math  # noqa: E402

SOURCES = ROOT / "trainer" / "slides"
GUIDE = ROOT / "docs" / "trainer-guide.md"
#: Body rows of a table on one slide; longer tables continue on the next slide.
TABLE_ROWS = 6
#: Slide kinds a source may use (title, agenda and summary are added by the build).
KINDS = ("figure", "points", "table", "exercise", "discussion", "code")
FIG_TAG = "slide-fig-"

_md = mistune.create_markdown(plugins=["table", "strikethrough"], escape=False)


class SlideSourceError(ValueError):
    """A slides source or lesson the deck cannot be built from; lists every problem."""


def md(text: str, inline: bool = False) -> str:
    """Markdown to HTML with maths as MathML; ``inline`` drops the outer paragraph."""
    protected, restore = protect_math(str(text))
    out = restore(_md(protected)).strip()
    if inline and out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out


# --- reading the sources -------------------------------------------------------------
def lesson_path(number: str) -> Path:
    found = sorted((ROOT / "notebooks").glob(f"{number}_*.ipynb"))
    if len(found) != 1:
        raise SlideSourceError(f"lesson {number}: expected one notebooks/{number}_*.ipynb, found {len(found)}")
    return found[0]


def load_source(path: Path) -> dict:
    """Read and check one slides source; raises :class:`SlideSourceError` listing every problem."""
    try:
        src = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SlideSourceError(f"{path}: not valid YAML ({exc})") from None
    problems = []
    if not isinstance(src, dict):
        raise SlideSourceError(f"{path}: expected a mapping with lesson, agenda and slides")
    if str(src.get("lesson", "")) != path.stem:
        problems.append(f"'lesson' must be \"{path.stem}\" (the file name), not {src.get('lesson')!r}")
    if not isinstance(src.get("agenda"), list) or not src["agenda"]:
        problems.append("'agenda' must be a list of the lesson's parts, as the room will hear them")
    slides = src.get("slides")
    if not isinstance(slides, list) or not slides:
        problems.append("'slides' must be a list of slides")
        slides = []
    for i, s in enumerate(slides, start=1):
        kinds = [k for k in KINDS if isinstance(s, dict) and k in s]
        if len(kinds) != 1:
            problems.append(f"slide {i}: give exactly one of {', '.join(KINDS)} (got {s!r:.80})")
            continue
        kind = kinds[0]
        need = {
            "figure": ("match", "title", "takeaway"),
            "points": ("title", "bullets"),
            "table": ("title", "table"),
            "exercise": ("minutes",),
            "code": ("title", "code"),
        }.get(kind, ())
        missing = [k for k in need if not s.get(k)]
        if missing:
            problems.append(f"slide {i} ({kind}): missing {', '.join(missing)}")
        if kind == "figure" and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", str(s["figure"])):
            problems.append(f"slide {i}: figure name {s['figure']!r} must be lower-case letters, digits and '-'")
    if problems:
        raise SlideSourceError(f"{path}:\n  - " + "\n  - ".join(problems))
    return src


def load_sources(numbers: list[str] | None = None) -> dict[str, dict]:
    """Every slides source (``trainer/slides/NN.yml``), by lesson number."""
    paths = sorted(SOURCES.glob("[0-9][0-9].yml"))
    if numbers:
        paths = [p for p in paths if p.stem in numbers]
    return {p.stem: load_source(p) for p in paths}


def discussion_questions(guide: str) -> dict[str, list[str]]:
    """The trainer guide's discussion questions, by lesson number (Markdown, one per question)."""
    out: dict[str, list[str]] = {}
    for m in re.finditer(r"^### (\d\d) · .*?$(.*?)(?=^### |^## |^---|\Z)", guide, re.S | re.M):
        d = re.search(r"\*\*Discussion questions\.\*\*\n(.*?)(?=\n\s*\n\*\*|\Z)", m.group(2), re.S)
        if d:
            items = re.split(r"\n(?=\d+\. )", d.group(1).strip())
            out[m.group(1)] = [re.sub(r"^\d+\.\s+", "", it).replace("\n   ", "\n").strip() for it in items]
    return out


#: A timed activity in the "how" column of the guide's timing table: ``q4 (3 min)``, ``discussion 1 (4 min)``.
_TIMED = re.compile(r"\b(q\d+|discussion \d+) \((\d+) min\)")


def guide_timings(guide: str) -> dict[str, list[tuple[str, int, dict[str, int]]]]:
    """Each lesson's timing table in the trainer guide: (section, minutes, its timed activities) per row.

    The guide is where a lesson's minutes are planned; a deck's timers must be those
    (:func:`timing_problems`), so that the slides never run a room past the plan.
    """
    out: dict[str, list[tuple[str, int, dict[str, int]]]] = {}
    for m in re.finditer(r"^### (\d\d) · .*?$(.*?)(?=^### |^## |^---|\Z)", guide, re.S | re.M):
        table = re.search(r"\*\*Timing[^\n]*\n\n(.*?)(?=\n\s*\n|\Z)", m.group(2), re.S)
        rows = re.findall(r"^\| (.+?) \| (\d+) \| (.*?) \|$", table.group(1), re.M) if table else []
        out[m.group(1)] = [(sec, int(mins), {k: int(v) for k, v in _TIMED.findall(how)}) for sec, mins, how in rows]
    return out


def timing_problems(number: str, src: dict, timings: dict, questions: dict[str, list[str]]) -> list[str]:
    """Where a deck's timers differ from the guide's timing table (every timed exercise and discussion)."""
    rows = timings.get(number, [])
    planned = {k: v for _, _, timed in rows for k, v in timed.items()}
    problems = [
        f"the guide's row {sec!r} times {sum(timed.values())} minutes of activities in {mins}"
        for sec, mins, timed in rows
        if sum(timed.values()) > mins
    ]
    timers: dict[str, int] = {}
    for s in src.get("slides", []):
        if "exercise" in s:
            timers[str(s["exercise"])] = int(s["minutes"])
        elif "discussion" in s and s.get("minutes"):
            which = range(1, len(questions.get(number, [])) + 1) if s["discussion"] == "all" else [s["discussion"]]
            timers.update({f"discussion {q}": int(s["minutes"]) for q in which})
    for item in sorted(set(timers) | set(planned)):
        if timers.get(item) != planned.get(item):
            deck = f"{timers[item]} min" if item in timers else "no timer"
            guide = f"{planned[item]} min" if item in planned else "not in its timing table"
            problems.append(f"{item}: the deck gives {deck}, the guide {guide}")
    return problems


def key_ideas(nb) -> list[str]:
    """The bullets of the lesson's *Key ideas* section."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        m = re.search(r"^## Key ideas\s*\n(.*?)(?=^#|\Z)", cell.source, re.S | re.M)
        if m:
            return [re.sub(r"^[-*]\s+", "", b).strip() for b in re.split(r"\n(?=[-*] )", m.group(1).strip())]
    return []


def lesson_info(nb, path: Path) -> dict:
    title = ""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "cx-nav" not in cell.metadata.get("tags", []):
            m = re.search(r"^#\s+\d\d\s*·\s*(.+)$", cell.source, flags=re.M)
            if m:
                title = m.group(1).strip()
                break
    cx = nb.metadata.get("cx", {})
    return {
        "number": path.stem[:2],
        "title": title,
        "minutes": cx.get("minutes"),
        "sources": sorted(cx.get("sources", [])),
    }


def figure_of(nb, name: str, where: str) -> str:
    """The ``<img>`` of the cell tagged ``slide-fig-<name>`` (its first figure)."""
    tag = FIG_TAG + name
    cells = [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise SlideSourceError(
            f"{where}: {len(cells)} cells are tagged {tag!r} (need exactly one); "
            "run `python tools/tag_slides.py` after editing the lesson or the slides source"
        )
    for out in cells[0].get("outputs", []):
        data = out.get("data", {})
        if "image/png" in data:
            return f'<img alt="{html.escape(name)}" src="data:image/png;base64,{data["image/png"].strip()}">'
        if "image/svg+xml" in data:
            svg = data["image/svg+xml"]
            return svg if isinstance(svg, str) else "".join(svg)
    raise SlideSourceError(f"{where}: the cell tagged {tag!r} has no figure in its outputs; execute the lesson")


# --- slides --------------------------------------------------------------------------
@dataclass
class Slide:
    kind: str
    body: str
    title: str = ""
    minutes: int | None = None

    @property
    def shows_code(self) -> bool:
        return "<pre" in self.body


def _density(text_html: str) -> str:
    n = len(re.sub(r"<[^>]+>", "", text_html))
    return "dense" if n > 480 else ("roomy" if n < 220 else "")


def _timer(minutes: int | None) -> str:
    if not minutes:
        return ""
    secs = int(round(float(minutes) * 60))
    return (
        f'<button class="timer" data-seconds="{secs}" title="t: start or pause">'
        f'<span class="clock">{secs // 60:02d}:{secs % 60:02d}</span><span class="how">press T to start</span></button>'
    )


def _table_slides(title: str, table: str, caption: str = "") -> list[Slide]:
    lines = [ln for ln in table.strip().splitlines() if ln.strip()]
    if len(lines) < 3 or not re.match(r"^\|?\s*:?-{3,}", lines[1]):
        raise SlideSourceError(f"table slide {title!r}: write a Markdown table (header, --- line, rows)")
    head, rows = lines[:2], lines[2:]
    parts = [rows[i : i + TABLE_ROWS] for i in range(0, len(rows), TABLE_ROWS)]
    out = []
    for k, part in enumerate(parts, start=1):
        t = title + (f" ({k}/{len(parts)})" if len(parts) > 1 else "")
        body = md("\n".join(head + part)) + (f'<p class="takeaway">{md(caption, inline=True)}</p>' if caption else "")
        out.append(Slide("table", f"<h2>{md(t, inline=True)}</h2>{body}", t))
    return out


def build_slides(number: str, src: dict, nb, path: Path, guide_questions: dict[str, list[str]]) -> list[Slide]:
    """The slides of one lesson, in order."""
    info = lesson_info(nb, path)
    where = f"trainer/slides/{number}.yml"
    slides: list[Slide] = []
    arts = ", ".join(info["sources"])
    slides.append(
        Slide(
            "title",
            (
                f'<div class="kicker">Lesson {number} · {info["minutes"]} minutes · articles {arts}</div>'
                f"<h1>{md(info['title'], inline=True)}</h1>"
                + (f'<p class="subtitle">{md(src["subtitle"], inline=True)}</p>' if src.get("subtitle") else "")
                + '<p class="brand">CX analytics · Simorgh Mobile (simulated data)</p>'
            ),
            info["title"],
        )
    )
    items = "".join(f"<li>{md(a, inline=True)}</li>" for a in src["agenda"])
    slides.append(Slide("agenda", f'<h2>Today</h2><ol class="agenda">{items}</ol>', "Agenda"))
    module = None
    problems = []
    for i, s in enumerate(src["slides"], start=1):
        kind = next(k for k in KINDS if k in s)
        try:
            if kind == "figure":
                img = figure_of(nb, str(s["figure"]), f"{where}, slide {i}")
                slides.append(
                    Slide(
                        "figure",
                        f'<h2>{md(s["title"], inline=True)}</h2><div class="fig">{img}</div>'
                        f'<p class="takeaway">{md(s["takeaway"], inline=True)}</p>',
                        s["title"],
                    )
                )
            elif kind == "points":
                bullets = "".join(f"<li>{md(b, inline=True)}</li>" for b in s["bullets"])
                note = f'<p class="takeaway">{md(s["note"], inline=True)}</p>' if s.get("note") else ""
                body = f"<ul>{bullets}</ul>{note}"
                slides.append(
                    Slide(
                        "points",
                        f'<h2>{md(s["title"], inline=True)}</h2><div class="text {_density(body)}">{body}</div>',
                        s["title"],
                    )
                )
            elif kind == "table":
                slides += _table_slides(s["title"], s["table"], s.get("note", ""))
            elif kind == "code":
                code = html.escape(str(s["code"]).rstrip())
                note = f'<p class="takeaway">{md(s["note"], inline=True)}</p>' if s.get("note") else ""
                slides.append(
                    Slide(
                        "code", f'<h2>{md(s["title"], inline=True)}</h2><pre class="cmd">{code}</pre>{note}', s["title"]
                    )
                )
            elif kind == "exercise":
                if module is None:
                    module = importlib.import_module(f"cxlib.teaching.exercises.lesson{number}")
                ex = getattr(module, str(s["exercise"]), None)
                if ex is None:
                    raise SlideSourceError(
                        f"{where}, slide {i}: cxlib.teaching.exercises.lesson{number} has no {s['exercise']}"
                    )
                question = s.get("question") or ex.prompt
                body = f'<div class="question">{md(question)}</div>'
                slides.append(
                    Slide(
                        "exercise",
                        (
                            f'<h2><span class="tag">Exercise {html.escape(str(s["exercise"]))}</span> '
                            f"{md(s.get('title', 'Your turn'), inline=True)}</h2>"
                            f'<div class="text {_density(body)}">{body}</div>'
                            f'<div class="exfoot"><span>In the notebook: <b>ex.{html.escape(str(s["exercise"]))}</b> · '
                            f"replace ____ · check · hint</span>{_timer(s['minutes'])}</div>"
                        ),
                        f"Exercise {s['exercise']}",
                        int(s["minutes"]),
                    )
                )
            elif kind == "discussion":
                qs = guide_questions.get(number, [])
                if not qs:
                    raise SlideSourceError(
                        f"{where}, slide {i}: docs/trainer-guide.md has no discussion questions for lesson {number}"
                    )
                which = range(1, len(qs) + 1) if s["discussion"] == "all" else [int(s["discussion"])]
                for k in which:
                    if not 1 <= k <= len(qs):
                        raise SlideSourceError(
                            f"{where}, slide {i}: the guide has {len(qs)} discussion questions "
                            f"for lesson {number}, not {k}"
                        )
                    text = (s.get("room") if s["discussion"] != "all" else None) or qs[k - 1]
                    body = f'<div class="question">{md(text)}</div>'
                    slides.append(
                        Slide(
                            "discussion",
                            (
                                f'<h2><span class="tag discuss">Discuss</span> Question {k} of {len(qs)}</h2>'
                                f'<div class="text {_density(body)}">{body}</div>'
                                + (
                                    f'<div class="exfoot"><span></span>{_timer(s.get("minutes"))}</div>'
                                    if s.get("minutes")
                                    else ""
                                )
                            ),
                            f"Discussion {k}",
                            s.get("minutes"),
                        )
                    )
        except SlideSourceError as err:
            problems.append(str(err))
    if problems:
        raise SlideSourceError("\n".join(problems))
    ideas = key_ideas(nb)
    if not ideas:
        raise SlideSourceError(f"{path.name}: no '## Key ideas' section for the summary slide")
    body = "<ul>" + "".join(f"<li>{md(b, inline=True)}</li>" for b in ideas) + "</ul>"
    slides.append(Slide("summary", f'<h2>Key ideas</h2><div class="text {_density(body)}">{body}</div>', "Key ideas"))
    return slides


# --- the deck ------------------------------------------------------------------------
CSS = """
*{box-sizing:border-box}
html,body{margin:0;height:100%;background:#20252b;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1d232a}
.slide{position:absolute;left:0;top:0;width:1280px;height:720px;padding:40px 64px 64px;background:#fff;overflow:hidden;
 display:none;flex-direction:column;transform-origin:0 0;font-size:30px;line-height:1.35}
.slide.active{display:flex}
.slide h1{font-size:60px;line-height:1.1;color:#0072B2;margin:0 0 24px}
.slide h2{font-size:40px;line-height:1.15;color:#0072B2;margin:0 0 18px;flex:none}
.slide ul,.slide ol{margin:0;padding-left:1.2em}.slide li{margin:0 0 .45em}
.slide p{margin:0 0 .5em}
.slide code{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.88em;background:#eef2f6;padding:0 .15em;border-radius:4px}
.slide pre{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:26px;background:#f2f4f7;
  padding:18px 22px;border-radius:8px;margin:0 0 16px;white-space:pre-wrap}
.slide table{border-collapse:collapse;font-size:26px;margin:0 0 14px}
.slide th,.slide td{border-bottom:1px solid #cfd6de;padding:6px 14px;text-align:left;vertical-align:top}
.slide th{color:#445}
.slide .text{flex:1;min-height:0}
.slide .text.dense{font-size:26px}.slide .text.roomy{font-size:34px}
.slide .fig{flex:1;min-height:0;display:flex;align-items:center;justify-content:center}
.slide .fig img,.slide .fig svg{width:100%;height:100%;object-fit:contain}
.slide .takeaway{flex:none;margin:14px 0 0;padding:10px 18px;border-left:8px solid #E69F00;background:#fff7e6;font-size:28px}
.slide .kicker{font-size:26px;color:#667;margin-top:120px;margin-bottom:18px;text-transform:uppercase;letter-spacing:.04em}
.slide .subtitle{font-size:34px;color:#333}
.slide .brand{margin-top:auto;color:#889;font-size:22px}
.slide .agenda li{margin-bottom:.35em}
.slide .tag{display:inline-block;font-size:24px;vertical-align:middle;background:#009E73;color:#fff;padding:4px 12px;border-radius:6px;margin-right:8px}
.slide .tag.discuss{background:#CC79A7}
.slide .question{font-size:1em}
.slide .exfoot{flex:none;display:flex;align-items:center;justify-content:space-between;gap:24px;font-size:22px;color:#556}
.timer{font:inherit;border:3px solid #009E73;border-radius:14px;background:#f1fbf7;padding:6px 20px;cursor:pointer;
  color:#1d232a;display:flex;align-items:baseline;gap:14px}
.timer .clock{font-size:54px;font-weight:700;font-variant-numeric:tabular-nums}
.timer .how{font-size:18px;color:#667}
.timer.running{border-color:#0072B2;background:#eef6fc}.timer.done{border-color:#D55E00;background:#fdf0e8}
.slide .foot{position:absolute;left:64px;right:64px;bottom:18px;display:flex;justify-content:space-between;font-size:18px;color:#8a939c}
.away{display:none;position:fixed;top:12px;right:16px;z-index:9;font:600 22px system-ui,sans-serif;color:#0b4f7a;
  background:#eef6fc;border:2px solid #0072B2;border-radius:10px;padding:4px 12px;cursor:pointer}
math{font-size:1.05em}
@media print{
 @page{size:1280px 720px;margin:0}
 html,body{background:#fff;height:auto}
 .slide{display:flex!important;position:relative;transform:none!important;break-after:page;page-break-after:always}
 .timer .how,.away{display:none!important}
}
"""

JS = """
(function(){
 var s=[].slice.call(document.querySelectorAll('.slide')),i=0,tick=null,run=null;
 var away=document.createElement('div');away.className='away';document.body.appendChild(away);
 function corner(){var b=run,k=b?s.indexOf(b.closest('.slide')):-1;
  away.style.display=b&&k!==i?'block':'none';if(b)away.textContent=fmt(+b.dataset.left)+' left \u00b7 slide '+(k+1);}
 away.addEventListener('click',function(e){e.stopPropagation();if(run)show(s.indexOf(run.closest('.slide')));});
 function fit(){var k=Math.min(innerWidth/1280,innerHeight/720),x=(innerWidth-1280*k)/2,y=(innerHeight-720*k)/2;
  s.forEach(function(e){e.style.transform='translate('+x+'px,'+y+'px) scale('+k+')';});}
 function fmt(t){t=Math.max(0,t);return ('0'+Math.floor(t/60)).slice(-2)+':'+('0'+t%60).slice(-2);}
 function timer(){return s[i].querySelector('.timer');}
 function pause(b){clearInterval(tick);tick=null;run=null;b.classList.remove('running');
  b.querySelector('.how').textContent='paused: T to go on';corner();}
 function toggle(b){if(!b)return;
  if(b.classList.contains('running')){pause(b);return;}
  if(run)pause(run);  // one countdown at a time
  if(b.classList.contains('done')){b.dataset.left=b.dataset.seconds;b.classList.remove('done');}
  var left=+(b.dataset.left||b.dataset.seconds);b.dataset.left=left;run=b;
  b.classList.add('running');b.querySelector('.how').textContent='T to pause';
  tick=setInterval(function(){left-=1;b.dataset.left=left;b.querySelector('.clock').textContent=fmt(left);
   if(left<=0){clearInterval(tick);tick=null;run=null;b.classList.remove('running');b.classList.add('done');
    b.querySelector('.how').textContent='time';away.style.display='none';}else{corner();}},1000);}
 // a countdown keeps running when the trainer moves to another slide: a corner clock shows it there
 function show(n){i=Math.max(0,Math.min(s.length-1,n));s.forEach(function(e,k){e.classList.toggle('active',k===i);});
  history.replaceState(null,'','#'+(i+1));corner();}
 document.addEventListener('keydown',function(e){
  if(['ArrowRight','PageDown',' ','ArrowDown'].indexOf(e.key)>=0){show(i+1);e.preventDefault();}
  else if(['ArrowLeft','PageUp','ArrowUp'].indexOf(e.key)>=0){show(i-1);e.preventDefault();}
  else if(e.key==='Home'){show(0);}else if(e.key==='End'){show(s.length-1);}
  else if(e.key==='t'||e.key==='T'){toggle(timer()||run);}});
 document.addEventListener('click',function(e){var b=e.target.closest('.timer');if(b){toggle(b);return;}
  if(e.target.tagName!=='A'){show(e.clientX>innerWidth/2?i+1:i-1);}});
 window.addEventListener('resize',fit);fit();window.cxShow=function(n){show(n-1);};
 show((parseInt(location.hash.slice(1))||1)-1);
})();
"""


#: JavaScript that shows each slide in turn and reports what does not fit its 1280x720 page:
#: any element outside the slide's content box (the page minus its padding; the footer
#: excepted), and any text or figure area whose content is taller than the area.
MEASURE_JS = """
(() => {
  const slides = [...document.querySelectorAll('.slide')];
  const report = slides.map((s, k) => {
    slides.forEach(e => e.classList.toggle('active', e === s));
    const r = s.getBoundingClientRect(), cs = getComputedStyle(s);
    const box = {top: r.top + parseFloat(cs.paddingTop) - 1, left: r.left + parseFloat(cs.paddingLeft) - 1,
                 right: r.right - parseFloat(cs.paddingRight) + 1, bottom: r.bottom - parseFloat(cs.paddingBottom) + 1};
    const problems = [];
    if (Math.round(r.width) !== 1280 || Math.round(r.height) !== 720) problems.push(`page is ${r.width}x${r.height}`);
    if (s.scrollHeight > s.clientHeight + 1 || s.scrollWidth > s.clientWidth + 1)
      problems.push(`content ${s.scrollWidth}x${s.scrollHeight} scrolls`);
    s.querySelectorAll('*').forEach(el => {
      if (el.closest('.foot')) return;
      const b = el.getBoundingClientRect();
      if (b.width === 0 || b.height === 0) return;
      if (b.bottom > box.bottom || b.right > box.right || b.left < box.left || b.top < box.top)
        problems.push(`<${el.tagName.toLowerCase()}> "${(el.textContent || el.alt || '').trim().slice(0, 40)}" ` +
                      `ends ${Math.round(Math.max(b.bottom - box.bottom, b.right - box.right))}px outside`);
    });
    s.querySelectorAll('.text, .fig').forEach(el => {
      if (el.scrollHeight > el.clientHeight + 1) problems.push(`.${el.className.split(' ')[0]} needs ${el.scrollHeight - el.clientHeight}px more`);
    });
    const fig = s.querySelector('.fig img, .fig svg');
    if (fig && fig.getBoundingClientRect().height < 250) problems.push('figure drawn under 250px high');
    const px = [...s.querySelectorAll('p, li, td, th, .question')].map(e => parseFloat(getComputedStyle(e).fontSize));
    return {slide: k + 1, kind: s.dataset.kind, title: (s.querySelector('h1, h2') || {}).textContent || '',
            code: !!s.querySelector('pre'), minFont: px.length ? Math.min(...px) : null,
            problems: [...new Set(problems)].slice(0, 4)};
  });
  slides.forEach((e, k) => e.classList.toggle('active', k === 0));
  return report;
})()
"""


def deck_html(slides: list[Slide], number: str, title: str) -> str:
    """A complete, offline HTML deck."""
    n = len(slides)
    parts = []
    for k, s in enumerate(slides, start=1):
        foot = (
            ""
            if s.kind == "title"
            else (f'<div class="foot"><span>{number} · {html.escape(title)}</span><span>{k} / {n}</span></div>')
        )
        parts.append(f'<section class="slide {s.kind}" data-kind="{s.kind}">{s.body}{foot}</section>')
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{number} · {html.escape(title)}'
        f'</title><meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style>'
        f"</head><body>{''.join(parts)}<script>{JS}</script></body></html>\n"
    )


def build(out: Path, numbers: list[str] | None = None) -> list[Path]:
    """Write one deck per slides source into ``out``; returns the decks written."""
    out.mkdir(parents=True, exist_ok=True)
    text = GUIDE.read_text(encoding="utf-8")
    guide, timings = discussion_questions(text), guide_timings(text)
    written, problems = [], []
    sources = load_sources(numbers)
    if not sources:
        raise SlideSourceError(f"no slides source found in {SOURCES} (trainer/slides/NN.yml)")
    for number, src in sources.items():
        timing = timing_problems(number, src, timings, guide)
        if timing:
            problems.append(f"trainer/slides/{number}.yml against docs/trainer-guide.md:\n  - " + "\n  - ".join(timing))
            continue
        path = lesson_path(number)
        nb = nbformat.read(path, as_version=4)
        try:
            slides = build_slides(number, src, nb, path, guide)
        except SlideSourceError as err:
            problems.append(str(err))
            continue
        target = out / f"{path.stem}.html"
        target.write_text(deck_html(slides, number, lesson_info(nb, path)["title"]), encoding="utf-8")
        written.append(target)
    if problems:
        raise SlideSourceError("\n".join(problems))
    return written


#: Four slides on each landscape A4 sheet (two by two, each framed), for handouts a room can afford to print.
_FOUR_UP = """
(function(){
 var st=document.createElement('style');
 st.textContent='@media print{@page{size:A4 landscape;margin:10mm}}'+
  '.sheet{display:grid;grid-template-columns:1fr 1fr;gap:6mm;break-inside:avoid;break-after:page;page-break-after:always}'+
  '.sheet .slide{zoom:0.4;position:relative!important;transform:none!important;display:flex!important;'+
  'border:2px solid #ccd;break-after:auto!important;page-break-after:auto!important}';
 document.head.appendChild(st);
 var s=[].slice.call(document.querySelectorAll('.slide'));
 for(var i=0;i<s.length;i+=4){var sh=document.createElement('div');sh.className='sheet';
  s[i].parentNode.insertBefore(sh,s[i]);s.slice(i,i+4).forEach(function(e){sh.appendChild(e);});}
 return s.length;
})()
"""


def handouts(decks: list[Path], out: Path, per_page: int = 1) -> list[Path]:
    """Print each deck to PDF with headless Chromium: one slide per page, or four per landscape A4 sheet."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from headless import Chromium

    if per_page not in (1, 4):
        raise SlideSourceError(f"handouts print 1 or 4 slides per page, not {per_page}")
    out.mkdir(parents=True, exist_ok=True)
    pdfs = []
    with Chromium(1280, 720) as browser:
        for deck in decks:
            browser.goto(deck.resolve().as_uri())
            if per_page == 4:
                browser.evaluate(_FOUR_UP)
            pdfs.append(browser.pdf(out / f"{deck.stem}{'' if per_page == 1 else '-4up'}.pdf"))
    return pdfs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("lessons", nargs="*", help="lesson numbers (default: every slides source)")
    ap.add_argument("--out", type=Path, default=ROOT / "slides")
    ap.add_argument("--handouts", type=Path, help="also print each deck to PDF into this folder")
    ap.add_argument(
        "--per-page", type=int, default=1, choices=[1, 4], help="slides on each handout page (4: landscape A4)"
    )
    args = ap.parse_args(argv)
    try:
        decks = build(args.out, args.lessons or None)
    except SlideSourceError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    for p in decks:
        print(f"  {p}")
    print(f"==> {len(decks)} slide decks written to {args.out}/ (open one in a browser; works offline)")
    if args.handouts:
        for p in handouts(decks, args.handouts, args.per_page):
            print(f"  {p}")
        layout = "one slide per page" if args.per_page == 1 else "four slides on each A4 page"
        print(f"==> handouts ({layout}) written to {args.handouts}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
