"""Load the programme modules from ``courses/demo_content`` into the page tree. Idempotent.

Each module is keyed by its ``key``: a module already loaded is left as editors made it, and
only its missing translations are added. French is the source; English and Arabic pages are
created with ``copy_for_translation`` (same ``translation_key``) and then given their texts.
Every module is checked before anything is written; a broken one raises ``DemoContentError``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.db import transaction
from wagtail.models import Locale

from lms.demo import demo_site_ensure
from lms.models import HomePage

from . import demo_content
from .demo_content import BLOCK_TEXTS, CALLOUT_KINDS, SINGLE_ANSWER_KINDS, DemoContentError
from .models import (
    Audience,
    AudienceTag,
    Choice,
    CourseIndexPage,
    CoursePage,
    LessonPage,
    Question,
    QuestionKind,
    Quiz,
    QuizPurpose,
    Topic,
)
from .selectors import SOURCE_LANGUAGE

SOURCE = SOURCE_LANGUAGE  # learner records point to pages in this language
INDEX_CONTENT = {
    "fr": {
        "title": "Modules de formation",
        "intro": "<p>Des modules courts et gratuits, à suivre sur un téléphone, à votre rythme "
        "ou en groupe avec un formateur.</p>",
    },
    "en": {
        "title": "Training modules",
        "intro": "<p>Short, free modules to follow on a phone, at your own pace or in a group "
        "with a trainer.</p>",
    },
    "ar": {
        "title": "الوحدات التكوينية",
        "intro": "<p>وحدات قصيرة ومجانية تُتابَع على الهاتف، حسب وتيرتك أو ضمن مجموعة مع "
        "مكوّن.</p>",
    },
}
BLOCK_TYPES = set(BLOCK_TEXTS)


def _write(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _publish(page) -> None:
    page.save_revision().publish()


# --- Catalogue pages --------------------------------------------------------------------------


def indexes_ensure(*, home_fr: HomePage, locales: dict[str, Locale]) -> dict[str, CourseIndexPage]:
    """A published catalogue page under each language's home page (slug "modules")."""
    index_fr = CourseIndexPage.objects.child_of(home_fr).first()
    if index_fr is None:
        index_fr = CourseIndexPage(slug="modules", locale=locales[SOURCE], **INDEX_CONTENT[SOURCE])
        home_fr.add_child(instance=index_fr)
        _publish(index_fr)
    indexes = {SOURCE: index_fr}
    for code, locale in locales.items():
        if code == SOURCE or code not in INDEX_CONTENT:
            continue
        index = CourseIndexPage.objects.filter(
            translation_key=index_fr.translation_key, locale=locale
        ).first()
        if index is None:
            if not HomePage.objects.filter(
                translation_key=home_fr.translation_key, locale=locale
            ).exists():
                continue
            index = index_fr.copy_for_translation(locale)
            index.title = INDEX_CONTENT[code]["title"]
            index.intro = INDEX_CONTENT[code]["intro"]
            index.slug = "modules"
            _publish(index)
        indexes[code] = index.specific
    # Point each home page's call to action at its catalogue, unless an editor chose a page.
    for code, index in indexes.items():
        home = HomePage.objects.filter(
            translation_key=home_fr.translation_key, locale=locales[code],
            hero_cta_page__isnull=True,
        ).first()
        if home is not None:
            home.hero_cta_page = index
            _publish(home)
    return indexes


# --- Checks -----------------------------------------------------------------------------------
# Modules read from ``courses/demo_content`` are checked file by file when read; these checks
# hold for any module handed to ``load`` (tests build some as dicts): the source language decides
# the structure, and a translation that states a structural value must state the same one.


def _quizzes(text: dict) -> list[tuple[str, dict | None]]:
    quizzes = [(name, text.get(name)) for name in ("pre_test", "final_assessment")]
    quizzes += [
        (f"lesson {number} quiz", lesson.get("quiz"))
        for number, lesson in enumerate(text.get("lessons", []), start=1)
    ]
    return quizzes


def _quiz_validate(quiz: dict, where: str) -> None:
    if not quiz.get("questions"):
        raise DemoContentError(f"{where}: no questions")
    for number, question in enumerate(quiz["questions"], start=1):
        kind = question.get("kind", QuestionKind.SINGLE)
        if kind not in QuestionKind.values:
            raise DemoContentError(f"{where}, question {number}: unknown kind {kind!r}")
        correct = sum(bool(choice.get("correct")) for choice in question["choices"])
        if correct == 0:
            raise DemoContentError(f"{where}, question {number}: no correct choice")
        if kind in SINGLE_ANSWER_KINDS and correct != 1:
            raise DemoContentError(f"{where}, question {number}: {kind} needs one correct choice")


def _quiz_mirrors(source: dict, translated: dict, where: str) -> None:
    for name, default in (("pass_mark", 70), ("max_attempts", None)):
        if name in translated and translated[name] != source.get(name, default):
            raise DemoContentError(f"{where}: {name} differs from the source language")
    if len(source["questions"]) != len(translated["questions"]):
        raise DemoContentError(f"{where}: not the same number of questions as in French")
    for number, (q_src, q_tr) in enumerate(
        zip(source["questions"], translated["questions"], strict=True), start=1
    ):
        if len(q_src["choices"]) != len(q_tr["choices"]):
            raise DemoContentError(f"{where}, question {number}: not the same number of choices")
        if q_tr.get("kind", q_src.get("kind", "single")) != q_src.get("kind", "single"):
            raise DemoContentError(f"{where}, question {number}: kind differs from French")
        for c_number, (c_src, c_tr) in enumerate(
            zip(q_src["choices"], q_tr["choices"], strict=True), start=1
        ):
            if "correct" in c_tr and bool(c_tr["correct"]) != bool(c_src.get("correct")):
                raise DemoContentError(
                    f"{where}, question {number}, choice {c_number}: correct differs from French"
                )


def _blocks_validate(lesson: dict, where: str) -> list[tuple[str, str | None]]:
    kinds = []
    for item in lesson.get("body") or []:
        block_type, value = item
        if block_type not in BLOCK_TYPES:
            raise DemoContentError(f"{where}: unknown block type {block_type!r}")
        callout = value.get("kind", "key_point") if block_type == "callout" else None
        if callout is not None and callout not in CALLOUT_KINDS:
            raise DemoContentError(f"{where}: unknown callout kind {callout!r}")
        kinds.append((block_type, callout))
    return kinds


def module_validate(module: dict) -> None:
    """Raise ``DemoContentError`` unless ``module`` can be loaded as it is, in every language."""
    key = module.get("key")
    if not key or SOURCE not in module.get("translations", {}):
        raise DemoContentError(f"module {key!r}: needs a key and a {SOURCE} translation")
    if module.get("topic") not in Topic.values:
        raise DemoContentError(f"{key}: unknown topic {module.get('topic')!r}")
    if not set(module.get("audiences", [])) <= set(Audience.values):
        raise DemoContentError(f"{key}: unknown audience in {module.get('audiences')}")
    source = module["translations"][SOURCE]
    for name, quiz in _quizzes(source):
        if quiz:
            _quiz_validate(quiz, f"{key} ({SOURCE}) {name}")
    for number, lesson in enumerate(source["lessons"], start=1):
        _blocks_validate(lesson, f"{key} ({SOURCE}), lesson {number}")
    for code, translated in module["translations"].items():
        if code == SOURCE:
            continue
        where = f"{key} ({code})"
        if len(source["lessons"]) != len(translated["lessons"]):
            raise DemoContentError(f"{where}: not the same number of lessons as in French")
        for (name, q_src), (_name, q_tr) in zip(
            _quizzes(source), _quizzes(translated), strict=True
        ):
            if bool(q_src) != bool(q_tr):
                raise DemoContentError(f"{where}: {name} present in one language only")
            if q_src:
                _quiz_mirrors(q_src, q_tr, f"{where} {name}")
        for number, (l_src, l_tr) in enumerate(
            zip(source["lessons"], translated["lessons"], strict=True), start=1
        ):
            at = f"{where}, lesson {number}"
            for name, default in (("minutes", 15), ("optional", False)):
                if name in l_tr and l_tr[name] != l_src.get(name, default):
                    raise DemoContentError(f"{at}: {name} differs from French")
            if _blocks_validate(l_tr, at) != _blocks_validate(l_src, at):
                raise DemoContentError(f"{at}: blocks differ in kind or order from French")


# --- Quizzes ----------------------------------------------------------------------------------


def quiz_create(*, data: dict, purpose: str, locale: Locale, source: dict | None = None,
                translation_of: Quiz | None = None) -> Quiz:
    """A quiz with its questions and choices. For a translation, ``source`` (the French data)
    decides kinds, correct answers, pass mark and attempts; ``data`` gives the texts."""
    structure = source or data
    quiz = Quiz(
        title=data["title"], purpose=purpose, locale=locale,
        pass_mark=structure.get("pass_mark", 70), max_attempts=structure.get("max_attempts"),
        intro=data.get("intro", ""),
    )
    if translation_of is not None:
        quiz.translation_key = translation_of.translation_key
    questions = []
    for q_number, (q_text, q_struct) in enumerate(
        zip(data["questions"], structure["questions"], strict=True)
    ):
        question = Question(
            kind=q_struct.get("kind", "single"), text=q_text["text"],
            explanation=q_text.get("explanation", ""), sort_order=q_number,
        )
        question.choices = [
            Choice(
                text=c_text["text"], is_correct=bool(c_struct.get("correct")),
                feedback=c_text.get("feedback", ""), sort_order=c_number,
            )
            for c_number, (c_text, c_struct) in enumerate(
                zip(q_text["choices"], q_struct["choices"], strict=True)
            )
        ]
        questions.append(question)
    quiz.questions = questions
    quiz.save()
    return quiz


# --- Pages ------------------------------------------------------------------------------------


def _body(items) -> list[dict]:
    body = []
    for block_type, value in items or []:
        if block_type == "callout":
            value = {"kind": value.get("kind", "key_point"), "title": value.get("title", ""),
                     "text": value.get("text", "")}
        elif block_type == "example":
            value = {"title": value.get("title", ""), "situation": value.get("situation", ""),
                     "solution": value.get("solution", "")}
        body.append({"type": block_type, "value": value})
    return body


def _lines(values) -> str:
    if isinstance(values, str):
        return values
    return "\n".join(str(value) for value in values or [])


def _course_fields(text: dict) -> dict:
    return {
        "title": text["title"],
        "slug": text["slug"],
        "summary": text.get("summary", ""),
        "objectives": _lines(text.get("objectives")),
        "prerequisites": text.get("prerequisites", "") or "",
        "competencies": _lines(text.get("competencies")),
    }


def _lesson_texts(text: dict) -> dict:
    return {
        "title": text["title"],
        "slug": text["slug"],
        "summary": text.get("summary", ""),
        "body": _body(text.get("body")),
    }


def _lesson_fields(text: dict) -> dict:
    """A source lesson; translations copy minutes and the optional flag from it."""
    return {
        **_lesson_texts(text),
        "estimated_minutes": int(text.get("minutes", 15)),
        "is_optional": bool(text.get("optional")),
    }


def _course_source_create(module: dict, index: CourseIndexPage, locale: Locale) -> CoursePage:
    text = module["translations"][SOURCE]
    pre_test = final = None
    if text.get("pre_test"):
        pre_test = quiz_create(data=text["pre_test"], purpose=QuizPurpose.PRE_TEST, locale=locale)
    if text.get("final_assessment"):
        final = quiz_create(
            data=text["final_assessment"], purpose=QuizPurpose.FINAL, locale=locale
        )
    course = CoursePage(
        key=module["key"], locale=locale, topic=module["topic"],
        estimated_hours=Decimal(str(module.get("estimated_hours", 1))),
        enrolment_mode=module.get("enrolment_mode", "open"),
        pre_test=pre_test, final_assessment=final,
        **_course_fields(text),
    )
    course.audiences = list(AudienceTag.objects.filter(code__in=module.get("audiences", [])))
    index.add_child(instance=course)
    _publish(course)
    for lesson_text in text["lessons"]:
        quiz = None
        if lesson_text.get("quiz"):
            quiz = quiz_create(data=lesson_text["quiz"], purpose=QuizPurpose.CHECK, locale=locale)
        lesson = LessonPage(locale=locale, quiz=quiz, **_lesson_fields(lesson_text))
        course.add_child(instance=lesson)
        _publish(lesson)
    return course


def _course_translation_create(module: dict, course_fr: CoursePage, code: str,
                               locale: Locale) -> CoursePage:
    source, text = module["translations"][SOURCE], module["translations"][code]

    def translated_quiz(quiz_fr: Quiz | None, src: dict | None, data: dict | None):
        if quiz_fr is None or not data:
            return None
        existing = Quiz.objects.filter(translation_key=quiz_fr.translation_key, locale=locale)
        return existing.first() or quiz_create(
            data=data, purpose=quiz_fr.purpose, locale=locale, source=src, translation_of=quiz_fr
        )

    # Quizzes first: copying a page then points it at the quizzes of its own language.
    pre_test = translated_quiz(course_fr.pre_test, source.get("pre_test"), text.get("pre_test"))
    final = translated_quiz(course_fr.final_assessment, source.get("final_assessment"),
                            text.get("final_assessment"))
    course = course_fr.copy_for_translation(locale)
    for name, value in _course_fields(text).items():
        setattr(course, name, value)
    course.pre_test, course.final_assessment = pre_test, final
    _publish(course)
    lessons_fr = list(LessonPage.objects.child_of(course_fr).order_by("path"))
    for lesson_fr, l_src, l_text in zip(lessons_fr, source["lessons"], text["lessons"],
                                        strict=False):
        quiz = translated_quiz(lesson_fr.quiz, l_src.get("quiz"), l_text.get("quiz"))
        lesson = lesson_fr.copy_for_translation(locale)
        for name, value in _lesson_texts(l_text).items():
            setattr(lesson, name, value)
        lesson.quiz = quiz
        _publish(lesson)
    return course


def module_ensure(*, module: dict, indexes: dict[str, CourseIndexPage],
                  locales: dict[str, Locale], stdout=None) -> CoursePage:
    """Create one module (French, then each translation present) unless already there."""
    module_validate(module)
    with transaction.atomic():
        course_fr = CoursePage.objects.filter(key=module["key"], locale=locales[SOURCE]).first()
        if course_fr is None:
            course_fr = _course_source_create(module, indexes[SOURCE], locales[SOURCE])
            _write(stdout, f"  module {module['key']} (fr) created")
        for code in module["translations"]:
            if code == SOURCE or code not in locales or code not in indexes:
                continue
            if CoursePage.objects.filter(
                translation_key=course_fr.translation_key, locale=locales[code]
            ).exists():
                continue
            _course_translation_create(module, course_fr, code, locales[code])
            _write(stdout, f"  module {module['key']} ({code}) created")
    return course_fr


def load(stdout=None, modules: list[dict] | None = None, *,
         directory: Path | None = None) -> list[CoursePage]:
    """Load every module of ``courses/demo_content`` (or of ``directory``, or the given ones).

    Safe to run again. Every module is read and checked first: a broken one raises
    ``DemoContentError`` before anything is written.
    """
    if modules is None:
        modules = demo_content.modules(directory or demo_content.CONTENT_DIR)
    for module in modules:
        module_validate(module)
    home_fr = demo_site_ensure()
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    indexes = indexes_ensure(home_fr=home_fr, locales=locales)
    courses = [
        module_ensure(module=module, indexes=indexes, locales=locales, stdout=stdout)
        for module in modules
    ]
    _write(stdout, f"Training modules: {len(courses)} loaded.")
    return courses
