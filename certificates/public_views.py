"""Public verification: the page, the Open Badges credential (JSON, VC-JWT), the key set, the
status list, the issuer and the achievements. Outside the language prefix (``public_urls``)."""

import functools
import json
from uuid import UUID

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from lms.codes import code_display
from lms.ratelimit import rate_limit_exceeded

from . import credentials, selectors
from .forms import VerifyForm
from .models import Certificate
from .rendering import text_direction, verification_url

VERIFY_RATE_LIMIT = getattr(settings, "CERTIFICATE_VERIFY_RATE_LIMIT", 30)  # per IP per minute


def plain_404(view):
    """Unknown codes answer a plain 404, not a redirect to a language-prefixed URL.

    LocaleMiddleware redirects a 404 on an unprefixed path to ``/<lang>/<path>`` whenever that
    path resolves, which Wagtail's catch-all always does. Pointing the request at the public
    URLconf (which has no language prefix) for the response phase turns that off, here only.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            request.urlconf = "certificates.public_urls"
            raise

    return wrapped


def _too_many(request: HttpRequest) -> HttpResponse | None:
    if rate_limit_exceeded(request, scope="verify", limit=VERIFY_RATE_LIMIT, period=60):
        response = render(request, "certificates/too_many_requests.html", status=429)
        response["Retry-After"] = "60"
        return response
    return None


@never_cache
@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("certificate_verify", code=code_display(form.cleaned_data["code"]))
    return render(request, "certificates/verify_form.html", {"form": form})


@plain_404
@never_cache
@require_GET
def verify_detail(request: HttpRequest, code: str) -> HttpResponse:
    if (limited := _too_many(request)) is not None:
        return limited
    certificate = selectors.certificate_get_public(code=code)
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


def _credential_data(certificate: Certificate) -> credentials.CredentialData:
    with translation.override(certificate.language):
        criteria = _(
            "Completed every required lesson of the module “%(title)s” and passed its final "
            "assessment."
        ) % {"title": certificate.course_title}
    return credentials.CredentialData(
        code=certificate.display_code,
        holder_name=certificate.holder_name,
        course_title=certificate.course_title,
        course_description=certificate.course_description or certificate.course_title,
        criteria=criteria,
        competencies=list(certificate.competencies or []),
        hours=certificate.hours,
        grade=None,  # the score stays private: public pages show nothing personal beyond this
        language=certificate.language,
        issued_at=certificate.created_at,
        valid_until=certificate.expires_at,
        status_index=certificate.status_index,
        achievement_id=f"{settings.SITE_URL}/achievements/{certificate.achievement_key}",
    )


def _credential(certificate: Certificate) -> dict:
    with translation.override(certificate.language):
        return credentials.credential_build(_credential_data(certificate))


@plain_404
@never_cache
@require_GET
def credential_json(request: HttpRequest, code: str) -> HttpResponse:
    if (limited := _too_many(request)) is not None:
        return limited
    certificate = selectors.certificate_get_public(code=code)
    return HttpResponse(
        json.dumps(_credential(certificate), ensure_ascii=False, indent=2),
        content_type="application/vc+ld+json; charset=utf-8"
        if request.GET.get("format") != "json" else "application/json; charset=utf-8",
        headers={"Access-Control-Allow-Origin": "*"},
    )


@plain_404
@never_cache
@require_GET
def credential_jwt(request: HttpRequest, code: str) -> HttpResponse:
    if (limited := _too_many(request)) is not None:
        return limited
    certificate = selectors.certificate_get_public(code=code)
    token = credentials.credential_sign_jwt(_credential(certificate))
    return HttpResponse(
        token, content_type="application/jwt", headers={"Access-Control-Allow-Origin": "*"}
    )


@cache_control(public=True, max_age=3600)
@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        credentials.jwks(), headers={"Access-Control-Allow-Origin": "*"},
        content_type="application/jwk-set+json",
    )


@cache_control(public=True, max_age=300)
@require_GET
def status_list(request: HttpRequest) -> HttpResponse:
    indices = selectors.revoked_status_indices()
    if "jwt" in request.GET.get("format", ""):
        return HttpResponse(
            credentials.status_list_jwt(indices), content_type="application/jwt",
            headers={"Access-Control-Allow-Origin": "*"},
        )
    return HttpResponse(
        json.dumps(credentials.status_list_credential(indices)),
        content_type="application/vc+ld+json",
        headers={"Access-Control-Allow-Origin": "*"},
    )


@cache_control(public=True, max_age=3600)
@require_GET
def issuer(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        credentials.issuer_profile(standalone=True), headers={"Access-Control-Allow-Origin": "*"}
    )


@plain_404
@require_GET
def achievement(request: HttpRequest, key: UUID) -> JsonResponse:
    """The Open Badges ``Achievement`` a module awards: the id its credentials point to.

    Built from the latest certificate of that module, so it describes what holders were certified
    for; it carries nothing about any holder.
    """
    certificate = (
        Certificate.objects.filter(achievement_key=str(key)).order_by("-created_at").first()
    )
    if certificate is None:
        raise Http404
    return JsonResponse(
        _credential(certificate)["credentialSubject"]["achievement"],
        headers={"Access-Control-Allow-Origin": "*"},
    )
