"""The in-flight cap: past SIMQA_MAX_IN_FLIGHT requests in one process, a fast 503 with
Retry-After in the JSON error shape instead of a queue; health is never refused."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from app import create_app
from app.limits import DEFAULT_MAX_IN_FLIGHT

from .servers import ask, gunicorn, request


class HeldEngine:
    """The real engine, except that ask() waits until the test lets it go."""

    def __init__(self, engine):
        self._engine = engine
        self.gate = threading.Event()
        self.entered = threading.Semaphore(0)

    def ask(self, question):
        self.entered.release()
        self.gate.wait(timeout=30)
        return self._engine.ask(question)

    def __getattr__(self, name):
        return getattr(self._engine, name)


def test_past_the_cap_requests_get_a_fast_503(engine, serve_app, check_openapi):
    held = HeldEngine(engine)
    app = create_app({"ENGINE": held, "MAX_IN_FLIGHT": 2, "RATELIMIT_ENABLED": False})
    with serve_app(app) as url, ThreadPoolExecutor(2) as pool:
        base = url.replace("localhost", "127.0.0.1")
        waiting = [pool.submit(ask, base, "Who developed SIM?") for _ in range(2)]
        for _ in range(2):
            assert held.entered.acquire(timeout=10)
        busy = ask(base, "Who developed SIM?", timeout=5)
        assert busy.status == 503
        assert busy.seconds < 1.0
        assert busy.headers["retry-after"] == "2"
        error = busy.json()["error"]
        assert error["code"] == "server_busy" and "116 123" in error["message"]
        assert error["request_id"] == busy.headers["x-request-id"]
        assert "content-security-policy" in busy.headers
        assert request(base + "/api/health").status == 200  # never refused
        held.gate.set()
        assert [f.result().status for f in waiting] == [200, 200]
        assert ask(base, "Who developed SIM?").status == 200  # slots are given back
    assert app.extensions["simqa_in_flight"].count == 0


def test_the_busy_reply_matches_the_openapi_document(engine, check_openapi):
    held = HeldEngine(engine)
    app = create_app({"ENGINE": held, "MAX_IN_FLIGHT": 1, "RATELIMIT_ENABLED": False})
    first = threading.Thread(
        target=lambda: app.test_client().post("/api/ask", json={"question": "Who developed SIM?"})
    )
    first.start()
    assert held.entered.acquire(timeout=10)
    client = app.test_client()
    check_openapi(client.post("/api/ask", json={"question": "x"}), "/api/ask", "post")
    for path in ("/api/sources", "/api/openapi.json"):
        check_openapi(client.get(path), path, "get")
    check_openapi(
        client.get("/api/sources/stopsim-response-2021"), "/api/sources/{source_id}", "get"
    )
    page = client.get("/")
    assert page.status_code == 503 and page.mimetype == "text/html"
    held.gate.set()
    first.join()


def test_a_failing_request_gives_its_slot_back(engine):
    class Broken:
        settings = engine.settings

        def ask(self, question):
            raise RuntimeError("boom")

        def __getattr__(self, name):
            return getattr(engine, name)

    app = create_app({"ENGINE": Broken(), "MAX_IN_FLIGHT": 1, "RATELIMIT_ENABLED": False})
    client = app.test_client()
    for _ in range(3):
        assert client.post("/api/ask", json={"question": "Who?"}).status_code == 500
    assert app.extensions["simqa_in_flight"].count == 0


def test_cap_defaults(engine):
    assert create_app({"ENGINE": engine}).extensions["simqa_in_flight"].most == (
        DEFAULT_MAX_IN_FLIGHT
    )
    assert create_app({"ENGINE": engine, "TESTING": True}).extensions["simqa_in_flight"].most == 0
    capped = create_app({"ENGINE": engine, "TESTING": True, "MAX_IN_FLIGHT": 3})
    assert capped.extensions["simqa_in_flight"].most == 3


@pytest.mark.slow
def test_a_burst_on_the_real_server_gets_answers_or_fast_busy_replies(engine, tmp_path):
    env = {"SIMQA_MAX_IN_FLIGHT": "2", "SIMQA_RATELIMIT_ENABLED": "false"}
    with gunicorn(env, workers=1, threads=8, tmp_path=tmp_path) as server:
        barrier = threading.Barrier(40)

        def one(i):
            barrier.wait(timeout=30)
            return ask(server.url, f"What did the StopSIM Coalition say about police? {i}")

        with ThreadPoolExecutor(40) as pool:
            replies = list(pool.map(one, range(40)))
        statuses = sorted({r.status for r in replies})
        assert set(statuses) <= {200, 503}, statuses
        busy = [r for r in replies if r.status == 503]
        assert busy, "40 at once past a cap of 2 must refuse some"
        assert all(r.headers.get("retry-after") for r in busy)
        assert all(r.json()["error"]["code"] == "server_busy" for r in busy)
        assert any(r.status == 200 for r in replies)
        # Refusals are fast: they never wait behind the questions being answered.
        assert max(r.seconds for r in busy) < 2.0, sorted(r.seconds for r in busy)[-5:]
        time.sleep(0.5)
        assert ask(server.url, "Who developed SIM?").status == 200
