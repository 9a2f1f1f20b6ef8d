"""Pinned query counts at two data sizes (after Zulip): pages must not grow with content."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services
from courses.models import CourseIndexPage
from tests.courses.factories import course_build

pytestmark = pytest.mark.django_db

LESSON_PAGE_MAX_QUERIES = 12


def count(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


@pytest.fixture
def index(loaded):
    return CourseIndexPage.objects.get(locale__language_code="fr")


def lesson_page_queries(client, learner, index, size):
    course = course_build(index=index, lessons=size, slug=f"m{size}")
    services.enrolment_create(user=learner, course=course)
    lessons = list(course.get_children().specific())
    for lesson in lessons[:2]:
        services.lesson_progress_complete(user=learner, lesson=lesson)
    url = lessons[2].url
    assert client.get(url).status_code == 200  # first view fills the content caches
    return count(lambda: client.get(url))


def test_lesson_page_queries_do_not_grow_with_lessons(learner_client, learner, index):
    small = lesson_page_queries(learner_client, learner, index, 5)
    large = lesson_page_queries(learner_client, learner, index, 50)
    assert small == large
    assert large <= LESSON_PAGE_MAX_QUERIES


def test_my_learning_queries_do_not_grow_with_enrolments(client, user_factory, index):
    courses = [course_build(index=index, lessons=3, slug=f"e{n}", with_quiz=False)
               for n in range(50)]
    few, many = user_factory(), user_factory()
    for user, size in ((few, 5), (many, 50)):
        for course in courses[:size]:
            services.enrolment_create(user=user, course=course)
            lesson = course.get_children().first().specific
            services.lesson_progress_complete(user=user, lesson=lesson)
    results = []
    for user in (few, many):
        client.force_login(user)
        client.get(reverse("courses:my_learning"))
        results.append(count(lambda: client.get(reverse("courses:my_learning"))))
    assert results[0] == results[1]


def test_marking_a_lesson_done_does_not_grow_with_lessons(learner, index):
    results = []
    for size in (5, 50):
        course = course_build(index=index, lessons=size, slug=f"c{size}", final=True)
        services.enrolment_create(user=learner, course=course)
        lessons = list(course.get_children().specific())
        for lesson in lessons[:-2]:
            services.lesson_progress_complete(user=learner, lesson=lesson)
        results.append(count(lambda lesson=lessons[-2]: services.lesson_progress_complete(
            user=learner, lesson=lesson)))
    assert results[0] == results[1]
