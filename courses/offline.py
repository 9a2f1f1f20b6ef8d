"""The server side of the offline app: module manifests, conditional GETs, and the sync of
the phone's outbox. (The service worker, the outbox JS and the download UI are the client's:
``static/js/``; this docstring is the contract between the two.)

CONTRACT
========

``GET /offline/modules/<page_id>.json``
    ``page_id``: a module page (``CoursePage``) in any locale. Signed-in learners enrolled in it
    or allowed to enrol (an open module); 404 otherwise (signed out: 401 JSON, see below).
    Answers, with ``Cache-Control: private, no-cache`` and an ETag (``If-None-Match`` → 304)::

        {"module": {"id", "title", "url", "lang", "dir", "version"},
         "pages": [{"url", "kind": "module"|"lesson"|"quiz", "id", "title", "etag", "bytes"}],
         "assets": [{"url", "bytes"}],
         "media": [{"url", "bytes", "kind": "video"|"audio", "title"}],
         "bytes": <sum of pages and assets>, "media_bytes": <sum of media bytes known>}

    * ``url``: absolute paths with the language prefix (``/ar/...``), as the links in the pages.
    * ``etag``: exactly the ETag header the page's own GET sends (weak, ``W/"..."``, so that
      GZipMiddleware leaves it unchanged): it changes with the content *and* with the
      learner's own state (a lesson done changes the progress bar of the others), so a
      different etag means "fetch again". Added: ``version`` per page, the content version
      only: show "updated" to the learner when ``version`` changed, not for every etag.
    * ``bytes``: bytes over the network, gzip-compressed as the server sends them (pages:
      rendered for this learner and compressed as GZipMiddleware does, plus the mean of the
      1–100 random bytes it pads each response with; with the random CSRF token and form
      keys, a real response differs by up to about ±60 bytes). Assets: the images the pages
      show (``/media/`` renditions; the shell's ``/static/`` files are the service worker's
      precache, not listed), compressed size for text files, file size otherwise. Documents
      (PDF downloads) are not listed.
    * ``bytes`` of a page is measured once per ETag (cached), so a second manifest is cheap.
    * ``kind: "quiz"`` pages (pre-test, final assessment, lesson check quizzes and quiz blocks)
      are listed only for an enrolled learner (a quiz page of a non-member is a refusal).
    * ``media``: audio files (Wagtail documents, ``bytes`` = file size) and videos. Videos are
      YouTube/Vimeo embeds the phone cannot store: ``url`` is the video link, ``bytes`` is
      ``null`` (unknown, streamed online only); ``media_bytes`` sums the known sizes.
    * ``version``: the module's content version (changes when any of its pages or quizzes is
      republished or edited); the JSON's own ETag also covers the learner's state.

Conditional GETs of lesson, module and quiz pages
    Each answers with ``ETag: W/"<hash>"``, ``Cache-Control: private, no-cache`` and
    ``Vary: Cookie`` (plus ``Accept-Language``), and a 304 with headers only when
    ``If-None-Match`` matches. The hash covers: the page's content version (module subtree
    published dates, quizzes' ``updated_at``, the templates deployed), the language, the user
    (and their CSRF secret, so a cached form's token stays valid) and the learner-state
    version of that user in that module (enrolment status, lessons done, attempts, attendance,
    certificates; "resume" for the module page). A page rendered with a pending flash message
    has no ETag and ``Cache-Control: private, no-store`` (never stored, never a 304).
    Signed-out readers get the same headers (user = anonymous).

``GET /offline/csrf/``
    ``{"csrfToken": "..."}`` with ``Cache-Control: no-store``. Signed out: 401
    ``{"login_url": "/<lang>/accounts/login/"}``.

``POST /offline/sync/``
    Body ``{"events": [...]}`` (at most 50; more → 400 JSON ``{"error": ...}``), header
    ``X-CSRFToken``. Each event::

        {"id": "<uuid4>", "user": <user id>, "device_time": "<ISO 8601>",
         "type": "lesson_complete"|"lesson_visit"|"quiz_attempt"|"attendance_register"
                 |"card_checkin",
         "url": "<the path the form posts to>",
         "fields": {"<name>": "<value>" or ["<v1>", "<v2>"]}}

    ``fields`` are the form's fields as the online form posts them (the client captures any
    form marked ``data-offline-event="<type>"``; the lesson "mark as done", visit, quiz and
    register forms carry it; include the submit button's name/value if it has one, e.g. the
    register's ``action=all_present``). ``csrfmiddlewaretoken`` in fields is ignored.
    Answer 200 ``{"results": [{"id", "status", "http", "message", "redirect"?}]}`` in the
    events' order:

    * ``applied`` / 200, ``already_applied`` / 409 (replay: the same row, nothing changed),
      ``invalid`` / 400 (the client shows the message and keeps nothing to resend),
      ``refused`` / 403 (not yours, not enrolled, not your cohort; also shown, not resent).
    * ``message``: translated in the learner's language (the request's language: send
      ``Accept-Language`` or post to a prefixed path; the sync URL has no prefix, so the
      user's language cookie / Accept-Language decides).
    * ``redirect``: the attempt's result page for quiz attempts (``/fr/learning/attempts/<pk>/
      ?page=<page_id>``), the next lesson or the module page for lesson completions.
    * The event ``id`` *is* the idempotency key of the write (the ``idempotency_key`` field of
      the cached form is ignored: one cached page may be answered twice offline). The quiz
      form's ``attempt`` number is ignored too (the outbox orders the events; the limit is
      counted when they arrive).
    * ``user`` ≠ the signed-in user → ``refused`` for that event (a shared phone).
    * Quiz over its attempt limit → ``invalid`` 400 with the limit message. A quiz changed on
      the server after the page was downloaded (the form's ``quiz_version`` field, else the
      device time, older than the quiz's ``updated_at``): the server's current rule scores it
      and the message says the quiz changed; answers that no longer fit → ``invalid``.
    * ``attendance_register``: the trainer's register form; a cohort the user may not manage
      → ``refused`` 403 (a learner always). Marks keep the device time
      (``Attendance.device_marked_at``, ``AttendanceChange.device_time``, method ``sync``).
      Nothing changed (a replay, or marks already so) → ``already_applied`` 409.
    * ``card_checkin``: a participant card scanned offline (the worker shows
      ``cohorts:sessions_card_offline`` at the card's URL; the event's ``url`` is the card's).
      The card is read at the device time: the holder must be an active member of the
      scanner's cohort whose session was taking place then (``session`` in fields picks one
      when two were); marked present with the device time, method ``card``. A second scan
      → ``already_applied`` 409; a learner, a bad card, no session then → 403 / 400.
    * Every event is its own transaction (the services it calls are atomic; nothing else
      writes): one bad event never undoes the others.
    * A lesson already done (online, or by passing its check quiz earlier in the batch) →
      ``already_applied`` 409 with the next lesson as ``redirect``. Visits always answer
      ``applied``; only the last visit or completion of a module in the batch moves
      "resume" (earlier ones would be overwritten at once, so they write nothing).
    * Cost: the batch's pages (with their locales and quizzes), modules, keys, lessons done
      and enrolments are read once; the services are told what was read
      (``services.Known``). Measured (bench ``offline_sync``): 3.78 queries per event for a
      realistic batch of 50 (target ≤ 4): the writes, their savepoints, the attempt counts
      and one completion check (a lock and an aggregate) per lesson done.
    * Signed out → 401 JSON ``{"login_url"}`` for the whole batch (the client keeps every
      event); a stale CSRF token → Django's 403 (keep everything, fetch ``/offline/csrf/``).
    * Lesson completions and quiz attempts keep the *server's* time (the time the server
      recorded the result: certificates and reports rely on it); only the register, whose
      model has a place for it, records the device time.

``GET /<lang>/offline/``
    The offline page (``templates/offline.html``): public, ``Cache-Control: public,
    max-age=86400``, one per language, ``dir="rtl"`` in Arabic; an empty
    ``<ul data-offline-modules>`` the client fills from its cache, a ``[data-offline-none]``
    paragraph to hide once it lists something, and a message. Rendered as for a signed-out
    visitor (no name, no CSRF token; ``body[data-user-id]`` is empty).

Answers are never in a downloaded page: quiz forms and lesson check quizzes carry the
questions and choices only (no ``is_correct``, no feedback, no explanation); the attempt page,
which reveals them once earned, is not in the manifest. The lesson blocks (``courses.blocks``)
have no check block of their own (a quiz block links to the quiz page), so none needed
moving to the server. Tests: ``tests/courses/test_offline_manifest.py``.
"""

from __future__ import annotations

import functools
import hashlib
import re
import uuid
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified, QueryDict
from django.middleware.gzip import GZipMiddleware
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.crypto import salted_hmac
from django.utils.dateparse import parse_datetime
from django.utils.formats import number_format
from django.utils.text import compress_string
from django.utils.translation import gettext as _
from wagtail.models import Page

from . import access, selectors, services
from .models import (
    CoursePage,
    Enrolment,
    EnrolmentMode,
    LessonPage,
    LessonProgress,
    Quiz,
    QuizAttempt,
)
from .services import CourseActionError

MAX_EVENTS = 50
EVENT_TYPES = ("lesson_complete", "lesson_visit", "quiz_attempt", "attendance_register",
               "card_checkin")
# The view each event type may post to (the event's url must resolve to it).
EVENT_VIEWS = {
    "lesson_complete": "courses:lesson_complete",
    "lesson_visit": "courses:lesson_visit",
    "quiz_attempt": "courses:quiz",
    "attendance_register": "cohorts:sessions_register",
    "card_checkin": "cohorts:sessions_card_scan",
}
SIZE_TIMEOUT = 60 * 60 * 24


# --- Versions and ETags ------------------------------------------------------------------------


def _templates_build() -> str:
    """The deployed templates (names, sizes, times): a deploy that changes how pages look
    changes every ETag, so no phone keeps an old layout under a 304."""
    digest = hashlib.sha256()
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(directory).rglob("*.html")):
            stat = path.stat()
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()[:16]


TEMPLATES_BUILD = _templates_build()


def module_content_version(*, course: CoursePage) -> str:
    """The content version of a module (its pages and their quizzes), computed in one query
    per change of any content (``selectors``' content version) and cached meanwhile."""
    key = f"courses:offline:module:{course.pk}:{selectors._content_version()}"
    version = cache.get(key)
    if version is None:
        pages = Page.objects.filter(path__startswith=course.path, depth__lte=course.depth + 1)
        figures = pages.aggregate(
            published=Max("last_published_at"), revision=Max("latest_revision_id"),
        )
        live = list(pages.filter(live=True).values_list("pk", flat=True).order_by("path"))
        quiz_ids = {course.pre_test_id, course.final_assessment_id} | set(
            LessonPage.objects.filter(pk__in=live).values_list("quiz_id", flat=True)
        )
        quizzes = Quiz.objects.filter(pk__in=quiz_ids - {None}).aggregate(
            updated=Max("updated_at"))
        raw = f"{figures}|{live}|{quizzes['updated']}|{TEMPLATES_BUILD}"
        version = hashlib.sha256(raw.encode()).hexdigest()[:16]
        cache.set(key, version, SIZE_TIMEOUT)
    return version


def page_content_version(*, page: Page, course: CoursePage, quiz: Quiz | None = None) -> str:
    """The content version of one page: its own revision, its module's outline (titles and
    order shown in "Lesson 2 of 5" and the pager) and its quiz. Editing one lesson leaves
    the other lessons' versions alone, so the phone says "updated" only where it changed."""
    outline = selectors.course_outline(course=course)
    raw = "|".join(str(part) for part in (
        page.pk, page.latest_revision_id, page.last_published_at, course.title, course.live,
        [(entry.id, entry.title) for entry in outline.lessons],
        quiz.pk if quiz else None, quiz.updated_at.timestamp() if quiz else None,
        TEMPLATES_BUILD,
    ))
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def learner_stamp(*, user, course: CoursePage, with_resume: bool = False) -> str:
    """The version of what ``user`` sees of their own state in a module, in one query:
    the enrolment's status (and "resume" for the module page), the lessons done in the
    module, the attempts, and what other apps show there (attendance, certificates). The
    statement is compiled once per process (``_learner_stamp_sql``), as the learner state is."""
    if not user.is_authenticated:
        return "anonymous"
    sql, params, labels = _learner_stamp_sql(with_resume=with_resume)
    values = selectors.stand_ins_swapped(
        params, user_id=user.pk, keys={"course": course.translation_key})
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = dict(zip(labels, cursor.fetchone() or (), strict=False))
    return "|".join(f"{key}={row.get(key)}" for key in sorted(labels))


@functools.lru_cache(maxsize=2)
def _learner_stamp_sql(*, with_resume: bool) -> tuple[str, tuple, tuple]:
    user_id, course_key = selectors._STAND_IN_USER, selectors._STAND_IN_KEYS["course"]
    enrolments = Enrolment.objects.filter(
        user_id=OuterRef("pk"), course__translation_key=course_key
    )
    done = LessonProgress.objects.filter(
        user_id=OuterRef("user_id"), lesson__path__startswith=OuterRef("course__path"),
        lesson__depth=OuterRef("course__depth") + 1,
    ).order_by().values("user_id")
    enrolment_row = enrolments.annotate(
        done_n=Subquery(done.annotate(n=Count("pk")).values("n")[:1],
                        output_field=IntegerField()),
        done_max=Subquery(done.annotate(m=Max("pk")).values("m")[:1],
                          output_field=IntegerField()),
    )
    columns = {
        "e_status": Subquery(enrolment_row.values("status")[:1]),
        "e_done": Subquery(enrolment_row.values("done_n")[:1]),
        "e_done_max": Subquery(enrolment_row.values("done_max")[:1]),
        "attempts": Subquery(
            QuizAttempt.objects.filter(user_id=OuterRef("pk")).order_by().values("user_id")
            .annotate(m=Max("pk")).values("m")[:1], output_field=IntegerField()),
    }
    if with_resume:
        columns["e_last"] = Subquery(enrolment_row.values("last_lesson_id")[:1])
    for label, (app, model, column) in STAMP_SOURCES.items():
        if apps.is_installed(app):
            other = apps.get_model(app, model)
            columns[label] = Subquery(
                other.objects.filter(user_id=OuterRef("pk")).order_by().values("user_id")
                .annotate(m=Max(column)).values("m")[:1])
    query = get_user_model().objects.filter(pk=user_id).values(**columns).order_by()[:1].query
    sql, params = query.sql_with_params()
    return sql, tuple(params), tuple(columns)


# Other apps' rows a module page (and the progress bar of its lessons) shows: the latest change
# per user. Read through the app registry, so courses imports neither cohorts nor certificates.
STAMP_SOURCES = {
    "x_attendance": ("cohorts", "Attendance", "marked_at"),
    "x_certificates": ("certificates", "Certificate", "pk"),
    "x_certificates_revoked": ("certificates", "Certificate", "revoked_at"),
}


def page_etag(*, request: HttpRequest, content: str, stamp: str) -> str:
    """A weak ETag (GZipMiddleware keeps weak ones as they are) over the content version, the
    language, the reader (and their CSRF secret: a cached form's token stays valid) and the
    reader's learner-state stamp."""
    user = request.user
    reader = (
        f"{user.pk}:{user.get_full_name()}:{user.is_staff}" if user.is_authenticated else "-"
    )
    value = salted_hmac(
        "courses.offline.etag",
        "|".join((content, translation.get_language() or "", reader,
                  request.META.get("CSRF_COOKIE", ""), stamp)),
    ).hexdigest()[:24]
    return f'W/"{value}"'


def _messages_pending(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0  # len() does not mark them read


def private_headers(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


def conditional_response(request: HttpRequest, *, etag: str,
                         render: Callable[[], HttpResponse]) -> HttpResponse:
    """Answer 304 (headers only) when the client holds this version, else render; both with
    the ETag and private caching.

    A page rendered with a pending flash message ("Lesson marked as done.") is sent without
    ETag and not stored (``no-store``): a later 304 would otherwise show that message again
    from the browser's copy."""
    if _messages_pending(request):
        response = render()
        patch_cache_control(response, private=True, no_store=True)
        patch_vary_headers(response, ("Cookie",))
        return response
    if request.method in ("GET", "HEAD"):
        not_modified = get_conditional_response(request, etag=etag)
        if isinstance(not_modified, HttpResponseNotModified):
            return private_headers(not_modified, etag)
    response = render()
    if response.status_code == 200:
        private_headers(response, etag)
    return response


def lesson_etag(*, request: HttpRequest, lesson: LessonPage, course: CoursePage) -> str:
    return page_etag(
        request=request,
        content=page_content_version(page=lesson, course=course, quiz=lesson.quiz),
        stamp=learner_stamp(user=request.user, course=course),
    )


def module_etag(*, request: HttpRequest, course: CoursePage) -> str:
    return page_etag(
        request=request, content=module_content_version(course=course),
        stamp=learner_stamp(user=request.user, course=course, with_resume=True),
    )


def quiz_etag(*, request: HttpRequest, quiz: Quiz, page: Page, course: CoursePage) -> str:
    return page_etag(
        request=request, content=page_content_version(page=page, course=course, quiz=quiz),
        stamp=learner_stamp(user=request.user, course=course),
    )


def serve_lesson(lesson: LessonPage, request: HttpRequest, serve, *args, module=None, **kwargs):
    """``LessonPage.serve`` with conditional GETs (``serve`` is Wagtail's)."""
    course = module if module is not None else lesson.get_parent().specific

    def render():
        response = serve(request, *args, module=course, **kwargs)
        if hasattr(response, "render"):
            response.render()
        return response

    return conditional_response(
        request, etag=lesson_etag(request=request, lesson=lesson, course=course), render=render)


def serve_module(course: CoursePage, request: HttpRequest, serve, *args, **kwargs):
    """``CoursePage.serve`` with conditional GETs."""

    def render():
        response = serve(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        return response

    return conditional_response(
        request, etag=module_etag(request=request, course=course), render=render)


# --- The module manifest -----------------------------------------------------------------------


def manifest_course_get(*, user, page_id: int) -> CoursePage:
    """The module if ``user`` follows it or may enrol in it (an open module); 404 otherwise."""
    course = access.live_page_get(pk=page_id, model=CoursePage).specific
    try:
        access.enrolment_require(user=user, course=course)
    except CourseActionError:
        source = selectors.source_page_get(page=course).specific
        if source.enrolment_mode != EnrolmentMode.OPEN or not source.live:
            raise Http404 from None
    return course


def _subrequest(request: HttpRequest, path: str) -> HttpRequest:
    """A GET of ``path`` by the same reader, to render a page as they will receive it. It has
    no message storage, so rendering it never consumes the reader's pending messages."""
    sub = copy(request)
    sub.__dict__.pop("_messages", None)
    sub.method = "GET"
    sub.path = sub.path_info = path
    sub.GET, sub.POST = QueryDict(), QueryDict()
    sub.META = {key: value for key, value in request.META.items()
                if key not in ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")}
    sub.META.update(REQUEST_METHOD="GET", PATH_INFO=path, QUERY_STRING="")
    sub.LANGUAGE_CODE = translation.get_language()
    return sub


_IMG_SRC = re.compile(r"<img\b[^>]*?\ssrc=\"([^\"]+)\"")


def _file_bytes(url: str) -> int | None:
    """Bytes over the network of one of our files: compressed size for text, else file size."""
    path = urlsplit(url).path
    try:
        if path.startswith(settings.MEDIA_URL):
            storage, name = default_storage, path.removeprefix(settings.MEDIA_URL)
        elif path.startswith(settings.STATIC_URL):
            storage, name = staticfiles_storage, path.removeprefix(settings.STATIC_URL)
        else:
            return None
        if name.endswith((".svg", ".css", ".js", ".json", ".txt")):
            with storage.open(name) as handle:
                return len(compress_string(handle.read()))
        return storage.size(name)
    except (OSError, ValueError, NotImplementedError):
        return None


# GZipMiddleware pads each response with a random 1–100 byte file name (a BREACH mitigation):
# a page's bytes are its compressed size plus the mean padding.
GZIP_PADDING = GZipMiddleware.max_random_bytes // 2 + 1


def _gzip_bytes(body: bytes) -> int:
    if len(body) < 200:  # GZipMiddleware does not compress shorter responses
        return len(body)
    return len(compress_string(body)) + GZIP_PADDING


def _page_measure(*, request: HttpRequest, url: str, etag: str, render) -> dict:
    """The compressed size of the page as this reader receives it and the images it shows,
    kept per ETag (a new version or a new learner state is measured again)."""
    key = "courses:offline:size:" + hashlib.sha256(f"{etag}{url}".encode()).hexdigest()
    measured = cache.get(key)
    if measured is None:
        response = render(_subrequest(request, url))
        body = response.content
        html = body.decode("utf-8", "replace")
        measured = {
            "bytes": _gzip_bytes(body),
            "etag": response.get("ETag", etag),
            "images": sorted({src for src in _IMG_SRC.findall(html)
                              if not src.startswith(settings.STATIC_URL)}),
        }
        cache.set(key, measured, SIZE_TIMEOUT)
    return measured


def _lesson_media(lesson: LessonPage) -> list[dict]:
    media = []
    for block in lesson.body:
        if block.block_type == "audio" and block.value.get("file") is not None:
            document = block.value["file"]
            media.append({"url": document.url, "bytes": document.file_size or _file_bytes(
                document.file.url), "kind": "audio", "title": block.value["title"]})
        elif block.block_type == "video":
            # A YouTube/Vimeo embed: not storable on the phone, size unknown.
            media.append({"url": block.value["url"], "bytes": None, "kind": "video",
                          "title": block.value["title"]})
    return media


def module_manifest(*, request: HttpRequest, course: CoursePage) -> dict:
    """What the phone downloads to follow ``course`` offline (see CONTRACT)."""
    from . import views

    language = course.locale.language_code
    with translation.override(language):
        lessons = list(
            LessonPage.objects.child_of(course).live().select_related("quiz").order_by("path")
        )
        try:
            access.enrolment_require(user=request.user, course=course)
            enrolled = True
        except CourseActionError:
            enrolled = False
        pages, media = [], []

        def add(kind, page_id, title, url, etag, version, render):
            measured = _page_measure(request=request, url=url, etag=etag, render=render)
            pages.append({"url": url, "kind": kind, "id": page_id, "title": title,
                          "etag": measured["etag"], "version": version,
                          "bytes": measured["bytes"], "images": measured["images"]})

        course_url = course.get_url(request)
        add("module", course.pk, course.title, course_url,
            module_etag(request=request, course=course), module_content_version(course=course),
            lambda sub: course.serve(sub))
        quizzes: list[tuple[Page, Quiz]] = []
        if enrolled:
            quizzes += [(course, quiz) for quiz in (course.pre_test, course.final_assessment)
                        if quiz is not None]
        for lesson in lessons:
            add("lesson", lesson.pk, lesson.title, lesson.get_url(request),
                lesson_etag(request=request, lesson=lesson, course=course),
                page_content_version(page=lesson, course=course, quiz=lesson.quiz),
                lambda sub, lesson=lesson: lesson.serve(sub, module=course))
            media += _lesson_media(lesson)
            if enrolled:
                block_quizzes = [block.value["quiz"] for block in lesson.body
                                 if block.block_type == "quiz" and block.value.get("quiz")]
                for quiz in [lesson.quiz, *block_quizzes]:
                    if quiz is not None and (lesson, quiz) not in quizzes:
                        quizzes.append((lesson, quiz))
        for page, quiz in quizzes:
            add("quiz", quiz.pk, quiz.title, reverse("courses:quiz", args=[page.pk, quiz.pk]),
                quiz_etag(request=request, quiz=quiz, page=page, course=course),
                page_content_version(page=page, course=course, quiz=quiz),
                lambda sub, page=page, quiz=quiz: views.quiz(sub, page.pk, quiz.pk))
        images = sorted({src for entry in pages for src in entry.pop("images")})
        assets = [{"url": src, "bytes": _file_bytes(src) or 0} for src in images]
        return {
            "module": {
                "id": course.pk, "title": course.title, "url": course_url, "lang": language,
                "dir": "rtl" if translation.get_language_bidi() else "ltr",
                "version": module_content_version(course=course),
            },
            "pages": pages,
            "assets": assets,
            "media": media,
            "bytes": sum(entry["bytes"] for entry in pages) + sum(a["bytes"] for a in assets),
            "media_bytes": sum(entry["bytes"] or 0 for entry in media),
        }


# --- Sync: the phone's outbox ------------------------------------------------------------------


@dataclass
class Event:
    """One outbox item, as read from the JSON (``error`` set when it cannot be read)."""

    raw_id: str
    key: uuid.UUID | None = None
    user_id: object = None
    device_time: datetime | None = None
    type: str = ""
    url: str = ""
    fields: QueryDict | None = None
    view_name: str = ""
    kwargs: dict | None = None
    language: str | None = None
    error: str | None = None


class EventRefused(Exception):
    """An event the server will not apply: ``status`` is "invalid" (400) or "refused" (403)."""

    def __init__(self, message, *, status: str = "invalid"):
        super().__init__(str(message))
        self.message, self.status = message, status


def _result(event: Event, status: str, message, redirect: str | None = None) -> dict:
    http = {"applied": 200, "already_applied": 409, "invalid": 400, "refused": 403}[status]
    result = {"id": event.raw_id, "status": status, "http": http, "message": str(message)}
    if redirect:
        result["redirect"] = redirect
    return result


def _fields(raw) -> QueryDict | None:
    if not isinstance(raw, dict):
        return None
    fields = QueryDict(mutable=True)
    for name, value in raw.items():
        values = value if isinstance(value, list) else [value]
        if not isinstance(name, str) or not all(isinstance(v, str | int) for v in values):
            return None
        fields.setlist(name, [str(v) for v in values])
    return fields


def event_parse(raw) -> Event:
    """Read one event; anything unreadable becomes an event with ``error`` set."""
    if not isinstance(raw, dict):
        return Event(raw_id="", error=_("This item could not be read."))
    event = Event(raw_id=str(raw.get("id", ""))[:64], user_id=raw.get("user"),
                  type=str(raw.get("type", "")), url=str(raw.get("url", "")))
    try:
        event.key = uuid.UUID(event.raw_id)
    except ValueError:
        event.error = _("This item could not be read.")
        return event
    device_time = parse_datetime(str(raw.get("device_time", "")))
    fields = _fields(raw.get("fields", {}))
    if event.type not in EVENT_TYPES or fields is None or device_time is None:
        event.error = _("This item could not be read.")
        return event
    if timezone.is_naive(device_time):
        device_time = device_time.replace(tzinfo=UTC)
    # A phone's clock may be wrong: never in the future of the server.
    event.device_time, event.fields = min(device_time, timezone.now()), fields
    try:
        match = resolve(urlsplit(event.url).path)
    except Resolver404:
        match = None
    if match is None or match.view_name != EVENT_VIEWS[event.type]:
        event.error = _("This item could not be read.")
        return event
    event.view_name, event.kwargs = match.view_name, match.kwargs
    prefix = urlsplit(event.url).path.strip("/").split("/")[0]
    event.language = prefix if prefix in dict(settings.LANGUAGES) else None
    return event


@dataclass
class Batch:
    """What the events of one request share, read once (a constant number of queries per
    batch): the rows their keys already made, their lessons with their modules (``modules``,
    handed to the access checks, so nothing asks for a lesson's parent again), the lessons
    already done, and which event is the last of its module."""

    user: object
    request: HttpRequest
    progress_keys: dict = field(default_factory=dict)
    attempt_keys: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)  # page id → LessonPage or CoursePage
    modules: dict = field(default_factory=dict)  # lesson id → its CoursePage
    done: set = field(default_factory=set)  # translation keys of lessons done
    last_of_module: dict = field(default_factory=dict)  # module id → index of its last event
    applied: dict = field(default_factory=dict)
    enrolments: dict = field(default_factory=dict)  # module id → (enrolment, refusal)

    @classmethod
    def load(cls, *, request: HttpRequest, events: list[Event]) -> Batch:
        user = request.user
        usable = [event for event in events if not event.error]
        keys = [event.key for event in usable]
        batch = cls(user=user, request=request)
        batch.progress_keys = dict(LessonProgress.objects.filter(
            user=user, idempotency_key__in=keys).values_list("idempotency_key", "lesson_id"))
        batch.attempt_keys = {
            attempt.idempotency_key: attempt for attempt in QuizAttempt.objects.filter(
                user=user, idempotency_key__in=keys).only("pk", "idempotency_key", "quiz_id")
        }
        page_ids = {event.kwargs["page_id"] for event in usable if "page_id" in event.kwargs}
        if not page_ids:
            return batch
        # With their locales: a page or quiz in the source locale is its own source (no query).
        lessons = list(LessonPage.objects.live().filter(pk__in=page_ids)
                       .select_related("locale", "quiz", "quiz__locale"))
        steplen = LessonPage.steplen
        courses = {course.path: course for course in CoursePage.objects.filter(
            Q(path__in={lesson.path[:-steplen] for lesson in lessons})
            | Q(pk__in=page_ids - {lesson.pk for lesson in lessons}, live=True)
        ).select_related("locale")}
        batch.modules = {lesson.pk: courses[lesson.path[:-steplen]] for lesson in lessons}
        batch.pages = {page.pk: page for page in [*lessons, *courses.values()]}
        batch.done = {str(key) for key in LessonProgress.objects.filter(
            user=user, lesson__translation_key__in=[lesson.translation_key for lesson in lessons]
        ).values_list("lesson__translation_key", flat=True)}
        for index, event in enumerate(events):
            module = batch.module_of(event)
            if module is not None and event.type in ("lesson_visit", "lesson_complete"):
                batch.last_of_module[module.pk] = index
        return batch

    def module_of(self, event: Event) -> CoursePage | None:
        if event.error or "page_id" not in (event.kwargs or {}):
            return None
        page = self.pages.get(event.kwargs["page_id"])
        if isinstance(page, LessonPage):
            return self.modules[page.pk]
        return page

    def is_last_of_module(self, event: Event, index: int) -> bool:
        module = self.module_of(event)
        return module is None or self.last_of_module.get(module.pk, index) <= index

    def _enrolment(self, course: CoursePage) -> tuple:
        """``access.enrolment_require``, asked once per module and batch: (the enrolment, None)
        or (None, the refusal). The one enrolment instance serves the whole batch (the
        services keep its status and resume pointer up to date)."""
        if course.pk not in self.enrolments:
            try:
                self.enrolments[course.pk] = (
                    access.enrolment_require(user=self.user, course=course), None)
            except CourseActionError as error:
                self.enrolments[course.pk] = (None, error)
        return self.enrolments[course.pk]

    def enrolment_require(self, course: CoursePage) -> None:
        refusal = self._enrolment(course)[1]
        if refusal is not None:
            raise refusal

    def known(self, event: Event, index: int, course: CoursePage) -> services.Known:
        """What the services need not read again for this event (see ``services.Known``)."""
        return services.Known(enrolment=self._enrolment(course)[0], key_is_new=True,
                              record_visit=self.is_last_of_module(event, index))


def _lesson(event: Event, batch: Batch) -> LessonPage:
    lesson = batch.pages.get(event.kwargs["page_id"])
    if not isinstance(lesson, LessonPage):
        raise EventRefused(_("This lesson is no longer available."))
    return lesson


def _next_url(lesson: LessonPage, batch: Batch) -> str:
    course = batch.modules[lesson.pk]
    following = selectors.course_outline(course=course).next_after(str(lesson.translation_key))
    return following.url if following else course.get_url(batch.request)


def _apply_lesson_complete(event: Event, batch: Batch, index: int) -> dict:
    if event.key in batch.progress_keys or event.key in batch.applied:
        return _result(event, "already_applied", _("Already recorded."))
    lesson = _lesson(event, batch)
    if str(lesson.translation_key) in batch.done:
        # Done before (online, or by passing its check quiz earlier in this batch): nothing
        # to write but "resume", and only if no later event of the module moves it again.
        if batch.is_last_of_module(event, index):
            services.enrolment_record_visit(user=batch.user, lesson=lesson)
        return _result(event, "already_applied", _("This lesson was already done."),
                       _next_url(lesson, batch))
    progress = services.lesson_progress_complete(
        user=batch.user, lesson=lesson, idempotency_key=event.key,
        known=batch.known(event, index, batch.modules[lesson.pk]))
    batch.applied[event.key] = progress.pk
    batch.done.add(str(lesson.translation_key))
    if progress.idempotency_key != event.key:  # done before, by another request
        return _result(event, "already_applied", _("This lesson was already done."),
                       _next_url(lesson, batch))
    return _result(event, "applied", _("Lesson marked as done."), _next_url(lesson, batch))


def _apply_lesson_visit(event: Event, batch: Batch, index: int) -> dict:
    lesson = _lesson(event, batch)
    # Only the module's last visit or completion of the batch decides "resume": earlier
    # ones would be overwritten at once, so they write nothing.
    if batch.is_last_of_module(event, index):
        services.enrolment_record_visit(user=batch.user, lesson=lesson)
    return _result(event, "applied", _("Visit recorded."))


def _attempt_redirect(attempt: QuizAttempt, page_id: int) -> str:
    return f"{reverse('courses:attempt', args=[attempt.pk])}?page={page_id}"


def _apply_quiz_attempt(event: Event, batch: Batch, index: int) -> dict:
    page_id = event.kwargs["page_id"]
    replayed = batch.attempt_keys.get(event.key) or batch.applied.get(event.key)
    if replayed is not None:
        return _result(event, "already_applied", _("These answers were already sent."),
                       _attempt_redirect(replayed, page_id))
    page = batch.pages.get(page_id)
    try:
        if page is None:
            raise Http404
        quiz, lesson, course = access.quiz_get_for_page(
            page=page, quiz_id=event.kwargs["quiz_id"], module=batch.modules.get(page.pk))
    except Http404:
        raise EventRefused(_("This quiz is no longer available.")) from None
    batch.enrolment_require(course)
    changed = _quiz_changed(quiz=quiz, event=event)
    try:
        attempt = services.quiz_attempt_submit(
            user=batch.user, quiz=quiz, answers=selectors.quiz_answers_from_post(event.fields),
            # The outbox orders the attempts; the limit is counted as they arrive.
            expected_number=None,
            started_at=selectors.quiz_started_at(event.fields.get("started", "")),
            lesson=lesson, course=course, idempotency_key=event.key,
            known=batch.known(event, index, course),
        )
    except CourseActionError as error:
        if changed:
            raise EventRefused(_(
                "This quiz was changed after you downloaded it: %(reason)s"
            ) % {"reason": error.message}, status=_refusal_status(error)) from None
        raise
    batch.applied[event.key] = attempt
    if attempt.passed and lesson is not None and lesson.quiz_id == quiz.pk:
        batch.done.add(str(lesson.translation_key))  # passing the check marked it done
    redirect = _attempt_redirect(attempt, page_id)
    if attempt.idempotency_key != event.key:
        return _result(event, "already_applied", _("These answers were already sent."), redirect)
    if changed:
        return _result(event, "applied", _(
            "This quiz was changed after you downloaded it: your answers were scored with its "
            "current version. Your score: %(score)s%%."
        ) % {"score": _score_text(attempt.score)}, redirect)
    return _result(event, "applied", _("Your answers have been recorded. Your score: "
                                       "%(score)s%%.") % {"score": _score_text(attempt.score)},
                   redirect)


def _score_text(score) -> str:
    """50 rather than 50.00; 62,5 in French (the active language's number format)."""
    return number_format(score.to_integral() if score == score.to_integral() else score)


def _quiz_changed(*, quiz: Quiz, event: Event) -> bool:
    """The quiz changed since the phone showed it: the form's ``quiz_version`` (the quiz's
    ``updated_at`` when the page was rendered), else the device time of the answers."""
    raw = event.fields.get("quiz_version", "")
    try:
        shown = datetime.fromtimestamp(int(raw), tz=UTC)
    except (ValueError, OverflowError, OSError):
        shown = event.device_time
    return quiz.updated_at.replace(microsecond=0) > shown.replace(microsecond=0)


def _apply_attendance(event: Event, batch: Batch, index: int) -> dict:
    # The register belongs to cohorts (which depends on courses): imported only when used.
    from cohorts import attendance, sessions
    from cohorts import selectors as cohort_selectors
    from cohorts.views_sessions import _marks_from_post

    try:
        cohort = cohort_selectors.cohort_get_for_user(user=batch.user, pk=event.kwargs["pk"])
        session = sessions.session_get_for_cohort(cohort=cohort, pk=event.kwargs["session_pk"])
    except Http404:
        raise EventRefused(_("You cannot mark the register of this session."),
                           status="refused") from None
    changed = attendance.register_save(
        session=session, by=batch.user, marks=_marks_from_post(SimpleNamespace(POST=event.fields)),
        method="sync", device_time=event.device_time,
    )
    redirect = reverse("cohorts:sessions_register", args=[cohort.pk, session.pk])
    if not changed:
        return _result(event, "already_applied", _("These marks were already saved."), redirect)
    return _result(event, "applied", _("The register has been saved (%(count)s changed).") % {
        "count": changed}, redirect)


def _apply_card_checkin(event: Event, batch: Batch, index: int) -> dict:
    """A participant card scanned offline: read at the phone's time of the scan, for the
    sessions of the scanner's cohorts taking place then."""
    from cohorts import checkin
    from cohorts import selectors as cohort_selectors

    if not cohort_selectors.may_use_workspace(batch.user):
        raise EventRefused(_("Only trainers can scan participant cards."), status="refused")
    try:
        user_id, sessions = checkin.card_sessions(
            by=batch.user, token=event.kwargs["token"], at=event.device_time)
        session = checkin.card_session_chosen(sessions, event.fields.get("session", ""))
        if session is None:
            raise checkin.CheckinRefused("invalid", _(
                "Two of your sessions were taking place at the time of this scan: mark this "
                "person in the register of the right one."), 400)
        checkin.checkin_record(session=session, user_id=user_id, method="card",
                               at=event.device_time, by=batch.user)
    except checkin.CheckinRefused as refusal:
        if refusal.code == "already":
            return _result(event, "already_applied", refusal.message)
        raise EventRefused(refusal.message, status="refused" if refusal.status == 403
                           else "invalid") from None
    redirect = reverse("cohorts:sessions_register", args=[session.cohort_id, session.pk])
    return _result(event, "applied", _("Marked present at “%(topic)s”.") % {
        "topic": session.topic}, redirect)


HANDLERS = {
    "lesson_complete": _apply_lesson_complete,
    "lesson_visit": _apply_lesson_visit,
    "quiz_attempt": _apply_quiz_attempt,
    "attendance_register": _apply_attendance,
    "card_checkin": _apply_card_checkin,
}


def _refusal_status(error: CourseActionError) -> str:
    return "refused" if error.status == 403 else "invalid"


def sync_events_apply(*, request: HttpRequest, raw_events: list) -> list[dict]:
    """Apply each event once and say what became of it.

    Each event is its own transaction: the services it calls are atomic, and nothing else
    writes, so one bad event never undoes the others (and costs no savepoint of ours).
    """
    events = [event_parse(raw) for raw in raw_events]
    batch = Batch.load(request=request, events=events)
    results = []
    for index, event in enumerate(events):
        with translation.override(event.language or translation.get_language()):
            results.append(_event_apply(event, batch, index))
    return results


def _event_apply(event: Event, batch: Batch, index: int) -> dict:
    if event.error:
        return _result(event, "invalid", event.error)
    if str(event.user_id) != str(batch.user.pk):
        return _result(event, "refused", _(
            "This item belongs to another account used on this phone: it was not sent."))
    try:
        return HANDLERS[event.type](event, batch, index)
    except EventRefused as refusal:
        return _result(event, refusal.status, refusal.message)
    except CourseActionError as error:
        return _result(event, _refusal_status(error), error.message)
    except Http404:
        return _result(event, "invalid", _("This page is no longer available."))
