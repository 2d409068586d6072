"""The course's bundled data sets, importable as ``cxlib.data``.

This folder is installed as the ``cxlib.data`` package so that
``cxlib.datasets.load_*()`` can read it through :mod:`importlib.resources`,
whatever the working directory. See ``README.md`` here for the data cards.
"""
