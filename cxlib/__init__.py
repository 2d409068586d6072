"""cxlib: the helper package of the open CX analytics curriculum.

Every piece of logic that a lesson would otherwise repeat lives here, in small
modules by concept:

========================  ====================================================
``cxlib.errors``          the errors cxlib raises (all subclasses of ValueError)
``cxlib.datasets``        ``load_*()`` for the bundled data sets
``cxlib.simulate``        the synthetic company with known ground truth
``cxlib.schemas``         pandera schemas of the tables an analyst brings
``cxlib.io``              readers for messy CSV and Excel exports
``cxlib.stats``           shared statistics: Wilson intervals, DeLong AUC
``cxlib.nps``             NPS with honest uncertainty
``cxlib.feedback``        agent-level feedback, shrinkage, control charts
``cxlib.text``            sentiment and emotion words in feedback text
``cxlib.emotion``         risk ratios, adjusted effects, text-based connection
``cxlib.personas``        RFM, segmentation, stability, persona cards
``cxlib.churn``           point-in-time churn features, models, targeting
``cxlib.value``           CLV, CAC, health score, value balance, drivers
``cxlib.incentives``      what paying a team on a survey score does (Goodhart)
``cxlib.roi``             expectations, personalisation and the CX business case
``cxlib.plots``           the course's plotting style and helpers
``cxlib.widgets``         small interactive helpers built on ipywidgets
``cxlib.exercises``       auto-checked exercises, one module per lesson
``cxlib.lessons``         the lessons' parameters; run a lesson on your data
``cxlib.cli``             the ``cx`` command line
========================  ====================================================

Modules are imported on demand (``import cxlib.nps``), so ``import cxlib`` is fast.
"""
__version__ = "0.1.0"
__all__ = ["__version__"]
