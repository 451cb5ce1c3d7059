"""``python -m ui``: the desktop app (or a command, as ``protocol-app``)."""

import sys

from ui.launcher import main

sys.exit(main())
