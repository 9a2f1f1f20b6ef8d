"""Sessions, the attendance register, QR check-in and participant cards (phone-first).

Trainer pages go through ``selectors.cohort_get_for_user`` (404 for a cohort out of sight);
learner pages show only the learner's own sessions. GETs never write domain rows (a check-in
scan is remembered in the visitor's session, and recorded by the POST of the confirm page).
"""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import attendance, checkin, selectors, sessions
from .forms_sessions import SessionForm
from .models import AttendanceStatus, Cohort, Membership, MembershipState, Session


def _qr_svg(url: str) -> str:
    return segno.make(url, error="m", micro=False).svg_inline(
        scale=1, border=2, omitsize=True, dark="#000", light="#fff")


def _cohort_session(request: HttpRequest, pk: int, session_pk: int) -> tuple[Cohort, Session]:
    cohort = selectors.cohort_get_for_user(user=request.user, pk=pk)
    return cohort, sessions.session_get_for_cohort(cohort=cohort, pk=session_pk)


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Trainer: sessions of a cohort ------------------------------------------------------------


@require_GET
@login_required
def sessions_list(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_get_for_user(user=request.user, pk=pk)
    return render(request, "cohorts/sessions_list.html", {
        "cohort": cohort, "sessions": sessions.sessions_of_cohort(cohort=cohort),
    })


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def sessions_edit(request: HttpRequest, pk: int, session_pk: int | None = None) -> HttpResponse:
    cohort = selectors.cohort_get_for_user(user=request.user, pk=pk)
    session = (sessions.session_get_for_cohort(cohort=cohort, pk=session_pk)
               if session_pk is not None else None)
    form = SessionForm(request.POST or None, instance=session, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            if session is None:
                session = sessions.session_create(cohort=cohort, by=request.user,
                                                  **form.session_fields())
                messages.success(request, _("The session has been scheduled."))
            else:
                sessions.session_update(session=session, by=request.user,
                                        **form.session_fields())
                messages.success(request, _("The session has been saved."))
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return redirect("cohorts:sessions_list", pk=cohort.pk)
    return render(request, "cohorts/sessions_form.html", {
        "cohort": cohort, "session": session, "form": form,
    })


@require_POST
@login_required
def sessions_delete(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    _cohort, session = _cohort_session(request, pk, session_pk)
    sessions.session_delete(session=session, by=request.user)
    messages.success(request, _("The session has been deleted."))
    return redirect("cohorts:sessions_list", pk=pk)


# --- Trainer: the register --------------------------------------------------------------------


def _marks_from_post(request: HttpRequest) -> dict[int, tuple[str, str]]:
    marks = {}
    all_present = request.POST.get("action") == "all_present"
    for key in request.POST:
        if not key.startswith("row-"):
            continue
        uid_text = key[4:]
        if not uid_text.isdigit() or len(uid_text) > 18:
            continue
        status = request.POST.get(f"status-{uid_text}", "")
        if all_present and not status:
            status = AttendanceStatus.PRESENT
        marks[int(uid_text)] = (status, request.POST.get(f"remark-{uid_text}", ""))
    return marks


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def sessions_register(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    cohort, session = _cohort_session(request, pk, session_pk)
    if request.method == "POST":
        changed = attendance.register_save(
            session=session, by=request.user, marks=_marks_from_post(request))
        messages.success(request, _("The register has been saved (%(count)s changed).") % {
            "count": changed})
        return redirect("cohorts:sessions_register", pk=pk, session_pk=session.pk)
    return render(request, "cohorts/sessions_register.html", {
        "cohort": cohort, "session": session, "rows": attendance.register_rows(session=session),
        "statuses": AttendanceStatus.choices, "rate": attendance.session_rate(session=session),
    })


# --- Trainer: the QR display and the printable QR ---------------------------------------------


def _checkin_url(session: Session, now) -> str:
    path = reverse("cohorts:sessions_checkin", kwargs={
        "session_pk": session.pk, "code": checkin.code_for(session=session, now=now)})
    return f"{request_origin()}{path}"


def request_origin() -> str:
    from django.conf import settings

    return settings.SITE_URL


@require_GET
@login_required
@never_cache
def sessions_qr(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    cohort, session = _cohort_session(request, pk, session_pk)
    now = timezone.now()
    url = _checkin_url(session, now)
    return render(request, "cohorts/sessions_qr.html", {
        "cohort": cohort, "session": session, "svg": _qr_svg(url),
        "open": checkin.in_window(session, now), "opens_at": checkin.window(session)[0],
        "step_seconds": checkin.STEP_SECONDS,
    })


@require_GET
@login_required
@never_cache
def sessions_qr_code(request: HttpRequest, pk: int, session_pk: int) -> JsonResponse:
    _cohort, session = _cohort_session(request, pk, session_pk)
    now = timezone.now()
    url = _checkin_url(session, now)
    return JsonResponse({
        "svg": _qr_svg(url), "open": checkin.in_window(session, now),
        "refresh_ms": 3000,
    })


@require_GET
@login_required
def sessions_qr_print(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    cohort, session = _cohort_session(request, pk, session_pk)
    path = reverse("cohorts:sessions_checkin_print", kwargs={
        "session_pk": session.pk, "token": checkin.print_token(session)})
    return render(request, "cohorts/sessions_qr_print.html", {
        "cohort": cohort, "session": session, "svg": _qr_svg(f"{request_origin()}{path}"),
        "opens_at": checkin.window(session)[0],
    })


# --- Learner: check-in ------------------------------------------------------------------------


def _refused(request: HttpRequest, refusal: checkin.CheckinRefused, session=None) -> HttpResponse:
    return render(request, "cohorts/sessions_checkin.html", {
        "refusal": refusal, "session": session,
    }, status=refusal.status)


def _checkin_session(session_pk: int) -> Session:
    session = Session.objects.select_related("cohort").filter(pk=session_pk).first()
    if session is None:
        raise Http404
    return session


def _checkin(request: HttpRequest, *, session: Session, validate) -> HttpResponse:
    now = timezone.now()
    scan = checkin.scan_recall(request, session=session, now=now)
    if scan is None or request.method == "GET":
        try:
            validate(now)
        except checkin.CheckinRefused as refusal:
            if scan is None:
                return _refused(request, refusal, session)
        else:
            if scan is None:
                checkin.scan_remember(request, session=session, scanned_at=now)
                scan = checkin.Scan(session_id=session.pk, scanned_at=now)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.method == "GET":
        # A non-member learns it at once, not after tapping the button.
        try:
            checkin.member_or_refuse(session=session, user_id=request.user.pk, card=False)
        except checkin.CheckinRefused as refusal:
            return _refused(request, refusal, session)
        return render(request, "cohorts/sessions_checkin.html", {"session": session,
                                                                 "confirm": True})
    try:
        checkin.checkin_record(session=session, user_id=request.user.pk, method="qr",
                               at=scan.scanned_at)
    except checkin.CheckinRefused as refusal:
        return _refused(request, refusal, session)
    finally:
        checkin.scan_forget(request)
    messages.success(request, _("You are checked in for “%(topic)s”. Welcome!") % {
        "topic": session.topic})
    return redirect("cohorts:my_sessions")


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def sessions_checkin(request: HttpRequest, session_pk: int, code: str) -> HttpResponse:
    session = _checkin_session(session_pk)
    return _checkin(request, session=session, validate=lambda now: checkin.code_validate(
        session=session, code=code, now=now))


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def sessions_checkin_print(request: HttpRequest, session_pk: int, token: str) -> HttpResponse:
    session = _checkin_session(session_pk)
    return _checkin(request, session=session, validate=lambda now: checkin.print_token_validate(
        session=session, token=token, now=now))


# --- Trainer: scanning a participant card -----------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def sessions_card_scan(request: HttpRequest, token: str) -> HttpResponse:
    if not selectors.may_use_workspace(request.user):
        raise PermissionDenied
    now = timezone.now()
    try:
        user_id, mine = checkin.card_sessions(by=request.user, token=token, at=now)
    except checkin.CheckinRefused as refusal:
        return _refused(request, refusal)
    learner = Membership.objects.select_related("user").filter(
        user_id=user_id, cohort_id=mine[0].cohort_id).first().user
    if request.method == "POST":
        session = checkin.card_session_chosen(mine, request.POST.get("session", ""))
        if session is None:
            return _refused(request, checkin.CheckinRefused(
                "invalid", _("Choose one of your current sessions."), 400))
        try:
            checkin.checkin_record(session=session, user_id=user_id, method="card", at=now,
                                   by=request.user)
        except checkin.CheckinRefused as refusal:
            return _refused(request, refusal, session)
        return render(request, "cohorts/sessions_card_scan.html", {
            "learner": learner, "session": session, "done": True})
    return render(request, "cohorts/sessions_card_scan.html", {
        "learner": learner, "sessions": mine})


@require_GET
@login_required
def sessions_card_offline(request: HttpRequest) -> HttpResponse:
    """The page a trainer's phone shows for a participant card scanned without a network.

    The service worker keeps it in the trainer's cache (fetched when they open a register
    online) and serves it at the card's URL when offline: "Mark present" then queues a
    ``card_checkin`` event for that URL, checked by the sync (``courses.offline``) against the
    sessions taking place at the phone's time of the scan. Online, this URL shows the same."""
    if not selectors.may_use_workspace(request.user):
        raise PermissionDenied
    return render(request, "cohorts/sessions_card_offline.html")


# --- Learner: My sessions, calendars, the participant card ------------------------------------


@require_GET
@login_required
def my_sessions(request: HttpRequest) -> HttpResponse:
    upcoming = sessions.upcoming_for_learner(user=request.user)
    card_url = f"{request_origin()}" + reverse(
        "cohorts:sessions_card_scan", kwargs={"token": checkin.card_token(request.user)})
    feed_url = f"{request_origin()}" + reverse(
        "cohorts:sessions_feed_token", kwargs={"token": sessions.feed_token(request.user)})
    from .attestations import attestations_for_holder  # cascade: attestations of participation

    return render(request, "cohorts/sessions_mine.html", {
        "sessions": upcoming, "card_svg": _qr_svg(card_url), "feed_url": feed_url,
        "attestations": list(attestations_for_holder(user=request.user)),
    })


@require_GET
@login_required
def my_sessions_card(request: HttpRequest) -> HttpResponse:
    card_url = f"{request_origin()}" + reverse(
        "cohorts:sessions_card_scan", kwargs={"token": checkin.card_token(request.user)})
    return render(request, "cohorts/sessions_card.html", {"card_svg": _qr_svg(card_url)})


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def sessions_event_ics(request: HttpRequest, session_pk: int) -> HttpResponse:
    session = _checkin_session(session_pk)
    member = Membership.objects.filter(
        cohort_id=session.cohort_id, user=request.user,
        state__in=(MembershipState.ACTIVE, MembershipState.COMPLETED)).exists()
    if not member and not Cohort.objects.filter(
            selectors.cohort_scope_q(request.user), pk=session.cohort_id).exists():
        raise Http404
    return _ics(sessions.calendar_ics(sessions=[session], name=session.cohort.name),
                f"session-{session.pk}.ics")


@require_GET
@login_required
def sessions_feed(request: HttpRequest) -> HttpResponse:
    return _ics(sessions.calendar_ics(
        sessions=sessions.sessions_for_learner(user=request.user, upcoming=False),
        name=_("My sessions")), "my-sessions.ics")


@require_GET
def sessions_feed_token(request: HttpRequest, token: str) -> HttpResponse:
    user_id = sessions.feed_user_id(token)
    if user_id is None:
        raise Http404
    return _ics(sessions.calendar_ics(
        sessions=sessions.sessions_for_learner(user=user_id, upcoming=False),
        name=_("My sessions")), "my-sessions.ics")
