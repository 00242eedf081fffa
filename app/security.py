"""Security headers on every response, errors included: CSP, nosniff, referrer, caching, HSTS."""

from __future__ import annotations

from flask import Flask, Response, request

from app.origins import frame_ancestors

# Every script and style is a file served by simqa; nothing inline, nothing from elsewhere.
# `frame-ancestors` is appended per response from SIMQA_ALLOWED_ORIGINS ('none' when empty).
CSP_DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
)

HSTS = "max-age=31536000"

STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # Other sites learn at most that a visitor came from simqa, never which page.
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def content_security_policy(app: Flask) -> str:
    return "; ".join((*CSP_DIRECTIVES, f"frame-ancestors {frame_ancestors(app)}"))


def register(app: Flask) -> None:
    @app.after_request
    def _security_headers(response: Response) -> Response:
        # A view that sets its own policy keeps it (tests check every policy served still
        # forbids inline script, plugins and <base>).
        if "Content-Security-Policy" not in response.headers:
            response.headers["Content-Security-Policy"] = content_security_policy(app)
        if frame_ancestors(app) == "'none'":
            response.headers.setdefault("X-Frame-Options", "DENY")
        for name, value in STATIC_HEADERS.items():
            response.headers[name] = value
        # Answers and errors may echo what someone typed: no cache may keep them. Views that
        # choose their own policy (static files) keep it.
        if "Cache-Control" not in response.headers or response.status_code >= 400:
            response.headers["Cache-Control"] = "no-store"
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = HSTS
        return response
