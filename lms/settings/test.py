"""Test settings: fast hashing, in-memory mail outbox, the real database and broker when set.

``.ci/run`` exports ``DATABASE_URL`` and ``CELERY_BROKER_URL`` when PostgreSQL and Redis answer,
so the same suite runs against them there and against SQLite elsewhere.
"""

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
CACHES = {
    "default": cache_config(env.cache_url("CACHE_URL", default="locmemcache://passerelle-tests")),
}
# The suite drives tasks explicitly: unit tests call services, integration tests start a worker.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # quiets WhiteNoise when nothing is collected
CERTIFICATE_ISSUER_KEY_AUTOGENERATE = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, like the embedded default: shared-cache in-memory SQLite answers "table is locked"
    # at once instead of waiting for the busy timeout, which made the concurrency tests flaky.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}  # noqa: F405
