"""Translating modules with Wagtail's ``simple_translation``: the copy points at its own quizzes.

"Translate" copies a module (and, with "include subtree", its lessons) into another locale, but
the copies still name the French quizzes, which the page refuses on save ("Choose the quiz in the
same language as the page"). After each copy, every quiz link — a module's pre-test and final
assessment, a lesson's check quiz and the ``quiz`` blocks of its body — is carried to the quiz of
the copy's language, copying the quiz (questions and choices) for the editor to translate when it
has no translation yet. The page row and the revision the editor opens are both updated, so the
translated copy saves at once.
"""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Locale, Page

from .models import CoursePage, LessonPage, Quiz

# Quiz foreign keys of each page type; lesson bodies are handled block by block.
QUIZ_FIELDS: dict[type[Page], tuple[str, ...]] = {
    CoursePage: ("pre_test", "final_assessment"),
    LessonPage: ("quiz",),
}
BODY_QUIZ_BLOCK = "quiz"


@transaction.atomic
def quiz_translation_ensure(*, quiz: Quiz, locale: Locale) -> Quiz:
    """The quiz in ``locale``: the existing translation, or a copy (questions and choices
    included, same ``translation_key``) for the editor to translate."""
    existing = Quiz.objects.filter(translation_key=quiz.translation_key, locale=locale).first()
    if existing is not None:
        return existing
    copy = quiz.copy_for_translation(locale)
    copy.save()
    return copy


def _body_repoint(page: LessonPage, locale: Locale) -> bool:
    """Point the ``quiz`` blocks of a lesson body at quizzes in ``locale``; True if any moved.

    Block values are changed in place: once a stream's blocks have been read, saving the page
    serialises those blocks (ids kept), not the raw data.
    """
    changed = False
    for block in page.body:
        if block.block_type != BODY_QUIZ_BLOCK:
            continue
        quiz = block.value.get("quiz")
        if quiz is not None and quiz.locale_id != locale.pk:
            block.value["quiz"] = quiz_translation_ensure(quiz=quiz, locale=locale)
            changed = True
    return changed


def _quizzes_repoint(page: Page, locale: Locale) -> list[str]:
    """Move every quiz link of ``page`` (an instance, saved or not) to ``locale``; returns the
    names of the fields that changed."""
    changed = []
    for name in QUIZ_FIELDS.get(type(page), ()):
        quiz = getattr(page, name)
        if quiz is not None and quiz.locale_id != locale.pk:
            setattr(page, name, quiz_translation_ensure(quiz=quiz, locale=locale))
            changed.append(name)
    if isinstance(page, LessonPage) and _body_repoint(page, locale):
        changed.append("body")
    return changed


@transaction.atomic
def page_translation_quizzes_repoint(*, page: Page) -> list[str]:
    """After "Translate" on a module or lesson, point the copy (its row and the latest revision,
    which is what the page editor opens) at quizzes in its own language. Returns the fields that
    changed on the page row."""
    if page.pk is None:
        return []
    page = page.specific
    if type(page) not in QUIZ_FIELDS:
        return []
    locale = page.locale
    changed = _quizzes_repoint(page, locale)
    if changed:
        page.save(update_fields=changed, clean=False)
    revision = page.latest_revision
    if revision is not None:
        draft = revision.as_object()
        if _quizzes_repoint(draft, locale):
            revision.content = draft.serializable_data()
            revision.save(update_fields=["content"])
    return changed


def on_copy_for_translation_done(sender, source_obj, target_obj, **kwargs) -> None:
    """``wagtail.signals.copy_for_translation_done``: sent for each page copied (the subtree
    included) and for each snippet; only pages have quiz links to carry."""
    if isinstance(target_obj, Page):
        page_translation_quizzes_repoint(page=target_obj)
