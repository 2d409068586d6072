"""How loyalty signals move in the months before a customer cancels."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxlib._deprecation import renamed_arguments
from cxlib.checks import require_columns
from cxlib.features._frame import month_index, read_dates

__all__ = ["signals_before_churn"]


@renamed_arguments(signals="signal_columns", churn_column="target_column")
def signals_before_churn(
    activity: pd.DataFrame,
    signal_columns: Sequence[str],
    months_before: int = 6,
    *,
    id_column: str = "customer_id",
    month_column: str = "month",
    target_column: str = "churned",
) -> pd.DataFrame:
    """Average monthly signals of leavers by months before they left, next to everyone else.

    For each customer who cancels, month 0 is the month of cancellation and -1 the
    month before. The ``baseline`` rows give the same signals averaged over all
    customer-months of customers who did not cancel in the data (their typical
    level), so a picture can show which signals move *before* customers leave.

    Parameters
    ----------
    activity : DataFrame
        One row per customer and month, with the monthly churn flag.
    signal_columns : sequence of str
        The activity columns to follow (numeric).
    months_before : int, default 6
        How many months before the cancellation to show.
    id_column, month_column, target_column : str
        Column names (``target_column`` is the monthly churn flag).

    Returns
    -------
    DataFrame
        Indexed by ``months_to_churn`` (-months_before ... 0) plus a final
        ``baseline`` row; one column per signal and ``customers`` (leavers observed at
        that month).

    Examples
    --------
    >>> act = pd.DataFrame({"customer_id": ["a", "a", "b", "b"],
    ...                     "month": pd.to_datetime(["2024-01-01", "2024-02-01"] * 2),
    ...                     "complaints": [1, 3, 0, 0], "churned": [0, 1, 0, 0]})
    >>> signals_before_churn(act, ["complaints"], months_before=1)
                     complaints  customers
    months_to_churn
    -1                      1.0          1
    0                       3.0          1
    baseline                0.0          1
    """
    signals = list(signal_columns)
    require_columns(activity, [id_column, month_column, target_column, *signals], "activity")
    m = month_index(read_dates(activity[month_column], month_column, "activity").to_numpy())
    churn = activity[target_column].fillna(0).to_numpy(dtype=float) > 0
    ids = activity[id_column].to_numpy()
    churn_m = pd.Series(m[churn], index=ids[churn]).groupby(level=0).min()
    k = m - pd.Series(ids).map(churn_m).to_numpy(dtype=float)
    leavers = ~np.isnan(k)
    sel = leavers & (k >= -months_before) & (k <= 0)
    df = activity.loc[sel, list(signals)].astype(float).assign(months_to_churn=k[sel].astype(int))
    out = df.groupby("months_to_churn").mean()
    out["customers"] = df.groupby("months_to_churn").size()
    base = activity.loc[~leavers, list(signals)].astype(float).mean()
    base["customers"] = pd.Series(ids[~leavers]).nunique()
    out.loc["baseline"] = base
    out.index = out.index.astype(object)
    out.index.name = "months_to_churn"
    out["customers"] = out["customers"].astype(int)
    return out
