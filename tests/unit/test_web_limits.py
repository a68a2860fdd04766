"""Rate limits, login throttling, turn queueing and the pure parts of the web security layer."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from ui.limits import LoginThrottle, ThrottleRule, TokenBuckets, retry_text
from ui.security import (
    OriginPolicy,
    _cookie_token,
    _without_auth,
    default_throttle,
    is_loopback_host,
    login_keys,
)
from ui.turns import TurnQueue

# --------------------------------------------------------------------------- token buckets


def test_bucket_allows_a_burst_then_refills_at_the_rate() -> None:
    buckets = TokenBuckets(rate=0.5, burst=3)  # one token every 2 s
    assert [buckets.take("u", 0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("u", 0.0) == pytest.approx(2.0)
    assert buckets.take("u", 1.0) == pytest.approx(1.0)  # half a token back
    assert buckets.take("u", 2.0) == 0.0
    assert buckets.take("u", 2.0) > 0
    assert buckets.take("other", 2.0) == 0.0  # per key


def test_bucket_never_holds_more_than_the_burst() -> None:
    buckets = TokenBuckets(rate=1.0, burst=2)
    buckets.take("u", 0.0)
    assert [buckets.take("u", 1000.0) for _ in range(3)][2] > 0


def test_bucket_memory_is_bounded() -> None:
    buckets = TokenBuckets(rate=1.0, burst=1, max_keys=10)
    for i in range(100):
        buckets.take(f"u{i}", 0.0)
    assert len(buckets._buckets) == 10


def test_bucket_rejects_bad_settings() -> None:
    with pytest.raises(ValueError):
        TokenBuckets(rate=0, burst=1)


# --------------------------------------------------------------------------- login throttle


def test_throttle_locks_after_the_free_failures_with_doubling_waits() -> None:
    throttle = LoginThrottle({"pair": ThrottleRule(free=3)}, base_s=30, max_s=100)
    keys = ["pair:alice|1.2.3.4"]
    for t in range(3):
        assert throttle.record_failure(keys, float(t)) == 0.0
        assert throttle.retry_after(keys, float(t)) == 0.0
    assert throttle.record_failure(keys, 10.0) == 30.0
    assert throttle.retry_after(keys, 10.0) == pytest.approx(30.0)
    assert throttle.retry_after(keys, 39.0) == pytest.approx(1.0)
    assert throttle.retry_after(keys, 40.0) == 0.0
    assert throttle.record_failure(keys, 41.0) == 60.0
    assert throttle.record_failure(keys, 200.0) == 100.0  # capped


def test_throttle_window_forgets_old_failures() -> None:
    throttle = LoginThrottle({"acct": ThrottleRule(free=2, window_s=60)})
    keys = ["acct:bob"]
    throttle.record_failure(keys, 0.0)
    throttle.record_failure(keys, 1.0)
    assert throttle.record_failure(keys, 100.0) == 0.0  # a new window


def test_success_clears_account_keys_but_not_the_address() -> None:
    throttle = default_throttle()
    keys = login_keys("Alice", "10.0.0.1")
    assert keys == ["pair:alice|10.0.0.1", "acct:alice", "ip:10.0.0.1"]
    for t in range(6):
        throttle.record_failure(keys, float(t))
    assert throttle.retry_after(keys, 6.0) > 0
    throttle.record_success(keys[:2])
    assert throttle.retry_after(keys[:2], 6.0) == 0.0
    assert throttle._state["ip:10.0.0.1"].count == 6


def test_unknown_names_are_throttled_like_real_ones() -> None:
    throttle = default_throttle()
    for name in ("alice", "no-such-user"):
        keys = login_keys(name, "10.0.0.2")
        waits = [throttle.record_failure(keys, float(t)) for t in range(6)]
        assert waits[:5] == [0.0] * 5 and waits[5] == 30.0


def test_an_address_guessing_many_accounts_is_locked() -> None:
    throttle = default_throttle()
    for i in range(30):
        throttle.record_failure(login_keys(f"user{i}", "10.0.0.3"), float(i))
    assert throttle.retry_after(login_keys("fresh", "10.0.0.3"), 30.0) == 0.0
    throttle.record_failure(login_keys("user31", "10.0.0.3"), 31.0)
    assert throttle.retry_after(login_keys("fresh", "10.0.0.3"), 31.0) == pytest.approx(30.0)
    assert throttle.retry_after(login_keys("fresh", "10.0.0.4"), 31.0) == 0.0


def test_retry_text() -> None:
    assert retry_text(0.2) == "1 second"
    assert retry_text(29.1) == "30 seconds"
    assert retry_text(600) == "10 minutes"


# --------------------------------------------------------------------------- turn queue


def test_turns_of_one_thread_run_in_order_and_other_threads_run_at_once() -> None:
    async def scenario() -> tuple[list[str], float]:
        queue, log = TurnQueue(), []

        async def turn(key: str, name: str, delay: float) -> None:
            async with queue.turn(key):
                log.append(f"start {name}")
                await asyncio.sleep(delay)
                log.append(f"end {name}")

        loop = asyncio.get_running_loop()
        started = loop.time()
        await asyncio.gather(turn("t1", "a", 0.2), turn("t1", "b", 0.01),
                             turn("t1", "c", 0.01), turn("t2", "x", 0.2))
        assert len(queue) == 0  # locks are dropped when idle
        return log, loop.time() - started

    log, elapsed = asyncio.run(scenario())
    t1 = [e for e in log if e[-1] in "abc"]
    assert t1 == ["start a", "end a", "start b", "end b", "start c", "end c"]
    assert log.index("start x") < log.index("end a")  # another thread did not wait
    assert elapsed < 0.35


def test_a_failing_turn_releases_the_thread() -> None:
    async def scenario() -> int:
        queue = TurnQueue()
        with pytest.raises(RuntimeError):
            async with queue.turn("t"):
                raise RuntimeError("boom")
        async with queue.turn("t"):
            return queue.waiting("t")

    assert asyncio.run(scenario()) == 1


# --------------------------------------------------------------------------- origins & tokens


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("127.0.0.1:8000", True), ("localhost:8000", True), ("[::1]:80", True),
    ("::1", True), ("0.0.0.0", False), ("192.168.1.5:8000", False), ("evil.example", False),
    ("localhost.evil.example", False), ("", False)])
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


def test_origin_policy_same_origin_and_allow_list() -> None:
    policy = OriginPolicy(["https://app.example.com/"])
    assert policy.allows(None, "http", "127.0.0.1:8000")
    assert policy.allows("http://127.0.0.1:8000", "http", "127.0.0.1:8000")
    assert policy.allows("http://127.0.0.1:8000", "ws", "127.0.0.1:8000")
    assert policy.allows("https://app.example.com", "http", "127.0.0.1:8000")
    assert not policy.allows("http://evil.example", "http", "127.0.0.1:8000")
    assert not policy.allows("http://127.0.0.1:9999", "http", "127.0.0.1:8000")
    assert not policy.allows("https://127.0.0.1:8000", "http", "127.0.0.1:8000")
    assert not policy.allows("null", "http", "127.0.0.1:8000")


def test_session_cookie_is_read_whole_or_chunked_and_stripped() -> None:
    assert _cookie_token("a=1; access_token=tok; b=2") == "tok"
    assert _cookie_token("access_token_0=ab; access_token_1=cd") == "abcd"
    assert _cookie_token("a=1") is None
    headers = [(b"cookie", b"a=1; access_token=tok; b=2"), (b"authorization", b"Bearer tok"),
               (b"host", b"x")]
    assert _without_auth(headers) == [(b"cookie", b"a=1; b=2"), (b"host", b"x")]
    assert _without_auth([(b"cookie", b"access_token=tok")]) == []


# --------------------------------------------------------------------------- middleware


class _Guard:
    async def ais_active(self, sid: str, login: str) -> bool:
        return sid == "live"


def _call(mode: str, *, path: str = "/", method: str = "GET", host: str = "127.0.0.1:8000",
          origin: str | None = None, scheme: str = "http") -> tuple[int, list[tuple[bytes, bytes]]]:
    """One HTTP request through SecurityMiddleware in front of an app that sets a cookie."""
    from ui.security import OriginPolicy, SecurityMiddleware

    async def app(scope: dict, receive: object, send: object) -> None:
        await send({"type": "http.response.start", "status": 200,  # type: ignore[operator]
                    "headers": [(b"set-cookie", b"access_token=t; HttpOnly; Path=/")]})
        await send({"type": "http.response.body", "body": b"ok"})  # type: ignore[operator]

    headers = [(b"host", host.encode())] + ([(b"origin", origin.encode())] if origin else [])
    scope = {"type": "http", "method": method, "path": path, "headers": headers,
             "scheme": scheme, "client": ("127.0.0.1", 5000)}
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    async def send(message: Any) -> None:
        sent.append(message)

    middleware = SecurityMiddleware(app, mode=mode, policy=OriginPolicy([]),
                                    guard=_Guard(), cookie_secure="auto")  # type: ignore[arg-type]
    asyncio.run(middleware(scope, receive, send))
    return sent[0]["status"], sent[0]["headers"]


def test_middleware_open_mode_only_for_loopback_names_except_signed_webhooks() -> None:
    assert _call("open")[0] == 200
    assert _call("open", host="evil.example")[0] == 403  # DNS rebinding
    assert _call("open", host="tunnel.example", path="/slack/events", method="POST")[0] == 200
    assert _call("password", host="jobs.example.com")[0] == 200


def test_middleware_refuses_cross_origin_writes_and_marks_cookies_secure_over_https() -> None:
    assert _call("password", method="POST", origin="http://evil.example")[0] == 403
    assert _call("password", method="GET", origin="http://evil.example")[0] == 200
    assert _call("password", method="POST", origin="http://127.0.0.1:8000")[0] == 200
    assert _call("open", path="/auth/header", method="POST", origin="http://evil.example")[0] \
        == 403
    plain = dict(_call("password")[1])[b"set-cookie"]
    secure = dict(_call("password", scheme="https")[1])[b"set-cookie"]
    assert b"Secure" not in plain and secure.endswith(b"; Secure")
