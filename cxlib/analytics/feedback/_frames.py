"""Checking a caller's table of survey answers (private to :mod:`cxlib.analytics.feedback`)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from cxlib.checks import spreadsheet_rows
from cxlib.errors import CxError, Problem, ValidationError

#: Lowest CSAT answer that counts as satisfied (top-2-box on a 1-5 scale).
SATISFIED_MIN = 4

#: The CSAT answer scale.
CSAT_SCALE = (1, 5)


def score_problems(raw: pd.Series, column: str, scale: tuple = CSAT_SCALE) -> tuple[pd.Series, list[Problem]]:
    """Scores as numbers (NaN for blanks) and a problem for text and for values off the scale."""
    num = pd.to_numeric(raw, errors="coerce")
    text = num.isna().to_numpy() & raw.notna().to_numpy()
    if raw.dtype == object:  # blank strings are empty, not text
        text &= ~raw.astype(str).str.strip().isin(["", "nan", "NaN", "NA"]).to_numpy()
    problems = []
    if text.any():
        problems.append(
            Problem(
                "text in a number column",
                column=column,
                rows=spreadsheet_rows(text),
                values=tuple(raw[text].head(5)),
                count=int(text.sum()),
                fix=f"CSAT must be a whole number from {scale[0]} to {scale[1]}.",
            )
        )
    v = num.to_numpy(dtype=float)
    bad = ~np.isnan(v) & ((v < scale[0]) | (v > scale[1]) | (v != np.round(v)))
    if bad.any():
        problems.append(
            Problem(
                "out of range",
                column=column,
                rows=spreadsheet_rows(bad),
                values=tuple(v[bad][:5]),
                count=int(bad.sum()),
                fix=f"CSAT must be a whole number from {scale[0]} to {scale[1]}; "
                "check the scale (is it 0-10 or 1-7?) and the column.",
            )
        )
    return num, problems


def check_frame(
    data: pd.DataFrame,
    columns: Mapping[str, str],
    *,
    source: str | None = None,
    score: str | None = None,
    scale: tuple = CSAT_SCALE,
) -> tuple[pd.DataFrame, int]:
    """Validate ``data``; return (rows with every needed value, number of rows left out).

    ``columns`` maps the argument that names a column (``"agent_column"``, ...) to the
    column's name. Rows with an empty value are *counted* (returned), not silently
    lost; missing columns, text or out-of-range scores raise one
    :class:`ValidationError` listing every problem.
    """
    if not isinstance(data, pd.DataFrame):
        raise CxError(
            f"expected a pandas DataFrame of survey responses, got {type(data).__name__}. "
            "Load your file with cxlib.data.io.read_table(path, 'agent_feedback')."
        )
    have = ", ".join(map(str, list(data.columns)[:12]))
    problems = [
        Problem(
            "missing column",
            column=col,
            fix=f"The column '{col}' is not in the data (columns: {have}). Pass the right name, e.g. {arg}='...'.",
        )
        for arg, col in columns.items()
        if col not in data.columns
    ]
    if problems:
        raise ValidationError(problems, source=source)
    out = data[list(dict.fromkeys(columns.values()))]
    if score is not None:
        num, problems = score_problems(data[score], score, scale)
        if problems:
            raise ValidationError(problems, source=source)
        out = out.assign(**{score: num})
    keep = out.notna().all(axis=1).to_numpy()
    return out[keep], int((~keep).sum())
