"""The JSON API through the Flask test client, on the real engine and corpus."""

from __future__ import annotations

import json

import pytest

ASK = "/api/ask"


def ask(client, question):
    return client.post(ASK, json={"question": question})


def test_ask_returns_exactly_the_engine_answer(client, engine, check_openapi):
    response = ask(client, "  Who developed SIM?  ")
    assert response.status_code == 200
    check_openapi(response, ASK, "post")
    body = response.get_json()
    assert body == json.loads(json.dumps(engine.ask("Who developed SIM?").to_dict()))
    assert body["status"] == "answered"
    assert body["question"] == "Who developed SIM?"
    assert "Paul Jennings" in body["quotes"][0]["text"]
    assert response.headers["Cache-Control"] == "no-store"


def test_every_quote_is_the_source_text_at_its_offsets(client):
    body = ask(client, "Who developed SIM?").get_json()
    assert body["quotes"]
    for quote in body["quotes"]:
        source = client.get(f"/api/sources/{quote['source_id']}").get_json()
        assert source["text"][quote["start"] : quote["end"]] == quote["text"]
        assert (
            quote["viewer_url"]
            == f"/sources/{quote['source_id']}#q={quote['start']}-{quote['end']}"
        )
        assert quote["publisher"] == source["publisher"]


@pytest.mark.parametrize(
    ("question", "status"),
    [
        ("I want to kill myself", "crisis"),
        ("hello", "smalltalk"),
        ("What is the capital of France?", "not_found"),
    ],
)
def test_each_answer_status(client, check_openapi, question, status):
    response = ask(client, question)
    assert response.status_code == 200
    check_openapi(response, ASK, "post")
    body = response.get_json()
    assert body["status"] == status
    assert body["message"]
    if status == "crisis":
        contacts = [s["contact"] for s in body["signposting"]]
        assert "116 123" in contacts
    if status == "not_found":
        assert all(q["role"] == "related" for q in body["quotes"])


def test_sources_list(client, engine, check_openapi):
    response = client.get("/api/sources")
    assert response.status_code == 200
    check_openapi(response, "/api/sources", "get")
    body = response.get_json()
    assert [s["id"] for s in body["sources"]] == [d.id for d in engine.documents()]
    assert len(body["sources"]) == 5
    assert body["corpus_version"] == engine.corpus_version
    first = body["sources"][0]
    assert first["viewer_url"] == f"/sources/{first['id']}"
    assert first["api_url"] == f"/api/sources/{first['id']}"
    assert "text" not in first


def test_one_source_with_its_full_text(client, engine, check_openapi):
    response = client.get("/api/sources/stopsim-response-2021")
    assert response.status_code == 200
    check_openapi(response, "/api/sources/{source_id}", "get")
    body = response.get_json()
    document = engine.source("stopsim-response-2021")
    assert body["text"] == document.text
    assert body["length"] == len(document.text)
    assert body["publisher"] == "The StopSIM Coalition"
    assert body["date"] == "2021-05-12"


def test_health_when_ready(client, engine, check_openapi):
    response = client.get("/api/health")
    assert response.status_code == 200
    check_openapi(response, "/api/health", "get")
    assert response.get_json() == {
        "status": "ready",
        "ready": True,
        "model": engine.model_name,
        "corpus_version": engine.corpus_version,
        "documents": 5,
    }


def test_openapi_document_is_served(client, openapi_spec):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.get_json() == openapi_spec


def _raw(client, data, content_type="application/json", method="post", path=ASK):
    return client.open(path, method=method.upper(), data=data, content_type=content_type)


ERROR_CASES = [
    # (id, request, status, code)
    ("missing", lambda c: c.post(ASK, json={}), 400, "missing_question"),
    (
        "other-field",
        lambda c: c.post(ASK, json={"q": "Who developed SIM?"}),
        400,
        "missing_question",
    ),
    ("empty", lambda c: c.post(ASK, json={"question": ""}), 400, "empty_question"),
    ("whitespace", lambda c: c.post(ASK, json={"question": " \n\t "}), 400, "empty_question"),
    ("number", lambda c: c.post(ASK, json={"question": 42}), 400, "invalid_question"),
    ("null", lambda c: c.post(ASK, json={"question": None}), 400, "invalid_question"),
    ("list", lambda c: c.post(ASK, json={"question": ["Who?"]}), 400, "invalid_question"),
    ("lone-surrogate", lambda c: _raw(c, '{"question": "\\ud800 SIM?"}'), 400, "invalid_question"),
    ("too-long", lambda c: c.post(ASK, json={"question": "a" * 501}), 400, "question_too_long"),
    ("not-an-object", lambda c: c.post(ASK, json=["Who developed SIM?"]), 400, "invalid_body"),
    ("malformed", lambda c: _raw(c, '{"question": '), 400, "invalid_json"),
    ("not-utf8", lambda c: _raw(c, b'{"question": "\xff"}'), 400, "invalid_json"),
    ("deep", lambda c: _raw(c, "[" * 5000 + "]" * 5000), 400, "invalid_json"),
    (
        "text-plain",
        lambda c: _raw(c, '{"question": "Who?"}', "text/plain"),
        415,
        "unsupported_media_type",
    ),
    ("form", lambda c: c.post(ASK, data={"question": "Who?"}), 415, "unsupported_media_type"),
    ("no-type", lambda c: _raw(c, '{"question": "Who?"}', None), 415, "unsupported_media_type"),
    ("too-big", lambda c: _raw(c, json.dumps({"question": "x" * 17000})), 413, "payload_too_large"),
    ("get-ask", lambda c: c.get(ASK), 405, "method_not_allowed"),
    ("put-ask", lambda c: c.put(ASK, json={"question": "Who?"}), 405, "method_not_allowed"),
    ("post-sources", lambda c: c.post("/api/sources", json={}), 405, "method_not_allowed"),
    (
        "delete-source",
        lambda c: c.delete("/api/sources/stopsim-response-2021"),
        405,
        "method_not_allowed",
    ),
    ("unknown-source", lambda c: c.get("/api/sources/no-such-doc"), 404, "unknown_source"),
    ("unknown-path", lambda c: c.get("/api/nothing-here"), 404, "not_found"),
    ("api-root", lambda c: c.get("/api"), 404, "not_found"),
]

# The documented operation whose responses an error at that path must match.
SPEC_OPERATIONS = {ASK: "post", "/api/sources": "get"}


@pytest.mark.parametrize(
    ("make_request", "status", "code"),
    [pytest.param(make, status, code, id=name) for name, make, status, code in ERROR_CASES],
)
def test_errors_are_json_with_a_code_and_a_plain_message(
    client, check_openapi, make_request, status, code
):
    response = make_request(client)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    message = body["error"]["message"]
    assert message and "Traceback" not in message and "<" not in message
    assert response.headers["X-Request-ID"]
    if status == 405:
        assert "Allow" in response.headers
    path = response.request.path
    if path.startswith("/api/sources/"):
        check_openapi(response, "/api/sources/{source_id}", "get")
    elif path in SPEC_OPERATIONS:
        check_openapi(response, path, SPEC_OPERATIONS[path])


def test_question_at_the_limit_is_accepted(client):
    assert ask(client, "a" * 500).status_code == 200
    assert ask(client, "  " + "a" * 500 + "  ").status_code == 200


def test_question_limit_is_a_setting(engine):
    from app import create_app

    app = create_app(
        {
            "TESTING": True,
            "ENGINE": engine,
            "SETTINGS": engine.settings.with_(max_question_chars=20),
        }
    )
    response = app.test_client().post(ASK, json={"question": "Who developed the SIM model then?"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "question_too_long"


def test_body_limit_is_a_setting(engine, monkeypatch):
    from app import create_app

    monkeypatch.setenv("SIMQA_MAX_CONTENT_LENGTH", "100")
    app = create_app({"TESTING": True, "ENGINE": engine})
    assert app.config["MAX_CONTENT_LENGTH"] == 100
    response = app.test_client().post(ASK, json={"question": "Who developed SIM? " * 10})
    assert response.status_code == 413
    app = create_app({"TESTING": True, "ENGINE": engine, "MAX_CONTENT_LENGTH": 1000})
    assert app.config["MAX_CONTENT_LENGTH"] == 1000


class _FailingEngine:
    """The real engine, except that answering raises with the question in the message."""

    def __init__(self, real):
        self._real = real

    def __getattr__(self, name):
        return getattr(self._real, name)

    def ask(self, question):
        raise RuntimeError(f"simulated failure while answering {question!r}")


def test_unexpected_failure_is_a_json_500_with_a_request_id(engine, caplog):
    from app import create_app

    app = create_app({"ENGINE": _FailingEngine(engine)})
    response = app.test_client().post(ASK, json={"question": "Who developed SIM?"})
    assert response.status_code == 500
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == "internal_error"
    assert error["request_id"] == response.headers["X-Request-ID"]
    assert "simulated" not in response.get_data(as_text=True)
    assert error["request_id"] in caplog.text
    assert "RuntimeError" in caplog.text
    assert "Who developed" not in caplog.text  # the exception message quoted the question


def test_unexpected_failure_on_a_page_is_an_html_page_with_the_request_id(engine):
    from app import create_app

    class NoDocuments(_FailingEngine):
        def source(self, source_id):
            raise RuntimeError("simulated")

    app = create_app({"ENGINE": NoDocuments(engine)})
    response = app.test_client().get("/sources/stopsim-response-2021")
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert response.headers["X-Request-ID"] in page
    assert "Traceback" not in page and "simulated" not in page


def test_no_route_sets_a_cookie(client):
    for response in (
        client.get("/"),
        client.get("/sources/stopsim-response-2021"),
        client.get("/api/sources"),
        client.get("/api/health"),
        ask(client, "Who developed SIM?"),
        client.get("/api/sources/nope"),
    ):
        assert "Set-Cookie" not in response.headers


def test_question_never_travels_in_a_url(client):
    # No GET route takes a question: the only way to ask is a POST body.
    assert client.get(ASK + "?question=Who+developed+SIM").status_code == 405
    page = client.get("/").get_data(as_text=True)
    assert 'method="post"' in page
