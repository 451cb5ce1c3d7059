"""Calendars and invitations: RFC 5545 files, RFC 5546 (iTIP) updates and cancellations,
RFC 6047 (iMIP) e-mail, and the ledger of what was sent to whom.

- :mod:`~protocol_app.invites.contentlines`: escaping and folding of content lines.
- :mod:`~protocol_app.invites.timezones`: VTIMEZONE components in the RRULE form.
- :mod:`~protocol_app.invites.calendar`: the VCALENDAR documents (PUBLISH, REQUEST, CANCEL).
- :mod:`~protocol_app.invites.ledger`: the plan of what to send, a pure function.
- :mod:`~protocol_app.invites.mail`: the e-mail messages.
- :mod:`~protocol_app.invites.sending`: SMTP, with the password in the OS keyring.
- :mod:`~protocol_app.invites.service`: what the command line and the desktop app call.
"""
