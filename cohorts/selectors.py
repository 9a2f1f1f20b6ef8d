"""Reads on cohorts: the one scope entry point per role, member search, open cohorts.

Who sees a cohort in the workspace (``cohorts_for``): an administrator every cohort; a trainer
the cohorts they lead; a programme manager the cohorts of their scope — the cohort's
organisation is one of ``organisations_in_scope_q``, or its country is one of the scope's
countries, or one of its members is in ``users_in_scope_q``. Each view asks
``cohort_get_for_user``, which answers 404 for a cohort out of sight (never 403: its existence
is not disclosed).
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from lms.access import (
    NOTHING,
    is_administrator,
    is_programme_manager,
    is_trainer,
    manager_scope_get,
    organisations_in_scope_q,
    users_in_scope_q,
)
from lms.models import Organisation, User

from .models import Cohort, Invitation, Membership, MembershipState


def may_use_workspace(user) -> bool:
    """Trainers, programme managers and administrators have a cohorts workspace."""
    return bool(is_trainer(user) or is_programme_manager(user) or is_administrator(user))


def cohort_scope_q(user) -> Q:
    """The cohorts ``user`` may see and manage, as a ``Q`` on Cohort."""
    if not getattr(user, "is_authenticated", False):
        return NOTHING
    if is_administrator(user):
        return Q()
    q = NOTHING
    if is_trainer(user):
        q |= Q(pk__in=Cohort.trainers.through.objects.filter(user_id=user.pk).values("cohort_id"))
    scope = manager_scope_get(user)
    if scope is not None:
        q |= Q(organisation__in=Organisation.objects.filter(organisations_in_scope_q(user)))
        if scope.country_codes:
            q |= Q(country__in=sorted(scope.country_codes))
        members_q = users_in_scope_q(user, via="user")
        q |= Q(pk__in=Membership.objects.filter(members_q).values("cohort_id"))
    return q


def cohorts_for(user) -> QuerySet[Cohort]:
    """The cohorts of the workspace list, with their organisation and member counts."""
    return (
        Cohort.objects.filter(cohort_scope_q(user))
        .select_related("organisation")
        .annotate(
            active_count=Count("memberships", filter=Q(memberships__state=MembershipState.ACTIVE)),
            waiting_count=Count(
                "memberships", filter=Q(memberships__state=MembershipState.REQUESTED)
            ),
        )
        .order_by("-start_date", "pk")
    )


def cohort_get_for_user(*, user, pk: int) -> Cohort:
    """The cohort if ``user`` may manage it, else 404."""
    cohort = (
        Cohort.objects.filter(cohort_scope_q(user), pk=pk)
        .select_related("organisation").first()
    )
    if cohort is None:
        raise Http404
    return cohort


def cohort_members(*, cohort: Cohort) -> QuerySet[Membership]:
    """Members in the order a trainer reads them: active first, then waiting (in arrival
    order), invited, completed, withdrawn."""
    order = {
        MembershipState.ACTIVE: 0, MembershipState.REQUESTED: 1, MembershipState.INVITED: 2,
        MembershipState.COMPLETED: 3, MembershipState.WITHDRAWN: 4,
    }
    from django.db.models import Case, IntegerField, Value, When

    return (
        cohort.memberships.select_related("user", "user__organisation")
        .annotate(state_order=Case(
            *[When(state=state, then=Value(rank)) for state, rank in order.items()],
            output_field=IntegerField(),
        ))
        .order_by("state_order", "requested_at", "pk")
    )


def cohort_open_invitations(*, cohort: Cohort) -> QuerySet[Invitation]:
    return cohort.invitations.filter(accepted_at__isnull=True).order_by("-created_at")


SEARCH_MIN_CHARS = 3
SEARCH_LIMIT = 20


def member_candidates(*, user, cohort: Cohort, query: str) -> list[User]:
    """Accounts ``user`` may add to ``cohort``, matching ``query``, not already seated.

    Minimal exposure of personal data: anyone finds an account by its exact e-mail address
    (they already know it); beyond that, a trainer searches names and e-mails only among the
    learners of their own organisation and of their cohorts, a manager among the people of
    their scope, an administrator everyone. At most 20 answers, from 3 characters.
    """
    query = query.strip()
    if len(query) < SEARCH_MIN_CHARS:
        return []
    if is_administrator(user):
        pool = Q()
    else:
        pool = users_in_scope_q(user)
        if user.organisation_id is not None:
            pool |= Q(organisation_id=user.organisation_id)
    text = Q(full_name__icontains=query) | Q(email__icontains=query)
    seated = Membership.objects.filter(
        cohort=cohort, user=OuterRef("pk"),
        state__in=(MembershipState.ACTIVE, MembershipState.COMPLETED),
    )
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(email__iexact=query) | (pool & text))
        .exclude(Exists(seated))
        .select_related("organisation")
        .order_by("full_name", "email")[:SEARCH_LIMIT]
    )


def trainers_choosable(*, user) -> QuerySet[User]:
    """Who ``user`` may name as trainers of a cohort: users with the Trainer role — an
    administrator any, a manager those of their scope, a trainer themselves and the trainers
    of their organisation."""
    from lms.access import Role

    trainers = User.objects.filter(is_active=True, groups__name=Role.TRAINER)
    if is_administrator(user):
        return trainers.order_by("full_name", "email")
    q = Q(pk=user.pk)
    if is_programme_manager(user):
        q |= users_in_scope_q(user)
    if user.organisation_id is not None:
        q |= Q(organisation_id=user.organisation_id)
    return trainers.filter(q).order_by("full_name", "email")


def open_cohorts_for_module(*, course) -> list[Cohort]:
    """Open cohorts following a module (its source page) that still accept requests."""
    from django.utils import timezone

    today = timezone.now().date()
    cohorts = (
        Cohort.objects.filter(is_open=True, modules=course, end_date__gte=today)
        .filter(Q(registration_deadline__isnull=True) | Q(registration_deadline__gte=today))
        .annotate(active_count=Count(
            "memberships", filter=Q(memberships__state=MembershipState.ACTIVE)))
        .order_by("start_date", "pk")
    )
    return list(cohorts)


def membership_of(*, user, cohorts) -> dict[int, Membership]:
    """The user's memberships in these cohorts, by cohort id (one query)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    return {
        m.cohort_id: m
        for m in Membership.objects.filter(user=user, cohort__in=[c.pk for c in cohorts])
    }


def _join_options(*, course, user) -> list:
    """``courses.hooks`` provider: the open cohorts of a cohort-only module (two queries)."""
    from django.urls import reverse
    from django.utils.formats import date_format
    from django.utils.translation import gettext, ngettext

    from courses.hooks import JoinOption

    cohorts = open_cohorts_for_module(course=course)
    mine = membership_of(user=user, cohorts=cohorts)
    options = []
    for cohort in cohorts:
        dates = gettext("%(start)s to %(end)s") % {
            "start": date_format(cohort.start_date), "end": date_format(cohort.end_date)
        }
        membership = mine.get(cohort.pk)
        if membership is not None and membership.state in (
            MembershipState.ACTIVE, MembershipState.COMPLETED
        ):
            status = gettext("You are a member.")
        elif membership is not None and membership.state == MembershipState.REQUESTED:
            status = gettext("You are on the waiting list.")
        elif cohort.capacity is None:
            status = ""
        else:
            left = max(cohort.capacity - cohort.active_count, 0)
            status = ngettext("%(n)s place left", "%(n)s places left", left) % {"n": left} \
                if left else gettext("Full: requests join the waiting list.")
        options.append(JoinOption(
            label=cohort.name,
            url=reverse("cohorts:open_cohort", kwargs={"pk": cohort.pk}),
            detail=" · ".join(part for part in (dates, cohort.city, status) if part),
        ))
    return options


def register_join_provider() -> None:
    from courses.hooks import register_join_provider as register

    register(_join_options)


# --- Progress table ---------------------------------------------------------------------------

PROGRESS_SORTS = ("name", "module", "requirements", "lessons", "last_activity", "pre_test",
                  "final", "attendance")


def cohort_progress_table(*, cohort: Cohort, sort: str = "name") -> dict:
    """One row per seated member × module of the cohort, from the shared progress model:
    requirements met, lessons done, last activity, pre-test score, best final score, attendance
    rate. A constant number of queries whatever the size of the cohort (sorting in memory).
    Returns {"rows": [...], "modules": [...], "sessions": n, "sort": key}."""
    from django.db.models import Max

    from courses.models import CoursePage, Enrolment, LessonProgress, QuizAttempt
    from courses.progress import progress_of, requirements_for_many

    from .models import ATTENDED_STATUSES, Attendance

    members = list(
        cohort.memberships.filter(state__in=(MembershipState.ACTIVE, MembershipState.COMPLETED))
        .select_related("user", "user__organisation").order_by("user__full_name", "user__email")
    )
    modules = list(cohort.modules.order_by("title").only("pk", "title", "path", "depth",
                                                        "pre_test_id"))
    user_ids = [m.user_id for m in members]
    module_ids = [m.pk for m in modules]
    enrolments = {
        (e.user_id, e.course_id): e
        for e in Enrolment.objects.with_progress().select_related("course")
        .filter(user_id__in=user_ids, course_id__in=module_ids)
    }
    requirements = requirements_for_many(enrolments=list(enrolments.values()))
    pre_tests = {m.pre_test_id: m.pk for m in modules if m.pre_test_id}
    pre_scores = {
        (row["user_id"], pre_tests[row["quiz_id"]]): row["best"]
        for row in QuizAttempt.objects.filter(user_id__in=user_ids, quiz_id__in=list(pre_tests))
        .values("user_id", "quiz_id").annotate(best=Max("score")).order_by()
    }
    # Last activity: the latest lesson done in each module (lessons are children of modules).
    last_lessons: dict[tuple[int, int], object] = {}
    if modules:
        by_path = {m.path: m.pk for m in modules}
        steplen = CoursePage.steplen
        rows = (
            LessonProgress.objects.filter(user_id__in=user_ids,
                                          lesson__depth=modules[0].depth + 1)
            .filter(_paths_q(modules)).values("user_id", "lesson__path")
            .annotate(last=Max("completed_at")).order_by()
        )
        for row in rows:
            module_id = by_path.get(row["lesson__path"][:-steplen])
            if module_id is None:
                continue
            key = (row["user_id"], module_id)
            if key not in last_lessons or row["last"] > last_lessons[key]:
                last_lessons[key] = row["last"]
    sessions = cohort.sessions.count()
    attended = dict(
        Attendance.objects.filter(session__cohort=cohort, user_id__in=user_ids,
                                  status__in=ATTENDED_STATUSES)
        .values("user_id").annotate(n=Count("*")).values_list("user_id", "n").order_by()
    )
    table = []
    for membership in members:
        rate = (attended.get(membership.user_id, 0) * 100 / sessions) if sessions else None
        for module in modules or [None]:
            enrolment = enrolments.get((membership.user_id, module.pk)) if module else None
            reqs = requirements.get(enrolment.pk, []) if enrolment else []
            progress = progress_of(reqs) if enrolment else None
            lessons = progress.lessons if progress else None
            table.append({
                "membership": membership,
                "user": membership.user,
                "name": membership.user.get_full_name() or membership.user.email,
                "module": module,
                "module_title": module.title if module else "",
                "enrolment": enrolment,
                "requirements_met": sum(1 for r in reqs if r.met),
                "requirements_total": len(reqs),
                "complete": bool(enrolment and enrolment.is_completed),
                "percent": progress.percent if progress else None,
                "lessons_done": lessons.done if lessons else None,
                "lessons_total": lessons.needed if lessons else None,
                "last_activity": last_lessons.get((membership.user_id, module.pk))
                if module else None,
                "pre_test": pre_scores.get((membership.user_id, module.pk)) if module else None,
                "final": enrolment.progress_final_best if enrolment else None,
                "attended": attended.get(membership.user_id, 0),
                "attendance": rate,
            })
    key = sort.removeprefix("-")
    if key not in PROGRESS_SORTS:
        sort, key = "name", "name"
    sort_keys = {
        "name": lambda r: (r["name"].casefold(), r["module_title"]),
        "module": lambda r: (r["module_title"], r["name"].casefold()),
        "requirements": lambda r: (r["percent"] is None, r["percent"] or 0),
        "lessons": lambda r: (r["lessons_done"] is None, r["lessons_done"] or 0),
        "last_activity": lambda r: (r["last_activity"] is None, r["last_activity"] or 0),
        "pre_test": lambda r: (r["pre_test"] is None, r["pre_test"] or 0),
        "final": lambda r: (r["final"] is None, r["final"] or 0),
        "attendance": lambda r: (r["attendance"] is None, r["attendance"] or 0),
    }
    table.sort(key=sort_keys[key], reverse=sort.startswith("-"))
    if sort.startswith("-"):
        # Missing values stay last in both directions.
        table.sort(key=lambda r: sort_keys[key](r)[0] if key not in ("name", "module") else 0)
    return {"rows": table, "modules": modules, "sessions": sessions, "sort": sort}


def _paths_q(modules) -> Q:
    q = NOTHING
    for module in modules:
        q |= Q(lesson__path__startswith=module.path)
    return q
