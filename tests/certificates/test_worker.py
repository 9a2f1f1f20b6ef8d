"""Integration with a real Celery worker against Redis: issuance, retries, sweep, worker killed.

Runs when ``CELERY_BROKER_URL`` points at Redis and the database is one a second process can
open (PostgreSQL in CI); skipped otherwise. The worker is a real ``celery -A lms worker`` with
the test settings, pointed at the test database.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction

from certificates.models import Certificate, CertificateIssueFailure, CertificateTemplate
from courses.models import Enrolment
from tests.conftest import ARTIFACTS, IN_CI
from tests.factories import course_create, enrolment_completed, template_create

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.worker,
    pytest.mark.xdist_group("celery-worker"),  # one Celery worker at a time under pytest -n
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] or ""
    if s.get("PASSWORD"):
        auth += f":{s['PASSWORD']}"
    host = f"{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}"
    return f"postgres://{auth}@{host}/{s['NAME']}"


def _skip_unless_possible() -> None:
    broker = django_settings.CELERY_BROKER_URL
    if not broker.startswith(("redis://", "rediss://")):
        pytest.skip("no Redis broker configured (CELERY_BROKER_URL)")
    if connection.vendor != "postgresql":
        message = "the worker tests need PostgreSQL (a database another process can open)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


class Worker:
    """A `celery -A lms worker -P prefork -c 1` subprocess on the test database."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.log_path = ARTIFACTS / "celery-worker-certificates.log"

    def start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lms.settings.test",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": django_settings.CELERY_BROKER_URL,
            "CELERY_RESULT_BACKEND": django_settings.CELERY_BROKER_URL,
            "CONN_MAX_AGE": "0",
        }
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "lms", "worker", "-P", "prefork", "-c", "1",
             "-l", "info", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "-n", f"certificates-test-{os.getpid()}@%h"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        from lms.celery import app

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited; see {self.log_path}")
            replies = app.control.ping(timeout=0.5) or []
            if any(f"certificates-test-{os.getpid()}@" in name for r in replies for name in r):
                return
        raise RuntimeError(f"worker did not start; see {self.log_path}")

    def children(self) -> list[int]:
        assert self.process is not None
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def worker(settings, monkeypatch):
    _skip_unless_possible()
    from lms.celery import app

    # The worker writes PDFs under the test settings' MEDIA_ROOT: read them from there too.
    settings.MEDIA_ROOT = Path(django_settings.VAR_DIR) / "test-media"
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    app.control.purge()
    process = Worker()
    process.start()
    yield process
    process.stop()


def wait_for(predicate, *, timeout: float = 60, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {predicate.__doc__ or predicate}")


def _certificate_with_pdf(enrolment: Enrolment):
    return Certificate.objects.filter(enrolment=enrolment).exclude(pdf="").first()


def test_worker_issues_the_certificate_after_completion(worker, site_tree, user_factory):
    from courses.signals import enrolment_completed as completed

    course = course_create(site_tree, template=template_create(), slug="w-issue")
    with transaction.atomic():
        enrolment = enrolment_completed(user=user_factory(), course=course)
        completed.send(sender=Enrolment, enrolment=enrolment)
    certificate = wait_for(lambda: _certificate_with_pdf(enrolment))
    # The holder is e-mailed after the PDF is stored, in the same task: wait for that too.
    wait_for(lambda: Certificate.objects.filter(pk=certificate.pk, notified_at__isnull=False)
             .exists())
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1


def test_worker_retries_then_records_a_failure(worker, site_tree, user_factory):
    template = template_create(name="Cassé")
    # A template broken behind validation's back (e.g. by a bad data migration): every render
    # fails, the task retries with back-off and ends in a visible failure, never forever.
    CertificateTemplate.objects.filter(pk=template.pk).update(body_fr="<p>{bogus}</p>")
    course = course_create(site_tree, template=template, slug="w-retry")
    enrolment = enrolment_completed(user=user_factory(), course=course)
    from certificates.tasks import MAX_RETRIES, certificate_issue_task

    certificate_issue_task.delay(enrolment.pk)
    failure = wait_for(
        lambda: CertificateIssueFailure.objects.filter(enrolment=enrolment).first(), timeout=150
    )
    assert failure.attempts == MAX_RETRIES + 1
    assert "bogus" in failure.error
    assert _certificate_with_pdf(enrolment) is None
    time.sleep(2)
    assert CertificateIssueFailure.objects.filter(enrolment=enrolment).count() == 1


def test_sweep_issues_certificates_missed_while_the_broker_was_down(worker, site_tree,
                                                                    user_factory):
    course = course_create(site_tree, template=template_create(), slug="w-sweep")
    enrolments = [enrolment_completed(user=user_factory(), course=course) for _ in range(3)]
    from certificates.tasks import certificates_sweep_task

    certificates_sweep_task.delay()
    for enrolment in enrolments:
        wait_for(lambda enrolment=enrolment: _certificate_with_pdf(enrolment))
    assert Certificate.objects.count() == 3


def test_worker_killed_while_rendering_issues_exactly_once(worker, site_tree, user_factory):
    # A long body makes rendering take a couple of seconds, long enough to kill the child.
    sentence = "Établir un budget et comparer les transferts d'argent. "
    slow_body = ("<p>" + sentence * 4 + "</p>") * 3000
    template = template_create(name="Lent", body_fr=slow_body)
    course = course_create(site_tree, template=template, slug="w-kill")
    enrolment = enrolment_completed(user=user_factory(), course=course)
    from certificates.tasks import certificate_issue_task

    certificate_issue_task.delay(enrolment.pk)
    # The row is committed before the PDF is rendered: its presence without a PDF means the
    # child is rendering right now.
    wait_for(lambda: Certificate.objects.filter(enrolment=enrolment, pdf="").exists(),
             interval=0.02)
    children = worker.children()
    assert children, "no pool process to kill"
    for pid in children:
        os.kill(pid, signal.SIGKILL)
    # acks_late + reject_on_worker_lost: the message goes back to the queue, the pool starts a
    # new child, which finishes the same row.
    certificate = wait_for(lambda: _certificate_with_pdf(enrolment), timeout=120)
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    assert certificate.pdf.name
    assert not CertificateIssueFailure.objects.filter(enrolment=enrolment).exists()


def test_sweep_sends_the_email_a_lost_task_owed_exactly_once(worker, site_tree, user_factory):
    """The worker died mid-render and its message was lost; the holder downloaded the PDF,
    made by the web process, which sends no e-mail. The sweep tells them, once."""
    from datetime import timedelta

    from django.utils import timezone

    from certificates import services
    from certificates.tasks import certificates_sweep_task

    course = course_create(site_tree, template=template_create(), slug="w-owed")
    enrolment = enrolment_completed(user=user_factory(), course=course)
    template = course.certificate_setting.template
    certificate, _created = services._certificate_create(enrolment=enrolment, template=template)
    services.certificate_pdf_ensure(certificate=certificate)  # the download's path
    Certificate.objects.filter(pk=certificate.pk).update(
        created_at=timezone.now() - timedelta(minutes=6)
    )
    certificates_sweep_task.delay()
    notified = wait_for(lambda: Certificate.objects.filter(pk=certificate.pk)
                        .values_list("notified_at", flat=True).first())
    certificates_sweep_task.delay()  # nothing owed any more: the claim stays as it was
    time.sleep(3)
    assert Certificate.objects.get(pk=certificate.pk).notified_at == notified
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
