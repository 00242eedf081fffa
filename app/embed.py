"""Embedding on other sites: /widget.js, the /embed iframe page and the /widget configurator."""

from __future__ import annotations

import re

from flask import Blueprint, Flask, Response, current_app, render_template, request, url_for

from app import origins
from app.security import content_security_policy

bp = Blueprint("embed", __name__)

HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
DEFAULT_ACCENT = "#005eb8"
MAX_TITLE_CHARS = 80
MAX_GREETING_CHARS = 400

# The <simqa-chat> attributes, as README "Embedding the chat widget" documents them:
# attribute -> (the script tag's data-* name, the /embed query parameter).
WIDGET_ATTRIBUTES = {
    "chat-title": ("data-title", "title"),
    "greeting": ("data-greeting", "greeting"),
    "accent": ("data-accent", "accent"),
    "position": ("data-position", None),
    "inline": (None, None),
    "open": (None, None),
}


def register(app: Flask) -> None:
    """CORS for other sites (origins.py) and the embedding pages."""
    origins.register(app)
    app.register_blueprint(bp)


def _options() -> dict[str, str]:
    """Title, greeting and accent from the query string, trimmed; a bad accent is dropped."""
    title = request.args.get("title", "").strip()[:MAX_TITLE_CHARS]
    greeting = request.args.get("greeting", "").strip()[:MAX_GREETING_CHARS]
    accent = request.args.get("accent", "").strip()
    return {
        "title": title,
        "greeting": greeting,
        "accent": accent if HEX_COLOUR.fullmatch(accent) else "",
    }


@bp.get("/widget.js")
def widget_js() -> Response:
    response = current_app.send_static_file("widget.js")
    response.mimetype = "text/javascript"
    return response


@bp.get("/embed")
def embed() -> Response:
    """The chat alone, for an <iframe> on sites whose CSP forbids other sites' scripts."""
    response = Response(render_template("embed.html", **_options()), mimetype="text/html")
    # Only allow-listed sites may frame this page (origins.frame_ancestors): the browser
    # enforces it, no Origin check needed. Set here so /embed never depends on a default; it is
    # the policy security.py sends everywhere, so there is never a second, conflicting one.
    response.headers["Content-Security-Policy"] = content_security_policy(current_app)
    return response


@bp.get("/widget")
def configurator() -> str:
    """Staff choose title, greeting, colour and style, see a preview, and copy the snippet."""
    allowed = origins.allowed_origins(current_app)
    return render_template(
        "widget.html",
        server=request.url_root,
        widget_url=url_for("embed.widget_js", _external=True),
        embed_url=url_for("embed.embed", _external=True),
        allowed=allowed,
        wildcard=origins.WILDCARD in allowed,
        default_accent=DEFAULT_ACCENT,
        **_options(),
    )
