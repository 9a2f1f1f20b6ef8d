"""The one home of the test builders: factory_boy factories (wagtail-factories for pages) and the
few functions that assemble them into a whole module.

- People: ``UserFactory`` (``role=Role.TRAINER``…), ``TrainerFactory``, ``ManagerFactory``,
  ``EditorFactory``, ``AdministratorFactory``, ``OrganisationFactory``.
- Content: ``QuizFactory`` (``questions=N``, the first choice of each is the right one),
  ``CourseIndexPageFactory``, ``CoursePageFactory``, ``LessonPageFactory`` and
  ``module_build()``: a published module with N lessons, a check quiz per lesson, a final
  assessment, a pre-test, a certificate template and translations, each optional.
- Learner records: ``EnrolmentFactory`` (``completed=True``), ``LessonProgressFactory``,
  ``QuizAttemptFactory``.
- Certificates: ``CertificateTemplateFactory`` and ``certificate_build()`` (through the issuing
  service: the code and the status-list index are the service's to choose).

The demo loader's own input (``tests/courses/sample_module.py``) is not a builder: it is content
in the loader's format, for the tests of the loader and of the journeys through loaded content.
"""

import datetime
from decimal import Decimal

import factory
import wagtail_factories
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Locale

from certificates.models import CertificateTemplate, CourseCertificate
from certificates.services import DEFAULT_TEMPLATE_TEXTS, certificate_issue
from courses.models import (
    Choice,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    LessonPage,
    LessonProgress,
    Question,
    Quiz,
    QuizAttempt,
    QuizPurpose,
)
from lms.access import Role
from lms.models import Organisation, OrganisationType, User

__all__ = [
    "AdministratorFactory",
    "CertificateTemplateFactory",
    "CourseIndexPageFactory",
    "CoursePageFactory",
    "EditorFactory",
    "EnrolmentFactory",
    "LessonPageFactory",
    "LessonProgressFactory",
    "ManagerFactory",
    "OrganisationFactory",
    "QuizAttemptFactory",
    "QuizFactory",
    "TrainerFactory",
    "UserFactory",
    "certificate_build",
    "course_build",
    "course_create",
    "course_index_get",
    "enrolment_completed",
    "module_build",
    "quiz_build",
    "template_create",
]


# --- People -----------------------------------------------------------------------------------
class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    type = OrganisationType.TRADE_UNION
    country = "MA"


def _join(user: User, create: bool, group: str | None) -> None:
    if create and group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])


class UserFactory(factory.django.DjangoModelFactory):
    """A verified, consenting learner with a complete profile; `role=` puts them in a role group."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    sex = "female"
    country = "MA"
    preferred_language = "fr"
    consent_policy_version = "test"
    consent_at = factory.Faker("date_time", tzinfo=datetime.UTC)
    password = factory.django.Password("correct horse battery staple")

    role = factory.PostGeneration(lambda user, create, extracted, **kw: _join(
        user, create, extracted))

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class TrainerFactory(UserFactory):
    role = factory.PostGeneration(lambda user, create, extracted, **kw: _join(
        user, create, extracted or Role.TRAINER))


class ManagerFactory(UserFactory):
    role = factory.PostGeneration(lambda user, create, extracted, **kw: _join(
        user, create, extracted or Role.MANAGER))


class EditorFactory(UserFactory):
    role = factory.PostGeneration(lambda user, create, extracted, **kw: _join(
        user, create, extracted or Role.EDITOR))


class AdministratorFactory(UserFactory):
    is_superuser = True
    is_staff = True


# --- Content ----------------------------------------------------------------------------------
class QuizFactory(factory.django.DjangoModelFactory):
    """A quiz of ``questions=N`` single-choice questions whose first choice is the right one."""

    class Meta:
        model = Quiz
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Quiz {n}")
    purpose = QuizPurpose.CHECK
    pass_mark = 70
    max_attempts = 3
    locale = factory.LazyFunction(Locale.get_default)

    @factory.post_generation
    def questions(self, create, extracted, **kwargs):
        count = 2 if extracted is None else extracted
        self.questions = [
            Question(text=f"Q{i}", kind="single", sort_order=i, choices=[
                Choice(text="right", is_correct=True, sort_order=0),
                Choice(text="wrong", is_correct=False, sort_order=1),
            ])
            for i in range(count)
        ]
        if create:
            self.save()


class _PublishedPageFactory(wagtail_factories.PageFactory):
    """Pages are added under ``parent=`` and published with a revision, as an editor would."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def publish(self, create, extracted, **kwargs):
        if create and extracted is not False:
            self.save_revision().publish()


class CourseIndexPageFactory(_PublishedPageFactory):
    class Meta:
        model = CourseIndexPage

    title = "Modules"
    slug = factory.Sequence(lambda n: f"modules-{n}")


LESSON_BODY = [
    {"type": "heading", "value": "Heading"},
    {"type": "paragraph", "value": "<p>" + "Some text. " * 40 + "</p>"},
    {"type": "callout", "value": {"kind": "tip", "title": "Tip", "text": "<p>Tip</p>"}},
    {"type": "glossary", "value": {"term": "Term", "definition": "Definition"}},
]


class CoursePageFactory(_PublishedPageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Module {n}")
    slug = factory.Sequence(lambda n: f"module-{n}")
    key = factory.LazyAttribute(lambda page: page.slug)
    summary = "Summary"
    topic = "financial_education"


class LessonPageFactory(_PublishedPageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Lesson {n}")
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    body = factory.LazyFunction(lambda: list(LESSON_BODY))


def course_index_get(home) -> CourseIndexPage:
    """The catalogue page of the home page's language, created when missing."""
    index = CourseIndexPage.objects.filter(locale=home.locale).first()
    if index is None:
        index = CourseIndexPageFactory(parent=home, slug=f"modules-{home.locale.language_code}")
    return index


def module_build(
    *, index: CourseIndexPage | None = None, home=None, lessons: int = 0,
    lesson_quiz: bool = True, final: bool = False, pre_test: bool = False, template=None,
    translations: dict[str, str] | None = None, **fields,
) -> CoursePage:
    """A published module under ``index`` (or the catalogue of ``home``) with ``lessons``
    published lessons ``lesson-1``…, each with a check quiz unless ``lesson_quiz=False``; a
    final assessment and a pre-test on request; awarding ``template`` when given; and a published
    translation per ``translations={"ar": "title", ...}``. ``fields`` go to the module page."""
    index = index or course_index_get(home)
    locale = index.locale
    if final:
        fields["final_assessment"] = QuizFactory(
            locale=locale, title="Final", purpose=QuizPurpose.FINAL
        )
    if pre_test:
        fields["pre_test"] = QuizFactory(
            locale=locale, title="Pre-test", purpose=QuizPurpose.PRE_TEST, max_attempts=None
        )
    course = CoursePageFactory(parent=index, **fields)
    for number in range(1, lessons + 1):
        LessonPageFactory(
            parent=course, title=f"Lesson {number}", slug=f"lesson-{number}",
            quiz=QuizFactory(locale=locale, title=f"Check {number}") if lesson_quiz else None,
        )
    if template is not None:
        CourseCertificate.objects.create(course=course, template=template)
    for language, title in (translations or {}).items():
        _translation_build(course, index=index, language=language, title=title)
    return course


def _translation_build(course: CoursePage, *, index: CourseIndexPage, language: str,
                       title: str) -> CoursePage:
    locale = Locale.objects.get(language_code=language)
    translated_index = CourseIndexPage.objects.filter(locale=locale).first()
    if translated_index is None:
        translated_index = index.copy_for_translation(locale)
        translated_index.slug = f"modules-{language}"
        translated_index.save_revision().publish()
    assert translated_index.get_parent().pk == index.get_parent().get_translation(locale).pk
    copy = course.copy_for_translation(locale)
    copy.title = title
    copy.slug = f"{course.slug}-{language}"
    if language == "ar":
        copy.competencies = "وضع ميزانية\nمقارنة التحويلات"
    copy.save_revision().publish()
    return copy


def quiz_build(*, locale, title="Quiz", questions=2, purpose=QuizPurpose.CHECK, pass_mark=70,
               max_attempts=3) -> Quiz:
    """A quiz whose first choice of every question is the correct one (``QuizFactory``)."""
    return QuizFactory(locale=locale, title=title, questions=questions, purpose=purpose,
                       pass_mark=pass_mark, max_attempts=max_attempts)


def course_build(*, index: CourseIndexPage, lessons: int = 5, slug: str = "module",
                 with_quiz: bool = True, final: bool = False, mode: str = "open") -> CoursePage:
    """A module of ``lessons`` lessons, each with a check quiz (query-count tests, the bench)."""
    return module_build(index=index, lessons=lessons, lesson_quiz=with_quiz, final=final,
                        title=f"Module {slug}", slug=slug, enrolment_mode=mode)


def course_create(
    home, *, template=None, title="Éducation financière", slug="education-financiere",
    hours="6", competencies="Établir un budget\nComparer les transferts", key="",
    translations: dict | None = None,
) -> CoursePage:
    """The module the certificate tests certify: French, no lessons, awarding ``template``,
    with optional translations {"ar": "title", ...}."""
    return module_build(
        home=home, template=template, translations=translations, title=title, slug=slug,
        summary="Gérer son argent quand on travaille à l'étranger.",
        estimated_hours=Decimal(hours), competencies=competencies, key=key or slug,
    )


# --- Learner records --------------------------------------------------------------------------
class EnrolmentFactory(factory.django.DjangoModelFactory):
    """An active enrolment; ``completed=True`` for a completed one (score 85 by default)."""

    class Meta:
        model = Enrolment

    user = factory.SubFactory(UserFactory)
    course = None  # required: a module page
    status = EnrolmentStatus.ACTIVE

    class Params:
        completed = factory.Trait(
            status=EnrolmentStatus.COMPLETED,
            completed_at=factory.LazyFunction(timezone.now),
            final_score=Decimal("85"),
        )


def enrolment_completed(*, user, course, score="85", when=None) -> Enrolment:
    return EnrolmentFactory(
        user=user, course=course, completed=True, completed_at=when or timezone.now(),
        final_score=Decimal(score) if score else None,
    )


class LessonProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LessonProgress

    user = factory.SubFactory(UserFactory)
    lesson = None  # required: a lesson page


class QuizAttemptFactory(factory.django.DjangoModelFactory):
    """A passed attempt; ``number`` follows the user's earlier attempts at the quiz."""

    class Meta:
        model = QuizAttempt

    user = factory.SubFactory(UserFactory)
    quiz = factory.SubFactory(QuizFactory)
    answered_quiz = factory.SelfAttribute("quiz")
    number = factory.LazyAttribute(
        lambda a: QuizAttempt.objects.filter(user=a.user, quiz=a.quiz).count() + 1
    )
    score = Decimal("100")
    passed = True
    answers = factory.LazyFunction(dict)


# --- Certificates -----------------------------------------------------------------------------
class CertificateTemplateFactory(factory.django.DjangoModelFactory):
    """The default texts in the three languages, under a unique name."""

    class Meta:
        model = CertificateTemplate

    name = factory.Sequence(lambda n: f"Modèle {n}")
    title_fr = DEFAULT_TEMPLATE_TEXTS["title_fr"]
    body_fr = DEFAULT_TEMPLATE_TEXTS["body_fr"]
    title_en = DEFAULT_TEMPLATE_TEXTS["title_en"]
    body_en = DEFAULT_TEMPLATE_TEXTS["body_en"]
    title_ar = DEFAULT_TEMPLATE_TEXTS["title_ar"]
    body_ar = DEFAULT_TEMPLATE_TEXTS["body_ar"]


def template_create(**overrides):
    return CertificateTemplateFactory(**{"name": "Modèle par défaut", **overrides})


def certificate_build(*, enrolment: Enrolment | None = None, user=None, course=None,
                      notify: bool = False):
    """A certificate issued by the service (PDF included) for ``enrolment``, or for a completed
    enrolment of ``user`` in ``course``."""
    if enrolment is None:
        enrolment = enrolment_completed(user=user or UserFactory(), course=course)
    return certificate_issue(enrolment=enrolment, notify=notify)
