"""The offline app's endpoints (see the CONTRACT in ``courses.offline``): module manifests,
a fresh CSRF token, the sync of the phone's outbox, and the offline page.

JSON endpoints answer 401 JSON when signed out instead of redirecting to the login page: the
service worker must tell "log in again" from an answer (and keep the outbox meanwhile).
"""

from __future__ import annotations

import hashlib
import json
from copy import copy
from functools import wraps

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from . import offline


def _json_login_required(view):
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            response = JsonResponse({"login_url": reverse("account_login")}, status=401)
            patch_cache_control(response, no_store=True)
            return response
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@_json_login_required
def module_manifest(request: HttpRequest, page_id: int) -> HttpResponse:
    course = offline.manifest_course_get(user=request.user, page_id=page_id)
    # The CSRF secret is part of each page's ETag: make sure it is the one the pages will see.
    get_token(request)
    manifest = offline.module_manifest(request=request, course=course)
    body = json.dumps(manifest, ensure_ascii=False, separators=(",", ":"))
    etag = f'W/"{hashlib.sha256(body.encode()).hexdigest()[:24]}"'
    return offline.conditional_response(
        request, etag=etag,
        render=lambda: HttpResponse(body, content_type="application/json"),
    )


@require_GET
@_json_login_required
def csrf(request: HttpRequest) -> HttpResponse:
    response = JsonResponse({"csrfToken": get_token(request)})
    patch_cache_control(response, no_store=True)
    return response


@require_POST
@_json_login_required
def sync(request: HttpRequest) -> HttpResponse:
    try:
        payload = json.loads(request.body)
        events = payload["events"]
        if not isinstance(events, list):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return _error(_("The items sent could not be read."))
    if len(events) > offline.MAX_EVENTS:
        return _error(ngettext("Send at most %(count)s item at a time.",
                               "Send at most %(count)s items at a time.",
                               offline.MAX_EVENTS) % {"count": offline.MAX_EVENTS})
    response = JsonResponse({"results": offline.sync_events_apply(
        request=request, raw_events=events)})
    patch_cache_control(response, no_store=True)
    return response


def _error(message: str) -> JsonResponse:
    response = JsonResponse({"error": message}, status=400)
    patch_cache_control(response, no_store=True)
    return response


@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    """The page the service worker shows for a navigation to something not downloaded. The
    same for everyone, so it may be cached a day: rendered as for a signed-out visitor (no
    name, no CSRF token in it; ``body[data-user-id]`` is empty)."""
    anonymous = copy(request)
    anonymous.user = AnonymousUser()
    response = render(anonymous, "offline.html", {"offline_page": True})
    patch_cache_control(response, public=True, max_age=60 * 60 * 24)
    return response
