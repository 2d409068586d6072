"""`make reset` (tools/reset.py), tried on a temporary copy of the course that learners used."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture
def course(tmp_path) -> Path:
    """A git copy of the course (lessons, data cards, the reset tool), committed."""
    repo = tmp_path / "course"
    for rel in ["notebooks", "tools/reset.py", ".gitignore", "data/README.md", "data/__init__.py"]:
        src, dst = ROOT / rel, repo / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        else:
            shutil.copy2(src, dst)
    (repo / "course.txt").write_text("part of the course\n")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "course")
    return repo


def _use_the_course(repo: Path, workspaces: Path) -> dict[str, Path]:
    """What a day of learners leaves behind, and what must survive a reset."""
    nb = repo / "notebooks"
    lesson = nb / "01_customer_obsession.ipynb"
    doc = json.loads(lesson.read_text())
    doc["cells"][0]["source"] = "my answer"
    lesson.write_text(json.dumps(doc))
    (nb / "02_personas.ipynb").unlink()
    made = {
        "untitled": nb / "Untitled.ipynb",
        "untitled1": nb / "Untitled1.ipynb",
        "copy": nb / "00_welcome-Copy1.ipynb",
        "csv": nb / "my_export.csv",
        "subdir": nb / "my data" / "survey.xlsx",
        "checkpoint": nb / ".ipynb_checkpoints" / "00_welcome-checkpoint.ipynb",
        "root_untitled": repo / "Untitled2.ipynb",
        "untitled_txt": repo / "docs" / "untitled.txt",
        "student_untitled": repo / "student" / "notebooks" / "Untitled.ipynb",
        "student_lesson": repo / "student" / "notebooks" / "00_welcome.ipynb",
        "data_added": repo / "data" / "extra.csv",
        "room": repo / ".room" / "learners" / "sara" / "notebooks" / "00_welcome.ipynb",
        "runs": repo / "runs" / "05_nps_pitfalls.html",
        "answer_key": repo / "answer-key" / "answer-key.html",
        "root_export": repo / "my_company_export.xlsx",
        "lab_workspace": repo / ".lab-workspaces" / "default-37a8.jupyterlab-workspace",  # make lab's
    }
    for path in made.values():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}")
    (repo / "notebooks" / "Untitled Folder").mkdir()
    workspaces.mkdir(parents=True)
    kept = {
        "venv": repo / ".venv" / "bin" / "python",
        "wheel": repo / "wheels" / "numpy-2.0-cp311.whl",
        "course_file": repo / "course.txt",  # a data suffix, but tracked: part of the course
        "other_workspace": workspaces / "other-project.jupyterlab-workspace",
        # names a lesson, but JupyterLab's own folder may hold another copy's: listed, not deleted
        "lesson_workspace": workspaces / "default-5c1e.jupyterlab-workspace",
    }
    for path in kept.values():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}")
    (kept["other_workspace"]).write_text(json.dumps({"data": {"notebook:thesis.ipynb": {}}}))
    (kept["lesson_workspace"]).write_text(
        json.dumps({"data": {"notebook:notebooks/00_welcome.ipynb": {}}, "metadata": {"id": "default"}})
    )
    return {**made, **{f"keep_{k}": v for k, v in kept.items()}}


def _reset(repo: Path, workspaces: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = dict(os.environ, JUPYTERLAB_WORKSPACES_DIR=str(workspaces))
    return subprocess.run(
        [sys.executable, str(repo / "tools" / "reset.py"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_reset_lists_then_cleans_and_keeps_venv_and_wheels(course, tmp_path):
    ws = tmp_path / "jupyter" / "lab" / "workspaces"
    paths = _use_the_course(course, ws)

    # without a terminal and without --yes it only lists, changes nothing, and says how to go on
    listed = _reset(course, ws)
    assert listed.returncode == 2 and "make reset YES=1" in listed.stderr
    out = listed.stdout
    for rel in [
        "notebooks/01_customer_obsession.ipynb",
        "notebooks/02_personas.ipynb",
        "notebooks/Untitled.ipynb",
        "notebooks/Untitled1.ipynb",
        "notebooks/00_welcome-Copy1.ipynb",
        "notebooks/my_export.csv",
        "notebooks/my data/",
        "notebooks/.ipynb_checkpoints/",
        "notebooks/Untitled Folder/",
        "Untitled2.ipynb",
        "docs/untitled.txt",
        "student/",
        "data/extra.csv",
        ".room/",
        "runs/",
        "answer-key/",
        "my_company_export.xlsx",
        ".lab-workspaces/",
    ]:
        assert rel in out, (rel, out)
    assert "Left alone: 1 JupyterLab workspace(s)" in out and "default-5c1e.jupyterlab-workspace" in out
    assert "Restore 2 changed" in out and "Keep: .venv/" in out and "wheels/" in out
    for bad in ["other-project", "numpy-2.0", "00_welcome.ipynb  "]:
        assert bad not in out, (bad, out)
    assert all(p.exists() for k, p in paths.items())
    assert _git(course, "status", "--porcelain", "--", "notebooks")  # still dirty

    # --yes does it
    done = _reset(course, ws, "--yes")
    assert done.returncode == 0, done.stderr
    assert "reset done: 2 restored" in done.stdout
    for key, path in paths.items():
        assert path.exists() == key.startswith("keep_"), key
    assert not (course / "notebooks" / "Untitled Folder").exists()
    assert not (course / "student").exists() and not (course / ".room").exists()
    assert _git(course, "status", "--porcelain", "--untracked-files=all", "--ignored", "--", "notebooks", "data") == ""
    assert sorted(p.name for p in (course / "notebooks").iterdir()) == sorted(
        p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
    )
    # the restored lesson is the committed one
    assert (course / "notebooks" / "01_customer_obsession.ipynb").read_bytes() == (
        ROOT / "notebooks" / "01_customer_obsession.ipynb"
    ).read_bytes()

    # and a second run has nothing to do
    again = _reset(course, ws)
    assert again.returncode == 0 and "Nothing to do" in again.stdout


def test_reset_is_refused_while_the_room_server_runs(course, tmp_path):
    (course / ".room").mkdir()
    (course / ".room" / "hub.pid").write_text(str(os.getpid()))  # a live process
    out = _reset(course, tmp_path / "ws", "--yes")
    assert out.returncode == 2 and "room server" in out.stderr
    assert (course / ".room").exists()


def test_reset_without_git_cleans_what_it_can_and_says_what_it_cannot(tmp_path):
    course = tmp_path / "zip-copy"
    (course / "notebooks").mkdir(parents=True)
    (course / "tools").mkdir()
    shutil.copy2(ROOT / "tools" / "reset.py", course / "tools" / "reset.py")
    (course / "notebooks" / "00_welcome.ipynb").write_text("{}")
    (course / "notebooks" / "Untitled.ipynb").write_text("{}")
    (course / "notebooks" / "answers.csv").write_text("a\n")
    (course / "wheels").mkdir()
    (course / "wheels" / "x.whl").write_text("")
    env_ws = tmp_path / "ws"
    out = _reset(course, env_ws, "--yes")
    assert out.returncode == 0, out.stderr
    assert "not a git checkout" in out.stdout and "copy notebooks/ again" in out.stdout
    assert sorted(p.name for p in (course / "notebooks").iterdir()) == ["00_welcome.ipynb"]
    assert (course / "wheels" / "x.whl").exists()


def test_make_reset_yes_passes_yes():
    if shutil.which("make") is None:
        pytest.skip("needs make")
    dry = subprocess.run(["make", "-n", "-C", str(ROOT), "reset", "YES=1"], capture_output=True, text=True, timeout=60)
    assert "tools/reset.py --yes" in dry.stdout
    dry = subprocess.run(["make", "-n", "-C", str(ROOT), "reset"], capture_output=True, text=True, timeout=60)
    assert "tools/reset.py" in dry.stdout and "--yes" not in dry.stdout
