"""Celery tasks of the cohorts app (enqueued through ``lms.celery.delay_on_commit``)."""

from celery import shared_task


@shared_task(name="cohorts.attendance_evaluate")
def attendance_evaluate(session_id: int, user_ids: list[int]) -> int:
    """After attendance marks changed: re-evaluate the members' completion (cohorts-core's
    ``cohort_member_evaluate``). The number of memberships completed."""
    from .models import Membership, Session
    from .services import cohort_member_evaluate

    cohort_id = Session.objects.filter(pk=session_id).values_list("cohort_id", flat=True).first()
    if cohort_id is None:
        return 0
    done = 0
    for membership in Membership.objects.filter(cohort_id=cohort_id, user_id__in=user_ids):
        done += bool(cohort_member_evaluate(membership=membership))
    return done


@shared_task(name="cohorts.session_reminders")
def session_reminders() -> int:
    """Beat, hourly: the day-before reminders of sessions (each session once)."""
    from .sessions import session_reminders_send

    return session_reminders_send()


# cascade: attestations of participation and the completion of attendance-only cohorts.
@shared_task(
    name="cohorts.attestation_issue", ignore_result=True, acks_late=True,
    reject_on_worker_lost=True, autoretry_for=(Exception,), retry_backoff=True,
    retry_backoff_max=600, retry_jitter=True, max_retries=5,
)
def attestation_issue_task(membership_id: int) -> str | None:
    """Issue a completed membership's attestation (row, PDF, e-mail); idempotent, like
    ``certificates.issue``. Nothing is due: logged and dropped (no retry)."""
    from certificates.services import CertificateNotDue

    from .attestations import attestation_issue
    from .models import Membership

    membership = Membership.objects.filter(pk=membership_id).first()
    if membership is None:
        return None
    try:
        return attestation_issue(membership=membership).code
    except CertificateNotDue:
        return None


@shared_task(name="cohorts.completion_sweep", acks_late=True)
def completion_sweep() -> dict:
    """Beat, hourly: attendance-only cohorts that ended — members completed when the rule
    holds, attestations still owed queued."""
    from .attestations import completion_sweep as sweep

    return sweep()


# --- Roster imports (cohorts/imports.py) --------------------------------------------------------


@shared_task(name="cohorts.roster_import_check")
def roster_import_check_task(roster_import_id: int) -> str:
    """Check every row of an uploaded roster (nothing written to the cohort)."""
    from .imports import roster_import_check, roster_import_fail
    from .models import RosterImport

    roster_import = RosterImport.objects.filter(pk=roster_import_id).select_related(
        "cohort").first()
    if roster_import is None:
        return ""
    try:
        return roster_import_check(roster_import=roster_import).status
    except Exception:
        roster_import_fail(roster_import_id=roster_import_id)
        raise


@shared_task(name="cohorts.roster_import_commit")
def roster_import_commit_task(roster_import_id: int, by_id: int | None) -> str:
    """Add every row of a confirmed roster, all or nothing (once: the import row decides)."""
    from .imports import roster_import_commit, roster_import_fail

    try:
        return roster_import_commit(roster_import_id=roster_import_id, by_id=by_id)
    except Exception:
        roster_import_fail(roster_import_id=roster_import_id)
        raise


@shared_task(name="cohorts.roster_import_mail")
def roster_import_mail_task(roster_import_id: int) -> int:
    """Send the invitation e-mails of a committed roster import."""
    from .imports import roster_import_mail
    from .models import RosterImport

    roster_import = RosterImport.objects.filter(pk=roster_import_id).first()
    return roster_import_mail(roster_import=roster_import) if roster_import else 0
