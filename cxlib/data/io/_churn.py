"""Reading a customer-level churn table (``cx churn``, lesson 06's "In practice")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["read_churn_table"]


def read_churn_table(
    path: str | Path,
    target_column: str,
    id_column: str | None = None,
    date_column: str | None = None,
    **read: Any,
) -> tuple[pd.DataFrame, list[str]]:
    """Read a customer table with :func:`cxlib.data.io.read_table` as a ``churn_table``.

    With ``date_column``, the file is stacked snapshots (``churn_snapshots``): a customer
    appears once per snapshot date, each (customer, date) pair once, and the dates are read
    as dates (one order decided for the whole column).

    The export is cleaned as every file is (encoding, delimiter, Persian digits, decimal
    marks and thousands separators decided per column, yes/no and churned/active targets,
    blank targets counted); only the target and, when given, the id column are required.
    The columns keep the file's own names.

    Parameters
    ----------
    path : str or Path
        The CSV or Excel file.
    target_column : str
        The churn target column of the file.
    id_column : str, optional
        The customer id column of the file.
    date_column : str, optional
        The snapshot date column of a stacked table (for time-based validation).
    **read
        Reading options (``sheet``, ``sep``, ``decimal``, ``dayfirst``, ``encoding``).

    Returns
    -------
    (DataFrame, list of str)
        The table, and notes for a report (the first says how the file was read).
        ``df.attrs["target_labels"]`` says how text labels of the target were read.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "c.csv").write_text("id,fee,Left\\nA,10,Yes\\nB,12,No\\nC,9,Yes\\n", encoding="utf-8")
    >>> df, notes = read_churn_table(d / "c.csv", "Left", "id")
    >>> df["Left"].tolist(), df.attrs["target_labels"]
    ([1, 0, 1], {'No': 0, 'Yes': 1})
    >>> _ = (d / "s.csv").write_text("id,cutoff,fee,Left\\nA,2024-01-01,10,0\\nA,2024-04-01,10,1\\n", encoding="utf-8")
    >>> df, notes = read_churn_table(d / "s.csv", "Left", "id", date_column="cutoff")
    >>> df["id"].tolist(), df["cutoff"].dt.month.tolist()
    (['A', 'A'], [1, 4])
    """
    from cxlib.data.io import read_table
    from cxlib.data.io._report import counted

    cols = {"churned": target_column}
    if id_column:
        cols["customer_id"] = id_column
    if date_column:
        cols["cutoff"] = date_column
    kind = "churn_snapshots" if date_column else "churn_table"
    df, rep = read_table(path, kind, columns=cols, only=list(cols), report=True, **read)
    names = {"churned": target_column}
    if date_column:
        names["cutoff"] = date_column
    if id_column:
        names["customer_id"] = id_column
    elif "customer_id" in df.columns and target_column != "customer_id":
        names["customer_id"] = "customer_id"
    df = df.rename(columns=names)
    if rep.labels.get("churned"):  # the data layer read text labels: report them as the file had them
        df.attrs["target_labels"] = dict(sorted(rep.labels["churned"].items()))
    # text features are one-hot encoded by the churn model, so "encode it first" advice does not apply
    notes = [rep.brief()]
    notes += [
        f"column {names.get(c['column'], c['column'])!r}: {counted(c['count'], c['what'])}" for c in rep.conversions
    ]
    notes += [str(n) for n in rep.notes if "models need numbers" not in str(n) and "encode" not in str(n)]
    return df, notes
