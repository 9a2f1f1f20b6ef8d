"""A Redis cache that degrades instead of failing when Redis is down.

Wagtail caches site root paths and allauth keeps rate-limit counters in the cache. If Redis goes
away, pages must still render: reads miss and writes are dropped (logged), and `/healthz` reports
the cache as down. Rate limits fail open meanwhile — a deliberate trade-off for availability.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)
_FAILURES = (ConnectionError, TimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    def _soft(self, method: str, default, *args, **kwargs):
        try:
            return getattr(super(), method)(*args, **kwargs)
        except _FAILURES as exc:
            logger.warning("cache %s failed: %s", method, exc)
            return default

    def get(self, key, default=None, version=None):
        return self._soft("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._soft("get_many", {}, keys, version)

    def set(self, key, value, timeout=None, version=None, **kwargs):
        return self._soft("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=None, version=None):
        return self._soft("add", False, key, value, timeout, version)

    def set_many(self, data, timeout=None, version=None):
        return self._soft("set_many", list(data), data, timeout, version)

    def delete(self, key, version=None):
        return self._soft("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._soft("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except _FAILURES as exc:
            logger.warning("cache incr failed: %s", exc)
            raise ValueError("cache unavailable") from exc

    def touch(self, key, timeout=None, version=None):
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
