"""Damaged replies never crash the reader: every mutation of a valid COUNTER is read or
refused with a one-line :class:`ReplyFileError` (a seeded fuzz run)."""

from __future__ import annotations

import random

from protocol_app.invites.replies import ReplyFileError, read_message

GOOD = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:COUNTER\r\nBEGIN:VEVENT\r\n"
        b"UID:abc\r\nSEQUENCE:1\r\nDTSTAMP:20270201T090000Z\r\n"
        b"DTSTART;TZID=Europe/Paris:20270301T100000\r\nDTEND:20270301T110000Z\r\n"
        b"COMMENT:hello\r\nATTENDEE;PARTSTAT=ACCEPTED;SENT-BY=\"mailto:x@y.z\":mailto:a@b.c"
        b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
INSERTS = [b":", b";", b"\r\n", b"=", b'"', b"BEGIN:VEVENT\r\n", b"\xff", b"SEQUENCE:x\r\n",
           b"DTSTART:2027\r\n", b"ATTENDEE:mailto:z@z.z\r\n"]


def test_the_valid_counter_is_read() -> None:
    (line,) = read_message(GOOD).lines
    assert (line.uid, line.attendee, line.sent_by, line.sequence) == ("abc", "a@b.c",
                                                                      "x@y.z", 1)


def test_mutations_are_read_or_refused_with_one_line() -> None:
    rnd = random.Random(13)
    refused = 0
    for _ in range(1500):
        data = bytearray(GOOD)
        for _ in range(rnd.randint(1, 6)):
            pos, op = rnd.randrange(len(data)), rnd.random()
            if op < 0.4:
                data[pos] = rnd.randrange(256)
            elif op < 0.7:
                del data[pos:pos + rnd.randint(1, 20)]
            else:
                data[pos:pos] = rnd.choice(INSERTS)
        try:
            read_message(bytes(data))
        except ReplyFileError as exc:
            refused += 1
            assert str(exc) and "\n" not in str(exc)
    assert refused > 100
