"""Account pages that allauth does not provide, the privacy policy and the health check."""

import posixpath
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.static import serve
from kombu import Connection

from .forms import ProfileForm, VerificationResendForm
from .ratelimit import rate_limit_exceeded
from .services import email_verification_resend, user_profile_update


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            user = user_profile_update(user=request.user, data=dict(form.cleaned_data))
            messages.success(request, _("Your profile has been saved."))
            # Saving a new preferred language switches the site to it.
            with translation.override(user.preferred_language):
                return redirect(reverse("profile"))
        messages.error(request, _("Please correct the errors below."))
    return render(request, "account/profile.html", {"form": form})


@never_cache
def verification_resend(request: HttpRequest) -> HttpResponse:
    """"Send the link again" from the check-your-e-mail page: same answer whatever the address,
    a few per client IP, and allauth's own limit per address."""
    if request.method != "POST":
        return redirect("account_email_verification_sent")
    if rate_limit_exceeded(request, scope="verification-resend", limit=3, period=600):
        return render(request, "account/verification_resend_limited.html", status=429)
    form = VerificationResendForm(request.POST)
    if form.is_valid():
        email_verification_resend(request=request, email=form.cleaned_data["email"])
    messages.info(
        request,
        _("If an account is waiting to be confirmed at this address, we have sent the link again."),
    )
    return redirect("account_email_verification_sent")


def admin_login_redirect(request: HttpRequest) -> HttpResponse:
    """Send the Wagtail admin's login to allauth's, keeping where the editor was going.

    Someone signed in without admin access gets a 403 page here: sent back to the login, which
    sends a signed-in user on to ``next``, they would loop between the two.
    """
    target = request.GET.get("next") or "/cms/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/cms/"
    if request.user.is_authenticated:
        if request.user.has_perm("wagtailadmin.access_admin"):
            return redirect(target)
        with translation.override(request.user.preferred_language or translation.get_language()):
            return render(request, "lms/cms_forbidden.html", status=403)
    return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")


def admin_password_reset_redirect(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Wagtail's password reset (open to anyone, unthrottled) answers with allauth's, which is
    rate-limited and never says whether an account exists."""
    return redirect("account_reset_password")


# Certificate PDFs go through the access-checked download view, Wagtail documents through
# Wagtail's document view (it applies collection privacy): neither is ever public media.
PRIVATE_MEDIA_PREFIXES = ("certificates/", "documents/")
NAME_MAX_BYTES = 255  # longer names cannot exist on disk (ENAMETOOLONG)


def media_serve(request: HttpRequest, path: str) -> HttpResponse:
    """Serve public media from MEDIA_ROOT; private files and impossible names answer 404."""
    normal = posixpath.normpath(path).lstrip("/")
    if normal.startswith(PRIVATE_MEDIA_PREFIXES) or any(
        len(part.encode()) > NAME_MAX_BYTES for part in normal.split("/")
    ):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "lms/privacy.html", {"policy_version": settings.PRIVACY_POLICY_VERSION})


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        connection.close()  # this runs in a health-check thread: its connection ends here
    return "ok"


def _check_cache() -> str:
    cache.set("healthz", "1", 5)
    if cache.get("healthz") != "1":
        raise RuntimeError("cache did not return the value it stored")
    return "ok"


def _check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL:
        return "eager"
    # A fresh connection each time: a pooled one may hide that the broker went away.
    transport = {"socket_timeout": HEALTH_CHECK_SECONDS, "socket_connect_timeout": 1}
    with Connection(
        settings.CELERY_BROKER_URL, connect_timeout=1, transport_options=transport
    ) as conn:
        conn.ensure_connection(max_retries=1, timeout=HEALTH_CHECK_SECONDS)
    return "ok"


# Each check runs in its own thread, all at once, and is given this long: a frozen Redis (or
# database) answers 503 in about a second instead of holding a gunicorn worker for half a minute.
HEALTH_CHECK_SECONDS = 1.0
_health_checks = ThreadPoolExecutor(max_workers=6, thread_name_prefix="healthz")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, cache and broker state as JSON; 503 naming the component that is down."""
    checks = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}
    running = {name: _health_checks.submit(check) for name, check in checks.items()}
    deadline = time.monotonic() + HEALTH_CHECK_SECONDS
    report: dict[str, str] = {}
    for name, future in running.items():
        try:
            report[name] = future.result(timeout=max(0.0, deadline - time.monotonic()))
        except TimeoutError:
            report[name] = f"down: no answer within {HEALTH_CHECK_SECONDS:g} s"
        except Exception as exc:  # a health check reports every failure, whatever its kind
            report[name] = f"down: {exc.__class__.__name__}"
    healthy = not any(v.startswith("down") for v in report.values())
    return JsonResponse(
        {"status": "ok" if healthy else "down", "checks": report}, status=200 if healthy else 503
    )
