"""``python -m remodel``: the remodel command line."""

import sys

from .cli import main

sys.exit(main())
