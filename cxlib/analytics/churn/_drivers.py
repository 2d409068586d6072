"""Drivers of a fitted :class:`~cxlib.analytics.churn.ChurnModel`, each with an interval.

* Logistic model: the coefficient of each standardised column (change in log-odds
  per standard deviation; a text level against the average) with a sandwich standard
  error of the penalised fit: Cov = H⁻¹ M H⁻¹ with H = C·Zᵀ W Z + P (the Hessian of
  scikit-learn's objective C·Σ log-loss + ½‖β‖², P = the penalty on every coefficient
  but the intercept) and M = C²·Σ gᵢgᵢᵀ (the scores gᵢ = (pᵢ − yᵢ) zᵢ). Without a
  penalty this is the robust (HC0) covariance of an ordinary logistic regression.
* Gradient boosting: permutation importance (drop in ROC AUC when the column is
  shuffled) on bootstrap resamples of the rows, with a percentile interval.

A driver whose interval includes 0 is not ranked: the data cannot tell its direction.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit
from scipy.stats import spearmanr

from cxlib.analytics.stats import z_value

__all__ = ["logistic_drivers", "boosting_drivers", "finish_drivers"]


def _names(model: Any) -> list[tuple[str, str]]:
    """(feature, plain name) of each column of the logistic model's design matrix."""
    out = []
    for nm in model.pipeline_.named_steps["prep"].get_feature_names_out():
        part, rest = nm.split("__", 1)
        if part == "num" and rest.startswith("missingindicator_"):
            col = rest[len("missingindicator_") :]
            out.append((f"{col} is blank", f"no value for {col}"))
        elif part == "num":
            out.append((rest, f"more {rest}"))
        else:
            col = next(c for c in sorted(model.categorical_columns_, key=len, reverse=True) if rest.startswith(c + "_"))
            level = rest[len(col) + 1 :]
            level = "(other levels)" if level == "infrequent_sklearn" else level
            out.append((f"{col} = {level}", f"{col} = {level}"))
    return out


def logistic_drivers(model: Any, level: float) -> pd.DataFrame:
    """Coefficients of the fitted logistic model with sandwich intervals (see the module docstring)."""
    prep, lr = model.pipeline_.named_steps["prep"], model.pipeline_.named_steps["model"]
    Z = np.asarray(prep.transform(model._X_fit), dtype=float)
    Z1 = np.column_stack([Z, np.ones(len(Z))])
    beta = np.r_[lr.coef_.ravel(), lr.intercept_]
    p = expit(Z1 @ beta)
    y = np.asarray(model._y_fit, dtype=float)
    penalty = np.r_[np.ones(Z.shape[1]), 0.0]
    H = model.C * (Z1.T * (p * (1 - p))) @ Z1 + np.diag(penalty)
    g = (p - y)[:, None] * Z1
    H_inv = np.linalg.pinv(H)
    cov = H_inv @ (model.C**2 * g.T @ g) @ H_inv
    se = np.sqrt(np.clip(np.diag(cov)[:-1], 0, None))
    z = z_value(level)
    names = _names(model)
    df = pd.DataFrame(
        {
            "feature": [f for f, _ in names],
            "effect": beta[:-1],
            "ci_low": beta[:-1] - z * se,
            "ci_high": beta[:-1] + z * se,
            "_plain": [pl for _, pl in names],
        }
    )
    df["importance"] = df["effect"].abs()
    return df


def _auc(y: np.ndarray, s: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, s))


def _direction(model: Any, Xe: pd.DataFrame, risk: np.ndarray, c: str) -> tuple[str, float, str]:
    """(feature label, sign, plain name) of a column for the boosting model."""
    if c in model.numeric_columns_:
        ok = Xe[c].notna().to_numpy()
        rho = spearmanr(Xe[c][ok], risk[ok]).statistic if ok.sum() > 2 else 0.0
        sign = float(np.sign(np.nan_to_num(rho)))
        return c, sign if sign != 0 else 1.0, f"more {c}"
    means = pd.Series(risk).groupby(Xe[c].fillna("(blank)").to_numpy()).mean()
    return f"{c} = {means.idxmax()}", 1.0, f"{c} = {means.idxmax()}"


def boosting_drivers(model: Any, Xe: pd.DataFrame, ye: np.ndarray, resamples: int, level: float) -> pd.DataFrame:
    """Permutation importance on bootstrap resamples, with a percentile interval (see the module docstring)."""
    cols = model.numeric_columns_ + model.categorical_columns_
    rng = np.random.default_rng(model.random_state)
    drops = np.full((resamples, len(cols)), np.nan)
    with model._threads():
        risk = model.pipeline_.predict_proba(Xe[cols])[:, 1]
        for b in range(resamples):
            idx = rng.integers(0, len(ye), len(ye))
            yb, Xb = ye[idx], Xe[cols].iloc[idx].reset_index(drop=True)
            if yb.min() == yb.max():
                continue
            base = _auc(yb, model.pipeline_.predict_proba(Xb)[:, 1])
            for j, c in enumerate(cols):
                Xp = Xb.copy()
                Xp[c] = rng.permutation(Xp[c].to_numpy())
                drops[b, j] = base - _auc(yb, model.pipeline_.predict_proba(Xp)[:, 1])
    a = (1 - level) / 2
    rows = []
    for j, c in enumerate(cols):
        feature, sign, plain = _direction(model, Xe, risk, c)
        imp = float(np.nanmean(drops[:, j]))
        lo, hi = np.nanquantile(drops[:, j], [a, 1 - a])
        e_lo, e_hi = sorted((sign * lo, sign * hi))
        rows.append((feature, sign * imp, e_lo, e_hi, plain, max(imp, 0.0)))
    return pd.DataFrame(rows, columns=["feature", "effect", "ci_low", "ci_high", "_plain", "importance"])


def finish_drivers(df: pd.DataFrame) -> pd.DataFrame:
    """Direction, plain words and rank; drivers whose interval includes 0 come last, unranked."""
    df = df.copy()
    df["direction"] = np.where(df["effect"] > 0, "higher", "lower")
    clear = (df["ci_low"] > 0) | (df["ci_high"] < 0)
    df["plain"] = df["_plain"] + " → " + df["direction"] + " churn risk"
    df.loc[~clear, "plain"] = df.loc[~clear, "_plain"] + ": no clear direction (interval includes 0)"
    df["_clear"] = clear
    df = df.sort_values(["_clear", "importance"], ascending=[False, False], kind="stable").reset_index(drop=True)
    df["rank"] = pd.array(np.where(df["_clear"], np.arange(1, len(df) + 1), -1), dtype="Int64")
    df.loc[~df["_clear"], "rank"] = pd.NA
    cols = ["feature", "effect", "ci_low", "ci_high", "importance", "direction", "rank", "plain"]
    return df[cols]
