"""What makes Family Voice installable: the manifest, the service worker and the offline page."""

from __future__ import annotations

import hashlib
import json

from flask import Blueprint, Response, current_app, render_template, url_for
from flask_babel import gettext as _

bp = Blueprint("pwa", __name__)

# Only these are ever cached on the phone: versioned static files and the offline page.
PRECACHE = ["css/app.css", "js/app.js", "icons/icon-192.png", "icons/icon-512.png", "icons/maskable-512.png"]


def _versioned(filename: str) -> str:
    version = current_app.extensions["static_versions"].get(filename, "0")
    return url_for("static", filename=filename, v=version)


@bp.route("/manifest.webmanifest")
def manifest() -> Response:
    body = {
        "name": "Family Voice",
        "short_name": "Family Voice",
        "description": _("Tell your worker what life is like."),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1d5b79",
        "icons": [
            {"src": _versioned("icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": _versioned("icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": _versioned("icons/maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        ],
    }
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")


@bp.route("/sw.js")
def service_worker() -> Response:
    urls = [_versioned(name) for name in PRECACHE] + [url_for("pwa.offline")]
    version = hashlib.sha256("|".join(urls).encode()).hexdigest()[:12]
    script = render_template("pwa/sw.js", urls=urls, version=version, offline_url=url_for("pwa.offline"))
    response = Response(script, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route("/offline")
def offline() -> str:
    # Cached on the phone, so it must not carry anything about whoever is signed in.
    return render_template("pwa/offline.html", public_page=True)
