"""``cx lessons``: list the lessons and their parameters."""

from __future__ import annotations

NAME = "lessons"
HELP = "list the lessons with their parameters (for `cx run`)"


def add_arguments(p) -> None:
    """Declare the arguments and options of ``cx lessons``.

    Parameters
    ----------
    p : argparse.ArgumentParser
        The subcommand's parser, created by :func:`cxlib.cli.build_parser`.
    """
    p.add_argument("lesson", nargs="?", help="show only this lesson (number or name)")


def run(args) -> int:
    """Run ``cx lessons`` with parsed arguments and print its result.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed command line (the options that ``add_arguments`` declares).

    Returns
    -------
    int
        The exit code: 0 on success; errors in the input raise :class:`~cxlib.errors.CxError`,
        which :func:`cxlib.cli.main` turns into a message and exit code 2.
    """
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
