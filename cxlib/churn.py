r"""Churn from loyalty signals: point-in-time features, honest validation, targeting that pays.

Four steps, one function or class each:

1. :func:`build_features` turns monthly activity (and, optionally, support
   contacts, relationship surveys, post-contact surveys and the customer table)
   into one row per customer *active at a cutoff*, with features computed **only
   from data before the cutoff** and the label ``churned`` = cancelled within
   ``horizon`` months from the cutoff (cx_science §7).
2. :class:`ChurnModel` is a scikit-learn estimator: a ``Pipeline`` with a
   ``ColumnTransformer`` (median imputation with missing-value indicators and
   scaling for numbers; most-frequent imputation and one-hot encoding for text,
   rare levels pooled) followed by a regularised logistic regression
   (``kind="logistic"``, interpretable) or histogram gradient boosting
   (``kind="hgb"``, flexible). Constant columns are dropped and reported.
3. :func:`evaluate` scores predictions: ROC AUC with a DeLong interval, PR AUC
   (average precision) with a stratified percentile-bootstrap interval, Brier
   score and a reliability curve, lift and gains, top-decile lift, accuracy next
   to the accuracy of "nobody churns". :meth:`ChurnModel.cross_validate` gives
   out-of-fold predictions (stratified K-fold, fixed seed) for a one-snapshot
   table; :func:`time_validate` trains on earlier cutoffs and tests on a later one,
   which is the default for time-stamped data.
4. :func:`targeting_profit` turns probabilities into a contact list: the expected
   profit of contacting the top k% and the break-even probability.

Conventions
-----------
* A *cutoff* is the first day of a month. The last month before it is "month 0"
  in the windows: ``complaints_3m`` sums the three months before the cutoff.
* ROC AUC interval: DeLong, DeLong & Clarke-Pearson (1988), with the fast
  algorithm of Sun & Xu (2014); normal approximation on the AUC scale, clipped to
  [0, 1]. PR AUC interval: 2.5th and 97.5th percentiles of 500 stratified bootstrap
  resamples (seeded).
* Lift of a group = churn rate in the group / overall churn rate (at most
  1/prevalence). Top-decile lift uses the 10% of customers with the highest score.
* Expected profit of contacting customer *i* (see :func:`targeting_profit`):
  :math:`p_i s V_i - c - (1 - p_i)\,g`, with churn probability :math:`p_i`, the
  offer's success rate with would-be churners :math:`s`, value saved
  :math:`V_i`, cost per contact :math:`c` and incentive wasted on a customer who
  would have stayed anyway :math:`g`. Contact when it is positive.

Examples
--------
>>> from cxlib import datasets
>>> from cxlib.churn import ChurnModel
>>> snap = datasets.load_churn_snapshot()
>>> X, y = snap.drop(columns=["customer_id", "churned"]), snap["churned"]
>>> ev = ChurnModel().cross_validate(X, y, folds=5, seed=0)
>>> 0.75 < ev.auc < 0.9
True
>>> ev.auc_ci_low < ev.auc < ev.auc_ci_high
True
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.calibration import calibration_curve
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from cxlib.errors import CxError, Problem, ValidationError
from cxlib.stats import check_target_scores, delong_auc_ci

__all__ = [
    "build_features", "COUNT_COLUMNS", "LEVEL_COLUMNS", "STATIC_COLUMNS", "describe_features",
    "ChurnModel", "ChurnEvaluation", "evaluate", "delong_auc_ci", "lift_table", "top_decile_lift",
    "calibration_table", "time_validate", "targeting_profit", "TargetingResult", "parse_target",
    "clean_features", "CleanTable", "km_by_signal", "signals_before_churn", "plot_signals_before_churn",
]

#: Activity columns summed over each window (counts and 0/1 flags).
COUNT_COLUMNS = ("care_contacts", "complaints", "positive_feedback", "payment_issue",
                 "help_video_views", "help_article_views")
#: Activity columns that are levels: last value, trend and change against the customer's history.
LEVEL_COLUMNS = ("usage_gb", "spend", "products_held")
#: Customer-table columns known at signup (safe to use at any cutoff).
STATIC_COLUMNS = ("age", "plan", "city", "acquisition_channel", "monthly_fee")

#: Count columns whose recency is a feature: column -> name in ``months_since_<name>``.
_RECENCY = {"complaints": "complaint", "payment_issue": "payment_issue"}

_TRUE = {"1", "1.0", "yes", "y", "true", "t", "churned", "churn", "left", "lost", "cancelled",
         "canceled", "inactive", "attrited", "exited"}
_FALSE = {"0", "0.0", "no", "n", "false", "f", "active", "stayed", "retained", "not churned",
          "current", "existing"}


# =====================================================================================
# 1. point-in-time features
# =====================================================================================
def _month_index(values) -> np.ndarray:
    """Months since 1970-01 (int64) of a datetime-like array."""
    arr = pd.to_datetime(values).to_numpy() if not isinstance(values, np.ndarray) else values
    return np.asarray(arr, dtype="datetime64[ns]").astype("datetime64[M]").astype(np.int64)


def _require(df: pd.DataFrame, columns: Iterable[str], table: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValidationError([Problem("missing column", column=c, fix=(
            f"the {table} table needs this column; pass its name in your file with the matching "
            f"*_column argument (e.g. id_column='CustomerID').")) for c in missing], source=table)


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
        raise ValidationError([Problem("not a date", column=name, rows=tuple(rows), values=tuple(s[bad].head(5)),
                                       count=int(bad.sum()), fix="write dates as YYYY-MM-DD.")], source=table)
    return out


def build_features(activity: pd.DataFrame, cutoff, horizon: int = 3, *,
                   interactions: pd.DataFrame | None = None, surveys: pd.DataFrame | None = None,
                   feedback: pd.DataFrame | None = None, customers: pd.DataFrame | None = None,
                   windows: Sequence[int] = (1, 3, 6), label: bool = True,
                   id_column: str = "customer_id", month_column: str = "month",
                   churn_column: str = "churned",
                   count_columns: Sequence[str] = COUNT_COLUMNS,
                   level_columns: Sequence[str] = LEVEL_COLUMNS,
                   static_columns: Sequence[str] = STATIC_COLUMNS,
                   signup_column: str = "signup_date",
                   interaction_time_column: str = "timestamp",
                   survey_date_column: str = "survey_date", score_column: str = "ltr",
                   feedback_date_column: str = "date", csat_column: str = "csat") -> pd.DataFrame:
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
        raise CxError(f"cutoff {cutoff!r} is not the first day of a month; activity is monthly, so a "
                      f"mid-month cutoff would let the rest of that month leak in. Use e.g. "
                      f"'{cut:%Y-%m}-01'.")
    _require(activity, [id_column, month_column], "activity")
    months = _dates(activity[month_column], month_column, "activity")
    c_m = _month_index(np.array([cut.to_datetime64()]))[0]
    age = c_m - 1 - _month_index(months.to_numpy())          # 0 = last month before cutoff
    has_churn = churn_column in activity.columns
    churn = (activity[churn_column].fillna(0).to_numpy(dtype=float) > 0) if has_churn else None
    if label and not has_churn:
        raise ValidationError([Problem("missing column", column=churn_column, fix=(
            "the label needs the monthly churn flag; pass churn_column=... or label=False."))],
            source="activity")
    # active at the cutoff ------------------------------------------------------------------
    ids = activity[id_column]
    codes, uniq = pd.factorize(ids, sort=False)
    last = age == 0
    if has_churn:
        last &= ~churn
    active = np.zeros(len(uniq), bool)
    active[codes[last]] = True
    if not active.any():
        raise CxError(f"no customer is active at the cutoff {cut:%Y-%m-%d}: nobody has an activity row "
                      f"in {cut - pd.DateOffset(months=1):%Y-%m} without cancelling. Pick a cutoff "
                      f"inside the data ({months.min():%Y-%m} to {months.max():%Y-%m}).")
    remap = np.full(len(uniq), -1, np.int64)
    remap[active] = np.arange(active.sum())
    n = int(active.sum())
    rc = remap[codes]                                         # -1 for inactive customers
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
                c_all[m], weights=v[m], minlength=n)
    # levels: last value, trend, change against own history ---------------------------------
    for col in [c for c in level_columns if c in activity.columns]:
        v, ok = col_values(col)

        def mean_over(mask):
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
        _require(customers, [id_column], "customers")
        cu = customers.drop_duplicates(id_column).set_index(id_column).reindex(feats[id_column])
        if signup_column in cu.columns:
            sd = _dates(cu[signup_column], signup_column, "customers")
            feats["tenure_months"] = ((cut - sd).dt.days / 30.44).round().to_numpy()
            feats.loc[feats["tenure_months"] < 0, "tenure_months"] = np.nan
        for col in static_columns:
            if col in cu.columns:
                feats[col] = cu[col].to_numpy()
    if interactions is not None:
        _event_features(feats, pos, interactions, id_column, interaction_time_column, cut, c_m,
                        windows, w_mid, w_max)
    if surveys is not None:
        _last_answer(feats, pos, surveys, id_column, survey_date_column, score_column, cut,
                     "last_ltr" if score_column == "ltr" else f"last_{score_column}", c_m,
                     since_name="months_since_survey")
    if feedback is not None:
        _last_answer(feats, pos, feedback, id_column, feedback_date_column, csat_column, cut,
                     "last_csat" if csat_column == "csat" else f"last_{csat_column}", c_m)
    # label ------------------------------------------------------------------------------------
    if label:
        end_needed = c_m + int(horizon) - 1
        last_seen = _month_index(np.array([months.max().to_datetime64()]))[0]
        if last_seen < end_needed:
            raise CxError(f"the activity ends in {months.max():%Y-%m}, before the end of the {horizon}-month "
                          f"horizon after {cut:%Y-%m}; the label would miss churners. Use an earlier "
                          f"cutoff, a shorter horizon, or label=False to score customers without a label.")
        fut = (rc >= 0) & (age < 0) & (age >= -int(horizon)) & churn
        y = np.zeros(n, int)
        y[rc[fut]] = 1
        feats["churned"] = y
    feats = feats.sort_values(id_column, kind="stable").reset_index(drop=True)
    feats.attrs.update(cutoff=str(cut.date()), horizon=int(horizon), n_active=n,
                       n_missing={k: v for k, v in n_missing.items() if v})
    return feats


def _event_features(feats, pos, df, id_column, time_column, cut, c_m, windows, w_mid, w_max) -> None:
    """Contacts, first-contact resolution and waits from the interactions table."""
    _require(df, [id_column, time_column], "interactions")
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
    for col, name in (("resolved_first_contact", f"fcr_rate_{w_mid}m"),
                      ("wait_minutes", f"wait_minutes_mean_{w_mid}m")):
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


def _last_answer(feats, pos, df, id_column, date_column, score_column, cut, name, c_m,
                 since_name: str | None = None) -> None:
    """Last non-blank answer before the cutoff (and months since it)."""
    _require(df, [id_column, date_column, score_column], "survey")
    dt = _dates(df[date_column], date_column, "survey")
    score = pd.to_numeric(df[score_column], errors="coerce")
    keep = (dt < cut) & score.notna() & df[id_column].isin(pos.index)
    d = pd.DataFrame({"id": df.loc[keep, id_column], "dt": dt[keep], "s": score[keep]})
    d = d.sort_values("dt", kind="stable").groupby("id").last()
    feats[name] = d["s"].reindex(feats.iloc[:, 0]).to_numpy(dtype=float)
    if since_name:
        a = c_m - 1 - _month_index(d["dt"].to_numpy())
        feats[since_name] = pd.Series(a, index=d.index).reindex(feats.iloc[:, 0]).to_numpy(dtype=float)


def signals_before_churn(activity: pd.DataFrame, signals: Sequence[str], months_before: int = 6, *,
                         id_column: str = "customer_id", month_column: str = "month",
                         churn_column: str = "churned") -> pd.DataFrame:
    """Average monthly signals of leavers by months before they left, next to everyone else.

    For each customer who cancels, month 0 is the month of cancellation and -1 the
    month before. The ``baseline`` rows give the same signals averaged over all
    customer-months of customers who did not cancel in the data (their typical
    level), so a picture can show which signals move *before* customers leave.

    Returns
    -------
    DataFrame indexed by ``months_to_churn`` (-months_before ... 0) plus a final
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
    _require(activity, [id_column, month_column, churn_column, *signals], "activity")
    m = _month_index(_dates(activity[month_column], month_column, "activity").to_numpy())
    churn = activity[churn_column].fillna(0).to_numpy(dtype=float) > 0
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


def plot_signals_before_churn(table: pd.DataFrame, axes=None, labels: dict | None = None):
    """Small multiples of :func:`signals_before_churn`: each signal relative to its baseline.

    Returns the array of Axes.
    """
    import matplotlib.pyplot as plt

    from cxlib.plots import COLORS, use_style

    use_style()
    cols = [c for c in table.columns if c != "customers"]
    if axes is None:
        _, axes = plt.subplots(1, len(cols), figsize=(3.3 * len(cols), 3.4), sharey=True, squeeze=False,
                               layout="constrained")
        axes = axes[0]
    base = table.loc["baseline", cols]
    t = table.drop(index="baseline")
    x = t.index.astype(int)
    for ax, c in zip(axes, cols):
        ratio = t[c] / base[c] if base[c] else t[c] * np.nan
        ax.plot(x, ratio, "o-", color=COLORS["bad"], lw=2, label="customers who left")
        ax.axhline(1, color=COLORS["neutral"], ls="--", lw=1, label="customers who stayed (average)")
        ax.set_title((labels or {}).get(c, c.replace("_", " ")), loc="left", fontsize=11)
        ax.set_xlabel("months to leaving")
    axes[0].set_ylabel("level / stayers' average (x)\n(0 = the month they left)")
    axes[0].legend(loc="upper left", fontsize=8)
    return axes


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


# =====================================================================================
# 2. cleaning a customer-level table (real exports)
# =====================================================================================
def parse_target(values: pd.Series, name: str = "churned") -> tuple[pd.Series, dict]:
    """Read a churn target given as 0/1, True/False or text ("Yes", "churned", ...).

    Blank values become ``<NA>`` (the caller excludes and counts them); anything else
    that is not understood raises a :class:`ValidationError` listing the values.

    Returns
    -------
    y : Series of Int64 (0, 1 or <NA>)
    mapping : dict
        How each distinct original value was read, e.g. ``{"Yes": 1, "No": 0}``.

    Examples
    --------
    >>> y, m = parse_target(pd.Series(["Yes", "no", " ", "YES"]))
    >>> y.tolist(), m
    ([1, 0, <NA>, 1], {'YES': 1, 'Yes': 1, 'no': 0})
    """
    s = values.astype("string").str.strip()
    s = s.mask(s == "")
    key = s.str.lower()
    y = pd.Series(pd.NA, index=values.index, dtype="Int64")
    y[key.isin(_TRUE).fillna(False).to_numpy(bool)] = 1
    y[key.isin(_FALSE).fillna(False).to_numpy(bool)] = 0
    bad = s.notna() & y.isna()
    if bad.any():
        rows = np.flatnonzero(bad.to_numpy())
        vals = list(dict.fromkeys(s[bad].tolist()))
        raise ValidationError([Problem("target value not understood", column=name, rows=tuple(rows[:5] + 2),
                                       values=tuple(vals[:5]), count=int(bad.sum()),
                                       fix="use 1/0, yes/no, true/false or churned/active.")])
    ok = s.notna()
    mapping = {str(k): int(v) for k, v in sorted(zip(s[ok].tolist(), y[ok].tolist()))}
    return y, mapping


@dataclass
class CleanTable:
    """A customer-level table made ready for modelling, with what was done to it."""

    X: pd.DataFrame
    y: pd.Series
    n_rows: int
    n_missing_target: int
    target_mapping: dict
    numeric: list
    categorical: list
    dropped: dict = field(default_factory=dict)
    n_text_as_missing: dict = field(default_factory=dict)
    index: pd.Index | None = field(default=None, repr=False)   # the input rows kept (target not blank)

    def notes(self) -> list[str]:
        """Readable lines describing the cleaning (for reports)."""
        out = []
        if self.n_missing_target:
            out.append(f"{self.n_missing_target} row(s) with a blank target excluded")
        labels = ", ".join(f"{k!r}→{v}" for k, v in self.target_mapping.items())
        if labels and set(self.target_mapping) - {"0", "1"}:
            out.append(f"target read as: {labels}")
        for c, why in self.dropped.items():
            out.append(f"column {c!r} not used: {why}")
        for c, k in self.n_text_as_missing.items():
            out.append(f"column {c!r}: {k} non-numeric value(s) treated as blank")
        return out


def _as_numbers(col: pd.Series, name: str) -> tuple[pd.Series, pd.Series]:
    """(numbers, non-blank cells) of a feature, read as cxlib.io reads a number column."""
    from cxlib.io import NA_TOKENS, to_numbers

    if pd.api.types.is_numeric_dtype(col):
        num, nonblank = col.astype(float), col.notna()
    else:
        txt = col.astype("string").str.strip()
        nonblank = txt.notna() & ~txt.str.lower().isin(NA_TOKENS).fillna(False)
        num = to_numbers(col, errors="coerce", name=name)
    rows = np.flatnonzero(np.isinf(num.to_numpy(dtype=float)))
    if len(rows):
        raise CxError(f"column {name!r} holds infinite values (rows {', '.join(str(r + 2) for r in rows[:5])}"
                      f"{', ...' if len(rows) > 5 else ''}), which no model can use: replace them by "
                      "numbers or blanks.")
    return num, nonblank


def clean_features(df: pd.DataFrame, target: str, id_column: str | None = None) -> CleanTable:
    """Prepare a customer-level export: parse the target, type the features, drop unusable columns.

    * The target is read by :func:`parse_target`; rows with a blank target are
      excluded and counted.
    * A feature is numeric when at least 95% of its non-blank values are numbers, read
      as :func:`cxlib.io.to_numbers` reads a column (the decimal mark and thousands
      separators decided for the whole column, currency and % signs removed; the rest
      are counted and treated as blank); otherwise it is categorical. Infinite values
      are refused.
    * Dropped and reported: the id column, empty and constant columns, and text
      columns with a different value in (almost) every row (they look like ids or
      free text).

    Raises
    ------
    CxError
        Unknown target column, one class only, no usable feature, an infinite value or
        a number column whose decimal mark cannot be decided (``1,234`` alone).

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["a", "b", "c", "d"], "fee": ["1,200.50", "30", " ", "45"],
    ...                    "plan": ["x", "y", "x", "y"], "same": [1, 1, 1, 1],
    ...                    "left": ["Yes", "No", "No", None]})
    >>> t = clean_features(df, "left", id_column="id")
    >>> t.numeric, t.categorical, t.n_missing_target, t.dropped["same"]
    (['fee'], ['plan'], 1, 'constant (one value)')
    """
    if target not in df.columns:
        raise CxError(f"target column {target!r} not found; the columns are: "
                      f"{', '.join(map(str, df.columns))}. Pass --target with one of them.")
    if id_column is not None and id_column not in df.columns:
        raise CxError(f"id column {id_column!r} not found; the columns are: {', '.join(map(str, df.columns))}.")
    y, mapping = parse_target(df[target], target)
    keep = y.notna().to_numpy()
    n_missing = int((~keep).sum())
    y = y[keep].astype(int)
    if y.nunique() < 2:
        cls = "no rows" if len(y) == 0 else f"only the value {int(y.iloc[0])}"
        raise CxError(f"the target {target!r} has {cls} after excluding {n_missing} blank(s): a churn model "
                      f"needs both churners (1) and stayers (0). Check the target column.")
    kept_index = df.index[keep]
    X = df.loc[keep].drop(columns=[c for c in (target, id_column) if c is not None]).reset_index(drop=True)
    y = y.reset_index(drop=True)
    dropped: dict[str, str] = {}
    if id_column is not None:
        dropped[id_column] = "id column"
    numeric, categorical, text_missing = [], [], {}
    for c in list(X.columns):
        col = X[c]
        if pd.api.types.is_bool_dtype(col):
            col = col.astype(float)
        num, nonblank = _as_numbers(col, str(c))
        n_nb = int(nonblank.sum())
        if n_nb == 0:
            dropped[c] = "empty"
            X = X.drop(columns=c)
            continue
        share = num.notna().sum() / n_nb
        if share >= 0.95:
            if int(n_nb - num.notna().sum()):
                text_missing[c] = int(n_nb - num.notna().sum())
            X[c] = num.astype(float)
            kind = "numeric"
        else:
            X[c] = col.astype("string").str.strip().replace("", pd.NA).astype(object).where(nonblank, np.nan)
            kind = "categorical"
        nun = X[c].nunique(dropna=True)
        if nun <= 1:
            dropped[c] = "constant (one value)"
            X = X.drop(columns=c)
        elif kind == "categorical" and len(X) >= 20 and nun > 0.9 * n_nb:
            dropped[c] = f"text with {nun} distinct values in {n_nb} rows (looks like an id or free text)"
            X = X.drop(columns=c)
        else:
            (numeric if kind == "numeric" else categorical).append(c)
    if not numeric and not categorical:
        raise CxError("no usable feature column: every column other than the target and id is empty, "
                      "constant or an id-like text column. A churn model needs at least one signal "
                      "(e.g. tenure, complaints, usage).")
    return CleanTable(X=X[numeric + categorical], y=y, n_rows=len(df), n_missing_target=n_missing,
                      target_mapping=mapping, numeric=numeric, categorical=categorical, dropped=dropped,
                      n_text_as_missing=text_missing, index=kept_index)


# =====================================================================================
# 3. metrics
# =====================================================================================
def _average_precision(y: np.ndarray, p: np.ndarray) -> float:
    """Average precision, sum of (R_k - R_k-1) P_k over distinct thresholds (as scikit-learn)."""
    order = np.argsort(-p, kind="stable")
    ys, ps = y[order], p[order]
    last = np.r_[np.flatnonzero(np.diff(ps)), len(ps) - 1]   # last index of each tie group
    tp = np.cumsum(ys)[last]
    prec = tp / (last + 1)
    rec = tp / tp[-1]
    return float(np.sum(np.diff(np.r_[0.0, rec]) * prec))


def _bootstrap_ap(y, p, reps: int = 500, seed: int = 0, level: float = 0.95) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    i1, i0 = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    vals = np.empty(reps)
    for r in range(reps):
        idx = np.r_[rng.choice(i1, len(i1)), rng.choice(i0, len(i0))]
        vals[r] = _average_precision(y[idx], p[idx])
    a = (1 - level) / 2
    lo, hi = np.quantile(vals, [a, 1 - a])
    return float(lo), float(hi)


def lift_table(y, p, bins: int = 10) -> pd.DataFrame:
    """Lift and gains by score group (group 1 = the highest scores).

    Customers are sorted by score (ties broken by position) and cut into ``bins``
    equal groups. ``lift`` = churn rate in the group / overall churn rate;
    ``gain`` = share of all churners found in this and the higher groups.

    Examples
    --------
    >>> t = lift_table([1, 0, 1, 0, 0, 0, 0, 0, 0, 0], [.9, .8, .7, .6, .5, .4, .3, .2, .1, .05], bins=5)
    >>> t[["group", "churners", "churn_rate", "lift", "gain"]]
       group  churners  churn_rate  lift  gain
    0      1         1         0.5   2.5   0.5
    1      2         1         0.5   2.5   1.0
    2      3         0         0.0   0.0   1.0
    3      4         0         0.0   0.0   1.0
    4      5         0         0.0   0.0   1.0
    """
    y = np.asarray(y, dtype=int)
    p = np.asarray(p, dtype=float)
    order = np.argsort(-p, kind="stable")
    grp = np.empty(len(y), int)
    grp[order] = np.arange(len(y)) * bins // len(y) + 1
    df = pd.DataFrame({"group": grp, "y": y, "p": p}).groupby("group").agg(
        customers=("y", "size"), churners=("y", "sum"), mean_score=("p", "mean"), min_score=("p", "min"))
    rate = y.mean()
    df["churn_rate"] = df["churners"] / df["customers"]
    df["lift"] = df["churn_rate"] / rate
    df["share_contacted"] = df["customers"].cumsum() / len(y)
    df["gain"] = df["churners"].cumsum() / y.sum()
    return df.reset_index()


def top_decile_lift(y, p) -> float:
    """Churn rate among the 10% highest scores / overall churn rate.

    Twenty customers, two churners; the top two scores hold one of them:
    0.5 / 0.1 = 5.

    >>> top_decile_lift([1] + [0] * 18 + [1], list(range(20, 0, -1)))
    5.0
    """
    y = np.asarray(y, dtype=int)
    p = np.asarray(p, dtype=float)
    k = max(1, int(round(0.1 * len(y))))
    top = np.argsort(-p, kind="stable")[:k]
    return float(y[top].mean() / y.mean())


def calibration_table(y, p, bins: int = 10) -> pd.DataFrame:
    """Reliability curve data: mean predicted vs observed churn rate in score quantiles.

    Examples
    --------
    >>> calibration_table([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9], bins=2)
       predicted  observed  customers
    0       0.15       0.0          2
    1       0.85       1.0          2
    """
    y = np.asarray(y, dtype=int)
    p = np.asarray(p, dtype=float)
    obs, pred = calibration_curve(y, p, n_bins=bins, strategy="quantile")
    edges = np.unique(np.quantile(p, np.linspace(0, 1, bins + 1)))
    counts = np.bincount(np.clip(np.searchsorted(edges[1:-1], p, side="right"), 0, len(edges) - 2),
                         minlength=len(edges) - 1)
    counts = counts[counts > 0]
    return pd.DataFrame({"predicted": pred, "observed": obs, "customers": counts[:len(pred)]})


@dataclass
class ChurnEvaluation:
    """Out-of-sample scores of churn predictions (see :func:`evaluate`)."""

    y: np.ndarray = field(repr=False)
    p: np.ndarray = field(repr=False)
    n: int
    churn_rate: float
    auc: float
    auc_se: float
    auc_ci_low: float
    auc_ci_high: float
    pr_auc: float
    pr_auc_ci_low: float
    pr_auc_ci_high: float
    brier: float
    brier_baseline: float
    top_decile_lift: float
    accuracy: float
    accuracy_nobody_churns: float
    method: str = ""

    def __repr__(self) -> str:
        return (f"ChurnEvaluation({self.method or 'predictions'}: n={self.n}, churn rate {self.churn_rate:.1%}, "
                f"ROC AUC {self.auc:.3f} [{self.auc_ci_low:.3f}, {self.auc_ci_high:.3f}], "
                f"PR AUC {self.pr_auc:.3f} [{self.pr_auc_ci_low:.3f}, {self.pr_auc_ci_high:.3f}] "
                f"(baseline {self.churn_rate:.3f}), Brier {self.brier:.4f} (baseline {self.brier_baseline:.4f}), "
                f"top-decile lift {self.top_decile_lift:.2f})")

    @property
    def summary(self) -> pd.DataFrame:
        """The scores as a two-column table (metric, value)."""
        d = self.to_dict()
        return pd.DataFrame({"metric": list(d), "value": list(d.values())})

    def to_dict(self) -> dict:
        keys = ("n", "churn_rate", "auc", "auc_se", "auc_ci_low", "auc_ci_high", "pr_auc", "pr_auc_ci_low",
                "pr_auc_ci_high", "brier", "brier_baseline", "top_decile_lift", "accuracy",
                "accuracy_nobody_churns")
        return {k: getattr(self, k) for k in keys}

    def lift_table(self, bins: int = 10) -> pd.DataFrame:
        return lift_table(self.y, self.p, bins)

    def calibration_table(self, bins: int = 10) -> pd.DataFrame:
        return calibration_table(self.y, self.p, bins)

    def plot_gains(self, ax=None, label: str | None = None):
        """Cumulative gains: share of churners found vs share of customers contacted."""
        from cxlib.plots import COLORS, new_axes

        ax = new_axes(ax)
        order = np.argsort(-self.p, kind="stable")
        x = np.r_[0, np.arange(1, self.n + 1) / self.n]
        g = np.r_[0, np.cumsum(self.y[order]) / self.y.sum()]
        ax.plot(x * 100, g * 100, color=COLORS["main"], lw=2, label=label or self.method or "model")
        ax.plot([0, 100], [0, 100], color=COLORS["neutral"], ls="--", lw=1, label="random list")
        ax.set_xlabel("customers contacted, highest risk first (%)")
        ax.set_ylabel("churners reached (%)")
        ax.legend(loc="lower right")
        return ax

    def plot_calibration(self, ax=None, bins: int = 10, label: str | None = None):
        """Reliability curve: predicted vs observed churn rate (the diagonal is perfect)."""
        from cxlib.plots import COLORS, new_axes

        ax = new_axes(ax)
        t = self.calibration_table(bins)
        top = max(t["predicted"].max(), t["observed"].max()) * 1.05
        ax.plot([0, top * 100], [0, top * 100], color=COLORS["neutral"], ls="--", lw=1, label="perfect")
        ax.plot(t["predicted"] * 100, t["observed"] * 100, "o-", color=COLORS["main"],
                label=label or self.method or "model")
        ax.set_xlabel("predicted churn probability (%)")
        ax.set_ylabel("observed churn rate (%)")
        ax.legend(loc="upper left")
        return ax


def evaluate(y, p, *, method: str = "", seed: int = 0, bootstrap: int = 500) -> ChurnEvaluation:
    """Score churn probabilities ``p`` against outcomes ``y`` (0/1).

    ROC AUC with a DeLong interval, PR AUC (average precision; its baseline is the
    churn rate) with a stratified bootstrap interval, Brier score (and the Brier
    score of predicting the churn rate for everyone), top-decile lift, and accuracy
    at a 0.5 threshold next to the accuracy of predicting that nobody churns.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> p = rng.uniform(0, 0.3, 2000); y = rng.random(2000) < p
    >>> ev = evaluate(y, p, method="oracle")
    >>> ev.accuracy == ev.accuracy_nobody_churns   # nobody gets p > 0.5
    True
    >>> 0.6 < ev.auc < 0.75
    True
    """
    y, p = check_target_scores(y, p)
    auc, se, lo, hi = delong_auc_ci(y, p)
    ap = float(average_precision_score(y, p))
    ap_lo, ap_hi = _bootstrap_ap(y, p, reps=bootstrap, seed=seed)
    rate = float(y.mean())
    return ChurnEvaluation(
        y=y, p=p, n=len(y), churn_rate=rate, auc=auc, auc_se=se, auc_ci_low=lo, auc_ci_high=hi, pr_auc=ap,
        pr_auc_ci_low=ap_lo, pr_auc_ci_high=ap_hi, brier=float(brier_score_loss(y, p)),
        brier_baseline=float(rate * (1 - rate)), top_decile_lift=top_decile_lift(y, p),
        accuracy=float(((p > 0.5) == y).mean()), accuracy_nobody_churns=float(1 - rate), method=method)


# =====================================================================================
# 4. the model
# =====================================================================================
class ChurnModel(ClassifierMixin, BaseEstimator):
    """A churn classifier with the preprocessing a real export needs.

    Parameters
    ----------
    kind : {"logistic", "hgb"}
        ``"logistic"``: L2-regularised logistic regression on standardised numbers
        (coefficients are per standard deviation, so they can be compared).
        ``"hgb"``: :class:`~sklearn.ensemble.HistGradientBoostingClassifier`.
    C : float, default 0.1
        Inverse regularisation strength of the logistic regression.
    min_frequency : float, default 0.01
        Text levels rarer than this share are pooled into one "infrequent" level.
    max_categories : int, default 20
        At most this many levels (plus the pool) per text column.
    random_state : int, default 0
    n_jobs : int or None, default 1
        OpenMP threads for the gradient boosting (1 is fastest on customer tables of
        a few thousand rows and on a shared machine; None lets OpenMP decide).

    Attributes
    ----------
    pipeline_ : sklearn Pipeline
    numeric_columns_, categorical_columns_ : list of str
    dropped_columns_ : dict
        Columns not used (constant or empty in the training data) and why.
    classes_ : ndarray
    feature_names_in_ : ndarray

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"complaints": [0, 0, 1, 3, 0, 2, 4, 0] * 5,
    ...                   "plan": list("ababbbab") * 5, "constant": 1})
    >>> y = (X["complaints"] >= 2).astype(int)
    >>> m = ChurnModel().fit(X, y)
    >>> m.dropped_columns_
    {'constant': 'constant (one value)'}
    >>> m.drivers().iloc[0]["plain"]
    'more complaints → higher churn risk'
    """

    def __init__(self, kind: str = "logistic", C: float = 0.1, min_frequency: float = 0.01,
                 max_categories: int = 20, random_state: int = 0, n_jobs: int | None = 1):
        self.n_jobs = n_jobs
        self.kind = kind
        self.C = C
        self.min_frequency = min_frequency
        self.max_categories = max_categories
        self.random_state = random_state

    # -- fitting ---------------------------------------------------------------------------
    def _split_columns(self, X: pd.DataFrame):
        num, cat, dropped = [], [], {}
        for c in X.columns:
            col = X[c]
            if col.nunique(dropna=True) <= 1:
                dropped[c] = "empty" if col.notna().sum() == 0 else "constant (one value)"
            elif pd.api.types.is_bool_dtype(col) or pd.api.types.is_numeric_dtype(col):
                num.append(c)
            else:
                cat.append(c)
        return num, cat, dropped

    def _pipeline(self, num, cat) -> Pipeline:
        if self.kind not in ("logistic", "hgb"):
            raise CxError(f"kind must be 'logistic' or 'hgb', not {self.kind!r}.")
        num_steps = [("impute", SimpleImputer(strategy="median", add_indicator=True))]
        if self.kind == "logistic":
            num_steps.append(("scale", StandardScaler()))
        cat_pipe = Pipeline([("impute", SimpleImputer(strategy="constant", fill_value="(blank)")),
                             ("onehot", OneHotEncoder(handle_unknown="ignore", min_frequency=self.min_frequency,
                                                      max_categories=self.max_categories, sparse_output=False))])
        pre = ColumnTransformer([("num", Pipeline(num_steps), num), ("cat", cat_pipe, cat)],
                                verbose_feature_names_out=True)
        if self.kind == "logistic":
            clf = LogisticRegression(C=self.C, max_iter=5000)
        else:
            clf = HistGradientBoostingClassifier(learning_rate=0.05, max_iter=250, max_leaf_nodes=15,
                                                 min_samples_leaf=40, l2_regularization=1.0,
                                                 early_stopping=False, random_state=self.random_state)
        return Pipeline([("prep", pre), ("model", clf)])

    def fit(self, X: pd.DataFrame, y) -> "ChurnModel":
        """Fit on features ``X`` (DataFrame) and 0/1 target ``y``; returns self."""
        if not isinstance(X, pd.DataFrame):
            X = pd.DataFrame(X)
        X = X.copy()
        for c in X.columns:
            if isinstance(X[c].dtype, pd.api.extensions.ExtensionDtype) and pd.api.types.is_numeric_dtype(X[c]):
                X[c] = X[c].astype(float)
            elif X[c].dtype == object or isinstance(X[c].dtype, (pd.StringDtype, pd.CategoricalDtype)):
                X[c] = X[c].astype(object).where(X[c].notna(), np.nan)
        y = np.asarray(y, dtype=float)
        if np.isnan(y).any() or not np.isin(y, (0, 1)).all():
            raise CxError("y must be 0/1 with no blanks; read text labels with cxlib.churn.parse_target.")
        if len(np.unique(y)) < 2:
            raise CxError("the target has one class only; a churn model needs churners and stayers.")
        num, cat, dropped = self._split_columns(X)
        if not num and not cat:
            raise CxError("no usable feature: every column is empty or constant.")
        self.numeric_columns_, self.categorical_columns_, self.dropped_columns_ = num, cat, dropped
        self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        self.n_features_in_ = X.shape[1]
        with self._threads():
            self.pipeline_ = self._pipeline(num, cat).fit(X, y.astype(int))
        self.classes_ = np.array([0, 1])
        self._X_fit, self._y_fit = X, y.astype(int)
        return self

    def _threads(self):
        from threadpoolctl import threadpool_limits

        return threadpool_limits(limits=self.n_jobs, user_api="openmp")

    def _prep_X(self, X) -> pd.DataFrame:
        if not hasattr(self, "pipeline_"):
            raise CxError("this ChurnModel is not fitted yet; call fit(X, y) first.")
        X = pd.DataFrame(X).copy()
        missing = [c for c in self.numeric_columns_ + self.categorical_columns_ if c not in X.columns]
        if missing:
            raise CxError(f"columns used in fitting are missing: {', '.join(missing)}.")
        for c in self.numeric_columns_:
            X[c] = pd.to_numeric(X[c], errors="coerce").astype(float)
        for c in self.categorical_columns_:
            X[c] = X[c].astype(object).where(X[c].notna(), np.nan)
        return X

    def predict_proba(self, X) -> np.ndarray:
        """Probabilities of (stay, churn), shape (n, 2)."""
        X = self._prep_X(X)
        with self._threads():
            return self.pipeline_.predict_proba(X)

    def predict(self, X, threshold: float = 0.5) -> np.ndarray:
        """1 when the churn probability exceeds ``threshold``."""
        return (self.predict_proba(X)[:, 1] > threshold).astype(int)

    # -- validation --------------------------------------------------------------------------
    def oof_predict(self, X: pd.DataFrame, y, folds: int = 5, seed: int = 0) -> np.ndarray:
        """Out-of-fold churn probabilities from stratified K-fold (shuffled with ``seed``)."""
        y = np.asarray(y, dtype=int)
        counts = np.bincount(y, minlength=2)
        if counts.min() < folds:
            raise CxError(f"only {counts.min()} customers in the smaller class; {folds}-fold validation needs at "
                          f"least {folds}. Use fewer folds or more data.")
        X = pd.DataFrame(X).reset_index(drop=True)
        p = np.empty(len(y))
        for tr, te in StratifiedKFold(folds, shuffle=True, random_state=seed).split(X, y):
            p[te] = clone(self).fit(X.iloc[tr], y[tr]).predict_proba(X.iloc[te])[:, 1]
        return p

    def cross_validate(self, X: pd.DataFrame, y, folds: int = 5, seed: int = 0) -> ChurnEvaluation:
        """Out-of-fold evaluation (stratified K-fold with a fixed seed); see :func:`evaluate`.

        Use this for one snapshot; for data with several cutoffs use :func:`time_validate`.
        """
        p = self.oof_predict(X, y, folds=folds, seed=seed)
        return evaluate(y, p, method=f"{self.kind}, {folds}-fold out-of-fold", seed=seed)

    # -- interpretation ------------------------------------------------------------------------
    def drivers(self, X: pd.DataFrame | None = None, y=None, n_repeats: int = 5) -> pd.DataFrame:
        """What drives the predicted risk, in plain language.

        Logistic: the coefficient of each standardised number (change in log-odds per
        standard deviation) and of each text level (against the average). HGB:
        permutation importance (drop in ROC AUC when the column is shuffled, on ``X``,
        ``y``; the training data by default) with the direction taken from the rank
        correlation between the column and the predicted risk. Associations, not
        causes.

        Returns
        -------
        DataFrame with ``feature``, ``effect``, ``direction`` ("higher"/"lower"
        risk), ``plain``, sorted by importance.
        """
        if not hasattr(self, "pipeline_"):
            raise CxError("fit the model first.")
        if self.kind == "logistic":
            names = self.pipeline_.named_steps["prep"].get_feature_names_out()
            coef = self.pipeline_.named_steps["model"].coef_.ravel()
            rows = []
            for nm, b in zip(names, coef):
                part, rest = nm.split("__", 1)
                if part == "num" and rest.startswith("missingindicator_"):
                    feat, plain_name = rest[len("missingindicator_"):], f"no value for {rest[len('missingindicator_'):]}"
                    feature = f"{feat} is blank"
                elif part == "num":
                    feature, plain_name = rest, f"more {rest}"
                else:
                    col = next(c for c in sorted(self.categorical_columns_, key=len, reverse=True)
                               if rest.startswith(c + "_"))
                    level = rest[len(col) + 1:]
                    level = "(other levels)" if level == "infrequent_sklearn" else level
                    feature, plain_name = f"{col} = {level}", f"{col} = {level}"
                rows.append((feature, float(b), plain_name))
            df = pd.DataFrame(rows, columns=["feature", "effect", "_plain"])
            df["importance"] = df["effect"].abs()
        else:
            from sklearn.inspection import permutation_importance

            Xe = self._X_fit if X is None else self._prep_X(X)
            ye = self._y_fit if y is None else np.asarray(y, dtype=int)
            cols = self.numeric_columns_ + self.categorical_columns_
            with self._threads():
                pi = permutation_importance(self.pipeline_, Xe[cols], ye, scoring="roc_auc", n_repeats=n_repeats,
                                            random_state=self.random_state)
                risk = self.pipeline_.predict_proba(Xe)[:, 1]
            rows = []
            for c, imp in zip(cols, pi.importances_mean):
                if c in self.numeric_columns_:
                    ok = Xe[c].notna().to_numpy()
                    rho = spearmanr(Xe[c][ok], risk[ok]).statistic if ok.sum() > 2 else 0.0
                    rows.append((c, float(imp), float(np.sign(np.nan_to_num(rho))), f"more {c}"))
                else:
                    means = pd.Series(risk).groupby(Xe[c].fillna("(blank)").to_numpy()).mean()
                    rows.append((f"{c} = {means.idxmax()}", float(imp), 1.0, f"{c} = {means.idxmax()}"))
            df = pd.DataFrame(rows, columns=["feature", "effect", "_sign", "_plain"])
            df["importance"] = df["effect"].clip(lower=0)
            df["effect"] = df["effect"] * np.where(df["_sign"] == 0, 1, df["_sign"])
            df = df.drop(columns="_sign")
        df["direction"] = np.where(df["effect"] > 0, "higher", "lower")
        df["plain"] = df["_plain"] + " → " + df["direction"] + " churn risk"
        df = df.drop(columns="_plain").sort_values("importance", ascending=False, kind="stable")
        return df.reset_index(drop=True)[["feature", "effect", "importance", "direction", "plain"]]

    @property
    def summary(self) -> pd.DataFrame:
        """The drivers table (see :meth:`drivers`), on the training data."""
        return self.drivers()

    def __repr__(self) -> str:
        if not hasattr(self, "pipeline_"):
            return f"ChurnModel(kind={self.kind!r}, C={self.C}) (not fitted)"
        return (f"ChurnModel(kind={self.kind!r}): {len(self.numeric_columns_)} numeric and "
                f"{len(self.categorical_columns_)} text feature(s); {len(self.dropped_columns_)} column(s) dropped")


def time_validate(snapshots: pd.DataFrame, date_column: str, target: str = "churned", *,
                  id_column: str | None = None, model: ChurnModel | None = None,
                  test_date=None, horizon: int | None = None) -> ChurnEvaluation:
    """Train on earlier cutoffs, test on a later one (the honest test for time-stamped data).

    Parameters
    ----------
    snapshots : DataFrame
        Stacked point-in-time tables (e.g. :func:`build_features` at several cutoffs,
        concatenated) with the cutoff in ``date_column``.
    test_date : date-like, optional
        The cutoff to test on (default: the latest).
    horizon : int, optional
        The label horizon in months. When given, training cutoffs whose label window
        reaches past ``test_date`` are excluded (their labels overlap the test period).

    Examples
    --------
    >>> from cxlib import datasets
    >>> act = datasets.load_activity()
    >>> snaps = pd.concat([build_features(act, c, horizon=1).assign(cutoff=c)
    ...                    for c in ["2024-04-01", "2024-05-01", "2024-06-01"]])
    >>> ev = time_validate(snaps, "cutoff", id_column="customer_id", horizon=1)
    >>> ev.method
    'logistic: trained on 2 earlier cutoff(s), tested on 2024-06-01'
    """
    model = model or ChurnModel()
    d = pd.to_datetime(snapshots[date_column])
    test = pd.Timestamp(test_date) if test_date is not None else d.max()
    train_mask = d < test
    if horizon is not None:
        train_mask &= (d + pd.DateOffset(months=int(horizon))) <= test
    if not train_mask.any() or not (d == test).any():
        raise CxError(f"time-based validation needs rows at {test:%Y-%m-%d} and at earlier cutoffs whose label "
                      f"window ends by then; found cutoffs {sorted(d.dt.strftime('%Y-%m-%d').unique())}.")
    drop = [c for c in (date_column, target, id_column) if c is not None]
    tr, te = snapshots[train_mask.to_numpy()], snapshots[(d == test).to_numpy()]
    m = clone(model).fit(tr.drop(columns=drop), tr[target])
    p = m.predict_proba(te.drop(columns=drop))[:, 1]
    n_cut = d[train_mask].nunique()
    return evaluate(te[target], p, method=f"{model.kind}: trained on {n_cut} earlier cutoff(s), "
                                          f"tested on {test:%Y-%m-%d}")


# =====================================================================================
# 5. targeting
# =====================================================================================
@dataclass
class TargetingResult:
    """Expected profit of a retention campaign by how many customers are contacted."""

    curve: pd.DataFrame = field(repr=False)
    best_share: float
    best_n: int
    best_profit: float
    best_threshold: float
    break_even_probability: float | None
    profit_all: float

    def __repr__(self) -> str:
        be = "" if self.break_even_probability is None else f"; break-even churn probability {self.break_even_probability:.3f}"
        return (f"TargetingResult(best: contact the top {self.best_share:.1%} ({self.best_n} customers, "
                f"churn probability ≥ {self.best_threshold:.3f}) for an expected profit of {self.best_profit:,.0f}; "
                f"contacting everyone: {self.profit_all:,.0f}{be})")

    def plot(self, ax=None, realised: bool = True):
        """Profit against the share of customers contacted."""
        from cxlib.plots import COLORS, new_axes

        ax = new_axes(ax)
        c = self.curve
        ax.plot(c["share_contacted"] * 100, c["expected_profit"], color=COLORS["main"], lw=2,
                label="expected profit (model probabilities)")
        if realised and "realised_profit" in c:
            ax.plot(c["share_contacted"] * 100, c["realised_profit"], color=COLORS["contrast"], lw=1.5,
                    label="profit on the actual outcomes")
        ax.axhline(0, color=COLORS["neutral"], lw=1)
        ax.axvline(self.best_share * 100, color=COLORS["good"], ls="--", lw=1,
                   label=f"best: top {self.best_share:.0%}")
        ax.set_xlabel("customers contacted, highest expected profit first (%)")
        ax.set_ylabel("campaign profit (USD)")
        ax.legend(loc="best", fontsize=9)
        return ax


def targeting_profit(p, value, offer_cost: float, success_rate: float, *, incentive: float = 0.0,
                     y=None, rank_by: str = "profit") -> TargetingResult:
    """Expected profit of contacting the top k% of customers, and the best k.

    The expected profit of contacting customer *i* is
    :math:`\\pi_i = p_i s V_i - c - (1 - p_i) g`: with probability :math:`p_i` the
    customer would leave, the offer keeps them with probability :math:`s` and saves
    :math:`V_i`; every contact costs :math:`c`; a customer who would have stayed
    anyway still takes the incentive :math:`g`. Contact when :math:`\\pi_i > 0`
    (with :math:`g = 0`: when :math:`p_i s V_i > c`, cx_science §7). The probabilities
    must be calibrated for the money to be right (check the reliability curve).

    Parameters
    ----------
    p : array of churn probabilities
    value : float or array
        Value saved when a would-be churner stays (e.g. remaining CLV, USD).
    offer_cost : float
        Cost per contacted customer (contact plus offer), USD.
    success_rate : float
        Share of would-be churners the offer keeps (0-1).
    incentive : float, default 0
        Incentive that customers who would have stayed anyway also take, USD.
    y : array of 0/1, optional
        Actual outcomes: adds ``realised_profit`` (what the list would have earned).
    rank_by : {"profit", "probability"}
        Order of contact: highest expected profit (default) or highest probability.

    Examples
    --------
    Worked case: p = 0.5, 0.2, 0.05; V = 200; c = 10; s = 0.3. Expected profits are
    0.5·0.3·200 − 10 = 20, 2 and −7: contact the first two (profit 22). The
    break-even probability is c/(sV) = 10/60 ≈ 0.167.

    >>> r = targeting_profit([0.5, 0.2, 0.05], 200, offer_cost=10, success_rate=0.3)
    >>> r.best_n, round(r.best_profit, 1), round(r.break_even_probability, 3)
    (2, 22.0, 0.167)
    """
    p = np.asarray(p, dtype=float)
    n = len(p)
    if n == 0:
        raise CxError("no customers to target.")
    if np.isnan(p).any() or (p < 0).any() or (p > 1).any():
        raise CxError("churn probabilities must be numbers between 0 and 1.")
    if not 0 <= success_rate <= 1:
        raise CxError("success_rate must be between 0 and 1.")
    if offer_cost < 0 or incentive < 0:
        raise CxError("costs cannot be negative.")
    V = np.broadcast_to(np.asarray(value, dtype=float), p.shape)
    pi = p * success_rate * V - offer_cost - (1 - p) * incentive
    key = pi if rank_by == "profit" else p
    order = np.argsort(-key, kind="stable")
    cum = np.r_[0.0, np.cumsum(pi[order])]
    curve = pd.DataFrame({"n_contacted": np.arange(n + 1), "share_contacted": np.arange(n + 1) / n,
                          "expected_profit": cum,
                          "threshold": np.r_[np.inf, p[order]]})
    if y is not None:
        yy = np.asarray(y, dtype=float)[order]
        real = yy * success_rate * V[order] - offer_cost - (1 - yy) * incentive
        curve["realised_profit"] = np.r_[0.0, np.cumsum(real)]
    k = int(np.argmax(cum))
    const_v = np.allclose(V, V.flat[0])
    be = None
    if const_v and success_rate * V.flat[0] + incentive > 0:
        be = float((offer_cost + incentive) / (success_rate * V.flat[0] + incentive))
    return TargetingResult(curve=curve, best_share=k / n, best_n=k, best_profit=float(cum[k]),
                           best_threshold=float(p[order][k - 1]) if k else float("nan"),
                           break_even_probability=be, profit_all=float(cum[-1]))


# =====================================================================================
# 6. survival view
# =====================================================================================
def km_by_signal(durations, events, groups, ax=None):
    """Kaplan-Meier retention curves by a signal's groups (lifelines), on one Axes.

    Parameters
    ----------
    durations : months observed; events : 1 if churned (0 = still active, censored);
    groups : the signal's group for each customer.

    Returns
    -------
    (Axes, DataFrame of median survival per group)
    """
    from lifelines import KaplanMeierFitter

    from cxlib.plots import PALETTE, new_axes

    ax = new_axes(ax)
    df = pd.DataFrame({"t": np.asarray(durations, float), "e": np.asarray(events, int), "g": np.asarray(groups)})
    rows = []
    for i, (g, d) in enumerate(df.groupby("g", sort=True)):
        kmf = KaplanMeierFitter(label=f"{g} (n={len(d)})").fit(d["t"], d["e"])
        kmf.plot_survival_function(ax=ax, color=PALETTE[i % len(PALETTE)], ci_show=True)
        rows.append((g, len(d), int(d["e"].sum()), float(kmf.survival_function_.iloc[-1, 0])))
    ax.set_xlabel("months observed")
    ax.set_ylabel("share still a customer")
    return ax, pd.DataFrame(rows, columns=["group", "customers", "churned", "retained_at_end"])
