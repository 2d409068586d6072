#!/usr/bin/env python
"""Compute once what the lessons only display: seeded bootstraps and concept pictures.

Lessons 01 and 02 show bootstraps (and lesson 02 a choice of k) that take seconds and give the same numbers on every run
(the bundled data, a fixed seed, pinned library versions). Each of :data:`CALLS` runs one of
them, exactly as the lesson calls it, with :data:`cxlib.analytics._precomputed.RECORDING` on;
the results are written, with the fingerprint of their inputs, to
``cxlib/analytics/precomputed.json``. The functions then look a result up before computing it;
any other input computes as before. ``tests/test_precomputed.py`` recomputes every entry and
checks it is identical, and that the lessons' calls find their entries: re-run this script when
it says so (a new library version, a change to the data or to the computation).

Lesson 01 also shows four concept pictures (:data:`cxlib.teaching.plots.concepts.PICTURES`)
that always have the same defaults: :func:`write_pictures` draws each and stores its PNG in
``cxlib/teaching/plots/pictures/``, with the library versions that drew it and each PNG's
SHA-256 (``pictures.json``); ``plots.concepts.picture`` shows the stored PNG only with those
versions, and the same test draws each again and compares the bytes.

Usage: ``python tools/precompute.py [--check]`` (``--check`` writes nothing and exits 1 if a
file would change).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "cxlib" / "analytics" / "precomputed.json"
PICTURES = ROOT / "cxlib" / "teaching" / "plots" / "pictures"


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


#: The lessons' calls whose results are stored.
CALLS: list[Callable[[], None]] = [lesson01_value_concentration, lesson02_stability]


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
        "about": "Written by tools/precompute.py; checked by tests/test_precomputed.py. Do not edit.",
        "versions": _precomputed.versions(("numpy", "scikit-learn")),
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
        "about": "Written by tools/precompute.py; checked by tests/test_precomputed.py. Do not edit.",
        "versions": versions(concepts.PICTURE_LIBRARIES),
        "pictures": {name: hashlib.sha256(png).hexdigest() for name, png in pngs.items()},
    }
    files = {f"{name}.png": png for name, png in pngs.items()}
    files["pictures.json"] = (json.dumps(index, indent=1) + "\n").encode()
    return files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if the file would change")
    args = ap.parse_args(argv)
    files = {OUT: document(record()).encode()}
    files.update({PICTURES / name: data for name, data in pictures().items()})
    stale = [path for path, data in files.items() if not path.exists() or path.read_bytes() != data]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is out of date: run python tools/precompute.py")
        return 1 if stale else 0
    PICTURES.mkdir(parents=True, exist_ok=True)
    for path in stale:
        path.write_bytes(files[path])
    results = len(json.loads(files[OUT])["results"])
    print(f"{OUT.relative_to(ROOT)}: {results} results; {PICTURES.relative_to(ROOT)}: {len(files) - 2} pictures")
    print(f"rewrote {len(stale)} file(s)" if stale else "nothing changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
