"""The trainer workspace pages, the progress table and its exports, the attendance
requirement, open cohorts on a cohort-only module's page, invitations' join link."""
# ruff: noqa: F811  (fixtures imported from core_fixtures)

import csv
import io
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.exports import neutralise
from cohorts.models import Attendance, Cohort, Membership, MembershipState, Session
from cohorts.progress import attendance_requirements
from cohorts.selectors import cohort_progress_table
from cohorts.services import invitation_create, membership_add
from courses.models import Enrolment
from tests.cohorts.core_fixtures import cohort, cohort_build, cohort_module, member  # noqa: F401

pytestmark = pytest.mark.django_db


def _sessions(cohort, n):
    today = timezone.localdate()
    return [
        Session.objects.create(cohort=cohort, topic=f"Atelier {i}", date=today - timedelta(days=i),
                               start_time=time(9), end_time=time(12))
        for i in range(n)
    ]


def test_neutralise_formula_starts():
    for value in ("=SUM(A1)", "+1", "-2", "@cmd", "\tx", "\rx"):
        assert neutralise(value) == "'" + value
    assert neutralise("Amina") == "Amina" and neutralise(3) == 3 and neutralise(None) == ""


def test_attendance_requirement_and_completion_wait(cohort, member, cohort_module):
    sessions = _sessions(cohort, 4)
    enrolment = Enrolment.objects.get(user=member, course=cohort_module)
    for s in sessions[:2]:
        Attendance.objects.create(session=s, user=member, status="present")
    req = attendance_requirements(enrolments=[enrolment])[enrolment.pk]
    assert req.label == "présent·e à 2 séances sur 4 (80 % requis)"  # fr, the site default
    assert req.met is False and req.needed == 4 - 0 and req.done == 2
    Attendance.objects.create(session=sessions[2], user=member, status="late")
    Attendance.objects.create(session=sessions[3], user=member, status="present")
    assert attendance_requirements(enrolments=[enrolment])[enrolment.pk].met is True


def test_attendance_requirement_absent_without_sessions_or_minimum(trainer, cohort_module,
                                                                   user_factory):
    c = cohort_build(by=trainer, modules=[cohort_module], min_attendance_percent=0)
    person = user_factory()
    membership_add(cohort=c, user=person)
    _sessions(c, 2)
    enrolment = Enrolment.objects.get(user=person, course=cohort_module)
    assert attendance_requirements(enrolments=[enrolment]).get(enrolment.pk) is None


def test_attendance_requirement_costs_no_query_for_modules_no_cohort_follows(
    trainer, cohort_module, user_factory, django_assert_num_queries
):
    person = user_factory()
    c = cohort_build(by=trainer, modules=[], min_attendance_percent=80)
    membership_add(cohort=c, user=person)
    from courses.services import enrolment_create

    enrolment = enrolment_create(user=person, course=cohort_module, by_organiser=True)
    attendance_requirements(enrolments=[enrolment])  # caches the set of modules concerned
    with django_assert_num_queries(0):
        assert attendance_requirements(enrolments=[enrolment]) == {}
    # Adding the module to the cohort forgets the cached set: the requirement appears.
    c.modules.add(cohort_module)
    _sessions(c, 2)
    requirement = attendance_requirements(enrolments=[enrolment])[enrolment.pk]
    assert (requirement.done, requirement.needed, requirement.met) == (0, 2, False)


def test_progress_table_rows_and_sort(cohort, member, user_factory, cohort_module):
    other = user_factory(full_name="Zaid Last")
    membership_add(cohort=cohort, user=other)
    sessions = _sessions(cohort, 2)
    Attendance.objects.create(session=sessions[0], user=other, status="present")
    table = cohort_progress_table(cohort=cohort, sort="name")
    assert [r["name"] for r in table["rows"]] == ["Amina Member", "Zaid Last"]
    assert table["rows"][1]["attendance"] == 50
    assert table["rows"][0]["lessons_total"] == 2
    by_attendance = cohort_progress_table(cohort=cohort, sort="-attendance")
    assert by_attendance["rows"][0]["name"] == "Zaid Last"


def test_progress_page_and_exports_neutralise(trainer_client, cohort, user_factory):
    evil = user_factory(full_name="=HYPERLINK(\"http://x\")")
    membership_add(cohort=cohort, user=evil)
    page = trainer_client.get(reverse("cohorts:workspace_progress", kwargs={"pk": cohort.pk}))
    assert page.status_code == 200
    response = trainer_client.get(reverse("cohorts:workspace_progress_csv",
                                          kwargs={"pk": cohort.pk}))
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == "'=HYPERLINK(\"http://x\")"
    xlsx = trainer_client.get(reverse("cohorts:workspace_progress_xlsx", kwargs={"pk": cohort.pk}))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content), read_only=True).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[1][0] == "'=HYPERLINK(\"http://x\")"


def test_progress_table_constant_queries(cohort, user_factory, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        fresh = Cohort.objects.get(pk=cohort.pk)
        with CaptureQueriesContext(connection) as ctx:
            cohort_progress_table(cohort=fresh)
        return len(ctx.captured_queries)

    for _ in range(2):
        membership_add(cohort=cohort, user=user_factory())
    count()  # warms the cached set of modules that need attendance
    small = count()
    for _ in range(8):
        membership_add(cohort=cohort, user=user_factory())
    assert count() == small <= 15


def test_trainer_creates_a_cohort_through_the_form(trainer_client, trainer, cohort_module):
    today = timezone.localdate()
    response = trainer_client.post(reverse("cohorts:workspace_create"), {
        "name": "Dakar seminar", "delivery_mode": "in_person", "country": "SN", "city": "Dakar",
        "start_date": today.isoformat(), "end_date": (today + timedelta(days=3)).isoformat(),
        "time_zone": "Africa/Dakar", "language": "fr", "min_attendance_percent": 80,
        "modules": [cohort_module.pk], "trainers": [trainer.pk],
    })
    assert response.status_code == 302, response.context["form"].errors
    created = Cohort.objects.get(name="Dakar seminar")
    assert list(created.trainers.all()) == [trainer]
    assert trainer_client.get(response["Location"]).status_code == 200


def test_member_search_exposes_only_exact_email_outside_the_pool(
    trainer_client, cohort, user_factory
):
    stranger = user_factory(full_name="Stranger Person", email="stranger@example.org")
    url = reverse("cohorts:workspace_members", kwargs={"pk": cohort.pk})
    assert "stranger@example.org" not in trainer_client.get(url, {"q": "Stranger"}).content.decode()
    page = trainer_client.get(url, {"q": "stranger@example.org"}).content.decode()
    assert "Stranger Person" in page
    add = reverse("cohorts:workspace_member_add", kwargs={"pk": cohort.pk})
    assert trainer_client.post(add, {"user": stranger.pk, "q": "Stranger"}).status_code == 404
    assert trainer_client.post(add, {"user": stranger.pk,
                                     "q": "stranger@example.org"}).status_code == 302
    assert Membership.objects.get(cohort=cohort, user=stranger).state == MembershipState.ACTIVE


def test_cohort_only_module_page_lists_open_cohorts(client, trainer, cohort_module):
    cohort_build(by=trainer, modules=[cohort_module], name="Seminaire ouvert", is_open=True,
                 capacity=10)
    html = client.get(cohort_module.url).content.decode()
    assert "Seminaire ouvert" in html
    assert reverse("cohorts:open_cohort", kwargs={"pk": Cohort.objects.get(
        name="Seminaire ouvert").pk}) in html


def test_join_link_after_login_lands_in_the_cohort(client, cohort, trainer, learner,
                                                   cohort_module):
    invitation = invitation_create(cohort=cohort, email=learner.email, language="fr", by=trainer)
    url = reverse("cohorts:join", kwargs={"token": invitation.token})
    page = client.get(url).content.decode()
    assert f"?next={url}".replace("/", "%2F") in page or f"next={url}" in page
    client.force_login(learner)
    assert client.post(url).status_code == 302
    assert Membership.objects.get(cohort=cohort, user=learner).state == MembershipState.ACTIVE
    assert Enrolment.objects.filter(user=learner, course=cohort_module).exists()


def test_completion_waits_for_attendance_then_member_evaluate_completes(
    cohort, member, cohort_module
):
    from cohorts.services import cohort_member_evaluate
    from courses.completion import enrolment_evaluate
    from courses.models import EnrolmentStatus, LessonPage
    from tests.factories import LessonProgressFactory, QuizAttemptFactory

    sessions = _sessions(cohort, 4)
    for lesson in LessonPage.objects.child_of(cohort_module):
        LessonProgressFactory(user=member, lesson=lesson)
    QuizAttemptFactory(user=member, quiz=cohort_module.final_assessment, score=100)
    enrolment = Enrolment.objects.get(user=member, course=cohort_module)
    assert enrolment_evaluate(enrolment=enrolment) is False  # attended 0 of 4
    for s in sessions:
        Attendance.objects.create(session=s, user=member, status="present")
    membership = Membership.objects.get(cohort=cohort, user=member)
    assert cohort_member_evaluate(membership=membership) is True
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.COMPLETED
    assert Membership.objects.get(pk=membership.pk).state == MembershipState.COMPLETED


def test_invitation_to_an_existing_account_shows_them_invited(cohort, trainer, learner):
    invitation_create(cohort=cohort, email=learner.email.upper(), by=trainer)
    assert Membership.objects.get(cohort=cohort, user=learner).state == MembershipState.INVITED


def test_cohort_create_refuses_a_trainer_without_the_role(manager, learner):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        cohort_build(by=manager, trainers=[learner])
