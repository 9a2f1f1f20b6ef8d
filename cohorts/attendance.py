"""The attendance register of a session: read, save in one POST, rates.

``register_save`` upserts every row of the form in a constant number of queries, whatever the
group's size: the session's rows are locked (``select_for_update``), missing rows inserted with
``ON CONFLICT DO NOTHING`` (a trainer saving at the same moment may have inserted them) and
locked in turn, then only the rows whose values differ are updated and audited. Submitting the
same form twice (a network drop and a retry) changes nothing and writes no audit row; two
trainers saving at once are served one after the other by the row locks and lose no row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.utils import timezone

from .models import (
    ATTENDED_STATUSES,
    Attendance,
    AttendanceChange,
    AttendanceStatus,
    Membership,
    MembershipState,
    Session,
)


@dataclass
class RegisterRow:
    membership: Membership
    status: str
    remark: str
    signed: bool = False  # a signature drawn on the trainer's phone (cohorts.evidence)

    @property
    def user(self):
        return self.membership.user


def register_members(*, session: Session) -> list[Membership]:
    return list(
        Membership.objects.filter(cohort_id=session.cohort_id, state__in=(
            MembershipState.ACTIVE, MembershipState.COMPLETED))
        .select_related("user").order_by("user__full_name", "user__email", "pk")
    )


def register_rows(*, session: Session) -> list[RegisterRow]:
    """One row per active (or completed) member with their current mark, in name order."""
    members = register_members(session=session)
    marks = {a.user_id: a for a in Attendance.objects.filter(session=session)
             .defer("signature_svg").annotate(has_signature=ExpressionWrapper(
                 ~Q(signature_svg=""), output_field=BooleanField()))}
    return [
        RegisterRow(membership=m, status=marks[m.user_id].status if m.user_id in marks else "",
                    remark=marks[m.user_id].remark if m.user_id in marks else "",
                    signed=m.user_id in marks and marks[m.user_id].has_signature)
        for m in members
    ]


def register_save(*, session: Session, by, marks: Mapping[int, tuple[str, str]],
                  method: str = "register", device_time: datetime | None = None) -> int:
    """Save ``{user_id: (status, remark)}`` for members of the session's cohort (others are
    ignored; an empty status leaves the row alone). Returns the number of rows changed."""
    valid = set(AttendanceStatus.values)
    member_ids = set(
        Membership.objects.filter(cohort_id=session.cohort_id, state__in=(
            MembershipState.ACTIVE, MembershipState.COMPLETED)).values_list("user_id", flat=True)
    )
    wanted = {
        uid: (status, (remark or "").strip()[:300]) for uid, (status, remark) in marks.items()
        if uid in member_ids and status in valid
    }
    if not wanted:
        return 0
    changed_users: list[int] = []
    with transaction.atomic():
        Attendance.objects.bulk_create(
            [Attendance(session=session, user_id=uid, status=status, remark=remark, marked_by=by,
                        device_marked_at=device_time)
             for uid, (status, remark) in wanted.items()],
            ignore_conflicts=True,
        )
        # Lock every row of the form (a concurrent save waits here). A row without an audit
        # row was inserted by this call: a concurrent insert commits with its audit before
        # the lock is granted.
        rows = list(
            Attendance.objects.select_for_update().filter(session=session, user_id__in=wanted)
            .defer("signature_svg")
        )
        audited = set(AttendanceChange.objects.filter(
            attendance__in=[r.pk for r in rows]).values_list("attendance_id", flat=True).distinct())
        now = timezone.now()
        updates, changes, unattended = [], [], []
        for row in rows:
            status, remark = wanted[row.user_id]
            if row.pk not in audited:
                changes.append(AttendanceChange(
                    attendance=row, changed_by=by, device_time=device_time, method=method,
                    new_status=row.status, new_remark=row.remark))
                changed_users.append(row.user_id)
            if (row.status, row.remark) == (status, remark):
                continue
            changes.append(AttendanceChange(
                attendance=row, changed_by=by, device_time=device_time, method=method,
                old_status=row.status, new_status=status, old_remark=row.remark,
                new_remark=remark))
            row.status, row.remark, row.marked_by, row.marked_at = status, remark, by, now
            row.device_marked_at = device_time
            if status not in ATTENDED_STATUSES:
                unattended.append(row.pk)
            updates.append(row)
            changed_users.append(row.user_id)
        if updates:
            Attendance.objects.bulk_update(
                updates, ["status", "remark", "marked_by", "marked_at", "device_marked_at"])
        if unattended:
            # A phone signature (cohorts.evidence) is evidence of presence: it goes with it.
            Attendance.objects.filter(pk__in=unattended).exclude(signature_svg="").update(
                signature_svg="")
        if changes:
            AttendanceChange.objects.bulk_create(changes)
        if changed_users:
            from lms.celery import delay_on_commit

            from .tasks import attendance_evaluate

            delay_on_commit(attendance_evaluate, session.pk, sorted(set(changed_users)))
    return len(set(changed_users))


# --- Rates --------------------------------------------------------------------------------


def session_rate(*, session: Session) -> dict:
    """Marked, attended and the share attended of the members marked (one aggregate)."""
    figures = Attendance.objects.filter(session=session).aggregate(
        marked=Count("pk"), attended=Count("pk", filter=Q(status__in=ATTENDED_STATUSES)))
    marked, attended = figures["marked"], figures["attended"]
    return {"marked": marked, "attended": attended,
            "percent": round(100 * attended / marked) if marked else None}


def learner_rate(*, cohort, user) -> dict:
    """Sessions held so far (date passed or today) and the learner's attended ones."""
    today = timezone.now().astimezone(cohort.zone).date()
    figures = Session.objects.filter(cohort=cohort, date__lte=today).aggregate(
        held=Count("pk", distinct=True),
        attended=Count("attendance", filter=Q(attendance__user=user,
                                              attendance__status__in=ATTENDED_STATUSES),
                       distinct=True),
    )
    held, attended = figures["held"], figures["attended"]
    return {"held": held, "attended": attended,
            "percent": round(100 * attended / held) if held else None}
