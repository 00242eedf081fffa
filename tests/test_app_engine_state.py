"""The engine loads once per process, and when it cannot load, crisis answers still work."""

from __future__ import annotations

import threading
import time

import pytest

from app import create_app


def _failing_loader(calls):
    def load(settings):
        calls.append(time.monotonic())
        raise FileNotFoundError("index/manifest.json is missing")

    return load


@pytest.fixture
def down_app():
    calls: list[float] = []
    app = create_app({"TESTING": True, "ENGINE_LOADER": _failing_loader(calls)})
    app.calls = calls
    return app


def test_crisis_is_answered_when_the_engine_cannot_load(down_app, check_openapi):
    response = down_app.test_client().post("/api/ask", json={"question": "I want to end my life"})
    assert response.status_code == 200
    check_openapi(response, "/api/ask", "post")
    body = response.get_json()
    assert body["status"] == "crisis"
    assert body["signposting"][0]["contact"]
    assert any(s["contact"] == "116 123" for s in body["signposting"])


def test_other_questions_get_a_json_503_when_the_engine_cannot_load(down_app, check_openapi):
    client = down_app.test_client()
    response = client.post("/api/ask", json={"question": "Who developed SIM?"})
    assert response.status_code == 503
    check_openapi(response, "/api/ask", "post")
    assert response.get_json()["error"]["code"] == "engine_unavailable"
    assert "116 123" in response.get_json()["error"]["message"]
    assert response.headers["Retry-After"]
    for path, spec_path in [
        ("/api/sources", "/api/sources"),
        ("/api/sources/stopsim-response-2021", "/api/sources/{source_id}"),
    ]:
        response = client.get(path)
        assert response.status_code == 503
        check_openapi(response, spec_path, "get")


def test_health_reports_not_ready(down_app, check_openapi):
    client = down_app.test_client()
    client.post("/api/ask", json={"question": "Who developed SIM?"})
    response = client.get("/api/health")
    assert response.status_code == 503
    check_openapi(response, "/api/health", "get")
    body = response.get_json()
    assert body["ready"] is False
    assert body["status"] == "failed"
    assert body["error"]["code"] == "engine_unavailable"
    assert "manifest" not in response.get_data(as_text=True)  # internals stay in the log


def test_pages_still_render_without_the_engine(down_app):
    client = down_app.test_client()
    page = client.get("/")
    assert page.status_code == 200
    assert "can't be shown right now" in page.get_data(as_text=True)
    viewer = client.get("/sources/stopsim-response-2021")
    assert viewer.status_code == 503
    assert viewer.mimetype == "text/html"


def test_a_failed_load_is_not_retried_on_every_request(down_app):
    client = down_app.test_client()
    for _ in range(5):
        client.post("/api/ask", json={"question": "Who developed SIM?"})
    assert len(down_app.calls) == 1


def test_a_failed_load_is_retried_after_a_pause(engine):
    attempts = []

    def flaky(settings):
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("not yet")
        return engine

    app = create_app({"TESTING": True, "ENGINE_LOADER": flaky})
    app.extensions["simqa"]._retry_seconds = 0.05
    client = app.test_client()
    assert client.post("/api/ask", json={"question": "Who developed SIM?"}).status_code == 503
    time.sleep(0.1)
    response = client.post("/api/ask", json={"question": "Who developed SIM?"})
    assert response.status_code == 200
    assert response.get_json()["status"] == "answered"


def test_the_engine_loads_once_however_many_requests_arrive_together(engine):
    loads = []

    def slow_loader(settings):
        loads.append(1)
        time.sleep(0.3)
        return engine

    app = create_app({"TESTING": True, "ENGINE_LOADER": slow_loader})
    statuses = []

    def hit():
        statuses.append(app.test_client().get("/api/sources").status_code)

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 8
    assert loads == [1]


def test_health_does_not_load_the_engine():
    loads = []
    app = create_app({"TESTING": True, "ENGINE_LOADER": lambda s: loads.append(1)})
    response = app.test_client().get("/api/health")
    assert response.status_code == 503
    assert response.get_json()["status"] == "not_loaded"
    assert loads == []


def test_real_load_failure_keeps_the_crisis_path(tmp_path):
    """Engine.load itself failing (no corpus, no index, no auto build), not a stand-in."""
    from simqa.config import Settings

    settings = Settings(
        corpus_dir=str(tmp_path / "no-corpus"),
        index_dir=str(tmp_path / "no-index"),
        auto_build=False,
    )
    client = create_app({"TESTING": True, "SETTINGS": settings}).test_client()
    assert client.post("/api/ask", json={"question": "Who developed SIM?"}).status_code == 503
    crisis = client.post("/api/ask", json={"question": "I am going to kill myself tonight"})
    assert crisis.status_code == 200
    assert crisis.get_json()["status"] == "crisis"
