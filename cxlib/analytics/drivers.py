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
from scipy import stats

from cxlib.checks import require_columns
from cxlib.errors import CxError
from cxlib.features.health import _months, _prep_activity

__all__ = ["outcome_after", "DriverAnalysis", "monthly_metrics", "lagged_correlation"]


def outcome_after(
    events: pd.DataFrame,
    activity: pd.DataFrame,
    *,
    date_column: str = "survey_date",
    horizon: int = 3,
    id_column: str = "customer_id",
    month_column: str = "month",
    churn_column: str = "churned",
) -> pd.DataFrame:
    """Add ``retained_later``: 1 if the customer did not cancel in the ``horizon`` months after each event.

    The window is the months strictly after the event's month. Events whose window
    runs past the end of the data are *not* given an outcome: they are dropped and
    counted in ``.attrs["n_censored"]``.

    Examples
    --------
    >>> act = pd.DataFrame({"customer_id": ["a", "a", "a", "b", "b"],
    ...     "month": ["2024-01-01", "2024-02-01", "2024-03-01", "2024-01-01", "2024-02-01"],
    ...     "churned": [0, 0, 0, 0, 1]})
    >>> ev = pd.DataFrame({"customer_id": ["a", "b", "a"], "survey_date": ["2024-01-15", "2024-01-20", "2024-03-02"]})
    >>> out = outcome_after(ev, act, horizon=1)
    >>> out["retained_later"].tolist(), out.attrs["n_censored"]
    ([1, 0], 1)
    """
    act = _prep_activity(activity, id_column, month_column, churn_column)
    require_columns(events, [id_column, date_column], "outcome_after() events", "events")
    ev = events.copy()
    em = _months(ev[date_column])
    end = act[month_column].max()
    last_needed = em + pd.DateOffset(months=horizon)
    ok = last_needed <= end
    churn_month = act.loc[act[churn_column] == 1].groupby(id_column)[month_column].min()
    cm = ev[id_column].map(churn_month)
    churned = cm.notna() & (cm > em) & (cm <= last_needed)
    ev["retained_later"] = (~churned).astype(int)
    out = ev[ok.to_numpy()].copy()
    out.attrs["n_censored"] = int((~ok).sum())
    return out


class DriverAnalysis:
    """Which attributes go with a loyalty outcome: standardised coefficients with 95% CIs.

    ``kind="ols"`` (e.g. ``ltr``; heteroskedasticity-robust HC3 errors) or
    ``kind="logit"`` (a 0/1 outcome such as ``retained_later``; coefficients are
    log-odds per standard deviation, also shown as odds ratios). Drivers are
    z-scored so coefficients are comparable: "one SD more of X goes with ... more
    outcome, holding the other drivers fixed".

    **Drivers found this way are associations, not causes**: survey attributes
    share the answerer's mood (common-method bias), and unmeasured traits (tenure,
    usage, income) can drive both. Test a driver with an experiment before paying
    for it.

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

    def __init__(self, kind: str = "ols") -> None:
        if kind not in ("ols", "logit"):
            raise CxError("kind must be 'ols' (numeric outcome) or 'logit' (0/1 outcome).")
        self.kind = kind

    def __repr__(self) -> str:
        if not hasattr(self, "summary_"):
            return f"DriverAnalysis(kind={self.kind!r}, not fitted)"
        top = self.summary_.iloc[0]
        return (
            f"DriverAnalysis({self.kind}, outcome={self.outcome_!r}, n={self.n_}, excluded={self.n_excluded_}; "
            f"strongest: {top.driver} {top.coef:+.3f} [{top.ci_low:+.3f}, {top.ci_high:+.3f}])"
        )

    def fit(self, df: pd.DataFrame, outcome: str, drivers: Sequence[str]) -> DriverAnalysis:
        """Fit on ``df``; rows with a missing outcome or driver are excluded and counted."""
        import statsmodels.api as sm

        drivers = list(drivers)
        if not drivers:
            raise CxError("DriverAnalysis.fit() needs at least one driver column.")
        require_columns(df, [outcome] + drivers, "DriverAnalysis.fit()")
        d = df[[outcome] + drivers].apply(pd.to_numeric, errors="coerce")
        keep = d.notna().all(axis=1)
        self.n_excluded_ = int((~keep).sum())
        d = d[keep]
        if len(d) <= len(drivers) + 2:
            raise CxError(f"DriverAnalysis: only {len(d)} complete rows for {len(drivers)} drivers; need more data.")
        y = d[outcome]
        if self.kind == "logit" and not set(np.unique(y)) <= {0, 1}:
            raise CxError(f"kind='logit' needs a 0/1 outcome; '{outcome}' has other values.")
        if y.nunique() < 2:
            raise CxError(f"the outcome '{outcome}' does not vary; nothing to explain.")
        sd = d[drivers].std(ddof=0)
        const = sd[sd == 0].index.tolist()
        if const:
            raise CxError(f"driver(s) {const} do not vary in the data; drop them.")
        X = sm.add_constant((d[drivers] - d[drivers].mean()) / sd)
        if self.kind == "ols":
            res = sm.OLS(y, X).fit(cov_type="HC3")
        else:
            res = sm.Logit(y, X).fit(disp=0)
        ci = res.conf_int()
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
        self.result_, self.outcome_, self.n_ = res, outcome, int(len(d))
        return self

    @property
    def summary(self) -> pd.DataFrame:
        """Drivers sorted by |coefficient| with 95% CIs and p-values."""
        if not hasattr(self, "summary_"):
            raise CxError("call fit() first.")
        return self.summary_


def monthly_metrics(
    *,
    interactions: pd.DataFrame | None = None,
    activity: pd.DataFrame | None = None,
    surveys: pd.DataFrame | None = None,
    id_column: str = "customer_id",
    month_column: str = "month",
    timestamp_column: str = "timestamp",
    churn_column: str = "churned",
) -> pd.DataFrame:
    """Value-behaviour and value-outcome metrics per month.

    Behaviour (from ``interactions``): ``fcr`` (first-contact resolution share),
    ``wait_minutes`` (mean), ``proactive_share``, ``contacts``. Behaviour from
    ``activity``: ``complaint_resolution`` (resolved / complaints). Outcomes (from
    ``activity``): ``customers``, ``churn_rate`` (cancellations / active customers),
    ``spend`` (mean); from ``surveys``: ``nps`` and ``responses``.

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
        require_columns(
            interactions,
            [timestamp_column, "resolved_first_contact", "wait_minutes", "proactive"],
            "monthly_metrics() interactions",
            "interactions",
        )
        m = _months(interactions[timestamp_column]).rename(month_column)
        g = interactions.groupby(m)
        parts.append(
            pd.DataFrame(
                {
                    "fcr": g["resolved_first_contact"].mean(),
                    "wait_minutes": g["wait_minutes"].mean(),
                    "proactive_share": g["proactive"].mean(),
                    "contacts": g.size(),
                }
            )
        )
    if activity is not None:
        act = _prep_activity(activity, id_column, month_column, churn_column)
        g = act.groupby(month_column)
        p = pd.DataFrame({"customers": g.size(), "churn_rate": g[churn_column].mean()})
        if {"complaints", "complaints_resolved"} <= set(act.columns):
            p["complaint_resolution"] = g["complaints_resolved"].sum() / g["complaints"].sum()
        if "spend" in act.columns:
            p["spend"] = g["spend"].mean()
        parts.append(p)
    if surveys is not None:
        require_columns(surveys, ["survey_date", "ltr"], "monthly_metrics() surveys", "nps_surveys")
        m = _months(surveys["survey_date"]).rename(month_column)
        ltr = pd.to_numeric(surveys["ltr"], errors="coerce")
        code = np.select([ltr >= 9, ltr <= 6], [1.0, -1.0], 0.0)
        code = pd.Series(np.where(ltr.isna(), np.nan, code), index=surveys.index)
        g = code.groupby(m)
        parts.append(pd.DataFrame({"nps": 100 * g.mean(), "responses": g.count()}))
    if not parts:
        raise CxError("monthly_metrics() needs at least one of interactions, activity, surveys.")
    out = pd.concat(parts, axis=1).sort_index()
    out.index.name = month_column
    return out


def lagged_correlation(
    x: pd.Series, y: pd.Series, *, max_lag: int = 6, difference: bool = False, alpha: float = 0.05
) -> pd.DataFrame:
    """Correlation of ``x`` now with ``y`` ``lag`` periods later, with Fisher-z intervals.

    ``lag = k`` pairs x_t with y_{t+k}; a peak at k > 0 means x *leads* y. With
    ``difference=True`` both series are first-differenced (month-on-month changes),
    which removes shared trends that make any two trending series correlate. The
    interval assumes independent months; autocorrelated series make it too narrow,
    so read it as optimistic.

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
    x, y = x.astype(float), y.astype(float)
    if difference:
        x, y = x.diff(), y.diff()
    z = stats.norm.ppf(1 - alpha / 2)
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
