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
