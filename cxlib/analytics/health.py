"""The customer health score: documented weights or a fitted logistic, validated on later churn.

:class:`HealthScore` standardises point-in-time signals
(:func:`cxlib.features.health_signals`) into a 0-100 score, with weights either
documented (:data:`DEFAULT_HEALTH_WEIGHTS`) or fitted on an earlier window, and
:class:`HealthValidation` checks it against *later* churn (AUC with a DeLong interval,
churn by score decile with Wilson intervals).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxlib.analytics.stats import delong_auc_ci, wilson_interval
from cxlib.checks import require_columns
from cxlib.errors import CxError, Problem, ValidationError

__all__ = ["HealthScore", "HealthValidation", "DEFAULT_HEALTH_WEIGHTS"]


#: Documented default weights of the health score (on standardised signals), named as
#: :func:`cxlib.features.health_signals` names them for its default 3-month window.
#: Positive = healthier. They encode article 002's loyalty signals: defections
#: are preceded by complaints (worse when unresolved), payment problems and falling
#: usage; tenure, products held and positive feedback are signs of loyalty. Tenure is
#: ``tenure_months`` (from signup dates) or, without them, ``months_active``.
DEFAULT_HEALTH_WEIGHTS: dict[str, float] = {
    "tenure_months": 1.0,
    "months_active": 1.0,
    "products_held_last": 1.0,
    "positive_feedback_3m": 0.5,
    "usage_gb_change": 1.0,
    "care_contacts_3m": -0.5,
    "complaints_3m": -1.0,
    "unresolved_complaints_3m": -2.0,
    "payment_issues_3m": -1.5,
}


@dataclass
class HealthValidation:
    """How well a health score ranks *later* churners (see :meth:`HealthScore.validate`).

    Attributes
    ----------
    auc : float
        ROC AUC of low health against later churn (0.5 = no better than chance).
    auc_low, auc_high : float
        Its 95% interval (DeLong standard error), clipped to [0, 1].
    n : int
        Customers scored.
    n_churned : int
        Of them, customers who churned later.
    deciles : DataFrame
        One row per health group, least healthy first: ``n``, ``churned``, ``churn_rate``
        with its Wilson interval and ``mean_health``.
    """

    auc: float
    auc_low: float
    auc_high: float
    n: int
    n_churned: int
    deciles: pd.DataFrame

    def __repr__(self) -> str:
        top = self.deciles.iloc[0]
        bot = self.deciles.iloc[-1]
        return (
            f"HealthValidation(n={self.n}, later churners={self.n_churned}, "
            f"AUC={self.auc:.3f} [{self.auc_low:.3f}, {self.auc_high:.3f}], churn in least healthy decile "
            f"{100 * top.churn_rate:.1f}% vs healthiest {100 * bot.churn_rate:.1f}%)"
        )


class HealthScore:
    """A customer health score on 0–100 (100 = healthiest), built from signals.

    Parameters
    ----------
    weights : dict, "fit" or None
        Documented weights per signal (positive = healthier), ``"fit"`` (a logistic
        regression of later churn), or None for :data:`DEFAULT_HEALTH_WEIGHTS`.
    C : float, default 1.0
        Inverse regularisation strength of the fitted logistic regression.

    Two ways to weight the signals, both on standardised (z-scored) signals:

    * ``weights=dict`` — documented, hand-set weights (positive = healthier), e.g.
      :data:`DEFAULT_HEALTH_WEIGHTS`. ``fit(X)`` only learns the means and spreads.
    * ``weights="fit"`` — a logistic regression of later churn on the signals,
      fitted on an *earlier* window (``fit(X, y)``); weights are minus its
      coefficients.

    The weighted sum is turned into 0–100 by its percentile in the fitting data, so
    a score of 50 is the median customer of the fitting window and 10 is the
    least-healthy tenth. Always :meth:`validate` on a *later* window.

    Examples
    --------
    >>> X = pd.DataFrame({"complaints": [0, 0, 1, 3], "tenure_months": [20, 5, 10, 2]})
    >>> hs = HealthScore(weights={"complaints": -1, "tenure_months": 1}).fit(X)
    >>> hs.score(X).round(1).tolist()
    [100.0, 75.0, 50.0, 25.0]
    """

    def __init__(self, weights: Mapping[str, float] | str | None = None, *, C: float = 1.0) -> None:
        self.weights = DEFAULT_HEALTH_WEIGHTS if weights is None else weights
        self.C = C

    def __repr__(self) -> str:
        mode = "fitted logistic" if isinstance(self.weights, str) else "documented weights"
        fitted = f", {len(self.weights_)} signals" if hasattr(self, "weights_") else ", not fitted"
        return f"HealthScore({mode}{fitted})"

    def _check_X(self, X: pd.DataFrame, signals: Sequence[str]) -> pd.DataFrame:
        require_columns(X, signals, "HealthScore", "signals")
        Z = X[list(signals)].apply(pd.to_numeric, errors="coerce")
        if Z.isna().any().any():
            bad = Z.isna().sum()
            bad = bad[bad > 0]
            raise ValidationError(
                [
                    Problem(
                        "missing or non-numeric values",
                        column=c,
                        count=int(k),
                        fix="Fill the signal (e.g. 0 for 'no complaints') before scoring.",
                    )
                    for c, k in bad.items()
                ],
                source="signals",
            )
        return Z

    def fit(self, X: pd.DataFrame, y=None) -> HealthScore:
        """Learn standardisation (and, for ``weights="fit"``, the weights) on an earlier window.

        Parameters
        ----------
        X : DataFrame
            Signals per customer (e.g. :func:`cxlib.features.health_signals`), no blanks.
        y : array of 0/1, optional
            Later churn of the same customers (needed for ``weights="fit"``).

        Returns
        -------
        HealthScore
            ``self``, with ``weights_``, ``mean_``, ``scale_`` and ``signals_``.
        """
        if len(X) < 2:
            raise CxError("HealthScore.fit() needs at least 2 customers.")
        if isinstance(self.weights, str):
            if self.weights != "fit":
                raise CxError("weights must be a dict of signal weights, None (the defaults) or 'fit'.")
            if y is None:
                raise CxError("weights='fit' needs the later churn outcome: fit(X, y).")
            signals = [c for c in X.columns if pd.api.types.is_numeric_dtype(X[c])]
        else:
            signals = [s for s in self.weights if s in X.columns]
            if not signals:
                raise CxError(
                    f"none of the weighted signals {list(self.weights)} is a column of X (columns: {list(X.columns)})."
                )
        Z = self._check_X(X, signals)
        self.mean_ = Z.mean()
        self.scale_ = Z.std(ddof=0).replace(0, 1.0)
        Zs = (Z - self.mean_) / self.scale_
        if isinstance(self.weights, str):
            from sklearn.linear_model import LogisticRegression

            yy = np.asarray(y).astype(int)
            if len(np.unique(yy)) < 2:
                raise CxError("the churn outcome has only one class: nobody (or everybody) churned.")
            lr = LogisticRegression(C=self.C, max_iter=1000).fit(Zs.to_numpy(), yy)
            self.model_ = lr
            self.weights_ = pd.Series(-lr.coef_[0], index=signals, name="weight")
        else:
            self.weights_ = pd.Series({s: float(self.weights[s]) for s in signals}, name="weight")
        self.signals_ = signals
        self.missing_signals_ = [
            s for s in (self.weights if isinstance(self.weights, Mapping) else []) if s not in X.columns
        ]
        self._ref = np.sort((Zs * self.weights_).sum(axis=1).to_numpy())
        return self

    def index(self, X: pd.DataFrame) -> pd.Series:
        """The raw weighted sum of standardised signals (higher = healthier).

        Parameters
        ----------
        X : DataFrame
            Signals per customer, with the columns used in :meth:`fit`.

        Returns
        -------
        Series
            ``health_index``, indexed like ``X``.
        """
        if not hasattr(self, "weights_"):
            raise CxError("call fit() before scoring.")
        Z = (self._check_X(X, self.signals_) - self.mean_) / self.scale_
        return (Z * self.weights_).sum(axis=1).rename("health_index")

    def score(self, X: pd.DataFrame) -> pd.Series:
        """Health 0–100: the percentile of the weighted sum in the fitting data.

        Parameters
        ----------
        X : DataFrame
            Signals per customer, with the columns used in :meth:`fit`.

        Returns
        -------
        Series
            ``health`` (0-100), indexed like ``X``.
        """
        idx = self.index(X).to_numpy()
        pct = np.searchsorted(self._ref, idx, side="right") / len(self._ref) * 100
        return pd.Series(pct, index=X.index, name="health")

    @property
    def summary(self) -> pd.DataFrame:
        """The weights per signal, with the direction they push health."""
        w = self.weights_
        return pd.DataFrame(
            {"signal": w.index, "weight": w.to_numpy(), "direction": np.where(w > 0, "healthier", "less healthy")}
        )

    def validate(self, X: pd.DataFrame, later: pd.Series, *, n_bins: int = 10) -> HealthValidation:
        """AUC (DeLong 95% CI) and later churn by health decile (Wilson 95% CIs).

        Parameters
        ----------
        X : DataFrame
            Signals per customer at a *later* cutoff than the fitting data.
        later : Series of 0/1
            Churn after that cutoff, indexed like ``X``.
        n_bins : int, default 10
            Number of health groups.

        Returns
        -------
        HealthValidation
        """
        h = self.score(X)
        y = pd.Series(later).reindex(h.index)
        if y.isna().any():
            raise CxError(
                f"validate(): {int(y.isna().sum())} customers have a score but no later outcome; "
                "build both from the same cutoff."
            )
        auc, se, _, _ = delong_auc_ci(y.to_numpy(), -h.to_numpy())
        dec = pd.qcut(h.rank(method="first"), n_bins, labels=range(1, n_bins + 1))
        d = y.groupby(dec, observed=True).agg(n="size", churned="sum").reset_index(names="decile")
        d["churn_rate"] = d["churned"] / d["n"]
        d["ci_low"], d["ci_high"] = wilson_interval(d["churned"], d["n"])
        d["mean_health"] = h.groupby(dec, observed=True).mean().to_numpy()
        return HealthValidation(auc, max(0.0, auc - 1.96 * se), min(1.0, auc + 1.96 * se), int(len(y)), int(y.sum()), d)
