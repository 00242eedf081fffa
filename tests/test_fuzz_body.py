"""Hypothesis fuzzing of POST /api/ask bodies: random unicode, NUL, lone surrogates, RTL and
zero-width characters, 10k emoji, nested JSON, huge numbers, raw bytes. Never a 5xx; a 200 is
a valid Answer for the trimmed question; anything else is a 4xx in the one error shape."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import create_app

from .test_security_headers import directives

ASK = "/api/ask"
SPECIALS = [
    "\x00", "\ud800", "\udfff", "\udbff\udc00", "\u202e", "\u202d", "\u200f", "\u061c",
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u0085", "\x1c", "\u2028", "\u3000",
    "\u0301", "😀", "👩‍👩‍👧‍👦", "🏳️‍⚧️", "\U0010ffff", "\ufffd", "SIM", "Who developed SIM?",
    " ", "\n", "\t", "\\", '"', "</script>", "<img src=x onerror=alert(1)>", "%00", "${{7*7}}",
]  # fmt: skip
FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

characters = st.characters(codec=None, exclude_categories=())  # surrogates and controls too
hostile_text = st.lists(st.one_of(st.sampled_from(SPECIALS), characters), max_size=60).map(
    "".join
)
numbers = st.one_of(
    st.integers(),
    st.integers(min_value=10**300, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
)
json_values = st.recursive(
    st.none() | st.booleans() | numbers | hostile_text,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(hostile_text, inner, max_size=5),
    max_leaves=25,
)


def _encode(value, ascii_only: bool) -> bytes:
    text = json.dumps(value, ensure_ascii=ascii_only, allow_nan=True)
    return text.encode("utf-8", "surrogatepass")  # lone surrogates become invalid UTF-8


bodies = st.one_of(
    # {"question": hostile text}, escaped (\ud800 in JSON) or raw (invalid UTF-8 bytes)
    st.builds(lambda q, a: _encode({"question": q}, a), hostile_text, st.booleans()),
    st.builds(lambda v, a: _encode({"question": v}, a), json_values, st.booleans()),
    st.builds(lambda v, a: _encode(v, a), json_values, st.booleans()),
    st.builds(
        lambda n, d: ("[" * n + "]" * n if d else '{"question":' * n + '"x"' + "}" * n).encode(),
        st.integers(1, 9000),
        st.booleans(),
    ),
    st.builds(lambda digits: b'{"question": ' + b"9" * digits + b"}", st.integers(1, 15000)),
    st.sampled_from([b'{"question": 1e999999}', b'{"question": -1e309}', b'{"question": NaN}',
                     b'{"question": Infinity}', b"", b"null", b'"question"', b"\xef\xbb\xbf{}"]),
    st.binary(max_size=20_000),
)  # fmt: skip


@pytest.fixture(scope="module")
def fuzz_app(engine):
    return create_app({"TESTING": True, "ENGINE": engine})


def check_reply(status, mimetype, payload, csp, sent_question, check_answer):
    assert status in {200, 400, 413, 415}, (status, payload)
    assert mimetype == "application/json"
    assert directives(csp)["object-src"] == ["'none'"]
    if status == 200:
        check_answer(payload)
        assert isinstance(sent_question, str)
        assert payload["question"] == sent_question.strip()
    else:
        assert set(payload) == {"error"}
        assert set(payload["error"]) == {"code", "message"}
        assert payload["error"]["code"].replace("_", "").isalpha()


@pytest.fixture(scope="module")
def check_answer(openapi_spec):
    from jsonschema import Draft202012Validator

    schema = {"$ref": "#/components/schemas/Answer", "components": openapi_spec["components"]}
    return Draft202012Validator(schema).validate


def _question_of(body: bytes):
    try:
        return json.loads(body.decode("utf-8")).get("question")
    except Exception:
        return None


@FUZZ
@given(body=bodies)
def test_any_body_gets_an_answer_or_a_clear_4xx(fuzz_app, check_answer, body):
    response = fuzz_app.test_client().post(ASK, data=body, content_type="application/json")
    check_reply(
        response.status_code,
        response.mimetype,
        response.get_json(),
        response.headers["Content-Security-Policy"],
        _question_of(body),
        check_answer,
    )


@FUZZ
@given(question=hostile_text.filter(lambda q: q.strip()))
def test_hostile_questions_are_answered_or_refused_cleanly(fuzz_app, check_answer, question):
    body = json.dumps({"question": question}).encode()  # always valid JSON (escaped)
    response = fuzz_app.test_client().post(ASK, data=body, content_type="application/json")
    received = json.loads(body)["question"]  # an escaped surrogate pair decodes to one character
    has_surrogate = any(0xD800 <= ord(c) <= 0xDFFF for c in received)
    assert response.status_code == (400 if has_surrogate else 200), response.get_json()
    check_reply(
        response.status_code,
        response.mimetype,
        response.get_json(),
        response.headers["Content-Security-Policy"],
        received,
        check_answer,
    )


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"question": "😀" * 10_000}, 413, "payload_too_large"),
        ({"question": "😀" * 3_000}, 400, "question_too_long"),
        ({"question": "\u200b" * 20 + "Who developed SIM?" + "\u202e"}, 200, None),
        ({"question": "\x00Who developed SIM?\x00"}, 200, None),
        ({"question": "\u200b\u200c\u200d\u2060\ufeff"}, 200, None),
        ({"question": 10**4000}, 400, "invalid_question"),
    ],
)
def test_named_hostile_bodies(fuzz_app, check_answer, body, status, code):
    data = json.dumps(body, ensure_ascii=False).encode()
    response = fuzz_app.test_client().post(ASK, data=data, content_type="application/json")
    assert response.status_code == status, response.get_json()
    if code:
        assert response.get_json()["error"]["code"] == code
    else:
        check_answer(response.get_json())


@pytest.mark.slow
def test_fuzzed_bodies_through_the_real_server(engine, tmp_path, check_answer):
    from .servers import gunicorn, request

    env = {"SIMQA_RATELIMIT_ENABLED": "false"}
    with gunicorn(env, tmp_path=tmp_path, threads=4) as server:

        @settings(FUZZ, max_examples=80)
        @given(body=bodies)
        def one(body):
            reply = request(
                server.url + ASK, "POST", body, {"Content-Type": "application/json"}
            )
            check_reply(
                reply.status,
                reply.headers["content-type"].split(";")[0],
                reply.json(),
                reply.headers["content-security-policy"],
                _question_of(body),
                check_answer,
            )

        one()
        assert "Traceback" not in server.log()


ROUTES = ["/api/ask", "/api/sources", "/api/sources/stopsim-response-2021", "/api/health",
          "/api/openapi.json", "/api/nowhere", "/", "/sources/x"]  # fmt: skip
content_types = st.one_of(
    st.sampled_from(["application/json", "application/json; charset=utf-8", "text/plain",
                     "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                     "application/json; charset=latin-1", "application/merge-patch+json", ""]),
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=60),
)  # fmt: skip


@FUZZ
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"]),
    path=st.sampled_from(ROUTES),
    content_type=content_types,
    body=st.binary(max_size=20_000) | st.builds(lambda q: _encode({"question": q}, False),
                                                 hostile_text),
)  # fmt: skip
def test_any_method_content_type_and_size_is_refused_cleanly(
    fuzz_app, method, path, content_type, body
):
    response = fuzz_app.test_client().open(
        path, method=method, data=body, headers={"Content-Type": content_type}
    )
    assert response.status_code < 500 or (
        response.status_code == 503 and response.get_json()["error"]["code"] == "server_busy"
    ), (response.status_code, response.get_data()[:300])
    assert "Content-Security-Policy" in response.headers
    if path.startswith("/api/") and response.status_code >= 400 and method != "HEAD":
        assert set(response.get_json()["error"]) >= {"code", "message"}
