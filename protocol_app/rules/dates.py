"""Dates as the rules write them in explanations and findings: "30 May 2016", "14 Mar 2027".

The rules import only the standard library (an import-linter contract), so they
cannot call Babel, and ``strftime("%B")`` follows the machine's locale (Qt sets it from
the environment).  This small table is therefore the one hand-written copy of the month
names; ``tests/rules/test_dates.py`` checks it against CLDR (Babel) so that it says
exactly what :mod:`protocol_app.formatting` says everywhere else.
"""

from __future__ import annotations

from datetime import date

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def format_day(day: date, *, short: bool = False) -> str:
    """"30 May 2016"; "14 Mar 2027" with ``short`` (three letters)."""
    month = MONTHS[day.month - 1]
    return f"{day.day} {month[:3] if short else month} {day.year}"
