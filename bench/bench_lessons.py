"""Lesson page: server time with tracking vs without, queries at two sizes, page weight.

- ``lesson_page_ratio``: median time to serve a lesson to a signed-in, enrolled learner with
  progress (session, enrolment, requirements, quiz attempts) ÷ median time to
  serve the same lesson, same template and content, to an anonymous visitor (a plain Wagtail
  page: no session, no learner state). Same process, same run.
- ``lesson_page_queries_5_vs_50`` / ``lesson_complete_queries_5_vs_50``: query counts in a
  module of 5 and of 50 lessons (warm content caches).
- ``lesson_page_weight_kb``: gzip bytes of the HTML + every stylesheet and script it links
  (first view); ``lesson_page_repeat_kb``: the HTML alone (CSS/JS cached: hashed names).
"""

from __future__ import annotations

import gzip
import re
import statistics
import time

from bench import figure, setup_django


def _gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def _static_bytes(html: str) -> list[bytes]:
    from django.conf import settings
    from django.contrib.staticfiles import finders

    assets = []
    pattern = r'(?:href|src)="' + re.escape(settings.STATIC_URL) + r'([^"?]+\.(?:css|js))"'
    for path in re.findall(pattern, html):
        found = finders.find(path)
        if found:
            with open(found, "rb") as handle:
                assets.append(handle.read())
    return assets


def _interleaved_medians(first, second, *, repeat: int, warmup: int = 10) -> tuple[float, float]:
    """Median times of two callables sampled alternately, so that drift in the machine's
    load during the run affects both sides alike."""
    for _ in range(warmup):
        first()
        second()
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, bucket in ((first, samples[0]), (second, samples[1])):
            start = time.perf_counter()
            fn()
            bucket.append(time.perf_counter() - start)
    return statistics.median(samples[0]), statistics.median(samples[1])


def _count_queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def run() -> None:
    setup_django()
    from django.test import Client
    from wagtail.models import Locale

    from courses import demo, demo_content, services
    from courses.models import LessonPage
    from lms.demo import demo_site_ensure
    from tests.courses.factories import course_build
    from tests.courses.sample_module import SAMPLE_MODULE
    from tests.factories import UserFactory

    home = demo_site_ensure()
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    indexes = demo.indexes_ensure(home_fr=home, locales=locales)
    real = [m for m in demo_content.modules() if m["key"] == SAMPLE_MODULE["key"]]
    [kit] = demo.load(modules=real or [SAMPLE_MODULE])

    learner = UserFactory()
    client = Client()
    client.force_login(learner)
    anonymous = Client()

    # --- Time: the real kit's first lesson with a check quiz, learner with some progress ----
    services.enrolment_create(user=learner, course=kit)
    kit_lessons = list(LessonPage.objects.child_of(kit).live().order_by("path"))
    services.lesson_progress_complete(user=learner, lesson=kit_lessons[0])
    lesson = next((item for item in kit_lessons[1:] if item.quiz_id), kit_lessons[1])
    url = lesson.url
    assert client.get(url).status_code == 200
    assert anonymous.get(url).status_code == 200
    tracked, plain = _interleaved_medians(
        lambda: client.get(url), lambda: anonymous.get(url), repeat=60
    )
    figure("lesson_page_ratio", tracked / plain, "≤ 1.3")

    # --- Queries at two sizes -------------------------------------------------------------
    page_counts, complete_counts = [], []
    for size in (5, 50):
        course = course_build(index=indexes["fr"], lessons=size, slug=f"bench-{size}")
        services.enrolment_create(user=learner, course=course)
        lessons = list(LessonPage.objects.child_of(course).order_by("path"))
        for item in lessons[:2]:
            services.lesson_progress_complete(user=learner, lesson=item)
        target = lessons[2].url
        client.get(target)
        page_counts.append(_count_queries(lambda target=target: client.get(target)))
        complete_counts.append(_count_queries(
            lambda item=lessons[3]: services.lesson_progress_complete(user=learner, lesson=item)
        ))
    figure("lesson_page_queries_5_vs_50", f"{page_counts[0]} vs {page_counts[1]}",
           "equal, ≤ 12")
    figure("lesson_complete_queries_5_vs_50",
           f"{complete_counts[0]} vs {complete_counts[1]}", "equal")

    # --- Weight -------------------------------------------------------------------------------
    response = client.get(url)
    html = response.content
    first_view = _gzip_size(html) + sum(_gzip_size(a) for a in _static_bytes(html.decode()))
    figure("lesson_page_weight_kb", round(first_view / 1024, 1), "≤ 30")
    figure("lesson_page_repeat_kb", round(_gzip_size(html) / 1024, 1), "≤ 10")


if __name__ == "__main__":
    run()
