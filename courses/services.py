"""Writes for the courses app: enrolment, lesson progress and quiz attempts.

Every function maps the page or quiz it is given to its source-locale version, so learner
records are the same whatever language the learner uses. Refusals raise ``CourseActionError``
subclasses carrying a translated message and an HTTP status for the views.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import completion
from .models import (
    CoursePage,
    Enrolment,
    EnrolmentMode,
    EnrolmentStatus,
    LessonPage,
    LessonProgress,
    QuestionKind,
    Quiz,
    QuizAttempt,
)
from .selectors import quiz_questions, source_page_get, source_quiz_get
from .signals import final_assessment_passed_again


class CourseActionError(Exception):
    """A refused learner action: ``message`` is shown to the learner, ``status`` is HTTP."""

    status = 400
    default_message = _("This action is not possible.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class EnrolmentNotAllowed(CourseActionError):
    status = 403
    default_message = _("You cannot enrol yourself in this module.")


class NotEnrolled(CourseActionError):
    status = 403
    default_message = _("Enrol in this module first.")


class QuizSubmissionInvalid(CourseActionError):
    status = 400
    default_message = _("Your answers could not be read. Please answer the questions again.")


class QuizAnswersIncomplete(CourseActionError):
    status = 400
    default_message = _("Please answer every question before submitting.")

    def __init__(self, message=None, *, missing=()):
        super().__init__(message)
        self.missing = set(missing)


class QuizAttemptConflict(CourseActionError):
    status = 409
    default_message = _("This attempt has already been submitted.")


class QuizNoAttemptsLeft(QuizAttemptConflict):
    default_message = _("You have used all your attempts for this quiz.")


# --- Enrolment --------------------------------------------------------------------------------


def _source_course(course: CoursePage) -> CoursePage:
    if not course.live:
        raise EnrolmentNotAllowed(_("This module is not published."))
    source = source_page_get(page=course).specific
    if not source.live:
        raise EnrolmentNotAllowed(_("This module is not published."))
    return source


@transaction.atomic
def enrolment_create(*, user, course: CoursePage, by_organiser: bool = False) -> Enrolment:
    """Enrol a learner (idempotent). Reactivates a withdrawn enrolment; keeps a completed one.

    Learners may enrol themselves only in open modules; ``by_organiser=True`` is for trainers
    and cohort imports enrolling learners in cohort-only modules.
    """
    source = _source_course(course)
    if source.enrolment_mode != EnrolmentMode.OPEN and not by_organiser:
        raise EnrolmentNotAllowed(
            _("This module is taught in groups: ask your trainer or programme to join one.")
        )
    enrolment = Enrolment.objects.filter(user=user, course=source).first()
    if enrolment is None:
        enrolment = Enrolment(user=user, course=source)
        enrolment.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():  # savepoint: a concurrent insert wins, we read it
                enrolment.save()
        except IntegrityError:
            enrolment = Enrolment.objects.get(user=user, course=source)
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        enrolment.status = EnrolmentStatus.ACTIVE
        enrolment.withdrawn_at = None
        enrolment.full_clean(validate_unique=False, validate_constraints=False)
        enrolment.save(update_fields=["status", "withdrawn_at"])
        # Progress kept from before may already satisfy the rules.
        completion.enrolment_evaluate(enrolment=enrolment)
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, user, course: CoursePage) -> Enrolment:
    """Leave a module. Progress is kept, so re-enrolling picks up where the learner stopped."""
    source = source_page_get(page=course)
    enrolment = (
        Enrolment.objects.select_for_update().filter(user=user, course_id=source.pk).first()
    )
    if enrolment is None or enrolment.status != EnrolmentStatus.ACTIVE:
        raise NotEnrolled(_("You are not following this module."))
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.withdrawn_at = timezone.now()
    enrolment.save(update_fields=["status", "withdrawn_at"])
    return enrolment


def enrolment_record_visit(*, user, lesson: LessonPage) -> bool:
    """Remember the last lesson read (source-locale page), for the resume link.

    Called by the explicit visit POST (a beacon sent by the lesson page) and when a lesson is
    done, never by reading a page. True if the pointer moved (an active enrolment, another
    lesson); a replay changes nothing.
    """
    if not lesson.live:
        return False
    source = source_page_get(page=lesson)
    parent_path = source.path[: -LessonPage.steplen]
    updated = (
        Enrolment.objects.filter(
            user=user, course__path=parent_path, status=EnrolmentStatus.ACTIVE
        )
        .exclude(last_lesson_id=source.pk)
        .update(last_lesson_id=source.pk)
    )
    return updated > 0


# --- Lesson progress --------------------------------------------------------------------------


def _enrolment_for_lesson(*, user, source_lesson: LessonPage,
                          known: Enrolment | None = None) -> Enrolment:
    """The enrolment that records progress in the lesson's module (``known``: already read)."""
    parent_path = source_lesson.path[: -LessonPage.steplen]
    enrolment = known or Enrolment.objects.filter(user=user, course__path=parent_path).first()
    if enrolment is None or enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise NotEnrolled(_("Enrol in this module to record your progress."))
    return enrolment


class IdempotencyKeyReused(CourseActionError):
    status = 409
    default_message = _("This request was already used for something else.")


@dataclass(frozen=True)
class Known:
    """What a caller applying many writes at once (the offline sync) already read, so that
    each write does not read it again. The default knows nothing.

    ``enrolment``: the learner's enrolment in the module (one instance for the whole batch:
    the services update its status and resume pointer in place). ``key_is_new``: the
    idempotency key was looked up with the batch's other keys and is not used (a concurrent
    insert is still caught by the unique constraint). ``record_visit``: move "resume" to this
    lesson (False when a later event of the batch moves it again)."""

    enrolment: Enrolment | None = None
    key_is_new: bool = False
    record_visit: bool = True


NOTHING_KNOWN = Known()


@transaction.atomic
def lesson_progress_complete(
    *, user, lesson: LessonPage, idempotency_key: uuid.UUID | None = None,
    known: Known = NOTHING_KNOWN,
) -> LessonProgress:
    """Mark a lesson done (idempotent, by lesson and by ``idempotency_key``), remember it for
    "resume", then evaluate the module's completion.

    A constant number of queries whatever the number of lessons (counts are aggregates).
    """
    if not lesson.live:
        raise NotEnrolled(_("This lesson is not published."))
    source_lesson = source_page_get(page=lesson)
    if idempotency_key is not None and not known.key_is_new:
        replayed = LessonProgress.objects.filter(user=user, idempotency_key=idempotency_key).first()
        if replayed is not None:
            if replayed.lesson_id != source_lesson.pk:
                raise IdempotencyKeyReused()
            return replayed
    enrolment = _enrolment_for_lesson(user=user, source_lesson=source_lesson,
                                      known=known.enrolment)
    # Insert first (the usual case: the button is shown until the lesson is done); the unique
    # constraint decides, and an existing row is read back.
    progress = LessonProgress(
        user=user, lesson_id=source_lesson.pk, idempotency_key=idempotency_key
    )
    try:
        with transaction.atomic():
            progress.save()
    except IntegrityError:
        progress = LessonProgress.objects.filter(user=user, lesson_id=source_lesson.pk).first()
        if progress is None:  # the key was taken by another lesson meanwhile
            raise IdempotencyKeyReused() from None
    if enrolment.status == EnrolmentStatus.ACTIVE:
        if known.record_visit and enrolment.last_lesson_id != source_lesson.pk:
            Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson_id=source_lesson.pk)
            enrolment.last_lesson_id = source_lesson.pk
        completion.enrolment_evaluate(enrolment=enrolment)
    return progress


# --- Quizzes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionResult:
    question_id: int
    correct: bool
    selected: tuple[int, ...]


def _score_answers(quiz: Quiz, answers: dict) -> tuple[dict[str, list[int]], list[QuestionResult]]:
    """Validate answers against the quiz's questions and score them (server side only)."""
    questions = list(quiz_questions(quiz=quiz))
    by_id = {question.pk: question for question in questions}
    normalised: dict[int, list[int]] = {}
    try:
        for raw_key, raw_value in (answers or {}).items():
            question_id = int(raw_key)
            values = raw_value if isinstance(raw_value, list | tuple) else [raw_value]
            normalised[question_id] = sorted({int(value) for value in values if value != ""})
    except (TypeError, ValueError) as error:
        raise QuizSubmissionInvalid() from error
    if set(normalised) - set(by_id):
        raise QuizSubmissionInvalid()
    missing = []
    results = []
    for question in questions:
        selected = normalised.get(question.pk, [])
        choice_ids = {choice.pk for choice in question.choices.all()}
        if set(selected) - choice_ids:
            raise QuizSubmissionInvalid()  # unknown ids, or choices of another question
        if question.kind != QuestionKind.MULTIPLE and len(selected) > 1:
            raise QuizSubmissionInvalid()
        if not selected:
            missing.append(question.pk)
            continue
        correct_ids = {choice.pk for choice in question.choices.all() if choice.is_correct}
        results.append(QuestionResult(question.pk, set(selected) == correct_ids, tuple(selected)))
    if missing:
        raise QuizAnswersIncomplete(missing=missing)
    return {str(key): value for key, value in normalised.items()}, results


def _attempt_replayed(*, user, quiz: Quiz, key: uuid.UUID) -> QuizAttempt | None:
    attempt = QuizAttempt.objects.filter(user=user, idempotency_key=key).first()
    if attempt is not None and attempt.quiz_id != quiz.pk:
        raise IdempotencyKeyReused()
    return attempt


def quiz_score(*, results: list[QuestionResult]) -> Decimal:
    if not results:
        return Decimal("0.00")
    correct = sum(1 for result in results if result.correct)
    return (Decimal(correct) * 100 / len(results)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@transaction.atomic
def quiz_attempt_submit(
    *,
    user,
    quiz: Quiz,
    answers: dict,
    expected_number: int | None = None,
    started_at: datetime | None = None,
    lesson: LessonPage | None = None,
    course: CoursePage | None = None,
    idempotency_key: uuid.UUID | None = None,
    known: Known = NOTHING_KNOWN,
) -> QuizAttempt:
    """Score and store one attempt. All or nothing.

    ``answers`` maps question ids to a list of choice ids of the quiz version answered.
    ``idempotency_key`` (client-generated, one per form): a replay of the same submission
    returns the attempt it created and changes nothing, however late it comes.
    ``expected_number`` (from the form) refuses a different submission made concurrently for
    the same attempt. Passing ``lesson``'s check quiz marks the lesson done; passing
    ``course``'s final assessment evaluates the module's completion. ``known``: see `Known`.
    """
    source_quiz = source_quiz_get(quiz=quiz)
    if idempotency_key is not None and not known.key_is_new:
        replayed = _attempt_replayed(user=user, quiz=source_quiz, key=idempotency_key)
        if replayed is not None:
            return replayed
    used = QuizAttempt.objects.filter(user=user, quiz=source_quiz).count()
    if source_quiz.max_attempts is not None and used >= source_quiz.max_attempts:
        raise QuizNoAttemptsLeft()
    if expected_number is not None and expected_number != used + 1:
        raise QuizAttemptConflict()
    stored_answers, results = _score_answers(quiz, answers)
    score = quiz_score(results=results)
    attempt = QuizAttempt(
        user=user, quiz=source_quiz, answered_quiz=quiz, number=used + 1, answers=stored_answers,
        score=score, passed=score >= source_quiz.pass_mark, started_at=started_at,
        idempotency_key=idempotency_key,
    )
    # The foreign keys are the instances given (no query to check that they exist).
    attempt.full_clean(exclude=["user", "quiz", "answered_quiz"],
                       validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError as error:  # the same attempt number or key was stored concurrently
        if idempotency_key is not None:
            replayed = _attempt_replayed(user=user, quiz=source_quiz, key=idempotency_key)
            if replayed is not None:
                return replayed
        raise QuizAttemptConflict() from error
    if attempt.passed and lesson is not None and lesson.quiz_id is not None:
        if str(lesson.quiz.translation_key) == str(quiz.translation_key):
            lesson_progress_complete(user=user, lesson=lesson, known=Known(
                enrolment=known.enrolment, record_visit=known.record_visit))
    if course is not None and course.final_assessment_id is not None:
        final = course.final_assessment
        if str(final.translation_key) == str(quiz.translation_key):
            enrolment = known.enrolment or Enrolment.objects.filter(
                user=user, course_id=source_page_get(page=course).pk).first()
            status = enrolment.status if enrolment is not None else None
            if status == EnrolmentStatus.ACTIVE:
                completion.enrolment_evaluate(enrolment=enrolment)
            elif status == EnrolmentStatus.COMPLETED and attempt.passed:
                final_assessment_passed_again.send(
                    sender=Enrolment, enrolment=enrolment, attempt=attempt
                )
    return attempt
