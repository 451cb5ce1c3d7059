"""Briefing book figures: a 100-person, 150-event visit with 50 photos, built as the
internal book (the largest), in a child process so that its peak memory is its own.

Figures: pages, pages per second (the whole ``build_briefing`` call: reading the visit,
checking names, preparing the photos, laying out and writing), peak memory of the
building process (``ru_maxrss``) and the file size.

Baseline, in the same process right after the book: raw reportlab (``SimpleDocTemplate``,
the same embedded fonts, no fallback, bidi, shaping or contents) setting the same number
of pages of plain text and tables (:func:`raw_reportlab_pages`). The target is the book
at most 6 times the baseline's time for its pages.
"""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).resolve().parent / "out"

PEOPLE, EVENTS, PHOTOS = 100, 150, 50

_GIVEN = ["Maria", "José", "Anna", "Jan", "Olga", "Ivan", "Eleni", "Nikos", "Fatima", "Omar",
          "Noa", "Yosef", "Hiroshi", "Yuki", "Wei", "Mei", "Priya", "Arjun", "Minh", "Linh"]
_FAMILY = ["Silva", "García", "Nowak", "Ivanov", "Papadopoulos", "Haddad", "Cohen", "Tanaka",
           "Wang", "Sharma", "Nguyễn", "Trần", "Szabó", "Okafor", "Johansson", "Müller"]
_NATIVE = ["田中 陽翔", "王伟", "Иван Петров", "Ελένη Παπαδοπούλου", "فاطمة حداد", "יוסף כהן",
           "प्रिया शर्मा", "김민준", "Nguyễn Văn An", "", ""]
_RANKS = ["minister", "deputy_minister", "ambassador", "university_president", "dean",
          "professor", "senior_official", "other"]
_SENTENCE = ("Studied engineering and public policy, served on national education boards and "
             "led international cooperation programmes for a decade. ")


def bench_package(people: int = PEOPLE, events: int = EVENTS, seed: int = 5) -> dict:
    """A visit package: ``people`` people (a third guests), ``events`` events over ten days."""
    rnd = random.Random(seed)
    doc: dict = {"format": "protocol-visit/1", "visit": {
        "id": "bench-briefing", "title": "Benchmark visit of a large delegation",
        "purpose": "Working visit with many meetings. " * 5, "status": "confirmed",
        "timezone": "America/New_York", "start_date": "2027-05-03", "end_date": "2027-05-12",
        "country": "VN", "organizer": {"name": "Office of Protocol",
                                       "email": "protocol@example.edu"}},
        "people": [], "delegation": [], "events": [], "gifts": []}
    for i in range(people):
        guest = i % 3 == 0
        doc["people"].append({
            "ref": f"p{i}", "family_name": f"{rnd.choice(_FAMILY)}{i}",
            "given_name": rnd.choice(_GIVEN), "native_name": rnd.choice(_NATIVE),
            "pronunciation": "pro-nun-see-AY-shun", "honorific": rnd.choice(["Dr.", "Prof.", ""]),
            "gender": rnd.choice(["female", "male"]), "position": "Director of Programmes",
            "organization": f"Organization {i % 17}", "country": "VN" if guest else "US",
            "email": f"person{i}@example.org", "phone": f"+1 555 01{i:02d}",
            "rank": rnd.choice(_RANKS), "languages": ["vi", "en"] if guest else ["en", "fr"],
            "dietary": "Vegetarian" if i % 5 == 0 else "None",
            "medical": "Medical note. " * 5, "security": "Security note. " * 5,
            "protocol_notes": "Protocol note: address by title. " * 4,
            "bio": _SENTENCE * rnd.randint(4, 9),
        })
        if guest:
            role = "head" if i == 0 else ("member" if i % 2 == 0 else rnd.choice(
                ["member", "staff", "interpreter", "security"]))
        else:
            role = "host" if i % 2 else rnd.choice(["host", "staff", "escort"])
        doc["delegation"].append({"person": f"p{i}", "side": "guest" if guest else "host",
                                  "role": role})
    for e in range(events):
        day, slot = e // 15, e % 15
        hour, minute = 8 + slot * 45 // 60, (slot * 45) % 60
        end_minute = minute + 40
        doc["events"].append({
            "ref": f"e{e}", "title": f"Working session {e}: cooperation in research",
            "kind": rnd.choice(["meeting", "meal", "tour", "ceremony"]),
            "start": f"2027-05-{3 + day:02d}T{hour:02d}:{minute:02d}",
            "end": f"2027-05-{3 + day:02d}T{hour + end_minute // 60:02d}:{end_minute % 60:02d}",
            "status": "cancelled" if e % 37 == 0 else "confirmed",
            "venue": {"name": f"Hall {e % 7}", "address": "1 Campus Drive, Alderbrook",
                      "room": f"Room {e % 30}"},
            "attendees": [f"p{(e * 7 + k) % people}" for k in range(12)],
            "host": f"p{1 + (e % (people - 1))}", "dress_code": "Business",
            "notes": "Arrive ten minutes early; interpretation provided. " * 2})
    for g in range(10):
        doc["gifts"].append({"direction": "received", "from": "p0", "to": f"p{2 * g + 1}",
                             "description": "A framed lacquer painting", "value": 100 + g,
                             "currency": "USD", "date": "2027-05-04"})
    return doc


def _photo(seed: int) -> bytes:
    """A 1200 x 1600 JPEG (1.9 MP) with soft shapes and some grain, like a portrait."""
    from PIL import Image, ImageDraw, ImageFilter

    rnd = random.Random(seed)
    img = Image.new("RGB", (1200, 1600), (rnd.randint(60, 200), rnd.randint(60, 200), 180))
    draw = ImageDraw.Draw(img)
    draw.ellipse((350, 300, 850, 900), fill=(224, 186, 150))
    draw.rectangle((200, 950, 1000, 1600), fill=(40, 50, 80))
    noise = Image.effect_noise((1200, 1600), 18).convert("RGB")
    img = Image.blend(img, noise, 0.12).filter(ImageFilter.GaussianBlur(1))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=90)
    return out.getvalue()


def prepare(db_path: Path) -> None:
    """Create the benchmark database: the visit and 50 photos."""
    from protocol_app.services import Services

    services = Services.open(db_path, actor="bench")
    try:
        services.packages.import_bytes(json.dumps(bench_package()).encode(), "bench.json")
        from protocol_app.briefing.content import PRINCIPAL_ROLES

        visit = services.visits.get("bench-briefing")
        principals = [p for p in visit.participants if (p.side, p.role) in PRINCIPAL_ROLES]
        assert len(principals) >= PHOTOS, "the benchmark visit needs 50 principals"
        for index, participant in enumerate(principals[:PHOTOS]):  # all 50 are printed
            services.people.set_photo(participant.person_id, _photo(index))
    finally:
        services.close()


MAX_RATIO = 6.0
"""The book may take at most this many times raw reportlab's time for as many pages."""


def raw_reportlab_pages(pages: int, out: Path) -> tuple[int, float, float]:
    """Raw reportlab setting ``pages`` pages of plain text and tables: (pages, seconds,
    CPU seconds).

    The book's embedded text font, plain ``Paragraph`` and ``Table`` flowables, one
    ``build``: what the briefing book's own machinery (fallback fonts, bidi, shaping,
    contents, running headers) is measured against.
    """
    import time

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    from protocol_app.briefing.fonts import BASE_FAMILY, register_fonts

    register_fonts()
    started, started_cpu = time.perf_counter(), time.process_time()
    body = ParagraphStyle("RawBody", fontName=BASE_FAMILY, fontSize=9.5, leading=12.8)
    head = ParagraphStyle("RawHead", parent=body, fontSize=14, leading=18)
    grid = TableStyle([("FONT", (0, 0), (-1, -1), BASE_FAMILY, 8.5),
                       ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                       ("VALIGN", (0, 0), (-1, -1), "TOP")])
    story = []
    # each page: a heading, two paragraphs and a table of 12 rows, then a page break;
    # about 1,700 characters, as many as a page of the benchmark book holds
    for page in range(pages):
        story.append(Paragraph(f"Section {page}: working sessions", head))
        story.extend(Paragraph(_SENTENCE * 3, body) for _ in range(2))
        rows = [[f"{8 + row // 4:02d}:{row % 4 * 15:02d}",
                 Paragraph(f"Working session {row}: cooperation in research", body),
                 Paragraph("Hall 3, Room 12, 1 Campus Drive", body)] for row in range(12)]
        story.append(Table(rows, colWidths=(50, 220, 180), style=grid))
        story.append(PageBreak())
    doc = SimpleDocTemplate(str(out), pagesize=A4)
    doc.build(story)
    return doc.page, time.perf_counter() - started, time.process_time() - started_cpu


_CHILD = """
import json, resource, sys, time
from pathlib import Path
from protocol_app.services import Services
from protocol_app.briefing.book import build_briefing
from benchmarks.bench_briefing import raw_reportlab_pages
services = Services.open(sys.argv[1], actor="bench")
started, started_cpu = time.perf_counter(), time.process_time()
result = build_briefing(services, "bench-briefing", "internal", sys.argv[2],
                        office_name="Office of Protocol")
seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
raw_pages, raw_seconds, raw_cpu = raw_reportlab_pages(result.pages,
                                                      Path(sys.argv[2] + ".raw.pdf"))
print(json.dumps({"pages": result.pages, "seconds": seconds, "cpu": cpu,
                  "peak_mb": peak_kb / 1024, "warnings": len(result.warnings),
                  "raw_pages": raw_pages, "raw_seconds": raw_seconds, "raw_cpu": raw_cpu}))
"""


def measure(db_path: Path, out_pdf: Path) -> dict:
    """Build the book in a child process; its pages, seconds and peak memory."""
    completed = subprocess.run(
        [sys.executable, "-c", _CHILD, str(db_path), str(out_pdf)],
        capture_output=True, text=True, cwd=ROOT, timeout=600, check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"building the benchmark book failed:\n{completed.stderr}")
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    figures["bytes"] = out_pdf.stat().st_size
    return figures


def run() -> list[dict]:
    """The briefing book figures."""
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-briefing-") as tmp:
        db_path = Path(tmp) / "briefing.sqlite3"
        prepare(db_path)
        measure(db_path, Path(tmp) / "warm.pdf")  # warm the OS file cache (fonts)
        figures = measure(db_path, OUT / "briefing-internal.pdf")
    pages, seconds = figures["pages"], figures["seconds"]
    rate = pages / seconds
    raw_rate = figures["raw_pages"] / figures["raw_seconds"]
    # the book's CPU time per page over raw reportlab's (CPU time: on a shared machine
    # the wall-clock times of the two vary with the load, their CPU times much less)
    ratio = (figures["cpu"] / pages) / (figures["raw_cpu"] / figures["raw_pages"])
    size_mb = figures["bytes"] / (1024 * 1024)
    return [
        {"name": f"briefing book: pages ({PEOPLE} people, {EVENTS} events, {PHOTOS} photos)",
         "value": pages, "unit": "pp", "target": "≥ 100", "ok": pages >= 100},
        {"name": "briefing book: pages per second", "value": rate, "unit": "/s",
         "target": "≥ 20", "ok": rate >= 20},
        {"name": f"raw reportlab: pages per second ({figures['raw_pages']} pp, text and tables)",
         "value": raw_rate, "unit": "/s", "target": "(baseline)", "ok": True},
        {"name": "briefing book: CPU time per page / raw reportlab's", "value": ratio,
         "unit": "×", "target": f"≤ {MAX_RATIO:g}", "ok": ratio <= MAX_RATIO},
        {"name": "briefing book: peak memory (build process)", "value": figures["peak_mb"],
         "unit": "MB", "target": "≤ 400 MB", "ok": figures["peak_mb"] <= 400},
        {"name": "briefing book: file size", "value": size_mb, "unit": "MB",
         "target": "≤ 15 MB", "ok": size_mb <= 15},
    ]


if __name__ == "__main__":  # pragma: no cover
    for row in run():
        print(row)
