"""Per-customer churn scores with their risk decile (the table ``cx report 06`` writes)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cxlib.errors import CxError

__all__ = ["risk_scores"]


def risk_scores(p: Any, ids: Any = None, *, bins: int = 10, id_name: str = "customer_id") -> pd.DataFrame:
    """One row per customer: id, churn probability and risk group (1 = the riskiest tenth).

    Customers are ranked by probability, highest first, and cut into ``bins`` groups of
    equal size; customers with the same probability share the group of the first of them
    (ties never split a group arbitrarily, so the top group may hold a few more).

    Parameters
    ----------
    p : array-like of float
        Churn probabilities (0-1), e.g. the out-of-fold ``ChurnEvaluation.p``.
    ids : array-like, optional
        The customers' ids, in the order of ``p`` (default 0, 1, ...).
    bins : int, default 10
        Number of groups (10: deciles).
    id_name : str, default "customer_id"
        Name of the id column.

    Returns
    -------
    pandas.DataFrame
        ``id_name``, ``probability`` and ``decile`` (1 to ``bins``), sorted riskiest first.

    Raises
    ------
    CxError
        If ``p`` and ``ids`` differ in length, ``p`` has missing values or values outside
        0-1, or ``bins`` is not between 1 and the number of customers.

    Examples
    --------
    >>> risk_scores([0.1, 0.9, 0.5, 0.5], ["a", "b", "c", "d"], bins=2)
      customer_id  probability  decile
    0           b          0.9       1
    1           c          0.5       1
    2           d          0.5       1
    3           a          0.1       2
    """
    prob = np.asarray(p, dtype=float)
    n = len(prob)
    ident = np.arange(n) if ids is None else np.asarray(ids)
    if len(ident) != n:
        raise CxError(f"{n} probabilities but {len(ident)} ids: give one id per probability.")
    if n and (np.isnan(prob).any() or (prob < 0).any() or (prob > 1).any()):
        raise CxError("churn probabilities must be numbers from 0 to 1 with no blanks.")
    if not 1 <= bins <= max(n, 1):
        raise CxError(f"bins must be between 1 and the number of customers ({n}); got {bins}.")
    rank = pd.Series(prob).rank(method="min", ascending=False).to_numpy()  # 1 = riskiest; ties share the best rank
    decile = ((rank - 1) * bins // max(n, 1)).astype(int) + 1
    out = pd.DataFrame({id_name: ident, "probability": prob, "decile": decile})
    order = np.lexsort((np.arange(n), -prob))
    return out.iloc[order].reset_index(drop=True)
