"""Fixtures for the certificates tests."""

import shutil
from pathlib import Path

import pytest

from tests.certificates.factories import course_create, enrolment_completed, template_create


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test writes its PDFs into its own media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture
def certificate_template(db):
    return template_create()


@pytest.fixture
def course(site_tree, certificate_template):
    return course_create(site_tree, template=certificate_template)


@pytest.fixture
def completed_enrolment(learner, course):
    return enrolment_completed(user=learner, course=course)


@pytest.fixture
def certificate(completed_enrolment):
    from certificates.services import certificate_issue

    return certificate_issue(enrolment=completed_enrolment)


@pytest.fixture
def manager_in_scope(manager, learner):
    """A programme manager whose scope (the learner's country) covers the learner."""
    from lms.models import ProgrammeManagerScope

    ProgrammeManagerScope.objects.create(user=manager, countries=[learner.country.code])
    return manager


REFERENCE_DIR = Path(__file__).parent / "reference"
