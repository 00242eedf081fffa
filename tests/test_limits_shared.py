"""With SIMQA_RATELIMIT_STORAGE_URI=redis://..., two real gunicorn servers share one quota per
client; a spoofed X-Forwarded-For does not reset it; the store never holds the address."""

from __future__ import annotations

import pytest

from .servers import NO_MODEL, ask, gunicorn, redis_available, redis_server, request

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not redis_available(), reason="needs redis-server (scripts/install-system-deps.sh)"
    ),
]

LIMIT = 4


def _env(redis_port: int) -> dict[str, str]:
    return {
        # No model: workers start in seconds and answer small talk without it, which is all a
        # rate-limit test needs (the limit sits in front of the engine).
        "SIMQA_MODEL": NO_MODEL,
        "SIMQA_RATELIMIT_ENABLED": "true",
        "SIMQA_RATELIMIT_ASK": f"{LIMIT} per minute",
        "SIMQA_RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{redis_port}/0",
        "SIMQA_RATELIMIT_KEY_SALT": "shared-test-secret",
    }


def test_two_servers_share_one_quota_per_client(tmp_path):
    import redis

    with redis_server(tmp_path) as port, gunicorn(
        _env(port), tmp_path=tmp_path, ready=(503,)
    ) as first, gunicorn(_env(port), tmp_path=tmp_path, ready=(503,)) as second:
        servers = [first.url, second.url]
        statuses = [ask(servers[i % 2], "hello").status for i in range(LIMIT + 4)]
        assert statuses == [200] * LIMIT + [429] * 4, statuses

        refused = ask(second.url, "hello")
        assert refused.status == 429
        assert int(refused.headers["retry-after"]) >= 1
        assert refused.json()["error"]["code"] == "too_many_requests"
        assert "default-src 'self'" in refused.headers["content-security-policy"]

        # A client cannot pose as someone else: X-Forwarded-For is ignored without a trusted
        # proxy, whatever it says and on either server.
        for i, fake in enumerate(["203.0.113.10", "198.51.100.7, 203.0.113.11", "::1", "x"]):
            spoofed = ask(servers[i % 2], "hello", headers={"X-Forwarded-For": fake})
            assert spoofed.status == 429, fake

        # Another client (another loopback address) has its own quota on both servers.
        assert ask(first.url, "hello", source="127.0.0.2").status == 200
        assert ask(second.url, "hello", source="127.0.0.2").status == 200

        # Health is never limited.
        assert request(first.url + "/api/health").status == 503  # no model: not ready

        keys = [k.decode() for k in redis.Redis(port=port).keys("*")]
        assert keys, "the counters live in redis"
        assert not [k for k in keys if "127.0.0." in k], keys


def test_an_unreachable_store_does_not_take_the_service_down(tmp_path):
    from .servers import free_port

    dead = free_port()  # nothing listens here
    env = {**_env(dead), "SIMQA_RATELIMIT_ASK": "100 per minute"}
    with gunicorn(env, tmp_path=tmp_path, ready=(503,)) as server:
        replies = [ask(server.url, "hello") for _ in range(5)]
        assert [r.status for r in replies] == [200] * 5
