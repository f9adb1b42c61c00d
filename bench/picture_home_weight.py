"""How much a young child's phone downloads on first opening the picture-led home, gzip-compressed.

The demo 6-year-old signs in through the app's own test client; the home page and everything it
links to (style sheet, scripts, pictures, the web app manifest and its icon) are fetched from the
app itself and each is compressed with gzip (level 6, as a web server would send it). A first load
has nothing cached, so every file counts once. The goal is under 60 KiB in all.
Run: .venv/bin/python bench/picture_home_weight.py
"""

from __future__ import annotations

import gzip
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from webapp import create_app
from webapp.db import make_engine
from webapp.models import Base

GOAL = 60 * 1024
LINKED = re.compile(r'<(?:link|script|img)\b[^>]*?\b(?:href|src)="(/[^"]+)"')


def measure() -> list[tuple[str, int, int]]:
    """(what, bytes, gzip bytes) for the home page and each file it makes the browser fetch."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        Base.metadata.create_all(make_engine(url))
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
        with app.app_context():
            from webapp import demo

            demo.load()
        client = app.test_client()
        signed = client.post("/signin", data={"login": "demo.mia", "password": "demo-mia-pass"})
        assert signed.status_code == 302, "the demo 6-year-old could not sign in"
        home = client.get("/home")
        html = home.get_data()
        assert b'id="tile-feel"' in html, "the demo 6-year-old did not get the picture-led home"
        rows = [("/home (HTML)", len(html), len(gzip.compress(html, 6)))]
        seen = set()
        for path in LINKED.findall(html.decode()):
            path = path.replace("&amp;", "&")
            if path in seen:
                continue
            seen.add(path)
            response = client.get(path)
            body = response.get_data()
            response.close()
            if response.status_code != 200:
                rows.append((f"{path} (answered {response.status_code})", len(body), len(gzip.compress(body, 6))))
                continue
            # PNG icons are compressed already: a server sends them as they are.
            packed = len(body) if path.split("?")[0].endswith(".png") else len(gzip.compress(body, 6))
            rows.append((path, len(body), packed))
            if "manifest" in path:
                for icon in re.findall(r'"src":\s*"([^"]+)"', body.decode())[:1]:
                    if icon not in seen:
                        seen.add(icon)
                        image = client.get(icon)
                        rows.append((f"{icon} (from the manifest)", len(image.get_data()), len(image.get_data())))
                        image.close()
        return rows


def main() -> None:
    rows = measure()
    width = max(len(what) for what, _raw, _packed in rows)
    for what, raw, packed in rows:
        print(f"  {what:<{width}}  {raw / 1024:7.1f} KiB  ->  {packed / 1024:6.1f} KiB")
    total = sum(packed for _what, _raw, packed in rows)
    verdict = "within" if total <= GOAL else "OVER"
    print(f"Picture-led home, first load: {total / 1024:.1f} KiB compressed; goal under {GOAL / 1024:.0f} KiB: {verdict}")


if __name__ == "__main__":
    main()
