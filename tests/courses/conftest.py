"""Fixtures for the courses tests: the sample modules loaded through the real loader."""

import pytest

from tests.courses.sample_module import COHORT_MODULE, SAMPLE_MODULE


@pytest.fixture
def loaded(site_tree):
    """The sample open module (fr, en, ar) and a cohort-only module (fr), as `make run` loads
    content. Returns {"open": fr CoursePage, "cohort": fr CoursePage}."""
    from courses import demo

    open_course, cohort_course = demo.load(modules=[SAMPLE_MODULE, COHORT_MODULE])
    return {"open": open_course, "cohort": cohort_course}


@pytest.fixture
def course(loaded):
    return loaded["open"]


@pytest.fixture
def lessons(course):
    from courses.models import LessonPage

    return list(LessonPage.objects.child_of(course).order_by("path"))


@pytest.fixture
def translation():
    """The translation of a page in a language: translation("en", page)."""
    from wagtail.models import Locale

    def get(code, page):
        return page.get_translation(Locale.objects.get(language_code=code)).specific

    return get


@pytest.fixture
def enrolled(learner, course):
    from courses.services import enrolment_create

    return enrolment_create(user=learner, course=course)
