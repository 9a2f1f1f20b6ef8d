"""The completion engine: the one place that decides a module is completed.

It completes an enrolment when every requirement of ``courses.progress`` is met (required
lessons, final assessment, and whatever other apps register, such as cohort attendance): the
same list the learner sees. Evaluation locks the enrolment row, so concurrent calls complete it
once and send ``enrolment_completed`` once, inside the transaction.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Enrolment, EnrolmentStatus
from .progress import FINAL_ASSESSMENT, progress_of, requirements_for
from .signals import enrolment_completed


def enrolment_evaluate(*, enrolment: Enrolment) -> bool:
    """Complete the enrolment if every requirement is met. True only for the call that
    completes it."""
    with transaction.atomic():
        locked = (
            Enrolment.objects.select_for_update(of=("self",))
            .filter(pk=enrolment.pk)
            .first()
        )
        if locked is None or locked.status != EnrolmentStatus.ACTIVE:
            return False
        # Read after the lock: what other transactions committed before it counts.
        annotated = (
            Enrolment.objects.with_progress().select_related("course").get(pk=locked.pk)
        )
        progress = progress_of(requirements_for(annotated))
        if not progress.complete:
            return False
        has_final = any(r.key == FINAL_ASSESSMENT for r in progress.requirements)
        score = annotated.progress_final_best if has_final else None
        now = timezone.now()
        # The conditional UPDATE is the decisive step (and what makes SQLite, which has no
        # row locks, safe as well): only one caller changes the status.
        updated = Enrolment.objects.filter(
            Q(pk=locked.pk), Q(status=EnrolmentStatus.ACTIVE)
        ).update(status=EnrolmentStatus.COMPLETED, completed_at=now, final_score=score)
        if updated != 1:
            return False
        for instance in (locked, annotated, enrolment):
            instance.status, instance.completed_at, instance.final_score = (
                EnrolmentStatus.COMPLETED, now, score,
            )
        enrolment_completed.send(sender=Enrolment, enrolment=annotated)
        return True
