"""/api/openapi.json is a valid OpenAPI 3.1 document and describes exactly the routes that exist."""

from __future__ import annotations

import re
from pathlib import Path

from openapi_spec_validator import validate

from app.openapi import ERROR_CODES

APP_DIR = Path(__file__).resolve().parents[1] / "app"


def test_the_document_is_valid_openapi_3_1(openapi_spec):
    assert openapi_spec["openapi"].startswith("3.1")
    validate(openapi_spec)


def test_every_api_route_is_documented_and_every_documented_route_exists(app, openapi_spec):
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add((path, method.lower()))
    documented = {(path, method) for path, item in openapi_spec["paths"].items() for method in item}
    assert routes == documented


def test_the_limit_in_the_document_is_the_servers(client, engine):
    spec = client.get("/api/openapi.json").get_json()
    question = spec["components"]["schemas"]["AskRequest"]["properties"]["question"]
    assert question["maxLength"] == engine.settings.max_question_chars


def test_every_error_code_the_app_raises_is_listed():
    raised = set()
    for source in APP_DIR.glob("*.py"):
        raised |= set(re.findall(r'ApiError\(\s*\d{3},\s*"([a-z_]+)"', source.read_text()))
    assert raised, "no ApiError codes found: did the pattern change?"
    assert raised <= set(ERROR_CODES)
