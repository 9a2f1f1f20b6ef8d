"""QR self check-in: the token window with time travel, the login detour, refusals with exact
status codes, the printable QR and the participant card."""
# ruff: noqa: F811  (fixtures imported from sessions_fixtures)

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cohorts import checkin
from cohorts.models import Attendance, AttendanceChange
from cohorts.services import membership_add
from tests.cohorts.sessions_fixtures import (  # noqa: F401
    s_cohort,
    s_member,
    s_session,
    session_build,
)
from tests.helpers import logged_in_client  # noqa: E402

pytestmark = pytest.mark.django_db


def _url(session, code):
    return reverse("cohorts:sessions_checkin", kwargs={"session_pk": session.pk, "code": code})


_client = logged_in_client


def test_token_window_with_time_travel(s_session):
    now = timezone.now()
    step = checkin.step_at(now)
    current = f"{step}.{checkin.token_for(session=s_session, step=step)}"
    previous = f"{step - 1}.{checkin.token_for(session=s_session, step=step - 1)}"
    two_old = f"{step - 2}.{checkin.token_for(session=s_session, step=step - 2)}"
    assert checkin.code_validate(session=s_session, code=current, now=now) == step
    assert checkin.code_validate(session=s_session, code=previous, now=now) == step - 1
    with pytest.raises(checkin.CheckinRefused) as refused:
        checkin.code_validate(session=s_session, code=two_old, now=now)
    assert refused.value.code == "expired" and refused.value.status == 410
    # A step from the future (a display ahead of the server's clock by more than a step).
    ahead = f"{step + 1}.{checkin.token_for(session=s_session, step=step + 1)}"
    with pytest.raises(checkin.CheckinRefused):
        checkin.code_validate(session=s_session, code=ahead, now=now)
    # Outside the window: after the end, and more than 30 minutes before the start.
    late = s_session.ends_at + timedelta(minutes=1)
    code = checkin.code_for(session=s_session, now=late)
    with pytest.raises(checkin.CheckinRefused) as refused:
        checkin.code_validate(session=s_session, code=code, now=late)
    assert refused.value.code == "outside_window"
    early = s_session.starts_at - timedelta(minutes=31)
    with pytest.raises(checkin.CheckinRefused) as refused:
        checkin.code_validate(session=s_session, code=checkin.code_for(
            session=s_session, now=early), now=early)
    assert refused.value.code == "outside_window"
    just_open = s_session.starts_at - timedelta(minutes=29)
    checkin.code_validate(session=s_session, code=checkin.code_for(
        session=s_session, now=just_open), now=just_open)


def test_token_is_bound_to_its_session(s_cohort, s_session):
    other = session_build(cohort=s_cohort, topic="Autre")
    now = timezone.now()
    code = checkin.code_for(session=other, now=now)
    with pytest.raises(checkin.CheckinRefused) as refused:
        checkin.code_validate(session=s_session, code=code, now=now)
    assert refused.value.code == "invalid"


def test_member_checks_in_once(s_session, s_member):
    client = _client(s_member)
    url = _url(s_session, checkin.code_for(session=s_session, now=timezone.now()))
    page = client.get(url)
    assert page.status_code == 200 and "Enregistrer ma présence" in page.content.decode()
    assert not Attendance.objects.exists()  # GET writes nothing
    done = client.post(url)
    assert done.status_code == 302 and done["Location"] == reverse("cohorts:my_sessions")
    assert "Votre présence" in client.get(done["Location"]).content.decode()
    row = Attendance.objects.get(session=s_session, user=s_member)
    assert row.status == "present"
    assert AttendanceChange.objects.get(attendance=row).method == "qr"
    again = client.post(_url(s_session, checkin.code_for(session=s_session, now=timezone.now())))
    assert again.status_code == 409
    assert "Déjà enregistré pour cette séance" in again.content.decode()
    assert Attendance.objects.count() == 1


def test_replayed_or_foreign_token_refused_over_http(s_cohort, s_session, s_member):
    client = _client(s_member)
    old = timezone.now() - timedelta(seconds=3 * checkin.STEP_SECONDS)
    response = client.post(_url(s_session, checkin.code_for(session=s_session, now=old)))
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    other = session_build(cohort=s_cohort, topic="Autre")
    response = client.post(_url(s_session, checkin.code_for(session=other, now=timezone.now())))
    assert response.status_code == 404
    response = client.get(_url(s_session, "12.notatoken"))
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_non_member_refused(s_session, user_factory):
    stranger = user_factory()
    client = _client(stranger)
    url = _url(s_session, checkin.code_for(session=s_session, now=timezone.now()))
    response = client.get(url)
    assert response.status_code == 403
    assert "Enregistrer ma présence" not in response.content.decode()
    response = client.post(url)
    assert response.status_code == 403
    assert "n’êtes pas membre" in response.content.decode()  # "not a member"
    assert not Attendance.objects.exists()


def test_login_first_counts_the_scan_time(s_session, s_member, settings):
    client = Client()
    scanned = timezone.now()
    url = _url(s_session, checkin.code_for(session=s_session, now=scanned))
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"] and "next=" in response["Location"]
    # The learner takes a minute to log in: the code has expired by then.
    client.force_login(s_member)
    session = client.session
    session[checkin.SCAN_SESSION_KEY]["at"] = (scanned - timedelta(seconds=60)).timestamp()
    session.save()
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    row = Attendance.objects.get(user=s_member)
    assert abs((row.device_marked_at - scanned).total_seconds() + 60) < 1


def test_scan_remembered_too_long_ago_is_refused(s_session, s_member):
    client = Client()
    url = _url(s_session, checkin.code_for(
        session=s_session, now=timezone.now() - timedelta(minutes=1)))
    client.force_login(s_member)
    session = client.session
    session[checkin.SCAN_SESSION_KEY] = {
        "s": s_session.pk, "at": (timezone.now() - timedelta(minutes=11)).timestamp()}
    session.save()
    assert client.post(url).status_code == 410


def test_printable_qr_only_in_window(s_cohort, s_session, s_member):
    token = checkin.print_token(s_session)
    url = reverse("cohorts:sessions_checkin_print",
                  kwargs={"session_pk": s_session.pk, "token": token})
    assert _client(s_member).post(url).status_code == 302
    assert Attendance.objects.get(user=s_member).status == "present"
    past = session_build(cohort=s_cohort, start=timezone.now() - timedelta(days=2))
    url = reverse("cohorts:sessions_checkin_print",
                  kwargs={"session_pk": past.pk, "token": checkin.print_token(past)})
    response = _client(s_member).post(url)
    assert response.status_code == 403 and "30 minutes" in response.content.decode()
    # Another session's printed token.
    url = reverse("cohorts:sessions_checkin_print",
                  kwargs={"session_pk": past.pk, "token": token})
    assert _client(s_member).post(url).status_code == 404


def test_participant_card(trainer, s_cohort, s_session, s_member, user_factory):
    trainer_client = _client(trainer)
    url = reverse("cohorts:sessions_card_scan", kwargs={"token": checkin.card_token(s_member)})
    page = trainer_client.get(url)
    assert page.status_code == 200 and "Amina Member" in page.content.decode()
    assert trainer_client.post(url, {"session": s_session.pk}).status_code == 200
    change = AttendanceChange.objects.get()
    assert change.method == "card" and change.changed_by == trainer
    # A card of a learner of another cohort.
    from cohorts.services import cohort_create

    other = cohort_create(by=trainer, modules=[], name="Dakar", start_date=s_cohort.start_date,
                          end_date=s_cohort.end_date, time_zone="Africa/Dakar")
    outsider = user_factory()
    membership_add(cohort=other, user=outsider)
    url = reverse("cohorts:sessions_card_scan", kwargs={"token": checkin.card_token(outsider)})
    response = trainer_client.get(url)
    assert response.status_code == 403
    assert "n’est pas celle d’un membre" in response.content.decode()
    # A forged card; a learner cannot use the trainer's page.
    forged = reverse("cohorts:sessions_card_scan", kwargs={"token": "x" * 20})
    assert trainer_client.get(forged).status_code == 404
    assert _client(s_member).get(url).status_code == 403


def test_trainer_display_and_json(trainer, s_cohort, s_session, user_factory):
    client = _client(trainer)
    page = client.get(reverse("cohorts:sessions_qr", args=[s_cohort.pk, s_session.pk]))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    data = client.get(reverse("cohorts:sessions_qr_code", args=[s_cohort.pk, s_session.pk]))
    assert data.status_code == 200 and data.json()["open"] is True
    stranger = user_factory()
    assert _client(stranger).get(
        reverse("cohorts:sessions_qr", args=[s_cohort.pk, s_session.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_checkin_queries(s_session, s_member):
    """One check-in outside a test transaction: at most 8 queries (BEGIN/COMMIT not counted);
    the completion re-evaluation is only enqueued (as in production)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lms.celery import app

    previous, app.conf.task_always_eager = app.conf.task_always_eager, False

    client = _client(s_member)
    url = _url(s_session, checkin.code_for(session=s_session, now=timezone.now()))
    try:
        with CaptureQueriesContext(connection) as ctx:
            assert client.post(url).status_code == 302
    finally:
        app.conf.task_always_eager = previous
    queries = [q for q in ctx.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")]
    assert len(queries) <= 8, [q["sql"][:80] for q in queries]
    assert Attendance.objects.filter(user=s_member).exists()
