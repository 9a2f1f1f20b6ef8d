"""Attendance as a requirement of completion, registered with ``courses.progress``.

An enrolment needs it when its learner is an active or completed member of a cohort that
follows the module, has sessions and a minimum attendance above 0: "attended 5 of 8 sessions
(80 % required)", met when attended ÷ sessions ≥ the minimum. Present and late count, excused
and absent do not. A learner in several such cohorts for one module is judged on the cohort
where they attended the most. One query for any number of enrolments, and none at all for
modules that no cohort with a minimum follows (the set of those modules is cached until a
cohort changes), so a lesson page of an open module costs what it cost before cohorts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import ngettext

from courses.progress import Requirement, register_requirement

from .models import (
    ATTENDED_STATUSES,
    Attendance,
    Cohort,
    Membership,
    MembershipState,
    Session,
)

ATTENDANCE = "attendance"
SEATED = (MembershipState.ACTIVE, MembershipState.COMPLETED)


MODULES_KEY = "cohorts:attendance-modules"


def modules_with_attendance() -> frozenset[int]:
    """Ids of the modules followed by a cohort with a minimum attendance (cached)."""
    ids = cache.get(MODULES_KEY)
    if ids is None:
        ids = frozenset(
            Cohort.modules.through.objects.filter(cohort__min_attendance_percent__gt=0)
            .values_list("coursepage_id", flat=True)
        )
        cache.set(MODULES_KEY, ids, 60 * 60)
    return ids


def modules_with_attendance_forget(**kwargs) -> None:
    """Connected to cohort changes: now, and again after commit (a reader between the two
    could have cached the old set)."""
    cache.delete(MODULES_KEY)
    transaction.on_commit(lambda: cache.delete(MODULES_KEY))


def sessions_needed(*, total: int, min_percent: int) -> int:
    """How many of ``total`` sessions a learner must attend (rounded up)."""
    return min(total, math.ceil(total * min_percent / 100))


def _count(queryset) -> Coalesce:
    return Coalesce(
        Subquery(queryset.order_by().values("n")[:1], output_field=IntegerField()), Value(0)
    )


def attendance_figures(*, user_ids, course_ids) -> list[dict]:
    """Per seated membership in a cohort with a minimum following one of the modules:
    user_id, course_id, cohort_id, min_percent, total (sessions), attended. One query."""
    total = (
        Session.objects.filter(cohort=OuterRef("cohort_id")).values("cohort")
        .annotate(n=Count("*"))
    )
    attended = (
        Attendance.objects.filter(
            session__cohort=OuterRef("cohort_id"), user=OuterRef("user_id"),
            status__in=ATTENDED_STATUSES,
        ).values("user").annotate(n=Count("*"))
    )
    return list(
        Membership.objects.filter(
            user_id__in=list(user_ids), state__in=SEATED,
            cohort__min_attendance_percent__gt=0,
            cohort__modules__in=list(course_ids),
        )
        .annotate(total=_count(total), attended=_count(attended))
        .values(
            "user_id", "cohort_id", "total", "attended",
            course_id=F("cohort__modules"), min_percent=F("cohort__min_attendance_percent"),
        )
    )


def attendance_requirement(total: int, attended: int, min_percent: int) -> Requirement:
    needed = sessions_needed(total=total, min_percent=min_percent)
    met = attended * 100 >= total * min_percent
    return Requirement(
        key=ATTENDANCE,
        label=ngettext(
            "attended %(done)s of %(total)s session (%(min)s %% required)",
            "attended %(done)s of %(total)s sessions (%(min)s %% required)",
            total,
        ) % {"done": attended, "total": total, "min": min_percent},
        done=min(attended, needed), needed=needed, met=met,
    )


@register_requirement
def attendance_requirements(*, enrolments: Sequence) -> dict[int, Requirement | None]:
    """The attendance requirement of each enrolment that has one (see the module docstring)."""
    modules = modules_with_attendance()
    concerned = [enrolment for enrolment in enrolments if enrolment.course_id in modules]
    if not concerned:
        return {}
    best: dict[tuple[int, int], dict] = {}
    rows = attendance_figures(
        user_ids={e.user_id for e in concerned}, course_ids={e.course_id for e in concerned}
    )
    for row in rows:
        if not row["total"]:
            continue
        key = (row["user_id"], row["course_id"])
        ratio = row["attended"] / row["total"] - row["min_percent"] / 100
        current = best.get(key)
        if current is None or ratio > current["ratio"]:
            best[key] = {**row, "ratio": ratio}
    result: dict[int, Requirement | None] = {}
    for enrolment in enrolments:
        row = best.get((enrolment.user_id, enrolment.course_id))
        result[enrolment.pk] = None if row is None else attendance_requirement(
            row["total"], row["attended"], row["min_percent"]
        )
    return result

