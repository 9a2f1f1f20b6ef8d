"""Learner and manager pages; the public verification views are in ``public_views``. Reads go
through selectors, writes through services; access is decided in ``certificates.selectors``."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lms.pdf.client import RenderFailed
from lms.selectors import organisations_visible_to

from . import selectors, services
from .forms import BulkIssueForm, RevokeForm
from .models import Certificate, CertificateStatus

logger = logging.getLogger(__name__)
PDF_UNAVAILABLE = gettext_lazy(
    "The PDF could not be produced just now. Please try again in a few minutes; if it keeps "
    "failing, tell the programme team."
)
ARCHIVE_NOT_READY = gettext_lazy(
    "The archive is not ready: it holds only the certificates you may manage today, and is "
    "prepared again when that changes."
)


def _with_pdf(request: HttpRequest, certificate: Certificate) -> Certificate | None:
    """The certificate with its PDF, or None (and a message for the user) if it can't be made."""
    try:
        return services.certificate_pdf_ensure(certificate=certificate)
    except RenderFailed:
        logger.exception("PDF of certificate %s not produced", certificate.code)
        messages.error(request, PDF_UNAVAILABLE)
        return None


# --- Learner ----------------------------------------------------------------------------------
@login_required
def my_certificates(request: HttpRequest) -> HttpResponse:
    return render(request, "certificates/my_certificates.html", {
        "rows": selectors.holder_certificate_rows(user=request.user),
        "can_manage": selectors.may_manage_certificates(request.user),
    })


@login_required
def download(request: HttpRequest, code: str) -> HttpResponse:
    certificate = selectors.certificate_get_for_download(user=request.user, code=code)
    if certificate.status != CertificateStatus.ISSUED:
        # A revoked or replaced PDF is refused rather than handed out again.
        return render(
            request, "certificates/gone.html",
            {"certificate": certificate, "status": certificate.public_status}, status=410,
        )
    certificate = _with_pdf(request, certificate)
    if certificate is None:
        return redirect("certificates:my_certificates")
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"certificate-{certificate.display_code}.pdf",
        content_type="application/pdf",
    )


# --- Managers ---------------------------------------------------------------------------------
def _require_manager(request: HttpRequest) -> None:
    if not selectors.may_manage_certificates(request.user):
        raise Http404


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    search = selectors.certificates_search(
        user=request.user, query=request.GET.get("q", ""), status=request.GET.get("status", "")
    )
    page = Paginator(search.certificates, 50).get_page(request.GET.get("page"))
    return render(request, "certificates/manage.html", {
        "page": page, "query": search.query, "status": search.status,
        "statuses": CertificateStatus.choices,
    })


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request: HttpRequest, code: str) -> HttpResponse:
    certificate = selectors.certificate_get_for_manager(user=request.user, code=code)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(
                certificate=certificate, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The certificate %(code)s is revoked.")
                             % {"code": certificate.display_code})
        return redirect("certificates:manage")
    return render(request, "certificates/revoke.html", {"certificate": certificate, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def reissue(request: HttpRequest, code: str) -> HttpResponse:
    certificate = selectors.certificate_get_for_manager(user=request.user, code=code)
    if request.method == "POST":
        try:
            new = services.certificate_reissue(certificate=certificate, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The certificate %(old)s is replaced by %(new)s.")
                             % {"old": certificate.display_code, "new": new.display_code})
        return redirect("certificates:manage")
    return render(request, "certificates/reissue.html", {"certificate": certificate})


@login_required
@require_http_methods(["GET", "POST"])
def bulk_new(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = BulkIssueForm(
        request.POST or None,
        user=request.user,
        courses=selectors.courses_with_certificates(),
        organisations=organisations_visible_to(user=request.user),
        countries=selectors.bulk_country_choices(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        bulk = services.bulk_issue_create(
            by=request.user, course=form.cleaned_data["course"],
            enrolment_ids=form.enrolment_ids, filters=form.filters(),
        )
        return redirect("certificates:bulk_detail", pk=bulk.pk)
    return render(request, "certificates/bulk_new.html", {"form": form})


@login_required
def bulk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bulk = selectors.bulk_get_for_user(user=request.user, pk=pk)
    return render(request, "certificates/bulk_detail.html", {
        "bulk": bulk, "progress": selectors.bulk_progress(bulk=bulk, user=request.user),
    })


@never_cache
@login_required
def bulk_status(request: HttpRequest, pk: int) -> JsonResponse:
    bulk = selectors.bulk_get_for_user(user=request.user, pk=pk)
    return JsonResponse(selectors.bulk_progress(bulk=bulk, user=request.user))


@login_required
@require_http_methods(["POST"])
def bulk_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the archive again (who the manager may manage changed since it was built)."""
    bulk = selectors.bulk_get_for_user(user=request.user, pk=pk)
    services.bulk_archive_request(bulk=bulk, user=request.user)
    return redirect("certificates:bulk_detail", pk=bulk.pk)


@login_required
def bulk_zip(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored archive, only while it holds exactly what the manager may manage now."""
    bulk = selectors.bulk_get_for_user(user=request.user, pk=pk)
    if selectors.bulk_archive_state(bulk=bulk, user=request.user) != "ready":
        messages.info(request, ARCHIVE_NOT_READY)
        return redirect("certificates:bulk_detail", pk=bulk.pk)
    stamp = bulk.created_at.strftime("%Y%m%d")
    return FileResponse(
        bulk.archive.open("rb"), as_attachment=True,
        filename=f"certificates-{stamp}-{bulk.pk}.zip", content_type="application/zip",
    )
