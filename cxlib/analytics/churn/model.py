"""The churn model: a scikit-learn estimator, the reading of a churn target, validation over time.

:class:`ChurnModel` is a ``Pipeline`` with a ``ColumnTransformer`` (median
imputation with missing-value indicators and scaling for numbers; most-frequent
imputation and one-hot encoding for text, rare levels pooled) followed by a
regularised logistic regression (``kind="logistic"``, interpretable) or histogram
gradient boosting (``kind="hgb"``, flexible). Constant columns are dropped and
reported. :meth:`ChurnModel.cross_validate` gives out-of-fold predictions
(stratified K-fold, fixed seed) for a one-snapshot table;
:func:`cxlib.analytics.churn.time_validate` trains on earlier cutoffs and tests on a
later one, which is the default for time-stamped data. :func:`parse_target` and :func:`clean_features` read an
analyst's churn table.

Examples
--------
>>> from cxlib.data import datasets
>>> snap = datasets.load_churn_snapshot()
>>> X, y = snap.drop(columns=["customer_id", "churned"]), snap["churned"]
>>> ev = ChurnModel().cross_validate(X, y, folds=5, seed=0)
>>> 0.75 < ev.auc < 0.9
True
>>> ev.auc_ci_low < ev.auc < ev.auc_ci_high
True
"""

from __future__ import annotations

import base64
import functools
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from cxlib._deprecation import renamed_arguments
from cxlib.analytics import _precomputed
from cxlib.analytics._level import check_level
from cxlib.analytics.churn._drivers import boosting_drivers, finish_drivers, logistic_drivers
from cxlib.analytics.churn.evaluation import ChurnEvaluation, evaluate
from cxlib.analytics.churn.leakage import leakage_checks, warn_alarms
from cxlib.errors import CxError, Problem, ValidationError

__all__ = ["ChurnModel", "parse_target", "clean_features", "CleanTable"]


_TRUE = {
    "1",
    "1.0",
    "yes",
    "y",
    "true",
    "t",
    "churned",
    "churn",
    "left",
    "lost",
    "cancelled",
    "canceled",
    "inactive",
    "attrited",
    "exited",
}


_FALSE = {"0", "0.0", "no", "n", "false", "f", "active", "stayed", "retained", "not churned", "current", "existing"}


# =====================================================================================
# 2. cleaning a customer-level table (real exports)
# =====================================================================================
@renamed_arguments(name="target_column")
def parse_target(values: pd.Series, target_column: str = "churned") -> tuple[pd.Series, dict]:
    """Read a churn target given as 0/1, True/False or text ("Yes", "churned", ...).

    Blank values become ``<NA>`` (the caller excludes and counts them); anything else
    that is not understood raises a :class:`ValidationError` listing the values.

    Parameters
    ----------
    values : Series
        The target column's values.
    target_column : str, default "churned"
        Its name, for the messages.

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
        raise ValidationError(
            [
                Problem(
                    "target value not understood",
                    column=target_column,
                    rows=tuple(rows[:5] + 2),
                    values=tuple(vals[:5]),
                    count=int(bad.sum()),
                    fix="use 1/0, yes/no, true/false or churned/active.",
                )
            ]
        )
    ok = s.notna()
    mapping = {str(k): int(v) for k, v in sorted(zip(s[ok].tolist(), y[ok].tolist()))}
    return y, mapping


@dataclass
class CleanTable:
    """A customer-level table made ready for modelling, with what was done to it.

    Attributes
    ----------
    X : DataFrame
        The usable feature columns (numbers as float, text stripped, blanks as NaN) of the
        rows with a target.
    y : Series of int
        The target as 0/1, aligned with ``X``.
    n_rows : int
        Rows of the input table, blank targets included.
    n_missing_target : int
        Rows excluded because their target was blank.
    target_mapping : dict
        How each target value was read, e.g. ``{"Yes": 1, "No": 0}``.
    numeric : list of str
        The feature columns read as numbers.
    categorical : list of str
        The feature columns read as categories.
    dropped : dict
        Column -> why it is not used (id column, empty, constant, id-like text).
    n_text_as_missing : dict
        Numeric column -> how many non-numeric values in it were treated as blank.
    index : Index or None
        The labels of the input rows kept (target not blank).
    """

    X: pd.DataFrame
    y: pd.Series
    n_rows: int
    n_missing_target: int
    target_mapping: dict
    numeric: list
    categorical: list
    dropped: dict = field(default_factory=dict)
    n_text_as_missing: dict = field(default_factory=dict)
    index: pd.Index | None = field(default=None, repr=False)  # the input rows kept (target not blank)

    def notes(self) -> list[str]:
        """Readable lines describing the cleaning (for reports).

        Returns
        -------
        list of str
        """
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
    """(numbers, non-blank cells) of a feature, read as cxlib.data.io reads a number column."""
    from cxlib.data.io import NA_TOKENS, to_numbers

    if pd.api.types.is_numeric_dtype(col):
        num, nonblank = col.astype(float), col.notna()
    else:
        txt = col.astype("string").str.strip()
        nonblank = txt.notna() & ~txt.str.lower().isin(NA_TOKENS).fillna(False)
        num = to_numbers(col, errors="coerce", name=name)
    rows = np.flatnonzero(np.isinf(num.to_numpy(dtype=float)))
    if len(rows):
        raise CxError(
            f"column {name!r} holds infinite values (rows {', '.join(str(r + 2) for r in rows[:5])}"
            f"{', ...' if len(rows) > 5 else ''}), which no model can use: replace them by "
            "numbers or blanks."
        )
    return num, nonblank


@renamed_arguments(target="target_column")
def clean_features(df: pd.DataFrame, target_column: str, id_column: str | None = None) -> CleanTable:
    """Prepare a customer-level export: parse the target, type the features, drop unusable columns.

    * The target is read by :func:`parse_target`; rows with a blank target are
      excluded and counted.
    * A feature is numeric when at least 95% of its non-blank values are numbers, read
      as :func:`cxlib.data.io.to_numbers` reads a column (the decimal mark and thousands
      separators decided for the whole column, currency and % signs removed; the rest
      are counted and treated as blank); otherwise it is categorical. Infinite values
      are refused.
    * Dropped and reported: the id column, empty and constant columns, and text
      columns with a different value in (almost) every row (they look like ids or
      free text).

    Parameters
    ----------
    df : DataFrame
        One row per customer: the target, an optional id and the features.
    target_column : str
        The churn target (0/1, yes/no, churned/active, ...).
    id_column : str, optional
        The customer id (never a feature).

    Returns
    -------
    CleanTable
        ``X``, ``y``, the numeric and text feature names, what was dropped and why,
        and ``index`` (the input rows kept).

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
    target = target_column
    if target not in df.columns:
        raise CxError(
            f"target column {target!r} not found; the columns are: "
            f"{', '.join(map(str, df.columns))}. Pass --target with one of them."
        )
    if id_column is not None and id_column not in df.columns:
        raise CxError(f"id column {id_column!r} not found; the columns are: {', '.join(map(str, df.columns))}.")
    y, mapping = parse_target(df[target], target)
    keep = y.notna().to_numpy()
    n_missing = int((~keep).sum())
    y = y[keep].astype(int)
    if y.nunique() < 2:
        cls = "no rows" if len(y) == 0 else f"only the value {int(y.iloc[0])}"
        raise CxError(
            f"the target {target!r} has {cls} after excluding {n_missing} blank(s): a churn model "
            f"needs both churners (1) and stayers (0). Check the target column."
        )
    kept_index = df.index[keep]
    X = df.loc[keep].drop(columns=[c for c in (target, id_column) if c is not None]).reset_index(drop=True)
    y = y.reset_index(drop=True)
    dropped: dict[str, str] = {}
    if id_column is not None:
        dropped[id_column] = "id column"
    numeric: list[str] = []
    categorical: list[str] = []
    text_missing: dict[str, int] = {}
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
        raise CxError(
            "no usable feature column: every column other than the target and id is empty, "
            "constant or an id-like text column. A churn model needs at least one signal "
            "(e.g. tenure, complaints, usage)."
        )
    return CleanTable(
        X=X[numeric + categorical],
        y=y,
        n_rows=len(df),
        n_missing_target=n_missing,
        target_mapping=mapping,
        numeric=numeric,
        categorical=categorical,
        dropped=dropped,
        n_text_as_missing=text_missing,
        index=kept_index,
    )


def _model_input(X) -> pd.DataFrame:
    """A copy of ``X`` as the pipeline reads it: nullable numbers as floats, text as objects with NaN blanks."""
    if not isinstance(X, pd.DataFrame):
        X = pd.DataFrame(X)
    X = X.copy()
    for c in X.columns:
        if isinstance(X[c].dtype, pd.api.extensions.ExtensionDtype) and pd.api.types.is_numeric_dtype(X[c]):
            X[c] = X[c].astype(float)
        elif X[c].dtype == object or isinstance(X[c].dtype, (pd.StringDtype, pd.CategoricalDtype)):
            X[c] = X[c].astype(object).where(X[c].notna(), np.nan)
    return X


def _at_most_one_value(col: pd.Series) -> bool:
    """Whether ``col`` holds at most one distinct value besides blanks (``col.nunique() <= 1``).

    Plain numbers are compared with their first value, which is quicker than counting
    them (a model checks every column of every fold).
    """
    if col.dtype.kind in "fiu":
        v = col.to_numpy()
        if col.dtype.kind == "f":
            v = v[~np.isnan(v)]
        return v.size == 0 or bool((v == v[0]).all())
    return col.nunique(dropna=True) <= 1


@functools.cache
def _thread_controller() -> Any:
    """threadpoolctl's view of the loaded OpenMP and BLAS libraries, found once (about 2 ms a look).

    scikit-learn, imported with this module, has loaded them all by the first fit.
    """
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _target(y) -> np.ndarray:
    """``y`` as 0/1 integers; a blank or any other value is an error."""
    y = np.asarray(y, dtype=float)
    if np.isnan(y).any() or not np.isin(y, (0, 1)).all():
        raise CxError("y must be 0/1 with no blanks; read text labels with cxlib.analytics.churn.parse_target.")
    return y.astype(int)


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
        Threads for the gradient boosting (OpenMP) and the linear algebra of the logistic
        regression (BLAS). 1 is fastest on customer tables of a few thousand rows, and on a
        shared machine by far (two BLAS threads on two busy cores made a 5-fold validation
        four times slower); None lets the libraries decide.

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

    def __init__(
        self,
        kind: str = "logistic",
        C: float = 0.1,
        min_frequency: float = 0.01,
        max_categories: int = 20,
        random_state: int = 0,
        n_jobs: int | None = 1,
    ):
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
            if _at_most_one_value(col):
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
        cat_pipe = Pipeline(
            [
                ("impute", SimpleImputer(strategy="constant", fill_value="(blank)")),
                (
                    "onehot",
                    OneHotEncoder(
                        handle_unknown="ignore",
                        min_frequency=self.min_frequency,
                        max_categories=self.max_categories,
                        sparse_output=False,
                    ),
                ),
            ]
        )
        pre = ColumnTransformer(
            [("num", Pipeline(num_steps), num), ("cat", cat_pipe, cat)], verbose_feature_names_out=True
        )
        if self.kind == "logistic":
            clf = LogisticRegression(C=self.C, max_iter=5000)
        else:
            clf = HistGradientBoostingClassifier(
                learning_rate=0.05,
                max_iter=250,
                max_leaf_nodes=15,
                min_samples_leaf=40,
                l2_regularization=1.0,
                early_stopping=False,
                random_state=self.random_state,
            )
        return Pipeline([("prep", pre), ("model", clf)])

    def fit(self, X: pd.DataFrame, y) -> ChurnModel:
        """Fit on features ``X`` and a 0/1 target ``y``.

        Parameters
        ----------
        X : DataFrame
            Features (numbers and text; blanks allowed).
        y : array of 0/1
            The churn target.

        Returns
        -------
        ChurnModel
            ``self``, fitted.
        """
        X, y = _model_input(X), _target(y)
        with self._threads():
            return self._fit_input(X, y)

    def _fit_input(self, X: pd.DataFrame, y: np.ndarray) -> ChurnModel:
        """Fit on ``X`` from :func:`_model_input` and ``y`` from :func:`_target` (no copy, no thread limit)."""
        if len(np.unique(y)) < 2:
            raise CxError("the target has one class only; a churn model needs churners and stayers.")
        num, cat, dropped = self._split_columns(X)
        if not num and not cat:
            raise CxError("no usable feature: every column is empty or constant.")
        self.numeric_columns_, self.categorical_columns_, self.dropped_columns_ = num, cat, dropped
        self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        self.n_features_in_ = X.shape[1]
        self.pipeline_ = self._pipeline(num, cat).fit(X, y)
        self.classes_ = np.array([0, 1])
        self._X_fit, self._y_fit = X, y
        return self

    def _threads(self):
        """Limit OpenMP and BLAS to ``n_jobs`` threads while fitting and predicting."""
        return _thread_controller().limit(limits=self.n_jobs)

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
        """Probabilities of (stay, churn).

        Parameters
        ----------
        X : DataFrame
            Features with the fitted columns.

        Returns
        -------
        ndarray of shape (n, 2)
        """
        X = self._prep_X(X)
        with self._threads():
            return self.pipeline_.predict_proba(X)

    def predict(self, X, threshold: float = 0.5) -> np.ndarray:
        """1 when the churn probability exceeds ``threshold``.

        Parameters
        ----------
        X : DataFrame
            Features with the fitted columns.
        threshold : float, default 0.5
            The probability above which a customer is predicted to churn.

        Returns
        -------
        ndarray of 0/1
        """
        return (self.predict_proba(X)[:, 1] > threshold).astype(int)

    # -- validation --------------------------------------------------------------------------
    def oof_predict(self, X: pd.DataFrame, y, folds: int = 5, seed: int = 0) -> np.ndarray:
        """Out-of-fold churn probabilities from stratified K-fold (shuffled with ``seed``).

        Parameters
        ----------
        X : DataFrame
            Features.
        y : array of 0/1
            The churn target.
        folds : int, default 5
            Number of folds.
        seed : int, default 0
            Seed of the split. Lessons 06's and 07's validations on the bundled data are computed once
            and stored (:mod:`cxlib.analytics._precomputed`); a test checks they are the ones
            computed here.

        Returns
        -------
        ndarray
            Each customer's probability from the model that did not see them.
        """
        y = _target(y)
        counts = np.bincount(y, minlength=2)
        if counts.min() < folds:
            raise CxError(
                f"only {counts.min()} customers in the smaller class; {folds}-fold validation needs at "
                f"least {folds}. Use fewer folds or more data."
            )
        # read the table once, and limit the threads once, for every fold
        X = _model_input(pd.DataFrame(X).reset_index(drop=True))
        key = self._oof_key(X, y, folds, seed)
        stored = _precomputed.lookup(key)  # a lesson's validation on the bundled data, computed once
        if stored is not None:
            return np.frombuffer(base64.b64decode(stored), dtype="<f8").astype(float)
        p = np.empty(len(y))
        with self._threads():
            for tr, te in StratifiedKFold(folds, shuffle=True, random_state=seed).split(X, y):
                fold = clone(self)._fit_input(X.iloc[tr], y[tr])
                p[te] = fold.pipeline_.predict_proba(X.iloc[te])[:, 1]
        _precomputed.record(key, "churn.oof_predict", base64.b64encode(p.astype("<f8").tobytes()).decode("ascii"))
        return p

    def _oof_key(self, X: pd.DataFrame, y: np.ndarray, folds: int, seed: Any) -> str | None:
        """The store's key of :meth:`oof_predict` on ``X`` (from :func:`_model_input`) and ``y`` (None: not stored).

        Everything that decides the predictions: each column's name and values, the target,
        the model's parameters, the folds and their seed, and the versions of the libraries
        that fit (numpy, scipy, scikit-learn). A subclass, or a model without a whole-number
        ``random_state``, is never stored.
        """
        params = self.get_params()
        if type(self) is not ChurnModel or not isinstance(params["random_state"], (int, np.integer)):
            return None
        params["random_state"] = int(params["random_state"])
        columns = [str(c) for c in X.columns]
        return _precomputed.seeded_key(
            "churn.oof_predict",
            [X[c].to_numpy() for c in X.columns] + [y],
            {**params, "columns": columns, "folds": int(folds), "seed": seed},
            libraries=("numpy", "scipy", "scikit-learn"),
        )

    def cross_validate(self, X: pd.DataFrame, y, folds: int = 5, seed: int = 0) -> ChurnEvaluation:
        """Out-of-fold evaluation (stratified K-fold with a fixed seed); see :func:`evaluate`.

        Use this for one snapshot; for data with several cutoffs use :func:`time_validate`.
        The leakage alarm runs on the result (:func:`~cxlib.analytics.churn.leakage_checks`):
        its alarms are in ``.alarms`` and issued as :class:`~cxlib.analytics.churn.LeakageWarning`.

        Parameters
        ----------
        X : DataFrame
            Features.
        y : array of 0/1
            Outcomes.
        folds : int, default 5
            Number of stratified folds.
        seed : int, default 0
            Seed of the fold split.

        Returns
        -------
        ChurnEvaluation
        """
        p = self.oof_predict(X, y, folds=folds, seed=seed)
        ev = evaluate(y, p, method=f"{self.kind}, {folds}-fold out-of-fold", seed=seed)
        ev.alarms = leakage_checks(pd.DataFrame(X), y, auc=ev.auc)
        warn_alarms(ev.alarms)
        return ev

    # -- interpretation ------------------------------------------------------------------------
    @renamed_arguments(n_repeats="resamples")
    def drivers(self, X: pd.DataFrame | None = None, y=None, resamples: int = 30, level: float = 0.95) -> pd.DataFrame:
        """What drives the predicted risk, in plain language, each with an interval.

        Logistic: the coefficient of each standardised number (change in log-odds per
        standard deviation), of each blank indicator and of each text level (against
        the average), with a sandwich interval of the penalised fit. HGB: permutation
        importance (drop in ROC AUC when the column is shuffled, on ``X``, ``y``; the
        training data by default) on ``resamples`` bootstrap resamples, with a
        percentile interval and the direction from the rank correlation between the
        column and the predicted risk. A driver whose interval includes 0 is listed
        last and not ranked. Associations, not causes.

        Parameters
        ----------
        X, y : DataFrame and array, optional
            Data for the permutation importance (HGB only; default the training data).
        resamples : int, default 30
            Bootstrap resamples of the permutation importance (HGB only).
        level : float, default 0.95
            Confidence level of the intervals.

        Returns
        -------
        DataFrame
            ``feature``, ``effect`` (log-odds per SD, or signed AUC drop), ``ci_low``,
            ``ci_high``, ``importance``, ``direction`` ("higher"/"lower" risk), ``rank``
            (1 = strongest; blank when the interval includes 0) and ``plain``.
        """
        if not hasattr(self, "pipeline_"):
            raise CxError("fit the model first.")
        check_level(level)
        if self.kind == "logistic":
            with self._threads():  # its matrix products, like the fit's, on n_jobs BLAS threads
                return finish_drivers(logistic_drivers(self, level))
        Xe = self._X_fit if X is None else self._prep_X(X)
        ye = self._y_fit if y is None else np.asarray(y, dtype=int)
        return finish_drivers(boosting_drivers(self, Xe, ye, int(resamples), level))

    @property
    def summary(self) -> pd.DataFrame:
        """The drivers table (see :meth:`drivers`), on the training data."""
        return self.drivers()

    def __repr__(self) -> str:
        if not hasattr(self, "pipeline_"):
            return f"ChurnModel(kind={self.kind!r}, C={self.C}) (not fitted)"
        return (
            f"ChurnModel(kind={self.kind!r}): {len(self.numeric_columns_)} numeric and "
            f"{len(self.categorical_columns_)} text feature(s); {len(self.dropped_columns_)} column(s) dropped"
        )
