"""Fast paths of the churn model (lesson 06 speed, issue 17 item 5) give what the plain code gives.

ChurnModel.oof_predict reads the table once and limits threads once for all folds: its predictions
must equal those of the public fit/predict_proba on each fold. The leakage alarm's level rates are
counted with numpy: they must equal a pandas groupby."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import StratifiedKFold

from cxlib.analytics.churn import ChurnModel
from cxlib.errors import CxError


def _mixed_table(n: int = 400, seed: int = 0) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {
            "complaints": rng.integers(0, 5, n),
            "usage": rng.normal(10, 3, n),
            "late": pd.array(rng.integers(0, 3, n), dtype="Int64"),
            "flag": rng.random(n) < 0.3,
            "plan": pd.Series(rng.choice(["a", "b", None], n), dtype="string"),
            "city": pd.Categorical(rng.choice(["x", "y", "z"], n)),
            "constant": 1.0,
        }
    )
    X.loc[::9, "late"] = pd.NA
    X.loc[::11, "usage"] = np.nan
    y = pd.Series((X["complaints"] + 3 * rng.random(n) > 4).astype(int))
    return X, y


def _fold_by_fold(model: ChurnModel, X: pd.DataFrame, y: pd.Series, folds: int, seed: int) -> np.ndarray:
    p = np.empty(len(y))
    for tr, te in StratifiedKFold(folds, shuffle=True, random_state=seed).split(X, y):
        fitted = ChurnModel(**model.get_params()).fit(X.iloc[tr], y.iloc[tr])
        p[te] = fitted.predict_proba(X.iloc[te])[:, 1]
    return p


@pytest.mark.parametrize("kind", ["logistic", "hgb"])
def test_out_of_fold_predictions_equal_the_public_fit_and_predict_on_each_fold(kind):
    X, y = _mixed_table()
    model = ChurnModel(kind=kind)
    assert np.array_equal(model.oof_predict(X, y, folds=4, seed=3), _fold_by_fold(model, X, y, 4, 3))


def test_oof_predict_leaves_the_table_unchanged_and_rejects_a_bad_target():
    X, y = _mixed_table()
    before = X.copy()
    ChurnModel().oof_predict(X, y)
    pd.testing.assert_frame_equal(X, before)
    with pytest.raises(CxError, match="0/1"):
        ChurnModel().oof_predict(X, y.replace({1: 2}))


def _level_rates_by_groupby(col: pd.Series, y: np.ndarray, folds: int = 5, seed: int = 0) -> np.ndarray:
    """The leakage alarm's out-of-fold level rates, written with a pandas groupby (the reference)."""
    levels = col.astype(object).where(col.notna(), "(blank)").astype(str).to_numpy()
    fold = np.random.default_rng(seed).integers(0, folds, len(y))
    prior, out = y.mean(), np.empty(len(y))
    for f in range(folds):
        train = fold != f
        t = pd.DataFrame({"lev": levels[train], "y": y[train]}).groupby("lev")["y"].agg(["sum", "size"])
        rate = (t["sum"] + prior) / (t["size"] + 1)
        out[~train] = pd.Series(levels[~train]).map(rate).fillna(prior).to_numpy()
    return out


@pytest.mark.parametrize("seed", range(12))
def test_the_leakage_alarm_s_level_rates_equal_a_groupby(seed):
    from cxlib.analytics.churn.leakage import _level_rates

    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(5, 300)), int(rng.integers(1, 40))
    col = pd.Series(rng.choice([f"level {i}" for i in range(k)] + [None], n), dtype="string" if seed % 2 else object)
    y = (rng.random(n) < rng.random()).astype(float if seed % 3 else int)
    assert np.array_equal(_level_rates(col, y), _level_rates_by_groupby(col, y))


def test_single_value_check_is_nunique():
    """The model drops a column with at most one value besides blanks; the quick check agrees with nunique()."""
    from cxlib.analytics.churn.model import _at_most_one_value

    columns = [
        pd.Series([1.0, 1.0, np.nan]),
        pd.Series([0.0, -0.0, np.nan]),
        pd.Series([np.nan, np.nan]),
        pd.Series([], dtype=float),
        pd.Series([np.inf, np.inf]),
        pd.Series([1.0, 2.0, np.nan]),
        pd.Series([3, 3, 3]),
        pd.Series([3, 4, 3], dtype="uint8"),
        pd.Series([True, True]),
        pd.Series([True, False]),
        pd.Series(["a", "a", None], dtype=object),
        pd.Series(["a", "b"], dtype=object),
    ]
    for col in columns:
        assert _at_most_one_value(col) == (col.nunique(dropna=True) <= 1), col.tolist()
