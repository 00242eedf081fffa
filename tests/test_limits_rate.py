"""Per-client rate limits: 429 in the JSON error shape with Retry-After, counted per client
address (never a header the client picks, unless a trusted proxy count is set), settings."""

from __future__ import annotations

import pytest

from app import create_app
from app.limits import DEFAULTS

ASK = "/api/ask"


def _app(engine, **config):
    settings = {"TESTING": True, "ENGINE": engine, "RATELIMIT_ENABLED": True, **config}
    return create_app(settings)


def _ask(client, address="192.0.2.1", question="hello", headers=None):
    return client.post(
        ASK,
        json={"question": question},
        headers=headers or {},
        environ_base={"REMOTE_ADDR": address},
    )


def test_past_the_limit_a_client_gets_429_with_retry_after(engine, check_openapi):
    client = _app(engine, RATELIMIT_ASK="3 per minute").test_client()
    assert [_ask(client).status_code for _ in range(3)] == [200] * 3
    refused = _ask(client)
    assert refused.status_code == 429
    check_openapi(refused, ASK, "post")
    assert refused.get_json()["error"]["code"] == "too_many_requests"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["Cache-Control"] == "no-store"
    # The limit is per client: someone else is still answered.
    assert _ask(client, address="192.0.2.2").status_code == 200


def test_spoofed_forwarded_headers_do_not_reset_the_quota(engine):
    client = _app(engine, RATELIMIT_ASK="2 per minute").test_client()
    assert [_ask(client).status_code for _ in range(2)] == [200, 200]
    for fake in ["203.0.113.5", "198.51.100.1, 203.0.113.6", "127.0.0.1", "::1", "nonsense"]:
        spoofed = _ask(client, headers={"X-Forwarded-For": fake, "X-Real-IP": fake,
                                        "Forwarded": f"for={fake}"})
        assert spoofed.status_code == 429, fake


def test_with_a_trusted_proxy_the_client_is_the_address_it_appended(engine):
    """Behind one proxy the socket peer is the proxy; the proxy's appended (rightmost)
    X-Forwarded-For entry is the client, and entries the client wrote itself are ignored."""
    client = _app(engine, RATELIMIT_ASK="2 per minute", TRUSTED_PROXIES=1).test_client()
    proxy = "10.0.0.1"

    def via_proxy(forwarded):
        return _ask(client, address=proxy, headers={"X-Forwarded-For": forwarded})

    assert [via_proxy("203.0.113.5").status_code for _ in range(2)] == [200, 200]
    assert via_proxy("203.0.113.5").status_code == 429
    assert via_proxy("198.51.100.99, 203.0.113.5").status_code == 429  # spoofed prefix
    assert via_proxy("203.0.113.6").status_code == 200  # another client behind the proxy


def test_ipv6_clients_are_counted_per_64(engine):
    client = _app(engine, RATELIMIT_ASK="2 per minute").test_client()
    assert _ask(client, address="2001:db8:1:2::1").status_code == 200
    assert _ask(client, address="2001:db8:1:2::ffff").status_code == 200
    assert _ask(client, address="2001:db8:1:2:abcd::9").status_code == 429  # same /64
    assert _ask(client, address="2001:db8:1:3::1").status_code == 200  # another /64


def test_other_routes_have_their_own_limit_and_health_has_none(engine, check_openapi):
    client = _app(engine, RATELIMIT_DEFAULT="2 per minute").test_client()
    environ = {"REMOTE_ADDR": "192.0.2.9"}
    statuses = [client.get("/api/sources", environ_base=environ).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    check_openapi(client.get("/api/sources", environ_base=environ), "/api/sources", "get")
    page = client.get("/", environ_base=environ)
    assert page.status_code == 200  # counted apart from /api/sources
    client.get("/", environ_base=environ)
    page = client.get("/", environ_base=environ)
    assert page.status_code == 429
    assert page.mimetype == "text/html" and page.headers["Retry-After"]
    for _ in range(5):
        assert client.get("/api/health", environ_base=environ).status_code == 200
    assert _ask(client, address="192.0.2.9").status_code == 200  # asking has its own limit


def test_counters_hold_a_keyed_hash_never_the_address(engine):
    app = _app(engine, RATELIMIT_ASK="5 per minute")
    _ask(app.test_client(), address="192.0.2.77")
    storage = app.extensions["simqa_limiter"].storage
    keys = list(getattr(storage, "storage", {}))
    assert keys and not [k for k in keys if "192.0.2.77" in k]


def test_limits_are_on_by_default_off_under_testing_and_switchable(engine, monkeypatch):
    assert DEFAULTS["RATELIMIT_ENABLED"] is None
    assert create_app({"ENGINE": engine}).config["RATELIMIT_ENABLED"] is True
    assert create_app({"ENGINE": engine, "TESTING": True}).config["RATELIMIT_ENABLED"] is False
    monkeypatch.setenv("SIMQA_RATELIMIT_ENABLED", "false")
    app = create_app({"ENGINE": engine})
    assert app.config["RATELIMIT_ENABLED"] is False
    client = app.test_client()
    assert all(_ask(client).status_code == 200 for _ in range(70))  # past the 60/minute default


def test_storage_uri_and_limits_come_from_the_environment(engine, monkeypatch):
    monkeypatch.setenv("SIMQA_RATELIMIT_STORAGE_URI", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("SIMQA_RATELIMIT_ASK", "7 per hour")
    monkeypatch.setenv("SIMQA_TRUSTED_PROXIES", "2")
    app = create_app({"ENGINE": engine})
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:1/0"
    assert type(app.extensions["simqa_limiter"].storage).__name__ == "RedisStorage"
    assert app.config["RATELIMIT_ASK"] == "7 per hour"
    assert app.wsgi_app.__class__.__name__ == "ProxyFix" and app.wsgi_app.x_for == 2


def test_an_unreachable_store_fails_open(engine):
    """Counting falls back to memory; nobody gets a 5xx because redis is down."""
    client = _app(
        engine, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0", RATELIMIT_ASK="100 per minute"
    ).test_client()
    assert [_ask(client).status_code for _ in range(3)] == [200] * 3


@pytest.mark.parametrize("value", ["2 per minute", "2/minute;100/hour"])
def test_limit_strings_in_either_notation(engine, value):
    client = _app(engine, RATELIMIT_ASK=value).test_client()
    assert [_ask(client).status_code for _ in range(3)] == [200, 200, 429]
