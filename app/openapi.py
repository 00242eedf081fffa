"""The OpenAPI 3.1 description of the JSON API, written by hand as data (tests check it)."""

from __future__ import annotations

from typing import Any

VERSION = "0.1.0"

ERROR_CODES = [
    "invalid_json",
    "invalid_body",
    "missing_question",
    "invalid_question",
    "empty_question",
    "question_too_long",
    "unsupported_media_type",
    "payload_too_large",
    "method_not_allowed",
    "not_found",
    "unknown_source",
    "too_many_requests",
    "server_busy",
    "internal_error",
    "engine_unavailable",
]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _text(description: str = "", **extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", **extra}
    if description:
        schema["description"] = description
    return schema


def _error(description: str) -> dict[str, Any]:
    return _json(_ref("Error"), description)


_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "string"},
    }
}

_BUSY = {
    **_error(
        "The server is handling as many requests as it can (`server_busy`); try again after "
        "`Retry-After` seconds."
    ),
    "headers": _RETRY_AFTER,
}

_COMMON_ERRORS = {
    "405": _error(
        "Wrong method for this address (`method_not_allowed`); `Allow` lists the right ones."
    ),
    "429": {
        **_error("Too many requests from this client (`too_many_requests`)."),
        "headers": _RETRY_AFTER,
    },
    "500": _error("Unexpected failure (`internal_error`); the body carries a `request_id`."),
}


def _schemas(max_question_chars: int) -> dict[str, Any]:
    string = {"type": "string"}
    source_fields = {
        "id": _text("Stable id, e.g. `stopsim-response-2021`."),
        "title": string,
        "publisher": string,
        "perspective": {
            "type": "string",
            "description": "Where the publisher stands on SIM; the documents disagree.",
        },
        "date": _text("Publication date as published (free text)."),
        "url": _text("The publisher's page for the original."),
        "url_note": _text("What `url` points to, when not the document itself."),
        "kind": string,
        "authors": string,
        "length": {
            "type": "integer",
            "minimum": 0,
            "description": "Length of `text` in code points.",
        },
        "viewer_url": _text("Our copy of the document (HTML)."),
        "api_url": _text("This source as JSON, with its full text."),
    }
    source_required = [
        "id",
        "title",
        "publisher",
        "perspective",
        "date",
        "url",
        "length",
        "viewer_url",
        "api_url",
    ]
    return {
        "AskRequest": {
            "type": "object",
            "required": ["question"],
            "properties": {
                "question": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": max_question_chars,
                    "description": "Leading and trailing white space is trimmed; the trimmed "
                    f"question must hold 1 to {max_question_chars} characters.",
                }
            },
        },
        "Quote": {
            "type": "object",
            "required": [
                "text",
                "source_id",
                "start",
                "end",
                "title",
                "publisher",
                "date",
                "perspective",
                "url",
                "viewer_url",
                "score",
            ],
            "properties": {
                "text": _text("Verbatim: equals the source `text[start:end]`."),
                "source_id": string,
                "start": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Offset in code points (a Python string index) into the text.",
                },
                "end": {"type": "integer", "minimum": 0},
                "title": string,
                "publisher": string,
                "date": string,
                "perspective": string,
                "url": {
                    "type": "string",
                    "description": "The original; a web page gets a `#:~:text=` fragment.",
                },
                "viewer_url": {
                    "type": "string",
                    "description": "`/sources/<id>#q=<start>-<end>`: our copy, quote highlighted.",
                },
                "score": {"type": "number"},
                "role": {
                    "type": "string",
                    "enum": ["answer", "support", "related"],
                    "description": "`answer` is the answer; `support` supports it; "
                    "`related` (with `not_found`) is related material, not an answer.",
                },
            },
        },
        "Signpost": {
            "type": "object",
            "required": ["name", "contact", "detail"],
            "properties": {"name": string, "contact": string, "detail": string, "href": string},
        },
        "Answer": {
            "type": "object",
            "required": [
                "status",
                "question",
                "message",
                "quotes",
                "signposting",
                "corpus_version",
            ],
            "properties": {
                "status": {
                    "type": "string",
                    "enum": ["answered", "not_found", "crisis", "smalltalk"],
                },
                "question": _text("The question as received, trimmed."),
                "message": _text("Fixed lead text chosen by status, never generated."),
                "quotes": {
                    "type": "array",
                    "items": _ref("Quote"),
                    "description": "`quotes[0]` is the answer when status is `answered`.",
                },
                "signposting": {
                    "type": "array",
                    "items": _ref("Signpost"),
                    "description": "Where to get help now; first thing to show for `crisis`.",
                },
                "corpus_version": _text("Hash of the corpus and index the answer came from."),
                "confidence": {
                    "type": "number",
                    "description": "How sure the ranker is (0-1); `answered` needs the "
                    "published abstention threshold.",
                },
            },
        },
        "SourceSummary": {
            "type": "object",
            "required": source_required,
            "properties": source_fields,
        },
        "SourceList": {
            "type": "object",
            "required": ["sources", "corpus_version"],
            "properties": {
                "sources": {"type": "array", "items": _ref("SourceSummary")},
                "corpus_version": string,
            },
        },
        "SourceDocument": {
            "type": "object",
            "required": [*source_required, "text", "sha256", "corpus_version"],
            "properties": {
                **source_fields,
                "text": _text("The display text every quote offset points into."),
                "sha256": _text("Hash of the original file."),
                "corpus_version": string,
            },
        },
        "Health": {
            "type": "object",
            "required": ["status", "ready", "model", "corpus_version", "documents"],
            "properties": {
                "status": {"type": "string", "enum": ["ready", "loading", "not_loaded", "failed"]},
                "ready": {"type": "boolean"},
                "model": string,
                "corpus_version": string,
                "documents": {"type": "integer", "minimum": 0},
                "error": _ref("ErrorBody"),
            },
        },
        "ErrorBody": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {
                    "type": "string",
                    "pattern": "^[a-z][a-z0-9_]*$",
                    "description": "Stable snake_case code; known codes: "
                    + ", ".join(f"`{c}`" for c in ERROR_CODES)
                    + ".",
                },
                "message": _text("Plain English, safe to show."),
                "request_id": _text("Present on 5xx; quote it when reporting a fault."),
            },
        },
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {"error": _ref("ErrorBody")},
        },
    }


def document(max_question_chars: int = 500) -> dict[str, Any]:
    """The OpenAPI document; `max_question_chars` is the server's current limit."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "simqa",
            "version": VERSION,
            "summary": "Answers questions about Serenity Integrated Mentoring (SIM) with verbatim, "
            "attributed quotes from five published documents.",
            "description": "Every answer is one or more quotes; each quote's `text` equals "
            "`GET /api/sources/{source_id}` `text[start:end]`, offsets counted in Unicode "
            "code points. The service never writes an answer of its own and is not advice. "
            'Errors always have the shape `{"error": {"code", "message"}}`.',
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api/ask": {
                "post": {
                    "operationId": "ask",
                    "summary": "Ask a question; get quotes, or an honest 'not found'.",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("AskRequest")}},
                    },
                    "responses": {
                        "200": _json(_ref("Answer"), "An answer (see `status`)."),
                        "400": _error(
                            "Malformed JSON or a missing, non-string, empty or too long "
                            "question (`invalid_json`, `invalid_body`, `missing_question`, "
                            "`invalid_question`, `empty_question`, `question_too_long`)."
                        ),
                        "413": _error("Body larger than 16 KiB (`payload_too_large`)."),
                        "415": _error(
                            "Body not sent as `application/json` (`unsupported_media_type`)."
                        ),
                        "503": {
                            **_error(
                                "The model or index is not loaded (`engine_unavailable`); "
                                "crisis questions are still answered with 200. Or the server "
                                "is at its in-flight limit (`server_busy`)."
                            ),
                            "headers": _RETRY_AFTER,
                        },
                        **_COMMON_ERRORS,
                    },
                }
            },
            "/api/sources": {
                "get": {
                    "operationId": "listSources",
                    "summary": "The documents the answers come from.",
                    "responses": {
                        "200": _json(_ref("SourceList"), "Every source, without its text."),
                        "503": {
                            **_error("Not loaded (`engine_unavailable`) or busy (`server_busy`)."),
                            "headers": _RETRY_AFTER,
                        },
                        **_COMMON_ERRORS,
                    },
                }
            },
            "/api/sources/{source_id}": {
                "get": {
                    "operationId": "getSource",
                    "summary": "One source with its full display text, to check quotes against.",
                    "parameters": [
                        {
                            "name": "source_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": _json(_ref("SourceDocument"), "The source and its text."),
                        "404": _error("No source with that id (`unknown_source`)."),
                        "503": {
                            **_error("Not loaded (`engine_unavailable`) or busy (`server_busy`)."),
                            "headers": _RETRY_AFTER,
                        },
                        **_COMMON_ERRORS,
                    },
                }
            },
            "/api/health": {
                "get": {
                    "operationId": "health",
                    "summary": "Readiness, model and corpus version.",
                    "responses": {
                        "200": _json(_ref("Health"), "Ready to answer."),
                        "503": {
                            **_json(
                                _ref("Health"),
                                "Not ready; `error` says why. Crisis answers still work.",
                            ),
                            "headers": _RETRY_AFTER,
                        },
                        **_COMMON_ERRORS,
                    },
                }
            },
            "/api/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document.",
                    "responses": {
                        "200": {
                            "description": "OpenAPI 3.1 document.",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        "503": _BUSY,
                        **_COMMON_ERRORS,
                    },
                }
            },
        },
        "components": {"schemas": _schemas(max_question_chars)},
    }
