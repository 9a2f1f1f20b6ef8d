"""50 completion events at once give one certificate: the database constraint decides."""

import pytest

from certificates.models import Certificate
from certificates.services import certificate_issue
from tests.factories import course_create, enrolment_completed, template_create
from tests.helpers import run_concurrently

THREADS = 50


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_concurrent_issues_give_one_certificate(site_tree, user_factory, settings):
    course = course_create(site_tree, template=template_create(), slug="concurrence")
    enrolment = enrolment_completed(user=user_factory(), course=course)
    outcome = run_concurrently(lambda: certificate_issue(enrolment=enrolment).pk, THREADS)
    assert outcome.errors == []
    assert len(outcome.results) == THREADS
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    assert set(outcome.results) == {Certificate.objects.get().pk}
    certificate = Certificate.objects.get()
    assert certificate.pdf.name
    stored = list((settings.MEDIA_ROOT / certificate.pdf.name).parent.glob("*.pdf"))
    assert len(stored) == 1  # the losers' PDFs were discarded
