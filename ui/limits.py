"""Rate limits and login throttling: small, pure, in-memory and clock-injected (tests pass
``now``).

- :class:`TokenBuckets`: per key (a user id), ``burst`` actions at once, refilled at ``rate``
  per second. Chat turns and uploads of the web chat use one each.
- :class:`LoginThrottle`: failed logins counted per key (the account, the client address and
  the pair) within a window; past a free allowance each further failure locks the key for a
  doubling time, up to a cap. Keys exist for names that have no account too, so the answer
  never tells whether an account exists.

State lives in the process (one ``jobfit ui`` server); it is bounded (``max_keys``, oldest
dropped first) so a flood of made-up names or addresses cannot grow it without limit.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass


class TokenBuckets:
    """One token bucket per key: ``burst`` tokens, refilled at ``rate`` tokens per second."""

    def __init__(self, *, rate: float, burst: int, max_keys: int = 100_000) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate, self.burst, self.max_keys = rate, float(burst), max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, t)

    def take(self, key: str, now: float) -> float:
        """Spend one token: 0.0 when allowed, else the seconds until one is available."""
        tokens, last = self._buckets.pop(key, (self.burst, now))
        tokens = min(self.burst, tokens + max(0.0, now - last) * self.rate)
        if tokens >= 1.0:
            self._store(key, (tokens - 1.0, now))
            return 0.0
        self._store(key, (tokens, now))
        return (1.0 - tokens) / self.rate

    def _store(self, key: str, value: tuple[float, float]) -> None:
        self._buckets[key] = value
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)


@dataclass(frozen=True)
class ThrottleRule:
    """Failures allowed on a key kind within ``window_s`` before lockouts start."""

    free: int
    window_s: float = 900.0


@dataclass
class _Failures:
    count: int
    first: float
    locked_until: float


class LoginThrottle:
    """Failed-login lockouts per key with exponential backoff.

    A key's ``free`` failures within its window cost nothing; the n-th failure beyond that
    locks the key for ``base_s * 2**(n-1)`` seconds (capped at ``max_s``). A success clears
    the keys it is given (the account and the account+address pair, not the address: one
    good account must not reset an address guessing at others).
    """

    def __init__(self, rules: dict[str, ThrottleRule], *, base_s: float = 30.0,
                 max_s: float = 900.0, max_keys: int = 100_000) -> None:
        self.rules, self.base_s, self.max_s, self.max_keys = rules, base_s, max_s, max_keys
        self._state: OrderedDict[str, _Failures] = OrderedDict()

    @staticmethod
    def key(kind: str, value: str) -> str:
        return f"{kind}:{value}"

    def retry_after(self, keys: list[str], now: float) -> float:
        """Seconds until a login on these keys may be tried (0.0: now)."""
        wait = 0.0
        for key in keys:
            state = self._state.get(key)
            if state is not None and state.locked_until > now:
                wait = max(wait, state.locked_until - now)
        return wait

    def record_failure(self, keys: list[str], now: float) -> float:
        """Count a failed login on every key; returns the longest lockout it started."""
        wait = 0.0
        for key in keys:
            rule = self.rules[key.split(":", 1)[0]]
            state = self._state.pop(key, None)
            if state is None or now - state.first > rule.window_s:
                state = _Failures(count=0, first=now, locked_until=0.0)
            state.count += 1
            excess = state.count - rule.free
            if excess > 0:
                lock = min(self.max_s, self.base_s * 2 ** min(excess - 1, 30))
                state.locked_until = now + lock
                wait = max(wait, lock)
            self._state[key] = state
        while len(self._state) > self.max_keys:
            self._state.popitem(last=False)
        return wait

    def record_success(self, keys: list[str]) -> None:
        for key in keys:
            self._state.pop(key, None)


def retry_text(seconds: float) -> str:
    """``45 seconds`` / ``3 minutes``: a wait as a person reads it (rounded up)."""
    s = max(1, math.ceil(seconds))
    if s < 90:
        return f"{s} second{'s' if s != 1 else ''}"
    m = math.ceil(s / 60)
    return f"{m} minutes"
