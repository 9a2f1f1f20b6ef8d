"""Demo certificates: a default template on every module, and a learner who holds one. Idempotent.

Runs after ``courses.demo`` (see ``load_demo_content``). The demo learner completes the financial
education kit through the courses services (lessons done, final assessment passed), so the
certificate is issued the way any learner's is; a newcomer sees a real certificate and its
verification page right after ``make run``.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction

from courses.models import CoursePage, EnrolmentStatus, LessonPage
from courses.services import enrolment_create, lesson_progress_complete, quiz_attempt_submit
from lms.demo import DEMO_PASSWORD
from lms.models import OrganisationType, User
from lms.services import organisation_get_or_create, user_record_consent

from .models import (
    Certificate,
    CertificateTemplate,
    CertificateTemplateSignatory,
    CourseCertificate,
)
from .services import DEFAULT_TEMPLATE_TEXTS, certificate_issue

TEMPLATE_NAME = "Modèle Passerelle"
DEMO_LEARNER = {
    "email": "aminata@passerelle.test",
    "full_name": "Aminata Traoré",
    "country": "SN",
    "sex": "female",
    "year_of_birth": 1994,
    "organisation": ("Association des travailleurs migrants de Thiès",
                     OrganisationType.CIVIL_SOCIETY),
}
DEMO_COURSE_KEY = "financial-education"


def _write(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def template_ensure() -> CertificateTemplate:
    """The default certificate template (left as editors made it if it exists)."""
    template = CertificateTemplate.objects.filter(name=TEMPLATE_NAME).first()
    if template is None:
        template = CertificateTemplate(name=TEMPLATE_NAME, **DEFAULT_TEMPLATE_TEXTS)
        template.save()
        CertificateTemplateSignatory.objects.create(
            template=template, name="Leïla Trabelsi", title="Coordination du programme",
            sort_order=0,
        )
    return template


def template_link_all(*, template: CertificateTemplate) -> int:
    """Give every source-locale module without a template this one."""
    courses = CoursePage.objects.filter(
        certificate_setting__isnull=True, locale__language_code=settings.LANGUAGE_CODE
    )
    links = [CourseCertificate(course=course, template=template) for course in courses]
    CourseCertificate.objects.bulk_create(links, ignore_conflicts=True)
    return len(links)


def learner_ensure() -> User:
    data = DEMO_LEARNER
    user = User.objects.filter(email=data["email"]).first()
    if user is None:
        name, kind = data["organisation"]
        organisation = organisation_get_or_create(name=name, type=kind, country=data["country"])
        user = User.objects.create_user(
            email=data["email"], password=DEMO_PASSWORD, full_name=data["full_name"],
            country=data["country"], sex=data["sex"], year_of_birth=data["year_of_birth"],
            organisation=organisation, preferred_language="fr",
        )
        user_record_consent(user=user)
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def _correct_answers(quiz) -> dict[str, list[int]]:
    return {
        str(question.pk): [choice.pk for choice in question.choices.all() if choice.is_correct]
        for question in quiz.questions.all()
    }


def course_complete(*, user: User, course: CoursePage):
    """Complete a module as a learner would: every required lesson, then the final assessment."""
    enrolment = enrolment_create(user=user, course=course)
    if enrolment.status == EnrolmentStatus.COMPLETED:
        return enrolment
    lessons = LessonPage.objects.child_of(course).live().filter(is_optional=False)
    for lesson in lessons:
        lesson_progress_complete(user=user, lesson=lesson)
    enrolment.refresh_from_db()
    if enrolment.status != EnrolmentStatus.COMPLETED and course.final_assessment_id:
        quiz = course.final_assessment
        quiz_attempt_submit(user=user, quiz=quiz, answers=_correct_answers(quiz), course=course)
    enrolment.refresh_from_db()
    return enrolment


def load(stdout=None) -> Certificate | None:
    template = template_ensure()
    linked = template_link_all(template=template)
    _write(stdout, f"Certificates: template “{TEMPLATE_NAME}” linked to {linked} module page(s).")
    course = CoursePage.objects.filter(key=DEMO_COURSE_KEY, locale__language_code="fr").first()
    if course is None:
        _write(stdout, "Certificates: no financial education module found, no demo certificate.")
        return None
    with transaction.atomic():
        user = learner_ensure()
        enrolment = course_complete(user=user, course=course)
    if enrolment.status != EnrolmentStatus.COMPLETED:
        _write(stdout, "Certificates: the demo learner could not complete the module.")
        return None
    # Completion queued the issue task after commit (run at once without a broker); issuing
    # here too is idempotent and makes the certificate exist before the command returns.
    certificate = certificate_issue(enrolment=enrolment, notify=False)
    _write(stdout, f"Certificates: {user.email} holds {certificate.display_code} — "
                   f"verify at /verify/{certificate.display_code}/")
    return certificate
