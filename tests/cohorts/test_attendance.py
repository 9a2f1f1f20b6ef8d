"""The attendance register: one POST upserts every row, audited; a resubmission changes
nothing; two trainers at once lose no row (PostgreSQL); rates; the beat entry."""
# ruff: noqa: F811  (fixtures imported from sessions_fixtures)

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from cohorts.attendance import learner_rate, register_save, session_rate
from cohorts.models import Attendance, AttendanceChange
from cohorts.services import membership_add
from tests.cohorts.core_fixtures import cohort, cohort_module, member  # noqa: F401
from tests.cohorts.sessions_fixtures import (  # noqa: F401
    s_cohort,
    s_member,
    s_session,
    session_build,
)
from tests.helpers import (
    logged_in_client,  # noqa: E402
    run_concurrently,
)

pytestmark = pytest.mark.django_db


_client = logged_in_client


def test_register_post_upserts_audits_and_is_idempotent(trainer, s_cohort, s_session,
                                                         user_factory):
    people = [user_factory(full_name=f"P{i}") for i in range(3)]
    for person in people:
        membership_add(cohort=s_cohort, user=person)
    url = reverse("cohorts:sessions_register", args=[s_cohort.pk, s_session.pk])
    client = _client(trainer)
    page = client.get(url)
    assert page.status_code == 200 and "Tous présents" in page.content.decode()
    form = {f"row-{p.pk}": "1" for p in people}
    form |= {f"status-{people[0].pk}": "late", f"remark-{people[0].pk}": "bus",
             f"status-{people[1].pk}": "excused"}
    form["action"] = "all_present"  # the blank row becomes present
    assert client.post(url, form).status_code == 302
    marks = dict(Attendance.objects.values_list("user_id", "status"))
    assert marks == {people[0].pk: "late", people[1].pk: "excused", people[2].pk: "present"}
    assert AttendanceChange.objects.count() == 3
    # The same form again (a retry after a network drop): nothing changes, no audit row.
    assert client.post(url, form).status_code == 302
    assert AttendanceChange.objects.count() == 3
    # A change is audited old → new.
    form[f"status-{people[1].pk}"] = "present"
    client.post(url, form)
    change = AttendanceChange.objects.order_by("pk").last()
    assert (change.old_status, change.new_status, change.changed_by) == (
        "excused", "present", trainer)
    assert session_rate(session=s_session) == {"marked": 3, "attended": 3, "percent": 100}
    assert learner_rate(cohort=s_cohort, user=people[1])["attended"] == 1


def test_register_ignores_non_members(trainer, s_session, user_factory):
    stranger = user_factory()
    assert register_save(session=s_session, by=trainer,
                         marks={stranger.pk: ("present", "")}) == 0
    assert not Attendance.objects.exists()


def test_register_queries_constant(trainer, s_cohort, s_session, user_factory,
                                   django_assert_max_num_queries):
    people = [user_factory() for _ in range(10)]
    for person in people:
        membership_add(cohort=s_cohort, user=person)
    with django_assert_max_num_queries(10):
        register_save(session=s_session, by=trainer,
                      marks={p.pk: ("present", "") for p in people})


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_trainers_at_once_lose_no_row(trainer, s_cohort, s_session, user_factory):
    people = [user_factory() for _ in range(6)]
    for person in people:
        membership_add(cohort=s_cohort, user=person)
    first = {p.pk: ("present", "") for p in people[:4]}
    second = {p.pk: ("late", "") for p in people[2:]}
    marks = iter([first, second])
    outcome = run_concurrently(lambda: register_save(session=s_session, by=trainer,
                                                     marks=next(marks)), 2)
    assert outcome.errors == []
    assert Attendance.objects.filter(session=s_session).count() == 6
    # Every row has its creation audited once, whichever trainer won.
    assert AttendanceChange.objects.filter(old_status="").count() == 6


def test_reminders_are_on_the_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["cohorts-session-reminders"]
    assert entry["task"] == "cohorts.session_reminders"


def test_marks_reevaluate_completion_after_commit(trainer, celery_eager, cohort, member,
                                                  django_capture_on_commit_callbacks):
    """The register enqueues cohorts-core's completion check after commit (eager here): a
    member without completed modules stays active, and the task runs without error."""
    from cohorts.models import Membership
    from cohorts.tasks import attendance_evaluate

    session = session_build(cohort=cohort)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert register_save(session=session, by=trainer, marks={member.pk: ("present", "")}) == 1
    assert len(callbacks) == 1
    assert Membership.objects.get(cohort=cohort, user=member).state == "active"
    assert attendance_evaluate(session.pk, [member.pk]) == 0
