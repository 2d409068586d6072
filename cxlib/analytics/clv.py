"""Customer lifetime value from transactions: BG/NBD for purchases, Gamma-Gamma for spend.

For a *non-contractual* business (nobody cancels; customers just stop buying), the
BG/NBD model of Fader, Hardie & Lee (2005) says how many purchases each customer will
make and how likely each is still "alive", from three numbers per customer:

* **frequency** ``x``: repeat purchases in the calibration period (purchases are counted
  by day: several orders on one day are one purchase; the first purchase is not counted);
* **recency** ``t_x``: time from the first to the last purchase;
* **T**: time from the first purchase to the end of the calibration period.

While alive, a customer buys at a Poisson rate ``lambda ~ Gamma(r, alpha)``; after each
purchase they drop out with probability ``p ~ Beta(a, b)``. The Gamma-Gamma model
(Fader, Hardie & Lee 2005, *JMR*; Fader & Hardie 2013) adds the value of a purchase:
each customer's mean spend varies around their own mean, which varies across customers
(``p``, ``q``, ``gamma``); it assumes spend is independent of how often they buy.

Why not a library: ``lifetimes`` (the reference Python implementation) works with the
course's pandas, NumPy and SciPy but has been in maintenance mode since 2020 and reports
a log-likelihood on another scale than the paper; its successor, PyMC-Marketing, needs
Python 3.12 or newer (the course supports 3.10+) and the whole PyMC stack. The model is a
closed-form likelihood, so it is implemented here (about 200 lines) and tested against the
published estimates: r 0.243, alpha 4.414, a 0.793, b 2.426, log-likelihood -9582.4 on the
CDNOW sample, and p 6.25, q 3.74, gamma 15.44 for Gamma-Gamma.

Conventions: time is in the unit of the summary (``"week"`` = 7 days, or ``"day"``); T is
measured from the first purchase day to the calibration end date (as in the paper and in
lifetimes); expected purchases are *repeat* purchases; values are the order values as
given (revenue unless you pass margins), undiscounted.

Examples
--------
>>> from cxlib.analytics import clv
>>> from cxlib.data.datasets import load_cdnow
>>> orders = load_cdnow(sample=True)
>>> s = clv.summarize_orders(orders, "customer_id", "date", "dollar_value",
...                          calibration_end="1997-09-30", holdout_end="1998-06-30")
>>> bgf = clv.BetaGeoModel().fit(s)
>>> bgf.params_.round(3).to_dict()
{'r': 0.243, 'alpha': 4.414, 'a': 0.793, 'b': 2.426}
>>> round(bgf.log_likelihood_, 1)
-9582.4
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, special

from cxlib._deprecation import renamed_arguments
from cxlib.analytics._clv_orders import UNITS, summarize_orders
from cxlib.analytics._clv_retention import holdout_retention
from cxlib.analytics._level import check_level
from cxlib.analytics.stats import z_value
from cxlib.errors import CxError, format_values

__all__ = [
    "UNITS",
    "summarize_orders",
    "BetaGeoModel",
    "GammaGammaModel",
    "holdout_comparison",
    "holdout_retention",
    "fit_clv",
    "CLVResult",
]


# --------------------------------------------------------------------------- fitting helpers
def _hessian(f, x: np.ndarray, rel: float = 1e-4) -> np.ndarray:
    """Central-difference Hessian of a scalar function ``f`` at ``x``."""
    n = len(x)
    h = rel * np.maximum(np.abs(x), 1.0)
    H = np.empty((n, n))
    for i in range(n):
        for j in range(i, n):
            ei, ej = np.zeros(n), np.zeros(n)
            ei[i], ej[j] = h[i], h[j]
            v = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (4 * h[i] * h[j])
            H[i, j] = H[j, i] = v
    return H


def _fit_positive(nll, x0: np.ndarray, what: str) -> tuple[np.ndarray, float, np.ndarray, bool]:
    """Minimise ``nll`` over positive parameters (on the log scale); the Hessian-based covariance."""

    def f(z):
        v = nll(np.exp(z))
        return v if np.isfinite(v) else 1e300

    best = optimize.minimize(f, np.log(x0), method="BFGS", jac="3-point", options={"gtol": 1e-6})
    success = bool(best.success)
    if not success:  # a rough start: simplex first, then BFGS again from there
        nm = optimize.minimize(
            f,
            best.x if np.isfinite(best.fun) else np.log(x0),
            method="Nelder-Mead",
            options={"xatol": 1e-8, "fatol": 1e-8, "maxiter": 20000, "maxfev": 40000},
        )
        again = optimize.minimize(f, nm.x, method="BFGS", jac="3-point", options={"gtol": 1e-6})
        best = min((best, nm, again), key=lambda r: r.fun)
        success = bool(again.success or nm.success)
    z = best.x
    theta = np.exp(z)
    if not np.isfinite(best.fun) or best.fun >= 1e299:
        raise CxError(f"the {what} model could not be fitted (the likelihood is not finite); check the data.")
    H = _hessian(f, z)
    try:
        cov_z = np.linalg.inv(H)
        ok = bool(np.all(np.isfinite(cov_z)) and np.all(np.diag(cov_z) > 0))
    except np.linalg.LinAlgError:
        cov_z, ok = np.full((len(z), len(z)), np.nan), False
    converged = bool(ok and success and np.all(np.abs(z) < 30))
    return theta, -float(best.fun), cov_z, converged


def _summary_table(params: pd.Series, cov_log: np.ndarray, level: float) -> pd.DataFrame:
    zc = z_value(level)
    with np.errstate(invalid="ignore"):  # a Hessian that is not positive definite: NaN, and converged_ False
        se_log = np.sqrt(np.diag(cov_log))
    return pd.DataFrame(
        {
            "estimate": params.to_numpy(),
            "se": params.to_numpy() * se_log,  # delta method
            "ci_low": np.exp(np.log(params.to_numpy()) - zc * se_log),
            "ci_high": np.exp(np.log(params.to_numpy()) + zc * se_log),
        },
        index=params.index,
    )


def _columns(df: pd.DataFrame, cols: dict[str, str], what: str) -> dict[str, np.ndarray]:
    missing = [c for c in cols.values() if c not in df.columns]
    if missing:
        raise CxError(
            f"{what}: column(s) {', '.join(map(repr, missing))} not found; the columns are: "
            f"{', '.join(map(repr, map(str, df.columns)))}. Build the table with "
            "cxlib.analytics.clv.summarize_orders()."
        )
    out = {}
    for k, c in cols.items():
        v = pd.to_numeric(df[c], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(v) | (v < 0)
        if bad.any():
            raise CxError(
                f"{what}: column {c!r} has {int(bad.sum())} blank, non-numeric or negative value(s) "
                f"(values: {format_values(df[c][bad].tolist())})."
            )
        out[k] = v
    return out


# --------------------------------------------------------------------------- BG/NBD
class BetaGeoModel:
    """The BG/NBD model of repeat purchases (Fader, Hardie & Lee 2005), fitted by maximum likelihood.

    Parameters
    ----------
    level : float, default 0.95
        Confidence level of the parameter intervals (Wald on the log scale, from the
        Hessian of the log-likelihood).

    Attributes
    ----------
    params_ : pandas.Series
        ``r``, ``alpha`` (purchase rate ~ Gamma(r, alpha)) and ``a``, ``b`` (dropout
        probability after a purchase ~ Beta(a, b)).
    summary : pandas.DataFrame
        ``estimate``, ``se``, ``ci_low``, ``ci_high`` per parameter.
    log_likelihood_ : float
        The maximised log-likelihood (the paper's full expression, constants included).
    n_customers_, n_repeaters_ : int
        Customers fitted, and those with at least one repeat purchase.
    unit_ : str or None
        The summary's time unit (from ``summary.attrs``), for readable output.
    converged_ : bool
        The optimiser converged and the Hessian is positive definite.

    Examples
    --------
    >>> from cxlib.data.datasets import load_cdnow
    >>> s = summarize_orders(load_cdnow(sample=True), "customer_id", "date", calibration_end="1997-09-30")
    >>> m = BetaGeoModel().fit(s)
    >>> m
    BetaGeoModel(r=0.243, alpha=4.414, a=0.793, b=2.426; log-likelihood -9582.4, 2357 customers, week)
    >>> m.summary.round(3)  # doctest: +NORMALIZE_WHITESPACE
           estimate     se  ci_low  ci_high
    r         0.243  0.013   0.219    0.268
    alpha     4.414  0.378   3.731    5.221
    a         0.793  0.186   0.501    1.255
    b         2.426  0.705   1.372    4.289
    >>> round(float(m.expected_purchases(39, s).sum()), 1)  # repeat purchases in the next 39 weeks
    1653.4
    """

    PARAMS = ("r", "alpha", "a", "b")

    @renamed_arguments(conf="level")
    def __init__(self, level: float = 0.95):
        self.level = check_level(level)

    # -- likelihood ------------------------------------------------------------------------
    @staticmethod
    def _loglik_terms(theta: np.ndarray, x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> np.ndarray:
        r, alpha, a, b = theta
        gl = special.gammaln
        A1 = gl(r + x) - gl(r) + r * np.log(alpha)
        A2 = gl(a + b) + gl(b + x) - gl(b) - gl(a + b + x)
        A3 = -(r + x) * np.log(alpha + T)
        with np.errstate(divide="ignore", invalid="ignore"):
            A4 = np.where(
                x > 0, np.log(a) - np.log(np.where(x > 0, b + x - 1, 1.0)) - (r + x) * np.log(alpha + tx), -np.inf
            )
        return A1 + A2 + np.logaddexp(A3, A4)

    @renamed_arguments(frequency="frequency_column", recency="recency_column", T="T_column")
    def fit(
        self,
        summary: pd.DataFrame,
        frequency_column: str = "frequency",
        recency_column: str = "recency",
        T_column: str = "T",
    ) -> BetaGeoModel:
        """Fit by maximum likelihood to a per-customer summary (see :func:`summarize_orders`).

        Parameters
        ----------
        summary : pandas.DataFrame
            One row per customer.
        frequency_column, recency_column, T_column : str
            Column names: repeat purchases, time of the last purchase after the first, and
            time from the first purchase to the calibration end.

        Returns
        -------
        BetaGeoModel
            ``self``, fitted.

        Raises
        ------
        CxError
            Missing columns, negative or blank values, recency > T, fewer than 10
            customers, or no repeat purchase at all (the dropout process cannot be estimated).
        """
        if not isinstance(summary, pd.DataFrame):
            raise CxError("fit() takes the per-customer summary DataFrame (cxlib.analytics.clv.summarize_orders()).")
        v = _columns(summary, {"x": frequency_column, "tx": recency_column, "T": T_column}, "BG/NBD fit")
        x, tx, TT = v["x"], v["tx"], v["T"]
        problems = []
        if np.any(x % 1 != 0):
            problems.append(f"{frequency_column!r} must be whole numbers of repeat purchases")
        if np.any(tx > TT + 1e-9):
            problems.append(
                f"{int((tx > TT + 1e-9).sum())} customer(s) have {recency_column!r} greater than {T_column!r}"
            )
        if np.any((x > 0) & (tx <= 0)):
            problems.append(
                f"{int(((x > 0) & (tx <= 0)).sum())} customer(s) have repeat purchases but {recency_column!r} 0"
            )
        if problems:
            raise CxError("BG/NBD fit: " + "; ".join(problems) + ".")
        if len(x) < 10:
            raise CxError(
                f"BG/NBD fit: only {len(x)} customer(s); the model needs many customers (hundreds) "
                "to estimate how purchase rates and dropout vary between them."
            )
        if not np.any(x > 0):
            raise CxError(
                f"BG/NBD fit: none of the {len(x):,} customers made a repeat purchase (on another day) "
                "by the calibration end, so nothing tells how often customers buy again or drop out. "
                "Use a later calibration end, or check that the date column holds the order dates."
            )
        self.x_, self.tx_, self.T_ = x, tx, TT
        scale = max(float(np.mean(TT)), 1e-3)
        x0 = np.array([1.0, scale, 1.0, 1.0])

        def nll(theta):
            return -float(np.sum(self._loglik_terms(theta, x, tx, TT)))

        theta, ll, cov, conv = _fit_positive(nll, x0, "BG/NBD")
        self.params_ = pd.Series(theta, index=list(self.PARAMS), name="estimate")
        self.log_likelihood_ = ll
        self.covariance_log_ = pd.DataFrame(cov, index=list(self.PARAMS), columns=list(self.PARAMS))
        self.summary = _summary_table(self.params_, cov, self.level)
        self.n_customers_ = int(len(x))
        self.n_repeaters_ = int((x > 0).sum())
        self.converged_ = conv
        self.unit_ = summary.attrs.get("unit")
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "params_"):
            raise CxError("this BetaGeoModel is not fitted yet; call .fit(summary) first.")

    def _data(self, summary: pd.DataFrame | None, columns: tuple[str, str, str]):
        if summary is None:
            return self.x_, self.tx_, self.T_
        v = _columns(summary, dict(zip(("x", "tx", "T"), columns)), "BG/NBD")
        return v["x"], v["tx"], v["T"]

    # -- predictions -----------------------------------------------------------------------
    @renamed_arguments(frequency="frequency_column", recency="recency_column", T="T_column")
    def expected_purchases(
        self,
        t: float,
        summary: pd.DataFrame | None = None,
        frequency_column: str = "frequency",
        recency_column: str = "recency",
        T_column: str = "T",
    ) -> pd.Series | np.ndarray:
        """Expected repeat purchases of each customer in the next ``t`` time units (the paper's eq. 10).

        ``E[Y(t) | x, t_x, T] = (a+b+x-1)/(a-1) * [1 - ((alpha+T)/(alpha+T+t))^(r+x) *
        2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t))] / (1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))``,
        computed through Euler's transformation of ``2F1`` (exactly equal, and finite for
        heavy buyers where the direct form overflows).

        Parameters
        ----------
        t : float
            Horizon, in the summary's time unit (``t >= 0``).
        summary : pandas.DataFrame, optional
            Customers to predict (default: those fitted).
        frequency_column, recency_column, T_column : str
            Column names, as in :meth:`fit`.

        Returns
        -------
        pandas.Series (indexed like ``summary``) or numpy.ndarray (the fitted customers).
        """
        self._check_fitted()
        if not np.isfinite(t) or t < 0:
            raise CxError(f"the horizon t must be a number >= 0, not {t!r}.")
        x, tx, TT = self._data(summary, (frequency_column, recency_column, T_column))
        r, alpha, a, b = self.params_.to_numpy()
        z = t / (alpha + TT + t)
        log_ratio = np.log((alpha + TT) / (alpha + TT + t))
        # (1-z)^(r+x) 2F1(r+x, b+x; c; z) = (1-z)^(a-1) 2F1(a+b-1-r, a-1; c; z), c = a+b+x-1
        hyp = special.hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z)
        term = np.exp((a - 1) * log_ratio) * hyp
        if abs(a - 1) < 1e-9:
            raise CxError("the fitted a is 1, where eq. 10 is undefined; refit on more data.")
        num = (a + b + x - 1) / (a - 1) * (1 - term)
        den = 1 + np.where(
            x > 0, a / np.where(x > 0, b + x - 1, 1.0) * np.exp((r + x) * np.log((alpha + TT) / (alpha + tx))), 0.0
        )
        out = num / den
        return pd.Series(out, index=summary.index, name="expected_purchases") if summary is not None else out

    @renamed_arguments(frequency="frequency_column", recency="recency_column", T="T_column")
    def probability_alive(
        self,
        summary: pd.DataFrame | None = None,
        frequency_column: str = "frequency",
        recency_column: str = "recency",
        T_column: str = "T",
    ) -> pd.Series | np.ndarray:
        """Probability that each customer is still active at the calibration end.

        ``P(alive | x, t_x, T) = 1 / (1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))``;
        customers without a repeat purchase are alive with probability 1 under BG/NBD
        (they can only drop out right after a purchase), a known limit of the model.

        Parameters
        ----------
        summary : pandas.DataFrame, optional
            Customers to score (default: those fitted).
        frequency_column, recency_column, T_column : str
            Column names, as in :meth:`fit`.

        Returns
        -------
        pandas.Series (indexed like ``summary``) or numpy.ndarray (the fitted customers).
        """
        self._check_fitted()
        x, tx, TT = self._data(summary, (frequency_column, recency_column, T_column))
        r, alpha, a, b = self.params_.to_numpy()
        ratio = np.where(
            x > 0, a / np.where(x > 0, b + x - 1, 1.0) * np.exp((r + x) * np.log((alpha + TT) / (alpha + tx))), 0.0
        )
        out = 1.0 / (1.0 + ratio)
        return pd.Series(out, index=summary.index, name="probability_alive") if summary is not None else out

    def expected_purchases_new(self, t: float) -> float:
        """Expected repeat purchases in ``t`` time units of a customer just acquired (eq. 9).

        ``E[X(t)] = (a+b-1)/(a-1) * [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))]``.

        Parameters
        ----------
        t : float
            Horizon, in the summary's time unit.

        Returns
        -------
        float
        """
        self._check_fitted()
        r, alpha, a, b = self.params_.to_numpy()
        z = t / (alpha + t)
        if not np.isfinite(t) or t < 0:
            raise CxError(f"the horizon t must be a number >= 0, not {t!r}.")
        term = (alpha / (alpha + t)) ** r * special.hyp2f1(r, b, a + b - 1, z)
        return float((a + b - 1) / (a - 1) * (1 - term))

    def __repr__(self) -> str:
        if not hasattr(self, "params_"):
            return f"BetaGeoModel(level={self.level}) (not fitted)"
        p = self.params_
        unit = f", {self.unit_}" if self.unit_ else ""
        return (
            f"BetaGeoModel(r={p['r']:.3f}, alpha={p['alpha']:.3f}, a={p['a']:.3f}, b={p['b']:.3f}; "
            f"log-likelihood {self.log_likelihood_:.1f}, {self.n_customers_} customers{unit})"
        )


# --------------------------------------------------------------------------- Gamma-Gamma
class GammaGammaModel:
    """The Gamma-Gamma model of mean spend per purchase (Fader, Hardie & Lee 2005; Fader & Hardie 2013).

    Fitted on customers with at least one repeat purchase and a positive mean spend:
    a customer's purchases average ``zeta``, ``zeta ~ InverseGamma``-like through
    ``nu ~ Gamma(q, gamma)``, each purchase ~ ``Gamma(p, nu)``. Assumes spend does not
    depend on purchase frequency: check that their correlation is small.

    Parameters
    ----------
    level : float, default 0.95
        Confidence level of the parameter intervals (Wald on the log scale, from the
        Hessian of the log-likelihood).

    Attributes
    ----------
    params_ : pandas.Series
        ``p``, ``q``, ``gamma``.
    summary : pandas.DataFrame
        ``estimate``, ``se``, ``ci_low``, ``ci_high``.
    log_likelihood_ : float
    n_customers_ : int
        Customers used (repeat buyers with a positive mean spend).
    n_excluded_ : int
        Rows left out (no repeat purchase, or a mean spend of 0).
    frequency_spend_correlation_ : float
        Pearson correlation of frequency and mean spend among the customers used.

    Examples
    --------
    >>> from cxlib.data.datasets import load_cdnow
    >>> s = summarize_orders(load_cdnow(sample=True), "customer_id", "date", "dollar_value",
    ...                      calibration_end="1997-09-30")
    >>> gg = GammaGammaModel().fit(s)
    >>> gg
    GammaGammaModel(p=6.25, q=3.74, gamma=15.44; log-likelihood -4055.9, 946 customers)
    >>> round(gg.population_mean_spend(), 2)
    35.17
    """

    PARAMS = ("p", "q", "gamma")

    @renamed_arguments(conf="level")
    def __init__(self, level: float = 0.95):
        self.level = check_level(level)

    @renamed_arguments(frequency="frequency_column", monetary_value="monetary_value_column")
    def fit(
        self,
        summary: pd.DataFrame,
        frequency_column: str = "frequency",
        monetary_value_column: str = "monetary_value",
    ) -> GammaGammaModel:
        """Fit by maximum likelihood on the repeat buyers of ``summary``.

        Parameters
        ----------
        summary : pandas.DataFrame
            One row per customer (:func:`summarize_orders` with a value column).
        frequency_column, monetary_value_column : str
            Column names: repeat purchases and mean spend of the repeat purchases.

        Returns
        -------
        GammaGammaModel
            ``self``, fitted.

        Raises
        ------
        CxError
            Missing columns, or fewer than 10 repeat buyers with a positive mean spend.
        """
        if not isinstance(summary, pd.DataFrame):
            raise CxError("fit() takes the per-customer summary DataFrame (cxlib.analytics.clv.summarize_orders()).")
        for c in (frequency_column, monetary_value_column):
            if c not in summary.columns:
                hint = (
                    " (pass the order value column to summarize_orders(), or --value to cx clv)"
                    if c == monetary_value_column
                    else ""
                )
                raise CxError(f"Gamma-Gamma fit: column {c!r} not found{hint}.")
        x = pd.to_numeric(summary[frequency_column], errors="coerce").to_numpy(dtype=float)
        m = pd.to_numeric(summary[monetary_value_column], errors="coerce").to_numpy(dtype=float)
        use = (x > 0) & np.isfinite(m) & (m > 0)
        if use.sum() < 10:
            raise CxError(
                f"Gamma-Gamma fit: only {int(use.sum())} customer(s) with a repeat purchase and a positive "
                "mean spend; the spend model needs many more (hundreds)."
            )
        x, m = x[use], m[use]

        def nll(theta):
            p, q, g = theta
            gl = special.gammaln
            ll = (
                gl(p * x + q)
                - gl(p * x)
                - gl(q)
                + q * np.log(g)
                + (p * x - 1) * np.log(m)
                + p * x * np.log(x)
                - (p * x + q) * np.log(g + m * x)
            )
            return -float(np.sum(ll))

        theta, ll, cov, conv = _fit_positive(nll, np.array([1.0, 1.0, float(np.mean(m))]), "Gamma-Gamma")
        self.params_ = pd.Series(theta, index=list(self.PARAMS), name="estimate")
        self.log_likelihood_ = ll
        self.summary = _summary_table(self.params_, cov, self.level)
        self.n_customers_ = int(use.sum())
        self.n_excluded_ = int((~use).sum())
        self.frequency_spend_correlation_ = float(np.corrcoef(x, m)[0, 1]) if len(x) > 2 else float("nan")
        self.converged_ = conv
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "params_"):
            raise CxError("this GammaGammaModel is not fitted yet; call .fit(summary) first.")

    def population_mean_spend(self) -> float:
        """Mean spend per purchase across customers, ``p gamma / (q - 1)`` (needs q > 1).

        Returns
        -------
        float
        """
        self._check_fitted()
        p, q, g = self.params_.to_numpy()
        if q <= 1:
            raise CxError(
                f"the fitted q is {q:.3f} <= 1: the population mean spend is infinite under the model "
                "(a few very large orders?)."
            )
        return float(p * g / (q - 1))

    @renamed_arguments(frequency="frequency_column", monetary_value="monetary_value_column")
    def expected_spend(
        self,
        summary: pd.DataFrame,
        frequency_column: str = "frequency",
        monetary_value_column: str = "monetary_value",
    ) -> pd.Series:
        """Expected mean spend per future purchase of each customer.

        ``E[M | x, m_x] = p (gamma + x m_x) / (p x + q - 1)``: a weighted mean of the
        population mean and the customer's own mean ``m_x``, which weighs more the more
        purchases ``x`` it rests on. Customers without a repeat purchase get the
        population mean.

        Parameters
        ----------
        summary : pandas.DataFrame
            One row per customer.
        frequency_column, monetary_value_column : str
            Column names, as in :meth:`fit`.

        Returns
        -------
        pandas.Series
            ``expected_spend``, indexed like ``summary``.
        """
        self._check_fitted()
        p, q, g = self.params_.to_numpy()
        x = pd.to_numeric(summary[frequency_column], errors="coerce").to_numpy(dtype=float)
        m = pd.to_numeric(summary[monetary_value_column], errors="coerce").fillna(0.0).to_numpy(dtype=float)
        m = np.where(x > 0, m, 0.0)
        out = p * (g + x * m) / (p * x + q - 1)
        return pd.Series(out, index=summary.index, name="expected_spend")

    def __repr__(self) -> str:
        if not hasattr(self, "params_"):
            return f"GammaGammaModel(level={self.level}) (not fitted)"
        p = self.params_
        return (
            f"GammaGammaModel(p={p['p']:.2f}, q={p['q']:.2f}, gamma={p['gamma']:.2f}; "
            f"log-likelihood {self.log_likelihood_:.1f}, {self.n_customers_} customers)"
        )


# --------------------------------------------------------------------------- holdout and one call
def holdout_comparison(model: BetaGeoModel, summary: pd.DataFrame) -> dict:
    """Predicted vs actual repeat purchases in the holdout period, in total and per customer.

    Parameters
    ----------
    model : BetaGeoModel
        A fitted model.
    summary : pandas.DataFrame
        From :func:`summarize_orders` with ``holdout_end``.

    Returns
    -------
    dict
        ``predicted`` and ``actual`` totals, ``customers``, ``duration`` (in the summary's
        unit), ``mean_absolute_error`` per customer and ``correlation`` of predicted and
        actual per customer.

    Examples
    --------
    >>> from cxlib.data.datasets import load_cdnow
    >>> s = summarize_orders(load_cdnow(sample=True), "customer_id", "date",
    ...                      calibration_end="1997-09-30", holdout_end="1998-06-30")
    >>> h = holdout_comparison(BetaGeoModel().fit(s), s)
    >>> round(h["predicted"], 1), h["actual"]
    (1653.4, 1882)
    """
    if "frequency_holdout" not in summary.columns or "duration_holdout" not in summary.columns:
        raise CxError("the summary has no holdout: build it with summarize_orders(..., holdout_end=DATE).")
    duration = float(summary["duration_holdout"].iloc[0])
    pred = model.expected_purchases(duration, summary)
    act = summary["frequency_holdout"].astype(float)
    corr = float(np.corrcoef(pred, act)[0, 1]) if act.std() > 0 and pred.std() > 0 else float("nan")
    return {
        "predicted": float(pred.sum()),
        "actual": int(act.sum()),
        "customers": int(len(act)),
        "duration": duration,
        "mean_absolute_error": float(np.mean(np.abs(pred - act))),
        "correlation": corr,
    }


@dataclass
class CLVResult:
    """What :func:`fit_clv` returns: the fitted models, per-customer predictions and the holdout check.

    Attributes
    ----------
    model : BetaGeoModel
    spend_model : GammaGammaModel or None
        Only when a value column was given and enough customers repeat-bought.
    customers : pandas.DataFrame
        The summary plus ``expected_purchases`` (in the next ``horizon`` units),
        ``probability_alive`` and, with values, ``expected_spend`` and ``expected_value``
        (expected purchases times expected spend; undiscounted, in the value's currency).
    horizon : float
        The horizon of ``expected_purchases``, in ``unit``.
    unit : str
    holdout : dict or None
        :func:`holdout_comparison` when a holdout end was given.
    notes : list of str
        Things the analyst should know (customers first seen after the calibration end,
        a holdout that runs past the last order, ...).
    """

    model: BetaGeoModel
    spend_model: GammaGammaModel | None
    customers: pd.DataFrame
    horizon: float
    unit: str
    holdout: dict | None = None
    notes: list = field(default_factory=list)

    def __repr__(self) -> str:
        lines = [repr(self.model)]
        if self.spend_model is not None:
            lines.append(repr(self.spend_model))
        if self.holdout:
            lines.append(
                f"holdout ({self.holdout['duration']:g} {self.unit}s): predicted "
                f"{self.holdout['predicted']:.1f} repeat purchases, actual {self.holdout['actual']}"
            )
        return "\n".join(lines)


@renamed_arguments(customer="id_column", date="date_column", value="value_column")
def fit_clv(
    orders: pd.DataFrame,
    id_column: str,
    date_column: str,
    value_column: str | None = None,
    *,
    calibration_end: Any,
    holdout_end: Any = None,
    unit: str = "week",
    horizon: float | None = None,
) -> CLVResult:
    """Summarise an order table, fit BG/NBD (and Gamma-Gamma with values), predict per customer.

    Parameters
    ----------
    orders : pandas.DataFrame
        One row per order.
    id_column, date_column, value_column : str
        The customer id, order date and (optional) order value columns.
    calibration_end, holdout_end, unit
        As in :func:`summarize_orders`.
    horizon : float, optional
        Horizon of the per-customer expected purchases, in ``unit``: default the holdout's
        length when there is one, else 52 weeks (364 days).

    Returns
    -------
    CLVResult

    Examples
    --------
    >>> from cxlib.data.datasets import load_cdnow
    >>> res = fit_clv(load_cdnow(sample=True), "customer_id", "date", "dollar_value",
    ...               calibration_end="1997-09-30", holdout_end="1998-06-30")
    >>> res.customers[["frequency", "expected_purchases", "probability_alive"]].round(3).head(3)
    ... # doctest: +NORMALIZE_WHITESPACE
                 frequency  expected_purchases  probability_alive
    customer_id
    1                    2               1.226              0.727
    2                    1               0.203              0.212
    3                    0               0.195              1.000
    """
    s = summarize_orders(
        orders,
        id_column,
        date_column,
        value_column,
        calibration_end=calibration_end,
        holdout_end=holdout_end,
        unit=unit,
    )
    model = BetaGeoModel().fit(s)
    if horizon is None:
        horizon = float(s["duration_holdout"].iloc[0]) if "duration_holdout" in s else 364.0 / UNITS[unit]
    elif not np.isfinite(horizon) or horizon <= 0:
        raise CxError(f"the horizon must be a number > 0 ({unit}s), not {horizon!r}.")
    out = s.copy()
    out["expected_purchases"] = model.expected_purchases(horizon, s)
    out["probability_alive"] = model.probability_alive(s)
    notes = []
    spend = None
    if value_column is not None:
        try:
            spend = GammaGammaModel().fit(s)
        except CxError as exc:
            notes.append(f"spend model not fitted: {exc}")
        if spend is not None:
            out["expected_spend"] = spend.expected_spend(s)
            out["expected_value"] = out["expected_purchases"] * out["expected_spend"]
            if abs(spend.frequency_spend_correlation_) > 0.3:
                notes.append(
                    f"frequency and mean spend are correlated (r = {spend.frequency_spend_correlation_:.2f}); "
                    "Gamma-Gamma assumes they are independent, so expected values are doubtful."
                )
    holdout = holdout_comparison(model, s) if "frequency_holdout" in s else None
    a = s.attrs
    if a.get("customers_after_calibration"):
        notes.append(
            f"{a['customers_after_calibration']:,} customer(s) first bought after the calibration end; "
            "they are not in the model (the model predicts for customers it has seen)."
        )
    if a.get("last_order") and pd.Timestamp(a["last_order"]) < pd.Timestamp(a["calibration_end"]):
        notes.append(
            f"the last order is on {a['last_order']}, before the calibration end {a['calibration_end']}: "
            "every customer looks inactive for longer than the data show; end the calibration at the "
            "last day the export covers."
        )
    elif holdout is not None and a.get("last_order") and pd.Timestamp(a["last_order"]) < pd.Timestamp(a["holdout_end"]):
        notes.append(
            f"the last order is on {a['last_order']}, before the holdout end {a['holdout_end']}: "
            "the actual holdout purchases may be incomplete."
        )
    if not model.converged_:
        notes.append("the optimiser did not converge cleanly; the standard errors may be unreliable.")
    return CLVResult(
        model=model, spend_model=spend, customers=out, horizon=float(horizon), unit=unit, holdout=holdout, notes=notes
    )
