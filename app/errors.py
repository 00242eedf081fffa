"""Errors: one JSON shape on /api/*, a plain HTML page elsewhere, a request id on every response."""

from __future__ import annotations

import logging
import re
import traceback
import uuid

from flask import Flask, Response, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

logger = logging.getLogger("simqa.app")

REQUEST_ID_HEADER = "X-Request-ID"

UNAVAILABLE = (
    "I can't answer questions right now. Please try again in a minute. If you are in distress, "
    "please call Samaritans on 116 123 (free, 24/7) or NHS 111."
)

# Messages for the public: plain English, never the exception text.
MESSAGES = {
    400: "The request could not be understood.",
    404: "There is nothing at this address.",
    405: "This address does not accept that method.",
    413: "The request is too large. Send a JSON body under 16 KiB.",
    415: "Send the question as JSON with the header Content-Type: application/json.",
    429: "Too many questions in a short time. Please wait a moment and try again.",
    500: "Something went wrong on our side. Please try again.",
    503: UNAVAILABLE,
}


class ApiError(Exception):
    """An expected failure with a stable snake_case code, reported as JSON."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def request_id() -> str:
    rid = getattr(g, "request_id", None)
    if rid is None:
        rid = g.request_id = uuid.uuid4().hex
    return rid


def is_api_request() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    body: dict[str, object] = {"code": code, "message": message}
    if status >= 500:
        body["request_id"] = request_id()
    response = jsonify({"error": body})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _code_for(exc: HTTPException) -> str:
    """NotFound -> not_found, RequestEntityTooLarge -> payload_too_large, and so on."""
    special = {413: "payload_too_large", 415: "unsupported_media_type", 500: "internal_error"}
    if exc.code in special:
        return special[exc.code]
    name = (exc.name or "error").lower()
    return re.sub(r"[^a-z0-9]+", "_", name).strip("_") or "error"


def _html_error(status: int, title: str, message: str) -> tuple[str, int]:
    rid = request_id() if status >= 500 else ""
    return render_template(
        "error.html", status=status, title=title, message=message, rid=rid
    ), status


def register(app: Flask) -> None:
    @app.before_request
    def _assign_request_id() -> None:
        request_id()

    @app.after_request
    def _send_request_id(response: Response) -> Response:
        response.headers[REQUEST_ID_HEADER] = request_id()
        return response

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        if is_api_request():
            return error_response(exc.status, exc.code, exc.message, exc.headers)
        body, status = _html_error(exc.status, "Not available", exc.message)
        return Response(body, status=status, headers=exc.headers, mimetype="text/html")

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if isinstance(exc, InternalServerError):
            return _unexpected(exc.original_exception or exc)
        status = exc.code or 500
        message = MESSAGES.get(status, exc.description or "The request failed.")
        headers = {k: v for k, v in exc.get_headers() if k.lower() in {"allow", "retry-after"}}
        if is_api_request():
            return error_response(status, _code_for(exc), message, headers)
        body, status = _html_error(status, exc.name, message)
        return Response(body, status=status, headers=headers, mimetype="text/html")

    @app.errorhandler(Exception)
    def _unexpected(exc: BaseException):
        # The log gets the request id, the exception type and where it happened, but not the
        # exception's message, which may quote the question. The user gets only the id.
        logger.error(
            "unhandled %s, request_id=%s\n%s",
            type(exc).__name__,
            request_id(),
            "".join(traceback.format_tb(exc.__traceback__)).rstrip(),
        )
        if is_api_request():
            return error_response(500, "internal_error", MESSAGES[500])
        return _html_error(500, "Something went wrong", MESSAGES[500])
