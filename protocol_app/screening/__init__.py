"""Restricted-party screening: lists the office loads, and a visit's people matched
against them.

- :mod:`~protocol_app.screening.reader`: the two list layouts (U.S. Consolidated
  Screening List, OpenSanctions ``targets.simple.csv``), read by column name.
- :mod:`~protocol_app.screening.normalize`: names in any script as Latin tokens and their
  sound keys (anyascii, jellyfish).
- :mod:`~protocol_app.screening.matching`: the score of a name against an entry and its
  reason (rapidfuzz).
- :mod:`~protocol_app.screening.service`: load, list, screen (``services.screening``).
- :mod:`~protocol_app.screening.values`: the values it returns.
- :mod:`~protocol_app.screening.commands`: ``protocol-app screening ...``.

See docs/risk-reviews.md.
"""
