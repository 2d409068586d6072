"""``cx schemas [KIND]``: the columns each table kind expects."""

from __future__ import annotations

import argparse

from cxlib.cli._output import print_json

NAME = "schemas"
HELP = "list the table kinds and the columns each expects"
DESCRIPTION = """List the columns each table kind expects: name, type, unit, required or
optional, whether blanks are allowed, and the rule checked.

Examples:
  cx schemas
  cx schemas nps_surveys
  cx schemas nps_surveys --json"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the arguments and options of ``cx schemas``.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The subcommand's parser, created by :func:`cxlib.cli.build_parser`.
    """
    from cxlib.data.kinds import KINDS

    parser.add_argument(
        "kind", metavar="KIND", nargs="?", choices=KINDS, help="one kind (default: all): " + ", ".join(KINDS)
    )
    parser.add_argument("--json", action="store_true", help="print as JSON")


def run(args: argparse.Namespace) -> int:
    """Run ``cx schemas`` with parsed arguments and print its result.

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
    from cxlib.data.schemas import KINDS, describe, get_schema

    kinds = [args.kind] if args.kind else list(KINDS)
    if args.json:
        print_json({k: describe(k).to_dict(orient="records") for k in kinds})
        return 0
    for i, kind in enumerate(kinds):
        d = describe(kind)
        d["required"] = d["required"].map({True: "required", False: "optional"})
        d["blanks_allowed"] = d["blanks_allowed"].map({True: "yes", False: "no"})
        if i:
            print()
        print(f"{kind}: {get_schema(kind).description}")
        cols = ["column", "type", "unit", "required", "blanks_allowed", "rule", "description"]
        print(d[cols].rename(columns={"blanks_allowed": "blanks"}).to_string(index=False))
    print(
        "\nMap your own column names with --column SCHEMA=FILECOL (cx validate) or "
        "columns={...} (cxlib.data.io.read_table)."
    )
    return 0
