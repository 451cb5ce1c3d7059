"""Protocol rules as pure functions: no database, no Qt, no I/O.

- :mod:`.names` - name order, capitals in any script, list form, sorting
- :mod:`.precedence` - order of precedence with explanations and host overrides
- :mod:`.address` - forms of address (letters, envelopes, speech, cards, badges, lists)
- :mod:`.seating` - tables, seat geometry, seating plans and their checks
- :mod:`.conflicts` - clash checks over a visit's itinerary
"""
