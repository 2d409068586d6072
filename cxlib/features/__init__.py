"""The features layer: point-in-time customer features built from the data tables.

One builder, :func:`build_features`, computes every customer-level feature at a
cutoff from rows dated before it, with one naming scheme (:mod:`cxlib.features.names`,
:func:`describe_features`), so a model or a score built on them can be checked on what
happened after it. The other functions are selections of it:

* :func:`health_signals` and :func:`later_churn` — the health score's signals and label;
* :func:`customer_features` — the personas' behavioural features (history means, shares);
* :func:`customer_profile` — the value exchange of each customer over a window;
* ``cxlib.simulation.snapshot_features`` — the bundled ``churn_snapshot.csv``.

:func:`outcome_after_event` is the one definition of "what happened after an event"
(a survey answer): the churn and product outcomes in the months that follow it.
"""

from cxlib.features.builder import build_features
from cxlib.features.customers import DEFAULT_FEATURES, customer_features, default_features
from cxlib.features.health import health_signal_names, health_signals, later_churn
from cxlib.features.names import (
    CHURN_STATISTICS,
    COUNT_COLUMNS,
    LEVEL_COLUMNS,
    STATIC_COLUMNS,
    STATISTICS,
    describe_features,
    signal_name,
)
from cxlib.features.outcomes import outcome_after_event
from cxlib.features.profile import customer_profile

__all__ = [
    "build_features",
    "describe_features",
    "signal_name",
    "COUNT_COLUMNS",
    "LEVEL_COLUMNS",
    "STATIC_COLUMNS",
    "STATISTICS",
    "CHURN_STATISTICS",
    "customer_features",
    "default_features",
    "DEFAULT_FEATURES",
    "health_signals",
    "health_signal_names",
    "later_churn",
    "customer_profile",
    "outcome_after_event",
]
