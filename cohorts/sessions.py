"""Workshops of a cohort: scheduling, the learner's "My sessions", calendars and reminders.

A session's date and times are wall-clock values in the cohort's time zone; every page shows
them in that zone with its name, whatever the server's ``TIME_ZONE``. Calendars (``.ics``) are
built with ``icalendar`` and carry a VTIMEZONE of the cohort's zone (events keep their TZID).

Reminders: a beat task runs every hour; a session whose date is *tomorrow in its cohort's
zone* gets its reminder once. "Once" is decided by the database: a conditional
``UPDATE … SET reminder_sent_at = now WHERE reminder_sent_at IS NULL`` claims the session, so two
beat runs (or two workers) never both send. The e-mails leave after commit, each in the
learner's preferred language (``translation.override``), with the times in the cohort's zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from courses.models import LessonPage

from .models import Cohort, Membership, MembershipState, Session

FEED_SALT = "cohorts.sessions.feed"


def _lessons_of_cohort(*, cohort: Cohort, lessons: Iterable[LessonPage]) -> list[LessonPage]:
    """Linked lessons must belong to the cohort's modules."""
    lessons = list(lessons)
    if not lessons:
        return []
    modules = list(cohort.modules.all())
    allowed = LessonPage.objects.none()
    for module in modules:
        allowed = allowed | LessonPage.objects.descendant_of(module)
    allowed_ids = set(allowed.values_list("pk", flat=True)) if modules else set()
    if any(lesson.pk not in allowed_ids for lesson in lessons):
        raise ValidationError({"lessons": "A linked lesson is not in the cohort's modules."})
    return lessons


@transaction.atomic
def session_create(
    *, cohort: Cohort, by, topic: str, date: date, start_time: time, end_time: time,
    venue: str = "", online_url: str = "", lessons: Iterable[LessonPage] = (),
) -> Session:
    session = Session(
        cohort=cohort, topic=topic, date=date, start_time=start_time, end_time=end_time,
        venue=venue, online_url=online_url,
    )
    session.full_clean()
    session.save()
    session.lessons.set(_lessons_of_cohort(cohort=cohort, lessons=lessons))
    return session


@transaction.atomic
def session_update(
    *, session: Session, by, topic: str, date: date, start_time: time, end_time: time,
    venue: str = "", online_url: str = "", lessons: Iterable[LessonPage] = (),
) -> Session:
    moved = (date, start_time) != (session.date, session.start_time)
    session.topic, session.date, session.start_time, session.end_time = (
        topic, date, start_time, end_time)
    session.venue, session.online_url = venue, online_url
    if moved:
        # A session moved to another day gets its reminder again.
        session.reminder_sent_at = None
    session.full_clean()
    session.save()
    session.lessons.set(_lessons_of_cohort(cohort=session.cohort, lessons=lessons))
    return session


@transaction.atomic
def session_delete(*, session: Session, by) -> None:
    session.delete()


def session_get_for_cohort(*, cohort: Cohort, pk: int) -> Session:
    from django.http import Http404

    session = cohort.sessions.filter(pk=pk).first()
    if session is None:
        raise Http404
    session.cohort = cohort
    return session


def sessions_of_cohort(*, cohort: Cohort) -> list[Session]:
    sessions = list(cohort.sessions.order_by("date", "start_time", "pk"))
    for session in sessions:
        session.cohort = cohort
    return sessions


def sessions_for_learner(*, user, now: datetime | None = None, upcoming: bool = True
                         ) -> QuerySet[Session]:
    """Sessions of the learner's active (or completed) memberships; ``upcoming``: not ended yet
    (compared on the date, a day's margin either side of any zone, then exactly in Python)."""
    now = now or timezone.now()
    qs = Session.objects.filter(
        cohort__memberships__user=user,
        cohort__memberships__state__in=(MembershipState.ACTIVE, MembershipState.COMPLETED),
    ).select_related("cohort").order_by("date", "start_time", "pk")
    if upcoming:
        qs = qs.filter(date__gte=(now - timedelta(days=1)).date())
    return qs


def upcoming_for_learner(*, user, now: datetime | None = None) -> list[Session]:
    now = now or timezone.now()
    return [s for s in sessions_for_learner(user=user, now=now) if s.ends_at >= now]


# --- Calendars --------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _vtimezone(zone: str):
    from icalendar import Timezone

    return Timezone.from_tzid(zone)


def _event(session: Session):
    from icalendar import Event

    event = Event()
    event.add("uid", f"session-{session.pk}@passerelle")
    event.add("summary", f"{session.topic} · {session.cohort.name}")
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("dtstamp", timezone.now())
    if session.venue:
        event.add("location", session.venue)
    if session.online_url:
        event.add("url", session.online_url)
        event.add("description", session.online_url)
    return event


def calendar_ics(*, sessions: Iterable[Session], name: str) -> bytes:
    """One VCALENDAR with an event per session and a VTIMEZONE per zone used."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//Passerelle//Cohort sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    sessions = list(sessions)
    for zone in sorted({s.cohort.time_zone for s in sessions}):
        calendar.add_component(_vtimezone(zone))
    for session in sessions:
        calendar.add_component(_event(session))
    return calendar.to_ical()


def feed_token(user) -> str:
    """A secret URL token for a calendar app (which cannot log in): signed, names the user."""
    return signing.dumps({"u": user.pk}, salt=FEED_SALT, compress=True)


def feed_user_id(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    user_id = value.get("u") if isinstance(value, dict) else None
    return user_id if isinstance(user_id, int) else None


# --- Reminders --------------------------------------------------------------------------------


def sessions_due_for_reminder(*, now: datetime) -> list[Session]:
    """Sessions taking place tomorrow in their cohort's zone, not reminded yet."""
    candidates = Session.objects.filter(
        reminder_sent_at__isnull=True,
        date__gte=(now + timedelta(hours=10)).date(),
        date__lte=(now + timedelta(days=2, hours=14)).date(),
    ).select_related("cohort")
    due = []
    for session in candidates:
        tomorrow = now.astimezone(session.cohort.zone).date() + timedelta(days=1)
        if session.date == tomorrow:
            due.append(session)
    return due


def _reminder_mail(*, session: Session, membership: Membership) -> tuple[str, str, str]:
    user = membership.user
    language = user.preferred_language or session.cohort.language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "session": session, "cohort": session.cohort, "user": user,
            "starts_at": session.starts_at, "ends_at": session.ends_at,
            "zone": session.cohort.time_zone,
            "url": _absolute(reverse("cohorts:my_sessions")),
            "site_url": settings.SITE_URL,
        }
        with timezone.override(session.cohort.zone):
            subject = render_to_string("cohorts/email/session_reminder_subject.txt", context)
            body = render_to_string("cohorts/email/session_reminder.txt", context)
    return " ".join(subject.split()), body, user.email


def session_reminder_send(*, session: Session, now: datetime) -> int:
    """Claim the session (exactly once) and mail its active members. The number of e-mails."""
    with transaction.atomic():
        claimed = Session.objects.filter(pk=session.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now)
        if not claimed:
            return 0
        members = list(
            Membership.objects.filter(cohort_id=session.cohort_id, state=MembershipState.ACTIVE)
            .select_related("user")
        )
        mails = [_reminder_mail(session=session, membership=m) for m in members if m.user.email]

        def send() -> None:
            for subject, body, to in mails:
                send_mail(subject, body, None, [to])

        transaction.on_commit(send)
    return len(mails)


def session_reminders_send(*, now: datetime | None = None) -> int:
    """The beat task's body: remind every session due. The number of e-mails."""
    now = now or timezone.now()
    return sum(session_reminder_send(session=s, now=now)
               for s in sessions_due_for_reminder(now=now))
