"""Synthetic data at scale: people in many scripts, visits, events, for benchmarks.

``build_database(path, people=100_000, visits=2_000, events=50_000)`` writes a real
Protocol Desk database quickly (bulk SQL inside one transaction, then the search
index), so benchmarks measure the services against realistic volumes.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from protocol_app.db import search_index
from protocol_app.db.database import Database

GIVEN = ["Maria", "José", "Anna", "Jan", "Olga", "Ivan", "Eleni", "Nikos", "Fatima", "Omar",
         "Noa", "Yosef", "Hiroshi", "Yuki", "Wei", "Mei", "Priya", "Arjun", "Minh", "Linh",
         "Zoltán", "Katalin", "Aiko", "Kwame", "Amara", "Lars", "Ingrid", "Pedro", "Lucía"]
FAMILY = ["Silva", "García", "Nowak", "Kowalski", "Ivanov", "Petrova", "Papadopoulos",
          "Haddad", "Khalil", "Cohen", "Levi", "Tanaka", "Suzuki", "Wang", "Li", "Sharma",
          "Patel", "Nguyễn", "Trần", "Szabó", "Okafor", "Mensah", "Johansson", "Müller"]
NATIVE = ["田中 陽翔", "王伟", "李娜", "Иван Петров", "Ελένη Παπαδοπούλου", "فاطمة حداد",
          "יוסף כהן", "प्रिया शर्मा", "김민준", "Nguyễn Văn An", "", "", "", ""]
ORGS = [f"Organization {i}" for i in range(300)]
COUNTRIES = ["JP", "CN", "DE", "FR", "BR", "IN", "VN", "GR", "RU", "IL", "JO", "US", "GB"]
ZONES = ["America/New_York", "Europe/Berlin", "Asia/Tokyo", "Asia/Kolkata", "Africa/Casablanca"]


def build_database(path: Path, *, people: int = 100_000, visits: int = 2_000,
                   events: int = 50_000, seed: int = 7) -> Path:
    """Create (or reuse, if complete) a synthetic database at ``path``."""
    path = Path(path)
    marker = path.with_suffix(".complete")
    if path.exists() and marker.exists() and marker.read_text() == f"{people},{visits},{events}":
        Database.open(path).dispose()  # a file made before a new migration is brought up
        return path                    # to date here, not in the first measured round
    path.unlink(missing_ok=True)
    marker.unlink(missing_ok=True)
    rnd = random.Random(seed)
    db = Database.open(path)
    started = time.perf_counter()
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO organizations (id, name, country, version) "
                          "VALUES (:id, :name, '', 1)"),
                     [{"id": i + 1, "name": n} for i, n in enumerate(ORGS)])
        rows = []
        for i in range(1, people + 1):
            rows.append({
                "id": i, "family": f"{rnd.choice(FAMILY)}{'' if i % 3 else i}",
                "given": rnd.choice(GIVEN), "native": rnd.choice(NATIVE),
                "org": rnd.randint(1, len(ORGS)), "country": rnd.choice(COUNTRIES),
                "email": f"person{i}@example.org",
            })
        conn.execute(text(
            "INSERT INTO people (id, family_name, given_name, name_order, native_name, "
            "pronunciation, gender, honorific, position, organization_id, country, email, "
            "phone, languages, rank, rank_date, dietary, medical, security, protocol_notes, bio, "
            "has_photo, version) VALUES (:id, :family, :given, 'given_first', :native, '', '', "
            "'', '', :org, :country, :email, '', 'en', '', NULL, '', '', '', '', '', 0, 1)"), rows)
        conn.execute(text(f"INSERT INTO {search_index.FTS_TABLE}(rowid, names) "
                          "VALUES (:id, :names)"),
                     [{"id": r["id"], "names": search_index.names_text(
                         r["family"], r["given"], r["native"])} for r in rows])
        start_day = date(2027, 1, 1)
        conn.execute(text(
            "INSERT INTO visits (id, public_id, title, purpose, status, timezone, start_date, "
            "end_date, country, organizer_name, organizer_email, responsible_officer, version) "
            "VALUES (:id, :pid, :title, '', 'planned', :tz, :s, :e, :c, 'Office of Protocol', "
            "'protocol@example.edu', '', 1)"),
            [{"id": v, "pid": f"visit-{v}", "title": f"Visit {v}", "tz": rnd.choice(ZONES),
              "s": start_day + timedelta(days=v % 700),
              "e": start_day + timedelta(days=v % 700 + 3), "c": rnd.choice(COUNTRIES)}
             for v in range(1, visits + 1)])
        conn.execute(text(
            "INSERT INTO participants (visit_id, person_id, side, role, ref) "
            "VALUES (:v, :p, :side, :role, :ref)"),
            [{"v": v, "p": (v * 17 + k) % people + 1, "side": "guest" if k < 4 else "host",
              "role": "head" if k == 0 else ("host" if k == 4 else "member"), "ref": f"p{k}"}
             for v in range(1, visits + 1) for k in range(5)])
        base = datetime(2027, 1, 1, 9, tzinfo=UTC).replace(tzinfo=None)
        conn.execute(text(
            "INSERT INTO events (id, visit_id, ref, uid, sequence, title, kind, start_utc, "
            "end_utc, timezone, status, room, dress_code, notes, version) VALUES (:id, :v, :ref, "
            ":uid, 0, :title, 'meeting', :s, :e, 'America/New_York', 'confirmed', '', '', '', 1)"),
            [{"id": e, "v": e % visits + 1, "ref": f"e{e}", "uid": f"bench-{e}@invalid",
              "title": f"Meeting {e}", "s": base + timedelta(hours=e),
              "e": base + timedelta(hours=e, minutes=45)} for e in range(1, events + 1)])
    db.dispose()
    marker.write_text(f"{people},{visits},{events}")
    print(f"  generated {people:,} people, {visits:,} visits, {events:,} events "
          f"in {time.perf_counter() - started:.1f} s")
    return path
