from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from certificates import services
from certificates.models import Certificate, CertificateIssueFailure, CertificateStatus
from certificates.selectors import enrolments_due_for_certificate
from courses.models import EnrolmentStatus
from tests.factories import course_create, enrolment_completed, template_create

pytestmark = pytest.mark.django_db


def test_certificate_issue_snapshots_what_it_certifies(certificate, learner, certified_course):
    assert certificate.status == CertificateStatus.ISSUED
    assert certificate.holder_name == learner.full_name
    assert certificate.course_title == certified_course.title
    assert certificate.course_id == certified_course.pk and certificate.user_id == learner.pk
    assert certificate.hours == Decimal("6.0")
    assert certificate.grade == Decimal("85")
    assert certificate.country == "MA"
    assert certificate.competencies == ["Établir un budget", "Comparer les transferts"]
    assert certificate.language == "fr"
    assert certificate.issuer == "Passerelle"
    assert certificate.pdf.name.endswith(".pdf")
    assert certificate.pdf.read(5) == b"%PDF-"
    assert certificate.expires_at is None


def test_certificate_issue_emails_the_holder_once_in_their_language(completed_enrolment, learner):
    learner.preferred_language = "en"
    learner.save()
    certificate = services.certificate_issue(enrolment=completed_enrolment)
    services.certificate_issue(enrolment=completed_enrolment)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [learner.email]
    assert f"/verify/{certificate.display_code}/" in message.body
    assert "/en/certificates/" in message.body


def test_certificate_issue_is_idempotent(completed_enrolment):
    first = services.certificate_issue(enrolment=completed_enrolment)
    second = services.certificate_issue(enrolment=completed_enrolment)
    assert first.pk == second.pk
    assert Certificate.objects.count() == 1


def test_second_current_certificate_is_impossible_in_the_database(certificate):
    clone = Certificate(
        enrolment=certificate.enrolment, user=certificate.user, course=certificate.course,
        code="ABCDABCDABCD", status_index=certificate.status_index + 1,
        holder_name="x", course_title="x", language="fr",
        completion_date=certificate.completion_date, issuer="x",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_certificate_issue_refuses_an_enrolment_not_completed(completed_enrolment):
    completed_enrolment.status = EnrolmentStatus.ACTIVE
    completed_enrolment.completed_at = None
    completed_enrolment.save()
    with pytest.raises(services.CertificateNotDue):
        services.certificate_issue(enrolment=completed_enrolment)


def test_certificate_issue_refuses_a_module_without_template(site_tree, learner):
    course = course_create(site_tree, template=None, slug="sans-modele")
    enrolment = enrolment_completed(user=learner, course=course)
    with pytest.raises(services.CertificateNotDue):
        services.certificate_issue(enrolment=enrolment)


def test_snapshot_cannot_change_after_issue(certificate, learner):
    learner.full_name = "Nouveau Nom"
    learner.save()
    certificate.refresh_from_db()
    assert certificate.holder_name != "Nouveau Nom"
    certificate.holder_name = "Nouveau Nom"
    with pytest.raises(ValidationError):
        certificate.save()


def test_certificate_issue_finishes_a_certificate_whose_pdf_was_interrupted(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(pdf="")
    again = services.certificate_issue(enrolment=certificate.enrolment)
    assert again.pk == certificate.pk
    assert again.pdf.name
    assert Certificate.objects.count() == 1


def test_arabic_certificate_when_holder_prefers_arabic(site_tree, learner, certificate_template):
    course = course_create(
        site_tree, template=certificate_template, slug="budget",
        translations={"ar": "التربية المالية"},
    )
    learner.preferred_language = "ar"
    learner.save()
    certificate = services.certificate_issue(
        enrolment=enrolment_completed(user=learner, course=course)
    )
    assert certificate.language == "ar"
    assert certificate.course_title == "التربية المالية"
    assert certificate.competencies == ["وضع ميزانية", "مقارنة التحويلات"]


def test_language_falls_back_to_french_without_a_translation(completed_enrolment, learner):
    learner.preferred_language = "ar"
    learner.save()
    certificate = services.certificate_issue(enrolment=completed_enrolment)
    assert certificate.language == "fr"


def test_revoke_keeps_the_record_with_date_and_reason(certificate, manager):
    services.certificate_revoke(certificate=certificate, by=manager, reason="Fraude à l'examen")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.revoked_at is not None
    assert certificate.revoked_reason == "Fraude à l'examen"
    assert certificate.revoked_by == manager
    # A revoked certificate is not issued again by a repeated completion event.
    assert services.certificate_issue(enrolment=certificate.enrolment).pk == certificate.pk
    assert Certificate.objects.count() == 1


def test_revoke_needs_a_reason(certificate, manager):
    with pytest.raises(ValidationError):
        services.certificate_revoke(certificate=certificate, by=manager, reason="  ")


def test_reissue_replaces_and_keeps_history(certificate, learner, manager,
                                            django_capture_on_commit_callbacks, celery_eager):
    learner.full_name = "Aminata Traoré-Diallo"
    learner.save()
    with django_capture_on_commit_callbacks(execute=True):
        new = services.certificate_reissue(certificate=certificate, by=manager)
    certificate.refresh_from_db()
    new.refresh_from_db()
    assert certificate.status == CertificateStatus.REPLACED
    assert certificate.replaced_by == new
    assert new.status == CertificateStatus.ISSUED
    assert new.holder_name == "Aminata Traoré-Diallo"
    assert new.code != certificate.code
    assert new.pdf.name  # rendered by the issue task after commit
    assert Certificate.objects.filter(enrolment=certificate.enrolment).count() == 2


def test_reissue_of_a_revoked_certificate_is_refused(certificate, manager):
    services.certificate_revoke(certificate=certificate, by=manager, reason="x")
    with pytest.raises(ValidationError):
        services.certificate_reissue(certificate=certificate, by=manager)


def test_validity_period_sets_expiry(site_tree, learner):
    template = template_create(name="Compétences", validity_months=36)
    course = course_create(site_tree, template=template, slug="competences")
    certificate = services.certificate_issue(
        enrolment=enrolment_completed(user=learner, course=course)
    )
    delta = certificate.expires_at - certificate.created_at
    assert timedelta(days=1095) <= delta <= timedelta(days=1097)
    assert certificate.public_status == "valid"
    Certificate.objects.filter(pk=certificate.pk).update(expires_at=timezone.now())
    certificate.refresh_from_db()
    assert certificate.public_status == "expired"


def test_expiry_reminder_is_sent_once_30_days_before(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.now() + timedelta(days=29)
    )
    mail.outbox.clear()
    assert services.certificate_expiry_reminders_send() == 1
    assert services.certificate_expiry_reminders_send() == 0
    assert len(mail.outbox) == 1
    assert certificate.display_code in mail.outbox[0].body
    certificate.refresh_from_db()
    assert certificate.expiry_reminder_sent_at is not None


def test_no_reminder_long_before_expiry_or_after_it(certificate):
    for delta in (timedelta(days=60), timedelta(days=-1)):
        Certificate.objects.filter(pk=certificate.pk).update(expires_at=timezone.now() + delta)
        assert services.certificate_expiry_reminders_send() == 0


def test_renew_replaces_an_expiring_certificate(certificate, django_capture_on_commit_callbacks):
    assert services.certificate_renew(enrolment=certificate.enrolment) is None  # never expires
    Certificate.objects.filter(pk=certificate.pk).update(expires_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        new = services.certificate_renew(enrolment=certificate.enrolment)
    assert new is not None and new.pk != certificate.pk
    certificate.refresh_from_db()
    assert certificate.replaced_by_id == new.pk


def test_sweep_finds_completed_enrolments_without_certificate(completed_enrolment, learner,
                                                              site_tree):
    assert list(enrolments_due_for_certificate()) == [completed_enrolment.pk]
    services.certificate_issue(enrolment=completed_enrolment)
    assert list(enrolments_due_for_certificate()) == []


def test_sweep_skips_enrolments_with_an_open_failure(completed_enrolment):
    failure = services.certificate_issue_failure_record(
        enrolment_id=completed_enrolment.pk, error="boom"
    )
    assert list(enrolments_due_for_certificate()) == []
    services.certificate_issue_failure_resolve(failure=failure)
    assert list(enrolments_due_for_certificate()) == [completed_enrolment.pk]


def test_sweep_task_issues_what_is_missing(completed_enrolment, celery_eager,
                                          django_capture_on_commit_callbacks):
    from certificates.tasks import certificates_sweep_task

    with django_capture_on_commit_callbacks(execute=True):
        assert certificates_sweep_task.apply().get() == 1  # eager: the issue task runs here
    assert Certificate.objects.filter(enrolment=completed_enrolment).count() == 1


def test_completion_signal_enqueues_the_task_after_commit(completed_enrolment, monkeypatch,
                                                         django_capture_on_commit_callbacks):
    from certificates import tasks
    from courses.models import Enrolment
    from courses.signals import enrolment_completed

    queued = []
    monkeypatch.setattr(tasks.certificate_issue_task, "delay", lambda *a, **k: queued.append(a))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enrolment_completed.send(sender=Enrolment, enrolment=completed_enrolment)
    assert queued == [] and len(callbacks) == 1
    callbacks[0]()
    assert queued == [(completed_enrolment.pk,)]


def test_broker_down_at_completion_is_logged_not_raised(completed_enrolment, monkeypatch,
                                                       django_capture_on_commit_callbacks):
    from certificates import tasks

    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.certificate_issue_task, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        services.enqueue_issue(enrolment_id=completed_enrolment.pk)
    assert list(enrolments_due_for_certificate()) == [completed_enrolment.pk]  # the sweep's job


def test_task_failure_after_retries_records_a_failure(completed_enrolment, monkeypatch):
    from certificates import tasks

    def broken(**kwargs):
        raise RuntimeError("renderer exploded")

    from lms.celery import app

    monkeypatch.setattr(services, "certificate_issue", broken)
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
    result = tasks.certificate_issue_task.apply(args=[completed_enrolment.pk], throw=False)
    assert result.failed()
    failure = CertificateIssueFailure.objects.get()
    assert failure.enrolment_id == completed_enrolment.pk
    assert "renderer exploded" in failure.error
    assert failure.attempts == tasks.MAX_RETRIES + 1


def test_task_options_ack_late_and_bounded_retries():
    from certificates.tasks import certificate_issue_task

    assert certificate_issue_task.acks_late is True
    assert certificate_issue_task.reject_on_worker_lost is True
    assert certificate_issue_task.max_retries == 5
    assert certificate_issue_task.retry_backoff
    assert Exception in certificate_issue_task.autoretry_for


def test_beat_schedule_has_the_sweep_and_the_reminders(settings):
    from lms.celery import app

    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {"certificates.sweep", "certificates.expiry_reminders"} <= tasks
    sweep = app.conf.beat_schedule["certificates-sweep"]["schedule"]
    assert sweep == timedelta(minutes=10)


# --- the sweep sends the e-mails still owed, once --------------------------------------------
def test_sweep_sends_a_notification_still_owed_exactly_once(
    completed_enrolment, mailoutbox, celery_eager, django_capture_on_commit_callbacks,
):
    """A worker killed mid-render, the PDF then made by the web process for a download: the
    certificate is complete but its holder was never told. The sweep tells them, once."""
    from datetime import timedelta

    from certificates.tasks import certificates_sweep_task

    template = completed_enrolment.course.certificate_setting.template
    certificate, _created = services._certificate_create(
        enrolment=completed_enrolment, template=template
    )
    services.certificate_pdf_ensure(certificate=certificate)  # the download's path: no e-mail
    assert certificate.notified_at is None and mailoutbox == []
    assert list(enrolments_due_for_certificate()) == []  # too recent: its task may still send it
    Certificate.objects.filter(pk=certificate.pk).update(
        created_at=timezone.now() - timedelta(minutes=6)
    )
    assert list(enrolments_due_for_certificate()) == [completed_enrolment.pk]
    with django_capture_on_commit_callbacks(execute=True):
        assert certificates_sweep_task.apply().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert certificates_sweep_task.apply().get() == 0
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [completed_enrolment.user.email]
    certificate.refresh_from_db()
    assert certificate.notified_at is not None
    # The claim is a conditional UPDATE: a second notify (a redelivered task) sends nothing.
    assert services.certificate_notify(certificate=certificate) is False
    assert len(mailoutbox) == 1


def test_sweep_leaves_old_unnotified_certificates_and_opted_out_ones_alone(
    completed_enrolment, mailoutbox,
):
    from datetime import timedelta

    certificate = services.certificate_issue(enrolment=completed_enrolment, notify=False)
    assert Certificate.objects.get(pk=certificate.pk).notified_at is not None  # never owed
    Certificate.objects.filter(pk=certificate.pk).update(
        created_at=timezone.now() - timedelta(minutes=6)
    )
    assert list(enrolments_due_for_certificate()) == []
    # A certificate of the previous release, never notified, issued weeks ago: not e-mailed now.
    Certificate.objects.filter(pk=certificate.pk).update(
        notified_at=None, created_at=timezone.now() - timedelta(days=30)
    )
    assert list(enrolments_due_for_certificate()) == []
    assert mailoutbox == []


def test_delay_on_commit_enqueues_after_commit_only(django_capture_on_commit_callbacks, caplog):
    from lms.celery import delay_on_commit

    sent = []

    class Task:
        name = "t"

        def delay(self, *args, **kwargs):
            if args == ("down",):
                raise ConnectionError("broker down")
            sent.append((args, kwargs))

    with django_capture_on_commit_callbacks(execute=True):
        delay_on_commit(Task(), 1, bulk_id=2)
        assert sent == []  # not before the commit
        delay_on_commit(Task(), "down")  # logged, not raised
    assert sent == [((1,), {"bulk_id": 2})]
    assert "not queued" in caplog.text


def test_beat_schedule_and_visibility_timeout_come_from_the_settings():
    from django.conf import settings

    from lms.celery import app

    assert {entry["task"] for entry in app.conf.beat_schedule.values()} >= {
        "certificates.sweep", "certificates.expiry_reminders"
    }
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    from certificates.tasks import certificate_issue_task

    # Above the longest task (two render attempts) and retry countdown, well below an hour.
    assert 2 * settings.PDF_RENDER_TIMEOUT + 60 < timeout < 3600
    assert certificate_issue_task.retry_backoff_max < timeout
