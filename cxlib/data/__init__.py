"""The data layer: reading exports, their schemas, the bundled data and the simulator's truth types.

=====================  =======================================================
``cxlib.data.io``        the one reader for CSV and Excel exports (messy, European
                         or Persian), with a report of everything it cleaned
``cxlib.data.schemas``   pandera schemas of the tables an analyst brings
``cxlib.data.datasets``  ``load_*()`` for the bundled data sets
``cxlib.data.truth``     :class:`~cxlib.data.truth.Truth`, the simulator's ground truth
=====================  =======================================================

Nothing here imports the features, analytics, teaching or command-line layers.
"""
