"""Public verification: the page, the Open Badges credential (JSON, VC-JWT), the key set, the
status list, the issuer and the achievements. Outside the language prefix (``public_urls``).

Every view answers GET and HEAD (link checkers and wallets probe with HEAD). Reads go through
``selectors``, credentials are built and signed in ``credentials``.
"""

import functools
import json
from collections.abc import Callable
from uuid import UUID

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from lms.codes import code_display
from lms.ratelimit import rate_limit_exceeded

from . import credentials, selectors
from .forms import VerifyForm
from .models import Certificate
from .rendering import text_direction, verification_url

NO_SUCH_CODE = gettext_lazy("No certificate has this code — check it and try again.")
CORS = {"Access-Control-Allow-Origin": "*"}
# The status list in the order we prefer it: signed first (what verifiers need, and what a client
# that states no preference gets), then the readable JSON-LD (browsers, ``?format=json``).
JWT_TYPES = ("application/vc+jwt", "application/jwt")
JSON_TYPES = ("application/vc+ld+json", "application/ld+json", "application/json", "text/html")


def plain_404(view):
    """Unknown codes answer a plain 404, not a redirect to a language-prefixed URL.

    LocaleMiddleware redirects a 404 on an unprefixed path to ``/<lang>/<path>`` whenever that
    path resolves, which Wagtail's catch-all always does. Pointing the request at the public
    URLconf (which has no language prefix) for the response phase turns that off, here only,
    whether the view raises ``Http404`` or returns a 404 page.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            request.urlconf = "certificates.public_urls"
            raise
        if response.status_code == 404:
            request.urlconf = "certificates.public_urls"
        return response

    return wrapped


def _too_many(request: HttpRequest) -> HttpResponse | None:
    """Count a lookup for the client's IP; the 429 page once it went over the limit."""
    if rate_limit_exceeded(
        request, scope="verify", limit=settings.CERTIFICATE_VERIFY_RATE_LIMIT, period=60
    ):
        response = render(request, "certificates/too_many_requests.html", status=429)
        response["Retry-After"] = "60"
        return response
    return None


def _form_page(
    request: HttpRequest, *, typed: str | None = None, status: int = 200
) -> HttpResponse:
    """The verification form, with what was typed and why it found nothing when something was.

    A blank or malformed code typed in the form gets the form's own message; anything else (a
    well-formed code no certificate has, or any unknown code in the URL) the same explanation.
    """
    form = VerifyForm(None if typed is None else {"code": typed})
    if typed and (form.is_valid() or status == 404):
        form.errors["code"] = form.error_class([NO_SUCH_CODE])
    response = render(request, "certificates/verify_form.html", {"form": form}, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def public_certificate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """What every ``/verify/<code>/…`` view does first: count the lookup against the client's
    limit, find the certificate (one query whatever the code), and answer an unknown code with
    a 404 that explains and offers the form. The view receives the certificate, not the code."""

    @plain_404
    @never_cache
    @require_safe
    @functools.wraps(view)
    def wrapped(request: HttpRequest, code: str) -> HttpResponse:
        if (limited := _too_many(request)) is not None:
            return limited
        certificate = selectors.certificate_find_public(code=code)
        if certificate is None:
            return _form_page(request, typed=code, status=404)
        return view(request, certificate)

    return wrapped


# --- The page and the credential ----------------------------------------------------------------
@never_cache
@require_safe
def verify_form(request: HttpRequest) -> HttpResponse:
    typed = request.GET.get("code")
    if typed is None:
        return _form_page(request)
    if not typed.strip():
        return _form_page(request, typed=typed)  # "required", nothing looked up
    # Counted and looked up whatever was typed, so every unknown code costs the same.
    if (limited := _too_many(request)) is not None:
        return limited
    certificate = selectors.certificate_find_public(code=typed)
    if certificate is not None:
        return redirect("certificate_verify", code=code_display(certificate.code))
    return _form_page(request, typed=typed)


@public_certificate
def verify_detail(request: HttpRequest, certificate: Certificate) -> HttpResponse:
    response = render(
        request,
        "certificates/verify.html",
        {
            "certificate": certificate,
            "status": certificate.public_status,
            "holder_dir": text_direction(certificate.holder_name),
            "verification_url": verification_url(certificate.code),
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@public_certificate
def credential_json(request: HttpRequest, certificate: Certificate) -> HttpResponse:
    return HttpResponse(
        json.dumps(credentials.credential_for(certificate), ensure_ascii=False, indent=2),
        content_type="application/vc+ld+json; charset=utf-8"
        if request.GET.get("format") != "json" else "application/json; charset=utf-8",
        headers=CORS,
    )


@public_certificate
def credential_jwt(request: HttpRequest, certificate: Certificate) -> HttpResponse:
    token = credentials.credential_sign_jwt(credentials.credential_for(certificate))
    return HttpResponse(token, content_type="application/jwt", headers=CORS)


# --- Keys, status list, issuer, achievements ------------------------------------------------------
@cache_control(public=True, max_age=3600)
@require_safe
def jwks(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        credentials.jwks(), headers=CORS, content_type="application/jwk-set+json",
    )


@plain_404
@cache_control(public=True, max_age=3600)
@require_safe
def jwk(request: HttpRequest, thumbprint: str) -> JsonResponse:
    """One published key, by its RFC 7638 thumbprint: what a token's ``kid`` URL serves."""
    key = credentials.public_jwk_by_thumbprint(thumbprint)
    if key is None:
        raise Http404
    return JsonResponse(key, headers=CORS, content_type="application/jwk+json")


# Shorter than the signed list's validity (a day), so a cached copy is never stale.
@cache_control(public=True, max_age=300)
@vary_on_headers("Accept")
@require_safe
def status_list(request: HttpRequest, *, signed: bool = False) -> HttpResponse:
    """The Bitstring Status List credential: signed (VC-JWT) at ``…/1.jwt``, for ``Accept:
    application/vc+jwt`` or ``application/jwt`` and for clients that state no preference;
    unsigned JSON-LD for JSON or HTML clients and ``?format=json``."""
    indices = selectors.revoked_status_indices()
    wanted = request.GET.get("format", "")
    preferred = request.get_preferred_type(JWT_TYPES + JSON_TYPES)
    if signed or "jwt" in wanted or (wanted != "json" and preferred in JWT_TYPES):
        return HttpResponse(
            credentials.status_list_jwt_published(indices),
            content_type=preferred if preferred in JWT_TYPES else "application/jwt",
            headers=CORS,
        )
    return HttpResponse(
        json.dumps(credentials.status_list_credential(indices)),
        content_type="application/vc+ld+json", headers=CORS,
    )


@cache_control(public=True, max_age=3600)
@require_safe
def issuer(request: HttpRequest) -> JsonResponse:
    return JsonResponse(credentials.issuer_profile(standalone=True), headers=CORS)


@plain_404
@require_safe
def achievement(request: HttpRequest, key: UUID) -> JsonResponse:
    """The Open Badges ``Achievement`` a module awards: the id its credentials point to."""
    certificate = selectors.certificate_for_achievement(key=str(key))
    if certificate is None:
        raise Http404
    return JsonResponse(
        credentials.credential_for(certificate)["credentialSubject"]["achievement"],
        headers=CORS,
    )
