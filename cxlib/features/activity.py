"""Point-in-time churn features (kept for the 0.1 import path ``cxlib.features.activity``).

The builder lives in :mod:`cxlib.features.builder` and its names in
:mod:`cxlib.features.names`; this module re-exports them.
"""

from __future__ import annotations

from cxlib.features.builder import build_features
from cxlib.features.names import COUNT_COLUMNS, LEVEL_COLUMNS, STATIC_COLUMNS, describe_features

__all__ = ["build_features", "COUNT_COLUMNS", "LEVEL_COLUMNS", "STATIC_COLUMNS", "describe_features"]
