"""How good is a churn score? ROC and PR AUC with intervals, lift, calibration.

Conventions
-----------
* ROC AUC interval: DeLong, DeLong & Clarke-Pearson (1988), with the fast algorithm of
  Sun & Xu (2014); normal approximation on the AUC scale, clipped to [0, 1]. PR AUC
  interval: 2.5th and 97.5th percentiles of 500 stratified bootstrap resamples (seeded).
* Lift of a group = churn rate in the group / overall churn rate (at most
  1/prevalence). Top-decile lift uses the 10% of customers with the highest score.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve
from sklearn.metrics import average_precision_score, brier_score_loss

from cxlib.analytics.stats import check_target_scores, delong_auc_ci

__all__ = ["ChurnEvaluation", "evaluate", "lift_table", "top_decile_lift", "calibration_table"]


# =====================================================================================
# 3. metrics
# =====================================================================================
def _average_precision(y: np.ndarray, p: np.ndarray) -> float:
    """Average precision, sum of (R_k - R_k-1) P_k over distinct thresholds (as scikit-learn)."""
    order = np.argsort(-p, kind="stable")
    ys, ps = y[order], p[order]
    last = np.r_[np.flatnonzero(np.diff(ps)), len(ps) - 1]  # last index of each tie group
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
    df = (
        pd.DataFrame({"group": grp, "y": y, "p": p})
        .groupby("group")
        .agg(customers=("y", "size"), churners=("y", "sum"), mean_score=("p", "mean"), min_score=("p", "min"))
    )
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
    counts = np.bincount(
        np.clip(np.searchsorted(edges[1:-1], p, side="right"), 0, len(edges) - 2), minlength=len(edges) - 1
    )
    counts = counts[counts > 0]
    return pd.DataFrame({"predicted": pred, "observed": obs, "customers": counts[: len(pred)]})


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
        return (
            f"ChurnEvaluation({self.method or 'predictions'}: n={self.n}, churn rate {self.churn_rate:.1%}, "
            f"ROC AUC {self.auc:.3f} [{self.auc_ci_low:.3f}, {self.auc_ci_high:.3f}], "
            f"PR AUC {self.pr_auc:.3f} [{self.pr_auc_ci_low:.3f}, {self.pr_auc_ci_high:.3f}] "
            f"(baseline {self.churn_rate:.3f}), Brier {self.brier:.4f} (baseline {self.brier_baseline:.4f}), "
            f"top-decile lift {self.top_decile_lift:.2f})"
        )

    @property
    def summary(self) -> pd.DataFrame:
        """The scores as a two-column table (metric, value)."""
        d = self.to_dict()
        return pd.DataFrame({"metric": list(d), "value": list(d.values())})

    def to_dict(self) -> dict:
        keys = (
            "n",
            "churn_rate",
            "auc",
            "auc_se",
            "auc_ci_low",
            "auc_ci_high",
            "pr_auc",
            "pr_auc_ci_low",
            "pr_auc_ci_high",
            "brier",
            "brier_baseline",
            "top_decile_lift",
            "accuracy",
            "accuracy_nobody_churns",
        )
        return {k: getattr(self, k) for k in keys}

    def lift_table(self, bins: int = 10) -> pd.DataFrame:
        return lift_table(self.y, self.p, bins)

    def calibration_table(self, bins: int = 10) -> pd.DataFrame:
        return calibration_table(self.y, self.p, bins)


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
        y=y,
        p=p,
        n=len(y),
        churn_rate=rate,
        auc=auc,
        auc_se=se,
        auc_ci_low=lo,
        auc_ci_high=hi,
        pr_auc=ap,
        pr_auc_ci_low=ap_lo,
        pr_auc_ci_high=ap_hi,
        brier=float(brier_score_loss(y, p)),
        brier_baseline=float(rate * (1 - rate)),
        top_decile_lift=top_decile_lift(y, p),
        accuracy=float(((p > 0.5) == y).mean()),
        accuracy_nobody_churns=float(1 - rate),
        method=method,
    )
