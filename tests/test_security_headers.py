"""Security headers on every response, error responses included: a CSP that forbids inline
script, plugins and <base>, frame-ancestors from the allow-list, nosniff, a referrer policy,
no-store on answers and errors, HSTS over TLS only."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from app import create_app

SOURCE = "stopsim-response-2021"


def directives(policy: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            assert words[0] not in parsed, f"directive {words[0]} twice in {policy!r}"
            parsed[words[0]] = words[1:]
    return parsed


def assert_secure(response, frame_ancestors=("'none'",)):
    headers = response.headers
    where = f"{response.request.method} {response.request.path} -> {response.status_code}"
    policy = directives(headers.get("Content-Security-Policy", ""))
    script = policy.get("script-src", policy.get("default-src"))
    assert script is not None, where
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"} & set(
        script
    ), where
    assert policy.get("object-src") == ["'none'"], where
    assert policy.get("base-uri") == ["'none'"], where
    assert policy.get("frame-ancestors") == list(frame_ancestors), where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") in {"no-referrer", "strict-origin-when-cross-origin"}
    assert headers.get("X-Request-ID"), where
    if response.status_code >= 400:
        assert headers.get("Cache-Control") == "no-store", where
    assert "Strict-Transport-Security" not in headers or response.request.scheme == "https"


@pytest.fixture
def secure_app(engine):
    return create_app({"TESTING": True, "ENGINE": engine})


def _every_route_once(client, app):
    """GET (or POST) every route the app has, with real arguments."""
    responses = []
    for rule in app.url_map.iter_rules():
        path = rule.rule.replace("<source_id>", SOURCE).replace("<path:filename>", "favicon.svg")
        assert "<" not in path, f"test does not know how to fill {rule.rule}"
        if "GET" in rule.methods:
            responses.append(client.get(path))
        if "POST" in rule.methods:
            responses.append(client.post(path, json={"question": "Who developed SIM?"}))
    return responses


def test_every_route_sends_the_headers(secure_app):
    client = secure_app.test_client()
    responses = _every_route_once(client, secure_app)
    assert len(responses) >= 8
    for response in responses:
        assert response.status_code < 400, response.request.path
        assert_secure(response)


def test_answers_are_never_cached(secure_app):
    response = secure_app.test_client().post("/api/ask", json={"question": "Who developed SIM?"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_every_error_response_sends_the_headers(engine):
    app = create_app(
        {"TESTING": True, "ENGINE": engine, "RATELIMIT_ENABLED": True,
         "RATELIMIT_ASK": "1 per minute", "PROPAGATE_EXCEPTIONS": False}
    )  # fmt: skip

    @app.get("/api/test-boom")
    def boom():
        raise RuntimeError("an unexpected failure")

    client = app.test_client()
    addresses = iter(f"192.0.2.{i}" for i in range(1, 200))

    def post(**kwargs):  # each from its own address, so only the last pair meets the limit
        return client.post("/api/ask", environ_base={"REMOTE_ADDR": next(addresses)}, **kwargs)

    cases = [
        client.get("/no/such/page"),
        client.get("/api/no/such"),
        client.get(f"/api/sources/{'x' * 40}"),
        client.get("/sources/nope"),
        client.get("/api/ask"),
        client.delete("/api/sources"),
        post(data="question=hi"),
        post(data=b"{nope", content_type="application/json"),
        post(json={"question": "x" * 10_000}),
        post(data=b"{" + b" " * 20_000 + b"}", content_type="application/json"),
        post(json={"question": "   "}),
        client.get("/api/test-boom"),
        client.post("/api/ask", json={"question": "hello"}),
        client.post("/api/ask", json={"question": "hello"}),  # 429
    ]
    statuses = sorted({r.status_code for r in cases})
    assert statuses == [200, 400, 404, 405, 413, 415, 429, 500], statuses
    for response in cases:
        assert_secure(response)
    down = create_app({"TESTING": True, "ENGINE_LOADER": _cannot_load}).test_client()
    for response in (
        down.post("/api/ask", json={"question": "Who developed SIM?"}),
        down.get("/api/health"),
        down.get(f"/sources/{SOURCE}"),
    ):
        assert response.status_code == 503
        assert_secure(response)


def _cannot_load(settings):
    raise FileNotFoundError("no index")


def test_frame_ancestors_follow_the_allow_list(engine):
    app = create_app(
        {"TESTING": True, "ENGINE": engine,
         "ALLOWED_ORIGINS": "https://www.example.nhs.uk, http://127.0.0.1:8080"}
    )  # fmt: skip
    client = app.test_client()
    for response in (client.get("/"), client.get("/embed"), client.get("/api/nope")):
        assert_secure(response, ("https://www.example.nhs.uk", "http://127.0.0.1:8080"))
        assert "X-Frame-Options" not in response.headers  # it cannot name two sites
    default = create_app({"TESTING": True, "ENGINE": engine}).test_client().get("/embed")
    assert_secure(default)
    assert default.headers["X-Frame-Options"] == "DENY"


def test_hsts_only_over_tls(secure_app, engine):
    client = secure_app.test_client()
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://simqa.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    # A client cannot claim TLS with X-Forwarded-Proto unless a trusted proxy is configured.
    spoofed = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in spoofed.headers
    proxied = create_app({"TESTING": True, "ENGINE": engine, "TRUSTED_PROXIES": 1}).test_client()
    behind = proxied.get("/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "1.2.3.4"})
    assert "Strict-Transport-Security" in behind.headers


class _Inline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in attributes:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler attribute")
        if "style" in attributes:
            self.problems.append(f"<{tag} style=...> inline style")
        if tag == "style":
            self.problems.append("<style> element")
        # A JSON data block is never executed; any other script must be a file.
        is_data = attributes.get("type") == "application/json"
        if tag == "script" and not attributes.get("src") and not is_data:
            self.problems.append("<script> without src")
        if tag in {"a", "form", "iframe"}:
            for name in ("href", "action", "src"):
                if (attributes.get(name) or "").strip().lower().startswith("javascript:"):
                    self.problems.append(f"<{tag} {name}=javascript:...>")


def test_pages_need_nothing_the_policy_forbids(secure_app):
    """Every HTML page works under the CSP: no inline script, handlers or styles."""
    client = secure_app.test_client()
    for response in _every_route_once(client, secure_app):
        if response.mimetype != "text/html":
            continue
        parser = _Inline()
        parser.feed(response.get_data(as_text=True))
        assert not parser.problems, (response.request.path, parser.problems)


@pytest.mark.slow
def test_the_real_server_sends_the_headers(engine, tmp_path):
    from .servers import gunicorn, request

    with gunicorn({"SIMQA_RATELIMIT_ENABLED": "false"}, tmp_path=tmp_path) as server:
        replies = [
            request(server.url + "/"),
            request(server.url + "/api/ask", "POST", {"question": "Who developed SIM?"}),
            request(server.url + "/api/ask", "POST", b"{", {"Content-Type": "application/json"}),
            request(server.url + "/api/ask", "POST", b"x" * 20_000,
                    {"Content-Type": "application/json"}),
            request(server.url + "/nowhere"),
            request(server.url + "/api/ask", "PUT", b"{}"),
        ]  # fmt: skip
        assert [r.status for r in replies] == [200, 200, 400, 413, 404, 405]
        for reply in replies:
            policy = directives(reply.headers["content-security-policy"])
            assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
            assert policy["frame-ancestors"] == ["'none'"]
            assert reply.headers["x-content-type-options"] == "nosniff"
            assert reply.headers["referrer-policy"]
            assert "strict-transport-security" not in reply.headers  # plain HTTP
        assert replies[1].headers["cache-control"] == "no-store"
