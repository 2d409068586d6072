"""``python -m cxlib`` runs the ``cx`` command line."""

import sys

from cxlib.cli import main

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
