"""The screen and the paper draw seats from one palette (protocol_app.rules.seat_style):
the seating page's items are painted in the style's colours, and the seating PDF's seat
circles are filled with them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QUndoStack

from protocol_app.briefing.cards import write_seating_pdf
from protocol_app.briefing.seating_chart import SEAT_R as PDF_SEAT_R
from protocol_app.rules.seat_style import SeatStyle, style_of_seat
from protocol_app.services.protocol import SeatingPlanView, SeatView, has_dietary_need
from tests.support.demo_refs import AS_MEAL, RECEPTION
from ui.seating.geometry import SEAT_R
from ui.seating.page import SeatingView


def expected_style(place: SeatView) -> SeatStyle:
    dietary = place.person is not None and has_dietary_need(place.person.dietary)
    return style_of_seat(place, dietary=dietary)


@pytest.fixture
def plan(demo_services) -> SeatingPlanView:
    """The reception's plan: host, guest of honour, co-host, host side, guests and an
    empty seat at one table."""
    view = demo_services.seating.plan_seating(RECEPTION, "r04", options=AS_MEAL)
    kinds = {expected_style(p).kind for p in view.tables[0].places}
    assert kinds == {"host", "guest_of_honour", "cohost", "host_side", "guest", "empty"}
    return view


def hex_of(color: QColor) -> str:
    return color.name(QColor.NameFormat.HexRgb)


def test_the_seating_page_paints_seats_in_the_styles_colours(qtbot, demo_services,
                                                              plan) -> None:
    view = SeatingView(demo_services, QUndoStack())
    qtbot.addWidget(view)
    view.set_visit(demo_services.visits.get(RECEPTION))
    view.set_event("r04")
    assert [p.person for p in view.plan.tables[0].places] == \
        [p.person for p in plan.tables[0].places]
    for place in plan.tables[0].places:
        item = view.seat_item(place.table, place.seat)
        look = expected_style(place)
        assert item.look == look
        # draw the seat alone and read its fill back, beside the number and the marks
        image = QImage(60, 60, QImage.Format.Format_RGB32)
        image.fill(Qt.GlobalColor.magenta)
        painter = QPainter(image)
        centre = item.scenePos()
        view.scene.render(painter, QRectF(0, 0, 60, 60),
                          QRectF(centre - QPointF(30, 30), centre + QPointF(30, 30)))
        painter.end()
        sample = QPointF(30 - SEAT_R * 0.5, 30 + SEAT_R * 0.5)
        assert hex_of(image.pixelColor(sample.toPoint())) == look.fill, place
        # the outline, straight above the centre
        ring = image.pixelColor(30, round(30 - SEAT_R))
        if not look.dashed:
            assert abs(ring.red() - QColor(look.border).red()) < 60, place


def seat_fills(page) -> list[str]:
    """The fill colour of every circle of a seat's radius drawn on the page, in order."""
    operations = ContentStream(page.get_contents(), page.pdf).operations
    fill, stack, path = "#000000", [], []
    found: list[str] = []
    for operands, operator in operations:
        if operator == b"rg":
            fill = "#" + "".join(f"{round(float(v) * 255):02x}" for v in operands)
        elif operator == b"q":
            stack.append(fill)
        elif operator == b"Q":
            fill = stack.pop()
        elif operator in (b"m", b"c", b"l"):
            path.extend(zip(operands[0::2], operands[1::2], strict=True))
        elif operator in (b"B", b"b", b"f", b"F", b"S", b"s", b"n", b"B*", b"f*"):
            xs = [float(x) for x, _ in path]
            ys = [float(y) for _, y in path]
            if path and operator in (b"B", b"b", b"f", b"F", b"B*", b"f*") \
                    and abs((max(xs) - min(xs)) / 2 - PDF_SEAT_R) < 0.01 \
                    and abs((max(ys) - min(ys)) / 2 - PDF_SEAT_R) < 0.01:
                found.append(fill)
            path = []
    return found


def test_the_seating_pdf_fills_seats_in_the_styles_colours(plan, tmp_path: Path) -> None:
    target = tmp_path / "chart.pdf"
    write_seating_pdf(target, plan, parts=("chart",))
    page = PdfReader(str(target)).pages[0]
    fills = seat_fills(page)
    expected = [expected_style(p).fill for p in plan.tables[0].places]
    assert len(fills) == len(expected) == 14
    assert Counter(fills) == Counter(expected)
    assert "#f7f7f7" not in fills  # the empty seat is white on paper as on screen


def test_the_pdf_seat_pixels_match_the_palette(plan, tmp_path: Path) -> None:
    """Rasterized (pypdfium2), the page shows each kind of seat's fill."""
    pdfium = pytest.importorskip("pypdfium2")
    target = tmp_path / "chart.pdf"
    write_seating_pdf(target, plan, parts=("chart",))
    image = pdfium.PdfDocument(str(target))[0].render(scale=2).to_pil().convert("RGB")
    colours = Counter(f"#{r:02x}{g:02x}{b:02x}" for r, g, b in image.get_flattened_data())
    for place in plan.tables[0].places:
        look = expected_style(place)
        assert colours[look.fill] > 50, (place.seat, look.kind, look.fill)
