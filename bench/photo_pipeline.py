"""What the photo pipeline costs per upload: time and peak memory, against Pillow's bare decode.

Cases: a 12-megapixel phone JPEG, the biggest photo of each format that is taken, and the worst
case, a 7000 x 7000 PNG of a few hundred kilobytes (49 megapixels, which took 700 MB and seconds
before it was refused from its header). Each figure is measured in a fresh process of its own,
so its peak resident memory belongs to that one upload (VmHWM on Linux: ru_maxrss would count
the memory of the process that started it); the bare decode and the pipeline run on the same
file in the same run, so the ratio holds on a noisy machine.
Run: .venv/bin/python bench/photo_pipeline.py
"""

from __future__ import annotations

import io
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webapp.photos.processing import PhotoRejected, process  # noqa: E402

ROUNDS = 5


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


def _gradient(size: tuple[int, int], mode: str) -> Image.Image:
    return Image.linear_gradient("L").resize(size).convert(mode)


def _save(image: Image.Image, image_format: str, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, image_format, **params)
    return out.getvalue()


# name: how to make the file. Run in the parent process, once; each measurement reads the file.
CASES: dict[str, Callable[[], bytes]] = {
    "12 MP phone JPEG": make_photo,
    "25 MP progressive JPEG": lambda: _save(_gradient((5000, 5000), "RGB"), "JPEG", progressive=True, subsampling=0),
    "24 MP HEIC (a phone's)": lambda: _save(_gradient((5712, 4284), "RGB"), "HEIF", quality=50),
    "16 MP PNG, transparent": lambda: _save(_gradient((4000, 4000), "RGBA"), "PNG"),
    "12 MP WebP, transparent": lambda: _save(_gradient((4000, 3000), "RGBA"), "WEBP", lossless=True),
    "worst: 7000x7000 PNG": lambda: _save(_gradient((7000, 7000), "RGB"), "PNG"),
}


def bare_decode(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        image.load()


def pipeline(data: bytes) -> None:
    try:
        process(data)
    except PhotoRejected:
        pass  # refusing is the pipeline's answer too


def peak_mib() -> float:
    """This process's peak resident memory so far."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(which: str, path: str) -> None:
    """In a fresh process: one run for the peak memory, then timed rounds. Prints a line of figures."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    Image.MAX_IMAGE_PIXELS = None  # the bare decode is Pillow with no limit, as a baseline
    data = Path(path).read_bytes()
    function = bare_decode if which == "bare" else pipeline
    if which == "pipeline":
        from webapp.photos.processing import MAX_PIXELS

        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    before = peak_mib()
    function(data)
    peak = peak_mib()
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        function(data)
        times.append(time.perf_counter() - start)
    print(f"{statistics.median(times)} {peak} {before}")


def run_measure(which: str, path: str) -> tuple[float, float, float]:
    """Median seconds, peak MiB of the process, MiB before the first run."""
    out = subprocess.run([sys.executable, __file__, "--measure", which, path], capture_output=True, text=True, check=True, cwd=ROOT)
    median, peak, before = (float(value) for value in out.stdout.split())
    return median, peak, before


def outcome(data: bytes) -> str:
    try:
        result = process(data)
    except PhotoRejected as refused:
        return f"refused ({refused.reason})"
    return f"taken, {result.width}x{result.height}"


def main() -> None:
    print(f"Median of {ROUNDS} rounds; peak = the process's peak resident memory, in a fresh process per figure")
    print(f"{'case':<26} {'file':>9} {'bare decode':>12} {'pipeline':>10} {'ratio':>6} {'peak bare':>10} {'peak pipeline':>14}  outcome")
    with tempfile.TemporaryDirectory() as folder:
        for name, make in CASES.items():
            data = make()
            path = Path(folder) / "photo"
            path.write_bytes(data)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(data)) as probe:
                    megapixels = probe.width * probe.height / 1e6
            bare, bare_peak, _ = run_measure("bare", str(path))
            piped, piped_peak, before = run_measure("pipeline", str(path))
            print(
                f"{name:<26} {len(data) / 1024:>7.0f}Ki {bare * 1000:>9.1f} ms {piped * 1000:>7.2f} ms {piped / bare:>5.3f}x"
                f" {bare_peak:>7.0f} MB {piped_peak:>7.0f} MB (+{piped_peak - before:.0f})  {outcome(data)}, {megapixels:.0f} MP"
            )
    print("(+N) is what the upload added to the process's memory; the rest is Python and the app's imports.")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--measure":
        measure(sys.argv[2], sys.argv[3])
    else:
        main()
