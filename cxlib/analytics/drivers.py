"""Value drivers and lagged relationships: associations, not causes.

* :func:`outcome_after` — a later, behavioural outcome for each event (survey answer).
* :class:`DriverAnalysis` — standardised coefficients with 95% intervals.
* :func:`monthly_metrics`, :func:`lagged_correlation` — whether value-behaviour
  metrics lead value-outcome metrics month by month.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxlib._deprecation import renamed_arguments
from cxlib.analytics._level import alpha_becomes_level, check_level
from cxlib.analytics.stats import z_value
from cxlib.checks import require_columns
from cxlib.errors import CxError
from cxlib.features import outcome_after_event
from cxlib.features._frame import read_dates

__all__ = ["outcome_after", "DriverAnalysis", "monthly_metrics", "lagged_correlation"]


def _month_starts(s: pd.Series, name: str, table: str) -> pd.Series:
    """Month starts (Timestamp) of a date column; values that are not dates are an error."""
    return read_dates(s, name, table).dt.to_period("M").dt.to_timestamp()


@renamed_arguments(churn_column="target_column")
def outcome_after(
    events: pd.DataFrame,
    activity: pd.DataFrame,
    *,
    date_column: str = "survey_date",
    horizon: int = 3,
    id_column: str = "customer_id",
    month_column: str = "month",
    target_column: str = "churned",
) -> pd.DataFrame:
    """The events whose later outcome is known, with ``retained_later`` (1 = did not cancel).

    A view of :func:`cxlib.features.outcome_after_event`: a customer who cancels in the
    month of the event or in the ``horizon`` months after it is a churner
    (``retained_later`` = 0). Events whose window runs past the end of the data, or
    of customers with no activity in the event's month, have no known outcome: they
    are dropped and counted in ``attrs["n_censored"]`` and ``attrs["n_not_customer"]``.

    Parameters
    ----------
    events : DataFrame
        One row per event (e.g. survey answer) with ``id_column`` and ``date_column``.
    activity : DataFrame
        One row per customer and month with the monthly churn flag ``target_column``.
    date_column : str, default "survey_date"
        The date of each event.
    horizon : int, default 3
        Months after the event's month that the outcome covers.
    id_column, month_column, target_column : str
        Column names.

    Returns
    -------
    DataFrame
        The events with a known outcome and the column ``retained_later``.

    Examples
    --------
    >>> act = pd.DataFrame({"customer_id": ["a", "a", "a", "b", "b"],
    ...     "month": ["2024-01-01", "2024-02-01", "2024-03-01", "2024-01-01", "2024-02-01"],
    ...     "churned": [0, 0, 0, 0, 1]})
    >>> ev = pd.DataFrame({"customer_id": ["a", "b", "b", "a"],
    ...                    "survey_date": ["2024-01-15", "2024-01-20", "2024-02-05", "2024-03-02"]})
    >>> out = outcome_after(ev, act, horizon=1)
    >>> out["retained_later"].tolist(), out.attrs["n_censored"]
    ([1, 0, 0], 1)
    """
    o = outcome_after_event(
        events,
        activity,
        date_column=date_column,
        horizon=horizon,
        id_column=id_column,
        month_column=month_column,
        target_column=target_column,
        products_column="",
    )
    known = o["churned"].notna().to_numpy()
    out = events[known].copy()
    out["retained_later"] = (1 - o.loc[known, "churned"]).astype(int)
    out.attrs.update(n_censored=o.attrs["n_censored"], n_not_customer=o.attrs["n_not_customer"])
    return out


class DriverAnalysis:
    """Which attributes go with a loyalty outcome: standardised coefficients with intervals.

    ``kind="ols"`` (e.g. ``ltr``; heteroskedasticity-robust HC3 errors) or
    ``kind="logit"`` (a 0/1 outcome such as ``retained_later``; coefficients are
    log-odds per standard deviation, also shown as odds ratios). Drivers are
    z-scored so coefficients are comparable: "one SD more of X goes with ... more
    outcome, holding the other drivers fixed".

    **Drivers found this way are associations, not causes**: survey attributes
    share the answerer's mood (common-method bias), and unmeasured traits (tenure,
    usage, income) can drive both. Test a driver with an experiment before paying
    for it.

    Parameters
    ----------
    kind : {"ols", "logit"}, default "ols"
        Linear model for a numeric outcome, logistic for a 0/1 outcome.
    level : float, default 0.95
        Confidence level of the intervals (between 0 and 1).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame(rng.normal(size=(200, 2)), columns=["a", "b"])
    >>> df["y"] = 2 * df["a"] + rng.normal(size=200)
    >>> da = DriverAnalysis().fit(df, "y", ["a", "b"])
    >>> round(float(da.summary.set_index("driver").loc["a", "coef"]))
    2
    """

    note = (
        "Drivers are associations: same-survey ratings share the respondent's mood and "
        "unmeasured traits can drive both; only an experiment shows cause."
    )

    def __init__(self, kind: str = "ols", *, level: float = 0.95) -> None:
        if kind not in ("ols", "logit"):
            raise CxError("kind must be 'ols' (numeric outcome) or 'logit' (0/1 outcome).")
        check_level(level)
        self.kind = kind
        self.level = level

    def __repr__(self) -> str:
        if not hasattr(self, "summary_"):
            return f"DriverAnalysis(kind={self.kind!r}, not fitted)"
        top = self.summary_.iloc[0]
        return (
            f"DriverAnalysis({self.kind}, outcome={self.outcome_!r}, n={self.n_}, excluded={self.n_excluded_}; "
            f"strongest: {top.driver} {top.coef:+.3f} [{top.ci_low:+.3f}, {top.ci_high:+.3f}])"
        )

    def _data(self, df: pd.DataFrame, outcome_column: str, drivers: list[str]) -> pd.DataFrame:
        if not drivers:
            raise CxError("DriverAnalysis.fit() needs at least one driver column.")
        require_columns(df, [outcome_column] + drivers, "DriverAnalysis.fit()")
        d = df[[outcome_column] + drivers].apply(pd.to_numeric, errors="coerce")
        keep = d.notna().all(axis=1)
        self.n_excluded_ = int((~keep).sum())
        d = d[keep]
        if len(d) <= len(drivers) + 2:
            raise CxError(f"DriverAnalysis: only {len(d)} complete rows for {len(drivers)} drivers; need more data.")
        y = d[outcome_column]
        if self.kind == "logit" and not set(np.unique(y)) <= {0, 1}:
            raise CxError(f"kind='logit' needs a 0/1 outcome; '{outcome_column}' has other values.")
        if y.nunique() < 2:
            raise CxError(f"the outcome '{outcome_column}' does not vary; nothing to explain.")
        const = d[drivers].std(ddof=0).pipe(lambda sd: sd[sd == 0].index.tolist())
        if const:
            raise CxError(f"driver(s) {const} do not vary in the data; drop them.")
        return d

    @renamed_arguments(outcome="outcome_column", drivers="driver_columns")
    def fit(self, df: pd.DataFrame, outcome_column: str, driver_columns: Sequence[str]) -> DriverAnalysis:
        """Fit on ``df``; rows with a missing outcome or driver are excluded and counted.

        Parameters
        ----------
        df : DataFrame
            One row per respondent (or customer).
        outcome_column : str
            The outcome (numeric for ``"ols"``, 0/1 for ``"logit"``).
        driver_columns : sequence of str
            The candidate drivers (numeric).

        Returns
        -------
        DriverAnalysis
            ``self``, with ``summary_``, ``result_`` (statsmodels), ``n_`` and ``n_excluded_``.
        """
        # the two models alone: statsmodels.api imports every model (time series, formulas) and
        # takes half a second longer
        from statsmodels.discrete.discrete_model import Logit
        from statsmodels.regression.linear_model import OLS
        from statsmodels.tools.tools import add_constant

        drivers = list(driver_columns)
        d = self._data(df, outcome_column, drivers)
        sd = d[drivers].std(ddof=0)
        X = add_constant((d[drivers] - d[drivers].mean()) / sd)
        y = d[outcome_column]
        res = OLS(y, X).fit(cov_type="HC3") if self.kind == "ols" else Logit(y, X).fit(disp=0)
        ci = res.conf_int(alpha=1 - self.level)
        s = pd.DataFrame(
            {
                "driver": drivers,
                "coef": res.params[drivers].to_numpy(),
                "ci_low": ci.loc[drivers, 0].to_numpy(),
                "ci_high": ci.loc[drivers, 1].to_numpy(),
                "p_value": res.pvalues[drivers].to_numpy(),
            }
        )
        if self.kind == "logit":
            for c, name in (("coef", "odds_ratio"), ("ci_low", "or_low"), ("ci_high", "or_high")):
                s[name] = np.exp(s[c])
        self.summary_ = s.reindex(s["coef"].abs().sort_values(ascending=False).index).reset_index(drop=True)
        self.result_, self.outcome_, self.n_ = res, outcome_column, int(len(d))
        return self

    @property
    def summary(self) -> pd.DataFrame:
        """Drivers sorted by |coefficient| with their intervals and p-values."""
        if not hasattr(self, "summary_"):
            raise CxError("call fit() first.")
        return self.summary_


def _contact_metrics(interactions: pd.DataFrame, month_column: str, timestamp_column: str) -> pd.DataFrame:
    require_columns(
        interactions,
        [timestamp_column, "resolved_first_contact", "wait_minutes", "proactive"],
        "monthly_metrics() interactions",
        "interactions",
    )
    m = _month_starts(interactions[timestamp_column], timestamp_column, "interactions").rename(month_column)
    g = interactions.groupby(m)
    return pd.DataFrame(
        {
            "fcr": g["resolved_first_contact"].mean(),
            "wait_minutes": g["wait_minutes"].mean(),
            "proactive_share": g["proactive"].mean(),
            "contacts": g.size(),
        }
    )


def _activity_metrics(activity: pd.DataFrame, id_column: str, month_column: str, target_column: str) -> pd.DataFrame:
    require_columns(activity, [id_column, month_column, target_column], "monthly_metrics() activity", "activity")
    g = activity.groupby(_month_starts(activity[month_column], month_column, "activity"))
    p = pd.DataFrame({"customers": g.size(), "churn_rate": g[target_column].mean()})
    if {"complaints", "complaints_resolved"} <= set(activity.columns):
        p["complaint_resolution"] = g["complaints_resolved"].sum() / g["complaints"].sum()
    if "spend" in activity.columns:
        p["spend"] = g["spend"].mean()
    return p


def _survey_metrics(surveys: pd.DataFrame, month_column: str) -> pd.DataFrame:
    require_columns(surveys, ["survey_date", "ltr"], "monthly_metrics() surveys", "nps_surveys")
    m = _month_starts(surveys["survey_date"], "survey_date", "nps_surveys").rename(month_column)
    ltr = pd.to_numeric(surveys["ltr"], errors="coerce")
    code = np.select([ltr >= 9, ltr <= 6], [1.0, -1.0], 0.0)
    g = pd.Series(np.where(ltr.isna(), np.nan, code), index=surveys.index).groupby(m)
    return pd.DataFrame({"nps": 100 * g.mean(), "responses": g.count()})


@renamed_arguments(churn_column="target_column")
def monthly_metrics(
    *,
    interactions: pd.DataFrame | None = None,
    activity: pd.DataFrame | None = None,
    surveys: pd.DataFrame | None = None,
    id_column: str = "customer_id",
    month_column: str = "month",
    timestamp_column: str = "timestamp",
    target_column: str = "churned",
) -> pd.DataFrame:
    """Value-behaviour and value-outcome metrics per month.

    Behaviour (from ``interactions``): ``fcr`` (first-contact resolution share),
    ``wait_minutes`` (mean), ``proactive_share``, ``contacts``. Behaviour from
    ``activity``: ``complaint_resolution`` (resolved / complaints). Outcomes (from
    ``activity``): ``customers``, ``churn_rate`` (cancellations / active customers),
    ``spend`` (mean); from ``surveys``: ``nps`` and ``responses``.

    Parameters
    ----------
    interactions, activity, surveys : DataFrame, optional
        The tables to summarise (at least one).
    id_column, month_column, timestamp_column, target_column : str
        Column names (``target_column`` is the activity table's monthly churn flag).

    Returns
    -------
    DataFrame
        One row per month (index ``month_column``), one column per metric.

    Examples
    --------
    >>> inter = pd.DataFrame({"timestamp": ["2024-01-03", "2024-01-09", "2024-02-01"],
    ...     "resolved_first_contact": [1, 0, 1], "wait_minutes": [2.0, 4.0, 1.0], "proactive": [0, 1, 0]})
    >>> monthly_metrics(interactions=inter)[["fcr", "wait_minutes", "proactive_share"]]
                fcr  wait_minutes  proactive_share
    month
    2024-01-01  0.5           3.0              0.5
    2024-02-01  1.0           1.0              0.0
    """
    parts = []
    if interactions is not None:
        parts.append(_contact_metrics(interactions, month_column, timestamp_column))
    if activity is not None:
        parts.append(_activity_metrics(activity, id_column, month_column, target_column))
    if surveys is not None:
        parts.append(_survey_metrics(surveys, month_column))
    if not parts:
        raise CxError("monthly_metrics() needs at least one of interactions, activity, surveys.")
    out = pd.concat(parts, axis=1).sort_index()
    out.index.name = month_column
    return out


@alpha_becomes_level
def lagged_correlation(
    x: pd.Series, y: pd.Series, *, max_lag: int = 6, difference: bool = False, level: float = 0.95
) -> pd.DataFrame:
    """Correlation of ``x`` now with ``y`` ``lag`` periods later, with Fisher-z intervals.

    ``lag = k`` pairs x_t with y_{t+k}; a peak at k > 0 means x *leads* y. With
    ``difference=True`` both series are first-differenced (month-on-month changes),
    which removes shared trends that make any two trending series correlate. The
    interval assumes independent months; autocorrelated series make it too narrow,
    so read it as optimistic.

    Parameters
    ----------
    x, y : Series
        Two series on the same (time) index.
    max_lag : int, default 6
        Lags from ``-max_lag`` to ``max_lag``.
    difference : bool, default False
        Correlate month-on-month changes instead of levels.
    level : float, default 0.95
        Confidence level of the intervals (between 0 and 1; 0.1's ``alpha=0.05`` is ``level=0.95``).

    Returns
    -------
    DataFrame
        ``lag``, ``n`` (pairs), ``r``, ``ci_low``, ``ci_high``.

    Examples
    --------
    >>> x = pd.Series([0., 1, 0, 2, 0, 3, 0, 1, 0, 2])
    >>> y = x.shift(2)  # y follows x two periods later
    >>> t = lagged_correlation(x, y, max_lag=3)
    >>> int(t.loc[t["r"].idxmax(), "lag"])
    2
    """
    if not isinstance(x, pd.Series) or not isinstance(y, pd.Series):
        raise CxError("lagged_correlation() takes two pandas Series on the same (time) index.")
    if max_lag < 0:
        raise CxError("max_lag must be ≥ 0.")
    z = z_value(level)
    x, y = x.astype(float), y.astype(float)
    if difference:
        x, y = x.diff(), y.diff()
    rows = []
    for k in range(-max_lag, max_lag + 1):
        pair = pd.concat([x, y.shift(-k)], axis=1).dropna()
        n = len(pair)
        r = pair.iloc[:, 0].corr(pair.iloc[:, 1]) if n >= 3 else np.nan
        if n > 3 and np.isfinite(r) and abs(r) < 1:
            zr, se = np.arctanh(r), 1 / np.sqrt(n - 3)
            lo, hi = np.tanh(zr - z * se), np.tanh(zr + z * se)
        else:
            lo = hi = np.nan
        rows.append((k, n, r, lo, hi))
    return pd.DataFrame(rows, columns=["lag", "n", "r", "ci_low", "ci_high"])
