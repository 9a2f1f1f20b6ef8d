"""Attendance-only cohorts: completion by attendance alone, the attestation of participation
(issued once, real PDF, verification page, Open Badges credential) and the cohort placeholders
of certificates printed from a cohort's template."""

from __future__ import annotations

import io
import json
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from certificates.models import Certificate, CertificateStatus
from certificates.rendering import certificate_html
from certificates.services import certificate_data, certificate_issue
from cohorts.attendance import register_save
from cohorts.attestations import (
    attendance_only_due,
    attestation_issue,
    completion_sweep,
    memberships_due_for_attestation,
)
from cohorts.models import Membership, MembershipState
from cohorts.services import cohort_create, cohort_member_evaluate, membership_add
from courses.models import Enrolment, EnrolmentStatus
from tests.cohorts.sessions_fixtures import fixed_session
from tests.factories import (
    TrainerFactory,
    UserFactory,
    course_create,
    enrolment_completed,
    template_create,
)
from tests.helpers import run_concurrently

ZONE = "Africa/Dakar"  # UTC+0 all year

BODY = ("<p>a participé à <strong>{cohort}</strong> avec {trainer} : {sessions_attended} "
        "séances.</p>")


def local_today():
    from zoneinfo import ZoneInfo

    return timezone.now().astimezone(ZoneInfo(ZONE)).date()


def seminar(*, trainer, days_left=0, sessions=4, template=True, **fields):
    """A seminar without module ending ``days_left`` days from today (Dakar), with ``sessions``
    sessions on the days before today (all over)."""
    today = local_today()
    cohort = cohort_create(
        by=trainer, modules=[], name=fields.pop("name", "Séminaire de Dakar"),
        start_date=today - timedelta(days=sessions + 2), end_date=today + timedelta(days=days_left),
        time_zone=ZONE, country="SN", city="Dakar",
        min_attendance_percent=fields.pop("min_attendance_percent", 75),
        certificate_template=template_create(name=f"Attestation {trainer.pk}", body_fr=BODY)
        if template else None,
        **fields,
    )
    for n in range(sessions):
        fixed_session(cohort, day=today - timedelta(days=sessions - n))
    return cohort


def mark(cohort, trainer, user, statuses):
    """Mark ``user`` in the cohort's sessions, in date order (e.g. ["present", "absent"])."""
    for session, status in zip(cohort.sessions.order_by("date"), statuses, strict=False):
        register_save(session=session, by=trainer, marks={user.pk: (status, "")})


@pytest.fixture
def lead(db):
    return TrainerFactory(full_name="Moussa Diallo")


# --- the rule -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_completes_when_the_minimum_is_met_and_the_cohort_is_over(
    lead, celery_eager, django_capture_on_commit_callbacks
):
    cohort = seminar(trainer=lead)
    enough, short = UserFactory(full_name="Awa Ndiaye"), UserFactory()
    for person in (enough, short):
        membership_add(cohort=cohort, user=person)
    with django_capture_on_commit_callbacks(execute=True):
        mark(cohort, lead, enough, ["present", "late", "present", "absent"])  # 3 / 4 = 75 %
        mark(cohort, lead, short, ["present", "excused", "absent", "present"])  # 2 / 4
    states = dict(Membership.objects.filter(cohort=cohort).values_list("user_id", "state"))
    assert states == {enough.pk: MembershipState.COMPLETED, short.pk: MembershipState.ACTIVE}


@pytest.mark.django_db
def test_no_completion_after_the_first_of_eight_sessions(
    lead, celery_eager, django_capture_on_commit_callbacks
):
    """One session held, seven to come: 1 / 1 attended is not a completion."""
    today = local_today()
    cohort = seminar(trainer=lead, days_left=10, sessions=1)
    for n in range(1, 8):
        fixed_session(cohort, day=today + timedelta(days=n))
    person = UserFactory()
    membership = membership_add(cohort=cohort, user=person)
    with django_capture_on_commit_callbacks(execute=True):
        mark(cohort, lead, person, ["present"])
    membership.refresh_from_db()
    assert membership.state == MembershipState.ACTIVE
    assert not Certificate.objects.exists()


@pytest.mark.django_db
def test_the_rule_waits_for_the_end_date_and_the_last_session(lead):
    cohort = seminar(trainer=lead, days_left=0, sessions=2)
    last = fixed_session(cohort, day=local_today(), start=time(9), end=time(11))
    person = UserFactory()
    membership = membership_add(cohort=cohort, user=person)
    mark(cohort, lead, person, ["present", "present", "present"])
    day = local_today()
    during = datetime.combine(day, time(10), tzinfo=cohort.zone)
    after = datetime.combine(day, time(11, 1), tzinfo=cohort.zone)
    assert attendance_only_due(membership=membership, now=during) is False  # 3rd not over
    assert attendance_only_due(membership=membership, now=after) is True
    # Ends tomorrow instead: sessions could still be scheduled, nobody completes yet.
    cohort.end_date = day + timedelta(days=1)
    assert attendance_only_due(membership=membership, now=after) is False
    assert last.ends_at == datetime.combine(day, time(11), tzinfo=cohort.zone)


@pytest.mark.django_db
def test_a_minimum_of_zero_still_needs_one_session_attended(lead):
    cohort = seminar(trainer=lead, sessions=2, min_attendance_percent=0)
    absent, came = UserFactory(), UserFactory()
    m_absent = membership_add(cohort=cohort, user=absent)
    m_came = membership_add(cohort=cohort, user=came)
    mark(cohort, lead, absent, ["absent", "absent"])
    mark(cohort, lead, came, ["absent", "present"])
    assert attendance_only_due(membership=m_absent) is False
    assert attendance_only_due(membership=m_came) is True


@pytest.mark.django_db
def test_a_cohort_without_session_completes_nobody(lead):
    cohort = seminar(trainer=lead, sessions=0)
    membership = membership_add(cohort=cohort, user=UserFactory())
    assert cohort_member_evaluate(membership=membership) is False


# --- the attestation ----------------------------------------------------------------------


@pytest.fixture
def completed(lead, celery_eager, django_capture_on_commit_callbacks):
    """A member who attended 3 of 4 sessions of a seminar co-led by two trainers: completed and
    attested through the real path (register → task → evaluation → attestation task)."""
    cohort = seminar(trainer=lead)
    cohort.trainers.add(TrainerFactory(full_name="Aïcha Benali"))
    person = UserFactory(full_name="Awa Ndiaye", country="SN")
    membership_add(cohort=cohort, user=person)
    with django_capture_on_commit_callbacks(execute=True):
        mark(cohort, lead, person, ["present", "present", "absent", "late"])
    membership = Membership.objects.get(cohort=cohort, user=person)
    return membership


def test_the_attestation_is_issued_once_with_its_pdf_and_e_mail(completed):
    certificate = Certificate.objects.get()
    assert certificate.membership_id == completed.pk
    assert certificate.enrolment_id is None and certificate.course_id is None
    assert certificate.is_attestation
    assert certificate.course_title == "Séminaire de Dakar"
    assert certificate.sessions_attended == "3 / 4"
    assert certificate.trainer_names == "Aïcha Benali, Moussa Diallo"
    assert certificate.hours == 6  # three sessions of two hours
    assert certificate.pdf.name and certificate.notified_at is not None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [completed.user.email]
    assert "Séminaire de Dakar" in mail.outbox[0].subject
    # Again, by the service and by the sweep: nothing new.
    assert attestation_issue(membership=completed).pk == certificate.pk
    assert cohort_member_evaluate(membership=completed) is False
    assert memberships_due_for_attestation() == []
    assert Certificate.objects.count() == 1 and len(mail.outbox) == 1


def test_the_attestation_pdf_says_the_cohort_trainers_and_sessions(completed):
    certificate = Certificate.objects.get()
    html = certificate_html(template=certificate.template,
                            data=certificate_data(certificate=certificate))
    assert "Séminaire de Dakar</span></strong>" in html
    assert "Aïcha Benali, Moussa Diallo</span>" in html
    assert ': <span dir="ltr">3 / 4</span> séances.' in html
    with certificate.pdf.open("rb") as handle:
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Awa Ndiaye" in text and "3 / 4" in text and "Moussa Diallo" in text


def test_the_verify_page_of_an_attestation_shows_the_cohort(completed, client):
    certificate = Certificate.objects.get()
    response = client.get(reverse("certificate_verify", kwargs={"code": certificate.display_code}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "data-cohort-name>Séminaire de Dakar<" in page
    assert "data-cohort-city>Dakar<" in page
    assert "data-cohort-dates" in page
    assert ">Module<" not in page
    credential = json.loads(client.get(reverse(
        "certificate_credential_json", kwargs={"code": certificate.display_code})).content)
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["name"] == "Séminaire de Dakar"
    assert "3 / 4" in achievement["criteria"]["narrative"]
    assert achievement["id"].endswith(certificate.achievement_key)
    served = client.get(f"/achievements/{certificate.achievement_key}")
    assert served.status_code == 200 and json.loads(served.content)["name"] == "Séminaire de Dakar"
    jwt = client.get(reverse("certificate_credential_jwt",
                             kwargs={"code": certificate.display_code}))
    assert jwt.status_code == 200 and jwt.content.count(b".") == 2


def test_the_learner_sees_the_attestation_on_my_certificates(completed, client):
    client.force_login(completed.user)
    response = client.get(reverse("certificates:my_certificates"))
    assert response.status_code == 200
    assert b"data-attestation" in response.content
    assert "Séminaire de Dakar" in response.content.decode()
    code = Certificate.objects.get().display_code
    download = client.get(reverse("certificates:download", kwargs={"code": code}))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    sessions = client.get(reverse("cohorts:my_sessions"))
    assert f'data-attestation="{code}"'.encode() in sessions.content


def test_a_revoked_attestation_is_not_issued_again(completed):
    from certificates.services import certificate_reissue, certificate_revoke

    certificate = Certificate.objects.get()
    replacement = certificate_reissue(certificate=certificate, by=None)
    assert replacement.membership_id == completed.pk and replacement.pk != certificate.pk
    certificate_revoke(certificate=replacement, by=None, reason="Erreur de saisie")
    assert attestation_issue(membership=completed).pk == replacement.pk
    assert Certificate.objects.filter(status=CertificateStatus.ISSUED).count() == 0


@pytest.mark.django_db
def test_no_attestation_without_a_template_or_for_a_cohort_with_modules(
    lead, celery_eager, django_capture_on_commit_callbacks
):
    cohort = seminar(trainer=lead, template=False)
    person = UserFactory()
    membership_add(cohort=cohort, user=person)
    with django_capture_on_commit_callbacks(execute=True):
        mark(cohort, lead, person, ["present"] * 4)
    assert Membership.objects.get(user=person).state == MembershipState.COMPLETED
    assert not Certificate.objects.exists()


@pytest.mark.django_db
def test_the_database_refuses_a_certificate_with_two_subjects_or_none(lead, site_tree):
    from django.db import IntegrityError, transaction

    course = course_create(site_tree, template=template_create(), slug="deux-sujets")
    enrolment = enrolment_completed(user=UserFactory(), course=course)
    certificate = certificate_issue(enrolment=enrolment, notify=False)
    cohort = seminar(trainer=lead)
    membership = membership_add(cohort=cohort, user=enrolment.user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk).update(membership=membership)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk).update(enrolment=None)


@pytest.mark.django_db
def test_the_sweep_completes_after_the_last_session_and_queues_what_is_owed(
    lead, celery_eager, django_capture_on_commit_callbacks
):
    """Marks taken during the last session (not over yet) complete nobody; the hourly sweep
    does once it is over. A lost attestation task is queued again by the sweep."""
    cohort = seminar(trainer=lead, sessions=3)
    person = UserFactory()
    membership = membership_add(cohort=cohort, user=person)
    mark(cohort, lead, person, ["present"] * 3)  # on_commit not run: the task never came
    assert Membership.objects.get(pk=membership.pk).state == MembershipState.ACTIVE
    with django_capture_on_commit_callbacks(execute=True):
        assert completion_sweep() == {"completed": 1, "queued": 0}
    assert Certificate.objects.filter(membership=membership).count() == 1
    # A completed membership whose attestation was lost (deleted here) is queued again.
    Certificate.objects.all().delete()
    assert memberships_due_for_attestation() == [membership.pk]
    with django_capture_on_commit_callbacks(execute=True):
        assert completion_sweep() == {"completed": 0, "queued": 1}
    assert Certificate.objects.filter(membership=membership).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_evaluations_complete_once_and_attest_once(lead):
    cohort = seminar(trainer=lead)
    person = UserFactory()
    membership = membership_add(cohort=cohort, user=person)
    mark(cohort, lead, person, ["present"] * 4)
    outcome = run_concurrently(
        lambda: cohort_member_evaluate(membership=Membership.objects.get(pk=membership.pk)), 8)
    assert outcome.unexpected_errors() == []  # SQLite may refuse a writer: "locked"
    assert outcome.results.count(True) == 1
    issued = run_concurrently(lambda: attestation_issue(membership=membership).pk, 8)
    assert issued.unexpected_errors() == []
    assert len(set(issued.results)) == 1
    if connection.vendor == "postgresql":  # PostgreSQL waits on row locks: nobody is refused
        assert sorted(outcome.results) == [False] * 7 + [True]
        assert len(issued.results) == 8
    assert Certificate.objects.filter(membership=membership).count() == 1


# --- cohort placeholders on module certificates --------------------------------------------


@pytest.mark.django_db
def test_a_members_module_certificate_uses_the_cohort_template(lead, site_tree):
    module_template = template_create(name="Module")
    course = course_create(site_tree, template=module_template, slug="module-cohorte")
    cohort_template = template_create(name="Cohorte", body_fr=BODY)
    today = local_today()
    cohort = cohort_create(
        by=lead, modules=[course], name="Cohorte de Thiès", start_date=today - timedelta(days=9),
        end_date=today + timedelta(days=9), time_zone=ZONE, country="SN",
        certificate_template=cohort_template, min_attendance_percent=0,
    )
    for n in (3, 2):
        fixed_session(cohort, day=today - timedelta(days=n))
    member, outsider = UserFactory(), UserFactory()
    membership_add(cohort=cohort, user=member)
    mark(cohort, lead, member, ["present", "absent"])
    # The member was enrolled by the cohort: their enrolment completes.
    Enrolment.objects.filter(user=member, course=course).update(
        status=EnrolmentStatus.COMPLETED, completed_at=timezone.now())
    mine = certificate_issue(enrolment=Enrolment.objects.get(user=member, course=course),
                             notify=False)
    other = certificate_issue(enrolment=enrolment_completed(user=outsider, course=course),
                              notify=False)
    assert (mine.template_id, mine.cohort_name, mine.trainer_names, mine.sessions_attended) == (
        cohort_template.pk, "Cohorte de Thiès", "Moussa Diallo", "1 / 2")
    assert (other.template_id, other.cohort_name) == (module_template.pk, "")
    html = certificate_html(template=mine.template, data=certificate_data(certificate=mine))
    assert "Cohorte de Thiès</span></strong>" in html
    assert '<span dir="ltr">1 / 2</span> séances.' in html


@pytest.mark.django_db
def test_template_text_accepts_the_cohort_placeholders():
    template = template_create(name="Avec cohorte", title_fr="Attestation {cohort}",
                               body_fr=BODY)
    assert template.pk
    with pytest.raises(ValidationError):
        template_create(name="Faute", body_fr="<p>{session_attended}</p>")


def test_the_expiry_reminder_of_an_attestation_speaks_of_participation(completed):
    """An attestation is not renewed by a final assessment: its reminder says so."""
    from certificates.services import certificate_expiry_reminders_send

    certificate = Certificate.objects.get(membership=completed)
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.now() + timedelta(days=20))
    mail.outbox.clear()
    assert certificate_expiry_reminders_send() == 1
    [message] = mail.outbox
    assert "Séminaire de Dakar" in message.subject
    assert "module" not in message.subject + message.body
    assert "/certificates/" in message.body and certificate.display_code in message.body
