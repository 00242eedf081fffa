"""Which other sites may use simqa: CORS on the API and widget files, frame-ancestors for /embed."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from flask import Flask, Request, Response, request

from app.errors import error_response

# Flask config key; set it as SIMQA_ALLOWED_ORIGINS="https://www.example.nhs.uk,http://127.0.0.1:8080".
SETTING = "ALLOWED_ORIGINS"
WILDCARD = "*"

# Files the widget loads from another site's page. simqa-render.js is imported as an ES module,
# which browsers fetch in CORS mode; the others get the same headers so one rule covers them all.
WIDGET_FILES = frozenset(
    {"/widget.js", "/static/widget.js", "/static/widget.css", "/static/simqa-render.js",
     "/static/simqa-cards.css"}
)

ALLOW_METHODS = "GET, POST, OPTIONS"
ALLOW_HEADERS = "Content-Type, Accept"
EXPOSE_HEADERS = "Retry-After, X-Request-ID"
PREFLIGHT_MAX_AGE = "600"

DEFAULT_PORTS = {"http": 80, "https": 443}


def parse_origins(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """The allow-list as browser-serialised origins, e.g. ("https://www.example.nhs.uk",).

    Accepts a comma- or space-separated string or a list. `*` alone allows every site. Raises
    ValueError naming SIMQA_ALLOWED_ORIGINS for anything that is not scheme://host[:port].
    """
    if value is None:
        return ()
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value)
    origins: list[str] = []
    for item in items:
        item = str(item).strip()
        if not item:
            continue
        origin = WILDCARD if item == WILDCARD else _normalise(item)
        if origin not in origins:
            origins.append(origin)
    if WILDCARD in origins and len(origins) > 1:
        raise ValueError(
            "SIMQA_ALLOWED_ORIGINS: use * on its own (every site) or list exact origins, not both."
        )
    return tuple(origins)


def _normalise(item: str) -> str:
    problem = (
        f"SIMQA_ALLOWED_ORIGINS: {item!r} is not an origin. Write scheme://host[:port] with no "
        "path, e.g. https://www.example.nhs.uk or http://127.0.0.1:8080."
    )
    try:
        parts = urlsplit(item.rstrip("/"))
        port = parts.port
    except ValueError:
        raise ValueError(problem) from None
    if (
        parts.scheme not in DEFAULT_PORTS
        or not parts.hostname
        or parts.path
        or parts.query
        or parts.fragment
        or parts.username
        or parts.password
    ):
        raise ValueError(problem)
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is None or port == DEFAULT_PORTS[parts.scheme]:
        return f"{parts.scheme}://{host}"
    return f"{parts.scheme}://{host}:{port}"


def allowed_origins(app: Flask) -> tuple[str, ...]:
    """The app's allow-list, read from its config each time (tests may change it)."""
    return parse_origins(app.config.get(SETTING))


def frame_ancestors(app: Flask) -> str:
    """The CSP frame-ancestors source list: the allow-list, `*`, or 'none' when it is empty."""
    origins = allowed_origins(app)
    return " ".join(origins) if origins else "'none'"


def allow_origin_value(app: Flask, origin: str | None) -> str | None:
    """The Access-Control-Allow-Origin value for a request from `origin`, or None to refuse."""
    origins = allowed_origins(app)
    if WILDCARD in origins:
        return WILDCARD
    if origin and origin in origins:
        return origin
    return None


def is_cors_path(path: str) -> bool:
    return path == "/api" or path.startswith("/api/") or path in WIDGET_FILES


def _is_preflight(req: Request) -> bool:
    return (
        req.method == "OPTIONS"
        and "Origin" in req.headers
        and "Access-Control-Request-Method" in req.headers
    )


def _add_vary(response: Response, *names: str) -> None:
    for name in names:
        if name.lower() not in {v.lower() for v in response.vary}:
            response.vary.add(name)


def register(app: Flask) -> None:
    """Answer CORS preflights and add CORS headers to API and widget-file responses."""
    app.config.setdefault(SETTING, "")
    allowed_origins(app)  # a malformed setting stops the app at start, with the reason

    @app.before_request
    def _preflight() -> Response | None:
        if not (_is_preflight(request) and is_cors_path(request.path)):
            return None
        allow = allow_origin_value(app, request.headers.get("Origin"))
        if allow is None:
            response = error_response(
                403,
                "origin_not_allowed",
                "This website is not allowed to use simqa. The site's owner can ask simqa's "
                "staff to add it to SIMQA_ALLOWED_ORIGINS.",
            )
        else:
            response = Response(status=204)
            response.headers["Access-Control-Allow-Origin"] = allow
            response.headers["Access-Control-Allow-Methods"] = ALLOW_METHODS
            response.headers["Access-Control-Allow-Headers"] = ALLOW_HEADERS
            response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
        _add_vary(response, "Origin", "Access-Control-Request-Method",
                  "Access-Control-Request-Headers")
        return response

    @app.after_request
    def _cors_headers(response: Response) -> Response:
        if not is_cors_path(request.path) or _is_preflight(request):
            return response
        _add_vary(response, "Origin")
        allow = allow_origin_value(app, request.headers.get("Origin"))
        if allow is not None:
            response.headers["Access-Control-Allow-Origin"] = allow
            response.headers["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
        return response
