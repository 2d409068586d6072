"""Churn from loyalty signals: models, honest validation and targeting that pays.

* :mod:`~cxlib.analytics.churn.model` — :class:`ChurnModel` (a scikit-learn
  estimator with drivers and their intervals), the reading of a churn table's target.
* :mod:`~cxlib.analytics.churn.validation` — out-of-time validation that never trains on
  labels overlapping the test period.
* :mod:`~cxlib.analytics.churn.leakage` — the leakage alarm.
* :mod:`~cxlib.analytics.churn.report` — :func:`churn_report`, the analysis of ``cx churn``
  and of lesson 06's "In practice".
* :mod:`~cxlib.analytics.churn.evaluation` — ROC and PR AUC with intervals, lift,
  calibration.
* :mod:`~cxlib.analytics.churn.targeting` — who to contact, and what it pays.
* :mod:`~cxlib.analytics.churn.signals` — how signals move before a cancellation.

Point-in-time features come from :func:`cxlib.features.build_features`.
"""

from cxlib.analytics.churn.evaluation import (
    ChurnEvaluation,
    calibration_table,
    evaluate,
    lift_table,
    pr_auc_interval,
    top_decile_lift,
)
from cxlib.analytics.churn.leakage import LeakageAlarm, LeakageWarning, leakage_checks
from cxlib.analytics.churn.model import ChurnModel, CleanTable, clean_features, parse_target
from cxlib.analytics.churn.report import ChurnReport, churn_report
from cxlib.analytics.churn.scores import risk_scores
from cxlib.analytics.churn.signals import signals_before_churn
from cxlib.analytics.churn.targeting import TargetingResult, targeting_profit
from cxlib.analytics.churn.validation import infer_horizon, time_validate

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
    "pr_auc_interval",
    "time_validate",
    "infer_horizon",
    "leakage_checks",
    "LeakageAlarm",
    "LeakageWarning",
    "churn_report",
    "risk_scores",
    "ChurnReport",
    "targeting_profit",
    "TargetingResult",
    "signals_before_churn",
]
