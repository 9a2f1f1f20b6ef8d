"""The certificates tests use the fixtures of ``tests/conftest.py``; their PDFs go to a media
folder of their own."""

import shutil
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test writes its PDFs into its own media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture
def course(certified_course):
    """Former name of ``certified_course`` (a module that awards a certificate), kept while tests
    written against it move over; not the ``course_page`` that learners take."""
    return certified_course


REFERENCE_DIR = Path(__file__).parent / "reference"
