"""The cells of a quick lesson run (``cx run --quick``): set-up and the part that reads ``DATA``."""

from __future__ import annotations

import re
from typing import Any

from cxlib.errors import CxError

__all__ = ["practice_cells", "data_section"]


def practice_cells(cells: list, name: str) -> list:
    """The cells a quick run executes: parameters, set-up, and the *In practice* section."""

    def tags(c: Any) -> list:
        return list(c.metadata.get("tags", []))

    keep = [c for c in cells if {"parameters", "injected-parameters", "setup"} & set(tags(c))]
    if not any("setup" in tags(c) for c in cells):  # lessons without tags: the first code cell after the parameters
        after = [c for c in cells if c.cell_type == "code" and not {"parameters", "injected-parameters"} & set(tags(c))]
        keep += after[:1]
    section = data_section(cells)
    if not section:
        raise CxError(f"{name} has no section that reads DATA ('## In practice') to run quickly.")
    return [c for c in cells if any(c is k for k in keep + section)]


def data_section(cells: list) -> list:
    """The lesson's part on the analyst's file: its ``## In practice`` section, or else the section
    (from the nearest heading above) holding the first cell after the parameters that reads ``DATA``."""
    heads = [i for i, c in enumerate(cells) if c.cell_type == "markdown" and re.match(r"^##\s", c.source)]
    practice = re.compile(r"^##\s+(Going deeper\s*·\s*)?In practice", flags=re.I)
    start = next((i for i in heads if practice.match(cells[i].source)), None)
    if start is None:
        uses = [
            i
            for i, c in enumerate(cells)
            if c.cell_type == "code"
            and re.search(r"\bDATA\b", c.source)
            and not {"parameters", "injected-parameters"} & set(c.metadata.get("tags", []))
        ]
        if not uses:
            return []
        above = [
            i for i, c in enumerate(cells[: uses[0]]) if c.cell_type == "markdown" and re.match(r"^#{2,3}\s", c.source)
        ]
        start = above[-1] if above else uses[0]
    end = next((i for i in heads if i > start), len(cells))
    return cells[start:end]
