"""Protocol rules made a product: the office's table of precedence and the host's
overrides (:mod:`.precedence`), forms of address with the office's own wording
(:mod:`.address`), venues, travel times and clash checks (:mod:`.travel`), and seating
plans for meals and ceremonies (:mod:`.seating`).

The pure rules live in :mod:`protocol_app.rules`; these services store what the office
decides (in the tables of migration 0005), feed the rules with it, and return the
frozen values of :mod:`.values`.  Every write is audited and every plan or table line
carries a version.  Open them through :class:`protocol_app.services.Services`
(``services.precedence``, ``.address``, ``.travel``, ``.seating``).

This package module imports only :mod:`.values` (no SQLAlchemy), so the values can be
imported from here as well as from :mod:`.values`.
"""

from __future__ import annotations

from protocol_app.services.protocol import values as _values
from protocol_app.services.protocol.values import *  # noqa: F403 (the values are its public names)

__all__ = _values.__all__
