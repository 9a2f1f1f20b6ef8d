"""A database of the previous release migrates forward with nothing a learner had lost.

The previous release is the state after ``lms 0002``, ``courses 0002`` and ``certificates 0002``
(the module → certificate-template link was still a column of the module page). The test builds
a learner's records there with the historical models, migrates to the newest state and checks
every record, the link included, is still there.
"""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

PREVIOUS_RELEASE = [
    ("lms", "0002_home_page"),
    ("courses", "0002_audience_tags"),
    ("certificates", "0002_certificate_lifecycle"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _previous_release_records(apps) -> dict:
    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    ContentType = apps.get_model("contenttypes", "ContentType")
    CoursePage = apps.get_model("courses", "CoursePage")
    LessonPage = apps.get_model("courses", "LessonPage")
    Quiz = apps.get_model("courses", "Quiz")
    Enrolment = apps.get_model("courses", "Enrolment")
    LessonProgress = apps.get_model("courses", "LessonProgress")
    QuizAttempt = apps.get_model("courses", "QuizAttempt")
    User = apps.get_model("lms", "User")
    CertificateTemplate = apps.get_model("certificates", "CertificateTemplate")
    Certificate = apps.get_model("certificates", "Certificate")

    fr, _ = Locale.objects.get_or_create(language_code="fr")
    ar, _ = Locale.objects.get_or_create(language_code="ar")
    root = Page.objects.get(depth=1)

    def page(model, *, parent, slug, locale, key=None, **fields):
        position = Page.objects.filter(depth=parent.depth + 1, path__startswith=parent.path).count()
        content_type, _ = ContentType.objects.get_or_create(
            app_label=model._meta.app_label, model=model._meta.model_name
        )
        child = model.objects.create(
            title=slug, slug=slug, path=f"{parent.path}{position + 1 + 900:04d}",
            depth=parent.depth + 1, numchild=0, url_path=f"{parent.url_path}{slug}/",
            content_type=content_type, locale=locale, live=True,
            translation_key=key or uuid.uuid4(), draft_title=slug, **fields,
        )
        Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + 1)
        return child

    template = CertificateTemplate.objects.create(
        name="Programme", title_fr="Attestation", body_fr="<p>{name}</p>"
    )
    final = Quiz.objects.create(
        title="Final", purpose="final", pass_mark=70, locale=fr, translation_key=uuid.uuid4()
    )
    course = page(
        CoursePage, parent=root, slug="budget", locale=fr, summary="Budget.",
        topic="financial_education", final_assessment=final,
    )
    translation_only = page(
        CoursePage, parent=root, slug="budget-ar", locale=ar, key=course.translation_key,
        summary="ميزانية", topic="financial_education", certificate_template=template,
    )
    lesson = page(LessonPage, parent=course, slug="lesson-1", locale=fr, body="[]")
    learner = User.objects.create(email="fatima@example.org", full_name="Fatima Zahra")
    enrolment = Enrolment.objects.create(
        user=learner, course=course, status="completed", completed_at=timezone.now(),
        final_score=Decimal("80.00"), last_lesson=lesson,
    )
    LessonProgress.objects.create(user=learner, lesson=lesson)
    attempt = QuizAttempt.objects.create(
        user=learner, quiz=final, answered_quiz=final, number=1, answers={"1": [2]},
        score=Decimal("80.00"), passed=True,
    )
    certificate = Certificate.objects.create(
        code="ABCD1234EFGH", status_index=1, holder_name="Fatima Zahra", course_title="Budget",
        language="fr", completion_date=date(2026, 11, 20), issuer="Passerelle", course=course,
        enrolment=enrolment, user=learner, template=template, pdf="certificates/2026/11/x.pdf",
    )
    return {
        "course": course.pk, "translation": translation_only.pk, "template": template.pk,
        "enrolment": enrolment.pk, "attempt": attempt.pk, "certificate": certificate.pk,
        "learner": learner.pk, "lesson": lesson.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_previous_release_database_migrates_with_nothing_lost():
    executor = MigrationExecutor(connection)
    newest = executor.loader.graph.leaf_nodes()
    try:
        records = _previous_release_records(_migrate(PREVIOUS_RELEASE))
        apps = _migrate(newest)
    finally:
        _migrate(newest)  # leave the schema as the rest of the suite expects it

    Enrolment = apps.get_model("courses", "Enrolment")
    enrolment = Enrolment.objects.get(pk=records["enrolment"])
    assert (enrolment.user_id, enrolment.course_id, enrolment.status) == (
        records["learner"], records["course"], "completed"
    )
    assert enrolment.final_score == Decimal("80.00")
    assert enrolment.last_lesson_id == records["lesson"]
    assert apps.get_model("courses", "LessonProgress").objects.filter(
        user_id=records["learner"], lesson_id=records["lesson"]
    ).count() == 1
    attempt = apps.get_model("courses", "QuizAttempt").objects.get(pk=records["attempt"])
    assert (attempt.score, attempt.passed, attempt.answers) == (
        Decimal("80.00"), True, {"1": [2]}
    )
    certificate = apps.get_model("certificates", "Certificate").objects.get(
        pk=records["certificate"]
    )
    assert (certificate.code, certificate.status, certificate.enrolment_id) == (
        "ABCD1234EFGH", "issued", records["enrolment"]
    )
    assert certificate.pdf.name == "certificates/2026/11/x.pdf"
    # The template set on the Arabic translation now belongs to the French source module.
    links = apps.get_model("certificates", "CourseCertificate").objects.values_list(
        "course_id", "template_id"
    )
    assert list(links) == [(records["course"], records["template"])]
