"""Pinned query counts at two data sizes (after Zulip): pages must not grow with content, and
stay under a ceiling."""

import pytest
from django.urls import reverse

from courses import services
from courses.models import CourseIndexPage
from tests.factories import course_build

pytestmark = pytest.mark.django_db

# 12 + the learner-state stamp of the page's ETag (courses.offline), which lets a revalidation
# answer 304 without rendering.
LESSON_PAGE_MAX_QUERIES = 13
# My learning: session, user, enrolments with progress, the lessons and modules to link to in
# the reader's language, the site, the certificates of all enrolments (outcomes), the catalogue.
MY_LEARNING_MAX_QUERIES = 8
LESSON_COMPLETE_MAX_QUERIES = 13


@pytest.fixture
def index(loaded):
    return CourseIndexPage.objects.get(locale__language_code="fr")


def lesson_page_url(learner, index, size) -> str:
    """The third lesson of a module of ``size`` lessons, the first two done."""
    course = course_build(index=index, lessons=size, slug=f"m{size}")
    services.enrolment_create(user=learner, course=course)
    lessons = list(course.get_children().specific())
    for lesson in lessons[:2]:
        services.lesson_progress_complete(user=learner, lesson=lesson)
    return lessons[2].url


def test_lesson_page_queries_do_not_grow_with_lessons(
    learner_client, learner, index, django_assert_num_queries, django_assert_max_num_queries
):
    small = lesson_page_url(learner, index, 5)
    large = lesson_page_url(learner, index, 50)
    for url in (small, large):
        assert learner_client.get(url).status_code == 200  # fills the content caches
    with django_assert_max_num_queries(LESSON_PAGE_MAX_QUERIES) as captured:
        assert learner_client.get(small).status_code == 200
    with django_assert_num_queries(len(captured)):
        assert learner_client.get(large).status_code == 200


def test_my_learning_queries_do_not_grow_with_enrolments(
    client, user_factory, index, django_assert_num_queries, django_assert_max_num_queries
):
    courses = [course_build(index=index, lessons=3, slug=f"e{n}", with_quiz=False)
               for n in range(50)]
    few, many = user_factory(), user_factory()
    for user, size in ((few, 5), (many, 50)):
        for course in courses[:size]:
            services.enrolment_create(user=user, course=course)
            lesson = course.get_children().first().specific
            services.lesson_progress_complete(user=user, lesson=lesson)
    url = reverse("courses:my_learning")
    for user in (few, many):  # fills the caches
        client.force_login(user)
        assert client.get(url).status_code == 200
    client.force_login(few)
    with django_assert_max_num_queries(MY_LEARNING_MAX_QUERIES) as captured:
        assert client.get(url).status_code == 200
    client.force_login(many)
    with django_assert_num_queries(len(captured)):
        assert client.get(url).status_code == 200


def test_marking_a_lesson_done_does_not_grow_with_lessons(
    learner, index, django_assert_num_queries, django_assert_max_num_queries
):
    def second_to_last_lesson(size):
        course = course_build(index=index, lessons=size, slug=f"c{size}", final=True)
        services.enrolment_create(user=learner, course=course)
        lessons = list(course.get_children().specific())
        for lesson in lessons[:-2]:
            services.lesson_progress_complete(user=learner, lesson=lesson)
        return lessons[-2]

    small, large = second_to_last_lesson(5), second_to_last_lesson(50)
    with django_assert_max_num_queries(LESSON_COMPLETE_MAX_QUERIES) as captured:
        services.lesson_progress_complete(user=learner, lesson=small)
    with django_assert_num_queries(len(captured)):
        services.lesson_progress_complete(user=learner, lesson=large)
