"""QR self check-in, the printable session QR and the participant card.

The rotating code is stateless, like TOTP: ``token = base32(HMAC-SHA256(session.checkin_secret,
f"{session.pk}:{step}"))[:16]`` with ``step = floor(unix_time / 10 s)``. The display page
computes it from the clock on every refresh, so nothing is stored per code (refreshing the page
or two displays at once change nothing), and the server accepts the current and the previous
step only (a code photographed and sent on is dead within 20 s), only inside the session's
window (30 minutes before the start to the end, in the cohort's zone), and only for the
session whose secret signed it. A scan validated once is kept in the visitor's session for a
few minutes, so that a learner who must log in first is checked in at the scan's time.

Recording is one INSERT under the ``attendance_unique`` constraint: a second scan, or two at
once, leave one row and answer "already checked in". A learner checks in only themselves (the
user is the request's user, never a parameter).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from . import selectors
from .models import (
    Attendance,
    AttendanceChange,
    AttendanceStatus,
    Cohort,
    Membership,
    MembershipState,
    Session,
)

STEP_SECONDS = 10
OPEN_BEFORE = timedelta(minutes=30)
SCAN_KEPT = timedelta(minutes=10)  # a validated scan waits this long for the login
PRINT_SALT = "cohorts.checkin.print"
CARD_SALT = "cohorts.card"
SCAN_SESSION_KEY = "cohorts_checkin_scan"


class CheckinRefused(Exception):
    """A refused check-in: ``code`` for tests and logs, ``message`` for people, ``status``."""

    def __init__(self, code: str, message: str, status: int = 403):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def step_at(now: datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def token_for(*, session: Session, step: int) -> str:
    digest = hmac.new(session.checkin_secret.encode(), f"{session.pk}:{step}".encode(),
                      hashlib.sha256).digest()
    return base64.b32encode(digest[:10]).decode().lower()


def code_for(*, session: Session, now: datetime) -> str:
    step = step_at(now)
    return f"{step}.{token_for(session=session, step=step)}"


def window(session: Session) -> tuple[datetime, datetime]:
    return session.starts_at - OPEN_BEFORE, session.ends_at


def in_window(session: Session, now: datetime) -> bool:
    opens, closes = window(session)
    return opens <= now <= closes


def _outside() -> CheckinRefused:
    return CheckinRefused("outside_window", _("Check-in is open only from 30 minutes before the "
                                              "session starts until it ends."))


def code_validate(*, session: Session, code: str, now: datetime) -> int:
    """The step of a valid rotating code, else ``CheckinRefused``."""
    step_text, _dot, token = code.partition(".")
    if not step_text.isdigit() or len(step_text) > 12 or not token:
        raise CheckinRefused("invalid", _("This check-in code is not valid."), 404)
    step = int(step_text)
    if not hmac.compare_digest(token_for(session=session, step=step), token.lower()):
        raise CheckinRefused("invalid", _("This check-in code is not valid for this session."), 404)
    if not in_window(session, now):
        raise _outside()
    if step not in (step_at(now), step_at(now) - 1):
        raise CheckinRefused("expired", _("This code has expired: scan the code on the "
                                          "trainer's screen again."), 410)
    return step


def print_token(session: Session) -> str:
    return signing.dumps({"s": session.pk}, salt=PRINT_SALT)


def print_token_validate(*, session: Session, token: str, now: datetime) -> None:
    try:
        value = signing.loads(token, salt=PRINT_SALT)
    except signing.BadSignature:
        raise CheckinRefused("invalid", _("This check-in code is not valid."), 404) from None
    if not isinstance(value, dict) or value.get("s") != session.pk:
        raise CheckinRefused("invalid", _("This check-in code is not valid for this session."), 404)
    if not in_window(session, now):
        raise _outside()


def card_token(user) -> str:
    return signing.dumps({"u": user.pk}, salt=CARD_SALT)


def card_user_id(token: str) -> int:
    try:
        value = signing.loads(token, salt=CARD_SALT)
    except signing.BadSignature:
        raise CheckinRefused("invalid", _("This participant card is not valid."), 404) from None
    user_id = value.get("u") if isinstance(value, dict) else None
    if not isinstance(user_id, int):
        raise CheckinRefused("invalid", _("This participant card is not valid."), 404)
    return user_id


def sessions_current(*, user, at: datetime) -> list[Session]:
    """The sessions of ``user``'s cohorts (as trainer or manager) whose window holds ``at``."""
    day = at.date()
    candidates = Session.objects.filter(
        cohort__in=Cohort.objects.filter(selectors.cohort_scope_q(user)),
        date__gte=day - timedelta(days=1), date__lte=day + timedelta(days=1),
    ).select_related("cohort")
    return [session for session in candidates if in_window(session, at)]


def card_sessions(*, by, token: str, at: datetime) -> tuple[int, list[Session]]:
    """A scanned participant card: (its holder's id, the sessions of ``by``'s cohorts taking
    place at ``at`` in which the holder is an active member), or ``CheckinRefused``. ``at`` is
    the scan's time: now online, the phone's time for a card scanned offline."""
    user_id = card_user_id(token)
    current = sessions_current(user=by, at=at)
    if not current:
        raise CheckinRefused("no_session", _("None of your sessions is taking place now."), 409)
    member_cohorts = set(Membership.objects.filter(
        user_id=user_id, state=MembershipState.ACTIVE,
        cohort_id__in={session.cohort_id for session in current},
    ).values_list("cohort_id", flat=True))
    mine = [session for session in current if session.cohort_id in member_cohorts]
    if not mine:
        raise CheckinRefused("not_member", _(
            "This participant card is not of a member of the cohort of your current session."))
    return user_id, mine


def card_session_chosen(sessions: list[Session], chosen: str) -> Session | None:
    """The session picked on the card's page, or the only one (a card scanned offline, or
    its page sent again once back online, names none)."""
    if not chosen and len(sessions) == 1:
        return sessions[0]
    return next((session for session in sessions if str(session.pk) == chosen), None)


# --- The scan kept across a login --------------------------------------------------------------


@dataclass(frozen=True)
class Scan:
    session_id: int
    scanned_at: datetime


def scan_remember(request, *, session: Session, scanned_at: datetime) -> None:
    request.session[SCAN_SESSION_KEY] = {"s": session.pk, "at": scanned_at.timestamp()}


def scan_recall(request, *, session: Session, now: datetime) -> Scan | None:
    value = request.session.get(SCAN_SESSION_KEY)
    if not isinstance(value, dict) or value.get("s") != session.pk:
        return None
    scanned_at = datetime.fromtimestamp(float(value.get("at", 0)), tz=UTC)
    if now - scanned_at > SCAN_KEPT or scanned_at > now + timedelta(seconds=STEP_SECONDS):
        return None
    return Scan(session_id=session.pk, scanned_at=scanned_at)


def scan_forget(request) -> None:
    request.session.pop(SCAN_SESSION_KEY, None)


# --- Recording ------------------------------------------------------------------------------


def member_or_refuse(*, session: Session, user_id: int, card: bool) -> None:
    if not Membership.objects.filter(
        cohort_id=session.cohort_id, user_id=user_id, state=MembershipState.ACTIVE,
    ).exists():
        if card:
            raise CheckinRefused("not_member", _("This participant card is not of a member of "
                                                 "this cohort."))
        raise CheckinRefused("not_member", _("You are not a member of this session's cohort."))


def checkin_record(*, session: Session, user_id: int, method: str, at: datetime,
                   by=None) -> Attendance:
    """Mark ``user_id`` present at ``session`` (once). ``CheckinRefused("already")`` when they
    already have a mark."""
    member_or_refuse(session=session, user_id=user_id, card=method == "card")
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                session=session, user_id=user_id, status=AttendanceStatus.PRESENT,
                marked_by=by, device_marked_at=at,
            )
            AttendanceChange.objects.create(
                attendance=attendance, changed_by=by, device_time=at, method=method,
                new_status=AttendanceStatus.PRESENT,
            )
    except IntegrityError:
        raise CheckinRefused("already", _("Already checked in for this session."), 409) from None
    from lms.celery import delay_on_commit

    from .tasks import attendance_evaluate

    delay_on_commit(attendance_evaluate, session.pk, [user_id])
    return attendance
