"""Turning an uploaded photo into a safe one: decoded, checked, turned upright, shrunk, re-encoded.

Nothing of the original file survives but its pixels: no EXIF, no GPS, no XMP, no ICC profile,
no comments, no maker notes. The format is what Pillow decodes, never what the name says.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError

pillow_heif.register_heif_opener()

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
# costs at most about 200 MB while it is processed, and under a second.
PIXEL_LIMITS = {"JPEG": 25_000_000, "HEIF": 25_000_000, "PNG": 16_000_000, "WEBP": 12_000_000}
MAX_PIXELS = max(PIXEL_LIMITS.values())
LONG_SIDE = 1600
THUMB_SIDE = 320
JPEG_QUALITY = 85

# Pillow's own guard for any picture opened in this app: a warning past this, an error past twice it.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


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
    out = io.BytesIO()
    # A fresh image carries no info dict, so no metadata can be copied into the file.
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image.convert("RGBA"), mask=image.getchannel("A"))
        return background
    return image if image.mode == "RGB" else image.convert("RGB")


def _resizable(image: Image.Image) -> Image.Image:
    """The picture in a mode the resampler shrinks smoothly (it only picks pixels in "1" and "P")."""
    if image.mode in ("RGB", "RGBA", "L", "LA"):
        return image
    if image.mode == "PA" or (image.mode == "P" and "transparency" in image.info):
        return image.convert("RGBA")
    return image.convert("RGB")


def pixel_limit(image_format: str | None) -> int:
    """The most pixels a photo in this format may have."""
    return PIXEL_LIMITS.get(image_format or "", min(PIXEL_LIMITS.values()))


def process(data: bytes, *, long_side: int = LONG_SIDE) -> ProcessedPhoto:
    """Check and clean an uploaded photo, its long side at most long_side. Raises PhotoRejected with a reason key."""
    if not data:
        raise PhotoRejected("empty")
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; we refuse outright.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as opened:
                # Only the header is read so far: refuse a photo too costly to decode before decoding it.
                if opened.width * opened.height > pixel_limit(opened.format):
                    raise PhotoRejected("too_many_pixels")
                if opened.format == "JPEG":
                    # Decode big JPEGs at a reduced scale (1/2, 1/4, 1/8) that still leaves the
                    # long side at least LONG_SIDE: far less memory and time.
                    ratio = long_side / max(opened.size)
                    if ratio < 1:
                        opened.draft("RGB", (int(opened.width * ratio) + 1, int(opened.height * ratio) + 1))
                opened.load()
                # Shrink first, so the full-size picture is let go before any other copy is made.
                picture = _resizable(opened)
                picture.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
                upright = ImageOps.exif_transpose(picture)
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
        thumb = picture.copy()
        thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
        return ProcessedPhoto(image=_encode(picture), thumbnail=_encode(thumb), width=picture.width, height=picture.height)
    except (OSError, ValueError) as error:  # a mode or size that opened but cannot be turned into a photo
        raise PhotoRejected("broken") from error


# --- Drawings made on the phone's screen: kept as PNG, which holds their flat colours and sharp
# lines better and smaller than JPEG, and still carries nothing but the pixels.
DRAWING_SIDE = 1200


def _encode_png(image: Image.Image) -> bytes:
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
