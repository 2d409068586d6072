"""Validation over time: train on earlier cutoffs, test on a later one, never on overlapping labels.

A label at cutoff c covers the months [c, c + horizon). A training cutoff whose
window reaches past the test cutoff was labelled with outcomes from the test period:
training on it lets the future leak in. :func:`time_validate` therefore needs the
horizon; by default it is read from the data (``snapshots.attrs["horizon"]`` as
:func:`cxlib.features.build_features` sets it, or, with an id column, the longest gap
between a churner's label and the last cutoff at which the same customer was still a
customer), and a training cutoff whose window overlaps the test period is refused.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from cxlib._deprecation import renamed_arguments
from cxlib.analytics.churn.evaluation import ChurnEvaluation, evaluate
from cxlib.analytics.churn.leakage import leakage_checks, warn_alarms
from cxlib.analytics.churn.model import ChurnModel
from cxlib.errors import CxError

__all__ = ["time_validate", "infer_horizon"]


def _months_between(later: pd.Series, earlier: pd.Series) -> np.ndarray:
    return ((later.dt.year - earlier.dt.year) * 12 + (later.dt.month - earlier.dt.month)).to_numpy()


def infer_horizon(dates: pd.Series, ids: pd.Series, y: pd.Series) -> int | None:
    """The shortest label horizon (months) that the stacked snapshots are consistent with.

    A churner labelled 1 at cutoff c who is still a customer at a later cutoff c' cancels
    at or after c', so their window [c, c + horizon) reaches c': horizon ≥ (c' − c) + 1.

    Parameters
    ----------
    dates : Series of datetime
        The cutoff of each row.
    ids : Series
        The customer of each row.
    y : Series of 0/1
        The label of each row.

    Returns
    -------
    int or None
        The largest such bound, or None when no churner appears at a later cutoff.

    Examples
    --------
    >>> d = pd.to_datetime(pd.Series(["2024-01-01", "2024-02-01", "2024-03-01", "2024-01-01"]))
    >>> infer_horizon(d, pd.Series(["a", "a", "a", "b"]), pd.Series([1, 1, 1, 0]))
    3
    """
    df = pd.DataFrame({"d": pd.to_datetime(dates).to_numpy(), "id": ids.to_numpy(), "y": np.asarray(y)})
    last = df.groupby("id")["d"].max()
    churn = df[df["y"] == 1]
    if churn.empty:
        return None
    gap = _months_between(churn["id"].map(last), churn["d"])
    return int(gap.max()) + 1 if (gap > 0).any() else None


def _horizon(snapshots, d, target_column, id_column, horizon) -> tuple[int, str]:
    if horizon is not None:
        if int(horizon) < 1:
            raise CxError(f"horizon is the label window in months, at least 1; got {horizon!r}.")
        return int(horizon), "given"
    if snapshots.attrs.get("horizon"):
        return int(snapshots.attrs["horizon"]), "from the table's build"
    if id_column is not None:
        h = infer_horizon(d, snapshots[id_column], snapshots[target_column])
        if h is not None:
            return h, "read from the data (churners still customers at later cutoffs)"
    raise CxError(
        "time-based validation needs the label horizon (months after each cutoff in which a "
        "cancellation counts) to keep training labels out of the test period, and the data do not "
        "show it: pass horizon=3 (cx churn: --horizon 3), or an id column so it can be read from the data."
    )


def _training_cutoffs(d: pd.Series, test: pd.Timestamp, h: int, drop_overlapping: bool) -> tuple[pd.Series, list]:
    """Rows of earlier cutoffs whose label window ends by ``test``; overlapping ones refused or dropped."""
    earlier = d < test
    overlap = earlier & ((d + pd.DateOffset(months=h)) > test)
    bad = sorted(d[overlap].dt.strftime("%Y-%m-%d").unique())
    if bad and not drop_overlapping:
        raise CxError(
            f"training cutoff(s) {', '.join(bad)} have {h}-month outcome windows that reach into the test "
            f"period starting {test:%Y-%m-%d}: their labels would come from the test months. Use cutoffs at "
            f"least {h} months before the test cutoff (drop those rows), or pass drop_overlapping=True "
            "(cx churn: --drop-overlapping) to leave them out."
        )
    return earlier & ~overlap, bad


@renamed_arguments(target="target_column")
def time_validate(
    snapshots: pd.DataFrame,
    date_column: str,
    target_column: str = "churned",
    *,
    id_column: str | None = None,
    model: ChurnModel | None = None,
    test_date: Any = None,
    horizon: int | None = None,
    drop_overlapping: bool = False,
) -> ChurnEvaluation:
    """Train on earlier cutoffs, test on a later one (the honest test for time-stamped data).

    Parameters
    ----------
    snapshots : DataFrame
        Stacked point-in-time tables (e.g. :func:`cxlib.features.build_features` at
        several cutoffs, concatenated) with the cutoff in ``date_column``.
    date_column : str
        The cutoff of each row.
    target_column : str, default "churned"
        The 0/1 label.
    id_column : str, optional
        The customer id (not a feature; lets the horizon be read from the data).
    model : ChurnModel, optional
        The model to validate (default ``ChurnModel()``).
    test_date : date-like, optional
        The cutoff to test on (default: the latest).
    horizon : int, optional
        The label horizon in months; default from the data (see the module docstring).
    drop_overlapping : bool, default False
        Leave out training cutoffs whose label window reaches past ``test_date``
        instead of refusing them.

    Returns
    -------
    ChurnEvaluation
        Its ``method`` says the cutoffs used, the horizon and where it came from;
        ``alarms`` holds any leakage alarm.

    Raises
    ------
    CxError
        No rows at the test cutoff or no usable earlier cutoff, an unknown horizon, or
        (without ``drop_overlapping``) a training cutoff whose labels overlap the test period.

    Examples
    --------
    >>> from cxlib.data import datasets
    >>> from cxlib.features import build_features
    >>> act = datasets.load_activity()
    >>> snaps = pd.concat([build_features(act, c, horizon=1).assign(cutoff=c)
    ...                    for c in ["2024-04-01", "2024-05-01", "2024-06-01"]])
    >>> ev = time_validate(snaps, "cutoff", id_column="customer_id", horizon=1)
    >>> ev.method
    'logistic: trained on 2 earlier cutoff(s), tested on 2024-06-01; horizon 1 month(s), given'
    """
    model = model or ChurnModel()
    d = pd.to_datetime(snapshots[date_column]).reset_index(drop=True)
    test = pd.Timestamp(test_date) if test_date is not None else d.max()
    h, source = _horizon(snapshots.reset_index(drop=True), d, target_column, id_column, horizon)
    train_mask, dropped = _training_cutoffs(d, test, h, drop_overlapping)
    if not train_mask.any() or not (d == test).any():
        raise CxError(
            f"time-based validation needs rows at {test:%Y-%m-%d} and at earlier cutoffs whose {h}-month label "
            f"window ends by then; found cutoffs {sorted(d.dt.strftime('%Y-%m-%d').unique())}."
        )
    drop = [c for c in (date_column, target_column, id_column) if c is not None]
    tr, te = snapshots[train_mask.to_numpy()], snapshots[(d == test).to_numpy()]
    m = clone(model).fit(tr.drop(columns=drop), tr[target_column])
    p = m.predict_proba(te.drop(columns=drop))[:, 1]
    n_cut = d[train_mask].nunique()
    note = f"; left out {len(dropped)} overlapping cutoff(s)" if dropped else ""
    ev = evaluate(
        te[target_column],
        p,
        method=f"{model.kind}: trained on {n_cut} earlier cutoff(s), tested on {test:%Y-%m-%d}; "
        f"horizon {h} month(s), {source}{note}",
    )
    ev.alarms = leakage_checks(tr.drop(columns=drop), tr[target_column], auc=ev.auc)
    warn_alarms(ev.alarms)
    return ev
