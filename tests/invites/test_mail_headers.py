"""Every e-mail header written from user text is safe (issue 12): line separators,
CR/LF injection, text that looks like an RFC 2047 encoded word, very long and
right-to-left names.  The headers are read back line by line and decoded with the
legacy :func:`email.header.decode_header`, not the policy that wrote them."""

from __future__ import annotations

from email.header import decode_header, make_header
from pathlib import Path

import pytest

from protocol_app.invites.calendar import Organizer
from protocol_app.invites.mail import build_message, header_text, message_bytes
from tests.support.demo_refs import VISIT
from tests.support.helpers import run_sql

HOSTILE = [
    "Evil\r\nBcc: victim@example.org",
    "Evil\nBcc: victim@example.org",
    "Line\u2028Separator",
    "Next\x85Line",
    "=?utf-8?q?Hi=0D=0ABcc:_victim@example.org?=",
    "=?utf-8?b?SGk=?=",
    "Prof. " + "Abcdefghij " * 60,
    "ד\"ר שרה כהן",  # right to left, with a quote
    'Quote "me" \\ back, <x@example.org>; y',
]


def _headers(raw: bytes) -> dict[str, list[str]]:
    """The header block, unfolded, as name -> values (the raw, still encoded, text)."""
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    lines = head.split("\r\n")
    assert all(len(line) <= 78 for line in lines), [ln for ln in lines if len(ln) > 78]
    unfolded: list[str] = []
    for line in lines:
        if line[:1] in (" ", "\t"):
            unfolded[-1] += line
        else:
            unfolded.append(line)
    out: dict[str, list[str]] = {}
    for line in unfolded:
        name, _, value = line.partition(":")
        out.setdefault(name.lower(), []).append(value.strip())
    return out


def _decoded(value: str) -> str:
    return str(make_header(decode_header(value)))


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_and_titles_stay_inside_their_headers(name: str) -> None:
    msg = build_message(
        calendar=b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", method="REQUEST",
        subject=f"Invitation: {name}", text="x", html_text="<p>x</p>",
        organizer=Organizer(name=name, email="protocol@example.edu"),
        recipient_name=name, recipient_email="guest@example.org",
        message_id="<1@example.edu>")
    headers = _headers(message_bytes(msg))
    assert set(headers) == {"from", "to", "subject", "date", "message-id", "mime-version",
                            "content-type"}
    assert all(len(values) == 1 for values in headers.values())
    safe = header_text(name)
    assert "\n" not in safe and "\r" not in safe and "\u2028" not in safe
    assert _decoded(headers["subject"][0]) == f"Invitation: {safe}"
    for field, email in (("from", "protocol@example.edu"), ("to", "guest@example.org")):
        shown = _decoded(headers[field][0])
        assert shown.endswith(f"<{email}>")
        assert "victim@example.org" not in shown.rsplit("<", 1)[1]


def test_text_that_looks_encoded_is_shown_as_written() -> None:
    # without the word joiner the email package decodes it, and the CR LF inside would
    # become a real line break: a Bcc header of the sender's choosing
    text = "=?utf-8?q?Hi=0D=0ABcc:_victim@example.org?="
    assert header_text(text).replace("\u2060", "") == text


def test_invites_of_text_stored_before_the_rules_are_written(demo_services, db_path: Path,
                                                             tmp_path: Path) -> None:
    """A title with U+2028 and a name with CR LF, stored before the services refused
    them, no longer stop `invites --out` ("Header values may not contain linefeed")."""
    from protocol_app.cli import main

    visit = demo_services.visits.get(VISIT)
    run_sql(db_path, "UPDATE events SET title = title || :more WHERE visit_id = :visit",
               {"more": "\u2028Part two", "visit": visit.id})
    run_sql(db_path, "UPDATE people SET family_name = family_name || :more WHERE id IN "
               "(SELECT person_id FROM participants WHERE visit_id = :visit)",
               {"more": "\r\nBcc: victim@example.org", "visit": visit.id})
    out = tmp_path / "out"
    assert main(["--db", str(db_path), "invites", VISIT, "--out", str(out)]) == 0
    files = sorted(out.glob("*.eml"))
    assert files
    for path in files:
        headers = _headers(path.read_bytes())
        assert "bcc" not in headers
        assert "\u2028" not in _decoded(headers["subject"][0])
        assert "Part two" in _decoded(headers["subject"][0])
