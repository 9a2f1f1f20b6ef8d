"""Embedded default for `make run`: debug on, no collected static needed."""

from .base import *  # noqa: F403
from .base import STATIC_ROOT, STORAGES, env

DEBUG = env.bool("DEBUG", default=True)
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # quiets WhiteNoise when nothing is collected
CERTIFICATE_ISSUER_KEY_AUTOGENERATE = env.bool("CERTIFICATE_ISSUER_KEY_AUTOGENERATE", default=True)
