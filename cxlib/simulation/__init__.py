"""Simorgh Mobile, the simulated company whose truth is known.

:func:`simulate` generates every table of a fictional mobile operator, month by
month, together with the ground truth (:class:`~cxlib.data.truth.Truth`). The
bundled data in ``data/`` is its output with the default settings
(:func:`regenerate`, ``make data``). The generating model is described in
:mod:`cxlib.simulation._model`.

The simulator builds on the data and features layers and never imports an
estimator: a method is checked *against* it, never used *inside* it.
"""
from cxlib.simulation._company import DEFAULTS, LIMITS, Company, regenerate, simulate
from cxlib.simulation._model import CHURN_COEFS, PERSONAS
from cxlib.simulation._truth import SNAPSHOT_FEATURES, snapshot_features

__all__ = ["simulate", "Company", "regenerate", "DEFAULTS", "LIMITS", "PERSONAS", "CHURN_COEFS",
           "SNAPSHOT_FEATURES", "snapshot_features"]
