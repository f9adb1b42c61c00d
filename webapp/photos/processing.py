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
MAX_PIXELS = 50_000_000
LONG_SIDE = 1600
THUMB_SIDE = 320
JPEG_QUALITY = 85


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
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def process(data: bytes) -> ProcessedPhoto:
    """Check and clean an uploaded photo. Raises PhotoRejected with a reason key."""
    if not data:
        raise PhotoRejected("empty")
    saved_limit = Image.MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; we refuse outright.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            Image.MAX_IMAGE_PIXELS = MAX_PIXELS
            with Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    raise PhotoRejected("too_many_pixels")
                if opened.format == "JPEG":
                    # Decode big JPEGs at a reduced scale (1/2, 1/4, 1/8) that still leaves the
                    # long side at least LONG_SIDE: far less memory and time.
                    ratio = LONG_SIDE / max(opened.size)
                    if ratio < 1:
                        opened.draft("RGB", (int(opened.width * ratio) + 1, int(opened.height * ratio) + 1))
                upright = ImageOps.exif_transpose(opened)
                upright.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise PhotoRejected("too_many_pixels") from error
    except UnidentifiedImageError as error:
        raise PhotoRejected("not_an_image") from error
    except (OSError, SyntaxError, ValueError) as error:
        if isinstance(error, PhotoRejected):
            raise
        raise PhotoRejected("broken") from error
    finally:
        Image.MAX_IMAGE_PIXELS = saved_limit

    try:
        picture = _flatten(upright)
        picture.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
        thumb = picture.copy()
        thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
        return ProcessedPhoto(image=_encode(picture), thumbnail=_encode(thumb), width=picture.width, height=picture.height)
    except (OSError, ValueError) as error:  # a mode or size that opened but cannot be turned into a photo
        raise PhotoRejected("broken") from error
