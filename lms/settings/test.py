"""Test settings: fast hashing, in-memory mail outbox, the real database and broker when set.

``.ci/run`` exports ``DATABASE_URL`` and ``CELERY_BROKER_URL`` when PostgreSQL and Redis answer,
so the same suite runs against them there and against SQLite elsewhere.
"""

import os

from lms.cache import cache_config

from .base import *  # noqa: F403
from .base import STATIC_ROOT, STORAGES, VAR_DIR, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "test-media"
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1"… under pytest -n
CACHES = {
    "default": cache_config(env.cache_url("CACHE_URL", default="locmemcache://passerelle-tests")),
}
if XDIST_WORKER:
    # Workers share the Redis database: each keeps to its own keys (see tests/conftest.py).
    CACHES["default"]["KEY_PREFIX"] = XDIST_WORKER
# The suite drives tasks explicitly: unit tests check that a task is queued and call the service,
# integration tests start a worker, and a test that wants a task run in-process asks for the
# ``celery_eager`` fixture. Without a broker, tasks are queued in memory and never run.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or "memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# One queue per pytest-xdist worker (the worker tests' Celery worker inherits the variable), so a
# worker never takes the tasks another test process queued for its own database.
CELERY_TASK_DEFAULT_QUEUE = f"celery-{XDIST_WORKER}" if XDIST_WORKER else "celery"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # quiets WhiteNoise when nothing is collected
CERTIFICATE_ISSUER_KEY_AUTOGENERATE = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, like the embedded default: shared-cache in-memory SQLite answers "table is locked"
    # at once instead of waiting for the busy timeout, which made the concurrency tests flaky.
    # One file per pytest-xdist worker (pytest-django appends its "_gw0" to the name as well).
    name = f"test-db-{XDIST_WORKER}.sqlite3" if XDIST_WORKER else "test-db.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / name)}  # noqa: F405
