"""Protocol Desk core: records, rules, exports and the command line.

This package never imports Qt; every feature works headless through the services
in :mod:`protocol_app.services` and the command line in :mod:`protocol_app.cli`.
"""

__version__ = "0.1.0"
