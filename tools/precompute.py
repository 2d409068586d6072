#!/usr/bin/env python
"""Compute once what the lessons only display: seeded bootstraps, simulations, validations, concept pictures.

Lessons 01 and 02 show bootstraps (and lesson 02 a choice of k), lesson 04 simulations of its monitor and lesson 06
cross-validated churn models, that take seconds and give the same numbers on every run (the bundled data, a fixed
seed, pinned library versions). Each of :data:`CALLS` runs one of
them, exactly as the lesson calls it, with :data:`cxlib.analytics._precomputed.RECORDING` on;
the results are written, with the fingerprint of their inputs, to
``cxlib/analytics/precomputed.json``. The functions then look a result up before computing it;
any other input computes as before. ``tests/test_precomputed.py`` recomputes every entry and
checks it is identical, and that the lessons' calls find their entries: re-run this script when
it says so (a new library version, a change to the data or to the computation).

Lesson 01 also shows four concept pictures (:data:`cxlib.teaching.plots.concepts.PICTURES`)
that always have the same defaults: :func:`pictures` draws each, and its PNG is stored in
``cxlib/teaching/plots/pictures/``, with the library versions that drew it and each PNG's
SHA-256 (``pictures.json``); ``plots.concepts.picture`` shows the stored PNG only with those
versions, and the same test draws each again and compares the bytes.

Every lesson's figures, finally, are stored as the PNGs the notebook shows (the figure is still
built by the lesson; only its rasterising is skipped, see ``cxlib.teaching.plots._rendered``):
:func:`renderings` runs each lesson with ``CX_RENDERED=record`` into an empty
``cxlib/teaching/plots/rendered/``. The test suite runs the notebooks with ``CX_RENDERED=check``
(every figure drawn and compared with its stored PNG) and fails on a difference.

Usage: ``python tools/precompute.py [--check]`` (``--check`` writes nothing and exits 1 if a
file would change).
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "cxlib" / "analytics" / "precomputed.json"
PICTURES = ROOT / "cxlib" / "teaching" / "plots" / "pictures"
RENDERED = ROOT / "cxlib" / "teaching" / "plots" / "rendered"
#: What each written file says of itself.
ABOUT = "Written by tools/precompute.py; checked by tests/test_precomputed.py. Do not edit."


def lesson01_value_concentration() -> None:
    """Lesson 01, 'Devotees in real data': the top 10% and 20% of CDNOW customers, 1000 resamples."""
    from cxlib.analytics import devotees
    from cxlib.data import datasets

    cdnow = datasets.load_cdnow()
    devotees.value_concentration(
        cdnow, "customer_id", "dollar_value", date_column="date", top=[0.1, 0.2], n_boot=1000, seed=0
    )


def lesson02_stability() -> None:
    """Lesson 02, 'How many segments?': the choice of k (2..8) and the bootstrap stability of k = 2..6."""
    from cxlib import features
    from cxlib.analytics import personas
    from cxlib.data import datasets

    feats = features.customer_features(
        datasets.load_customers(),
        datasets.load_activity(),
        datasets.load_interactions(),
        datasets.load_nps_surveys(),
    )
    seg = personas.Segmenter(feature_columns=features.DEFAULT_FEATURES, random_state=0).fit(feats)
    seg.stability_by_k(range(2, 7), n_boot=20)
    seg.stability(n_boot=20)


def lesson03_rated_texts() -> None:
    """Lesson 03, 'Does VADER agree with people?': VADER's scores of 1,500 rated texts of each kind."""
    from cxlib.analytics.text import score_texts
    from cxlib.data import datasets

    rated = datasets.load_rated_texts().groupby("kind", sort=False).sample(n=1500, random_state=3)
    score_texts(rated["text"], progress=False)


def lesson04_false_alarms() -> None:
    """Lesson 04, section 2 (the monitor): 1000 replayed normal months and the false-alarm simulations of each unit."""
    from cxlib.analytics import feedback as F
    from cxlib.data import datasets

    truth = datasets.load_truth().agents.merge(datasets.load_agents()[["agent_id", "team"]], on="agent_id")
    F.replay_monitor(truth, replays=1000, days=30, baseline_days=60, responses_per_agent_day=2, seed=100)
    units = [truth] + [g for _, g in truth.groupby("team")]  # the company and each team
    for options in (
        {"baseline_periods": None},
        {"baseline_periods": 60},
        {"baseline_periods": 60, "widen_for_baseline": False},
    ):
        for g in units:
            F.simulate_false_alarms(2 * len(g), 1 - g.true_csat.mean(), seed=3, **options)


def lesson06_validation() -> None:
    """Lesson 06: every out-of-fold validation it shows (5 folds, seed 0), with the tables it builds for them."""
    import pandas as pd

    from cxlib import features
    from cxlib.analytics import churn as C
    from cxlib.data import datasets

    activity, customers, surveys = datasets.load_activity(), datasets.load_customers(), datasets.load_nps_surveys()
    # section 2, leakage: the April table, with and without the leaky months_since_last_seen
    train = features.build_features(activity, "2024-04-01", customers=customers, surveys=surveys)
    today = pd.Timestamp("2024-07-01")
    last = activity.loc[activity["month"] < today].groupby("customer_id")["month"].max().reindex(train["customer_id"])
    train["months_since_last_seen"] = ((today.year - last.dt.year) * 12 + today.month - last.dt.month - 1).to_numpy(
        dtype=float
    )
    y = train["churned"]
    for drop in ([], ["months_since_last_seen"]):
        C.ChurnModel().cross_validate(train.drop(columns=["customer_id", "churned", *drop]), y)
    exit_date = pd.to_datetime(customers.set_index("customer_id")["churn_date"]).reindex(train["customer_id"])
    crude = train.drop(columns=["customer_id", "churned", "months_since_last_seen"]).assign(
        months_to_exit=((exit_date - pd.Timestamp("2024-04-01")).dt.days / 30.44).round().to_numpy()
    )
    with warnings.catch_warnings():  # the lesson shows them; here they would only be noise
        warnings.simplefilter("ignore", C.LeakageWarning)
        C.ChurnModel().cross_validate(crude, y)
    # sections 3 and 4: the snapshot, every column, the survey only, the signals only
    snap = datasets.load_churn_snapshot()
    X, y = snap.drop(columns=["customer_id", "churned"]), snap["churned"]
    C.ChurnModel().cross_validate(X, y, folds=5, seed=0)
    for cols in (["last_ltr"], [c for c in X if c not in ["last_ltr", "last_csat"]]):
        C.ChurnModel().cross_validate(X[cols], y)
    # going deeper: the MLC++ benchmark
    mlc = datasets.load_mlc_churn()
    mlc["churned"] = mlc["churn"].eq("yes").astype(int)
    mlc["service_calls"] = mlc["number_customer_service_calls"].clip(upper=5).astype(str).replace("5", "5+")
    redundant = [col for col in mlc.columns if col.endswith("_charge")]
    drop = ["customer_id", "churn", "churned", "state", "area_code", "number_customer_service_calls"]
    C.ChurnModel(kind="logistic").cross_validate(mlc.drop(columns=drop + redundant), mlc["churned"], folds=5, seed=0)


def lesson07_business_case() -> None:
    """Lesson 07, 'The business case': the churn model's out-of-fold probabilities on the snapshot (5 folds, seed 0)."""
    from cxlib.analytics import economics
    from cxlib.data import datasets

    economics.business_case_from_table(
        datasets.load_churn_snapshot(),
        id_column="customer_id",
        target_column="churned",
        value_column="spend_last",
        margin_rate=0.35,
        offer_cost=10.0,
        success_rate=0.3,
        seed=0,
    )


#: The lessons' calls whose results are stored.
CALLS: list[Callable[[], None]] = [
    lesson01_value_concentration,
    lesson02_stability,
    lesson03_rated_texts,
    lesson04_false_alarms,
    lesson06_validation,
    lesson07_business_case,
]


def record(calls: list[Callable[[], None]] | None = None) -> dict[str, Any]:
    """Run ``calls`` (default :data:`CALLS`) with recording on; the entries they computed, by key."""
    from cxlib.analytics import _precomputed

    _precomputed.RECORDING = {}
    try:
        for call in calls or CALLS:
            call()
        return dict(sorted(_precomputed.RECORDING.items()))
    finally:
        _precomputed.RECORDING = None


def document(results: dict[str, Any]) -> str:
    """The file's text: what it is, the library versions, the results by key."""
    from cxlib.analytics import _precomputed

    doc = {
        "about": ABOUT,
        "versions": _precomputed.versions(("numpy", "scipy", "scikit-learn")),
        "numerics": _precomputed.numerics(),
        "results": results,
    }
    return json.dumps(doc, indent=1) + "\n"


def pictures() -> dict[str, bytes]:
    """Each concept picture drawn afresh, as PNG bytes, by file name; and its index, ``pictures.json``."""
    import hashlib

    from cxlib.analytics._precomputed import versions
    from cxlib.teaching.plots import concepts

    pngs = {name: concepts.picture_png(name) for name in concepts.PICTURES}
    index = {
        "about": ABOUT,
        "versions": versions(concepts.PICTURE_LIBRARIES),
        "pictures": {name: hashlib.sha256(png).hexdigest() for name, png in pngs.items()},
    }
    files = {f"{name}.png": png for name, png in pngs.items()}
    files["pictures.json"] = (json.dumps(index, indent=1) + "\n").encode()
    return files


def renderings() -> dict[str, bytes]:
    """Every figure the lessons show, as the PNG the notebook shows, by file name (``<key>.png``)."""
    import os
    import tempfile

    import nbformat
    from tqdm import tqdm

    from cxlib.teaching.kernels import notebook_client

    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "rendered"
        env = {"CX_RENDERED": "record", "CX_RENDERED_STORE": str(store)}
        old = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            for path in tqdm(sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")), desc="lessons' figures"):
                notebook_client(nbformat.read(path, as_version=4), path.parent).execute()
        finally:
            for k, v in old.items():
                os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
        return {p.name: p.read_bytes() for p in sorted(store.glob("*.png"))}


def _same(path: Path, data: bytes) -> bool:
    """Whether ``path`` already holds ``data`` (for a PNG: the same pixels, as the test suite compares)."""
    from cxlib.teaching.plots._rendered import _same_picture

    if not path.exists():
        return False
    old = path.read_bytes()
    return old == data or (path.suffix == ".png" and _same_picture(old, data))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if the file would change")
    args = ap.parse_args(argv)
    files = {OUT: document(record()).encode()}
    files.update({PICTURES / name: data for name, data in pictures().items()})
    files.update({RENDERED / name: data for name, data in renderings().items()})
    stale = [path for path, data in files.items() if not _same(path, data)]
    orphans = [path for path in RENDERED.glob("*.png") if path not in files]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is out of date: run python tools/precompute.py")
        for path in orphans:
            print(f"{path.relative_to(ROOT)} is no longer shown by a lesson: run python tools/precompute.py")
        return 1 if stale or orphans else 0
    PICTURES.mkdir(parents=True, exist_ok=True)
    RENDERED.mkdir(parents=True, exist_ok=True)
    for path in stale:
        path.write_bytes(files[path])
    for path in orphans:
        path.unlink()
    results = len(json.loads(files[OUT])["results"])
    n_pictures = sum(path.parent == PICTURES for path in files) - 1
    n_rendered = sum(path.parent == RENDERED for path in files)
    print(
        f"{OUT.relative_to(ROOT)}: {results} results; {PICTURES.relative_to(ROOT)}: {n_pictures} pictures; "
        f"{RENDERED.relative_to(ROOT)}: {n_rendered} figures"
    )
    print(f"rewrote {len(stale)} file(s), removed {len(orphans)}" if stale or orphans else "nothing changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
