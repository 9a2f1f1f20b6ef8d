"""A Redis cache that degrades instead of failing when Redis is down.

Wagtail caches site root paths and allauth keeps rate-limit counters in the cache. If Redis goes
away, pages must still render: reads miss and writes are dropped (logged), and `/healthz` reports
the cache as down. Rate limits fail open meanwhile — a deliberate trade-off for availability:
``add()`` answers True on an outage, because allauth takes its rate-limit lock with ``add()``
and a False would refuse every login (429) for as long as Redis is away.

A small circuit breaker keeps a stopped or frozen Redis from costing a socket timeout on every
call: after a failure, the process skips Redis for ``breaker_seconds`` (OPTIONS, default 5)
and answers as for an outage at once; the first call after that tries Redis again.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)
_FAILURES = (ConnectionError, TimeoutError, OSError)
BREAKER_SECONDS = 5.0


class _Breaker:
    """Per process and per Redis location (Django makes one cache object per thread)."""

    def __init__(self) -> None:
        self.open_until = 0.0
        self.lock = threading.Lock()

    def is_open(self) -> bool:
        return time.monotonic() < self.open_until

    def trip(self, seconds: float, method: str, exc: BaseException) -> None:
        with self.lock:
            was_open = self.open_until > 0
            self.open_until = time.monotonic() + seconds
        if not was_open:
            logger.error(
                "cache unavailable (%s failed: %s); skipping Redis for %.0f s at a time, "
                "rate limits fail open", method, exc, seconds,
            )
        else:
            logger.warning("cache %s failed again: %s", method, exc)

    def reset(self) -> None:
        if self.open_until:
            with self.lock:
                self.open_until = 0.0
            logger.warning("cache available again")


_BREAKERS: dict[str, _Breaker] = {}
_BREAKERS_LOCK = threading.Lock()


def _breaker_for(location: str) -> _Breaker:
    with _BREAKERS_LOCK:
        return _BREAKERS.setdefault(location, _Breaker())


class CacheUnavailable(ValueError):
    """``incr`` on an outage: a ValueError, as Django raises for a missing key."""


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.breaker_seconds = float(options.pop("breaker_seconds", BREAKER_SECONDS))
        super().__init__(server, {**params, "OPTIONS": options})
        self._breaker = _breaker_for(server if isinstance(server, str) else ",".join(server))

    def _call(self, method: str, *args, **kwargs):
        """Call Redis unless the breaker is open; raise CacheUnavailable on an outage."""
        if self._breaker.is_open():
            raise CacheUnavailable(f"cache {method} skipped: Redis failed recently")
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except _FAILURES as exc:
            self._breaker.trip(self.breaker_seconds, method, exc)
            raise CacheUnavailable(f"cache {method} failed: {exc}") from exc
        self._breaker.reset()
        return result

    def _soft(self, method: str, default, *args, **kwargs):
        try:
            return self._call(method, *args, **kwargs)
        except CacheUnavailable:
            return default

    def get(self, key, default=None, version=None):
        return self._soft("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._soft("get_many", {}, keys, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, **kwargs):
        return self._soft("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # True on an outage: callers use add() as a lock (allauth's rate limits), and a lock
        # that can never be taken would refuse every login. Limits fail open instead.
        return self._soft("add", True, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft("set_many", list(data), data, timeout, version)

    def delete(self, key, version=None):
        return self._soft("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._soft("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft("touch", False, key, timeout, version)

    def has_key(self, key, version=None):
        return self._soft("has_key", False, key, version)

    def clear(self):
        return self._soft("clear", None)


def cache_config(config: dict) -> dict:
    """Swap Django's Redis backend for the resilient one and bound its socket waits."""
    if config.get("BACKEND") == "django.core.cache.backends.redis.RedisCache":
        config = {**config, "BACKEND": "lms.cache.ResilientRedisCache"}
        options = dict(config.get("OPTIONS", {}))
        options.setdefault("socket_connect_timeout", 1)
        options.setdefault("socket_timeout", 1)
        config["OPTIONS"] = options
    return config
