"""Abuse limits: per-client rate limits (flask-limiter), trusted proxies, an in-flight cap."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import threading
import time
from typing import Any

from flask import Flask, Response, current_app, g, render_template, request
from flask_limiter import Limiter, RateLimitExceeded
from werkzeug.middleware.proxy_fix import ProxyFix

from app.errors import MESSAGES, ApiError, error_response, is_api_request

# App settings (Flask config keys; each can be set as SIMQA_<KEY>). Any other flask-limiter
# setting can be given the same way, e.g. SIMQA_RATELIMIT_STRATEGY=moving-window.
DEFAULTS: dict[str, Any] = {
    # Rate limiting on or off. None: on, except under Flask's TESTING flag (tests that want it
    # set it explicitly). Benchmarks on loopback set SIMQA_RATELIMIT_ENABLED=false.
    "RATELIMIT_ENABLED": None,
    # Questions per client (POST /api/ask); ';' separates several limits, all enforced.
    "RATELIMIT_ASK": "60 per minute;600 per hour",
    # Every other route per client, each route counted apart (health and static files exempt).
    "RATELIMIT_DEFAULT": "300 per minute",
    # Where counters live: memory:// (one per process) or redis://host:port/db (shared by
    # every worker and machine that names the same server).
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_STRATEGY": "fixed-window",
    # Counters are keyed by an HMAC of the client address, never the address itself; servers
    # sharing one store must share this secret.
    "RATELIMIT_KEY_SALT": "",
    # Reverse proxies in front of simqa that append X-Forwarded-For/-Proto. 0: the headers are
    # ignored and the socket peer is the client (a client cannot pick its own address).
    "TRUSTED_PROXIES": 0,
    # Requests one process handles at once; past this, a fast 503 with Retry-After. Keep it
    # below the gunicorn threads per worker so a thread is always free to say "busy".
    # None: 12, except under TESTING (no cap); 0: no cap.
    "MAX_IN_FLIGHT": None,
}

BUSY_RETRY_AFTER_SECONDS = 2
BUSY_MESSAGE = (
    "Lots of people are asking questions right now. Please try again in a few seconds. "
    "If you are in distress, please call Samaritans on 116 123 (free, 24/7) or NHS 111."
)

# Never rate limited or capped: load balancers poll health; static files are cheap.
EXEMPT_ENDPOINTS = frozenset({"api.health", "static"})


def client_address() -> str:
    """The client's address as the limiter sees it: IPv6 clients are counted per /64, which
    is what one household or phone is usually given."""
    raw = request.remote_addr or "unknown"
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def client_key() -> str:
    """HMAC of the client address: counters never hold the address itself."""
    salt = str(current_app.config.get("RATELIMIT_KEY_SALT") or "simqa-ratelimit")
    digest = hmac.new(salt.encode(), client_address().encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


class InFlight:
    """How many requests this process is handling now, with a hard cap."""

    def __init__(self, most: int) -> None:
        self.most = most
        self.count = 0
        self.peak = 0
        self.refused = 0
        self._lock = threading.Lock()

    def enter(self) -> bool:
        with self._lock:
            if self.most > 0 and self.count >= self.most:
                self.refused += 1
                return False
            self.count += 1
            self.peak = max(self.peak, self.count)
            return True

    def leave(self) -> None:
        with self._lock:
            self.count -= 1


DEFAULT_MAX_IN_FLIGHT = 12


def _max_in_flight(app: Flask) -> int:
    value = app.config.get("MAX_IN_FLIGHT")
    if value is None:
        return 0 if app.testing else DEFAULT_MAX_IN_FLIGHT
    return max(int(value), 0)


def _enabled(app: Flask) -> bool:
    value = app.config.get("RATELIMIT_ENABLED")
    if value is None:
        return not app.testing
    if isinstance(value, str):
        return value.strip().lower() not in {"0", "false", "no", "off"}
    return bool(value)


def _retry_after(limiter: Limiter) -> int:
    limit = limiter.current_limit
    if limit is None:
        return 60
    try:
        reset_at = float(limit.window[0])  # when the window frees a request (epoch seconds)
        return max(1, math.ceil(reset_at - time.time()))
    except Exception:  # the store went away between the check and now
        return 60


def register(app: Flask) -> Limiter:
    """Trusted proxies, rate limits on every route (a tighter one on /api/ask), the cap."""
    proxies = int(app.config["TRUSTED_PROXIES"] or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    app.config["RATELIMIT_ENABLED"] = _enabled(app)
    # A store that cannot be reached must not take the service down: counting falls back to
    # this process's memory until the store answers again.
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK", app.config["RATELIMIT_DEFAULT"])
    limiter = Limiter(
        client_key,
        app=app,
        default_limits_exempt_when=lambda: request.endpoint in EXEMPT_ENDPOINTS,
        key_prefix="simqa",
    )
    if "api.ask" in app.view_functions:
        app.view_functions["api.ask"] = limiter.limit(
            lambda: current_app.config["RATELIMIT_ASK"], override_defaults=True
        )(app.view_functions["api.ask"])
    app.extensions["simqa_limiter"] = limiter

    @app.errorhandler(RateLimitExceeded)
    def _too_many(exc: RateLimitExceeded):
        headers = {"Retry-After": str(_retry_after(limiter))}
        if is_api_request():
            return error_response(429, "too_many_requests", MESSAGES[429], headers)
        page = render_template(
            "error.html", status=429, title="Too many requests", message=MESSAGES[429], rid=""
        )
        return Response(page, status=429, headers=headers, mimetype="text/html")

    in_flight = InFlight(_max_in_flight(app))
    app.extensions["simqa_in_flight"] = in_flight

    @app.before_request
    def _cap_in_flight() -> None:
        if request.endpoint in EXEMPT_ENDPOINTS:
            return
        if not in_flight.enter():
            raise ApiError(
                503, "server_busy", BUSY_MESSAGE, {"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)}
            )
        g.simqa_in_flight = True

    @app.teardown_request
    def _release_in_flight(_exc: BaseException | None = None) -> None:
        if g.pop("simqa_in_flight", False):
            in_flight.leave()

    return limiter
