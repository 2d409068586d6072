#!/usr/bin/env python
"""Compute the lessons' slow seeded bootstraps on the bundled data once: cxlib/analytics/precomputed.json.

Lessons 01 and 02 show bootstraps (and lesson 02 a choice of k), lesson 04 simulations of its monitor, that take
seconds and give the same numbers on every run (the bundled data, a fixed seed, pinned library versions). Each of :data:`CALLS` runs one of
them, exactly as the lesson calls it, with :data:`cxlib.analytics._precomputed.RECORDING` on;
the results are written, with the fingerprint of their inputs, to
``cxlib/analytics/precomputed.json``. The functions then look a result up before computing it;
any other input computes as before. ``tests/test_precomputed.py`` recomputes every entry and
checks it is identical, and that the lessons' calls find their entries: re-run this script when
it says so (a new library version, a change to the data or to the computation).

Usage: ``python tools/precompute.py [--check]`` (``--check`` writes nothing and exits 1 if the
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


#: The lessons' calls whose results are stored.
CALLS: list[Callable[[], None]] = [lesson01_value_concentration, lesson02_stability, lesson04_false_alarms]


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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if the file would change")
    args = ap.parse_args(argv)
    text = document(record())
    old = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
    if args.check:
        if text != old:
            print(f"{OUT.relative_to(ROOT)} is out of date: run python tools/precompute.py")
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(json.loads(text)['results'])} results")
    return 0


if __name__ == "__main__":
    sys.exit(main())
