"""Celery tasks: take ids, fetch, call one service. Idempotent: the database decides.

``certificate_issue_task`` is acknowledged late and rejected (so redelivered) when its worker
dies: a worker killed in the middle of rendering leaves a certificate row without its PDF, which
the redelivered task (or the sweep) finishes. After ``max_retries`` failures a
``CertificateIssueFailure`` is recorded for administrators and nothing is requeued.
"""

import logging

from celery import Task, shared_task

from courses.models import Enrolment
from lms.models import User

from . import services
from .models import BulkIssue

logger = logging.getLogger(__name__)

MAX_RETRIES = 5


class IssueTask(Task):
    """Records a failure row once the retries are exhausted."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        enrolment_id = args[0] if args else kwargs.get("enrolment_id")
        bulk_id = kwargs.get("bulk_id") or (args[1] if len(args) > 1 else None)
        try:
            services.certificate_issue_failure_record(
                enrolment_id=enrolment_id,
                bulk_id=bulk_id,
                task_id=task_id or "",
                error=f"{exc.__class__.__name__}: {exc}",
                traceback=str(einfo or ""),
                attempts=(self.request.retries or 0) + 1,
            )
        except Exception:  # never let bookkeeping hide the original failure
            logger.exception("could not record the failure of %s", task_id)


@shared_task(
    bind=True,
    base=IssueTask,
    name="certificates.issue",
    ignore_result=True,  # nobody reads it; the database holds the outcome
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    dont_autoretry_for=(services.CertificateNotDue, Enrolment.DoesNotExist),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
)
def certificate_issue_task(self, enrolment_id: int, bulk_id: int | None = None) -> str | None:
    enrolment = Enrolment.objects.filter(pk=enrolment_id).first()
    if enrolment is None:
        return None
    if bulk_id:
        certificate = services.bulk_issue_one(bulk_id=bulk_id, enrolment=enrolment)
        return certificate.code if certificate else None
    try:
        certificate = services.certificate_issue(enrolment=enrolment)
    except services.CertificateNotDue:
        logger.info("enrolment %s: no certificate due", enrolment_id)
        return None
    return certificate.code


@shared_task(
    name="certificates.renew", acks_late=True, reject_on_worker_lost=True,
    autoretry_for=(Exception,), dont_autoretry_for=(Enrolment.DoesNotExist,),
    retry_backoff=True, max_retries=MAX_RETRIES, ignore_result=True,
)
def certificate_renew_task(enrolment_id: int) -> str | None:
    enrolment = Enrolment.objects.filter(pk=enrolment_id).first()
    if enrolment is None:
        return None
    certificate = services.certificate_renew(enrolment=enrolment)
    return certificate.code if certificate else None


@shared_task(name="certificates.sweep", acks_late=True)
def certificates_sweep_task() -> int:
    """Certificates missing, unfinished or never e-mailed (broker down, task lost): queued."""
    return services.certificates_sweep()


@shared_task(name="certificates.expiry_reminders", acks_late=True)
def certificates_expiry_reminder_task() -> int:
    return services.certificate_expiry_reminders_send()


@shared_task(name="certificates.bulk_issue", acks_late=True)
def certificates_bulk_issue_task(bulk_id: int) -> None:
    bulk = BulkIssue.objects.filter(pk=bulk_id).first()
    if bulk is not None:
        services.bulk_issue_start(bulk=bulk)


@shared_task(
    name="certificates.bulk_archive", acks_late=True, reject_on_worker_lost=True,
    autoretry_for=(Exception,), retry_backoff=True, max_retries=3, ignore_result=True,
)
def certificates_bulk_archive_task(bulk_id: int, user_id: int) -> None:
    bulk = BulkIssue.objects.filter(pk=bulk_id).first()
    user = User.objects.filter(pk=user_id).first()
    if bulk is not None and user is not None:
        services.bulk_archive_build(bulk=bulk, user=user)
