"""The features layer: point-in-time customer features built from the data tables.

Features use only data dated before a cutoff, so a model or a score built on them
can be checked on what happened after it. The churn model, the health score, the
personas and the simulator's snapshot all build their features here.
"""

from cxlib.features.activity import COUNT_COLUMNS, LEVEL_COLUMNS, STATIC_COLUMNS, build_features, describe_features
from cxlib.features.customers import DEFAULT_FEATURES, customer_features, default_features
from cxlib.features.health import health_signals, later_churn
from cxlib.features.profile import customer_profile

__all__ = [
    "build_features",
    "describe_features",
    "COUNT_COLUMNS",
    "LEVEL_COLUMNS",
    "STATIC_COLUMNS",
    "customer_features",
    "default_features",
    "DEFAULT_FEATURES",
    "health_signals",
    "later_churn",
    "customer_profile",
]
