"""Completion of attendance-only cohorts, their attestations of participation, and the cohort
placeholders of certificates printed from a cohort's template.

**When a member of a cohort without online module completes** (``attendance_only_due``): the
cohort is over — its end date has come in the cohort's time zone and every one of its sessions
has ended — it had at least one session, and the member attended (present or late) at least
the cohort's minimum share of its sessions (attended × 100 ≥ sessions × minimum, the rule of
``cohorts.progress``), and at least one session even when the minimum is 0: an attestation of
participation says that someone took part. Waiting for the end date is what stops a series
scheduled one session at a time from completing people after its first session. The rule is
evaluated after every attendance change (``cohorts.tasks.attendance_evaluate`` →
``services.cohort_member_evaluate``) and by the hourly sweep (``completion_sweep``) for
cohorts that ended recently, since the last marks are often taken before the last session
ends. A completed membership stays completed if a mark is corrected later (as an enrolment
does); a manager revokes the attestation if it must go.

**The attestation** is a ``certificates.Certificate`` whose subject is the membership (no
enrolment, no module), printed from the cohort's template: same PDF renderer, verification page,
Open Badges credential and e-mail as a module certificate, queued after commit through
``cohorts.attestation_issue`` (acknowledged late, retried) and issued once — the conditional
unique constraint ``certificate_one_current_per_membership`` decides between concurrent
issuances, and the sweep catches a lost task.

**Cohort placeholders**: ``{cohort}`` (the name), ``{trainer}`` (its trainers' names, in name
order) and ``{sessions_attended}`` ("5 / 8": attended / sessions of the cohort) are frozen on
the certificate's snapshot at issue. A member's module certificate is printed from the cohort's
template when a cohort they are seated in follows the module and has one
(``cohort_for_certificate``; among several, the cohort where they attended most).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from .models import (
    ATTENDED_STATUSES,
    Attendance,
    Cohort,
    Membership,
    MembershipState,
    Session,
)

SEATED = (MembershipState.ACTIVE, MembershipState.COMPLETED)
# The sweep looks at cohorts that ended this recently (an active member of an older one was
# evaluated by earlier sweeps).
SWEEP_WINDOW = timedelta(days=30)
ACHIEVEMENT_NAMESPACE = uuid.UUID("5b0c2f62-8d0e-4d53-9a8e-0c6f3f2b7a41")


# --- the rule ------------------------------------------------------------------------------


def cohort_has_modules(cohort: Cohort) -> bool:
    return Cohort.modules.through.objects.filter(cohort_id=cohort.pk).exists()


def attendance_only_figures(*, cohort: Cohort, user_id: int, now: datetime | None = None) -> dict:
    """Sessions of the cohort, those not ended yet, and the member's attended ones (one
    aggregate)."""
    local = (now or timezone.now()).astimezone(cohort.zone)
    today = local.date()
    not_ended = Q(date__gt=today) | Q(date=today, end_time__gt=local.time())
    return Session.objects.filter(cohort=cohort).aggregate(
        total=Count("pk", distinct=True),
        upcoming=Count("pk", filter=not_ended, distinct=True),
        attended=Count("attendance", filter=Q(attendance__user_id=user_id,
                                              attendance__status__in=ATTENDED_STATUSES),
                       distinct=True),
    )


def attendance_only_due(*, membership: Membership, now: datetime | None = None) -> bool:
    """Whether an active member of a cohort without module has completed it (module docstring)."""
    cohort = membership.cohort
    now = now or timezone.now()
    if membership.state != MembershipState.ACTIVE:
        return False
    if now.astimezone(cohort.zone).date() < cohort.end_date:
        return False
    figures = attendance_only_figures(cohort=cohort, user_id=membership.user_id, now=now)
    total, attended = figures["total"], figures["attended"]
    if not total or figures["upcoming"] or attended < 1:
        return False
    return attended * 100 >= total * cohort.min_attendance_percent


# --- placeholders ----------------------------------------------------------------------------


def trainer_names(cohort: Cohort) -> str:
    names = cohort.trainers.order_by("full_name", "email").values_list("full_name", "email")
    return ", ".join(name or email for name, email in names)


def _seconds(value) -> int:
    return value.hour * 3600 + value.minute * 60 + value.second


def sessions_attended(*, cohort: Cohort, user_id: int) -> tuple[int, int, Decimal | None]:
    """(attended, sessions, hours attended) of a member: one aggregate over the sessions and
    one over the attended ones' durations."""
    total = Session.objects.filter(cohort=cohort).count()
    attended_sessions = list(
        Session.objects.filter(cohort=cohort, attendance__user_id=user_id,
                               attendance__status__in=ATTENDED_STATUSES)
        .values_list("start_time", "end_time")
    )
    seconds = sum(_seconds(end) - _seconds(start) for start, end in attended_sessions)
    hours = (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01")) if seconds else None
    return len(attended_sessions), total, hours


def cohort_placeholder_values(*, cohort: Cohort, user_id: int) -> dict:
    """The snapshot fields of the cohort placeholders for a member."""
    attended, total, _hours = sessions_attended(cohort=cohort, user_id=user_id)
    return {
        "cohort_name": cohort.name[:200],
        "trainer_names": trainer_names(cohort)[:500],
        "sessions_attended": f"{attended} / {total}" if total else "",
    }


def cohort_for_certificate(*, enrolment) -> Cohort | None:
    """The cohort whose template prints this enrolment's module certificate, or None.

    A cohort with a template, following the module, in which the learner is seated; among
    several, the one where they attended the most sessions, then the latest. One query.
    """
    attended = (
        Attendance.objects.filter(session__cohort=OuterRef("pk"), user_id=enrolment.user_id,
                                  status__in=ATTENDED_STATUSES)
        .order_by().values("user").annotate(n=Count("*")).values("n")[:1]
    )
    seated = Membership.objects.filter(cohort=OuterRef("pk"), user_id=enrolment.user_id,
                                       state__in=SEATED)
    return (
        Cohort.objects.filter(Exists(seated), modules=enrolment.course_id,
                              certificate_template__isnull=False)
        .annotate(attended=Subquery(attended))
        .select_related("certificate_template")
        .order_by("-attended", "-start_date", "-pk")
        .first()
    )


# --- the attestation ----------------------------------------------------------------------


def achievement_key(cohort: Cohort) -> str:
    """A stable UUID per cohort: the Open Badges achievement of its attestations."""
    return str(uuid.uuid5(ACHIEVEMENT_NAMESPACE, f"cohort:{cohort.pk}"))


def attestation_language(*, user, template) -> str:
    wanted = user.preferred_language or settings.LANGUAGE_CODE
    languages = template.languages()
    if wanted in languages:
        return wanted
    return "fr" if "fr" in languages else languages[0]


def attestation_description(*, cohort: Cohort, language: str) -> str:
    with translation.override(language):
        dates = gettext("%(start)s to %(end)s") % {
            "start": formats.date_format(cohort.start_date, "DATE_FORMAT"),
            "end": formats.date_format(cohort.end_date, "DATE_FORMAT"),
        }
        if cohort.city:
            return gettext("Participation in the workshops of “%(cohort)s”, %(city)s, "
                           "%(dates)s.") % {"cohort": cohort.name, "city": cohort.city,
                                            "dates": dates}
        return gettext("Participation in the workshops of “%(cohort)s”, %(dates)s.") % {
            "cohort": cohort.name, "dates": dates}


def attestation_snapshot(*, membership: Membership, template) -> dict:
    """The fields of a membership's attestation, frozen at issue."""
    from certificates.services import snapshot_common

    cohort, user = membership.cohort, membership.user
    language = attestation_language(user=user, template=template)
    common = snapshot_common(user=user, template=template)
    attended, total, hours = sessions_attended(cohort=cohort, user_id=user.pk)
    completed = membership.completed_at or common["created_at"]
    return {
        **common,
        "enrolment": None,
        "membership": membership,
        "course": None,
        "course_title": cohort.name[:255],
        "course_description": attestation_description(cohort=cohort, language=language),
        "achievement_key": achievement_key(cohort),
        "language": language,
        "completion_date": completed.astimezone(cohort.zone).date(),
        "hours": hours,
        "grade": None,
        "competencies": [],
        "cohort_name": cohort.name[:200],
        "trainer_names": trainer_names(cohort)[:500],
        "sessions_attended": f"{attended} / {total}" if total else "",
    }


def _membership_for_issue(membership_id: int) -> Membership:
    return Membership.objects.select_related(
        "user__organisation", "cohort__certificate_template"
    ).get(pk=membership_id)


def attestation_issue(*, membership: Membership, notify: bool = True):
    """Issue (or finish issuing) the attestation of a completed membership. Idempotent.

    Like ``certificates.services.certificate_issue``: returns the membership's latest
    attestation when it has one, revoked or not; raises ``CertificateNotDue`` when the
    membership is not completed, its cohort follows modules (they carry the certificates) or
    has no template.
    """
    from certificates.models import Certificate
    from certificates.services import (
        CertificateNotDue,
        certificate_finish,
        certificate_insert,
    )

    membership = _membership_for_issue(membership.pk)
    existing = (
        Certificate.objects.filter(membership=membership).order_by("-created_at", "-pk").first()
    )
    if existing is None:
        cohort = membership.cohort
        if membership.state != MembershipState.COMPLETED:
            raise CertificateNotDue(f"membership {membership.pk} is not completed")
        if cohort.certificate_template is None or cohort_has_modules(cohort):
            raise CertificateNotDue(f"cohort {cohort.pk} awards no attestation")
        existing, _created = certificate_insert(
            fields=attestation_snapshot(membership=membership,
                                        template=cohort.certificate_template),
            current=Q(membership=membership),
        )
    return certificate_finish(certificate=existing, notify=notify)


def attestation_enqueue(*, membership_id: int) -> None:
    """Queue the issue task after commit (a lost task is caught by the sweep)."""
    from lms.celery import delay_on_commit

    from .tasks import attestation_issue_task

    delay_on_commit(attestation_issue_task, membership_id)


def attestations_for_holder(*, user) -> QuerySet:
    """A learner's attestations of participation, current first (for "My sessions")."""
    from certificates.models import Certificate

    return (
        Certificate.objects.filter(user=user, membership__isnull=False)
        .order_by("status", "-created_at")
    )


# --- the sweep ---------------------------------------------------------------------------------


def memberships_due_for_attestation(*, limit: int = 500) -> list[int]:
    """Completed memberships of module-less cohorts with a template whose attestation is
    missing, unfinished (no PDF after 10 minutes) or whose holder was never told."""
    from certificates.models import Certificate, CertificateStatus
    from certificates.selectors import (
        NOTIFICATION_OWED_AFTER,
        NOTIFICATION_OWED_WINDOW,
        STALE_WITHOUT_PDF,
    )

    now = timezone.now()
    any_attestation = Certificate.objects.filter(membership=OuterRef("pk"))
    current = any_attestation.filter(status=CertificateStatus.ISSUED)
    unfinished = current.filter(pdf="", created_at__lt=now - STALE_WITHOUT_PDF)
    not_told = current.filter(
        notified_at__isnull=True, created_at__lt=now - NOTIFICATION_OWED_AFTER,
        created_at__gte=now - NOTIFICATION_OWED_WINDOW,
    )
    with_modules = Cohort.modules.through.objects.filter(cohort_id=OuterRef("cohort_id"))
    return list(
        Membership.objects.filter(state=MembershipState.COMPLETED,
                                  cohort__certificate_template__isnull=False)
        .exclude(Exists(with_modules))
        .filter(~Exists(any_attestation) | Exists(unfinished) | Exists(not_told))
        .order_by("completed_at", "pk").values_list("pk", flat=True)[:limit]
    )


def completion_sweep(*, now: datetime | None = None) -> dict:
    """Hourly: complete the members of module-less cohorts that ended in the last 30 days
    when the rule holds, and queue the attestations still owed. Returns the counts."""
    from .services import membership_complete

    now = now or timezone.now()
    with_modules = Cohort.modules.through.objects.filter(cohort_id=OuterRef("cohort_id"))
    # Filtered on dates with a day of margin (zones); the rule decides in each cohort's zone.
    candidates = (
        Membership.objects.filter(
            state=MembershipState.ACTIVE,
            cohort__end_date__lte=(now + timedelta(days=1)).date(),
            cohort__end_date__gte=(now - SWEEP_WINDOW).date(),
        )
        .exclude(Exists(with_modules))
        .select_related("cohort")
    )
    completed: set[int] = set()
    for membership in candidates:
        if attendance_only_due(membership=membership, now=now):
            if membership_complete(membership=membership):  # queues its attestation itself
                completed.add(membership.pk)
    queued = [pk for pk in memberships_due_for_attestation() if pk not in completed]
    for membership_id in queued:
        attestation_enqueue(membership_id=membership_id)
    return {"completed": len(completed), "queued": len(queued)}
