"""The analytics layer: one module (or package) per concept.

==============================  ================================================
``cxlib.analytics.stats``        intervals and tests shared by every concept
``cxlib.analytics.nps``          NPS with honest uncertainty
``cxlib.analytics.feedback``     agent CSAT: shrinkage, case mix, control charts
``cxlib.analytics.text``         sentiment and emotion words in feedback text
``cxlib.analytics.emotion``      risk ratios, adjusted effects, text-based connection
``cxlib.analytics.personas``     RFM, segmentation, stability, persona cards
``cxlib.analytics.churn``        churn models, validation, targeting
``cxlib.analytics.health``       the customer health score and its validation
``cxlib.analytics.devotees``     value balance and devotees
``cxlib.analytics.drivers``      value drivers and lagged relationships
``cxlib.analytics.economics``    CLV from retention, CAC, retention economics, the CX business case
``cxlib.analytics.clv``          BG/NBD and Gamma-Gamma: lifetime value from transactions
``cxlib.analytics.expectations`` expectation-disconfirmation, Kano, personalisation
``cxlib.analytics.incentives``   what paying a team on a survey score does
``cxlib.analytics.correlation``  a correlation with its interval (Pearson, Spearman)
``cxlib.analytics.cohort_chart`` a cohort's daily purchases charted around its expected decay
==============================  ================================================

Analytics modules import the data and features layers, never teaching (plots,
widgets, exercises, lessons) or the command line.
"""
