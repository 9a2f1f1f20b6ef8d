"""Sessions: local times in the cohort's zone, My sessions, .ics parsed back with icalendar,
reminders the day before (cohort's zone, learner's language, exactly once)."""
# ruff: noqa: F811  (fixtures imported from sessions_fixtures)

from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from cohorts.sessions import session_reminders_send, sessions_due_for_reminder
from tests.cohorts.sessions_fixtures import (  # noqa: F401
    fixed_session,
    s_cohort,
    s_member,
    s_session,
)
from tests.helpers import logged_in_client  # noqa: E402

pytestmark = pytest.mark.django_db


_client = logged_in_client


def test_trainer_schedules_and_page_shows_cohort_local_time(trainer, s_cohort, settings):
    settings.TIME_ZONE = "Asia/Tokyo"  # the server's zone differs from the cohort's
    client = _client(trainer)
    day = datetime.now(tz=UTC).date() + timedelta(days=3)
    response = client.post(reverse("cohorts:sessions_create", args=[s_cohort.pk]), {
        "topic": "Droits des travailleurs", "date": day.isoformat(), "start_time": "09:30",
        "end_time": "11:00", "venue": "Salle 2",
    })
    assert response.status_code == 302
    page = client.get(reverse("cohorts:sessions_list", args=[s_cohort.pk])).content.decode()
    assert "09:30–11:00" in page and "Africa/Casablanca" in page
    session = s_cohort.sessions.get()
    assert session.starts_at.astimezone(UTC).hour in (8, 9)  # Casablanca is UTC+1 or UTC+0


def test_end_before_start_refused(trainer, s_cohort):
    response = _client(trainer).post(reverse("cohorts:sessions_create", args=[s_cohort.pk]), {
        "topic": "X", "date": "2026-12-20", "start_time": "11:00", "end_time": "10:00"})
    assert response.status_code == 200 and not s_cohort.sessions.exists()


def test_my_sessions_and_ics(s_cohort, s_member, s_session, user_factory):
    client = _client(s_member)
    page = client.get(reverse("cohorts:my_sessions"))
    assert page.status_code == 200 and s_session.topic in page.content.decode()
    response = client.get(reverse("cohorts:sessions_event_ics", args=[s_session.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    zones = [c for c in calendar.walk("VTIMEZONE")]
    assert [str(z["TZID"]) for z in zones] == ["Africa/Casablanca"]
    event = calendar.walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "Africa/Casablanca"
    assert event.decoded("DTSTART") == s_session.starts_at
    feed = client.get(reverse("cohorts:sessions_feed"))
    assert len(icalendar.Calendar.from_ical(feed.content).walk("VEVENT")) == 1
    # The secret feed URL works without a login; a forged one does not.
    from cohorts.sessions import feed_token

    url = reverse("cohorts:sessions_feed_token", kwargs={"token": feed_token(s_member)})
    assert len(icalendar.Calendar.from_ical(Client().get(url).content).walk("VEVENT")) == 1
    assert Client().get(url.replace("calendar.ics", "x") + "/calendar.ics").status_code == 404
    # A stranger cannot download a session's event.
    stranger = _client(user_factory())
    assert stranger.get(reverse("cohorts:sessions_event_ics",
                                args=[s_session.pk])).status_code == 404


def test_reminder_day_before_in_cohort_zone_language_once(s_cohort, s_member, settings,
                                                          django_capture_on_commit_callbacks):
    settings.TIME_ZONE = "UTC"
    # A cohort in Casablanca; 23:30 UTC on the 9th is already the 10th there
    # (UTC+1), so a session on the 11th is "tomorrow" in the cohort's zone.
    s_cohort.time_zone = "Africa/Casablanca"
    s_cohort.save()
    session = fixed_session(s_cohort, day=date(2026, 12, 11), start=time(15), end=time(17))
    before = datetime(2026, 12, 9, 22, 30, tzinfo=UTC)  # 23:30 in Casablanca: still the 9th
    assert sessions_due_for_reminder(now=before) == []
    now = datetime(2026, 12, 9, 23, 30, tzinfo=UTC)  # 00:30 on the 10th in Casablanca
    assert [s.pk for s in sessions_due_for_reminder(now=now)] == [session.pk]
    with django_capture_on_commit_callbacks(execute=True):
        sent = session_reminders_send(now=now)
    assert sent == 1 and len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [s_member.email]
    assert "15:00–17:00" in message.body and "Africa/Casablanca" in message.body
    # Exactly once: a second beat run sends nothing.
    assert session_reminders_send(now=now + timedelta(hours=1)) == 0
    assert len(mail.outbox) == 1
    session.refresh_from_db()
    assert session.reminder_sent_at == now


def test_reminder_in_learners_language(s_cohort, s_member, django_capture_on_commit_callbacks):
    from django.utils import translation

    fixed_session(s_cohort, day=date(2026, 12, 11))
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        session_reminders_send(now=datetime(2026, 12, 10, 8, tzinfo=UTC))
    assert len(mail.outbox) == 1
    # s_member prefers Arabic: the mail is rendered with translation.override("ar"): Arabic
    # month names come from Django's own catalogue.
    assert "ديسمبر" in mail.outbox[0].body

