"""The audit trail: every write leaves who, when, what record, old and new values; the
content of sensitive fields never enters it."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta

from PIL import Image

from protocol_app.services.values import AuditRecord
from tests.support.helpers import assert_plain_value, query_rows
from tests.support.times import ny

SECRETS = ("Insulin twice a day", "Armed detail of two", "Dislikes the Provost",
           "Pacemaker fitted", "Route varies", "Seat away from the Dean")


def _entries(s) -> int:
    return len(s.audit.list(limit=10_000))


def _last(s) -> AuditRecord:
    return s.audit.list(limit=1)[0]


def test_every_write_leaves_an_entry(services) -> None:
    s = services
    seen = _entries(s)

    def step(entity: str, action: str, entity_id: int | None = None) -> AuditRecord:
        nonlocal seen
        count = _entries(s)
        assert count > seen, f"no audit entry for {action} {entity}"
        seen = count
        entry = _last(s)
        assert (entry.entity, entry.action, entry.actor) == (entity, action, s.actor)
        if entity_id is not None:
            assert entry.entity_id == entity_id
        assert abs(entry.at - datetime.now(UTC)) < timedelta(minutes=1)
        return entry

    p = s.people.create(family_name="Tanaka", given_name="Haruto", position="Rector")
    e = step("person", "create", p.id)
    assert e.old == {} and e.new["family_name"] == "Tanaka" and e.new["position"] == "Rector"
    assert e.summary == "Created Haruto Tanaka"

    p = s.people.update(p.id, p.version, position="President", rank_date=date(2024, 4, 1))
    e = step("person", "update", p.id)
    assert e.old == {"position": "Rector", "rank_date": None}
    assert e.new == {"position": "President", "rank_date": "2024-04-01"}

    png = io.BytesIO()
    Image.new("RGB", (10, 10)).save(png, format="PNG")
    p = s.people.set_photo(p.id, png.getvalue())
    e = step("person", "update", p.id)
    assert e.old == {"photo": "none"} and e.new["photo"].endswith("bytes JPEG")

    v = s.visits.create(title="Kyoto", timezone="Asia/Tokyo", start_date=date(2027, 5, 1),
                        end_date=date(2027, 5, 3), country="JP")
    e = step("visit", "create", v.id)
    assert e.new["title"] == "Kyoto" and e.new["start_date"] == "2027-05-01"

    v = s.visits.update(v.id, v.version, title="Kyoto visit", status="confirmed")
    e = step("visit", "update", v.id)
    assert e.old == {"title": "Kyoto", "status": "planned"}
    assert e.new == {"title": "Kyoto visit", "status": "confirmed"}

    s.visits.add_participant(v.id, p.id, "guest", "head")
    e = step("visit", "update", v.id)
    assert e.new == {"participant": "Haruto Tanaka", "side": "guest", "role": "head"}
    s.visits.update_participant(v.id, p.id, side="guest", role="member")
    e = step("participant", "update")
    assert (e.old, e.new) == ({"role": "head"}, {"role": "member"})  # only what changed

    ev = s.events.create(v.id, title="Tea", start=datetime(2027, 5, 1, 1, tzinfo=UTC),
                         end=datetime(2027, 5, 1, 2, tzinfo=UTC), attendee_ids=(p.id,))
    e = step("event", "create", ev.id)
    assert e.new["title"] == "Tea" and e.new["attendee_ids"] == [p.id]
    ev = s.events.move(ev.id, ev.version, datetime(2027, 5, 1, 3, tzinfo=UTC))
    e = step("event", "update", ev.id)
    assert e.old == {"start": "2027-05-01T01:00:00+00:00", "end": "2027-05-01T02:00:00+00:00"}
    assert e.new == {"start": "2027-05-01T03:00:00+00:00", "end": "2027-05-01T04:00:00+00:00"}
    ev = s.events.cancel(ev.id, ev.version)
    e = step("event", "update", ev.id)
    assert (e.old, e.new) == ({"status": "tentative"}, {"status": "cancelled"})
    dup = s.events.duplicate(ev.id)
    step("event", "create", dup.id)
    s.events.delete(dup.id)
    e = step("event", "delete", dup.id)
    assert e.old["title"] == "Tea (copy)" and e.new == {}

    g = s.gifts.create(v.id, direction="received", description="Fan", value=30, currency="JPY")
    e = step("gift", "create", g.id)
    assert e.new["description"] == "Fan" and e.new["value"] == 30
    g = s.gifts.update(g.id, g.version, value=45)
    e = step("gift", "update", g.id)
    assert (e.old, e.new) == ({"value": 30}, {"value": 45})
    s.gifts.delete(g.id)
    e = step("gift", "delete", g.id)
    assert e.old["description"] == "Fan"

    s.visits.remove_participant(v.id, p.id)
    e = step("visit", "update", v.id)
    assert e.old == {"participant": "Haruto Tanaka"} and e.new == {}

    copy = s.visits.duplicate(v.id, date(2027, 6, 1))
    e = step("visit", "create", copy.id)
    assert e.new == {"duplicated_from": v.public_id, "start_date": "2027-06-01"}

    s.visits.delete(copy.id)
    e = step("visit", "delete", copy.id)
    assert e.old["title"] == "Kyoto visit" and e.old["events"] == 1
    s.people.delete(p.id)
    e = step("person", "delete", p.id)
    assert e.old["family_name"] == "Tanaka" and e.new == {}

    for entry in s.audit.list():
        assert_plain_value(entry)
    assert [a.entity_id for a in s.audit.list("gift")] == [g.id] * 3
    assert {a.action for a in s.audit.list("person", p.id)} == {"create", "update", "delete"}


def test_sensitive_fields_are_recorded_as_changed_without_their_content(services,
                                                                        db_path) -> None:
    s = services
    p = s.people.create(family_name="Võ", given_name="Thanh Tùng", medical=SECRETS[0],
                        security=SECRETS[1], protocol_notes=SECRETS[2])
    created = _last(s)
    assert created.new["medical"] == "(sensitive: changed)"
    assert created.new["security"] == "(sensitive: changed)"
    assert created.new["protocol_notes"] == "(sensitive: changed)"

    p = s.people.update(p.id, p.version, medical=SECRETS[3], security=SECRETS[4],
                        protocol_notes=SECRETS[5], dietary="Vegetarian")
    changed = _last(s)
    assert changed.old == {"medical": "(sensitive: changed)",
                           "security": "(sensitive: changed)",
                           "protocol_notes": "(sensitive: changed)", "dietary": ""}
    assert changed.new == {"medical": "(sensitive: changed)",
                           "security": "(sensitive: changed)",
                           "protocol_notes": "(sensitive: changed)", "dietary": "Vegetarian"}

    p = s.people.update(p.id, p.version, medical="")
    cleared = _last(s)
    assert (cleared.old, cleared.new) == ({"medical": "(sensitive: changed)"}, {"medical": ""})
    s.people.delete(p.id)

    doc = {"format": "protocol-visit/1",
           "visit": {"id": "secret-2027", "title": "Secret", "timezone": "UTC",
                     "start_date": "2027-01-01", "end_date": "2027-01-01", "country": "VN"},
           "people": [{"ref": "p1", "family_name": "Phạm", "medical": SECRETS[0],
                       "security": SECRETS[1], "protocol_notes": SECRETS[2]}],
           "delegation": [{"person": "p1", "side": "guest", "role": "security"}]}
    s.packages.import_bytes(json.dumps(doc).encode())

    trail = " ".join(" ".join(row) for row in query_rows(
        db_path, "SELECT summary, old_values, new_values FROM audit_log"))
    for secret in SECRETS:
        assert secret not in trail
    assert "(sensitive: changed)" in trail


def test_import_leaves_an_entry_with_its_report(services) -> None:
    doc = {"format": "protocol-visit/1",
           "visit": {"id": "audit-2027", "title": "Audited", "timezone": "UTC",
                     "start_date": "2027-01-01", "end_date": "2027-01-01", "country": "JP"}}
    report = services.packages.import_bytes(json.dumps(doc).encode())
    entry = _last(services)
    assert (entry.action, entry.entity, entry.entity_id) == ("import", "visit", report.visit_id)
    assert entry.new == {"package": "audit-2027", "report": report.lines()}
    assert entry.summary == "Imported new visit audit-2027: Audited"


def test_failed_writes_leave_no_entry(world) -> None:
    s = world.services
    before = _entries(s)
    for bad in (lambda: s.people.create(family_name=""),
                lambda: s.visits.update(world.visit_id, None, status="completed"),
                lambda: s.events.create(world.visit_id, title="x", start=ny(2027, 3, 12, 10),
                                        end=ny(2027, 3, 12, 9))):
        try:
            bad()
        except Exception:
            pass
        else:  # pragma: no cover
            raise AssertionError("the write should have been refused")
    assert _entries(s) == before
