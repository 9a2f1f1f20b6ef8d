"""50 completion events at once give one certificate: the database constraint decides."""

import threading

import pytest
from django.db import connection, connections

from certificates.models import Certificate
from certificates.services import certificate_issue
from tests.certificates.factories import course_create, enrolment_completed, template_create

THREADS = 50


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_concurrent_issues_give_one_certificate(site_tree, user_factory, settings):
    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("needs a database that takes concurrent writers (PostgreSQL in CI)")
    course = course_create(site_tree, template=template_create(), slug="concurrence")
    enrolment = enrolment_completed(user=user_factory(), course=course)
    barrier = threading.Barrier(THREADS)
    results, errors = [], []

    def issue() -> None:
        try:
            barrier.wait(timeout=30)
            results.append(certificate_issue(enrolment=enrolment).pk)
        except Exception as exc:  # collected and reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(results) == THREADS
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    assert set(results) == {Certificate.objects.get().pk}
    certificate = Certificate.objects.get()
    assert certificate.pdf.name
    stored = list((settings.MEDIA_ROOT / certificate.pdf.name).parent.glob("*.pdf"))
    assert len(stored) == 1  # the losers' PDFs were discarded
