import pytest

from courses import completion, progress, services
from courses.models import Enrolment, EnrolmentStatus, LessonProgress
from courses.progress import Requirement
from courses.signals import enrolment_completed
from tests.courses.test_quiz import answers_for
from tests.helpers import run_concurrently

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    calls = []

    def receiver(sender, enrolment, **kwargs):
        calls.append(enrolment.pk)

    enrolment_completed.connect(receiver, dispatch_uid="test-completion")
    yield calls
    enrolment_completed.disconnect(dispatch_uid="test-completion")


def test_not_completed_while_a_required_lesson_is_missing(learner, enrolled, lessons, received):
    services.lesson_progress_complete(user=learner, lesson=lessons[0])
    assert completion.enrolment_evaluate(enrolment=enrolled) is False
    assert received == []


def test_optional_lessons_do_not_count(learner, course, lessons, enrolled, received):
    lessons[1].is_optional = True
    lessons[1].save_revision().publish()
    course.final_assessment = None
    course.save_revision().publish()
    services.lesson_progress_complete(user=learner, lesson=lessons[0])
    assert Enrolment.objects.get().status == EnrolmentStatus.COMPLETED
    assert received == [enrolled.pk]


def test_final_assessment_below_pass_mark_blocks_completion(learner, course, lessons, enrolled):
    for lesson in lessons:
        services.lesson_progress_complete(user=learner, lesson=lesson)
    final = course.final_assessment
    services.quiz_attempt_submit(user=learner, quiz=final, answers=answers_for(final, right=False),
                                 course=course)
    assert Enrolment.objects.get().status == EnrolmentStatus.ACTIVE


def test_completion_happens_once_and_signals_once(learner, course, lessons, enrolled, received):
    for lesson in lessons:
        LessonProgress.objects.create(user=learner, lesson=lesson)
    final = course.final_assessment
    services.quiz_attempt_submit(user=learner, quiz=final, answers=answers_for(final))
    assert completion.enrolment_evaluate(enrolment=enrolled) is True
    assert completion.enrolment_evaluate(enrolment=enrolled) is False
    assert received == [enrolled.pk]
    enrolment = Enrolment.objects.get()
    assert enrolment.final_score == 100 and enrolment.completed_at is not None


def test_registered_rule_can_hold_completion_back(learner, course, lessons, enrolled, received):
    def attendance(*, enrolments):
        return {e.pk: Requirement(key="attendance", label="Attended 0 of 8 sessions", done=0,
                                  needed=8, met=False) for e in enrolments}

    progress.register_requirement(attendance)
    try:
        for lesson in lessons:
            LessonProgress.objects.create(user=learner, lesson=lesson)
        final = course.final_assessment
        services.quiz_attempt_submit(user=learner, quiz=final, answers=answers_for(final))
        assert completion.enrolment_evaluate(enrolment=enrolled) is False
    finally:
        progress.unregister_requirement(attendance)
    assert completion.enrolment_evaluate(enrolment=enrolled) is True
    assert received == [enrolled.pk]


def test_withdrawn_enrolment_is_not_completed(learner, course, lessons, enrolled):
    services.enrolment_withdraw(user=learner, course=course)
    assert completion.enrolment_evaluate(enrolment=enrolled) is False


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_concurrent_evaluations_complete_once(site_tree, user_factory, received):
    from courses import demo
    from tests.courses.sample_module import SAMPLE_MODULE

    [course] = demo.load(modules=[SAMPLE_MODULE])
    learner = user_factory()
    enrolment = services.enrolment_create(user=learner, course=course)
    from courses.models import LessonPage

    for lesson in LessonPage.objects.child_of(course):
        LessonProgress.objects.create(user=learner, lesson=lesson)
    final = course.final_assessment
    services.quiz_attempt_submit(user=learner, quiz=final, answers=answers_for(final))
    Enrolment.objects.filter(pk=enrolment.pk).update(status=EnrolmentStatus.ACTIVE,
                                                    completed_at=None, final_score=None)
    received.clear()

    outcome = run_concurrently(
        lambda: completion.enrolment_evaluate(enrolment=Enrolment(pk=enrolment.pk)), 20
    )
    # SQLite may refuse a concurrent writer ("locked"); never a double completion.
    assert outcome.unexpected_errors() == []
    assert outcome.results.count(True) == 1
    assert received == [enrolment.pk]
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.COMPLETED
