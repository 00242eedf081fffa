"""JSON API: POST /api/ask, GET /api/sources[/<id>], GET /api/health, GET /api/openapi.json."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, current_app, jsonify, request, url_for

from app import openapi
from app.engine_state import engine_state, require_engine, settings
from app.errors import UNAVAILABLE, ApiError

bp = Blueprint("api", __name__, url_prefix="/api")

RETRY_AFTER_SECONDS = "30"


def _read_question() -> str:
    """The trimmed question from a JSON body, or an ApiError saying exactly what is wrong."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(
            413, "payload_too_large", f"The request is too large. Send under {limit} bytes."
        )
    if not request.is_json:
        raise ApiError(
            415,
            "unsupported_media_type",
            "Send the question as JSON with the header Content-Type: application/json.",
        )
    raw = request.get_data(cache=True)  # raises 413 past MAX_CONTENT_LENGTH when streamed
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiError(
            400, "invalid_json", 'The body is not valid JSON. Send {"question": "..."}.'
        ) from None
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_body", 'Send a JSON object: {"question": "..."}.')
    if "question" not in body:
        raise ApiError(400, "missing_question", 'The JSON body needs a "question" field.')
    question = body["question"]
    if not isinstance(question, str):
        raise ApiError(400, "invalid_question", "The question must be a string of text.")
    try:
        question.encode("utf-8")
    except UnicodeEncodeError:
        raise ApiError(
            400, "invalid_question", "The question holds characters that are not valid text."
        ) from None
    question = question.strip()
    if not question:
        raise ApiError(400, "empty_question", "The question is empty. Type a question to ask.")
    most = settings().max_question_chars
    if len(question) > most:
        raise ApiError(
            400,
            "question_too_long",
            f"The question is {len(question)} characters long; the limit is {most}. "
            "Please shorten it.",
        )
    return question


@bp.post("/ask")
def ask():
    question = _read_question()
    engine = require_engine(wait_seconds=current_app.config["ENGINE_WAIT_SECONDS"], strict=False)
    if engine is not None:
        answer = engine.ask(question)
    else:
        from simqa.engine import route_without_model

        answer = route_without_model(question)
        if answer is None:
            raise ApiError(
                503,
                "engine_unavailable",
                UNAVAILABLE,
                {"Retry-After": RETRY_AFTER_SECONDS},
            )
    response = jsonify(answer.to_dict())
    response.headers["Cache-Control"] = "no-store"
    return response


def _source_summary(document: Any) -> dict[str, Any]:
    data = document.source.to_dict()
    data["length"] = len(document.text)
    data["viewer_url"] = url_for("sources.view", source_id=document.id)
    data["api_url"] = url_for("api.source", source_id=document.id)
    return data


@bp.get("/sources")
def sources():
    engine = require_engine()
    return jsonify(
        {
            "sources": [_source_summary(d) for d in engine.documents()],
            "corpus_version": engine.corpus_version,
        }
    )


@bp.get("/sources/<source_id>")
def source(source_id: str):
    engine = require_engine()
    try:
        document = engine.source(source_id)
    except KeyError:
        raise ApiError(
            404, "unknown_source", "There is no source with that id. GET /api/sources lists them."
        ) from None
    data = _source_summary(document)
    data["sha256"] = document.sha256
    data["text"] = document.text
    data["corpus_version"] = engine.corpus_version
    return jsonify(data)


@bp.get("/health")
def health():
    state = engine_state()
    engine = state.engine
    body: dict[str, Any] = {
        "status": state.status,
        "ready": engine is not None,
        "model": getattr(engine, "model_name", "") if engine else "",
        "corpus_version": getattr(engine, "corpus_version", "") if engine else "",
        "documents": len(engine.documents()) if engine else 0,
    }
    if engine is None:
        body["error"] = {
            "code": "engine_unavailable",
            "message": "The model and index are not loaded; only crisis answers are available.",
        }
        response = jsonify(body)
        response.status_code = 503
        response.headers["Retry-After"] = RETRY_AFTER_SECONDS
        return response
    return jsonify(body)


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(openapi.document(max_question_chars=settings().max_question_chars))
