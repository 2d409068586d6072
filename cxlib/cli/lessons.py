"""``cx lessons``: list the lessons and their parameters."""

from __future__ import annotations

NAME = "lessons"
HELP = "list the lessons with their parameters (for `cx run`)"


def add_arguments(p) -> None:
    p.add_argument("lesson", nargs="?", help="show only this lesson (number or name)")


def run(args) -> int:
    from cxlib.teaching.lessons import find_lesson, list_lessons

    lessons = [find_lesson(args.lesson)] if args.lesson else list_lessons()
    for lesson in lessons:
        meta = lesson.meta
        extra = f"  ({meta.get('minutes', '?')} min; data: {lesson.data_kind})" if lesson.data_kind else ""
        print(f"{lesson.name}: {lesson.title}{extra}")
        for name, param in lesson.parameters.items():
            help_ = f"  # {param.help}" if param.help else ""
            print(f"    {name}: {param.type} = {param.default_text}{help_}")
    return 0
