"""Learner actions around the Wagtail pages: enrol, withdraw, mark as done, quizzes, My learning.

Views are thin: access checks from ``courses.access``, reads from ``courses.selectors``, writes
from ``courses.services``. Refusals render a page with the message and the right status.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import access, offline, selectors, services
from .models import CoursePage, LessonPage, Quiz
from .services import CourseActionError, QuizAnswersIncomplete


def _refused(request: HttpRequest, error: CourseActionError, *, back_url: str | None = None):
    return render(
        request, "courses/refused.html",
        {"message": error.message, "back_url": back_url}, status=error.status,
    )


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    """The catalogue page of the current language (a Wagtail page)."""
    index = selectors.catalogue_page_for_language()
    if index is None:
        raise Http404
    return redirect(index.get_url(request))


@login_required
@require_GET
def my_learning(request: HttpRequest) -> HttpResponse:
    rows = selectors.my_learning_rows(user=request.user, request=request)
    return render(request, "courses/my_learning.html", {
        "rows": rows,
        "catalogue_url": _catalogue_url(request),
    })


def _catalogue_url(request: HttpRequest) -> str | None:
    index = selectors.catalogue_page_for_language()
    return index.get_url(request) if index else None


@login_required
@require_POST
def enrol(request: HttpRequest, page_id: int) -> HttpResponse:
    course = access.live_page_get(pk=page_id, model=CoursePage)
    try:
        services.enrolment_create(user=request.user, course=course)
    except CourseActionError as error:
        return _refused(request, error, back_url=course.get_url(request))
    messages.success(request, _("You are enrolled. Your progress will be saved."))
    first = selectors.course_outline(course=course, request=request).lessons
    return redirect(first[0].url if first else course.get_url(request))


@login_required
@require_POST
def withdraw(request: HttpRequest, page_id: int) -> HttpResponse:
    course = access.live_page_get(pk=page_id, model=CoursePage)
    try:
        services.enrolment_withdraw(user=request.user, course=course)
    except CourseActionError as error:
        return _refused(request, error, back_url=course.get_url(request))
    messages.success(
        request, _("You have left this module. Your progress is kept if you come back.")
    )
    return redirect(course.get_url(request))


def _idempotency_key(request: HttpRequest) -> uuid.UUID | None:
    """The client's key for this write: the form's hidden field, or an ``Idempotency-Key``
    header (JSON clients). Anything that is not a UUID counts as no key."""
    raw = request.POST.get("idempotency_key") or request.headers.get("Idempotency-Key", "")
    try:
        return uuid.UUID(str(raw)) if raw else None
    except ValueError:
        return None


@login_required
@require_POST
def lesson_complete(request: HttpRequest, page_id: int) -> HttpResponse:
    lesson = access.live_page_get(pk=page_id, model=LessonPage)
    course = lesson.get_parent()
    try:
        services.lesson_progress_complete(
            user=request.user, lesson=lesson, idempotency_key=_idempotency_key(request)
        )
    except CourseActionError as error:
        return _refused(request, error, back_url=lesson.get_url(request))
    outline = selectors.course_outline(course=course, request=request)
    next_lesson = outline.next_after(str(lesson.translation_key))
    messages.success(request, _("Lesson marked as done."))
    return redirect(next_lesson.url if next_lesson else course.get_url(request))


@login_required
@require_POST
def lesson_visit(request: HttpRequest, page_id: int) -> HttpResponse:
    """Remember the lesson the learner opened, for "resume" (sent by the page as a beacon).

    Reading a page never writes: prefetches, link previews and offline caches replay GETs.
    """
    lesson = access.live_page_get(pk=page_id, model=LessonPage)
    services.enrolment_record_visit(user=request.user, lesson=lesson)
    return HttpResponse(status=204)


@login_required
@require_http_methods(["GET", "POST"])
def quiz(request: HttpRequest, page_id: int, quiz_id: int) -> HttpResponse:
    """Show a module's or lesson's quiz and take its submissions."""
    page = access.live_page_get(pk=page_id)
    quiz_obj, lesson, course = access.quiz_get_for_page(page=page, quiz_id=quiz_id)
    back_url = (lesson or course).get_url(request)
    try:
        access.enrolment_require(user=request.user, course=course)
    except CourseActionError as error:
        return _refused(request, error, back_url=course.get_url(request))
    errors: list[str] = []
    missing: set[int] = set()
    selected: dict[int, set[int]] = {}
    status = 200
    if request.method == "POST":
        answers = selectors.quiz_answers_from_post(request.POST)
        try:
            expected = int(request.POST.get("attempt", ""))
        except ValueError:
            expected = None
        try:
            attempt = services.quiz_attempt_submit(
                user=request.user, quiz=quiz_obj, answers=answers, expected_number=expected,
                started_at=selectors.quiz_started_at(request.POST.get("started", "")),
                lesson=lesson, course=course, idempotency_key=_idempotency_key(request),
            )
        except CourseActionError as error:
            errors.append(error.message)
            status = error.status
            if isinstance(error, QuizAnswersIncomplete):
                missing = error.missing
                for key, values in answers.items():
                    try:
                        selected[int(key)] = {int(value) for value in values}
                    except ValueError:
                        continue
        else:
            return redirect(f"{reverse('courses:attempt', args=[attempt.pk])}?page={page.pk}")
    else:  # a GET: conditional (ETag, 304) for the offline app
        return offline.conditional_response(
            request, etag=offline.quiz_etag(request=request, quiz=quiz_obj, page=page,
                                            course=course),
            render=lambda: _quiz_page(request, quiz_obj, lesson, course, back_url),
        )
    return _quiz_page(request, quiz_obj, lesson, course, back_url, errors=errors,
                      missing=missing, selected=selected, status=status)


def _quiz_page(request, quiz_obj, lesson, course, back_url, *, errors=(), missing=frozenset(),
               selected=None, status=200) -> HttpResponse:
    selected = selected or {}
    stats = selectors.quiz_attempt_stats(user=request.user, quiz=quiz_obj)
    attempts_left = selectors.attempts_left(quiz_obj, stats["count"])
    questions = list(selectors.quiz_questions(quiz=quiz_obj))
    for question in questions:
        question.is_missing = question.pk in missing
        question.selected_ids = selected.get(question.pk, set())
    return render(request, "courses/quiz_page.html", {
        "quiz": quiz_obj,
        "questions": questions,
        "lesson": lesson,
        "course": course,
        "back_url": back_url,
        "form_action": request.path,
        "stats": stats,
        "attempts_left": attempts_left,
        "next_attempt": stats["count"] + 1,
        "started_token": selectors.quiz_started_token(),
        "idempotency_key": selectors.idempotency_key_new(),
        "errors": list(errors),
    }, status=status)


@login_required
@require_GET
def attempt(request: HttpRequest, pk: int) -> HttpResponse:
    """The result of one of the learner's attempts, with feedback and explanations."""
    attempt_obj = selectors.attempt_get_for_user(user=request.user, pk=pk)
    quiz_obj: Quiz = attempt_obj.answered_quiz or attempt_obj.quiz
    stats = selectors.quiz_attempt_stats(user=request.user, quiz=quiz_obj)
    attempts_left = selectors.attempts_left(quiz_obj, stats["count"])
    # Correct answers are revealed once the learner passed or has no attempt left.
    reveal = bool(stats["passed"] or attempts_left == 0)
    back_url = retry_url = next_url = None
    learner = None
    try:
        page = access.live_page_get(pk=int(request.GET.get("page", ""))).specific
    except (ValueError, OverflowError, Http404):
        page = None
    if page is not None:
        back_url = page.get_url(request)
        if attempts_left != 0:
            retry_url = reverse("courses:quiz", args=[page.pk, quiz_obj.pk])
        if isinstance(page, LessonPage) and attempt_obj.passed:
            outline = selectors.course_outline(course=page.get_parent(), request=request)
            following = outline.next_after(str(page.translation_key))
            next_url = following.url if following else None
        elif isinstance(page, CoursePage) and page.final_assessment_id == quiz_obj.pk:
            # The final assessment: say what is still missing, or what completing led to.
            learner = selectors.learner_state_get(
                user=request.user, course=page,
                outline=selectors.course_outline(course=page, request=request),
                with_outcomes=True,
            )
    return render(request, "courses/quiz_attempt.html", {
        "attempt": attempt_obj,
        "quiz": quiz_obj,
        "review": selectors.attempt_review(attempt=attempt_obj, reveal=reveal),
        "reveal": reveal,
        "attempts_left": attempts_left,
        "back_url": back_url,
        "retry_url": retry_url,
        "next_url": next_url,
        "learner": learner,
    })
