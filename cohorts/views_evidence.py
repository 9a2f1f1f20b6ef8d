"""Evidence views: the sign-in sheet PDF, scanned sheets (upload, list, download, delete) and
signatures drawn on the trainer's phone.

Every view goes through ``selectors.cohort_get_for_user`` (a cohort out of sight is a 404) and
``sessions.session_get_for_cohort``; files leave only through ``evidence_scan_download``, as an
attachment that is never cached by a shared cache. GETs write nothing.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lms.pdf.client import RenderFailed

from . import evidence, selectors, sessions
from .forms_evidence import ScanUploadForm, SignatureForm
from .models import Cohort, Session

logger = logging.getLogger(__name__)


def _cohort_session(request: HttpRequest, pk: int, session_pk: int) -> tuple[Cohort, Session]:
    cohort = selectors.cohort_get_for_user(user=request.user, pk=pk)
    return cohort, sessions.session_get_for_cohort(cohort=cohort, pk=session_pk)


@require_GET
@login_required
def evidence_list(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_get_for_user(user=request.user, pk=pk)
    return render(request, "cohorts/evidence_list.html", {
        "cohort": cohort, "sessions": evidence.evidence_of_cohort(cohort=cohort),
    })


@require_http_methods(["GET", "HEAD"])
@login_required
@never_cache
def evidence_sheet(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    _cohort, session = _cohort_session(request, pk, session_pk)
    if request.method == "HEAD":
        # The headers without rendering (a link checker, a prefetch); streaming, so that no
        # Content-Length of 0 is announced.
        response = StreamingHttpResponse(iter(()), content_type="application/pdf")
    else:
        try:
            body = evidence.signin_sheet_pdf(session=session)
        except RenderFailed:
            logger.exception("sign-in sheet of session %s could not be rendered", session.pk)
            # (the certificates' wording, already translated)
            messages.error(request, _(
                "The PDF could not be produced just now. Please try again in a few minutes; "
                "if it keeps failing, tell the programme team."))
            return redirect("cohorts:evidence_session", pk=pk, session_pk=session.pk)
        response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{evidence.sheet_filename(session)}"')
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def evidence_session(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    cohort, session = _cohort_session(request, pk, session_pk)
    form = ScanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            evidence.scan_create(session=session, by=request.user,
                                 upload=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("The scanned sheet has been kept with the session."))
            return redirect("cohorts:evidence_session", pk=cohort.pk, session_pk=session.pk)
    scans = list(evidence.scans_of_session(session=session))
    return render(request, "cohorts/evidence_session.html", {
        "cohort": cohort, "session": session, "form": form, "scans": scans,
        "deletable": {s.pk for s in scans if evidence.scan_may_delete(scan=s, user=request.user)},
        "code": evidence.sheet_code(session),
    }, status=400 if request.method == "POST" else 200)


@require_GET
@login_required
@never_cache
def evidence_scan_download(request: HttpRequest, pk: int, session_pk: int,
                           scan_pk: int) -> FileResponse:
    _cohort, session = _cohort_session(request, pk, session_pk)
    scan = evidence.scan_get_for_session(session=session, pk=scan_pk)
    response = FileResponse(scan.file.open("rb"), as_attachment=True,
                            filename=evidence.scan_filename(scan),
                            content_type=scan.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def evidence_scan_delete(request: HttpRequest, pk: int, session_pk: int,
                         scan_pk: int) -> HttpResponse:
    cohort, session = _cohort_session(request, pk, session_pk)
    scan = evidence.scan_get_for_session(session=session, pk=scan_pk)
    if not evidence.scan_may_delete(scan=scan, user=request.user):
        raise PermissionDenied
    if request.method == "POST":
        evidence.scan_delete(scan=scan, by=request.user)
        messages.success(request, _("The scanned sheet has been deleted."))
        return redirect("cohorts:evidence_session", pk=cohort.pk, session_pk=session.pk)
    return render(request, "cohorts/evidence_scan_delete.html", {
        "cohort": cohort, "session": session, "scan": scan,
    })


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def evidence_sign(request: HttpRequest, pk: int, session_pk: int, user_pk: int) -> HttpResponse:
    cohort, session = _cohort_session(request, pk, session_pk)
    signer = evidence.signature_signer_get(session=session, user_id=user_pk)
    form = SignatureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            evidence.signature_record(session=session, by=request.user, user_id=user_pk,
                                      posted=form.cleaned_data["strokes"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s has signed and is marked present.") % {
                "name": signer.user.get_full_name() or signer.user.email})
            return redirect("cohorts:sessions_register", pk=cohort.pk, session_pk=session.pk)
    current = evidence.attendance_of(session=session, user_id=user_pk)
    signature = evidence.signature_data_uri(current.signature_svg) \
        if current and current.signature_svg else ""
    return render(request, "cohorts/evidence_sign.html", {
        "cohort": cohort, "session": session, "signer": signer.user, "form": form,
        "signature": signature, "attendance": current,
    }, status=400 if request.method == "POST" else 200)


@require_POST
@login_required
def evidence_sign_remove(request: HttpRequest, pk: int, session_pk: int,
                         user_pk: int) -> HttpResponse:
    cohort, session = _cohort_session(request, pk, session_pk)
    signer = evidence.signature_signer_get(session=session, user_id=user_pk)
    evidence.signature_remove(session=session, by=request.user, user_id=user_pk)
    messages.success(request, _("The signature of %(name)s has been removed: they are marked "
                                "absent.") % {
        "name": signer.user.get_full_name() or signer.user.email})
    return redirect("cohorts:sessions_register", pk=cohort.pk, session_pk=session.pk)
