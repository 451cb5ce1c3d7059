"""``python -m protocol_app``: the command line, headless."""

import sys

from protocol_app.cli import main

sys.exit(main())
