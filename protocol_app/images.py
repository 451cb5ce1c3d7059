"""Photos: checked, oriented and scaled with Pillow before they are stored or printed."""

from __future__ import annotations

import io
import warnings
from typing import Literal

from PIL import Image, ImageOps, UnidentifiedImageError

from protocol_app.errors import FieldProblem, ValidationError

#: Larger images are refused outright (a decompression bomb, or simply not a portrait).
MAX_PIXELS = 40_000_000
#: Stored photos are at most this many pixels on their long side (print at ~300 dpi, 10 cm).
STORED_LONG_SIDE = 1200
MAX_FILE_BYTES = 30 * 1024 * 1024

#: Why :func:`open_image` refused some bytes.
RefusalReason = Literal["file_too_large", "too_large", "bomb", "not_an_image", "unreadable"]


class ImageRefused(Exception):
    """Bytes that :func:`open_image` will not open; each caller words its own message.

    ``reason`` says why: ``"file_too_large"`` (over :data:`MAX_FILE_BYTES`),
    ``"too_large"`` (over :data:`MAX_PIXELS`; ``width`` and ``height`` are set),
    ``"bomb"`` (Pillow's own decompression-bomb guard), ``"not_an_image"`` (no format
    Pillow reads) or ``"unreadable"`` (a broken file; ``detail`` is the underlying error).
    """

    def __init__(self, reason: RefusalReason, *, width: int = 0, height: int = 0,
                 detail: str = "") -> None:
        super().__init__(detail or reason)
        self.reason: RefusalReason = reason
        self.width = width
        self.height = height
        self.detail = detail


def open_image(data: bytes, *, draft_size: tuple[int, int] | None = None) -> Image.Image:
    """``data`` opened as untrusted input: loaded, upright (EXIF orientation applied), RGB.

    Refuses with :class:`ImageRefused` files over :data:`MAX_FILE_BYTES`, images over
    :data:`MAX_PIXELS`, decompression bombs (Pillow's warning is treated as an error)
    and anything Pillow cannot read. ``draft_size`` lets a JPEG decode at a reduced
    scale that is still at least that size (far faster for big photos).
    """
    if len(data) > MAX_FILE_BYTES:
        raise ImageRefused("file_too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                if img.width * img.height > MAX_PIXELS:
                    raise ImageRefused("too_large", width=img.width, height=img.height)
                if draft_size is not None:
                    img.draft("RGB", draft_size)
                img.load()
                upright = ImageOps.exif_transpose(img)
                return upright if upright.mode == "RGB" else upright.convert("RGB")
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefused("bomb") from None
    except UnidentifiedImageError:
        raise ImageRefused("not_an_image") from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ImageRefused("unreadable", detail=str(exc)) from None


def normalize_photo(data: bytes, *, long_side: int = STORED_LONG_SIDE) -> bytes:
    """A photo as a JPEG, upright (EXIF orientation applied) and at most ``long_side``
    pixels long.  Refuses what is not an image, too large, or a decompression bomb."""
    try:
        rgb = open_image(data)
    except ImageRefused as exc:
        raise ValidationError([FieldProblem("photo", _refusal_message(exc))]) from None
    rgb.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    rgb.save(out, format="JPEG", quality=88, optimize=True)
    return out.getvalue()


def _refusal_message(exc: ImageRefused) -> str:
    """The form-field wording for a photo :func:`open_image` refused."""
    if exc.reason == "file_too_large":
        return "is larger than 30 MB"
    if exc.reason == "too_large":
        return f"is too large ({exc.width}×{exc.height} pixels)"
    if exc.reason == "bomb":
        return "is not a usable image (too many pixels: refused as a possible decompression bomb)"
    if exc.reason == "not_an_image":
        return "is not a usable image (not a JPEG, PNG or other image format Pillow reads)"
    return f"cannot be read: {exc.detail}"
