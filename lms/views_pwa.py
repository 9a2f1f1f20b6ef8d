"""The installable app: the service worker script and the web app manifests.

Both live outside the language prefix (``lms.urls_pwa``): one worker controls the whole site
(scope ``/``) whatever the language, and each language has its own manifest (name, ``dir``,
``lang``, ``start_url`` on that language's "My learning"), linked from ``templates/base.html``.

The worker (``static/js/sw.js``) is served by a view rather than as a static file because:

- it must be at the root to control ``/`` (a worker's scope is at most its own directory, unless
  ``Service-Worker-Allowed`` widens it, which we also send);
- it must never sit in an HTTP cache for a year like hashed static files (``no-cache``: the
  browser revalidates it on each update check);
- it must know the shell to precache by its *served* URLs (hashed names in production) and a
  version: the hash of the shell's URLs and contents together with the worker's own source. A
  changed stylesheet or script thus gives a new worker, which installs a new shell cache beside
  the old one and takes over on the next page load (see sw.js, "Updates").

No third-party PWA package: django-pwa's default worker precaches ~500 KB of icons; ours
precaches the few files every page needs (``bench/bench_offline_client.py`` measures them).
"""

import hashlib
import json
import re
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

# What every page needs, offline included: the site's stylesheet and scripts (pages use system
# fonts: no web font to download), the course pages' own stylesheet and script, the logo.
SHELL_STATIC = (
    "css/site.css",
    "css/courses.css",
    "css/offline.css",
    "js/courses.js",
    "js/outbox.js",
    "js/offline.js",
    "img/logo.svg",
    "img/favicon.svg",
)
WORKER_SOURCE = "js/sw.js"
THEME_COLOUR = "#0b5d7a"  # --brand in static/css/site.css
BACKGROUND_COLOUR = "#ffffff"  # --paper
ICONS = (
    ("img/icon.svg", "any", "image/svg+xml"),
    ("img/icon-192.png", "192x192", "image/png"),
    ("img/icon-512.png", "512x512", "image/png"),
)


def _static_bytes(name: str) -> bytes:
    """A static file's contents: from the collected files when they exist (production), from
    the source directories otherwise (development, tests)."""
    path = finders.find(name)
    if path:
        with open(path, "rb") as handle:
            return handle.read()
    with staticfiles_storage.open(name) as handle:
        return handle.read()


def _language_paths(url_name: str) -> list[str]:
    """The path of a named URL in every site language (the worker matches requests by path)."""
    paths = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            try:
                paths.append(reverse(url_name))
            except NoReverseMatch:
                continue
    return paths


def worker_config() -> dict:
    """What the worker needs from Django: the shell's served URLs, the version, the paths of the
    account pages it watches (logging out clears the learner's offline data) and the offline
    pages."""
    shell = [staticfiles_storage.url(name) for name in SHELL_STATIC]
    digest = hashlib.sha256(_static_bytes(WORKER_SOURCE))
    for name, url in zip(SHELL_STATIC, shell, strict=True):
        digest.update(url.encode())
        digest.update(_static_bytes(name))
    return {
        "version": digest.hexdigest()[:12],
        "shell": shell,
        "outbox": staticfiles_storage.url("js/outbox.js"),
        "logout": _language_paths("account_logout"),
        "login": _language_paths("account_login"),
        "offline": {code: f"/{code}/offline/" for code, _name in settings.LANGUAGES},
        "static": settings.STATIC_URL,
    }


@cache
def _worker_script_cached() -> bytes:
    return _worker_script()


# The worker's opening comment is its documentation, for developers: phones are not sent it.
_OPENING_COMMENT = re.compile(rb"\A\s*/\*.*?\*/\s*", re.DOTALL)


def _worker_script() -> bytes:
    config = json.dumps(worker_config(), separators=(",", ":"))
    source = _OPENING_COMMENT.sub(b"", _static_bytes(WORKER_SOURCE), count=1)
    return f"self.PAS = {config};\n".encode() + source


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """``/sw.js``: the worker with its configuration prepended (``self.PAS``). Computed once per
    process in production (collected files do not change under a running process), on every
    request where static files are served live (development, tests)."""
    live = settings.DEBUG or getattr(settings, "WHITENOISE_AUTOREFRESH", False)
    body = _worker_script() if live else _worker_script_cached()
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def web_manifest(request: HttpRequest, lang: str) -> JsonResponse:
    """``/manifest/<lang>.webmanifest``: the app as installed from a page in ``lang``."""
    languages = dict(settings.LANGUAGES)
    if lang not in languages:
        raise Http404
    with translation.override(lang):
        manifest = {
            "id": "/",
            "name": _("Passerelle — training for fair labour migration"),
            "short_name": _("Passerelle"),
            "description": _("Lessons and quizzes for migrant workers and their families, "
                             "also without a connection."),
            "lang": lang,
            "dir": "rtl" if translation.get_language_bidi() else "ltr",
            "start_url": reverse("courses:my_learning"),
            "scope": "/",
            "display": "standalone",
            "theme_color": THEME_COLOUR,
            "background_color": BACKGROUND_COLOUR,
            "icons": [
                {"src": staticfiles_storage.url(name), "sizes": sizes, "type": kind,
                 "purpose": "any maskable"}
                for name, sizes, kind in ICONS
            ],
        }
    response = JsonResponse(manifest, content_type="application/manifest+json",
                            json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=86400"
    return response
