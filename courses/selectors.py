"""Reads for the courses app: shaped querysets and the context of each page.

Learner records point to source-locale (French) pages and quizzes; the page a learner reads may
be a translation. Selectors match the two by ``translation_key`` inside the query (never one
query per lesson), so a page costs the same number of queries with 5 or 50 lessons.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from wagtail.models import Page

from .models import (
    Audience,
    AudienceTag,
    Choice,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    LessonPage,
    LessonProgress,
    Question,
    Quiz,
    QuizAttempt,
    Topic,
)

STARTED_SALT = "courses.quiz.started"
SOURCE_LANGUAGE = settings.LANGUAGE_CODE  # "fr": learner records point to these pages
CONTENT_VERSION_KEY = "courses:content-version"
OUTLINE_TIMEOUT = 60 * 60 * 24


# --- Source-locale mapping --------------------------------------------------------------------


def source_page_get(*, page: Page) -> Page:
    """The source-locale (French) version of a page; the page itself if it has none."""
    model = page.specific_class or type(page)
    source = (
        model.objects.filter(
            translation_key=page.translation_key, locale__language_code=SOURCE_LANGUAGE
        ).first()
    )
    return source or page


def source_quiz_get(*, quiz: Quiz) -> Quiz:
    """The source-locale version of a quiz (attempts are recorded against it)."""
    source = Quiz.objects.filter(
        translation_key=quiz.translation_key, locale__language_code=SOURCE_LANGUAGE
    ).first()
    return source or quiz


# --- Course outline (content only, cached like Open edX's block structures) -------------------


@dataclass(frozen=True)
class LessonEntry:
    id: int
    key: str  # translation_key, shared with the source lesson
    title: str
    url: str
    minutes: int
    is_optional: bool


@dataclass(frozen=True)
class CourseOutline:
    lessons: tuple[LessonEntry, ...]

    @property
    def required_count(self) -> int:
        return sum(1 for lesson in self.lessons if not lesson.is_optional)

    @property
    def minutes(self) -> int:
        return sum(lesson.minutes for lesson in self.lessons)

    def index_of(self, key: str) -> int | None:
        for position, lesson in enumerate(self.lessons):
            if lesson.key == key:
                return position
        return None


def _content_version() -> int:
    return cache.get_or_set(CONTENT_VERSION_KEY, 1, None)


def content_version_bump(**kwargs) -> None:
    """Invalidate every cached outline (called when pages or quizzes change)."""
    try:
        cache.incr(CONTENT_VERSION_KEY)
    except ValueError:
        cache.set(CONTENT_VERSION_KEY, 2, None)


def connect_cache_invalidation() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(content_version_bump, dispatch_uid=f"courses-outline-{id(signal)}")
    for model in (Page, CoursePage, LessonPage, Quiz):
        post_delete.connect(content_version_bump, sender=model,
                            dispatch_uid=f"courses-outline-delete-{model.__name__}")
    post_save.connect(content_version_bump, sender=Quiz, dispatch_uid="courses-outline-quiz")


def lesson_queryset_for_course(*, course: Page) -> QuerySet[LessonPage]:
    """The live lessons of a module in its own locale, in editorial order, fields for lists."""
    return (
        LessonPage.objects.child_of(course).live()
        .order_by("path")
        .only("id", "title", "url_path", "translation_key", "estimated_minutes", "is_optional")
    )


def course_outline(*, course: Page, request=None) -> CourseOutline:
    """The ordered lessons of a module, cached until any page or quiz is published or changed."""
    cache_key = f"courses:outline:{course.pk}:{_content_version()}"
    outline = cache.get(cache_key)
    if outline is None:
        outline = CourseOutline(lessons=tuple(
            LessonEntry(
                id=lesson.pk, key=str(lesson.translation_key), title=lesson.title,
                url=lesson.get_url(request), minutes=lesson.estimated_minutes,
                is_optional=lesson.is_optional,
            )
            for lesson in lesson_queryset_for_course(course=course)
        ))
        cache.set(cache_key, outline, OUTLINE_TIMEOUT)
    return outline


# --- Learner state ----------------------------------------------------------------------------


@dataclass
class LearnerState:
    """What the current learner has done in one module (and in one lesson's quiz)."""

    authenticated: bool = False
    enrolment_id: int | None = None
    status: str | None = None
    last_lesson_key: str | None = None
    done_required: int = 0
    required: int = 0
    lesson_done: bool = False
    done_keys: set[str] = field(default_factory=set)
    attempts: int = 0
    best_score: Decimal | None = None
    passed: bool = False

    @property
    def is_enrolled(self) -> bool:
        return self.status in (EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED)

    @property
    def is_completed(self) -> bool:
        return self.status == EnrolmentStatus.COMPLETED

    @property
    def is_withdrawn(self) -> bool:
        return self.status == EnrolmentStatus.WITHDRAWN

    @property
    def percent(self) -> int:
        return progress_percent(done=self.done_required, required=self.required)


def progress_percent(*, done: int, required: int) -> int:
    if required <= 0:
        return 0
    return min(100, int(done * 100 / required))


def _count(queryset: QuerySet) -> Subquery:
    """A scalar subquery counting a queryset's rows (0, never NULL)."""
    return Coalesce(
        Subquery(
            queryset.order_by().annotate(_one=Value(1)).values("_one")
            .annotate(n=Count("*")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _required_lessons_of_outer_course() -> QuerySet[LessonPage]:
    return LessonPage.objects.filter(
        path__startswith=OuterRef("course__path"),
        depth=OuterRef("course__depth") + 1,
        live=True,
        is_optional=False,
    )


def enrolments_annotated(*, user) -> QuerySet[Enrolment]:
    """A learner's enrolments with progress counts (required and done lessons) in SQL."""
    required = _required_lessons_of_outer_course()
    done = LessonProgress.objects.filter(
        user=user,
        lesson__path__startswith=OuterRef("course__path"),
        lesson__depth=OuterRef("course__depth") + 1,
        lesson__live=True,
        lesson__is_optional=False,
    )
    return Enrolment.objects.filter(user=user).annotate(
        required_count=_count(required),
        done_count=_count(done),
        last_lesson_key=F("last_lesson__translation_key"),
    )


# The learner state of a lesson page, in one statement. Written in SQL because the ORM took
# longer to *compile* this query (about 5 ms, with its correlated subqueries) than the database
# took to run it or the page took to render; it is standard SQL for PostgreSQL and SQLite.
_LEARNER_STATE_SQL = """
SELECT e.id, e.status, last.translation_key,
  (SELECT COUNT(*) FROM {lesson} l JOIN {page} p ON p.id = l.page_ptr_id
    WHERE p.path LIKE c.path || '%%' AND p.depth = c.depth + 1 AND p.live
      AND NOT l.is_optional),
  (SELECT COUNT(*) FROM {progress} pr JOIN {lesson} l ON l.page_ptr_id = pr.lesson_id
      JOIN {page} p ON p.id = l.page_ptr_id
    WHERE pr.user_id = %s AND p.path LIKE c.path || '%%' AND p.depth = c.depth + 1 AND p.live
      AND NOT l.is_optional),
  EXISTS (SELECT 1 FROM {progress} pr JOIN {page} p ON p.id = pr.lesson_id
    WHERE pr.user_id = %s AND p.translation_key = %s),
  (SELECT COUNT(*) FROM {attempt} a JOIN {quiz} q ON q.id = a.quiz_id
    WHERE a.user_id = %s AND q.translation_key = %s),
  (SELECT MAX(a.score) FROM {attempt} a JOIN {quiz} q ON q.id = a.quiz_id
    WHERE a.user_id = %s AND q.translation_key = %s),
  EXISTS (SELECT 1 FROM {attempt} a JOIN {quiz} q ON q.id = a.quiz_id
    WHERE a.user_id = %s AND q.translation_key = %s AND a.passed)
FROM {enrolment} e
JOIN {page} c ON c.id = e.course_id
LEFT JOIN {page} last ON last.id = e.last_lesson_id
WHERE e.user_id = %s AND c.translation_key = %s
"""


def _uuid_param(value):
    """A translation key as the database stores it (uuid on PostgreSQL, hex on SQLite)."""
    if value is None:
        return None
    field = Page._meta.get_field("translation_key")
    return field.get_db_prep_value(field.to_python(value), connection)


def learner_state_get(
    *, user, course_key, lesson_key=None, quiz_key=None, with_done_keys: bool = False
) -> LearnerState:
    """One query for the learner's enrolment, progress and (optionally) one quiz's attempts."""
    if not user.is_authenticated:
        return LearnerState()
    sql = _LEARNER_STATE_SQL.format(
        lesson=LessonPage._meta.db_table, page=Page._meta.db_table,
        progress=LessonProgress._meta.db_table, attempt=QuizAttempt._meta.db_table,
        quiz=Quiz._meta.db_table, enrolment=Enrolment._meta.db_table,
    )
    lesson, quiz, course = (
        _uuid_param(lesson_key), _uuid_param(quiz_key), _uuid_param(course_key)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, user.pk, lesson, user.pk, quiz, user.pk, quiz, user.pk,
                             quiz, user.pk, course])
        row = cursor.fetchone()
    state = LearnerState(authenticated=True)
    if row is None:
        return state
    (state.enrolment_id, state.status, last_key, state.required, state.done_required,
     lesson_done, attempts, best, passed) = row
    state.last_lesson_key = str(Page._meta.get_field("translation_key").to_python(last_key)) \
        if last_key else None
    state.lesson_done = bool(lesson_done)
    state.attempts = attempts or 0
    state.best_score = Decimal(str(best)).quantize(Decimal("0.01")) if best is not None else None
    state.passed = bool(passed)
    if with_done_keys:
        state.done_keys = {
            str(key) for key in LessonProgress.objects.filter(
                user=user, lesson__path__startswith=_source_course_path(course_key)
            ).values_list("lesson__translation_key", flat=True)
        }
    return state


def _source_course_path(course_key) -> Subquery:
    return Subquery(
        CoursePage.objects.filter(
            translation_key=course_key, locale__language_code=SOURCE_LANGUAGE
        ).values("path")[:1]
    )


def quiz_attempt_stats(*, user, quiz: Quiz) -> dict:
    """Attempts used and best score on a quiz, whatever language it was answered in."""
    if not user.is_authenticated:
        return {"count": 0, "best": None, "passed": False}
    attempts = QuizAttempt.objects.filter(user=user, quiz__translation_key=quiz.translation_key)
    stats = attempts.aggregate(count=Count("pk"), best=Max("score"))
    stats["passed"] = attempts.filter(passed=True).exists()
    return stats


def quiz_questions(*, quiz: Quiz) -> QuerySet[Question]:
    """Questions in order with their choices in order (two queries when evaluated)."""
    return quiz.questions.order_by("sort_order", "pk").prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("sort_order", "pk"))
    )


def quiz_started_token() -> str:
    """A signed timestamp put in quiz forms: when the learner started the attempt."""
    return signing.dumps(int(time.time()), salt=STARTED_SALT)


# --- Page contexts ----------------------------------------------------------------------------


def attempts_left(quiz: Quiz | None, used: int) -> int | None:
    if quiz is None or quiz.max_attempts is None:
        return None
    return max(0, quiz.max_attempts - used)


def lesson_page_context(*, lesson: LessonPage, request) -> dict:
    """Everything the lesson template shows: position, neighbours, progress and its quiz."""
    course = lesson.get_parent()  # set by CourseIndexPage.route: no query when served
    if not isinstance(course, CoursePage):  # previews are not routed
        course = course.specific
    outline = course_outline(course=course, request=request)
    key = str(lesson.translation_key)
    position = outline.index_of(key)
    previous_lesson = next_lesson = None
    if position is not None:
        previous_lesson = outline.lessons[position - 1] if position > 0 else None
        next_lesson = outline.lessons[position + 1] if position + 1 < len(outline.lessons) else None
    quiz = lesson.quiz
    learner = learner_state_get(
        user=request.user, course_key=course.translation_key, lesson_key=lesson.translation_key,
        quiz_key=quiz.translation_key if quiz else None,
    )
    return {
        "course": course,
        "outline": outline,
        "position": (position or 0) + 1,
        "previous_lesson": previous_lesson,
        "next_lesson": next_lesson,
        "learner": learner,
        "quiz": quiz,
        "quiz_questions": quiz_questions(quiz=quiz) if quiz else None,
        "attempts_left": attempts_left(quiz, learner.attempts),
        "next_attempt": learner.attempts + 1,
        "started_token": quiz_started_token() if quiz else "",
    }


def course_page_context(*, course: CoursePage, user) -> dict:
    """The module page: outline with the learner's ticks, resume link and assessments."""
    outline = course_outline(course=course)
    learner = learner_state_get(user=user, course_key=course.translation_key, with_done_keys=True)
    resume = None
    if learner.is_enrolled and outline.lessons:
        keys = [lesson.key for lesson in outline.lessons]
        if learner.last_lesson_key in keys and learner.last_lesson_key not in learner.done_keys:
            resume = outline.lessons[keys.index(learner.last_lesson_key)]
        else:
            resume = next(
                (lesson for lesson in outline.lessons if lesson.key not in learner.done_keys),
                None,
            )
            if resume is None and learner.last_lesson_key in keys:
                resume = outline.lessons[keys.index(learner.last_lesson_key)]
    final_stats = (
        quiz_attempt_stats(user=user, quiz=course.final_assessment)
        if course.final_assessment and learner.is_enrolled else None
    )
    return {
        "outline": outline,
        "learner": learner,
        "resume": resume,
        "audiences": list(course.audiences.all()),
        "languages": [
            {"code": code, "name": dict(settings.LANGUAGES).get(code, code)}
            for code in course_languages(keys=[course.translation_key]).get(
                str(course.translation_key), []
            )
        ],
        "final_stats": final_stats,
        "final_attempts_left": attempts_left(
            course.final_assessment, final_stats["count"] if final_stats else 0
        ),
    }


def course_languages(*, keys) -> dict[str, list[str]]:
    """Live language versions of each module, by translation key: {"<key>": ["fr", "en"]}."""
    result: dict[str, list[str]] = {}
    order = [code for code, _ in settings.LANGUAGES]
    rows = (
        CoursePage.objects.filter(translation_key__in=keys).live()
        .values_list("translation_key", "locale__language_code")
    )
    for key, code in rows:
        result.setdefault(str(key), []).append(code)
    for codes in result.values():
        codes.sort(key=lambda code: order.index(code) if code in order else 99)
    return result


def catalogue_courses(
    *, index: CourseIndexPage, audience: str = "", topic: str = "", query: str = ""
) -> list[CoursePage]:
    """Live modules of one catalogue, filtered, with audiences and languages attached."""
    courses = CoursePage.objects.child_of(index).live()
    if audience:
        courses = courses.filter(audiences__code=audience)
    if topic:
        courses = courses.filter(topic=topic)
    if query:
        # A module matches on its own text or on the text of one of its lessons.
        matching = [page.pk for page in CoursePage.objects.child_of(index).live().search(query)]
        lesson_parents = {
            lesson.path[: -LessonPage.steplen]
            for lesson in LessonPage.objects.descendant_of(index).live().search(query)
        }
        courses = courses.filter(Q(pk__in=matching) | Q(path__in=lesson_parents))
    courses = list(
        courses.order_by("path").defer_streamfields()
        .prefetch_related(Prefetch("audiences", queryset=AudienceTag.objects.order_by("id")))
    )
    languages = course_languages(keys=[course.translation_key for course in courses])
    names = dict(settings.LANGUAGES)
    for course in courses:
        course.languages = [
            {"code": code, "name": names.get(code, code)}
            for code in languages.get(str(course.translation_key), [])
        ]
    return courses


def search_terms(raw: str) -> str:
    """Words only: full-text backends choke on quotes, operators and NUL bytes people type."""
    words = re.sub(r"[^\w'’-]+", " ", raw, flags=re.UNICODE).split()
    return " ".join(words)[:100]


def catalogue_context(*, index: CourseIndexPage, params) -> dict:
    audience = params.get("audience", "")
    topic = params.get("topic", "")
    query = search_terms(params.get("q", ""))
    if audience not in Audience.values:
        audience = ""
    if topic not in Topic.values:
        topic = ""
    return {
        "courses": catalogue_courses(index=index, audience=audience, topic=topic, query=query),
        "audience_choices": Audience.choices,
        "topic_choices": Topic.choices,
        "selected_audience": audience,
        "selected_topic": topic,
        "search_query": query,
        "filtered": bool(audience or topic or query),
    }


def catalogue_page_for_language(*, language: str | None = None) -> CourseIndexPage | None:
    """The catalogue in the current language, or in the source language if missing."""
    language = language or get_language() or SOURCE_LANGUAGE
    indexes = CourseIndexPage.objects.live().filter(
        locale__language_code__in=[language, SOURCE_LANGUAGE]
    ).select_related("locale")
    found = {index.locale.language_code: index for index in indexes}
    return found.get(language) or found.get(SOURCE_LANGUAGE)


@dataclass
class LearningRow:
    enrolment: Enrolment
    title: str
    url: str | None
    resume_title: str | None
    resume_url: str | None
    percent: int
    done: int
    required: int


def my_learning_rows(*, user, request=None) -> list[LearningRow]:
    """The learner's enrolments with progress and a resume link in the current language.

    Three queries whatever the number of enrolments: enrolments with counts, then the pages
    to link to (modules and resume lessons) in the reader's language, then source fallbacks.
    """
    first_incomplete = LessonPage.objects.filter(
        path__startswith=OuterRef("course__path"),
        depth=OuterRef("course__depth") + 1,
        live=True,
    ).exclude(
        Exists(LessonProgress.objects.filter(user=user, lesson=OuterRef("pk")))
    ).order_by("path").values("translation_key")[:1]
    enrolments = list(
        enrolments_annotated(user=user)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .annotate(
            first_incomplete_key=Subquery(first_incomplete),
            last_lesson_done=Exists(
                LessonProgress.objects.filter(user=user, lesson=OuterRef("last_lesson"))
            ),
        )
        .select_related("course")
        .only("id", "status", "enrolled_at", "completed_at", "final_score", "last_lesson_id",
              "course__id", "course__title", "course__url_path", "course__translation_key")
        .order_by("-enrolled_at", "-pk")
    )
    keys = set()
    for enrolment in enrolments:
        keys.add(enrolment.course.translation_key)
        for key in (enrolment.last_lesson_key, enrolment.first_incomplete_key):
            if key:
                keys.add(key)
    language = get_language() or SOURCE_LANGUAGE
    localized = {}
    if keys:
        pages = (
            Page.objects.live().filter(
                translation_key__in=keys, locale__language_code=language
            ).only("id", "title", "url_path", "translation_key")
        )
        localized = {str(page.translation_key): page for page in pages}
    rows = []
    for enrolment in enrolments:
        course_page = localized.get(str(enrolment.course.translation_key), enrolment.course)
        # Resume where the learner left off, unless that lesson is done: then the first one
        # not done yet (or the last one read, once everything is done).
        if enrolment.last_lesson_key and not enrolment.last_lesson_done:
            resume_key = enrolment.last_lesson_key
        else:
            resume_key = enrolment.first_incomplete_key or enrolment.last_lesson_key
        resume_page = localized.get(str(resume_key)) if resume_key else None
        rows.append(LearningRow(
            enrolment=enrolment,
            title=course_page.title,
            url=course_page.get_url(request),
            resume_title=resume_page.title if resume_page else None,
            resume_url=resume_page.get_url(request) if resume_page else None,
            percent=progress_percent(done=enrolment.done_count, required=enrolment.required_count),
            done=enrolment.done_count,
            required=enrolment.required_count,
        ))
    return rows


def attempt_get_for_user(*, user, pk: int) -> QuizAttempt:
    """An attempt of the current learner (404 for anyone else's)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        QuizAttempt.objects.select_related("quiz", "answered_quiz"), pk=pk, user=user
    )


def attempt_review(*, attempt: QuizAttempt, reveal: bool) -> list[dict]:
    """Per-question review of a stored attempt. Correct answers are shown only if ``reveal``."""
    quiz = attempt.answered_quiz or attempt.quiz
    answers = {int(key): set(value) for key, value in attempt.answers.items()}
    review = []
    for question in quiz_questions(quiz=quiz):
        selected = answers.get(question.pk, set())
        choices = list(question.choices.all())
        correct_ids = {choice.pk for choice in choices if choice.is_correct}
        review.append({
            "question": question,
            "correct": selected == correct_ids,
            "choices": [
                {"choice": choice, "selected": choice.pk in selected,
                 "is_correct": reveal and choice.is_correct}
                for choice in choices
            ],
        })
    return review
