"""Reading PDFs back in the tests (pypdf)."""

from __future__ import annotations

from pypdf import PdfReader

#: The fonts every PDF reader has, which need not be embedded.
STANDARD_14 = {"Helvetica", "Helvetica-Bold", "Times-Roman", "Courier", "Symbol",
               "ZapfDingbats"}


def embedded_fonts(reader: PdfReader) -> dict[str, bool]:
    """Base font name -> whether its program is embedded (FontFile, FontFile2 or 3)."""
    found: dict[str, bool] = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        fonts = resources.get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            descriptors = [font.get("/FontDescriptor")]
            for child in font.get("/DescendantFonts") or []:
                descriptors.append(child.get_object().get("/FontDescriptor"))
            embedded = any(
                d is not None and any(k in d.get_object() for k in
                                      ("/FontFile", "/FontFile2", "/FontFile3"))
                for d in descriptors)
            found[str(font.get("/BaseFont"))] = embedded
    return found
