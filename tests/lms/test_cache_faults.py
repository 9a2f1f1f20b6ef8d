"""The site under cache faults, against a real redis-server that each test starts, stops or freezes.

Never the shared Redis on 6379: every test here owns its redis-server process on a free port.
"""

import logging
import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
from django.core.cache import cache
from django.test import Client

from lms.cache import cache_config

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed"),
]

PASSWORD = "correct horse battery staple"


class OwnRedis:
    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def freeze(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.thaw()
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def own_redis(settings, monkeypatch):
    import lms.cache

    # A short breaker window, so that a test sees Redis tried again after it.
    monkeypatch.setattr(lms.cache, "BREAKER_SECONDS", 0.5, raising=False)
    getattr(lms.cache, "_BREAKERS", {}).clear()
    server = OwnRedis()
    settings.CACHES = {
        "default": cache_config({
            "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": server.url,
        })
    }
    yield server
    server.stop()
    getattr(lms.cache, "_BREAKERS", {}).clear()


def _log_in(user) -> Client:
    client = Client()
    response = client.post("/fr/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    assert client.session.get("_auth_user_id") == str(user.pk)
    return client


def test_logins_work_while_the_cache_redis_is_stopped(own_redis, learner, caplog):
    cache.set("probe", "1")
    assert cache.get("probe") == "1"  # the app really uses this Redis
    _log_in(learner)
    own_redis.stop()
    with caplog.at_level(logging.WARNING, logger="lms.cache"):
        _log_in(learner)
        # A wrong password still gets the ordinary answer, not "too many requests".
        other = Client()
        wrong = other.post("/fr/accounts/login/", {"login": learner.email, "password": "no"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in other.session
    assert any("cache unavailable" in r.getMessage() for r in caplog.records)


def test_a_frozen_redis_costs_one_timeout_then_is_skipped(own_redis, site_tree):
    assert Client().get("/fr/").status_code == 200
    own_redis.freeze()
    started = time.monotonic()
    for n in range(8):  # a lesson page makes 7–9 cache calls
        assert cache.get(f"key-{n}") is None
        cache.set(f"key-{n}", n)
    assert Client().get("/fr/").status_code == 200
    elapsed = time.monotonic() - started
    assert elapsed < 2.5, f"{elapsed:.1f} s: each call waited for the frozen Redis"
    own_redis.thaw()
    time.sleep(0.6)  # the breaker lets Redis be tried again after its window
    cache.set("back", "1")
    assert cache.get("back") == "1"


def test_healthz_answers_503_within_3_seconds_with_redis_frozen(own_redis, settings):
    settings.CELERY_BROKER_URL = own_redis.url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    client = Client()
    assert client.get("/healthz").status_code == 200
    own_redis.freeze()
    started = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["cache"].startswith("down") and checks["broker"].startswith("down")
    assert checks["database"] == "ok"
    assert elapsed < 3, f"/healthz took {elapsed:.1f} s with Redis frozen"
    own_redis.thaw()
    time.sleep(0.6)
    assert client.get("/healthz").status_code == 200
