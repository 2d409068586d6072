"""Least squares with heteroskedasticity-robust (HC3) standard errors, in numpy (private).

What statsmodels' ``OLS(y, add_constant(X)).fit(cov_type="HC3")`` reports, robust intervals
and p-values from the normal distribution as statsmodels gives them, without importing
statsmodels' regression (most of a second, more than the fit: issue 17, speed).
:func:`cxlib.analytics.expectations.disconfirmation` uses it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from cxlib.analytics.stats import z_value

__all__ = ["ols_hc3"]


def ols_hc3(data: pd.DataFrame, outcome: str, terms: Sequence[str], *, level: float = 0.95) -> pd.DataFrame:
    """OLS of ``outcome`` on an intercept and ``terms``, with HC3 standard errors.

    Parameters
    ----------
    data : DataFrame
        Complete numeric rows (no blanks) of ``outcome`` and ``terms``.
    outcome : str
        The column explained.
    terms : sequence of str
        The explanatory columns.
    level : float, default 0.95
        Coverage of the (normal) intervals.

    Returns
    -------
    DataFrame
        One row per term, ``Intercept`` first: ``term``, ``coef``, ``se`` (HC3), ``ci_low``,
        ``ci_high`` and ``p_value``.

    Examples
    --------
    >>> d = pd.DataFrame({"x": [0.0, 1, 2, 3, 4, 5], "y": [1.0, 3.1, 4.9, 7.2, 8.8, 11.1]})
    >>> fit = ols_hc3(d, "y", ["x"])
    >>> fit["term"].tolist(), fit["coef"].round(2).tolist()
    (['Intercept', 'x'], [1.0, 2.0])
    """
    X = np.column_stack([np.ones(len(data)), *(data[t].to_numpy(float) for t in terms)])
    y = data[outcome].to_numpy(float)
    bread = np.linalg.inv(X.T @ X)
    coef = bread @ (X.T @ y)
    resid = y - X @ coef
    leverage = np.einsum("ij,jk,ik->i", X, bread, X)
    meat = (X * (resid / (1 - leverage))[:, None] ** 2).T @ X
    se = np.sqrt(np.diag(bread @ meat @ bread))
    z = z_value(level)
    return pd.DataFrame(
        {
            "term": ["Intercept", *terms],
            "coef": coef,
            "se": se,
            "ci_low": coef - z * se,
            "ci_high": coef + z * se,
            "p_value": 2 * stats.norm.sf(np.abs(coef / se)),
        }
    )
