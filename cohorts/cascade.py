"""The trainers-of-trainers cascade: promotion to trainer, lineage, family trees and reach.

**Promotion.** A learner who completed a training-of-trainers cohort becomes a trainer when a
programme manager whose scope covers the cohort (or an administrator) presses "promote"
(``trainer_promote``), or at completion when the cohort promotes automatically
(``membership_completed``). Promotion adds the Trainers group and records one
``TrainerPromotion`` per person (a one-to-one constraint: two managers pressing at once, or a
manager and the automatic promotion, give one row; the loser reads the winner's). A person
promoted once stays promoted through that first cohort: a second training of trainers does not
rewrite their lineage.

**Who trained them** (``trainer_of_record``): sessions record no trainer, so the trainer of the
cohort who marked the most of the learner's attendance in its sessions stands for "the one who
led most of their sessions"; on a tie, or when nobody marked anything (online cohorts), the
cohort's first trainer (the first named, i.e. the lowest row of the cohort–trainer link). The
promoted person never counts as their own trainer (the model's check constraint).

**Lineage and reach.** ``cascade_tree(root=)`` and ``cascade_reach(root=)`` walk the promotions
downwards breadth-first, one query per generation (``trained_by__in`` the previous generation),
with a visited set so that inconsistent data (A trained B, later B trained A) cannot loop. We
chose the walk over a recursive CTE: a cascade is a handful of generations deep, the walk is
the same code on PostgreSQL and SQLite, and the counts that matter are then single aggregates:

- ``depth``: generations of trainers, the root included (A alone: 1; A trains B trains C: 3);
- ``trainers``: trainers promoted below the root, at any depth (A → B → C: 2);
- ``direct``: distinct learners seated (active or completed) in cohorts the root led;
- ``indirect``: distinct learners seated in cohorts led by the trainers below the root, who
  are not direct beneficiaries (so direct + indirect is everyone the cascade reached once).

A cohort's own trainers are not counted among its beneficiaries; a trainer trained in the
cascade is (C, a learner of B's training of trainers, is an indirect beneficiary of A).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from lms.access import (
    Role,
    is_administrator,
    is_programme_manager,
    is_trainer,
    users_in_scope_q,
)

from .models import Attendance, Cohort, Membership, MembershipState, TrainerPromotion

SEATED = (MembershipState.ACTIVE, MembershipState.COMPLETED)


# --- Promotion ------------------------------------------------------------------------------


def may_promote(user) -> bool:
    return bool(is_programme_manager(user) or is_administrator(user))


def trainer_of_record(*, cohort: Cohort, user_id: int) -> int | None:
    """The trainer credited with training ``user_id`` in ``cohort`` (module docstring)."""
    through = Cohort.trainers.through
    trainers = list(
        through.objects.filter(cohort_id=cohort.pk).exclude(user_id=user_id)
        .order_by("pk").values_list("user_id", flat=True)
    )
    if not trainers:
        return None
    marks = dict(
        Attendance.objects.filter(session__cohort=cohort, user_id=user_id,
                                  marked_by_id__in=trainers)
        .values("marked_by_id").annotate(n=Count("pk")).values_list("marked_by_id", "n")
    )
    # max() keeps the first of equals: the lowest link row on a tie.
    return max(trainers, key=lambda pk: marks.get(pk, 0))


@transaction.atomic
def _promote(*, membership: Membership, by) -> tuple[TrainerPromotion, bool]:
    cohort = membership.cohort
    promotion = TrainerPromotion.objects.filter(user_id=membership.user_id).first()
    created = False
    if promotion is None:
        promotion = TrainerPromotion(
            user_id=membership.user_id, cohort=cohort, promoted_by=by,
            trained_by_id=trainer_of_record(cohort=cohort, user_id=membership.user_id),
        )
        try:
            with transaction.atomic():  # savepoint: a concurrent promotion wins, we read it
                promotion.save()
            created = True
        except IntegrityError:
            promotion = TrainerPromotion.objects.get(user_id=membership.user_id)
    group, _created = Group.objects.get_or_create(name=Role.TRAINER)
    # Idempotent: adding a group the person already has inserts nothing. The navigation
    # cache is cleared by lms.navigation's m2m_changed receiver.
    membership.user.groups.add(group)
    return promotion, created


def trainer_promote(*, membership: Membership, by) -> tuple[TrainerPromotion, bool]:
    """A manager in scope (or an administrator) promotes a learner who completed a training of
    trainers. Returns (promotion, created); promoting again returns the existing one."""
    if not may_promote(by):
        raise PermissionDenied
    from .selectors import cohort_get_for_user

    cohort = cohort_get_for_user(user=by, pk=membership.cohort_id)  # 404 out of scope
    membership = Membership.objects.select_related("user", "cohort").get(pk=membership.pk)
    if not cohort.is_training_of_trainers:
        raise ValidationError(_("Only a training of trainers promotes its learners."))
    if membership.state != MembershipState.COMPLETED:
        raise ValidationError(_("Only a learner who completed the cohort can be promoted."))
    return _promote(membership=membership, by=by)


def membership_completed(*, membership: Membership) -> None:
    """What a completion leads to (called by ``services.membership_complete`` in its
    transaction): the attestation of an attendance-only cohort with a template, queued after
    commit; the automatic promotion of a training of trainers that asks for it."""
    from .attestations import attestation_enqueue, cohort_has_modules

    cohort = Cohort.objects.get(pk=membership.cohort_id)
    if cohort.certificate_template_id and not cohort_has_modules(cohort):
        attestation_enqueue(membership_id=membership.pk)
    if cohort.is_training_of_trainers and cohort.auto_promote:
        membership = Membership.objects.select_related("user", "cohort").get(pk=membership.pk)
        _promote(membership=membership, by=None)


# --- Reads -------------------------------------------------------------------------------------


def _scope_q(user, scope_q: Q | None) -> Q:
    from .selectors import cohort_scope_q

    return cohort_scope_q(user) if scope_q is None else scope_q


def promotions_awaiting(*, user, scope_q: Q | None = None) -> QuerySet[Membership]:
    """Completed members of trainings of trainers in ``user``'s scope, not promoted yet
    (``scope_q``: ``cohort_scope_q(user)`` when the caller already has it)."""
    if not may_promote(user):
        return Membership.objects.none()
    cohorts = Cohort.objects.filter(_scope_q(user, scope_q), is_training_of_trainers=True)
    return (
        Membership.objects.filter(cohort__in=cohorts, state=MembershipState.COMPLETED,
                                  user__trainer_promotion__isnull=True)
        .select_related("user", "user__organisation", "cohort")
        .order_by("-completed_at", "pk")
    )


def awaiting_membership_get(*, user, pk: int) -> Membership:
    """A membership of ``promotions_awaiting`` or of the same cohorts already promoted (so
    a second click answers "already promoted"), else 404."""
    if not may_promote(user):
        raise PermissionDenied
    from .selectors import cohort_scope_q

    membership = (
        Membership.objects.filter(
            cohort__in=Cohort.objects.filter(cohort_scope_q(user), is_training_of_trainers=True),
            pk=pk,
        ).select_related("user", "cohort").first()
    )
    if membership is None:
        raise Http404
    return membership


def tree_root_get(*, user, pk: int | None = None):
    """Whose family tree ``user`` may see: their own (trainers, administrators), or another
    trainer's for an administrator or a manager whose scope covers that person or one of the
    cohorts they led. 403 for someone with no tree; 404 for a person out of sight."""
    from lms.models import User

    from .selectors import cohort_scope_q

    if pk is None or pk == getattr(user, "pk", None):
        if not (is_trainer(user) or is_administrator(user)):
            raise PermissionDenied
        return user
    if not may_promote(user):
        raise Http404
    people = User.objects.filter(pk=pk, is_active=True)
    if not is_administrator(user):
        led = Cohort.trainers.through.objects.filter(
            cohort__in=Cohort.objects.filter(cohort_scope_q(user))).values("user_id")
        people = people.filter(users_in_scope_q(user) | Q(pk__in=led))
    person = people.first()
    if person is None:
        raise Http404
    return person


@dataclass
class TreeCohort:
    cohort: Cohort
    learners: int


@dataclass
class TreeNode:
    """A trainer in a family tree: the cohorts they led and the trainers they trained."""

    user: object
    promotion: TrainerPromotion | None
    level: int
    cohorts: list[TreeCohort] = field(default_factory=list)
    children: list[TreeNode] = field(default_factory=list)


@dataclass(frozen=True)
class Reach:
    depth: int
    trainers: int
    direct: int
    indirect: int


def _generations(root_id: int) -> list[list[TrainerPromotion]]:
    """The promotions below ``root_id``, generation by generation (one query each)."""
    seen = {root_id}
    frontier = [root_id]
    levels: list[list[TrainerPromotion]] = []
    while frontier:
        rows = [
            p for p in TrainerPromotion.objects.filter(trained_by_id__in=frontier)
            .select_related("user", "cohort").order_by("promoted_at", "pk")
            if p.user_id not in seen
        ]
        if not rows:
            break
        seen.update(p.user_id for p in rows)
        levels.append(rows)
        frontier = [p.user_id for p in rows]
    return levels


def _beneficiaries(trainer_ids) -> QuerySet:
    """Distinct learners seated in cohorts led by ``trainer_ids`` (not a cohort's own
    trainers), as a ``values("user_id")`` queryset to count or to exclude."""
    through = Cohort.trainers.through
    own_trainer = through.objects.filter(cohort_id=OuterRef("cohort_id"),
                                         user_id=OuterRef("user_id"))
    return (
        Membership.objects.filter(
            state__in=SEATED,
            cohort__in=through.objects.filter(user_id__in=list(trainer_ids)).values("cohort_id"),
        ).exclude(Exists(own_trainer)).values("user_id").distinct()
    )


def _reach(root_id: int, levels: list[list[TrainerPromotion]]) -> Reach:
    below = [p.user_id for level in levels for p in level]
    direct = _beneficiaries([root_id])
    indirect = (
        _beneficiaries(below).exclude(user_id__in=direct).exclude(user_id=root_id)
        if below else Membership.objects.none()
    )
    return Reach(depth=1 + len(levels), trainers=len(below), direct=direct.count(),
                 indirect=indirect.count() if below else 0)


def cascade_reach(*, root) -> Reach:
    """Depth, trainers trained below, direct and indirect beneficiaries of a trainer's cascade
    (module docstring): one query per generation, then two counts."""
    root_id = getattr(root, "pk", root)
    return _reach(root_id, _generations(root_id))


def cascade_tree(*, root) -> tuple[TreeNode, Reach]:
    """A trainer's family tree (nested nodes) and its reach. One query per generation for the
    promotions and one for the cohorts they led, with their learner counts."""
    levels = _generations(root.pk)
    nodes = {root.pk: TreeNode(user=root, promotion=None, level=1)}
    for depth, level in enumerate(levels, start=2):
        for promotion in level:
            node = TreeNode(user=promotion.user, promotion=promotion, level=depth)
            nodes[promotion.user_id] = node
            nodes[promotion.trained_by_id].children.append(node)
    links = (
        Cohort.trainers.through.objects.filter(user_id__in=list(nodes))
        .select_related("cohort")
        .annotate(learners=Count("cohort__memberships", filter=Q(
            cohort__memberships__state__in=SEATED), distinct=True))
        .order_by("cohort__start_date", "cohort_id")
    )
    for link in links:
        nodes[link.user_id].cohorts.append(TreeCohort(cohort=link.cohort, learners=link.learners))
    return nodes[root.pk], _reach(root.pk, levels)


def promotions_recent(*, user, scope_q: Q | None = None,
                      limit: int = 20) -> QuerySet[TrainerPromotion]:
    """The latest promotions from trainings of trainers in ``user``'s scope (links to the new
    trainers' family trees)."""
    if not may_promote(user):
        return TrainerPromotion.objects.none()
    return (
        TrainerPromotion.objects.filter(
            cohort__in=Cohort.objects.filter(_scope_q(user, scope_q)))
        .select_related("user", "cohort", "trained_by")
        .order_by("-promoted_at", "-pk")[:limit]
    )


def on_enrolment_completed(sender, enrolment, **kwargs) -> None:
    """``courses.signals.enrolment_completed`` (inside the completing transaction, connected in
    ``CohortsConfig.ready``): a member whose last module of a cohort completes online completes
    the cohort — and a training of trainers that promotes automatically promotes them. (After
    attendance marks, ``services.cohort_member_evaluate`` does the same.) One query when the
    learner is in no such cohort."""
    from courses.models import Enrolment, EnrolmentStatus

    from .services import membership_complete

    memberships = list(Membership.objects.filter(
        user_id=enrolment.user_id, state=MembershipState.ACTIVE,
        cohort__modules=enrolment.course_id,
    ))
    for membership in memberships:
        modules = set(Cohort.modules.through.objects.filter(
            cohort_id=membership.cohort_id).values_list("coursepage_id", flat=True))
        done = set(Enrolment.objects.filter(
            user_id=enrolment.user_id, course_id__in=modules, status=EnrolmentStatus.COMPLETED,
        ).values_list("course_id", flat=True))
        if done >= modules:
            membership_complete(membership=membership)
