"""Portraits for the printed book: checked, upright, cropped and scaled to print size.

A stored photo is already a checked JPEG (:func:`protocol_app.images.normalize_photo`),
but the book reads whatever bytes it is given as untrusted: a decompression bomb or a
broken file is refused here too, and the book prints a placeholder and a warning in
its place instead of failing.

Each photo is cut to the frame's proportions (centred, a little above the middle, where
faces are) and scaled to :data:`PRINT_DPI` at its printed size, so that a 12-megapixel
snapshot does not make the PDF heavy, and embedded as a JPEG.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from protocol_app.briefing.styles import Colors
from protocol_app.briefing.text import draw_text
from protocol_app.images import MAX_FILE_BYTES, ImageRefused, open_image

__all__ = [
    "PRINT_DPI",
    "PhotoError",
    "PhotoFrame",
    "PreparedPhoto",
    "prepare_photo",
]

#: Resolution of photos in the PDF at their printed size.
PRINT_DPI = 300
_JPEG_QUALITY = 85


class PhotoError(ValueError):
    """A photo that cannot be printed; the message says why, for a warning."""


@dataclass(frozen=True, slots=True)
class PreparedPhoto:
    """A photo ready for the page: JPEG bytes at print resolution and pixel size."""

    jpeg: bytes
    width_px: int
    height_px: int


def prepare_photo(
    data: bytes, width_pt: float, height_pt: float, *, dpi: int = PRINT_DPI
) -> PreparedPhoto:
    """Crop ``data`` to ``width_pt`` x ``height_pt`` and scale it to ``dpi`` there.

    EXIF orientation is applied; images larger than
    :data:`protocol_app.images.MAX_PIXELS` (decompression bombs among them), files over
    :data:`protocol_app.images.MAX_FILE_BYTES` and anything Pillow cannot read are
    refused with :class:`PhotoError`. A smaller image is never scaled up.
    """
    if not data:
        raise PhotoError("the photo is empty")
    target_w = max(1, round(width_pt / 72 * dpi))
    target_h = max(1, round(height_pt / 72 * dpi))
    try:
        rgb = open_image(data, draft_size=(target_w * 2, target_h * 2))
    except ImageRefused as exc:
        raise PhotoError(_refusal_message(exc)) from None
    fitted = _cover(rgb, target_w, target_h)
    out = io.BytesIO()
    fitted.save(out, format="JPEG", quality=_JPEG_QUALITY, optimize=True)
    return PreparedPhoto(out.getvalue(), fitted.width, fitted.height)


def _refusal_message(exc: ImageRefused) -> str:
    """The book's warning wording for a photo :func:`open_image` refused."""
    if exc.reason == "file_too_large":
        return f"the photo is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"
    if exc.reason == "too_large":
        return (f"the photo is too large to be a portrait ({exc.width}×{exc.height} "
                "pixels); it was refused as a possible decompression bomb")
    if exc.reason == "bomb":
        return ("the photo was refused as a possible decompression bomb (it claims more "
                f"than {Image.MAX_IMAGE_PIXELS:,} pixels)")
    if exc.reason == "not_an_image":
        return "the photo is not an image file Pillow can read"
    return f"the photo cannot be read ({exc.detail})"


def _cover(img: Image.Image, target_w: int, target_h: int) -> Image.Image:
    """``img`` cropped to the target's proportions and scaled down to at most its size.

    Portraits are cut a little above the centre (faces sit in the upper half).
    """
    aspect = target_w / target_h
    width, height = img.size
    if width / height > aspect:  # too wide: cut the sides
        new_w = max(1, round(height * aspect))
        left = (width - new_w) // 2
        box = (left, 0, left + new_w, height)
    else:  # too tall: cut more below than above
        new_h = max(1, round(width / aspect))
        top = round((height - new_h) * 0.3)
        box = (0, top, width, top + new_h)
    cropped = img.crop(box)
    if cropped.width > target_w:
        cropped = cropped.resize((target_w, target_h), Image.Resampling.LANCZOS)
    return cropped


class PhotoFrame(Flowable):
    """A portrait of a fixed printed size, or a placeholder with the person's initials.

    The placeholder is drawn (a tinted box, initials, "No photo" or "Photo not
    printable"), never an empty frame; the book adds a warning for a refused photo.
    """

    def __init__(
        self,
        width: float,
        height: float,
        photo: PreparedPhoto | None,
        initials: str = "",
        *,
        refused: bool = False,
    ) -> None:
        super().__init__()
        self.width = width
        self.height = height
        self.photo = photo
        self.initials = initials
        self.refused = refused
        self._reader = ImageReader(io.BytesIO(photo.jpeg)) if photo is not None else None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """The frame's fixed size."""
        return self.width, self.height

    def draw(self) -> None:
        """Draw the photo, or the placeholder."""
        canvas: Canvas = self.canv
        if self._reader is not None:
            canvas.drawImage(self._reader, 0, 0, self.width, self.height)
            canvas.setStrokeColor(Colors.RULE)
            canvas.setLineWidth(0.5)
            canvas.rect(0, 0, self.width, self.height, stroke=1, fill=0)
            return
        canvas.saveState()
        canvas.setFillColor(Colors.HEADER_FILL)
        canvas.setStrokeColor(Colors.RULE)
        canvas.setLineWidth(0.5)
        canvas.rect(0, 0, self.width, self.height, stroke=1, fill=1)
        canvas.setFillColor(Colors.FAINT)
        if self.initials:
            draw_text(canvas, self.width / 2, self.height / 2 + 2, self.initials,
                      min(28.0, self.width / 3), bold=True, align="center")
        caption = "Photo not printable" if self.refused else "No photo"
        draw_text(canvas, self.width / 2, 9, caption, 7, align="center")
        canvas.restoreState()
