"""``python -m graphflow``: the ``graphflow`` command (see ``graphflow/cli.py``)."""

import sys

from graphflow.cli import main

sys.exit(main())
