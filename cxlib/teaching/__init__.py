"""The teaching layer: what the lessons add on top of the library.

=================================  ===========================================
``cxlib.teaching.plots``            the course's plotting style and every chart
``cxlib.teaching.widgets``          interactive helpers built on ipywidgets
``cxlib.teaching.exercises``        auto-checked exercises, one module per lesson
``cxlib.teaching.lessons``          the lessons catalogue; run a lesson on your data
``cxlib.teaching.parameters``       a lesson's declared parameters, safely written
=================================  ===========================================
"""
