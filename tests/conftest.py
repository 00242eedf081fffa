"""Shared fixtures: one real Engine per session, the Flask app and client, live servers."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# Nothing may be fetched from a model hub; the bundled model is on disk.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def engine():
    """The real engine on the real corpus (bundled model), loaded once for the whole session."""
    from simqa.config import Settings
    from simqa.engine import Engine

    return Engine.load(Settings.from_env())


@pytest.fixture
def app(engine):
    from app import create_app

    return create_app({"TESTING": True, "ENGINE": engine})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def openapi_spec():
    from app.openapi import document

    return document()


@pytest.fixture(scope="session")
def check_openapi(openapi_spec):
    """check_openapi(response, "/api/sources/{source_id}", "get") validates status and body."""
    from jsonschema import Draft202012Validator

    components = openapi_spec["components"]

    def check(response, path: str, method: str) -> None:
        operation = openapi_spec["paths"][path][method]
        documented = operation["responses"]
        status = str(response.status_code)
        assert status in documented, f"{method.upper()} {path} -> {status} is not documented"
        assert response.mimetype == "application/json"
        schema = documented[status]["content"]["application/json"]["schema"]
        Draft202012Validator({**schema, "components": components}).validate(response.get_json())

    return check


@contextmanager
def serve(flask_app) -> Iterator[str]:
    """Serve `flask_app` on a free loopback port in a thread; yields the base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, flask_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def serve_app():
    """serve_app(flask_app) is a context manager yielding the URL of a live server."""
    return serve


@pytest.fixture(scope="session")
def live_url(engine) -> Iterator[str]:
    """A real HTTP server for the browser tests, sharing the session engine."""
    from app import create_app

    with serve(create_app({"ENGINE": engine})) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium, one per test module."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (scripts/install-browser.sh)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
