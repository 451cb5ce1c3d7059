"""The gift register of a period, written as PDF (reportlab, the books' fonts and
styles) or as CSV (safe against formula injection: :func:`protocol_app.services.gifts.
register_csv`).  ``protocol-app gifts register --from DATE --to DATE --out FILE``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from protocol_app import formatting
from protocol_app.files import write_private
from protocol_app.services.gifts import GiftRegister, GiftService, register_csv


def write_gift_register(gifts: GiftService, date_from: date, date_to: date, path: Path,
                        *, office_name: str = "Office of Protocol") -> GiftRegister:
    """Write the register of ``date_from``..``date_to`` to ``path``: CSV when its name
    ends in ``.csv``, PDF otherwise.  Returns the register written."""
    register = gifts.register(date_from, date_to)
    if Path(path).suffix.lower() == ".csv":
        write_private(path, register_csv(register))
    else:
        write_private(path, register_pdf(register, office_name))
    return register


def register_pdf(register: GiftRegister, office_name: str) -> bytes:
    """The register as a landscape A4 PDF: one row per gift, the gifts to declare marked."""
    import io

    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Table

    from protocol_app.briefing.styles import grid_style, styles
    from protocol_app.briefing.text import user_paragraph

    st = styles()
    period = formatting.format_date_range(register.date_from, register.date_to)
    story: list = [
        user_paragraph(office_name, st.section_kicker),
        user_paragraph(f"Gift register, {period}", st.section),
        user_paragraph(f"Declaration threshold: {register.policy.describe()}"
                       + ("" if register.policy.active else " (none set in the settings)"),
                       st.body),
    ]
    head = ["Date", "Visit", "Direction", "Gift", "From", "To", "Value",
            f"In {register.policy.currency or '—'}", "Declare"]
    rows = [[user_paragraph(h, st.cell_head) for h in head]]
    flagged = 0
    for r in register.rows:
        g, a = r.gift, r.assessment
        flag = {"declare": "DECLARE", "check": f"Check: {a.note}", "": ""}[r.flag]
        flagged += r.flag == "declare"
        cells = [formatting.format_date(g.date, short=True), r.visit, g.direction,
                 g.description, r.giver, r.recipient,
                 "" if g.value is None else f"{g.value:,.2f} {g.currency}",
                 "" if a.converted is None else f"{a.converted:,.2f}", flag]
        rows.append([user_paragraph(c, st.cell_bold if i == 8 else st.cell)
                     for i, c in enumerate(cells)])
    if len(rows) == 1:
        story.append(user_paragraph("No gift is dated in this period.", st.muted))
    else:
        widths = [22, 30, 18, 62, 32, 32, 28, 20, 29]  # 273 mm: landscape A4's text width
        table = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1)
        table.setStyle(grid_style(rows=len(rows)))
        story.append(table)
    story.append(user_paragraph(
        f"{len(register.rows)} gift{'s' if len(register.rows) != 1 else ''}; "
        f"{flagged} must be declared."
        + (f" {register.undated} gifts without a date are in no period."
           if register.undated else ""), st.muted))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=12 * mm,
                            rightMargin=12 * mm, topMargin=14 * mm, bottomMargin=14 * mm,
                            title=f"Gift register {period}", author=office_name)
    doc.build(story)
    return buffer.getvalue()
