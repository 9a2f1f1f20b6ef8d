"""Reads for the courses app: shaped querysets and the context of each page.

Learner records point to source-locale (French) pages and quizzes; the page a learner reads may
be a translation. Selectors match the two by ``translation_key`` inside the query (never one
query per lesson), so a page costs the same number of queries with 5 or 50 lessons.
"""

from __future__ import annotations

import functools
import hashlib
import re
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
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
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
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
    QuestionKind,
    Quiz,
    QuizAttempt,
    Topic,
)
from .progress import (
    Outcome,
    Progress,
    ProgressLinks,
    outcomes_for,
    progress_of,
    requirements_for,
    requirements_for_many,
)

STARTED_SALT = "courses.quiz.started"
SOURCE_LANGUAGE = settings.LANGUAGE_CODE  # "fr": learner records point to these pages
CONTENT_VERSION_KEY = "courses:content-version"
OUTLINE_TIMEOUT = 60 * 60 * 24


# --- Source-locale mapping --------------------------------------------------------------------


def _in_source_locale(obj) -> bool:
    """The object is itself in the source locale, as known without a query (its locale was
    read with it, e.g. ``select_related("locale")``)."""
    field = obj._meta.get_field("locale")
    return field.is_cached(obj) and obj.locale.language_code == SOURCE_LANGUAGE


def source_page_get(*, page: Page) -> Page:
    """The source-locale (French) version of a page; the page itself if it has none."""
    if _in_source_locale(page):
        return page
    model = page.specific_class or type(page)
    source = (
        model.objects.filter(
            translation_key=page.translation_key, locale__language_code=SOURCE_LANGUAGE
        ).first()
    )
    return source or page


def source_quiz_get(*, quiz: Quiz) -> Quiz:
    """The source-locale version of a quiz (attempts are recorded against it)."""
    if _in_source_locale(quiz):
        return quiz
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

    def previous_before(self, key: str) -> LessonEntry | None:
        position = self.index_of(key)
        return self.lessons[position - 1] if position else None

    def next_after(self, key: str) -> LessonEntry | None:
        """The lesson after this one in editorial order: "next lesson", everywhere."""
        position = self.index_of(key)
        if position is None or position + 1 >= len(self.lessons):
            return None
        return self.lessons[position + 1]


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


def module_by_url_path(*, url_path: str) -> CoursePage | None:
    """The module at this URL path (live or not: routing decides), cached like outlines until
    any page or quiz is published, unpublished, moved or deleted."""
    digest = hashlib.sha1(url_path.encode(), usedforsecurity=False).hexdigest()
    cache_key = f"courses:module:{_content_version()}:{digest}"
    course = cache.get(cache_key)
    if course is None:
        course = CoursePage.objects.filter(url_path=url_path).first()
        if course is not None:
            cache.set(cache_key, course, OUTLINE_TIMEOUT)
    return course


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
    """What the current learner has done in one module (and in one lesson and its quiz)."""

    authenticated: bool = False
    enrolment: Enrolment | None = None
    progress: Progress | None = None
    resume: LessonEntry | None = None
    outcomes: list[Outcome] = field(default_factory=list)
    lesson_done: bool = False
    done_keys: set[str] = field(default_factory=set)
    attempts: int = 0
    best_score: Decimal | None = None
    passed: bool = False

    @property
    def enrolment_id(self) -> int | None:
        return self.enrolment.pk if self.enrolment else None

    @property
    def is_enrolled(self) -> bool:
        return self.enrolment is not None and not self.enrolment.is_withdrawn

    @property
    def is_active(self) -> bool:
        return self.enrolment is not None and self.enrolment.is_active

    @property
    def is_completed(self) -> bool:
        return self.enrolment is not None and self.enrolment.is_completed

    @property
    def is_withdrawn(self) -> bool:
        return self.enrolment is not None and self.enrolment.is_withdrawn

    @property
    def has_started(self) -> bool:
        enrolment = self.enrolment
        return enrolment is not None and bool(
            enrolment.progress_done or enrolment.progress_last_lesson_key
        )

    @property
    def percent(self) -> int:
        return self.progress.percent if self.progress else 0


def resume_lesson_key(*, enrolment: Enrolment) -> str | None:
    """Where "Resume" leads (annotated enrolment): the lesson last read if it is not done yet,
    else the first lesson not done; None when every lesson is done or the module completed
    (the page then shows what is missing, or the outcome and "review the lessons")."""
    if enrolment.is_completed:
        return None
    if enrolment.progress_last_lesson_key and not enrolment.progress_last_lesson_done:
        return str(enrolment.progress_last_lesson_key)
    first = enrolment.progress_first_undone_key
    return str(first) if first else None


def final_assessment_url(*, course: CoursePage) -> str | None:
    """The quiz page of a module's final assessment (``course`` in the reader's language)."""
    if course.final_assessment_id is None:
        return None
    return reverse("courses:quiz", args=[course.pk, course.final_assessment_id])


# The learner state of a page is one query built from ``with_progress()``. Building and
# compiling that queryset costs more than running it, on every page; so it is compiled once per
# process with stand-in values, whose parameters are swapped for the real ones at each call.
_STAND_IN_USER = -7_654_321_987
_STAND_IN_KEYS = {
    "course": uuid.UUID("00000000-0000-4000-8000-00000000c0c0"),
    "lesson": uuid.UUID("00000000-0000-4000-8000-00000000fefe"),
    "quiz": uuid.UUID("00000000-0000-4000-8000-00000000abab"),
}
_LEARNER_COLUMNS = (
    "id", "user_id", "course_id", "status", "last_lesson_id", "course__path", "course__depth",
    "progress_required", "progress_done", "progress_first_required_undone_key",
    "progress_first_undone_key", "progress_last_lesson_key", "progress_last_lesson_done",
    "progress_final_quiz_id", "progress_final_pass_mark", "progress_final_best",
)


@functools.lru_cache(maxsize=8)
def _learner_state_sql(*, with_lesson: bool, with_quiz: bool) -> tuple[str, tuple, tuple]:
    user_id, keys = _STAND_IN_USER, _STAND_IN_KEYS
    enrolments = Enrolment.objects.with_progress().filter(
        user_id=user_id, course__translation_key=keys["course"]
    )
    columns = list(_LEARNER_COLUMNS)
    if with_lesson:
        enrolments = enrolments.annotate(lesson_done=Exists(LessonProgress.objects.filter(
            user_id=user_id, lesson__translation_key=keys["lesson"]
        )))
        columns.append("lesson_done")
    if with_quiz:
        attempts = QuizAttempt.objects.filter(user_id=user_id, quiz__translation_key=keys["quiz"])
        enrolments = enrolments.annotate(
            quiz_attempts=_count(attempts),
            quiz_best=Subquery(
                attempts.order_by().values("user").annotate(best=Max("score")).values("best")[:1]
            ),
            quiz_passed=Exists(attempts.filter(passed=True)),
        )
        columns += ["quiz_attempts", "quiz_best", "quiz_passed"]
    sql, params = enrolments.values(*columns).order_by()[:1].query.sql_with_params()
    return sql, tuple(params), tuple(columns)


def stand_ins_swapped(params, *, user_id: int, keys: dict) -> list:
    """The parameters of a statement compiled with the stand-in user and keys above, with the
    real ones in their place (``keys``: "course", "lesson", "quiz" → a UUID or None)."""
    swap = {_STAND_IN_USER: user_id}
    for name, real in keys.items():
        if real is not None:
            real = uuid.UUID(str(real))
            swap[_STAND_IN_KEYS[name]] = real
            swap[_STAND_IN_KEYS[name].hex] = real.hex
            swap[str(_STAND_IN_KEYS[name])] = str(real)
    return [swap.get(param, param) if isinstance(param, int | str | uuid.UUID) else param
            for param in params]


def _as_key(value) -> str | None:
    return None if value is None else str(uuid.UUID(str(value)))


def _learner_enrolment(*, user_id: int, course_key, lesson_key=None, quiz_key=None):
    """The learner's enrolment in a module with ``with_progress()`` annotations (and one
    lesson's and quiz's state), or None: one query, compiled once per process."""
    sql, params, columns = _learner_state_sql(
        with_lesson=lesson_key is not None, with_quiz=quiz_key is not None
    )
    values = stand_ins_swapped(params, user_id=user_id, keys={
        "course": course_key, "lesson": lesson_key, "quiz": quiz_key})
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return None
    data = dict(zip(columns, row, strict=True))
    enrolment = Enrolment(
        id=data["id"], user_id=data["user_id"], course_id=data["course_id"],
        status=data["status"], last_lesson_id=data["last_lesson_id"],
    )
    enrolment._state.adding, enrolment._state.db = False, "default"
    enrolment.course_path, enrolment.course_depth = data["course__path"], data["course__depth"]
    enrolment.progress_required = data["progress_required"] or 0
    enrolment.progress_done = data["progress_done"] or 0
    for name in ("progress_first_required_undone_key", "progress_first_undone_key",
                 "progress_last_lesson_key"):
        setattr(enrolment, name, _as_key(data[name]))
    enrolment.progress_last_lesson_done = bool(data["progress_last_lesson_done"])
    enrolment.progress_final_quiz_id = data["progress_final_quiz_id"]
    enrolment.progress_final_pass_mark = data["progress_final_pass_mark"]
    best = data["progress_final_best"]
    enrolment.progress_final_best = (
        Decimal(str(best)).quantize(Decimal("0.01")) if best is not None else None
    )
    enrolment.lesson_done = bool(data.get("lesson_done"))
    enrolment.quiz_attempts = data.get("quiz_attempts") or 0
    enrolment.quiz_best = data.get("quiz_best")
    enrolment.quiz_passed = bool(data.get("quiz_passed"))
    return enrolment


def learner_state_get(
    *, user, course: CoursePage, outline: CourseOutline, lesson: LessonPage | None = None,
    quiz: Quiz | None = None, with_done_keys: bool = False, with_outcomes: bool = False,
) -> LearnerState:
    """The learner's enrolment with its progress and (optionally) one lesson's and one quiz's
    state, in one query; ``course`` and ``outline`` are in the reader's language."""
    if not user.is_authenticated:
        return LearnerState()
    enrolment = _learner_enrolment(
        user_id=user.pk, course_key=course.translation_key,
        lesson_key=lesson.translation_key if lesson is not None else None,
        quiz_key=quiz.translation_key if quiz is not None else None,
    )
    state = LearnerState(authenticated=True, enrolment=enrolment)
    if enrolment is None:
        return state
    final_url = final_assessment_url(course=course)
    links = ProgressLinks(
        lesson_urls={entry.key: entry.url for entry in outline.lessons},
        final_urls={enrolment.pk: final_url} if final_url else {},
    )
    state.progress = progress_of(requirements_for(enrolment, links=links))
    resume_key = resume_lesson_key(enrolment=enrolment)
    position = outline.index_of(resume_key) if resume_key else None
    state.resume = outline.lessons[position] if position is not None else None
    state.lesson_done = bool(getattr(enrolment, "lesson_done", False))
    state.attempts = getattr(enrolment, "quiz_attempts", 0) or 0
    best = getattr(enrolment, "quiz_best", None)
    state.best_score = Decimal(str(best)).quantize(Decimal("0.01")) if best is not None else None
    state.passed = bool(getattr(enrolment, "quiz_passed", False))
    if with_done_keys:
        state.done_keys = {
            str(key) for key in LessonProgress.objects.filter(
                user=user, lesson__path__startswith=enrolment.course_path,
                lesson__depth=enrolment.course_depth + 1,
            ).values_list("lesson__translation_key", flat=True)
        }
    if with_outcomes:
        state.outcomes = outcomes_for(user=user, enrolments=[enrolment])[enrolment.pk]
    return state


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


def quiz_started_at(token: str) -> datetime | None:
    """When the attempt started, from :func:`quiz_started_token` (None if forged or stale)."""
    try:
        value = signing.loads(token, salt=STARTED_SALT, max_age=60 * 60 * 24)
    except (signing.BadSignature, TypeError):
        return None
    return datetime.fromtimestamp(int(value), tz=UTC)


def quiz_answers_from_post(post) -> dict[str, list[str]]:
    """The answers of a quiz form (``q-<question id>`` fields), online or replayed offline."""
    return {name.removeprefix("q-"): post.getlist(name) for name in post if name.startswith("q-")}


# --- Page contexts ----------------------------------------------------------------------------


def attempts_left(quiz: Quiz | None, used: int) -> int | None:
    if quiz is None or quiz.max_attempts is None:
        return None
    return max(0, quiz.max_attempts - used)


def lesson_page_context(*, lesson: LessonPage, request, module: CoursePage | None = None) -> dict:
    """Everything the lesson template shows: position, neighbours, progress and its quiz.

    ``module`` is handed over by ``CoursePage.route``; previews are not routed and look it up.
    """
    course = module if module is not None else lesson.get_parent().specific
    outline = course_outline(course=course, request=request)
    key = str(lesson.translation_key)
    position = outline.index_of(key)
    quiz = lesson.quiz
    learner = learner_state_get(
        user=request.user, course=course, outline=outline, lesson=lesson, quiz=quiz,
    )
    return {
        "course": course,
        "outline": outline,
        "position": (position or 0) + 1,
        "previous_lesson": outline.previous_before(key),
        "next_lesson": outline.next_after(key),
        "learner": learner,
        "quiz": quiz,
        "quiz_questions": quiz_questions(quiz=quiz) if quiz else None,
        "attempts_left": attempts_left(quiz, learner.attempts),
        "next_attempt": learner.attempts + 1,
        "started_token": quiz_started_token() if quiz else "",
        "idempotency_key": idempotency_key_new(),
    }


def idempotency_key_new() -> str:
    """A fresh key for a learner write form: replaying the form's request changes nothing."""
    return str(uuid.uuid4())


def course_page_context(*, course: CoursePage, user) -> dict:
    """The module page: outline with the learner's ticks, progress, resume link, outcomes."""
    outline = course_outline(course=course)
    learner = learner_state_get(
        user=user, course=course, outline=outline, with_done_keys=True, with_outcomes=True,
    )
    final_stats = (
        quiz_attempt_stats(user=user, quiz=course.final_assessment)
        if course.final_assessment and learner.is_enrolled else None
    )
    return {
        "outline": outline,
        "learner": learner,
        "resume": learner.resume,
        "review_url": outline.lessons[0].url if outline.lessons else None,
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
        "pre_test_is_diagnostic": bool(course.pre_test and course.pre_test.is_diagnostic),
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
        course.audience_tags = list(course.audiences.all())
        course.languages = [
            {"code": code, "name": names.get(code, code)}
            for code in languages.get(str(course.translation_key), [])
        ]
    return courses


def catalogue_elsewhere(*, index: CourseIndexPage, request=None) -> list[dict]:
    """Modules with no version in this catalogue's language, with links to the versions that
    exist: [{"title", "code", "versions": [{"code", "name", "url"}]}] (one query)."""
    here = CoursePage.objects.live().filter(locale_id=index.locale_id).values("translation_key")
    others = (
        CoursePage.objects.live().exclude(locale_id=index.locale_id)
        .exclude(translation_key__in=here)
        .annotate(language=F("locale__language_code"))
        .only("id", "title", "url_path", "translation_key", "locale_id", "path")
    )
    order = [code for code, _ in settings.LANGUAGES]
    names = dict(settings.LANGUAGES)
    grouped: dict[str, list] = {}
    for page in others:
        grouped.setdefault(str(page.translation_key), []).append(page)
    modules = []
    for pages in grouped.values():
        pages.sort(key=lambda page: order.index(page.language) if page.language in order else 99)
        modules.append({
            "title": pages[0].title,
            "code": pages[0].language,
            "versions": [
                {"code": page.language, "name": names.get(page.language, page.language),
                 "url": page.get_url(request)}
                for page in pages
            ],
        })
    modules.sort(key=lambda module: module["title"])
    return modules


def search_terms(raw: str) -> str:
    """Words only: full-text backends choke on quotes, operators and NUL bytes people type."""
    words = re.sub(r"[^\w'’-]+", " ", raw, flags=re.UNICODE).split()
    return " ".join(words)[:100]


def catalogue_context(*, index: CourseIndexPage, params, request=None) -> dict:
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
        "elsewhere": [] if audience or topic or query else catalogue_elsewhere(
            index=index, request=request
        ),
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
    review_url: str | None
    progress: Progress
    outcomes: list[Outcome]

    @property
    def percent(self) -> int:
        return self.progress.percent


def my_learning_rows(*, user, request=None) -> list[LearningRow]:
    """The learner's enrolments with their requirements, resume link and outcomes, in the
    current language.

    A constant number of queries whatever the number of enrolments: enrolments with progress,
    the pages to link to in the reader's language (lessons, then modules), and one query per
    registered requirement and outcome provider.
    """
    enrolments = list(
        Enrolment.objects.with_progress().filter(user=user)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("course")
        .only("id", "user_id", "status", "enrolled_at", "completed_at", "final_score",
              "last_lesson_id", "course__id", "course__title", "course__url_path",
              "course__translation_key", "course__path", "course__depth",
              "course__final_assessment_id")
        .order_by("-enrolled_at", "-pk")
    )
    if not enrolments:
        return []
    language = get_language() or SOURCE_LANGUAGE
    lesson_keys = set()
    for enrolment in enrolments:
        for key in (resume_lesson_key(enrolment=enrolment),
                    enrolment.progress_first_required_undone_key,
                    enrolment.progress_first_undone_key):
            if key:
                lesson_keys.add(str(key))
    lessons = _pages_in_language(
        LessonPage.objects.live().filter(translation_key__in=lesson_keys)
        .only("id", "title", "url_path", "translation_key", "locale_id"),
        language=language,
    ) if lesson_keys else {}
    courses = _pages_in_language(
        CoursePage.objects.live().filter(
            translation_key__in={enrolment.course.translation_key for enrolment in enrolments}
        ).only("id", "title", "url_path", "translation_key", "locale_id", "final_assessment_id",
               "path", "depth"),
        language=language,
    )
    lesson_urls = {key: page.get_url(request) for key, page in lessons.items()}
    final_urls = {}
    for enrolment in enrolments:
        course_page = courses.get(str(enrolment.course.translation_key))
        if course_page is not None:
            url = final_assessment_url(course=course_page)
            if url:
                final_urls[enrolment.pk] = url
    links = ProgressLinks(lesson_urls=lesson_urls, final_urls=final_urls)
    requirements = requirements_for_many(enrolments=enrolments, links=links)
    outcomes = outcomes_for(user=user, enrolments=enrolments)
    rows = []
    for enrolment in enrolments:
        course_page = courses.get(str(enrolment.course.translation_key), enrolment.course)
        resume_key = resume_lesson_key(enrolment=enrolment)
        resume_page = lessons.get(resume_key) if resume_key else None
        rows.append(LearningRow(
            enrolment=enrolment,
            title=course_page.title,
            url=course_page.get_url(request),
            resume_title=resume_page.title if resume_page else None,
            resume_url=resume_page.get_url(request) if resume_page else None,
            review_url=f"{course_page.get_url(request)}#lessons-title",
            progress=progress_of(requirements[enrolment.pk]),
            outcomes=outcomes[enrolment.pk],
        ))
    return rows


def _pages_in_language(pages: QuerySet, *, language: str) -> dict[str, Page]:
    """{translation key: page} preferring the reader's language, else the source language."""
    found: dict[str, Page] = {}
    rows = pages.filter(locale__language_code__in=[language, SOURCE_LANGUAGE]).annotate(
        language=F("locale__language_code")
    )
    for page in rows:
        key = str(page.translation_key)
        if key not in found or page.language == language:
            found[key] = page
    return found


def attempt_get_for_user(*, user, pk: int) -> QuizAttempt:
    """An attempt of the current learner (404 for anyone else's)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        QuizAttempt.objects.select_related("quiz", "answered_quiz"), pk=pk, user=user
    )


def attempt_review(*, attempt: QuizAttempt, reveal: bool) -> list[dict]:
    """Per-question review of a stored attempt. Correct answers are shown only if ``reveal``.

    Until then nothing may give them away: a true/false verdict ("not correct") or the
    feedback of a wrong choice would, so they wait too; a correct choice's feedback does not.
    """
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
            "verdict_shown": reveal or question.kind != QuestionKind.TRUE_FALSE,
            "choices": [
                {"choice": choice, "selected": choice.pk in selected,
                 "is_correct": reveal and choice.is_correct,
                 "feedback": choice.feedback if choice.pk in selected and (
                     reveal or (choice.is_correct and question.kind != QuestionKind.TRUE_FALSE)
                 ) else ""}
                for choice in choices
            ],
        })
    return review
