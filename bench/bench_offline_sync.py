"""The offline app's sync endpoint (``POST /offline/sync/``), batches of 50 events.

A realistic outbox of a learner back online after a day of airplane mode, in a module of 12
lessons each with a check quiz: 22 lesson visits, 13 "mark as done" and 15 quiz attempts, the
first 6 of them events of an earlier sync whose answer was lost (replays).

- ``sync_events_per_s``: events applied per second (median of 3 batches, each from a fresh
  learner, the whole request through the test client): report.
- ``sync_queries_per_event``: queries of one batch (session and user included) / 50:
  target ≤ 4.
"""

from __future__ import annotations

import json
import statistics
import time
import uuid

from bench import figure, setup_django

BATCH = 50


def _count(ctx) -> int:
    return len([q for q in ctx.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")])


def _outbox(user, lessons) -> tuple[list[dict], list[dict]]:
    """(an earlier batch already synced, the batch of 50 that replays it in part)."""
    from django.utils import timezone

    from courses.selectors import quiz_questions

    def event(kind, url, fields=None):
        return {"id": str(uuid.uuid4()), "user": user.pk, "type": kind, "url": url,
                "device_time": timezone.now().isoformat(), "fields": fields or {}}

    def attempt(lesson, right):
        fields = {}
        for question in quiz_questions(quiz=lesson.quiz):
            picked = [str(c.pk) for c in question.choices.all() if c.is_correct == right]
            fields[f"q-{question.pk}"] = picked if question.kind == "multiple" else picked[:1]
        return event("quiz_attempt", f"/fr/learning/pages/{lesson.pk}/quizzes/{lesson.quiz_id}/",
                     fields | {"quiz_version": str(int(lesson.quiz.updated_at.timestamp()))})

    earlier = [event("lesson_visit", f"/fr/learning/lessons/{lessons[0].pk}/visit/"),
               attempt(lessons[0], False), attempt(lessons[0], True),
               event("lesson_complete", f"/fr/learning/lessons/{lessons[0].pk}/done/"),
               event("lesson_visit", f"/fr/learning/lessons/{lessons[1].pk}/visit/"),
               attempt(lessons[1], True)]
    batch = list(earlier)
    for number, lesson in enumerate(lessons):
        batch.append(event("lesson_visit", f"/fr/learning/lessons/{lesson.pk}/visit/"))
        if number % 2:
            batch.append(event("lesson_visit", f"/fr/learning/lessons/{lesson.pk}/visit/"))
        if number >= 2:
            batch.append(attempt(lesson, number % 3 != 0))
        batch.append(event("lesson_complete", f"/fr/learning/lessons/{lesson.pk}/done/"))
        if number in (3, 6):
            batch.append(attempt(lesson, True))
    batch += [event("lesson_visit", f"/fr/learning/lessons/{lessons[n].pk}/visit/")
              for n in (0, 5)]
    assert len(batch) == BATCH, len(batch)
    return earlier, batch


def run() -> None:
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Locale

    from courses import demo, services
    from courses.models import LessonPage, LessonProgress, QuizAttempt
    from lms.demo import demo_site_ensure
    from tests.factories import UserFactory, course_build

    home = demo_site_ensure()
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    indexes = demo.indexes_ensure(home_fr=home, locales=locales)
    course = course_build(index=indexes["fr"], lessons=12, slug="bench-offline-sync")
    lessons = list(LessonPage.objects.child_of(course).live().select_related("quiz")
                   .order_by("path"))

    def post(client, events):
        response = client.post("/offline/sync/", json.dumps({"events": events}),
                               content_type="application/json")
        assert response.status_code == 200, response.content
        return response.json()["results"]

    times, counts = [], []
    for _ in range(3):
        learner = UserFactory()
        services.enrolment_create(user=learner, course=course)
        client = Client()
        client.force_login(learner)
        earlier, batch = _outbox(learner, lessons)
        post(client, earlier)
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            results = post(client, batch)
            times.append(time.perf_counter() - start)
        counts.append(_count(ctx))
        assert [r["status"] for r in results[:6]] == (["applied"] + ["already_applied"] * 3
                                                      + ["applied", "already_applied"])
        assert all(r["status"] in ("applied", "already_applied") for r in results), results
        assert LessonProgress.objects.filter(user=learner).count() == 12
        assert QuizAttempt.objects.filter(user=learner).count() == 15
    figure("sync_events_per_s", round(BATCH / statistics.median(times), 1), "report")
    figure("sync_queries_per_event", round(statistics.median(counts) / BATCH, 2), "≤ 4")


if __name__ == "__main__":
    run()
