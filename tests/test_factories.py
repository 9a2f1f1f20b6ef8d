"""The test builders build what they say (tests/factories.py)."""

import pytest

from courses.models import EnrolmentStatus, LessonPage, QuizPurpose
from lms.access import Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_users_by_role(db):
    assert list(factories.TrainerFactory().groups.values_list("name", flat=True)) == [Role.TRAINER]
    assert list(factories.ManagerFactory().groups.values_list("name", flat=True)) == [Role.MANAGER]
    assert list(factories.EditorFactory().groups.values_list("name", flat=True)) == [Role.EDITOR]
    learner = factories.UserFactory()
    assert not learner.groups.exists() and not learner.is_staff
    assert learner.emailaddress_set.get().verified
    assert factories.AdministratorFactory().is_superuser
    assert factories.OrganisationFactory().name.startswith("Organisation")


def test_module_build_with_lessons_quizzes_final_pre_test_template_and_translation(site_tree):
    template = factories.CertificateTemplateFactory()
    course = factories.module_build(home=site_tree, lessons=3, final=True, pre_test=True,
                                    template=template, translations={"ar": "وحدة"})
    lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
    assert [lesson.slug for lesson in lessons] == ["lesson-1", "lesson-2", "lesson-3"]
    assert all(lesson.quiz.questions.count() == 2 for lesson in lessons)
    assert course.live and course.final_assessment.purpose == QuizPurpose.FINAL
    assert course.pre_test.purpose == QuizPurpose.PRE_TEST and course.pre_test.max_attempts is None
    assert course.certificate_setting.template == template
    arabic = course.get_translations().get()
    assert arabic.title == "وحدة" and arabic.live and arabic.locale.language_code == "ar"

    without_quizzes = factories.module_build(home=site_tree, lessons=2, lesson_quiz=False)
    assert not LessonPage.objects.child_of(without_quizzes).filter(quiz__isnull=False).exists()


def test_learner_records_and_a_certificate(site_tree, learner):
    course = factories.course_create(site_tree, template=factories.template_create())
    lesson = factories.LessonPageFactory(parent=course)
    progress = factories.LessonProgressFactory(user=learner, lesson=lesson)
    assert progress.lesson.live
    first = factories.QuizAttemptFactory(user=learner)
    second = factories.QuizAttemptFactory(user=learner, quiz=first.quiz, score=40, passed=False)
    assert (first.number, second.number) == (1, 2)
    assert factories.EnrolmentFactory(course=course).status == EnrolmentStatus.ACTIVE
    enrolment = factories.enrolment_completed(user=learner, course=course)
    assert enrolment.status == EnrolmentStatus.COMPLETED and enrolment.completed_at
    certificate = factories.certificate_build(enrolment=enrolment)
    assert certificate.holder_name == learner.full_name and certificate.pdf.name
