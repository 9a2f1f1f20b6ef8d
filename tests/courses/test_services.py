import pytest

from courses import services
from courses.models import Enrolment, EnrolmentStatus, LessonProgress
from courses.services import EnrolmentNotAllowed, NotEnrolled
from tests.helpers import run_concurrently

pytestmark = pytest.mark.django_db


def test_enrolment_create_is_idempotent(learner, course):
    first = services.enrolment_create(user=learner, course=course)
    second = services.enrolment_create(user=learner, course=course)
    assert first.pk == second.pk
    assert Enrolment.objects.filter(user=learner).count() == 1


def test_enrolment_through_a_translation_points_to_the_source_page(learner, course, translation):
    enrolment = services.enrolment_create(user=learner, course=translation("ar", course))
    assert enrolment.course_id == course.pk


def test_enrolment_create_refuses_a_cohort_only_module(learner, loaded):
    with pytest.raises(EnrolmentNotAllowed):
        services.enrolment_create(user=learner, course=loaded["cohort"])
    assert not Enrolment.objects.exists()
    enrolment = services.enrolment_create(user=learner, course=loaded["cohort"], by_organiser=True)
    assert enrolment.status == EnrolmentStatus.ACTIVE


def test_enrolment_create_refuses_an_unpublished_module(learner, course):
    course.unpublish()
    course.refresh_from_db()
    with pytest.raises(EnrolmentNotAllowed):
        services.enrolment_create(user=learner, course=course)


def test_withdraw_then_enrol_again_reactivates_and_keeps_progress(learner, course, lessons):
    services.enrolment_create(user=learner, course=course)
    services.lesson_progress_complete(user=learner, lesson=lessons[0])
    withdrawn = services.enrolment_withdraw(user=learner, course=course)
    assert withdrawn.status == EnrolmentStatus.WITHDRAWN
    again = services.enrolment_create(user=learner, course=course)
    assert again.pk == withdrawn.pk
    assert again.status == EnrolmentStatus.ACTIVE and again.withdrawn_at is None
    assert LessonProgress.objects.filter(user=learner).count() == 1


def test_withdraw_when_not_enrolled_is_refused(learner, course):
    with pytest.raises(NotEnrolled):
        services.enrolment_withdraw(user=learner, course=course)


def test_lesson_progress_complete_requires_an_enrolment(learner, lessons):
    with pytest.raises(NotEnrolled):
        services.lesson_progress_complete(user=learner, lesson=lessons[0])
    assert not LessonProgress.objects.exists()


def test_lesson_progress_counts_per_module_whatever_the_language(
    learner, course, lessons, translation, enrolled
):
    services.lesson_progress_complete(user=learner, lesson=translation("ar", lessons[0]))
    services.lesson_progress_complete(user=learner, lesson=translation("en", lessons[0]))
    services.lesson_progress_complete(user=learner, lesson=lessons[0])
    assert list(LessonProgress.objects.values_list("lesson_id", flat=True)) == [lessons[0].pk]


def test_completing_every_lesson_without_final_assessment_completes(learner, course, lessons):
    course.final_assessment = None
    course.save_revision().publish()
    services.enrolment_create(user=learner, course=course)
    for lesson in lessons:
        services.lesson_progress_complete(user=learner, lesson=lesson)
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.completed_at is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_enrolment_creates_one_row(site_tree, user_factory):
    from courses import demo
    from tests.courses.sample_module import SAMPLE_MODULE

    [course] = demo.load(modules=[SAMPLE_MODULE])
    learner = user_factory()
    outcome = run_concurrently(lambda: services.enrolment_create(user=learner, course=course), 8)
    # SQLite may refuse a concurrent writer ("database is locked"); never a duplicate.
    assert outcome.unexpected_errors() == []
    assert Enrolment.objects.filter(user=learner, course=course).count() == 1
