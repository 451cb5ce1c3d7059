"""Photos: checked, oriented and scaled with Pillow before they are stored or printed."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from protocol_app.errors import FieldProblem, ValidationError

#: Larger images are refused outright (a decompression bomb, or simply not a portrait).
MAX_PIXELS = 40_000_000
#: Stored photos are at most this many pixels on their long side (print at ~300 dpi, 10 cm).
STORED_LONG_SIDE = 1200
MAX_FILE_BYTES = 30 * 1024 * 1024


def normalize_photo(data: bytes, *, long_side: int = STORED_LONG_SIDE) -> bytes:
    """A photo as a JPEG, upright (EXIF orientation applied) and at most ``long_side``
    pixels long.  Refuses what is not an image, too large, or a decompression bomb."""
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError([FieldProblem("photo", "is larger than 30 MB")])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                if img.width * img.height > MAX_PIXELS:
                    raise ValidationError(
                        [FieldProblem("photo", f"is too large ({img.width}×{img.height} pixels)")]
                    )
                img.load()
                upright = ImageOps.exif_transpose(img)
                rgb = upright.convert("RGB")
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        reason = ("too many pixels: refused as a possible decompression bomb"
                  if not isinstance(exc, UnidentifiedImageError)
                  else "not a JPEG, PNG or other image format Pillow reads")
        raise ValidationError([FieldProblem("photo", f"is not a usable image ({reason})")]
                              ) from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise ValidationError([FieldProblem("photo", f"cannot be read: {exc}")]) from None
    rgb.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    rgb.save(out, format="JPEG", quality=88, optimize=True)
    return out.getvalue()
