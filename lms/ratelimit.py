"""A fixed-window rate limit per client IP, kept in the shared cache."""

import time

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: a forwarded header is trivially forged unless a trusted proxy sets it
    # (configure the proxy to overwrite REMOTE_ADDR, e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limit_exceeded(request: HttpRequest, *, scope: str, limit: int, period: int = 60) -> bool:
    """Count this request; True once the client went over ``limit`` requests in the window."""
    window = int(time.time() // period)
    key = f"ratelimit:{scope}:{client_ip(request)}:{window}"
    if cache.add(key, 1, timeout=period + 5):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=period + 5)
        return False
    return count > limit
