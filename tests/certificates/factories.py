"""Builders for the certificates tests: a module page tree, templates, completed enrolments."""

from decimal import Decimal

from django.utils import timezone
from wagtail.models import Locale

from certificates.models import CertificateTemplate, CourseCertificate
from certificates.services import DEFAULT_TEMPLATE_TEXTS
from courses.models import CourseIndexPage, CoursePage, Enrolment, EnrolmentStatus


def template_create(**overrides) -> CertificateTemplate:
    fields = {"name": "Modèle par défaut", **DEFAULT_TEMPLATE_TEXTS, **overrides}
    template = CertificateTemplate(**fields)
    template.save()
    return template


def course_index_get(home) -> CourseIndexPage:
    index = CourseIndexPage.objects.filter(locale=home.locale).first()
    if index is None:
        index = CourseIndexPage(title="Modules", slug=f"modules-{home.locale.language_code}")
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def course_create(
    home, *, template=None, title="Éducation financière", slug="education-financiere",
    hours="6", competencies="Établir un budget\nComparer les transferts", key="",
    translations: dict | None = None,
) -> CoursePage:
    """A published French module, with optional translations {"ar": "title", ...}."""
    index = course_index_get(home)
    course = CoursePage(
        title=title, slug=slug, summary="Gérer son argent quand on travaille à l'étranger.",
        topic="financial_education", estimated_hours=Decimal(hours), competencies=competencies,
        key=key or slug,
    )
    index.add_child(instance=course)
    course.save_revision().publish()
    if template is not None:
        CourseCertificate.objects.create(course=course, template=template)
    for language, translated_title in (translations or {}).items():
        locale = Locale.objects.get(language_code=language)
        translated_home = home.get_translation(locale)
        translated_index = CourseIndexPage.objects.filter(locale=locale).first()
        if translated_index is None:
            translated_index = index.copy_for_translation(locale)
            translated_index.slug = f"modules-{language}"
            translated_index.save_revision().publish()
        assert translated_index.get_parent().pk == translated_home.pk
        copy = course.copy_for_translation(locale)
        copy.title = translated_title
        copy.slug = f"{slug}-{language}"
        copy.competencies = "وضع ميزانية\nمقارنة التحويلات" if language == "ar" else competencies
        copy.save_revision().publish()
    return course


def enrolment_completed(*, user, course, score="85", when=None) -> Enrolment:
    return Enrolment.objects.create(
        user=user, course=course, status=EnrolmentStatus.COMPLETED,
        completed_at=when or timezone.now(), final_score=Decimal(score) if score else None,
    )
