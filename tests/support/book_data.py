"""A hostile visit for the briefing book tests: the ministerial demo visit plus names in
many scripts, markup in titles and notes, newlines, emoji, a 10,000-character biography,
marker strings in every sensitive field (people's notes, events' internal notes), a
cancelled event and photos (a plain JPEG,
one with an EXIF orientation, and the bytes of a broken file and of a decompression bomb
to serve in place of two stored photos)."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from protocol_app.resources import resource_path

VISIT = "vn-moet-minister-2027"

MEDICAL = "MEDICAL-MARKER-7f3a"
SECURITY = "SECURITY-MARKER-91c2"
PROTOCOL = "PROTOCOL-MARKER-4d1e"
INTERNAL = "INTERNAL-NOTE-MARKER-3e8b"
#: Events given internal notes (the cancelled boat trip among them).
INTERNAL_NOTE_EVENTS = ("e05", "e16", "e17")

HOSTILE_TITLE = "Courtesy call & talks <b>not bold</b> <i>x</i>"
HOSTILE_NOTE = (
    'See <img src="http://example.invalid/x.png"> and '
    '<a href="http://example.invalid/">the link</a>\n'
    "Second line: R&D < 3 > 2\n"
    "שלום עליכם and مرحبا\n"
    "Emoji: 😀 end"
)
CANCELLED_TITLE = "Cancelled-event-marker: boat trip"
LONG_BIO = ("Biography sentence with Latin words and Ελληνικά and русский. " * 160)[:10_000]

#: (ref, family name, given name, native name, country, name order) of the added guests.
ADDED_PEOPLE: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("x-arabic", "Al-Rashid", "Mohammed", "محمد الراشد", "JO", "given_first"),
    ("x-greek", "Papadopoulou", "Eleni", "Ελένη Παπαδοπούλου", "GR", "given_first"),
    ("x-cyrillic", "Ivanov", "Vladimir", "Владимир Иванов", "RU", "given_first"),
    ("x-japanese", "Tanaka", "Haruto", "田中 陽翔", "JP", "family_first"),
    ("x-devanagari", "Sharma", "Priya", "प्रिया शर्मा", "IN", "given_first"),
    ("x-hebrew", "Cohen", "Yosef", "יוסף כהן", "IL", "given_first"),
    ("x-emoji", "Smiley", "Sam", "Sam 😀 Smiley", "GB", "given_first"),
)

#: Strings that must appear in every book's extracted text (NFKC), by script.
NAMES_IN_TEXT: dict[str, str] = {
    "latin": "MERCER",
    "vietnamese": "Nguyễn Thị Mai Phương",
    "greek": "Ελένη Παπαδοπούλου",
    "cyrillic": "Владимир Иванов",
    "chinese": "林怡君",
    "japanese": "田中 陽翔",
    "hebrew": "יוסף כהן",
    "arabic": "محمد الراشد",
}


@dataclass
class PhotoFixtures:
    """Which stored photo is which, and the bytes the tests serve in place of two."""

    normal: str = "vn-minister"
    exif: str = "x-greek"
    broken: str = "x-cyrillic"
    bomb: str = "x-japanese"
    ids: dict[str, int] = field(default_factory=dict)


def jpeg(size: tuple[int, int] = (900, 1200), color: tuple[int, int, int] = (200, 150, 120),
         *, orientation: int | None = None) -> bytes:
    """A JPEG; with ``orientation``, its EXIF orientation tag."""
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    if orientation is None:
        image.save(out, format="JPEG", quality=85)
    else:
        exif = Image.Exif()
        exif[0x0112] = orientation
        image.save(out, format="JPEG", quality=85, exif=exif.tobytes())
    return out.getvalue()


def two_colour_jpeg(*, orientation: int) -> bytes:
    """A 400 x 200 JPEG, left half red and right half blue, with an EXIF orientation.

    Orientation 6 means "rotate 90° clockwise to show": shown upright it is 200 x 400,
    red on top and blue below."""
    image = Image.new("RGB", (400, 200), (220, 20, 20))
    image.paste((20, 20, 220), (200, 0, 400, 200))
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95, exif=exif.tobytes())
    return out.getvalue()


def broken_image() -> bytes:
    """The start of a JPEG, cut off: not an image anyone can decode."""
    return jpeg()[:300]


def decompression_bomb() -> bytes:
    """A small PNG that claims 12,000 x 12,000 pixels (144 megapixels)."""
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def hostile_package() -> dict[str, Any]:
    """The ministerial demo package with the hostile additions."""
    doc = json.loads(resource_path("demo", "ministerial-delegation.json").read_text("utf-8"))
    visit = doc["visit"]
    visit["purpose"] += "\nSecond line of the purpose & <b>markup</b>."
    for person in doc["people"]:
        person["medical"] = f"{MEDICAL} {person.get('medical', '')}".strip()
        person["security"] = f"{SECURITY} {person.get('security', '')}".strip()
        person["protocol_notes"] = f"{PROTOCOL} {person.get('protocol_notes', '')}".strip()
    for ref, family, given, native, country, order in ADDED_PEOPLE:
        doc["people"].append({
            "ref": ref, "family_name": family, "given_name": given, "native_name": native,
            "country": country, "name_order": order, "gender": "female",
            "position": "Adviser to the Minister", "organization": "Partner Ministry",
            "email": f"{ref}@example.org", "rank": "senior_official",
            "languages": ["en", "ar-JO"] if ref == "x-arabic" else ["en"],
            "dietary": "Halal 🍖" if ref == "x-emoji" else "None",
            "medical": f"{MEDICAL} note", "security": f"{SECURITY} note",
            "protocol_notes": f"{PROTOCOL} note <script>alert(1)</script>",
            "bio": LONG_BIO if ref == "x-greek" else f"Biography of {given} & co.\nLine 2.",
        })
        doc["delegation"].append({"person": ref, "side": "guest", "role": "member"})
    for event in doc["events"]:
        if event["ref"] == "e05":
            event["title"] = HOSTILE_TITLE
        if event["ref"] == "e06":
            event["notes"] = HOSTILE_NOTE
        if event["ref"] == "e16":
            event["title"] = CANCELLED_TITLE
            event["status"] = "cancelled"
        if event["kind"] == "meeting":
            # the added advisers come from several countries, which would make the
            # delegation a diplomatic corps and its meetings attendees only: these
            # books test the layout, so the meetings stay on the whole programme
            event["visibility"] = "all"
        if event["ref"] in INTERNAL_NOTE_EVENTS:
            event["internal_notes"] = (f"{INTERNAL} {event['ref']}: seat the Minister away "
                                       "from the <b>press</b> & keep Hall B as fallback")
    return doc


def load_hostile_visit(services: Any) -> PhotoFixtures:
    """Import the hostile visit and store the photos; returns who has which photo."""
    services.packages.import_bytes(json.dumps(hostile_package()).encode(), "hostile.json")
    visit = services.visits.get(VISIT)
    refs = {p.ref: p.person_id for p in visit.participants}
    photos = PhotoFixtures(ids=refs)
    services.people.set_photo(refs[photos.normal], jpeg())
    services.people.set_photo(refs[photos.exif], two_colour_jpeg(orientation=6))
    # two more stored photos, served as broken bytes and as a bomb by serve_bad_photos
    services.people.set_photo(refs[photos.broken], jpeg())
    services.people.set_photo(refs[photos.bomb], jpeg())
    return photos


def serve_bad_photos(services: Any, photos: PhotoFixtures, monkeypatch: Any) -> None:
    """Make the people service hand out a broken file and a bomb for two people."""
    real = services.people.photo
    bad = {photos.ids[photos.broken]: broken_image(),
           photos.ids[photos.bomb]: decompression_bomb()}

    def photo(person_id: int) -> bytes | None:
        return bad[person_id] if person_id in bad else real(person_id)

    monkeypatch.setattr(services.people, "photo", photo)
