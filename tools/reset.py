"""Return a laptop to a clean course (``make reset``).

Lists what it will change, asks, then:

* restores the lessons and bundled data that learners changed (from git);
* deletes what learners added: any file in ``notebooks/`` or ``data/`` that is not part of the
  course (``Untitled*.ipynb``, copies, data files), ``Untitled*`` files anywhere in the course,
  JupyterLab checkpoints (``.ipynb_checkpoints``), the student edition ``student/`` (the
  learners' copies with their answers; ``make student`` rebuilds it), the room server's state
  ``.room/`` (learners' folders and passwords), the reports of lessons run on the group's own
  data ``runs/``, the trainer's answer key ``answer-key/``, data files saved in the course's
  own folder (an export brought in), and this course's JupyterLab workspaces ``.lab-workspaces/``
  (the open tabs ``make lab`` remembers; workspaces in the user's JupyterLab folder that name a
  lesson are listed, not deleted: they may be another copy's);
* never touches ``.venv/`` (the Python environment) or ``wheels/`` (the offline wheelhouse).

Usage: ``python tools/reset.py [--yes] [--root DIR]`` (``make reset``, ``make reset YES=1``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEEP = (".venv", "wheels", ".git")  # never scanned, never deleted
LESSON = re.compile(r"^\d\d_[^/]*\.ipynb$")
UNTITLED = re.compile(r"^untitled", re.I)
#: Files of these kinds in the course's own folder are data someone brought in (``make reset`` lists them).
DATA_SUFFIXES = (
    ".csv",
    ".tsv",
    ".xlsx",
    ".xls",
    ".parquet",
    ".duckdb",
)  # not .txt or .zip: a trainer's notes, a bundle


@dataclass
class Plan:
    """What a reset will do; paths are absolute."""

    root: Path
    restore: list[Path] = field(default_factory=list)  # tracked files to check out again
    delete: list[tuple[Path, str]] = field(default_factory=list)  # (path, why)
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.restore and not self.delete

    def rel(self, path: Path) -> str:
        try:
            text = str(path.relative_to(self.root))
        except ValueError:
            text = str(path).replace(str(Path.home()), "~", 1)
        return text + ("/" if path.is_dir() and not path.is_symlink() else "")


def _git(root: Path, *args: str) -> list[str] | None:
    """NUL-separated output of a git command in ``root``; None if this is not a git checkout."""
    try:
        out = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    return [p for p in out.stdout.decode("utf-8", "surrogateescape").split("\0") if p]


def _tracked(root: Path, path: Path) -> bool:
    """Whether ``path`` is part of the course: tracked by git (without git, no data file is at the top)."""
    return bool(_git(root, "ls-files", "-z", "--", path.relative_to(root).as_posix()))


def _is_git_checkout(root: Path) -> bool:
    top = _git(root, "rev-parse", "--show-toplevel")
    return bool(top) and Path(top[0].strip()).resolve() == root.resolve()


def workspaces_dir() -> Path:
    """JupyterLab's own workspaces folder (where a ``jupyter lab`` started by hand remembers open tabs)."""
    if os.environ.get("JUPYTERLAB_WORKSPACES_DIR"):
        return Path(os.environ["JUPYTERLAB_WORKSPACES_DIR"])
    try:
        from jupyter_core.paths import jupyter_config_dir

        return Path(jupyter_config_dir()) / "lab" / "workspaces"
    except ImportError:
        return Path.home() / ".jupyter" / "lab" / "workspaces"


def _lesson_workspaces(root: Path) -> list[Path]:
    """Workspace files in JupyterLab's own folder that name one of the lessons.

    A workspace names files relative to the folder its server was started in, so one left by
    another copy of the course (or another course) looks the same: they are only listed.
    """
    folder = workspaces_dir()
    lessons = [p.name for p in (root / "notebooks").glob("[0-9][0-9]_*.ipynb")]
    found = []
    for ws in sorted(folder.glob("*.jupyterlab-workspace")) if folder.is_dir() else []:
        try:
            text = ws.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if any(name in text for name in lessons):
            found.append(ws)
    return found


def _walk(root: Path):
    """Every path under ``root`` except the kept folders, without following symlinks."""
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if here == root:
            dirnames[:] = [d for d in dirnames if d not in KEEP]
        for name in dirnames + filenames:
            yield here / name


def _why(path: Path) -> str:
    if path.name == ".ipynb_checkpoints":
        return "JupyterLab checkpoints"
    if UNTITLED.match(path.name):
        return "new, untitled file"
    return "added by a learner"


def plan_reset(root: Path = ROOT) -> Plan:
    """Work out what ``make reset`` would restore and delete, without changing anything."""
    root = root.resolve()
    plan = Plan(root)
    deleting: dict[Path, str] = {}

    def add(path: Path, why: str) -> None:
        if any(parent in deleting for parent in path.parents) or path in deleting:
            return
        for other in [p for p in deleting if path in p.parents]:  # a parent replaces its children
            del deleting[other]
        deleting[path] = why

    for name, why in [
        ("student", "student edition with learners' answers (`make student` rebuilds it)"),
        (".room", "room server state: learners' folders, passwords, room password"),
        ("runs", "lessons run on the group's own data (`cx run`): may hold customer data"),
        ("answer-key", "the trainer's answer key: never leave it on a learner's laptop"),
        (".lab-workspaces", "this course's JupyterLab workspaces (the open tabs `make lab` remembers)"),
    ]:
        if (root / name).exists():
            add(root / name, why)
    for path in sorted(root.iterdir()):  # a data file saved next to the course (an export brought in)
        if path.is_file() and path.suffix.lower() in DATA_SUFFIXES and not _tracked(root, path):
            add(path, "a data file added to the course (an export brought in?)")

    if _is_git_checkout(root):
        changed = _git(root, "ls-files", "-z", "--modified", "--deleted", "--", "notebooks", "data") or []
        plan.restore = sorted({root / p for p in changed})
        # untracked and ignored files in the course folders (no --exclude-standard: ignored too)
        for p in _git(root, "ls-files", "-z", "--others", "--directory", "--", "notebooks", "data") or []:
            path = root / p.rstrip("/")
            if "__pycache__" in path.parts:
                continue
            add(path, _why(path))
        tracked = set(_git(root, "ls-files", "-z") or [])
    else:
        plan.notes.append(
            "This copy of the course is not a git checkout, so changed lessons cannot be restored "
            "here: copy notebooks/ again from your master copy of the course."
        )
        for path in sorted((root / "notebooks").glob("*")):
            if not LESSON.match(path.name):
                add(path, _why(path))
        tracked = None

    for path in _walk(root):
        rel = path.relative_to(root).as_posix()
        if tracked is not None and rel in tracked:
            continue
        if path.name == ".ipynb_checkpoints" and path.is_dir():
            add(path, "JupyterLab checkpoints")
        elif UNTITLED.match(path.name):
            add(path, "new, untitled file")

    others = _lesson_workspaces(root)
    if others:
        plan.notes.append(
            f"Left alone: {len(others)} JupyterLab workspace(s) in {plan.rel(others[0].parent)} name a lesson "
            "(from a `jupyter lab` started by hand, or another copy of the course): "
            + ", ".join(p.name for p in others[:5])
            + ("" if len(others) <= 5 else ", ...")
            + ". Delete them there if they are this copy's."
        )

    plan.delete = sorted(deleting.items(), key=lambda item: str(item[0]))
    return plan


def room_is_running(root: Path) -> bool:
    """Whether the room server (``make room``) seems to be running from ``root/.room``."""
    pid_file = root / ".room" / "hub.pid"
    if not pid_file.exists():
        return False
    try:
        os.kill(int(pid_file.read_text().strip()), 0)
    except (ValueError, OSError):
        return False
    return True


def describe(plan: Plan) -> str:
    lines = []
    if plan.restore:
        lines.append(f"Restore {len(plan.restore)} changed course file(s) as committed (learners' edits are lost):")
        lines += [f"    {plan.rel(p)}" for p in plan.restore]
    if plan.delete:
        lines.append(f"Delete {len(plan.delete)} file(s) and folder(s):")
        width = min(60, max(len(plan.rel(p)) for p, _ in plan.delete))
        lines += [f"    {plan.rel(p):<{width}}  {why}" for p, why in plan.delete]
    if plan.empty:
        lines.append("Nothing to do: the course is already clean.")
    lines.append("Keep: .venv/ (the Python environment) and wheels/ (the offline wheelhouse).")
    lines += plan.notes
    return "\n".join(lines)


def apply(plan: Plan) -> None:
    """Carry out a plan made by :func:`plan_reset`."""
    for path, _ in plan.delete:
        if path.is_symlink() or path.is_file():
            path.unlink(missing_ok=True)
        elif path.is_dir():
            shutil.rmtree(path)
    if plan.restore:
        rel = [str(p.relative_to(plan.root)) for p in plan.restore]
        out = subprocess.run(["git", "-C", str(plan.root), "checkout", "--", *rel], capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(f"git could not restore {', '.join(rel)}: {out.stderr.strip()}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="make reset", description=__doc__.splitlines()[0])
    ap.add_argument("--yes", action="store_true", help="do it without asking (make reset YES=1)")
    ap.add_argument("--root", type=Path, default=ROOT, help="the course folder")
    args = ap.parse_args(argv)
    root = args.root.resolve()
    if room_is_running(root):
        print(
            "make reset: the room server (make room) is running from this folder; stop it with Ctrl+C first.",
            file=sys.stderr,
        )
        return 2
    plan = plan_reset(root)
    print(describe(plan), flush=True)
    if plan.empty:
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            print(
                "make reset: not asking without a terminal; run `make reset YES=1` "
                "(python tools/reset.py --yes) to reset without a question.",
                file=sys.stderr,
            )
            return 2
        try:
            answer = input("Go ahead? [y/N] ").strip().lower()
        except EOFError:
            answer = ""
        if answer not in ("y", "yes"):
            print("Nothing changed.")
            return 1
    apply(plan)
    print(
        f"==> reset done: {len(plan.restore)} restored, {len(plan.delete)} deleted. "
        "`make lab` opens the course; `make student` rebuilds the student edition."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
