"""Churn from loyalty signals: models, honest validation and targeting that pays.

* :mod:`~cxlib.analytics.churn.model` — :class:`ChurnModel` (a scikit-learn
  estimator), the reading of a churn table's target, out-of-time validation.
* :mod:`~cxlib.analytics.churn.evaluation` — ROC and PR AUC with intervals, lift,
  calibration.
* :mod:`~cxlib.analytics.churn.targeting` — who to contact, and what it pays.
* :mod:`~cxlib.analytics.churn.signals` — how signals move before a cancellation.

Point-in-time features come from :func:`cxlib.features.build_features`.
"""

from cxlib.analytics.churn.evaluation import ChurnEvaluation, calibration_table, evaluate, lift_table, top_decile_lift
from cxlib.analytics.churn.model import ChurnModel, CleanTable, clean_features, parse_target, time_validate
from cxlib.analytics.churn.signals import signals_before_churn
from cxlib.analytics.churn.targeting import TargetingResult, targeting_profit

__all__ = [
    "ChurnModel",
    "parse_target",
    "clean_features",
    "CleanTable",
    "ChurnEvaluation",
    "evaluate",
    "lift_table",
    "top_decile_lift",
    "calibration_table",
    "time_validate",
    "targeting_profit",
    "TargetingResult",
    "signals_before_churn",
]
