"""The visit-package format ``protocol-visit/1``: validate, import, export.

See ``docs/visit-package.md`` for the format itself.
"""

FORMAT = "protocol-visit/1"
