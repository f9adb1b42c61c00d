"""Turning an uploaded photo into a safe one: decoded, checked, turned upright, shrunk, re-encoded.

Nothing of the original file survives but its pixels: no EXIF, no GPS, no XMP, no ICC profile,
no comments, no maker notes. The format is what Pillow decodes, never what the name says.
"""

from __future__ import annotations

import io
import os
import threading
import warnings
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
# What the file picker offers (camera or gallery): the same four kinds, by type and by file name.
PHOTO_TYPES = "image/jpeg,image/png,image/webp,image/heic,image/heif,.jpg,.jpeg,.png,.webp,.heic,.heif"
# What a photo may cost is known from its header, before a single pixel is decoded, so the
# most pixels a photo may have depends on what decoding its format costs (bench/photo_pipeline.py
# measures it). Most JPEGs are decoded at 1/2, 1/4 or 1/8 of their size (see process), but a
# progressive one keeps every coefficient in memory while decoding (about 7 bytes a pixel at its
# peak), as HEIC does: both up to the 24 megapixels of today's phones' photos. PNG and WebP
# (screenshots, drawings) are decoded whole and may be transparent, which takes a second
# full-size copy to shrink (about 10 bytes a pixel for PNG, 15 for WebP): fewer. Each photo then
# costs at most about 200 MB while it is processed, and under a second; and only one photo per
# core is processed at a time (see decoding).
PIXEL_LIMITS = {"JPEG": 25_000_000, "HEIF": 25_000_000, "PNG": 16_000_000, "WEBP": 12_000_000}
MAX_PIXELS = max(PIXEL_LIMITS.values())
LONG_SIDE = 1600
THUMB_SIDE = 320
JPEG_QUALITY = 85



@cache
def _pillow() -> None:
    """Pillow loaded and made ready when the first photo comes, not while a server starts: HEIC opened,
    and Pillow's own guard for any picture opened in this app, a warning past MAX_PIXELS and an error
    past twice it."""
    import pillow_heif
    from PIL import Image

    pillow_heif.register_heif_opener()
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# One photo per core is decoded, shrunk and encoded at a time, whatever the number of uploads:
# more would not finish sooner (the work is all processor) but would each hold their full-size
# picture in memory at once. The others wait their turn holding only the file they sent.
decoding = threading.BoundedSemaphore(_cores())

# What EXIF orientation each turn undoes (as ImageOps.exif_transpose does), applied after shrinking,
# when there are fewer pixels to turn.
# (Names of Image.Transpose.)
_UPRIGHT = {
    2: "FLIP_LEFT_RIGHT",
    3: "ROTATE_180",
    4: "FLIP_TOP_BOTTOM",
    5: "TRANSPOSE",
    6: "ROTATE_270",
    7: "TRANSVERSE",
    8: "ROTATE_90",
}
# Shrinking goes in two steps: averaging whole blocks of pixels (Image.reduce, the cheapest way
# down) to just above the size wanted, then averaging the area each new pixel covers (BOX) for the
# last step of less than 2x: smooth that close to the end, at a third of the cost of LANCZOS.
_SHRINK_FILTER = "BOX"  # of Image.Resampling
_REDUCING_GAP = 1.0


class PhotoRejected(ValueError):
    """The upload is not a photo we can take. `reason` is a key the view turns into words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ProcessedPhoto:
    image: bytes
    thumbnail: bytes
    width: int
    height: int
    mime_type: str = "image/jpeg"


def _encode(image: Image.Image) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    # A fresh image carries no info dict, so no metadata can be copied into the file.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    # A plain (baseline) JPEG: the optimised, progressive one is a tenth smaller and takes four times as long.
    clean.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """The picture on white, in a mode a JPEG holds in colour (a JPEG's own YCbCr is kept as it is)."""
    from PIL import Image

    if image.mode in ("RGBA", "LA"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image.convert("RGBA"), mask=image.getchannel("A"))
        return background
    return image if image.mode in ("RGB", "YCbCr") else image.convert("RGB")


def _resizable(image: Image.Image) -> Image.Image:
    """The picture in a mode the resampler shrinks smoothly (it only picks pixels in "1" and "P")."""
    if image.mode in ("RGB", "YCbCr", "RGBA", "L", "LA"):
        return image
    if image.mode == "PA" or (image.mode == "P" and "transparency" in image.info):
        return image.convert("RGBA")
    return image.convert("RGB")


def pixel_limit(image_format: str | None) -> int:
    """The most pixels a photo in this format may have."""
    return PIXEL_LIMITS.get(image_format or "", min(PIXEL_LIMITS.values()))


def _draft_scale(width: int, height: int, long_side: int) -> int:
    """The most a JPEG can be shrunk while decoding (1/8, 1/4 or 1/2) and still be long_side long."""
    longest = max(width, height)
    return next((scale for scale in (8, 4, 2) if -(-longest // scale) >= long_side), 1)


def _shrunk(image: Image.Image, side: int) -> Image.Image:
    """The picture fitting in side x side, its shape kept; never made bigger."""
    from PIL import Image

    ratio = side / max(image.size)
    if ratio >= 1:
        return image
    size = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
    return image.resize(size, Image.Resampling[_SHRINK_FILTER], reducing_gap=_REDUCING_GAP)


def process(data: bytes, *, long_side: int = LONG_SIDE) -> ProcessedPhoto:
    """Check and clean an uploaded photo, its long side at most long_side. Raises PhotoRejected with a reason key."""
    if not data:
        raise PhotoRejected("empty")
    with decoding:
        return _process(data, long_side)


def _process(data: bytes, long_side: int) -> ProcessedPhoto:
    _pillow()
    from PIL import ExifTags, Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; we refuse outright.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as opened:
                # Only the header is read so far: refuse a photo too costly to decode before decoding it.
                if opened.width * opened.height > pixel_limit(opened.format):
                    raise PhotoRejected("too_many_pixels")
                turned = _UPRIGHT.get(opened.getexif().get(ExifTags.Base.Orientation, 1))
                turn = Image.Transpose[turned] if turned is not None else None
                if opened.format == "JPEG":
                    # Decode a big JPEG at the smallest scale (1/2, 1/4, 1/8) that still leaves its
                    # long side at least long_side: far less memory and time. Its colours stay in
                    # the JPEG's own YCbCr, which the JPEG written from them holds as they are.
                    scale = _draft_scale(opened.width, opened.height, long_side)
                    opened.draft("YCbCr", (opened.width // scale, opened.height // scale))
                opened.load()
                # Shrink first, so the full-size picture is let go before any other copy is made.
                picture = _shrunk(_resizable(opened), long_side)
            upright = picture.transpose(turn) if turn is not None else picture
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise PhotoRejected("too_many_pixels") from error
    except UnidentifiedImageError as error:
        raise PhotoRejected("not_an_image") from error
    except (OSError, SyntaxError, ValueError) as error:
        if isinstance(error, PhotoRejected):
            raise
        raise PhotoRejected("broken") from error

    try:
        picture = _flatten(upright)
        thumb = _shrunk(picture, THUMB_SIDE)
        return ProcessedPhoto(image=_encode(picture), thumbnail=_encode(thumb), width=picture.width, height=picture.height)
    except (OSError, ValueError) as error:  # a mode or size that opened but cannot be turned into a photo
        raise PhotoRejected("broken") from error


# --- Drawings made on the phone's screen: kept as PNG, which holds their flat colours and sharp
# lines better and smaller than JPEG, and still carries nothing but the pixels.
DRAWING_SIDE = 1200


def _encode_png(image: Image.Image) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    # A fresh image carries no info dict: no text chunks, no time, no ICC profile reach the file.
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    clean.save(out, "PNG", optimize=True)
    return out.getvalue()


def process_drawing(data: bytes) -> ProcessedPhoto:
    """Check and clean a drawing sent from the drawing page: a PNG only, flattened on white, re-encoded as PNG."""
    if not data:
        raise PhotoRejected("empty")
    with decoding:
        return _process_drawing(data)


def _process_drawing(data: bytes) -> ProcessedPhoto:
    _pillow()
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=("PNG",)) as opened:
                if opened.width * opened.height > pixel_limit("PNG"):
                    raise PhotoRejected("too_many_pixels")
                opened.load()
                picture = _resizable(opened)
                picture.thumbnail((DRAWING_SIDE, DRAWING_SIDE), Image.Resampling.LANCZOS)
                flat = _flatten(picture)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise PhotoRejected("too_many_pixels") from error
    except UnidentifiedImageError as error:
        raise PhotoRejected("not_an_image") from error
    except (OSError, SyntaxError, ValueError) as error:
        if isinstance(error, PhotoRejected):
            raise
        raise PhotoRejected("broken") from error
    thumb = flat.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    return ProcessedPhoto(
        image=_encode_png(flat), thumbnail=_encode_png(thumb), width=flat.width, height=flat.height, mime_type="image/png"
    )
