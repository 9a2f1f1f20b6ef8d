"""The roster import through a real Celery worker against Redis: a 2,000-row file is checked
and committed by ``celery -A lms worker`` (the test settings, the test database), while the
page's JSON status follows it. Runs where ``tests/certificates/test_worker.py`` runs
(PostgreSQL and a Redis broker; required in CI)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cohorts.models import Invitation, Membership, RosterImport
from tests.certificates.test_worker import Worker, _skip_unless_possible, wait_for
from tests.cohorts.core_fixtures import cohort_build
from tests.helpers import logged_in_client

pytestmark = [
    pytest.mark.worker,
    pytest.mark.xdist_group("celery-worker"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def worker(monkeypatch):
    _skip_unless_possible()
    from lms.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    app.control.purge()
    process = Worker()
    process.log_path = process.log_path.with_name("celery-worker-imports.log")
    process.start()
    yield process
    process.stop()


def test_a_big_roster_is_checked_and_imported_by_the_worker(worker, site_tree, trainer,
                                                            user_factory):
    cohort = cohort_build(by=trainer, name="Worker import")
    accounts = [user_factory(email=f"w{i}@example.org") for i in range(5)]
    lines = ["Courriel;Nom complet"] + [f"w{i}@example.org;Personne {i}" for i in range(2_000)]
    client = logged_in_client(trainer)
    response = client.post(reverse("cohorts:import_start", args=[cohort.pk]), {
        "file": SimpleUploadedFile("grande.csv", ("\r\n".join(lines) + "\r\n").encode())})
    roster_import = RosterImport.objects.get(cohort=cohort)
    assert response.status_code == 302
    status_url = reverse("cohorts:import_status", args=[cohort.pk, roster_import.pk])

    def checked():
        """the worker's check"""
        return client.get(status_url).json()["status"] == "ready"

    wait_for(checked)
    client.post(reverse("cohorts:import_commit", args=[cohort.pk, roster_import.pk]))

    def imported():
        """the worker's commit"""
        return client.get(status_url).json()["status"] == "done"

    wait_for(imported)
    assert Membership.objects.filter(cohort=cohort, user__in=accounts).count() == 5
    assert Invitation.objects.filter(cohort=cohort).count() == 1_995
