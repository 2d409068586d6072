"""What the lessons only display, stored, is what the code computes (issue 17 item 5).

The stored bootstraps (cxlib/analytics/precomputed.json) and concept pictures
(cxlib/teaching/plots/pictures/).

Lessons 01, 02, 04 and 06 find their slow seeded bootstraps, simulations and validations on the bundled data in the store; these
tests recompute every entry without it and check the numbers are identical, and that the
lessons' calls find every entry (none is computed again). When a test here fails after a
change to the data, to a computation or to a library version: ``python tools/precompute.py``.

"Identical" is bit for bit on a machine whose floating-point results are those of the machine
that wrote the store (``_precomputed.numerics()``); on another processor numpy's vectorised
``log`` and ``exp`` may differ in the last bit, and the numbers are compared to twelve
significant digits.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from conftest import load_tool

from cxlib.analytics import _precomputed

precompute = load_tool("precompute")

#: Whether this machine computes the stored results bit for bit (see the module's docstring).
EXACT = json.loads(precompute.OUT.read_text(encoding="utf-8")).get("numerics") == _precomputed.numerics()
RTOL = 1e-12


def assert_frames(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=EXACT, rtol=RTOL, atol=0)


def assert_arrays(a: Any, b: Any) -> None:
    if EXACT:
        np.testing.assert_array_equal(a, b)
    else:
        np.testing.assert_allclose(a, b, rtol=RTOL, atol=0)


def assert_same_numbers(a: Any, b: Any, where: str = "") -> None:
    """``a`` and ``b`` (parsed JSON) alike: the same structure, texts and whole numbers; floats as :data:`EXACT` says."""
    if isinstance(a, dict) and isinstance(b, dict):
        assert a.keys() == b.keys(), where
        for k in a:
            assert_same_numbers(a[k], b[k], f"{where}/{k}")
    elif isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same_numbers(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and isinstance(b, float) and not EXACT:
        assert math.isclose(a, b, rel_tol=RTOL) or (math.isnan(a) and math.isnan(b)), f"{where}: {a!r} != {b!r}"
    else:
        assert type(a) is type(b) and a == b, f"{where}: {a!r} != {b!r}"


def test_store_is_what_the_code_computes():
    """Every entry recomputed from scratch: the same keys (inputs, versions) and the same numbers."""
    text = precompute.OUT.read_text(encoding="utf-8")
    fresh = precompute.document(precompute.record())
    if EXACT:
        assert fresh == text, "run: python tools/precompute.py"
    else:  # another processor: the same entries, the same numbers to twelve digits
        stored, computed = json.loads(text), json.loads(fresh)
        computed["numerics"] = stored["numerics"]
        assert_same_numbers(stored, computed)


def test_fingerprint_ignores_the_last_bits_of_floats_only():
    """A last-bit difference (another processor's log or exp) finds the same entry; a real change does not."""
    x = np.random.default_rng(17).lognormal(size=5000)
    key = _precomputed.fingerprint("x", [x], {})
    assert _precomputed.fingerprint("x", [np.nextafter(x, np.inf)], {}) == key
    assert _precomputed.fingerprint("x", [np.nextafter(x, -np.inf)], {}) == key
    changed = x.copy()
    changed[123] *= 1 + 1e-6
    assert _precomputed.fingerprint("x", [changed], {}) != key
    assert _precomputed.fingerprint("x", [x.astype(np.float32)], {}) != key  # the dtype counts
    ints = np.arange(5)
    assert _precomputed.fingerprint("x", [ints], {}) != _precomputed.fingerprint("x", [ints + (ints == 4)], {})
    special = np.array([np.nan, np.inf, -np.inf, 0.0, 1e308, 5e-324])
    assert _precomputed.fingerprint("x", [special], {}) == _precomputed.fingerprint("x", [special.copy()], {})
    assert _precomputed.fingerprint("x", [special], {}) != _precomputed.fingerprint("x", [special[::-1]], {})


def test_lessons_find_every_entry(monkeypatch):
    found, missed = [], []
    real = _precomputed.lookup

    def spy(key):
        value = real(key)
        (found if value is not None else missed).append(key)
        return value

    monkeypatch.setattr(_precomputed, "lookup", spy)
    for call in precompute.CALLS:
        call()
    assert not missed, f"{len(missed)} lesson bootstrap(s) not stored: run python tools/precompute.py"
    # value_concentration; choose_k; stability for k = 2..6 (k = 4 once, then kept);
    # replay_monitor; simulate_false_alarms for the company and 6 teams, 3 settings each;
    # lesson 06's seven out-of-fold validations; lesson 07's business case; lesson 03's VADER scores
    assert len(found) == 7 + 1 + 21 + 7 + 1 + 1


def _off(monkeypatch):
    monkeypatch.setattr(_precomputed, "ENABLED", False)


def test_stored_value_concentration_equals_computed(monkeypatch):
    from cxlib.analytics import devotees
    from cxlib.data import datasets

    cdnow = datasets.load_cdnow()
    args = dict(date_column="date", top=[0.1, 0.2], n_boot=1000, seed=0)
    stored = devotees.value_concentration(cdnow, "customer_id", "dollar_value", **args)
    _off(monkeypatch)
    computed = devotees.value_concentration(cdnow, "customer_id", "dollar_value", **args)
    assert_frames(stored.table, computed.table)


def test_stored_stability_equals_computed(monkeypatch):
    from cxlib import features
    from cxlib.analytics import personas
    from cxlib.data import datasets

    feats = features.customer_features(
        datasets.load_customers(), datasets.load_activity(), datasets.load_interactions(), datasets.load_nps_surveys()
    )

    def run():
        seg = personas.Segmenter(feature_columns=features.DEFAULT_FEATURES, random_state=0).fit(feats)
        return seg.stability_by_k(range(2, 7), n_boot=20), seg.stability(n_boot=20)

    by_k, stab = run()
    _off(monkeypatch)
    by_k2, stab2 = run()
    assert_frames(by_k, by_k2)
    assert_frames(stab.jaccard, stab2.jaccard)
    assert_arrays(stab.ari, stab2.ari)
    assert stab.ari.dtype == stab2.ari.dtype and repr(stab) == repr(stab2)


def test_stored_choice_of_k_equals_computed(monkeypatch):
    """Segmenter on the bundled data: the stored choose_k table and labels, then the chosen k fitted alone."""
    from cxlib import features
    from cxlib.analytics import personas
    from cxlib.data import datasets

    feats = features.customer_features(
        datasets.load_customers(), datasets.load_activity(), datasets.load_interactions(), datasets.load_nps_surveys()
    )

    def run():
        seg = personas.Segmenter(feature_columns=features.DEFAULT_FEATURES, random_state=0).fit(feats)
        return seg, {k: seg.stability(n_boot=2, k=k).ari for k in (2, 3, 5)}

    stored, stored_ari = run()
    assert stored._labels_by_k and set(stored._models) == {stored.k_}  # only the chosen k was fitted
    _off(monkeypatch)
    computed, computed_ari = run()
    assert_frames(stored.selection_, computed.selection_)
    pd.testing.assert_series_equal(stored.labels_, computed.labels_)
    assert_frames(stored.centers_z_, computed.centers_z_)
    assert_arrays(stored.silhouette_, computed.silhouette_)
    assert repr(stored) == repr(computed)
    for k in (2, 3, 5):  # the other k's partitions, from the stored labels
        np.testing.assert_array_equal(stored._labels_by_k[k], computed._models[k].labels_)
        assert stored._labels_by_k[k].dtype == computed._models[k].labels_.dtype
        assert_arrays(stored_ari[k], computed_ari[k])


def test_stored_monitor_simulations_equal_computed(monkeypatch):
    """Lesson 04: the replayed months and the false-alarm simulations of each unit, the same numbers."""
    from cxlib.analytics import feedback as F
    from cxlib.data import datasets

    truth = datasets.load_truth().agents.merge(datasets.load_agents()[["agent_id", "team"]], on="agent_id")
    units = [truth] + [g for _, g in truth.groupby("team")]

    def run():
        replays = F.replay_monitor(truth, replays=1000, days=30, baseline_days=60, responses_per_agent_day=2, seed=100)
        sims = [
            F.simulate_false_alarms(
                2 * len(g), 1 - g.true_csat.mean(), seed=3, baseline_periods=b, widen_for_baseline=w
            )
            for b, w in [(None, True), (60, True), (60, False)]
            for g in units
        ]
        return replays, sims

    stored, stored_sims = run()
    _off(monkeypatch)
    computed, computed_sims = run()
    assert_frames(stored, computed)
    for a, b in zip(stored_sims, computed_sims):
        assert_frames(a, b)


def test_stored_validation_equals_computed(monkeypatch):
    """Lesson 06's validation on the snapshot: the stored out-of-fold probabilities, the same numbers; another seed is computed."""
    from cxlib.analytics.churn.model import ChurnModel, _model_input
    from cxlib.data import datasets

    snap = datasets.load_churn_snapshot()
    X, y = snap.drop(columns=["customer_id", "churned"]), snap["churned"]
    model = ChurnModel()
    assert _precomputed.lookup(model._oof_key(_model_input(X), y.to_numpy(), 5, 0)) is not None
    assert _precomputed.lookup(model._oof_key(_model_input(X), y.to_numpy(), 5, 1)) is None
    assert model._oof_key(_model_input(X), y.to_numpy(), 5, None) is None  # unseeded: never stored
    stored = model.oof_predict(X, y, folds=5, seed=0)
    assert stored.dtype == float and stored.flags.writeable
    _off(monkeypatch)
    computed = model.oof_predict(X, y, folds=5, seed=0)
    assert_arrays(stored, computed)


def test_other_inputs_are_computed():
    """Another seed, an unseeded bootstrap, other data: nothing is looked up."""
    from cxlib.analytics import devotees

    orders = pd.DataFrame({"customer_id": [1, 1, 2, 3, 4, 5], "value": [50.0, 50, 20, 5, 5, 5]})
    a = devotees.value_concentration(orders, top=[0.2], n_boot=50, seed=1)
    b = devotees.value_concentration(orders, top=[0.2], n_boot=50, seed=1)
    pd.testing.assert_frame_equal(a.table, b.table)
    c = devotees.value_concentration(orders, top=[0.2], n_boot=50, seed=None)
    assert 0 < c.table.loc[0, "ci_low"] <= c.table.loc[0, "ci_high"] <= 1


@pytest.mark.parametrize("arrays", [[np.arange(3)], [np.arange(3.0)], [np.array(["a", "b"], dtype=object)]])
def test_fingerprint_depends_on_every_part(arrays):
    k = _precomputed.fingerprint("x", arrays, {"n": 1})
    assert k == _precomputed.fingerprint("x", arrays, {"n": 1})
    assert k != _precomputed.fingerprint("y", arrays, {"n": 1})
    assert k != _precomputed.fingerprint("x", arrays, {"n": 2})
    assert k != _precomputed.fingerprint("x", [a[:-1] for a in arrays], {"n": 1})


def test_stored_pictures_are_what_the_code_draws():
    """Each stored concept picture is drawn again: the same PNG bytes, with the versions the index names."""
    from cxlib.teaching.plots import concepts

    files = precompute.pictures()
    stale = [name for name, data in files.items() if (precompute.PICTURES / name).read_bytes() != data]
    assert not stale, f"{stale} out of date: run python tools/precompute.py"
    for name in concepts.PICTURES:
        assert concepts.stored_picture(name) == files[f"{name}.png"]


def test_picture_draws_afresh_when_the_stored_one_cannot_be_used(monkeypatch):
    from cxlib.analytics import _precomputed
    from cxlib.teaching.plots import concepts

    stored = concepts.picture("interval_idea")
    assert stored.data == concepts.stored_picture("interval_idea")
    drawn = []
    real = concepts.picture_png
    monkeypatch.setattr(concepts, "picture_png", lambda name: drawn.append(name) or real(name))
    monkeypatch.setattr(_precomputed, "versions", lambda libraries: {"matplotlib": "0.0"})
    assert concepts.stored_picture("interval_idea") is None  # another matplotlib: not used
    assert concepts.picture("interval_idea").data == stored.data  # drawn now: the same pixels
    assert drawn == ["interval_idea"]


def test_picture_names_the_pictures_when_asked_for_another():
    from cxlib.teaching.plots import concepts

    with pytest.raises(ValueError, match="interval_idea, wilson_idea"):
        concepts.picture("nps_idea")


def test_a_parameter_json_cannot_write_still_gives_a_key():
    """A numpy integer (or any object) among the parameters: a key (never stored by the lessons), not a TypeError."""
    key = _precomputed.seeded_key("x", [np.arange(3)], {"k": np.int64(2), "seed": 0})
    assert isinstance(key, str) and key != _precomputed.seeded_key("x", [np.arange(3)], {"k": 2, "seed": 0})
