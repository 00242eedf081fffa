"""No question text and no client address in any log the server writes: a real gunicorn is
asked questions holding a (fake) email address, phone number and NHS number, in bodies, paths,
query strings, headers and malformed requests, and everything it writes is searched."""

from __future__ import annotations

import logging
import re
import socket
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest

from app import create_app
from app.logging_setup import ROUTE_KEY, PrivateLogger, RedactingFilter, redact

from .servers import gunicorn, request

CLIENT = "127.0.0.7"  # the test's own loopback address; the server binds 127.0.0.1
FORWARDED = "203.0.113.9"
EMAIL = "jo.bloggs.simqa@example.com"
PHONE = "07700 900 123"
NHS_NUMBER = "943 476 5919"
MARKER = "Zebedee"  # a word found nowhere else
QUESTION = (
    f"Who developed SIM? I'm {MARKER}, my email is {EMAIL}, phone {PHONE}, "
    f"NHS number {NHS_NUMBER}"
)
SECRETS = [
    CLIENT, FORWARDED, EMAIL, "jo.bloggs", PHONE, PHONE.replace(" ", ""), NHS_NUMBER,
    NHS_NUMBER.replace(" ", ""), MARKER, MARKER.lower(), "developed SIM",
]  # fmt: skip


def assert_private(text: str) -> None:
    lowered = text.lower()
    found = [s for s in SECRETS if s.lower() in lowered]
    assert not found, f"found {found} in the log:\n{text[-3000:]}"


def _raw(port: int, payload: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(CLIENT, 0)) as s:
        s.sendall(payload)
        s.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.slow
def test_nothing_personal_in_any_log_of_the_real_server(engine, tmp_path):
    env = {"SIMQA_LOG_COUNTERS_SECONDS": "1"}
    with gunicorn(env, tmp_path=tmp_path) as server:
        url = server.url

        def call(path, method="GET", body=None, headers=None):
            return request(url + path, method, body, headers, source=CLIENT)

        answered = call("/api/ask", "POST", {"question": QUESTION})
        assert answered.status == 200 and answered.json()["status"] in {"answered", "not_found"}
        crisis = call("/api/ask", "POST", {"question": f"I want to end my life. {MARKER} {PHONE}"})
        assert crisis.json()["status"] == "crisis"
        assert call("/api/ask", "POST", {"question": QUESTION + " x" * 300}).status == 400
        assert call("/api/ask", "POST", f'{{"question": "{QUESTION}"',
                    {"Content-Type": "application/json"}).status == 400  # fmt: skip
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        assert call("/api/ask", "POST", f"question={QUESTION}", form).status == 415
        assert call(f"/{EMAIL}/{MARKER}").status == 404
        assert call(f"/api/sources/{NHS_NUMBER.replace(' ', '')}").status == 404
        assert call(f"/?q={PHONE.replace(' ', '+')}&email={EMAIL}").status == 200
        headers = {
            "X-Forwarded-For": FORWARDED,
            "Referer": f"https://intranet.example.nhs.uk/?patient={EMAIL}",
            "User-Agent": f"{MARKER}-browser {PHONE}",
            "X-Request-ID": MARKER,
        }
        assert call("/api/ask", "POST", {"question": "hello"}, headers).status == 200
        bad_line = _raw(server.port, f"GET /{MARKER}/{EMAIL} HTTP/1.1 junk\r\n\r\n".encode())
        assert bad_line.startswith(b"HTTP/1.1 400")
        huge_header = _raw(
            server.port,
            f"GET / HTTP/1.1\r\nHost: x\r\nX-Note: {EMAIL} {'a' * 9000}\r\n\r\n".encode(),
        )
        assert huge_header.split(b" ", 2)[1] in {b"400", b"431"}
        time.sleep(1.2)
        assert call("/api/health").status == 200  # the next request logs the counters
        server.stop(graceful=True)
        log = server.log()
    assert_private(log)
    # What the log does hold: request ids, routes, statuses, timings, counters.
    assert "POST /api/ask HTTP/1.1\" 200" in log
    assert "GET /sources/<source_id>" not in log  # only routes that were asked for
    assert "GET /api/sources/<source_id> HTTP/1.1\" 404" in log
    assert "GET - HTTP/1.1\" 404" in log  # an unknown path is not written out
    assert "rid=" in log and "ms rid=" in log
    assert "counters " in log and "answer_crisis=1" in log
    assert re.search(r"answer_(answered|not_found)=1", log)
    assert "Invalid request" in log  # gunicorn's complaint is kept, without its details


def test_app_logs_hold_no_question_text_even_when_answering_fails(engine, caplog):
    class Broken:
        settings = engine.settings

        def ask(self, question):
            raise ValueError(f"cannot answer {question!r}")  # an exception that quotes input

        def __getattr__(self, name):
            return getattr(engine, name)

    app = create_app({"ENGINE": Broken(), "RATELIMIT_ENABLED": False, "LOG_COUNTERS_SECONDS": 0})
    client = app.test_client()
    with caplog.at_level(logging.DEBUG):
        response = client.post(
            "/api/ask", json={"question": QUESTION}, environ_base={"REMOTE_ADDR": CLIENT}
        )
    assert response.status_code == 500
    assert_private(response.get_data(as_text=True))
    text = "\n".join(
        f"{r.getMessage()} {r.exc_text or ''} {getattr(r, 'stack_info', '') or ''}"
        for r in caplog.records
    )
    assert "unhandled ValueError" in text
    assert_private(text)


def test_counters_are_logged_without_anything_per_person(engine, caplog):
    app = create_app({"ENGINE": engine, "RATELIMIT_ENABLED": False, "LOG_COUNTERS_SECONDS": 0.01})
    client = app.test_client()
    with caplog.at_level(logging.INFO, logger="simqa"):
        client.post("/api/ask", json={"question": QUESTION}, environ_base={"REMOTE_ADDR": CLIENT})
        time.sleep(0.02)
        client.get("/api/health")
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("counters ")]
    assert lines and "requests=" in lines[-1]
    assert re.search(r"answer_(answered|not_found)=1", lines[-1])
    assert_private("\n".join(r.getMessage() for r in caplog.records))


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Invalid request from ip=127.0.0.7: Invalid HTTP request line: 'GET /a@b.co HTTP/1.1 x'",
         "Invalid request: Invalid HTTP request line"),
        ("Error handling request /api/ask?q=secret", "Error handling request (path not logged)"),
        ("client 192.0.2.44 and 2001:db8::7 wrote jo@example.org",
         "client [address] and [address] wrote [email]"),
        ("worker 12:34:56 took 1.5 s (v1.2.3)", "worker 12:34:56 took 1.5 s (v1.2.3)"),
        ("Listening at: http://127.0.0.1:8000 (42)", "Listening at: http://127.0.0.1:8000 (42)"),
    ],
)  # fmt: skip
def test_redact(message, expected):
    assert redact(message) == expected


def test_redacting_filter_rewrites_formatted_records():
    record = logging.LogRecord("gunicorn.error", logging.WARNING, __file__, 1,
                               "from %s: %s", ("192.0.2.1", EMAIL), None)  # fmt: skip
    assert RedactingFilter().filter(record)
    assert record.getMessage() == "from [address]: [email]"


def test_access_log_atoms_hold_the_route_not_what_was_sent():
    logger = PrivateLogger.__new__(PrivateLogger)
    logger.cfg = SimpleNamespace(access_log_format="", logconfig_dict=None)
    environ = {
        "REMOTE_ADDR": CLIENT, "REQUEST_METHOD": "GET", "RAW_URI": f"/api/sources/{EMAIL}?q=1",
        "PATH_INFO": f"/api/sources/{EMAIL}", "QUERY_STRING": "q=1", "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": EMAIL, "HTTP_USER_AGENT": MARKER, ROUTE_KEY: "/api/sources/<source_id>",
    }  # fmt: skip
    response = SimpleNamespace(status="404 NOT FOUND", sent=10, headers=[("X-Request-ID", "r1")])
    req = SimpleNamespace(headers=[("X-FORWARDED-FOR", FORWARDED), ("COOKIE", EMAIL)])
    atoms = logger.atoms(response, req, environ, timedelta(milliseconds=5))
    assert atoms["U"] == "/api/sources/<source_id>"
    assert atoms["r"] == "GET /api/sources/<source_id> HTTP/1.1"
    assert atoms["{x-request-id}o"] == "r1"
    assert_private(repr(atoms))
