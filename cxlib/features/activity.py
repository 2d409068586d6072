"""Point-in-time churn features from monthly activity and the other tables.

:func:`build_features` turns monthly activity (and, optionally, support contacts,
relationship surveys, post-contact surveys and the customer table) into one row per
customer *active at a cutoff*, with features computed **only from data before the
cutoff** and the label ``churned`` = cancelled within ``horizon`` months from the
cutoff. :func:`describe_features` says what each feature means.

Conventions
-----------
* A *cutoff* is the first day of a month. The last month before it is "month 0"
  in the windows: ``complaints_3m`` sums the three months before the cutoff.
* Blank means "no such event before the cutoff" (``months_since_complaint`` for a
  customer who never complained).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxlib.checks import require_columns
from cxlib.errors import CxError, Problem, ValidationError

__all__ = ["build_features", "COUNT_COLUMNS", "LEVEL_COLUMNS", "STATIC_COLUMNS", "describe_features"]


#: Activity columns summed over each window (counts and 0/1 flags).
COUNT_COLUMNS = (
    "care_contacts",
    "complaints",
    "positive_feedback",
    "payment_issue",
    "help_video_views",
    "help_article_views",
)


#: Activity columns that are levels: last value, trend and change against the customer's history.
LEVEL_COLUMNS = ("usage_gb", "spend", "products_held")


#: Customer-table columns known at signup (safe to use at any cutoff).
STATIC_COLUMNS = ("age", "plan", "city", "acquisition_channel", "monthly_fee")


#: Count columns whose recency is a feature: column -> name in ``months_since_<name>``.
_RECENCY = {"complaints": "complaint", "payment_issue": "payment_issue"}


# =====================================================================================
# 1. point-in-time features
# =====================================================================================
def _month_index(values) -> np.ndarray:
    """Months since 1970-01 (int64) of a datetime-like array."""
    arr = pd.to_datetime(values).to_numpy() if not isinstance(values, np.ndarray) else values
    return np.asarray(arr, dtype="datetime64[ns]").astype("datetime64[M]").astype(np.int64)


def _dates(s: pd.Series, name: str, table: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(s):
        return s
    out = pd.to_datetime(s, errors="coerce", format="ISO8601")
    retry = out.isna() & s.notna()
    if retry.any():  # other formats, element by element (slower; ISO dates are the contract)
        out[retry] = pd.to_datetime(s[retry], errors="coerce", format="mixed")
    bad = out.isna() & s.notna()
    if bad.any():
        rows = np.flatnonzero(bad.to_numpy())[:5] + 2
        raise ValidationError(
            [
                Problem(
                    "not a date",
                    column=name,
                    rows=tuple(rows),
                    values=tuple(s[bad].head(5)),
                    count=int(bad.sum()),
                    fix="write dates as YYYY-MM-DD.",
                )
            ],
            source=table,
        )
    return out


def build_features(
    activity: pd.DataFrame,
    cutoff,
    horizon: int = 3,
    *,
    interactions: pd.DataFrame | None = None,
    surveys: pd.DataFrame | None = None,
    feedback: pd.DataFrame | None = None,
    customers: pd.DataFrame | None = None,
    windows: Sequence[int] = (1, 3, 6),
    label: bool = True,
    id_column: str = "customer_id",
    month_column: str = "month",
    churn_column: str = "churned",
    count_columns: Sequence[str] = COUNT_COLUMNS,
    level_columns: Sequence[str] = LEVEL_COLUMNS,
    static_columns: Sequence[str] = STATIC_COLUMNS,
    signup_column: str = "signup_date",
    interaction_time_column: str = "timestamp",
    survey_date_column: str = "survey_date",
    score_column: str = "ltr",
    feedback_date_column: str = "date",
    csat_column: str = "csat",
) -> pd.DataFrame:
    """Point-in-time churn features at ``cutoff`` and the label within ``horizon`` months.

    Only customers *active at the cutoff* are kept: they have an activity row in the
    month before the cutoff and did not cancel in it. Every feature uses rows dated
    strictly before the cutoff; the label ``churned`` is 1 when the customer cancels
    in one of the ``horizon`` months starting at the cutoff. Fully vectorised
    (NumPy ``bincount`` on integer codes): a million customers with 24 months of
    activity take well under 30 seconds.

    Parameters
    ----------
    activity : DataFrame
        One row per customer and month (data contract ``activity``): an id, a month
        (any date in the month), the churn flag and any of :data:`COUNT_COLUMNS`
        and :data:`LEVEL_COLUMNS`. Columns that are absent are skipped.
    cutoff : date-like
        First day of a month, e.g. ``"2024-07-01"``.
    horizon : int, default 3
        Months after the cutoff in which a cancellation counts as churn.
    interactions, surveys, feedback, customers : DataFrame, optional
        Support contacts (``interactions``), relationship surveys (``nps_surveys``),
        post-contact surveys (``agent_feedback``) and the customer table. Only rows
        dated before the cutoff are used; from ``customers`` only the signup date and
        ``static_columns`` (never ``status`` or ``churn_date``, which leak the future).
    windows : sequence of int, default (1, 3, 6)
        Window lengths in months for sums (``complaints_3m``); the middle and the
        largest window define trends (mean of the last ``windows[1]`` months over the
        mean of the months before, up to ``windows[-1]``).
    label : bool, default True
        Add the label. Use ``False`` to score today's customers (no future data yet).
    id_column, month_column, churn_column, ... : str
        Column names, so any company's tables can be used without renaming.
    count_columns, level_columns, static_columns : sequence of str
        Which activity/customer columns to summarise (absent ones are skipped).

    Returns
    -------
    DataFrame
        ``id_column``, the features (see :func:`describe_features`) and ``churned``
        (when ``label``), one row per active customer, sorted by id. Blank means
        "no such event before the cutoff" (e.g. ``months_since_complaint`` for a
        customer who never complained, ``last_ltr`` for one never surveyed).
        ``df.attrs["cutoff"]``, ``["horizon"]``, ``["n_active"]`` and
        ``["n_missing"]`` (blank signal values ignored in the sums, per column)
        describe the build.

    Raises
    ------
    ValidationError
        Missing columns or non-date months.
    CxError
        A cutoff that is not the first of a month, no active customer at the cutoff,
        or (with ``label=True``) activity that does not reach the end of the horizon.

    Examples
    --------
    >>> import pandas as pd
    >>> act = pd.DataFrame({
    ...     "customer_id": ["a", "a", "a", "b", "b", "b"],
    ...     "month": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"] * 2),
    ...     "complaints": [0, 2, 5, 1, 0, 0], "churned": [0, 0, 0, 0, 0, 1]})
    >>> f = build_features(act, "2024-03-01", horizon=1, windows=(1, 2))
    >>> f[["customer_id", "complaints_1m", "complaints_2m", "months_since_complaint", "churned"]]
      customer_id  complaints_1m  complaints_2m  months_since_complaint  churned
    0           a            2.0            2.0                     0.0        0
    1           b            0.0            1.0                     1.0        1
    """
    windows = tuple(sorted({int(w) for w in windows}))
    if not windows or windows[0] < 1:
        raise CxError("windows must be positive whole numbers of months, e.g. (1, 3, 6).")
    if int(horizon) < 1:
        raise CxError("horizon must be at least 1 month.")
    cut = pd.Timestamp(cutoff)
    if cut != cut.normalize() or cut.day != 1:
        raise CxError(
            f"cutoff {cutoff!r} is not the first day of a month; activity is monthly, so a "
            f"mid-month cutoff would let the rest of that month leak in. Use e.g. "
            f"'{cut:%Y-%m}-01'."
        )
    require_columns(activity, [id_column, month_column], "activity")
    months = _dates(activity[month_column], month_column, "activity")
    c_m = _month_index(np.array([cut.to_datetime64()]))[0]
    age = c_m - 1 - _month_index(months.to_numpy())  # 0 = last month before cutoff
    has_churn = churn_column in activity.columns
    churn = (activity[churn_column].fillna(0).to_numpy(dtype=float) > 0) if has_churn else None
    if label and not has_churn:
        raise ValidationError(
            [
                Problem(
                    "missing column",
                    column=churn_column,
                    fix=("the label needs the monthly churn flag; pass churn_column=... or label=False."),
                )
            ],
            source="activity",
        )
    # active at the cutoff ------------------------------------------------------------------
    ids = activity[id_column]
    codes, uniq = pd.factorize(ids, sort=False)
    last = age == 0
    if churn is not None:
        last &= ~churn
    active = np.zeros(len(uniq), bool)
    active[codes[last]] = True
    if not active.any():
        raise CxError(
            f"no customer is active at the cutoff {cut:%Y-%m-%d}: nobody has an activity row "
            f"in {cut - pd.DateOffset(months=1):%Y-%m} without cancelling. Pick a cutoff "
            f"inside the data ({months.min():%Y-%m} to {months.max():%Y-%m})."
        )
    remap = np.full(len(uniq), -1, np.int64)
    remap[active] = np.arange(active.sum())
    n = int(active.sum())
    rc = remap[codes]  # -1 for inactive customers
    use = (rc >= 0) & (age >= 0)
    sel_all = np.flatnonzero(use)
    c_all, a_all = rc[sel_all], age[sel_all]
    out: dict[str, np.ndarray] = {}
    n_missing: dict[str, int] = {}
    out["months_active"] = np.bincount(c_all, minlength=n).astype(float)
    # window sums of counts -----------------------------------------------------------------
    wsel = {w: a_all < w for w in windows}
    w_mid, w_max = windows[min(1, len(windows) - 1)], windows[-1]

    def col_values(col):
        v = activity[col].to_numpy(dtype=float, na_value=np.nan)[sel_all]
        miss = np.isnan(v)
        n_missing[col] = int(miss.sum())
        return np.where(miss, 0.0, v), ~miss

    for col in [c for c in count_columns if c in activity.columns]:
        v, ok = col_values(col)
        for w in windows:
            m = wsel[w]
            out[f"{col}_{w}m"] = np.bincount(c_all[m], weights=v[m], minlength=n)
        if col in _RECENCY:
            hit = (v > 0) & ok
            since = pd.Series(a_all[hit]).groupby(c_all[hit]).min()
            out[f"months_since_{_RECENCY[col]}"] = since.reindex(range(n)).to_numpy(dtype=float)
    if "complaints" in activity.columns and "complaints_resolved" in activity.columns:
        v, _ = col_values("complaints_resolved")
        for w in windows:
            m = wsel[w]
            out[f"unresolved_complaints_{w}m"] = out[f"complaints_{w}m"] - np.bincount(
                c_all[m], weights=v[m], minlength=n
            )
    # levels: last value, trend, change against own history ---------------------------------
    for col in [c for c in level_columns if c in activity.columns]:
        v, ok = col_values(col)

        def mean_over(mask, v=v, ok=ok):
            s = np.bincount(c_all[mask], weights=v[mask], minlength=n)
            k = np.bincount(c_all[mask], weights=ok[mask].astype(float), minlength=n)
            with np.errstate(invalid="ignore", divide="ignore"):
                return np.where(k > 0, s / np.where(k > 0, k, 1), np.nan)

        out[f"{col}_last"] = mean_over(a_all == 0)
        recent = mean_over(a_all < w_mid)
        if w_max > w_mid:
            prior = mean_over((a_all >= w_mid) & (a_all < w_max))
            with np.errstate(invalid="ignore", divide="ignore"):
                out[f"{col}_trend"] = np.where(prior > 0, recent / np.where(prior > 0, prior, 1), np.nan)
        hist = mean_over(a_all >= 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"{col}_vs_history"] = np.where(hist > 0, recent / np.where(hist > 0, hist, 1), np.nan)
    feats = pd.DataFrame(out)
    feats.insert(0, id_column, np.asarray(uniq)[active])
    # other tables ---------------------------------------------------------------------------
    pos = pd.Series(np.arange(n), index=feats[id_column].to_numpy())
    if customers is not None:
        require_columns(customers, [id_column], "customers")
        cu = customers.drop_duplicates(id_column).set_index(id_column).reindex(feats[id_column])
        if signup_column in cu.columns:
            sd = _dates(cu[signup_column], signup_column, "customers")
            feats["tenure_months"] = ((cut - sd).dt.days / 30.44).round().to_numpy()
            feats.loc[feats["tenure_months"] < 0, "tenure_months"] = np.nan
        for col in static_columns:
            if col in cu.columns:
                feats[col] = cu[col].to_numpy()
    if interactions is not None:
        _event_features(feats, pos, interactions, id_column, interaction_time_column, cut, c_m, windows, w_mid, w_max)
    if surveys is not None:
        _last_answer(
            feats,
            pos,
            surveys,
            id_column,
            survey_date_column,
            score_column,
            cut,
            "last_ltr" if score_column == "ltr" else f"last_{score_column}",
            c_m,
            since_name="months_since_survey",
        )
    if feedback is not None:
        _last_answer(
            feats,
            pos,
            feedback,
            id_column,
            feedback_date_column,
            csat_column,
            cut,
            "last_csat" if csat_column == "csat" else f"last_{csat_column}",
            c_m,
        )
    # label ------------------------------------------------------------------------------------
    if label:
        end_needed = c_m + int(horizon) - 1
        last_seen = _month_index(np.array([months.max().to_datetime64()]))[0]
        if last_seen < end_needed:
            raise CxError(
                f"the activity ends in {months.max():%Y-%m}, before the end of the {horizon}-month "
                f"horizon after {cut:%Y-%m}; the label would miss churners. Use an earlier "
                f"cutoff, a shorter horizon, or label=False to score customers without a label."
            )
        fut = (rc >= 0) & (age < 0) & (age >= -int(horizon)) & churn
        y = np.zeros(n, int)
        y[rc[fut]] = 1
        feats["churned"] = y
    feats = feats.sort_values(id_column, kind="stable").reset_index(drop=True)
    feats.attrs.update(
        cutoff=str(cut.date()), horizon=int(horizon), n_active=n, n_missing={k: v for k, v in n_missing.items() if v}
    )
    return feats


def _event_features(feats, pos, df, id_column, time_column, cut, c_m, windows, w_mid, w_max) -> None:
    """Contacts, first-contact resolution and waits from the interactions table."""
    require_columns(df, [id_column, time_column], "interactions")
    ts = _dates(df[time_column], time_column, "interactions")
    keep = (ts < cut).to_numpy() & df[id_column].isin(pos.index).to_numpy()
    d = df.loc[keep]
    code = pos.reindex(d[id_column]).to_numpy()
    a = c_m - 1 - _month_index(ts[keep].to_numpy())
    n = len(pos)
    for w in windows:
        m = a < w
        feats[f"contacts_{w}m"] = np.bincount(code[m], minlength=n).astype(float)
    m = a < w_mid
    for col, name in (
        ("resolved_first_contact", f"fcr_rate_{w_mid}m"),
        ("wait_minutes", f"wait_minutes_mean_{w_mid}m"),
    ):
        if col in d.columns:
            v = pd.to_numeric(d[col], errors="coerce").to_numpy(dtype=float)
            mm = m & ~np.isnan(v)
            s = np.bincount(code[mm], weights=v[mm], minlength=n)
            k = np.bincount(code[mm], minlength=n)
            with np.errstate(invalid="ignore", divide="ignore"):
                feats[name] = np.where(k > 0, s / np.where(k > 0, k, 1), np.nan)
    if "proactive" in d.columns:
        v = pd.to_numeric(d["proactive"], errors="coerce").fillna(0).to_numpy(dtype=float)
        mm = a < w_max
        feats[f"proactive_contacts_{w_max}m"] = np.bincount(code[mm], weights=v[mm], minlength=n)


def _last_answer(
    feats, pos, df, id_column, date_column, score_column, cut, name, c_m, since_name: str | None = None
) -> None:
    """Last non-blank answer before the cutoff (and months since it)."""
    require_columns(df, [id_column, date_column, score_column], "survey")
    dt = _dates(df[date_column], date_column, "survey")
    score = pd.to_numeric(df[score_column], errors="coerce")
    keep = (dt < cut) & score.notna() & df[id_column].isin(pos.index)
    d = pd.DataFrame({"id": df.loc[keep, id_column], "dt": dt[keep], "s": score[keep]})
    d = d.sort_values("dt", kind="stable").groupby("id").last()
    feats[name] = d["s"].reindex(feats.iloc[:, 0]).to_numpy(dtype=float)
    if since_name:
        a = c_m - 1 - _month_index(d["dt"].to_numpy())
        feats[since_name] = pd.Series(a, index=d.index).reindex(feats.iloc[:, 0]).to_numpy(dtype=float)


def describe_features(features: pd.DataFrame) -> pd.DataFrame:
    """A plain-language description of each column made by :func:`build_features`.

    Examples
    --------
    >>> describe_features(pd.DataFrame(columns=["complaints_3m", "usage_gb_trend"]))["meaning"].tolist()
    ['sum of complaints in the 3 months before the cutoff', 'usage_gb: mean of the recent months / mean of the months before (1 = flat)']
    """
    rows = []
    for c in features.columns:
        if c in ("churned",):
            text = "label: 1 if the customer cancels within the horizon after the cutoff"
        elif c.startswith("months_since_"):
            text = f"months since the last {c[13:].replace('_', ' ')} before the cutoff (0 = last month; blank = none)"
        elif c.startswith("unresolved_complaints_"):
            text = f"complaints not resolved in the {c.rsplit('_', 1)[1][:-1]} months before the cutoff"
        elif c.endswith("_trend"):
            text = f"{c[:-6]}: mean of the recent months / mean of the months before (1 = flat)"
        elif c.endswith("_vs_history"):
            text = f"{c[:-11]}: mean of the recent months / the customer's own mean before the cutoff"
        elif c.endswith("_last"):
            text = f"{c[:-5]} in the last month before the cutoff"
        elif re.fullmatch(r".+_\d+m", c):
            base, w = c.rsplit("_", 1)
            text = f"sum of {base.replace('_', ' ')} in the {w[:-1]} months before the cutoff"
        elif c.startswith("last_"):
            text = f"last {c[5:]} answer before the cutoff (blank = never answered)"
        elif c == "months_active":
            text = "months with activity before the cutoff"
        elif c == "tenure_months":
            text = "months since signup at the cutoff"
        else:
            text = "as in the source table"
        rows.append((c, text))
    return pd.DataFrame(rows, columns=["feature", "meaning"])
