"""Who may do what in a module: the one place views ask.

Reading published lessons is open to everyone (as in Kolibri): tracking, quizzes and
"mark as done" need an enrolment. Drafts are never served (Wagtail routes live pages only).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from .models import CoursePage, Enrolment, LessonPage, Quiz
from .selectors import source_page_get
from .services import NotEnrolled


def live_page_get(*, pk: int, model: type[Page] = Page) -> Page:
    """A published page of the given type, or 404 (drafts and unknown ids alike)."""
    return get_object_or_404(model.objects.live(), pk=pk)


def quiz_get_for_page(
    *, page: Page, quiz_id: int, module: CoursePage | None = None,
) -> tuple[Quiz, LessonPage | None, CoursePage]:
    """The quiz if it belongs to this lesson (check quiz, quiz block) or module (pre-test,
    final assessment); 404 otherwise, so a learner cannot take arbitrary quizzes. ``module``:
    the lesson's module when the caller already holds it (the offline sync reads them by batch)."""
    page = page.specific
    if isinstance(page, LessonPage):
        lesson, course = page, (module if module is not None else page.get_parent().specific)
        if not course.live:
            raise Http404
        allowed = {page.quiz_id} | {
            block.value["quiz"].pk for block in page.body
            if block.block_type == "quiz" and block.value.get("quiz") is not None
        }
    elif isinstance(page, CoursePage):
        lesson, course = None, page
        allowed = {page.pre_test_id, page.final_assessment_id}
    else:
        raise Http404
    if quiz_id not in allowed - {None}:
        raise Http404
    if lesson is not None and quiz_id == lesson.quiz_id and LessonPage.quiz.is_cached(lesson):
        return lesson.quiz, lesson, course  # read with the lesson (select_related)
    return get_object_or_404(Quiz, pk=quiz_id), lesson, course


def enrolment_require(*, user, course: CoursePage) -> Enrolment:
    """The learner's active or completed enrolment in the module, or ``NotEnrolled``."""
    source = source_page_get(page=course)
    enrolment = Enrolment.objects.filter(user=user, course_id=source.pk).first()
    if enrolment is None or enrolment.is_withdrawn:
        if source.specific.is_cohort_only:
            raise NotEnrolled(_(
                "This module is taught in groups with a trainer: its quizzes are for group "
                "members. To join a group, ask your trainer, your organisation or the "
                "programme team."
            ))
        raise NotEnrolled(_("Enrol in this module to take its quizzes."))
    return enrolment
