"""Recency / frequency / monetary (RFM) quintile scores, the transparent baseline of segmentation."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cxlib._deprecation import renamed_arguments
from cxlib.checks import numeric_problems, require_columns
from cxlib.errors import CxError, Problem, ValidationError

__all__ = ["rfm", "rfm_segment"]


# ----------------------------------------------------------------------------------
# RFM
# ----------------------------------------------------------------------------------
def _quintile(x: pd.Series, bins: int, ties: str = "first") -> pd.Series:
    """Score 1..bins; higher x, higher score.

    ``ties="first"``: ``pd.qcut(x.rank(method="first"), bins)`` (equal-sized levels, ties broken
    by row order). ``ties="low"``: tied values share the score of the lowest position they
    occupy, ``floor(bins * (rank_min - 1) / n) + 1``.
    """
    if ties == "low":
        pos = (x.rank(method="min") - 1) / len(x)
        return (np.floor(bins * pos) + 1).astype(int)
    return pd.qcut(x.rank(method="first"), bins, labels=list(range(1, bins + 1))).astype(int)


@renamed_arguments(id="id_column", date="date_column", amount="amount_column")
def rfm(
    df: pd.DataFrame,
    id_column: str = "customer_id",
    date_column: str = "date",
    amount_column: str = "amount",
    *,
    asof: Any = None,
    bins: int = 5,
    ties: str = "first",
) -> pd.DataFrame:
    """Recency, frequency and monetary scores (1..``bins``) per customer.

    Parameters
    ----------
    df : DataFrame
        One row per purchase (or per billed month).
    id_column, date_column, amount_column : str
        Column names of the customer id, the purchase date and the amount.
    asof : date-like, optional
        The day recency is measured from; default the day after the last date in ``df``.
    bins : int
        Number of score levels (5 = quintiles).
    ties : {"first", "low"}, default "first"
        How customers with the same value are scored. ``"first"``: by row order, so every
        level holds the same number of customers (± 1) but equal customers can get different
        scores. ``"low"``: equal customers share the lowest score their group reaches, so a
        score never depends on row order but levels can be uneven or empty (in retail data,
        where most customers bought once, every one-time buyer gets F = 1).

    Returns
    -------
    DataFrame indexed by customer with ``recency_days`` (days from the last purchase to
    ``asof``), ``frequency`` (number of rows), ``monetary`` (sum of ``amount``), the scores
    ``R``, ``F``, ``M`` (each 1..bins; R = bins is the *most recent*), ``rfm_code``
    (e.g. ``"545"``) and ``rfm_score`` (R + F + M).

    Notes
    -----
    Scores are quantiles of ``x.rank(method="first")`` so ties are broken by row order
    and every score level holds the same number of customers (± 1); ``ties="low"`` scores
    tied customers together instead. Rows whose amount or date is missing are an error,
    not silently dropped.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": list("AABBBCDDDDE"),
    ...     "date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-01", "2024-02-15",
    ...         "2024-03-20", "2024-01-10", "2024-03-01", "2024-03-05", "2024-03-10",
    ...         "2024-03-30", "2023-12-01"]),
    ...     "amount": [10, 10, 5, 5, 5, 100, 20, 20, 20, 20, 1]})
    >>> rfm(tx, asof="2024-04-01")[["recency_days", "frequency", "monetary", "rfm_code"]]
                 recency_days  frequency  monetary rfm_code
    customer_id
    A                      31          2        20      333
    B                      12          3        15      442
    C                      82          1       100      215
    D                       2          4        80      554
    E                     122          1         1      121
    >>> rfm(tx, asof="2024-04-01", ties="low")["F"].tolist()  # C and E bought once: same F
    [3, 4, 1, 5, 1]
    """
    require_columns(df, [id_column, date_column, amount_column], "rfm")
    if ties not in ("first", "low"):
        raise CxError(
            f"rfm: ties must be 'first' (by row order) or 'low' (tied customers share a score), not {ties!r}."
        )
    problems = numeric_problems(df, [amount_column])
    dates = pd.to_datetime(df[date_column], errors="coerce")
    bad = dates.isna().to_numpy()
    if bad.any():
        rows = tuple(int(i) + 2 for i in np.flatnonzero(bad)[:5])
        problems.append(
            Problem(
                "not a date",
                column=date_column,
                rows=rows,
                count=int(bad.sum()),
                values=tuple(df[date_column][bad].head(5).tolist()),
                fix="Dates must be like 2024-03-31; fix or remove those rows.",
            )
        )
    if problems:
        raise ValidationError(problems, source="rfm")
    d = pd.DataFrame({"id": df[id_column].to_numpy(), "date": dates.to_numpy(), "amount": df[amount_column].to_numpy()})
    g = d.groupby("id", sort=True)
    out = pd.DataFrame({"last": g["date"].max(), "frequency": g.size(), "monetary": g["amount"].sum()})
    if len(out) < bins:
        raise CxError(
            f"rfm: {len(out)} customers cannot be split into {bins} score levels; "
            f"use bins <= {len(out)} or more customers."
        )
    ref = pd.Timestamp(asof) if asof is not None else d["date"].max() + pd.Timedelta(days=1)
    out["recency_days"] = (ref - out["last"]).dt.days
    if (out["recency_days"] < 0).any():
        raise CxError("rfm: some purchases are after `asof`; pass a later asof or filter the rows.")
    out["R"] = _quintile(-out["recency_days"], bins, ties)
    out["F"] = _quintile(out["frequency"], bins, ties)
    out["M"] = _quintile(out["monetary"], bins, ties)
    out["rfm_code"] = out["R"].astype(str) + out["F"].astype(str) + out["M"].astype(str)
    out["rfm_score"] = out[["R", "F", "M"]].sum(axis=1)
    out.index.name = id_column
    return out[["recency_days", "frequency", "monetary", "R", "F", "M", "rfm_code", "rfm_score"]]


def rfm_segment(scores: pd.DataFrame) -> pd.Series:
    """Name classic RFM groups from ``R`` and ``F`` scores (5 levels).

    ``champions`` (R ≥ 4, F ≥ 4), ``loyal`` (R ≥ 3, F ≥ 3), ``new`` (R ≥ 4, F ≤ 2),
    ``at risk`` (R ≤ 2, F ≥ 3), ``lost`` (R ≤ 2, F ≤ 2), else ``needs attention``.

    Parameters
    ----------
    scores : DataFrame
        With the ``R`` and ``F`` scores of :func:`rfm`.

    Returns
    -------
    Series
        ``rfm_segment``, indexed like ``scores``.

    Examples
    --------
    >>> rfm_segment(pd.DataFrame({"R": [5, 3, 5, 1, 1, 3], "F": [5, 3, 1, 4, 1, 1]})).tolist()
    ['champions', 'loyal', 'new', 'at risk', 'lost', 'needs attention']
    """
    require_columns(scores, ["R", "F"], "rfm_segment")
    r, f = scores["R"], scores["F"]
    conds = [(r >= 4) & (f >= 4), (r >= 3) & (f >= 3), (r >= 4) & (f <= 2), (r <= 2) & (f >= 3), (r <= 2) & (f <= 2)]
    names = ["champions", "loyal", "new", "at risk", "lost"]
    return pd.Series(np.select(conds, names, default="needs attention"), index=scores.index, name="rfm_segment")
