#!/usr/bin/env python
"""Tag the figure cells that the slide decks show (``slide-fig-<name>``).

Each figure slide of ``trainer/slides/NN.yml`` names its figure and gives ``match``: a
piece of the code that draws it (a plotting call or the figure's title), copied from
the cell. For each lesson this script finds the one code cell containing that text
and tags it ``slide-fig-<name>``; a tag left on any other cell (an edited lesson, a
figure renamed or dropped from the slides) is removed. Cells are found by content,
never by position, so the script can be re-run whenever a lesson or a slides source
changes; a second run changes nothing.

It stops with exit code 2, and writes nothing, when a ``match`` finds no cell, finds
more than one, or finds a cell without a figure in its outputs: the message names the
slides source, the figure and what to do.

Usage: ``python tools/tag_slides.py [--check] [NN ...]`` (``--check`` changes nothing
and exits 1 if a notebook would change).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_slides import FIG_TAG, ROOT, SlideSourceError, lesson_path, load_sources


def _has_figure(cell) -> bool:
    return any({"image/png", "image/svg+xml"} & set(o.get("data", {})) for o in cell.get("outputs", []))


def plan(number: str, src: dict, nb) -> tuple[dict[int, set[str]], list[str]]:
    """The figure tags each cell should carry, and the problems found."""
    wanted: dict[int, set[str]] = {}
    problems = []
    for i, s in enumerate(src["slides"], start=1):
        if "figure" not in s:
            continue
        name, match = str(s["figure"]), str(s["match"])
        hits = [k for k, c in enumerate(nb.cells) if c.cell_type == "code" and match in c.source]
        where = f"trainer/slides/{number}.yml, slide {i} (figure {name!r})"
        if not hits:
            problems.append(f"{where}: no code cell contains {match!r}; copy a line of the figure's cell into 'match'")
        elif len(hits) > 1:
            problems.append(f"{where}: {len(hits)} code cells contain {match!r}; make 'match' longer so it finds one")
        elif not _has_figure(nb.cells[hits[0]]):
            problems.append(
                f"{where}: the cell containing {match!r} has no figure in its outputs; "
                "match the cell that draws it, or execute the lesson"
            )
        else:
            wanted.setdefault(hits[0], set()).add(FIG_TAG + name)
    return wanted, problems


def tag_lesson(number: str, src: dict, write: bool = True) -> int:
    """Tag one lesson; returns the number of cells changed."""
    path = lesson_path(number)
    nb = nbformat.read(path, as_version=4)
    wanted, problems = plan(number, src, nb)
    if problems:
        raise SlideSourceError("\n".join(problems))
    changed = 0
    for k, cell in enumerate(nb.cells):
        tags = list(cell.get("metadata", {}).get("tags", []))
        keep = [t for t in tags if not t.startswith(FIG_TAG)]
        new = keep + sorted(wanted.get(k, set()))
        if new != tags:
            changed += 1
            if new:
                cell.setdefault("metadata", {})["tags"] = new
            else:
                cell["metadata"].pop("tags", None)
    if changed and write:
        nbformat.write(nb, path)
    return changed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("lessons", nargs="*", help="lesson numbers (default: every slides source)")
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook would change")
    args = ap.parse_args(argv)
    stale = []
    try:
        sources = load_sources(args.lessons or None)
        if not sources:
            raise SlideSourceError(f"no slides source in {ROOT / 'trainer' / 'slides'}")
        # check every lesson before writing any, so a broken source leaves all notebooks as they were
        for number, src in sources.items():
            _, problems = plan(number, src, nbformat.read(lesson_path(number), as_version=4))
            if problems:
                raise SlideSourceError("\n".join(problems))
        for number, src in sources.items():
            n = tag_lesson(number, src, write=not args.check)
            if n:
                stale.append(number)
                print(f"  lesson {number}: {n} cell(s) {'to re-tag' if args.check else 're-tagged'}")
    except SlideSourceError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.check:
        return 1 if stale else 0
    print(f"==> slide figures tagged ({len(stale)} lesson(s) changed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
