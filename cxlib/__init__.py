"""cxlib: the helper package of the open CX analytics curriculum.

The package is organised in layers, each a folder; a layer imports only the layers
below it (``tests/test_layers.py`` checks this from the import statements):

===================  ============================================================
``cxlib.errors``,     the errors cxlib raises (all subclasses of ValueError) and the
``cxlib.checks``      checks of a caller's DataFrame that every layer shares
``cxlib.data``        reading exports (``io``), ``schemas``, the bundled ``datasets``,
                      the simulator's ``truth`` types
``cxlib.features``    point-in-time customer features, one builder for every analysis
``cxlib.simulation``  Simorgh Mobile, the simulated company whose truth is known
``cxlib.analytics``   one module per concept: ``stats``, ``nps``, ``feedback``,
                      ``text``, ``emotion``, ``personas``, ``churn``, ``health``,
                      ``devotees``, ``drivers``, ``economics``, ``expectations``,
                      ``incentives``
``cxlib.teaching``    ``plots``, ``widgets``, ``exercises``, the ``lessons`` catalogue
``cxlib.cli``         the ``cx`` command line
===================  ============================================================

Modules are imported on demand (``from cxlib.analytics import nps``), so
``import cxlib`` is fast. The flat module names of version 0.1 (``cxlib.nps``,
``cxlib.value``, ...) still import, with a DeprecationWarning, until the next
release (:mod:`cxlib._compat`).
"""

__version__ = "0.2.0"
__all__ = ["__version__"]

from cxlib import _compat

_compat.install()
