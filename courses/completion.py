"""The completion engine: the one place that decides a module is completed.

Rules: every required (live, non-optional) lesson done; if the module has a final assessment,
the best score reaches its pass mark; and every rule registered by other apps (for example
cohort attendance) holds. Evaluation locks the enrolment row, so concurrent calls complete it
once and send ``enrolment_completed`` once, inside the transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from .models import Enrolment, EnrolmentStatus, LessonPage, LessonProgress, QuizAttempt
from .signals import enrolment_completed

CompletionRule = Callable[[Enrolment], bool]
_extra_rules: list[CompletionRule] = []


def register_completion_rule(rule: CompletionRule) -> CompletionRule:
    """Add a rule every completion must satisfy; usable as a decorator. ``rule(enrolment)``."""
    if rule not in _extra_rules:
        _extra_rules.append(rule)
    return rule


def unregister_completion_rule(rule: CompletionRule) -> None:
    if rule in _extra_rules:
        _extra_rules.remove(rule)


def required_lessons_status(*, enrolment: Enrolment) -> tuple[int, int]:
    """(required lessons, of which done) for an enrolment: two aggregate queries."""
    course = enrolment.course
    lessons = LessonPage.objects.filter(
        path__startswith=course.path, depth=course.depth + 1, live=True, is_optional=False
    )
    required = lessons.aggregate(n=Count("pk"))["n"]
    done = LessonProgress.objects.filter(
        user_id=enrolment.user_id, lesson__in=lessons.values("pk")
    ).aggregate(n=Count("pk"))["n"]
    return required, done


def final_score_get(*, enrolment: Enrolment) -> Decimal | None:
    """The learner's best score on the module's final assessment (None if never attempted)."""
    quiz_id = enrolment.course.final_assessment_id
    if quiz_id is None:
        return None
    return QuizAttempt.objects.filter(user_id=enrolment.user_id, quiz_id=quiz_id).aggregate(
        best=Max("score")
    )["best"]


def enrolment_evaluate(*, enrolment: Enrolment) -> bool:
    """Complete the enrolment if every rule holds. True only for the call that completes it."""
    with transaction.atomic():
        locked = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("course", "course__final_assessment")
            .filter(pk=enrolment.pk)
            .first()
        )
        if locked is None or locked.status != EnrolmentStatus.ACTIVE:
            return False
        required, done = required_lessons_status(enrolment=locked)
        if done < required:
            return False
        score = None
        final = locked.course.final_assessment
        if final is not None:
            score = final_score_get(enrolment=locked)
            if score is None or score < final.pass_mark:
                return False
        if not all(rule(locked) for rule in _extra_rules):
            return False
        now = timezone.now()
        # The conditional UPDATE is the decisive step (and what makes SQLite, which has no
        # row locks, safe as well): only one caller changes the status.
        updated = Enrolment.objects.filter(
            Q(pk=locked.pk), Q(status=EnrolmentStatus.ACTIVE)
        ).update(status=EnrolmentStatus.COMPLETED, completed_at=now, final_score=score)
        if updated != 1:
            return False
        locked.status, locked.completed_at, locked.final_score = (
            EnrolmentStatus.COMPLETED, now, score,
        )
        enrolment.status, enrolment.completed_at, enrolment.final_score = (
            locked.status, now, score,
        )
        enrolment_completed.send(sender=Enrolment, enrolment=locked)
        return True
