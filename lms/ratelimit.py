"""A fixed-window rate limit per client IP, kept in the shared cache.

The client IP is allauth's, so that our limits (verification lookups) and allauth's (logins,
sign-ups, password resets) count the same client. gunicorn 27 takes ``REMOTE_ADDR`` from the
socket peer only: behind a reverse proxy that is the proxy's address, shared by every visitor.
The real client then comes from a header that only the proxy sets, configured by environment:
``TRUSTED_CLIENT_IP_HEADER`` (e.g. ``X-Real-IP``, which the proxy overwrites) or
``TRUSTED_PROXY_COUNT`` (how many proxies of ours append to ``X-Forwarded-For``). With neither
set, forwarded headers are ignored: anyone can send them.
"""

import time

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address as allauth sees it (trusted header, trusted proxies, or peer)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:  # the configured header is missing: one shared bucket
        return "unknown"


def rate_limit_exceeded(request: HttpRequest, *, scope: str, limit: int, period: int = 60) -> bool:
    """Count this request; True once the client went over ``limit`` requests in the window."""
    window = int(time.time() // period)
    key = f"ratelimit:{scope}:{client_ip(request)}:{window}"
    if cache.add(key, 1, timeout=period + 5):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr, or the cache is down (fail open)
        cache.add(key, 1, timeout=period + 5)
        return False
    return count > limit
