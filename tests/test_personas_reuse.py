"""Segmenter reuses what it has fitted (issue 17 item 5: lesson 02's speed) without changing a number.

choose_k computes the silhouette sample's distances once for every k and keeps each k's k-means
model; Segmenter.fit reuses the chosen k's model and silhouette, and Segmenter.stability(k=...)
and stability_by_k check the partitions choose_k fitted, each computed once. Every number must
be the one the plain, recomputing path gives.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import run_python
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import silhouette_score

from cxlib.analytics.personas import Segmenter, choose_k, stability
from cxlib.analytics.personas.segmentation import _SilhouetteSample
from cxlib.errors import CxError


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    X, _ = make_blobs(n_samples=400, centers=[[0, 0, 0], [6, 0, 1], [0, 6, 2], [5, 5, 8]], random_state=4)
    rng = np.random.default_rng(1)
    return pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "c": X[:, 2], "spend": np.exp(rng.normal(3, 1, len(X)))})


@pytest.mark.parametrize("sample_size", [None, 150])
def test_silhouette_from_one_distance_matrix_is_sklearns(table, sample_size):
    Z = table.to_numpy()
    sample = _SilhouetteSample(Z, sample_size, random_state=3)
    for k in (2, 3, 5):
        labels = KMeans(n_clusters=k, n_init=2, random_state=0).fit(Z).labels_
        want = silhouette_score(Z, labels, sample_size=sample_size, random_state=3)
        assert sample.score(labels) == pytest.approx(want, rel=1e-12, abs=1e-12)
    assert np.isnan(sample.score(np.zeros(len(Z), dtype=int)))


def test_choose_k_table_matches_sklearn_scores(table):
    Z = ((table - table.mean()) / table.std(ddof=0)).to_numpy()
    t = choose_k(Z, range(2, 6), sample_size=200, random_state=0, n_init=4)
    for row in t.itertuples():
        km = KMeans(n_clusters=row.k, n_init=4, random_state=0).fit(Z)
        assert row.silhouette == pytest.approx(
            silhouette_score(Z, km.labels_, sample_size=200, random_state=0), abs=1e-12
        )
        assert row.inertia == pytest.approx(km.inertia_, rel=1e-12)
    assert t["chosen"].sum() == 1


def test_a_chosen_k_gives_the_same_segments_as_that_k_fixed(table):
    chosen = Segmenter(random_state=0).fit(table)
    fixed = Segmenter(k=chosen.k_, random_state=0).fit(table)
    pd.testing.assert_series_equal(chosen.labels_, fixed.labels_)
    pd.testing.assert_frame_equal(chosen.centers_z_, fixed.centers_z_)
    assert chosen.silhouette_ == pytest.approx(fixed.silhouette_, abs=1e-12)


def test_stability_by_k_is_each_fixed_k_segmenters_own(table):
    seg = Segmenter(random_state=0).fit(table)
    t = seg.stability_by_k(range(2, 6), n_boot=4)
    assert list(t.index) == [2, 3, 4, 5]
    assert list(t.columns) == ["ari_mean", "ari_low", "ari_high", "weakest_jaccard"]
    for k in t.index:
        own = Segmenter(k=k, random_state=0).fit(table).stability(n_boot=4)
        lo, hi = own.ari_interval
        assert tuple(t.loc[k]) == pytest.approx((own.ari_mean, lo, hi, own.jaccard["jaccard"].min()), abs=1e-12)


def test_stability_is_computed_once_and_kept(table, monkeypatch):
    from cxlib.analytics.personas import segmentation

    seg = Segmenter(k=3, random_state=0).fit(table)
    calls = []
    real = segmentation.stability

    def counting(*args, **kwargs):
        calls.append(kwargs.get("n_boot"))
        return real(*args, **kwargs)

    monkeypatch.setattr(segmentation, "stability", counting)
    first = seg.stability(n_boot=3)
    assert seg.stability(n_boot=3) is first and seg.stability_ is first
    seg.stability(n_boot=4)  # another number of resamples is another result
    assert calls == [3, 4]
    direct = stability(seg.transform(table), seg.labels_.to_numpy(), 3, n_boot=3, random_state=0)
    np.testing.assert_array_equal(first.ari, direct.ari)
    seg.fit(table)  # a refit forgets what the old fit computed
    seg.stability(n_boot=3)
    assert calls == [3, 4, 3]


def test_stability_of_another_k_names_a_bad_k(table):
    seg = Segmenter(k=3, random_state=0).fit(table)
    with pytest.raises(CxError, match="k = 1"):
        seg.stability(n_boot=2, k=1)


def test_the_single_thread_limit_reaches_scikit_learn_s_openmp_in_a_fresh_process():
    """The limit must apply even when scikit-learn is first imported inside it (a fresh kernel)."""

    code = (
        "import sys\n"
        "from cxlib.analytics.personas import segmentation\n"
        "assert 'sklearn.cluster' not in sys.modules\n"
        "with segmentation._one_thread():\n"
        "    from threadpoolctl import threadpool_info\n"
        "    omp = [i['num_threads'] for i in threadpool_info() if i['user_api'] == 'openmp']\n"
        "print(omp)\n"
        "assert omp and set(omp) == {1}, omp\n"
    )
    run_python(code)


def test_adjusted_rand_is_sklearns_to_the_last_bit():
    from sklearn.metrics import adjusted_rand_score

    from cxlib.analytics.personas.segmentation import _adjusted_rand

    rng = np.random.default_rng(0)
    for n, ka, kb in [(2, 1, 1), (3, 2, 1), (50, 3, 5), (1000, 4, 4), (3679, 6, 5)]:
        a, b = rng.integers(0, ka, n), rng.integers(0, kb, n)
        assert _adjusted_rand(a, b) == adjusted_rand_score(a, b)
        assert _adjusted_rand(a, a) == adjusted_rand_score(a, a) == 1.0


def test_stability_accepts_any_labels(table):
    Z = ((table - table.mean()) / table.std(ddof=0)).to_numpy()
    labels = KMeans(n_clusters=3, n_init=2, random_state=0).fit(Z).labels_
    named = np.array(["a", "b", "c"])[labels]
    r1, r2 = stability(Z, labels, n_boot=3), stability(Z, named, n_boot=3)
    np.testing.assert_array_equal(r1.ari, r2.ari)
    assert list(r2.jaccard.index) == ["a", "b", "c"]
