from decimal import Decimal

import pytest

from courses import services
from courses.models import (
    Enrolment,
    EnrolmentStatus,
    LessonPage,
    LessonProgress,
    QuizAttempt,
)
from courses.selectors import quiz_questions

pytestmark = pytest.mark.django_db


def answers_for(quiz, *, right=True):
    """Answers keyed like the form: every question right (or every question wrong)."""
    answers = {}
    for question in quiz_questions(quiz=quiz):
        choices = list(question.choices.all())
        picked = [c.pk for c in choices if c.is_correct == right]
        if question.kind != "multiple":
            picked = picked[:1]
        answers[str(question.pk)] = picked
    return answers


@pytest.fixture
def check_quiz(lessons):
    return lessons[0].quiz


def test_score_is_computed_on_the_server(learner, enrolled, check_quiz):
    attempt = services.quiz_attempt_submit(
        user=learner, quiz=check_quiz, answers=answers_for(check_quiz)
    )
    assert attempt.score == Decimal("100.00") and attempt.passed
    wrong = services.quiz_attempt_submit(
        user=learner, quiz=check_quiz, answers=answers_for(check_quiz, right=False)
    )
    assert wrong.score == Decimal("0.00") and not wrong.passed
    assert [a.number for a in QuizAttempt.objects.order_by("number")] == [1, 2]


def test_multiple_choice_needs_exactly_the_right_set(learner, enrolled, check_quiz):
    answers = answers_for(check_quiz)
    multiple = [q for q in quiz_questions(quiz=check_quiz) if q.kind == "multiple"][0]
    answers[str(multiple.pk)] = answers[str(multiple.pk)][:1]  # one of the two right choices
    attempt = services.quiz_attempt_submit(user=learner, quiz=check_quiz, answers=answers)
    assert attempt.score == Decimal("50.00")


def test_translated_quiz_attempts_count_on_the_source_quiz(
    learner, enrolled, lessons, translation
):
    ar_quiz = translation("ar", lessons[0]).quiz
    attempt = services.quiz_attempt_submit(user=learner, quiz=ar_quiz, answers=answers_for(ar_quiz))
    assert attempt.quiz_id == lessons[0].quiz_id
    assert attempt.answered_quiz_id == ar_quiz.pk


@pytest.mark.parametrize("tamper", ["unknown_choice", "other_question", "unknown_question",
                                    "not_a_number", "two_for_single"])
def test_tampered_answers_are_refused_and_nothing_is_stored(
    learner, enrolled, check_quiz, lessons, tamper
):
    answers = answers_for(check_quiz)
    first, second = list(quiz_questions(quiz=check_quiz))
    if tamper == "unknown_choice":
        answers[str(first.pk)] = [999999]
    elif tamper == "other_question":
        answers[str(first.pk)] = [second.choices.all()[0].pk]
    elif tamper == "unknown_question":
        answers["999999"] = [first.choices.all()[0].pk]
    elif tamper == "not_a_number":
        answers[str(first.pk)] = ["abc"]
    else:
        answers[str(first.pk)] = [c.pk for c in first.choices.all()]
    with pytest.raises(services.QuizSubmissionInvalid):
        services.quiz_attempt_submit(user=learner, quiz=check_quiz, answers=answers,
                                     lesson=lessons[0])
    assert not QuizAttempt.objects.exists()
    assert not LessonProgress.objects.exists()


def test_missing_answers_are_reported(learner, enrolled, check_quiz):
    answers = answers_for(check_quiz)
    first = next(iter(answers))
    del answers[first]
    with pytest.raises(services.QuizAnswersIncomplete) as error:
        services.quiz_attempt_submit(user=learner, quiz=check_quiz, answers=answers)
    assert error.value.missing == {int(first)}
    assert not QuizAttempt.objects.exists()


def test_a_repeated_post_is_refused(learner, enrolled, check_quiz):
    services.quiz_attempt_submit(user=learner, quiz=check_quiz, answers=answers_for(check_quiz),
                                 expected_number=1)
    with pytest.raises(services.QuizAttemptConflict):
        services.quiz_attempt_submit(
            user=learner, quiz=check_quiz, answers=answers_for(check_quiz), expected_number=1
        )
    assert QuizAttempt.objects.count() == 1


def test_attempt_limit_is_enforced(learner, enrolled, check_quiz):
    assert check_quiz.max_attempts == 3
    for _ in range(3):
        services.quiz_attempt_submit(user=learner, quiz=check_quiz,
                                     answers=answers_for(check_quiz, right=False))
    with pytest.raises(services.QuizNoAttemptsLeft) as error:
        services.quiz_attempt_submit(user=learner, quiz=check_quiz,
                                     answers=answers_for(check_quiz))
    assert error.value.status == 409
    assert QuizAttempt.objects.count() == 3


def test_passing_the_check_quiz_marks_the_lesson_done(learner, enrolled, lessons, translation):
    en_lesson = translation("en", lessons[0])
    services.quiz_attempt_submit(user=learner, quiz=en_lesson.quiz,
                                 answers=answers_for(en_lesson.quiz, right=False),
                                 lesson=en_lesson)
    assert not LessonProgress.objects.exists()
    services.quiz_attempt_submit(user=learner, quiz=en_lesson.quiz,
                                 answers=answers_for(en_lesson.quiz), lesson=en_lesson)
    assert LessonProgress.objects.get().lesson_id == lessons[0].pk


def test_passing_the_final_assessment_completes_the_module(learner, enrolled, course, lessons):
    for lesson in lessons:
        services.lesson_progress_complete(user=learner, lesson=lesson)
    assert Enrolment.objects.get().status == EnrolmentStatus.ACTIVE  # final not passed yet
    final = course.final_assessment
    services.quiz_attempt_submit(user=learner, quiz=final, answers=answers_for(final),
                                 course=course)
    enrolment = Enrolment.objects.get()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.final_score == Decimal("100.00")


def test_the_page_never_contains_the_correct_answers(learner_client, enrolled, lessons):
    response = learner_client.get(lessons[0].url)
    html = response.content.decode()
    assert 'name="q-' in html
    assert "is_correct" not in html and "feedback Oui" not in html
    quiz_page = learner_client.get(f"/fr/learning/pages/{lessons[0].pk}/quizzes/"
                                   f"{lessons[0].quiz_id}/")
    assert quiz_page.status_code == 200
    assert "feedback" not in quiz_page.content.decode()


def post_answers(client, lesson, answers, attempt=1):
    data = {f"q-{key}": value for key, value in answers.items()}
    data["attempt"] = str(attempt)
    return client.post(f"/fr/learning/pages/{lesson.pk}/quizzes/{lesson.quiz_id}/", data)


def test_quiz_view_fail_then_pass(learner_client, enrolled, lessons):
    quiz = lessons[0].quiz
    failed = post_answers(learner_client, lessons[0], answers_for(quiz, right=False))
    assert failed.status_code == 302
    result = learner_client.get(failed["Location"])
    assert result.status_code == 200
    # The score is formatted for the language and isolated left to right (lms.templatetags).
    assert '<bdi dir="ltr" class="num">0\u202f%</bdi>' in result.content.decode()
    assert 'aria-live="polite"' in result.content.decode()
    passed = post_answers(learner_client, lessons[0], answers_for(quiz), attempt=2)
    assert passed.status_code == 302
    assert LessonProgress.objects.filter(lesson=lessons[0]).exists()


def test_quiz_view_tampering_gives_400_and_a_message(learner_client, enrolled, lessons):
    response = post_answers(learner_client, lessons[0], {"999999": ["1"]})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_quiz_view_missing_answer_redisplays_with_choices_kept(learner_client, enrolled, lessons):
    answers = answers_for(lessons[0].quiz)
    first_key = next(iter(answers))
    kept = answers[first_key][0]
    second_key = list(answers)[1]
    del answers[second_key]
    response = post_answers(learner_client, lessons[0], answers)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'value="{kept}" checked' in html
    assert f'question-{second_key}-error' in html


def test_quiz_view_repeated_post_gives_409(learner_client, enrolled, lessons):
    answers = answers_for(lessons[0].quiz, right=False)
    assert post_answers(learner_client, lessons[0], answers).status_code == 302
    assert post_answers(learner_client, lessons[0], answers).status_code == 409
    assert QuizAttempt.objects.count() == 1


def test_quiz_view_refuses_a_learner_who_is_not_enrolled(learner_client, lessons):
    response = post_answers(learner_client, lessons[0], answers_for(lessons[0].quiz))
    assert response.status_code == 403
    assert not QuizAttempt.objects.exists()


def test_quiz_view_refuses_a_quiz_not_attached_to_the_page(learner_client, enrolled, lessons):
    other = lessons[0].quiz
    assert lessons[1].quiz_id is None
    response = learner_client.get(f"/fr/learning/pages/{lessons[1].pk}/quizzes/{other.pk}/")
    assert response.status_code == 404


def test_attempt_result_is_private(client, user_factory, learner, enrolled, lessons):
    attempt = services.quiz_attempt_submit(
        user=learner, quiz=lessons[0].quiz, answers=answers_for(lessons[0].quiz)
    )
    client.force_login(user_factory())
    assert client.get(f"/fr/learning/attempts/{attempt.pk}/").status_code == 404
    assert LessonPage.objects.exists()
