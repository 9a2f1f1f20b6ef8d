"""Progress defined once (courses.progress): requirements, outcomes, and what pages show."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from courses import progress, services
from courses.models import Enrolment, EnrolmentStatus, LessonProgress, QuizAttempt
from courses.progress import Outcome, Requirement
from tests.courses.test_quiz import answers_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def attendance():
    """An extra requirement another app would register (cohort attendance)."""
    state = {"met": False}

    def provider(*, enrolments):
        return {
            enrolment.pk: Requirement(
                key="attendance", label="Attended 6 of 8 sessions, 80 % required",
                done=8 if state["met"] else 6, needed=7, met=state["met"], url="/sessions/",
                hint="see the sessions",
            )
            for enrolment in enrolments
        }

    progress.register_requirement(provider)
    yield state
    progress.unregister_requirement(provider)


def complete_everything(learner, course, lessons):
    for lesson in lessons:
        services.lesson_progress_complete(user=learner, lesson=lesson)
    final = course.final_assessment
    services.quiz_attempt_submit(user=learner, quiz=final, answers=answers_for(final),
                                 course=course)


def test_registered_requirement_is_shown_as_missing_and_completion_waits(
    learner_client, learner, course, lessons, enrolled, attendance
):
    complete_everything(learner, course, lessons)
    assert Enrolment.objects.get().status == EnrolmentStatus.ACTIVE
    for url in (course.url, reverse("courses:my_learning")):
        html = learner_client.get(url).content.decode()
        assert "Attended 6 of 8 sessions, 80 % required" in html
        assert '<a href="/sessions/">see the sessions</a>' in html
        assert 'value="100"' not in html  # never 100 % while something is missing
    attendance["met"] = True
    services.lesson_progress_complete(user=learner, lesson=lessons[0])  # any new evaluation
    assert Enrolment.objects.get().status == EnrolmentStatus.COMPLETED


def test_all_lessons_done_but_final_pending_links_to_the_final(
    learner_client, learner, course, lessons, enrolled
):
    for lesson in lessons:
        services.lesson_progress_complete(user=learner, lesson=lesson)
    quiz_url = reverse("courses:quiz", args=[course.pk, course.final_assessment_id])
    with translation.override("fr"):
        take_it = translation.gettext("take it")
    for url in (course.url, reverse("courses:my_learning")):
        html = learner_client.get(url).content.decode()
        missing = html.split('class="requirement is-missing"', 1)[1].split("</li>", 1)[0]
        assert f'<a href="{quiz_url}">{take_it}</a>' in missing
        assert 'value="100"' not in html and 'value="66"' in html


def test_progress_never_says_100_while_a_requirement_is_unmet():
    missing = Requirement(key="x", label="x", done=99, needed=100, met=False)
    odd = Requirement(key="y", label="y", done=5, needed=5, met=False)  # met decides, not done
    assert progress.progress_of([missing]).percent == 99
    assert progress.progress_of([odd]).percent == 99
    assert progress.progress_of([odd]).next_step == odd
    assert progress.progress_of([]).complete is True


def test_with_progress_annotates_many_enrolments_in_one_query(learner, course, lessons,
                                                               enrolled):
    services.lesson_progress_complete(user=learner, lesson=lessons[0])
    with CaptureQueriesContext(connection) as ctx:
        [enrolment] = list(Enrolment.objects.with_progress())
    assert len(ctx.captured_queries) == 1
    assert (enrolment.progress_required, enrolment.progress_done) == (2, 1)
    assert enrolment.progress_final_best is None
    assert str(enrolment.progress_first_required_undone_key) == str(lessons[1].translation_key)


def test_completed_module_shows_its_outcome_and_no_resume(learner_client, learner, course,
                                                           lessons, enrolled):
    seen = []

    def certificate(*, user, enrolments):
        seen.append([enrolment.pk for enrolment in enrolments])
        return {enrolment.pk: Outcome(label="Your certificate is being prepared", url=None,
                                      state="pending")
                for enrolment in enrolments if enrolment.is_completed}

    progress.register_outcome_provider(certificate)
    try:
        complete_everything(learner, course, lessons)
        assert Enrolment.objects.get().status == EnrolmentStatus.COMPLETED
        html = learner_client.get(course.url).content.decode()
        with translation.override("fr"):
            review = translation.gettext("Review the lessons")
            resume = translation.gettext("Resume")
        assert "Your certificate is being prepared" in html
        assert review in html
        assert f"{resume}<span" not in html  # no "Resume" pointing at a lesson
        assert "Your certificate is being prepared" in learner_client.get(
            reverse("courses:my_learning")).content.decode()
        attempt = QuizAttempt.objects.get(quiz=course.final_assessment)
        result = learner_client.get(
            f"{reverse('courses:attempt', args=[attempt.pk])}?page={course.pk}"
        ).content.decode()
        assert "Your certificate is being prepared" in result
    finally:
        progress.unregister_outcome_provider(certificate)
    assert seen and all(len(call) == 1 for call in seen)


def test_outcomes_for_asks_each_provider_once_for_a_list(learner, user_factory, course):
    calls = []

    def provider(*, user, enrolments):
        calls.append(len(enrolments))
        return {enrolment.pk: Outcome(label="x", url="/x", state="ready")
                for enrolment in enrolments}

    other = user_factory()
    enrolments = [services.enrolment_create(user=learner, course=course),
                  services.enrolment_create(user=other, course=course)]
    progress.register_outcome_provider(provider)
    try:
        result = progress.outcomes_for(user=learner, enrolments=enrolments)
    finally:
        progress.unregister_outcome_provider(provider)
    assert calls == [2]
    assert [outcome.is_ready for outcome in result[enrolments[0].pk]] == [True]


# --- Reading never writes, writes are idempotent --------------------------------------------


def test_get_of_a_lesson_page_writes_nothing(learner_client, learner, lessons, enrolled):
    services.lesson_progress_complete(user=learner, lesson=lessons[0])
    learner_client.get(lessons[1].url)
    with CaptureQueriesContext(connection) as ctx:
        assert learner_client.get(lessons[1].url).status_code == 200
    writes = [q["sql"] for q in ctx.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []


def test_replayed_quiz_submission_returns_the_same_attempt(learner_client, learner, course,
                                                           lessons, enrolled):
    final = course.final_assessment
    url = reverse("courses:quiz", args=[course.pk, final.pk])
    key = str(uuid.uuid4())
    data = {"attempt": "1", "idempotency_key": key, **{
        f"q-{qid}": values for qid, values in answers_for(final, right=False).items()}}
    first = learner_client.post(url, data)
    second = learner_client.post(url, data)  # same key, even with a stale attempt number
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert QuizAttempt.objects.filter(user=learner).count() == 1
    # A different submission for the same attempt number is still a conflict.
    other = learner_client.post(url, {**data, "idempotency_key": str(uuid.uuid4())})
    assert other.status_code == 409
    assert QuizAttempt.objects.filter(user=learner).count() == 1


def test_replayed_lesson_completion_returns_the_same_response(learner_client, learner, lessons,
                                                              enrolled):
    url = reverse("courses:lesson_complete", args=[lessons[0].pk])
    key = str(uuid.uuid4())
    first = learner_client.post(url, {"idempotency_key": key})
    second = learner_client.post(url, {"idempotency_key": key})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == lessons[1].url
    assert LessonProgress.objects.filter(user=learner).count() == 1
    assert str(LessonProgress.objects.get().idempotency_key) == key
    # The same key for another lesson is refused, not silently applied.
    reused = learner_client.post(reverse("courses:lesson_complete", args=[lessons[1].pk]),
                                 {"idempotency_key": key})
    assert reused.status_code == 409
    assert LessonProgress.objects.filter(user=learner).count() == 1


def test_lesson_form_carries_an_idempotency_key(learner_client, lessons, enrolled):
    html = learner_client.get(lessons[0].url).content.decode()
    assert html.count('name="idempotency_key"') == 2  # check quiz and "mark as done"
    assert "data-learner-state" in html
