"""The course's bundled data sets, installed as the package ``cxlib.data.bundled``.

``cxlib.data.datasets.load_*()`` reads them through :mod:`importlib.resources`,
whatever the working directory. See ``README.md`` here for the data cards.
"""
