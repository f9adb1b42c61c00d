"""Draw the app icons (run once; the PNGs are committed under static/icons)."""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "static" / "icons"
BRAND = (29, 91, 121)


def speech_bubble(size: int, safe: float) -> Image.Image:
    image = Image.new("RGB", (size, size), BRAND)
    draw = ImageDraw.Draw(image)
    pad = size * (1 - safe) / 2 + size * 0.12
    box = (pad, pad, size - pad, size - pad * 1.25)
    draw.rounded_rectangle(box, radius=size * 0.12, fill="white")
    tail_x = box[0] + (box[2] - box[0]) * 0.3
    draw.polygon([(tail_x, box[3] - 2), (tail_x + size * 0.12, box[3] - 2), (tail_x, box[3] + size * 0.12)], fill="white")
    dot = size * 0.045
    mid_y = (box[1] + box[3]) / 2
    for i in (-1, 0, 1):
        cx = size / 2 + i * size * 0.13
        draw.ellipse((cx - dot, mid_y - dot, cx + dot, mid_y + dot), fill=BRAND)
    return image


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    speech_bubble(192, 1.0).save(OUT / "icon-192.png", optimize=True)
    speech_bubble(512, 1.0).save(OUT / "icon-512.png", optimize=True)
    speech_bubble(512, 0.8).save(OUT / "maskable-512.png", optimize=True)
