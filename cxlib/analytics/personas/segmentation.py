"""Customer segmentation that can be trusted: scaling, k-means, the choice of k, stability.

:class:`Segmenter` log-transforms skewed columns, standardises them and runs
k-means; the number of segments is chosen by mean silhouette (Rousseeuw 1987,
:func:`choose_k`) with a minimum segment size, and :func:`stability` checks the
segments by bootstrap (adjusted Rand index, Hubert & Arabie 1985; per-segment
Jaccard, Hennig 2007).

Examples
--------
>>> from sklearn.datasets import make_blobs
>>> X, _ = make_blobs(n_samples=300, centers=[[0, 0], [8, 0], [0, 8]], random_state=1)
>>> X = pd.DataFrame(X, columns=["a", "b"])
>>> seg = Segmenter(random_state=0).fit(X)
>>> seg.k_
3
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cxlib._deprecation import renamed_arguments
from cxlib.analytics import _precomputed
from cxlib.checks import numeric_problems, require_columns
from cxlib.errors import CxError, ValidationError

__all__ = ["Segmenter", "StabilityResult", "choose_k", "stability"]


# ----------------------------------------------------------------------------------
# segmentation
# ----------------------------------------------------------------------------------
def _skewed(X: pd.DataFrame, threshold: float = 1.0) -> list[str]:
    """Non-negative columns with skewness above ``threshold`` (money and counts)."""
    return [c for c in X.columns if (X[c] >= 0).all() and X[c].skew() > threshold]


def _one_thread():
    """Run k-means single-threaded: on a shared machine OpenMP threads oversubscribe the
    cores (a 1 s fit became 30 s in our tests), and one thread also makes the floating-point
    reductions, hence the labels, identical on every machine."""
    # load scikit-learn's OpenMP runtime first: a limit set before a library is loaded does not
    # apply to it (k-means then ran on every core, 40 times slower on a busy machine)
    import sklearn.cluster  # noqa: F401

    try:
        from threadpoolctl import threadpool_limits  # installed with scikit-learn
    except ImportError:  # pragma: no cover
        from contextlib import nullcontext

        return nullcontext()
    return threadpool_limits(limits=1)


def _kmeans_fit(Z: np.ndarray, k: int, random_state: int, n_init: int):
    """k-means on ``Z``; the caller holds :func:`_one_thread` (entering it costs milliseconds)."""
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=k, n_init=n_init, random_state=random_state).fit(Z)


def _kmeans(Z: np.ndarray, k: int, random_state: int, n_init: int):
    with _one_thread():
        return _kmeans_fit(Z, k, random_state, n_init)


class _SilhouetteSample:
    """The silhouette's rows and their distance matrix, computed once for every k.

    ``silhouette_score(Z, labels, sample_size=..., random_state=...)`` draws the same rows
    for every partition of the same ``Z`` and recomputes their pairwise distances each
    time; choosing k among seven candidates computed the same matrix seven times. The
    score from the precomputed matrix is the same number (a test checks it).
    """

    def __init__(self, Z: np.ndarray, sample_size: int | None, random_state: int) -> None:
        from sklearn.metrics import pairwise_distances

        n = len(Z)
        if sample_size is None or n <= sample_size:
            self.rows: np.ndarray | None = None
            self.distances = pairwise_distances(Z)
        else:  # the rows silhouette_score(sample_size=..., random_state=...) draws
            self.rows = np.random.RandomState(random_state).permutation(n)[:sample_size]
            self.distances = pairwise_distances(Z[self.rows])

    def score(self, labels: np.ndarray) -> float:
        from sklearn.metrics import silhouette_samples

        labels = np.asarray(labels)
        if len(np.unique(labels)) < 2:
            return float("nan")
        sample = labels if self.rows is None else labels[self.rows]
        if len(np.unique(sample)) < 2:
            return float("nan")
        return float(np.mean(silhouette_samples(self.distances, sample, metric="precomputed")))


def _silhouette(Z: np.ndarray, labels: np.ndarray, sample_size: int | None, random_state: int) -> float:
    from sklearn.metrics import silhouette_score

    if len(np.unique(labels)) < 2:
        return float("nan")
    n = len(Z)
    size = None if sample_size is None or n <= sample_size else sample_size
    return float(silhouette_score(Z, labels, sample_size=size, random_state=random_state))


def choose_k(
    Z: np.ndarray | pd.DataFrame,
    k_range: Iterable[int] = range(2, 9),
    *,
    min_size: float = 0.05,
    random_state: int = 0,
    n_init: int = 10,
    sample_size: int | None = 3000,
) -> pd.DataFrame:
    """Mean silhouette and smallest segment share for each k (on already-scaled data).

    The chosen k (``chosen`` column True) has the highest mean silhouette among the
    k whose smallest segment holds at least ``min_size`` of the customers. Silhouette
    is computed on a seeded subsample of ``sample_size`` rows when there are more.

    Parameters
    ----------
    Z : array or DataFrame
        Scaled features, one row per customer.
    k_range : iterable of int
        Candidate numbers of segments (each 2 <= k < rows).
    min_size : float, default 0.05
        Smallest acceptable segment, as a share of customers.
    random_state, n_init : int
        Seed and restarts of k-means.
    sample_size : int or None, default 3000
        Rows used for the silhouette (None: all).

    Returns
    -------
    DataFrame
        One row per k: ``silhouette``, ``smallest_share``, ``inertia``, ``eligible``, ``chosen``.

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> Z, _ = make_blobs(n_samples=200, centers=4, random_state=3)
    >>> t = choose_k(Z, range(2, 7))
    >>> int(t.loc[t["chosen"], "k"].iloc[0])
    4
    """
    return _choose_k(
        np.asarray(Z, dtype=float),
        k_range,
        min_size=min_size,
        random_state=random_state,
        n_init=n_init,
        sample_size=sample_size,
    )[0]


def _choose_k(
    Z: np.ndarray,
    k_range: Iterable[int],
    *,
    min_size: float,
    random_state: int,
    n_init: int,
    sample_size: int | None,
) -> tuple[pd.DataFrame, dict[int, Any], dict[int, np.ndarray]]:
    """:func:`choose_k`'s table, the fitted k-means model of every k and its labels (reused by :class:`Segmenter`).

    On the bundled data (lesson 02) the table and the labels are stored
    (:mod:`cxlib.analytics._precomputed`) and no model is fitted here: :class:`Segmenter` fits the
    chosen k alone, with the same call, so the same model.
    """
    ks = list(k_range)
    for k in ks:
        if k < 2 or k >= len(Z):
            raise CxError(f"choose_k: k = {k} needs 2 <= k < number of rows ({len(Z)}).")
    key = (
        _precomputed.seeded_key(
            "personas.choose_k",
            [Z],
            {
                "ks": [int(k) for k in ks],
                "min_size": float(min_size),
                "random_state": random_state,
                "n_init": int(n_init),
                "sample_size": None if sample_size is None else int(sample_size),
            },
            seed_param="random_state",
            libraries=("numpy", "scikit-learn"),
        )
        if max(ks) <= 10  # labels are stored as one digit each
        else None
    )
    stored = _precomputed.lookup(key)
    if stored is not None:
        labels = {int(k): np.array([int(c) for c in text], dtype=np.int32) for k, text in stored["labels"].items()}
        return _choice_table(pd.DataFrame(stored["table"]), min_size), {}, labels
    rows = []
    models: dict[int, Any] = {}
    with _one_thread():
        sample = _SilhouetteSample(Z, sample_size, random_state)
        for k in ks:
            km = _kmeans_fit(Z, k, random_state, n_init)
            models[k] = km
            sizes = np.bincount(km.labels_, minlength=k)
            rows.append(
                {
                    "k": k,
                    "silhouette": sample.score(km.labels_),
                    "smallest_share": sizes.min() / len(Z),
                    "inertia": float(km.inertia_),
                }
            )
    t = pd.DataFrame(rows)
    if key and _precomputed.RECORDING is not None:  # labels of k <= 10 segments as one digit each
        stored = {
            "table": t.to_dict(orient="list"),
            "labels": {str(k): "".join(map(str, m.labels_.tolist())) for k, m in models.items()},
        }
        _precomputed.record(key, "personas.choose_k", stored)
    return _choice_table(t, min_size), models, {k: m.labels_ for k, m in models.items()}


def _choice_table(t: pd.DataFrame, min_size: float) -> pd.DataFrame:
    t["eligible"] = t["smallest_share"] >= min_size
    pool = t[t["eligible"]] if t["eligible"].any() else t
    t["chosen"] = t.index == pool["silhouette"].idxmax()
    return t


@dataclass
class StabilityResult:
    """Bootstrap stability of a segmentation.

    Attributes
    ----------
    ari : ndarray
        Adjusted Rand index between the original labels and each bootstrap refit, on the
        customers in that resample (1 = identical partition, ~0 = chance agreement).
    jaccard : DataFrame
        Per segment: the mean over resamples of the best Jaccard overlap with a refit
        segment, and Hennig's (2007) verdict (≥ 0.75 stable, < 0.5 dissolved).
    n_boot : int
    """

    ari: np.ndarray
    jaccard: pd.DataFrame
    n_boot: int

    @property
    def ari_mean(self) -> float:
        """The mean of the bootstrap ARIs."""
        return float(np.mean(self.ari))

    @property
    def ari_interval(self) -> tuple[float, float]:
        """The 2.5% and 97.5% quantiles of the bootstrap ARIs."""
        lo, hi = np.quantile(self.ari, [0.025, 0.975])
        return float(lo), float(hi)

    @property
    def summary(self) -> pd.DataFrame:
        """The Jaccard table (one row per segment)."""
        return self.jaccard

    def __repr__(self) -> str:
        lo, hi = self.ari_interval
        verdicts = ", ".join(
            f"{s}: {j:.2f} ({v})"
            for s, j, v in zip(self.jaccard.index, self.jaccard["jaccard"], self.jaccard["verdict"])
        )
        return (
            f"StabilityResult(n_boot={self.n_boot}, mean ARI={self.ari_mean:.2f} "
            f"[{lo:.2f}, {hi:.2f}]; Jaccard by segment: {verdicts})"
        )


def _verdict(j: float) -> str:
    return "stable" if j >= 0.75 else ("dissolved" if j < 0.5 else "doubtful")


def _adjusted_rand(a: np.ndarray, b: np.ndarray) -> float:
    """The adjusted Rand index of two labelings by small non-negative integers.

    The same integer pair counts and the same final expression as
    :func:`sklearn.metrics.adjusted_rand_score`, so the same number (a test checks it),
    without its input checks and sparse contingency table, which cost more than the index
    itself in a bootstrap of a hundred refits.
    """
    ka, kb = int(a.max()) + 1, int(b.max()) + 1
    table = np.bincount(a * kb + b, minlength=ka * kb).astype(np.int64)
    n = np.int64(len(a))
    sum_squares = int((table**2).sum())
    rows = np.bincount(a, minlength=ka).astype(np.int64)
    cols = np.bincount(b, minlength=kb).astype(np.int64)
    tp = sum_squares - int(n)
    fp = int((cols**2).sum()) - sum_squares
    fn = int((rows**2).sum()) - sum_squares
    tn = int(n) ** 2 - fp - fn - sum_squares
    if fn == 0 and fp == 0:
        return 1.0
    return 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))


def stability(
    Z: np.ndarray | pd.DataFrame,
    labels: Sequence[int],
    k: int | None = None,
    *,
    n_boot: int = 20,
    random_state: int = 0,
    n_init: int = 3,
) -> StabilityResult:
    """Bootstrap stability of a k-means partition of scaled data ``Z``.

    Each resample draws the customers with replacement, refits k-means with the same k,
    and compares the refit labels with ``labels`` on the distinct customers drawn:
    the adjusted Rand index (Hubert & Arabie 1985) for the whole partition, and for
    each original segment the best Jaccard overlap |C ∩ D| / |C ∪ D| with a refit
    segment D (Hennig 2007).

    Parameters
    ----------
    Z : array or DataFrame
        Scaled features, one row per customer.
    labels : sequence of int
        The segment of each row.
    k : int, optional
        Number of segments of the refits (default: the number of labels).
    n_boot : int, default 20
        Bootstrap resamples.
    random_state, n_init : int
        Seed of the resamples and restarts of each refit.

    Returns
    -------
    StabilityResult

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> Z, y = make_blobs(n_samples=150, centers=[[0, 0], [8, 0], [0, 8]], random_state=0)
    >>> r = stability(Z, y, n_boot=5)
    >>> r.ari_mean > 0.9
    True
    """
    Z = np.asarray(Z, dtype=float)
    lab = np.asarray(labels)
    if len(lab) != len(Z):
        raise CxError(f"stability: {len(lab)} labels for {len(Z)} rows; they must match.")
    segs, codes = np.unique(lab, return_inverse=True)  # codes 0..: the labels as small integers
    codes = codes.reshape(-1)
    k = int(k or len(segs))
    if k < 2 or len(Z) <= k:
        raise CxError(f"stability: need 2 <= k < rows; got k = {k} with {len(Z)} rows.")
    key = _precomputed.seeded_key(
        "personas.stability",
        [Z, codes, segs],
        {"k": k, "n_boot": int(n_boot), "random_state": random_state, "n_init": int(n_init)},
        seed_param="random_state",
        libraries=("numpy", "scikit-learn"),
    )
    stored = _precomputed.lookup(key)  # the bundled data's results, computed once (tools/precompute.py)
    if stored is not None:
        return _stability_result(segs, stored["ari"], stored["jaccard"], n_boot)
    rng = np.random.default_rng(random_state)
    aris: list[float] = []
    jac: dict[Any, list[float]] = {s: [] for s in segs}
    with _one_thread():  # once for the whole loop: entering it costs milliseconds
        for _ in range(n_boot):
            draw = rng.integers(0, len(Z), len(Z))  # the bootstrap sample, with repeats
            fitted = _kmeans_fit(Z[draw], k, int(rng.integers(2**31 - 1)), n_init)
            idx = np.unique(draw)
            new = fitted.predict(Z[idx])
            old = lab[idx]
            aris.append(_adjusted_rand(codes[idx], new))
            onehot_new = np.eye(k, dtype=bool)[new]
            for s in segs:
                c = old == s
                inter = (onehot_new & c[:, None]).sum(axis=0)
                union = c.sum() + onehot_new.sum(axis=0) - inter
                jac[s].append(float(np.max(np.where(union > 0, inter / np.maximum(union, 1), 0))))
    means = [float(np.mean(jac[s])) for s in segs]
    _precomputed.record(key, "personas.stability", {"ari": aris, "jaccard": means})
    return _stability_result(segs, aris, means, n_boot)


def _stability_result(
    segs: np.ndarray, aris: Sequence[float], jaccard: Sequence[float], n_boot: int
) -> StabilityResult:
    jt = pd.DataFrame({"jaccard": dict(zip(segs, (float(j) for j in jaccard)))})
    jt["verdict"] = jt["jaccard"].map(_verdict)
    jt.index.name = "segment"
    return StabilityResult(ari=np.asarray(aris, dtype=float), jaccard=jt, n_boot=n_boot)


class Segmenter:
    """k-means segmentation with the course's preprocessing and evidence for k.

    Parameters
    ----------
    k : int, optional
        Number of segments; None chooses it by :func:`choose_k` over ``k_range``.
    feature_columns : list of str, optional
        Columns to segment on; default every numeric column of the table given to ``fit``.
    log : "auto", list of str or None
        Columns to ``log1p``-transform before standardising: ``"auto"`` picks the
        non-negative columns with skewness > 1 (money and counts).
    k_range : iterable of int
        Candidate k when ``k`` is None (default 2..8).
    min_size : float
        Smallest acceptable segment, as a share of customers, when choosing k.
    random_state : int
        Seed of k-means (and of the silhouette subsample).
    n_init : int
        k-means restarts.
    sample_size : int or None, default 3000
        Rows used for the silhouette (None: all).

    Attributes
    ----------
    k_ : int
    features_ : list of str
    log_features_ : list of str
    labels_ : Series
        Segment (0..k-1, numbered by decreasing size) per row of the fitted table.
    centers_z_ : DataFrame
        Segment centroids in standard-deviation units (after the log transform).
    selection_ : DataFrame or None
        The :func:`choose_k` table when k was chosen from the data.
    silhouette_ : float

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> X, _ = make_blobs(n_samples=300, centers=[[0, 0], [10, 0], [0, 10]], random_state=0)
    >>> seg = Segmenter(random_state=0).fit(pd.DataFrame(X, columns=["x", "y"]))
    >>> seg.k_, seg.summary["size"].tolist()
    (3, [100, 100, 100])
    """

    @renamed_arguments(features="feature_columns")
    def __init__(
        self,
        k: int | None = None,
        feature_columns: Sequence[str] | None = None,
        *,
        log: str | Sequence[str] | None = "auto",
        k_range: Iterable[int] = range(2, 9),
        min_size: float = 0.05,
        random_state: int = 0,
        n_init: int = 10,
        sample_size: int | None = 3000,
    ) -> None:
        self.k = k
        self.feature_columns = list(feature_columns) if feature_columns is not None else None
        self.log = log
        self.k_range = list(k_range)
        self.min_size = min_size
        self.random_state = random_state
        self.n_init = n_init
        self.sample_size = sample_size

    # -- preprocessing ----------------------------------------------------------------
    def _check(self, X: pd.DataFrame) -> list[str]:
        if not isinstance(X, pd.DataFrame):
            raise CxError(f"Segmenter: expected a DataFrame of features, got {type(X).__name__}.")
        feats = (
            self.feature_columns
            if self.feature_columns is not None
            else [c for c in X.columns if pd.api.types.is_numeric_dtype(X[c]) and not pd.api.types.is_bool_dtype(X[c])]
        )
        if not feats:
            raise CxError("Segmenter: no numeric feature columns; pass feature_columns=[...].")
        require_columns(X, feats, "Segmenter")
        problems = numeric_problems(X, feats)
        if problems:
            raise ValidationError(problems, source="Segmenter")
        ks = [self.k] if self.k is not None else self.k_range
        if self.k is not None and self.k < 2:
            raise CxError(f"Segmenter: k = {self.k}; a segmentation needs at least 2 segments.")
        if len(X) <= max(ks):
            raise CxError(
                f"Segmenter: {len(X)} rows are too few for k = {max(ks)} segments; "
                "use a smaller k or more customers (at least ~30 per segment)."
            )
        return list(feats)

    def _transform(self, X: pd.DataFrame) -> np.ndarray:
        T = X[self.features_].astype(float).copy()
        for c in self.log_features_:
            T[c] = np.log1p(T[c].clip(lower=0))
        return ((T - self.mean_) / self.scale_).to_numpy()

    def fit(self, X: pd.DataFrame, y: Any = None) -> Segmenter:
        """Fit on a customer-level feature table (one row per customer).

        Parameters
        ----------
        X : DataFrame
            One row per customer, with the feature columns.
        y : ignored
            For scikit-learn compatibility.

        Returns
        -------
        Segmenter
            ``self``, with ``k_``, ``labels_``, ``centers_z_``, ``silhouette_``, ...
        """
        self.features_ = self._check(X)
        F = X[self.features_].astype(float)
        if self.log == "auto":
            self.log_features_ = _skewed(F)
        else:
            self.log_features_ = [c for c in (self.log or []) if c in self.features_]
            neg = [c for c in self.log_features_ if (F[c] < 0).any()]
            if neg:
                raise CxError(f"Segmenter: cannot log-transform columns with negative values: {neg}.")
        T = F.copy()
        for c in self.log_features_:
            T[c] = np.log1p(T[c])
        self.mean_ = T.mean()
        self.scale_ = T.std(ddof=0).replace(0, 1.0)
        Z = self._transform(X)
        self.selection_ = None
        # the k-means model of each k fitted so far (choose_k's; reused by stability(k=...))
        self._models: dict[int, Any] = {}
        self._labels_by_k: dict[int, np.ndarray] = {}  # choose_k's labels of every k
        self._stability_results: dict[tuple[int, int, int, int], StabilityResult] = {}
        if self.k is None:
            self.selection_, self._models, self._labels_by_k = _choose_k(
                Z,
                self.k_range,
                min_size=self.min_size,
                random_state=self.random_state,
                n_init=self.n_init,
                sample_size=self.sample_size,
            )
            self.k_ = int(self.selection_.loc[self.selection_["chosen"], "k"].squeeze())
        else:
            self.k_ = int(self.k)
        km = self._model(Z, self.k_)  # choose_k fitted it already: the same call, the same model
        # renumber segments by decreasing size (ties by centroid order) so labels are stable
        sizes = np.bincount(km.labels_, minlength=self.k_)
        order = np.lexsort((np.arange(self.k_), -sizes))
        remap = np.empty(self.k_, dtype=int)
        remap[order] = np.arange(self.k_)
        self._remap = remap
        self.model_ = km
        self.labels_ = pd.Series(remap[km.labels_], index=X.index, name="segment")
        centers = km.cluster_centers_[order]
        self.centers_z_ = pd.DataFrame(centers, columns=self.features_)
        self.centers_z_.index.name = "segment"
        # computed by choose_k on the same rows; with a fixed k, on first use (it takes longer than the fit)
        self._silhouette_value: float | None = None
        if self.selection_ is not None:
            self._silhouette_value = float(self.selection_.loc[self.selection_["chosen"], "silhouette"].squeeze())
        self._X = X
        self._Z = Z
        return self

    @property
    def silhouette_(self) -> float:
        """Mean silhouette of the fitted segments (on the seeded subsample of ``sample_size`` rows).

        Computed on first use when k was fixed (the silhouette of a fixed k takes longer than its
        fit, and a lesson often never looks at it); when k was chosen, :func:`choose_k`'s.
        """
        if not hasattr(self, "model_"):
            raise AttributeError("silhouette_: this Segmenter is not fitted yet (call fit(features) first)")
        if self._silhouette_value is None:
            self._silhouette_value = _silhouette(self._Z, self.model_.labels_, self.sample_size, self.random_state)
        return self._silhouette_value

    def predict(self, X: pd.DataFrame) -> pd.Series:
        """Segment of each row of a feature table with the fitted columns.

        Parameters
        ----------
        X : DataFrame
            One row per customer, with the fitted feature columns.

        Returns
        -------
        Series
            ``segment``, indexed like ``X``.
        """
        self._check_fitted()
        require_columns(X, self.features_, "Segmenter.predict")
        problems = numeric_problems(X, self.features_)
        if problems:
            raise ValidationError(problems, source="Segmenter.predict")
        with _one_thread():
            pred = self.model_.predict(self._transform(X))
        return pd.Series(self._remap[pred], index=X.index, name="segment")

    def fit_predict(self, X: pd.DataFrame, y: Any = None) -> pd.Series:
        """Fit, then return the segment of each row.

        Parameters
        ----------
        X : DataFrame
            One row per customer.
        y : ignored
            For scikit-learn compatibility.

        Returns
        -------
        Series
            ``labels_``.
        """
        return self.fit(X).labels_

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        """The log-transformed, standardised features (the space k-means works in).

        Parameters
        ----------
        X : DataFrame
            One row per customer, with the fitted feature columns.

        Returns
        -------
        ndarray
        """
        self._check_fitted()
        return self._transform(X)

    def _check_fitted(self) -> None:
        if not hasattr(self, "model_"):
            raise CxError("This Segmenter is not fitted yet: call fit(features) first.")

    # -- results ----------------------------------------------------------------------
    @property
    def summary(self) -> pd.DataFrame:
        """Per segment: size, share, then the centroid z-score of each feature."""
        self._check_fitted()
        sizes = self.labels_.value_counts().reindex(range(self.k_), fill_value=0)
        out = pd.DataFrame({"size": sizes, "share": sizes / sizes.sum()})
        out.index.name = "segment"
        return out.join(self.centers_z_.add_prefix("z_"))

    def profile(self, X: pd.DataFrame | None = None, stat: str = "median") -> pd.DataFrame:
        """Per segment, the ``stat`` (median/mean) of each column of ``X`` in its own units.

        Parameters
        ----------
        X : DataFrame, optional
            Any customer table indexed like the fitted one (default: the fitted table).
        stat : str, default "median"
            A pandas aggregation (``"median"``, ``"mean"``).

        Returns
        -------
        DataFrame
            One row per segment, one column per numeric column of ``X``.
        """
        self._check_fitted()
        X = self._X if X is None else X
        num = X.select_dtypes("number")
        return num.groupby(self.labels_.reindex(X.index)).agg(stat)

    def _model(self, Z: np.ndarray, k: int):
        """The k-means model with ``k`` segments on the fitted data (fitted once, then reused)."""
        if k not in self._models:
            self._models[k] = _kmeans(Z, k, self.random_state, self.n_init)
        return self._models[k]

    def stability(
        self, n_boot: int = 20, random_state: int | None = None, n_init: int = 3, *, k: int | None = None
    ) -> StabilityResult:
        """Bootstrap stability of the fitted partition, or of the one with ``k`` segments (see :func:`stability`).

        A result is computed once per ``(k, n_boot, random_state, n_init)`` and then reused:
        asking again (or :meth:`stability_by_k` then ``stability()``) costs nothing. Lesson 02's
        results on the bundled data are computed once and stored (:mod:`cxlib.analytics._precomputed`;
        a test checks they are the ones :func:`stability` computes).

        Parameters
        ----------
        n_boot : int, default 20
            Bootstrap resamples.
        random_state : int, optional
            Seed (default: the segmenter's).
        n_init : int, default 3
            k-means restarts of each refit.
        k : int, optional
            Number of segments of the partition to check (default: the fitted ``k_``). Another k
            is the partition ``Segmenter(k=k, ...)`` would fit on the same table (the one
            :func:`choose_k` fitted, when k was chosen from the data).

        Returns
        -------
        StabilityResult
            For the fitted ``k_`` also kept as ``stability_``.

        Examples
        --------
        >>> from sklearn.datasets import make_blobs
        >>> X, _ = make_blobs(n_samples=150, centers=[[0, 0], [8, 0], [0, 8]], random_state=0)
        >>> seg = Segmenter(random_state=0).fit(pd.DataFrame(X, columns=["a", "b"]))
        >>> seg.stability(n_boot=5).ari_mean > 0.9
        True
        >>> seg.stability(n_boot=5, k=5).ari_mean < seg.stability(n_boot=5).ari_mean
        True
        """
        self._check_fitted()
        rs = self.random_state if random_state is None else random_state
        kk = self.k_ if k is None else int(k)
        if kk < 2 or kk >= len(self._Z):
            raise CxError(f"Segmenter.stability: k = {kk} needs 2 <= k < number of rows ({len(self._Z)}).")
        key = (kk, int(n_boot), int(rs), int(n_init))
        if key not in self._stability_results:
            if kk == self.k_:
                labels = self.labels_.to_numpy()
            elif kk in self._labels_by_k:  # choose_k's partition of kk segments
                labels = self._labels_by_k[kk]
            else:
                labels = self._model(self._Z, kk).labels_
            self._stability_results[key] = stability(self._Z, labels, kk, n_boot=n_boot, random_state=rs, n_init=n_init)
        result = self._stability_results[key]
        if kk == self.k_:
            self.stability_ = result
        return result

    def stability_by_k(
        self, k_values: Iterable[int], n_boot: int = 20, random_state: int | None = None, n_init: int = 3
    ) -> pd.DataFrame:
        """Bootstrap stability of the partition with each number of segments in ``k_values``.

        Parameters
        ----------
        k_values : iterable of int
            The numbers of segments to compare (e.g. ``range(2, 7)``).
        n_boot, random_state, n_init
            As in :meth:`stability`.

        Returns
        -------
        DataFrame
            Indexed by ``k``: ``ari_mean``, ``ari_low`` and ``ari_high`` (the 2.5% and 97.5%
            quantiles of the bootstrap adjusted Rand index) and ``weakest_jaccard`` (the mean
            Jaccard of the least stable segment; Hennig 2007: below 0.5 it dissolves).

        Examples
        --------
        >>> from sklearn.datasets import make_blobs
        >>> X, _ = make_blobs(n_samples=150, centers=[[0, 0], [8, 0], [0, 8]], random_state=0)
        >>> seg = Segmenter(random_state=0).fit(pd.DataFrame(X, columns=["a", "b"]))
        >>> t = seg.stability_by_k([2, 3, 4], n_boot=5)
        >>> int(t["weakest_jaccard"].idxmax())
        3
        """
        rows = []
        for k in k_values:
            r = self.stability(n_boot=n_boot, random_state=random_state, n_init=n_init, k=int(k))
            lo, hi = r.ari_interval
            rows.append(
                {
                    "k": int(k),
                    "ari_mean": r.ari_mean,
                    "ari_low": lo,
                    "ari_high": hi,
                    "weakest_jaccard": float(r.jaccard["jaccard"].min()),
                }
            )
        return pd.DataFrame(rows).set_index("k")

    def __repr__(self) -> str:
        if not hasattr(self, "model_"):
            return f"Segmenter(k={self.k}, feature_columns={self.feature_columns}, unfitted)"
        sizes = self.labels_.value_counts().sort_index().tolist()
        how = "chosen by silhouette" if self.selection_ is not None else "fixed"
        return (
            f"Segmenter(k={self.k_} ({how}), {len(self.features_)} features, n={len(self.labels_)}, "
            f"sizes={sizes}, silhouette={self.silhouette_:.2f})"
        )
