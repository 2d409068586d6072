"""The ``cx`` command line (also ``python -m cxlib``).

Each subcommand is a module in this package that defines:

``NAME``
    the subcommand's name (``cx NAME ...``);
``HELP``
    one line for ``cx --help``;
``add_arguments(parser)``
    adds its arguments to an :class:`argparse.ArgumentParser`;
``run(args) -> int``
    does the work and returns the exit code.

Exit codes: 0 success, 2 bad input (a clear message, never a traceback),
1 an unexpected internal error (a one-line message; set ``CX_DEBUG=1`` to see the
traceback when reporting a bug), 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

from cxlib import __version__
from cxlib.cli import _output
from cxlib.cli._options import for_cli
from cxlib.errors import CxError, ValidationError

__all__ = ["main", "build_parser", "EXIT_OK", "EXIT_BAD_INPUT", "EXIT_INTERNAL"]

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2


def _commands() -> list:
    mods = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(mod, "NAME") and hasattr(mod, "run"):
            mods.append(mod)
    return sorted(mods, key=lambda m: m.NAME)


class _Parser(argparse.ArgumentParser):
    """argparse that exits with code 2 and a hint, as argparse does, but names `cx`."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\nRun '{self.prog} --help' for help.\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered.

    Returns
    -------
    argparse.ArgumentParser
        The ``cx`` parser; each subcommand's options come from its module's ``add_arguments``.
    """
    parser = _Parser(
        prog="cx",
        description="Command line of the open CX analytics curriculum.",
        epilog="Run 'cx COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"cx (cxlib) {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for mod in _commands():
        # argparse %-formats help text: a literal "95%" must reach it as "95%%"
        p = sub.add_parser(
            mod.NAME,
            help=mod.HELP.replace("%", "%%"),
            description=getattr(mod, "DESCRIPTION", mod.HELP),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (also used by ``python -m cxlib``).

    Everything ``cx`` prints passes through :class:`~cxlib.cli._output.SafeStream`, so
    text from a data file cannot send control sequences to the terminal. A closed
    output pipe (``cx ... | head``) ends the command quietly.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after ``cx`` (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit code: 0 on success, 2 for a problem with the input (a :class:`~cxlib.errors.CxError`,
        printed with its fix), 130 when interrupted, 1 for an unexpected error.
    """
    out, err = sys.stdout, sys.stderr
    _output._RAW_STDERR.append(err)
    sys.stdout, sys.stderr = _output.SafeStream(out), _output.SafeStream(err)
    try:
        return _main(argv)
    except BrokenPipeError:
        # the reader of our output went away (`cx nps ... | head`): stop quietly, and keep
        # Python from complaining again when it flushes stdout at exit
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, out.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return EXIT_OK
    finally:
        sys.stdout, sys.stderr = out, err
        _output._RAW_STDERR.pop()


def _options_given(args: argparse.Namespace) -> str:
    """The reading options the analyst gave (``--sep ';', --no-dayfirst``), or '' for none."""
    shown = []
    for name in ("sep", "decimal", "encoding"):
        if getattr(args, name, None) is not None:
            shown.append(f"--{name} {getattr(args, name)!r}")
    dayfirst = getattr(args, "dayfirst", None)
    if dayfirst is not None:
        shown.append("--dayfirst" if dayfirst else "--no-dayfirst")
    return ", ".join(shown)


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # --help, --version and usage errors exit here, as argparse does
    if not getattr(args, "_run", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        code = int(args._run(args) or EXIT_OK)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        raise
    except CxError as exc:
        print(f"error: {for_cli(str(exc))}", file=sys.stderr)
        if getattr(args, "json", False) is True:  # a script reading stdout gets the error as JSON too
            detail = exc.to_dict() if isinstance(exc, ValidationError) else {}
            _output.print_json({"error": for_cli(str(exc)).split("\n", 1)[0], **detail})
        given = _options_given(args) if isinstance(exc, ValidationError) else ""
        if given:
            print(
                f"note: the file was read as you said ({given}); if that is not how it is "
                "written, leave the option out: cx decides delimiter, decimal mark, date order and encoding "
                "from the file.",
                file=sys.stderr,
            )
        return EXIT_BAD_INPUT
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        print(f"error: {exc.strerror or exc}: {exc.filename}\nCheck the path and try again.", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # never show a bare traceback to a user
        if os.environ.get("CX_DEBUG"):
            raise
        print(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in cxlib, not in your data. Re-run with CX_DEBUG=1 to see the "
            "details and report them.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
