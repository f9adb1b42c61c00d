"""How long the photo pipeline takes on a 12-megapixel JPEG, against Pillow's bare decode of it.

Both are timed in the same run, on the same file, so the ratio holds on a noisy machine.
Run: .venv/bin/python bench/photo_pipeline.py
"""

from __future__ import annotations

import io
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from webapp.photos.processing import process  # noqa: E402

ROUNDS = 7


def make_photo(width: int = 4000, height: int = 3000) -> bytes:
    """A 12 MP JPEG with photo-like detail (gradients and noise), EXIF orientation and GPS."""
    base = Image.radial_gradient("L").resize((width, height)).convert("RGB")
    noise = Image.effect_noise((width, height), 40).convert("RGB")
    image = Image.blend(base, noise, 0.35)
    draw = ImageDraw.Draw(image)
    for i in range(0, width, 250):
        draw.ellipse((i, i % height, i + 400, (i % height) + 400), outline=(200, 80, 40), width=12)
    image = image.filter(ImageFilter.SMOOTH)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 12.0), 3: "W", 4: (0.0, 7.0, 30.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif.tobytes())
    return out.getvalue()


def bare_decode(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        image.load()


def timed(function, data: bytes) -> list[float]:  # type: ignore[no-untyped-def]
    function(data)  # warm up
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        function(data)
        times.append(time.perf_counter() - start)
    return times


def peak_memory(function, data: bytes) -> float:  # type: ignore[no-untyped-def]
    tracemalloc.start()
    function(data)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1024 / 1024


def main() -> None:
    data = make_photo()
    with Image.open(io.BytesIO(data)) as probe:
        megapixels = probe.width * probe.height / 1e6
    print(f"Input: {megapixels:.1f} MP JPEG, {len(data) / 1024 / 1024:.1f} MiB, {ROUNDS} rounds each")
    bare = timed(bare_decode, data)
    pipeline = timed(process, data)
    result = process(data)
    bare_ms = statistics.median(bare) * 1000
    pipe_ms = statistics.median(pipeline) * 1000
    print(f"Pillow bare decode (full size):  median {bare_ms:7.1f} ms  (min {min(bare) * 1000:.1f})")
    print(f"Family Voice pipeline:           median {pipe_ms:7.1f} ms  (min {min(pipeline) * 1000:.1f})")
    print(f"Pipeline / bare decode:          {pipe_ms / bare_ms:.2f}x")
    print(f"Peak Python-tracked memory: bare {peak_memory(bare_decode, data):.1f} MiB, pipeline {peak_memory(process, data):.1f} MiB")
    print(f"Output: {result.width}x{result.height} JPEG {len(result.image) / 1024:.0f} KiB, thumbnail {len(result.thumbnail) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
