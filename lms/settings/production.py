"""Production: hardening only. Fails loudly when a secret or a service is missing."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, SECRET_KEY, env

DEBUG = False

if (
    not env.str("SECRET_KEY", default="")
    or SECRET_KEY.startswith("insecure")
    or len(SECRET_KEY) < 50
):
    raise ImproperlyConfigured("Set SECRET_KEY to a random string of at least 50 characters.")
if not env.str("DATABASE_URL", default="") or DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    raise ImproperlyConfigured("Set DATABASE_URL to a PostgreSQL database.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
# Media come from the web server or object storage in production; Django serves them only when
# asked to. A web server must not serve MEDIA_ROOT/documents/ (see README, "Production").
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)
