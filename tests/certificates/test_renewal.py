"""Renewal: passing the final assessment again renews a certificate close to its expiry."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from certificates import services
from certificates.models import Certificate, CertificateStatus
from courses import services as course_services
from courses.models import QuizPurpose
from tests.courses.test_quiz import answers_for
from tests.factories import quiz_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def final_quiz(course):
    quiz = quiz_build(locale=course.locale, purpose=QuizPurpose.FINAL, pass_mark=70)
    course.final_assessment = quiz
    course.save_revision().publish()
    return quiz


def test_passing_the_final_assessment_again_renews_an_expiring_certificate(
    certificate, course, final_quiz, learner, django_capture_on_commit_callbacks, celery_eager
):
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.now() + timedelta(days=10)
    )
    with django_capture_on_commit_callbacks(execute=True):
        course_services.quiz_attempt_submit(
            user=learner, quiz=final_quiz, answers=answers_for(final_quiz), course=course
        )
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REPLACED
    renewed = Certificate.objects.get(
        enrolment=certificate.enrolment, status=CertificateStatus.ISSUED
    )
    assert certificate.replaced_by_id == renewed.pk


def test_passing_again_does_nothing_to_a_certificate_far_from_expiry(
    certificate, course, final_quiz, learner, django_capture_on_commit_callbacks, celery_eager
):
    with django_capture_on_commit_callbacks(execute=True):
        course_services.quiz_attempt_submit(
            user=learner, quiz=final_quiz, answers=answers_for(final_quiz), course=course
        )
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED
    assert Certificate.objects.filter(enrolment=certificate.enrolment).count() == 1


def test_achievement_id_of_the_credential_answers_without_personal_data(client, certificate):
    credential = client.get(f"/verify/{certificate.code}/credential.json").json()
    achievement = credential["credentialSubject"]["achievement"]
    path = achievement["id"].split("://", 1)[1].split("/", 1)[1]
    response = client.get(f"/{path}")
    assert response.status_code == 200
    assert response.json() == achievement
    assert certificate.holder_name not in response.content.decode()
    assert client.get(f"/achievements/{uuid.uuid4()}").status_code == 404
    assert client.get("/achievements/%00", follow=True).status_code == 404


def test_a_revoked_holder_earns_a_new_certificate_by_passing_the_final_assessment_again(
    certificate, course, final_quiz, learner, manager, django_capture_on_commit_callbacks,
    celery_eager,
):
    services.certificate_revoke(certificate=certificate, by=manager, reason="Doublon")
    with django_capture_on_commit_callbacks(execute=True):
        course_services.quiz_attempt_submit(
            user=learner, quiz=final_quiz, answers=answers_for(final_quiz), course=course
        )
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED  # the old code still says revoked
    new = Certificate.objects.get(enrolment=certificate.enrolment, status=CertificateStatus.ISSUED)
    assert new.code != certificate.code and new.pdf and new.notified_at


def test_a_revoked_holder_who_fails_again_gets_nothing(
    certificate, course, final_quiz, learner, manager, django_capture_on_commit_callbacks,
    celery_eager,
):
    services.certificate_revoke(certificate=certificate, by=manager, reason="Doublon")
    with django_capture_on_commit_callbacks(execute=True):
        course_services.quiz_attempt_submit(user=learner, quiz=final_quiz,
                                            answers=answers_for(final_quiz, right=False),
                                            course=course)
    assert not Certificate.objects.filter(status=CertificateStatus.ISSUED).exists()
