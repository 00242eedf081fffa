"""Logs without personal data: request id, method, route, status, timing, counters; no text, no IP.

Under gunicorn (app/gunicorn_conf.py sets `logger_class` to PrivateLogger):
- the access log writes the matched route (`/api/sources/<source_id>`), never the path typed,
  the query string, the client address, the referrer, the user agent or request headers;
- every handler redacts IP and email addresses, and gunicorn's own messages about bad
  requests lose the client address and the request line they would otherwise quote;
- every LOG_COUNTERS_SECONDS a worker logs totals: requests by status, answers by kind,
  refusals (429, busy 503), and the most requests it had in flight.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import threading
import time
from collections import Counter
from typing import Any

from flask import Flask, Response, current_app, request

ROUTE_KEY = "simqa.route"  # WSGI environ key: the route the access log writes

DEFAULTS: dict[str, Any] = {
    # How often each worker logs its counters, in seconds (0: never).
    "LOG_COUNTERS_SECONDS": 60,
}

KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"})

logger = logging.getLogger("simqa.app")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])")
_IPV6_CANDIDATE = re.compile(r"(?<![\w:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")
_INVALID_REQUEST = re.compile(r"Invalid request from ip=\S*: ([^'\"\n:]*).*", re.S)
_ERROR_HANDLING = re.compile(r"Error handling request\b.*", re.S)


def _redact_ipv6(match: re.Match[str]) -> str:
    try:
        ipaddress.IPv6Address(match.group(0))
    except ValueError:
        return match.group(0)  # a time such as 12:34:56, not an address
    return "[address]"


def redact(message: str) -> str:
    """The message without client addresses, email addresses or quoted request lines."""
    if message.startswith("Listening at:"):
        return message  # the server's own bind address
    message = _INVALID_REQUEST.sub(lambda m: f"Invalid request: {m.group(1).strip()}", message)
    message = _ERROR_HANDLING.sub("Error handling request (path not logged)", message)
    message = _EMAIL.sub("[email]", message)
    message = _IPV4.sub("[address]", message)
    return _IPV6_CANDIDATE.sub(_redact_ipv6, message)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message through `redact` before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: keep it as gunicorn would
            return True
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover - gunicorn is a dependency; the app runs without it
    _GunicornLogger = object  # type: ignore[assignment,misc]


class PrivateLogger(_GunicornLogger):  # type: ignore[misc,valid-type]
    """gunicorn's logger with private access-log atoms and redacting handlers."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                    handler.addFilter(RedactingFilter())

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        method = atoms.get("m") if atoms.get("m") in KNOWN_METHODS else "OTHER"
        route = environ.get(ROUTE_KEY) or "-"
        protocol = atoms.get("H") or "-"
        for name in [k for k in atoms if k.endswith(("}i", "}e"))]:
            del atoms[name]  # request headers and the WSGI environ may carry anything
        atoms.update(
            h="-", u="-", f="-", a="-", q="", m=method, U=route, r=f"{method} {route} {protocol}"
        )
        return atoms


class Counters:
    """Per-process totals, logged every `interval` seconds."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._lock = threading.Lock()
        self._totals: Counter[str] = Counter()
        self._last = time.monotonic()

    def record(self, status: int, answer: str | None) -> None:
        with self._lock:
            self._totals["requests"] += 1
            self._totals[f"status_{status}"] += 1
            if answer:
                self._totals[f"answer_{answer}"] += 1

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._totals)

    def report_if_due(self, extra: dict[str, int]) -> None:
        if self.interval <= 0:
            return
        now = time.monotonic()
        with self._lock:
            if now - self._last < self.interval:
                return
            self._last = now
            totals = {**self._totals, **extra}
        logger.info("counters %s", " ".join(f"{k}={v}" for k, v in sorted(totals.items())))


def _answer_status(response: Response) -> str | None:
    if request.endpoint != "api.ask" or response.status_code != 200:
        return None
    body = response.get_json(silent=True)
    status = body.get("status") if isinstance(body, dict) else None
    return status if status in {"answered", "not_found", "crisis", "smalltalk"} else None


def register(app: Flask) -> None:
    counters = Counters(float(app.config["LOG_COUNTERS_SECONDS"] or 0))
    app.extensions["simqa_counters"] = counters

    @app.after_request
    def _note_request(response: Response) -> Response:
        rule = request.url_rule.rule if request.url_rule is not None else "-"
        request.environ[ROUTE_KEY] = rule
        counters.record(response.status_code, _answer_status(response))
        in_flight = current_app.extensions.get("simqa_in_flight")
        extra = {"in_flight_peak": in_flight.peak, "busy_refused": in_flight.refused} if (
            in_flight is not None
        ) else {}
        counters.report_if_due(extra)
        return response
