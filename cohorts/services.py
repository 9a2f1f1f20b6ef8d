"""Writes on cohorts and memberships: creation, members, invitations, open cohorts' waiting list.

Races are decided by the database. A membership is one row per learner × cohort (unique
constraint; an insert that loses the race re-reads the winner). Seats of an open cohort are
counted inside the transaction after locking the cohort row (``select_for_update``), so twenty
requests for the last seat are served one after the other: one member, nineteen on the waiting
list in arrival order (``requested_at``, set under the lock). A membership's state changes by a
conditional ``UPDATE … WHERE state = …``, like ``courses.completion.enrolment_evaluate``.

An active member is enrolled in the cohort's modules (``enrolment_create(by_organiser=True)``);
withdrawing keeps the enrolments and their progress (re-joining picks up where they stopped).
E-mails leave after commit, in the language of the invitation or of the learner.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courses.models import CoursePage, Enrolment, EnrolmentStatus
from lms.access import Role, is_administrator, is_programme_manager, is_trainer

from .models import Cohort, Invitation, Membership, MembershipState

# States in which a learner holds a seat (and follows the cohort's modules).
SEATED_STATES = (MembershipState.ACTIVE, MembershipState.COMPLETED)


class MembershipNotAllowed(ValidationError):
    """A request, cancellation or invitation that the cohort's rules refuse (with a message)."""


# --- Cohorts ------------------------------------------------------------------------------------


def _ensure_may_create(by) -> None:
    if not (is_trainer(by) or is_programme_manager(by) or is_administrator(by)):
        raise PermissionDenied(_("Only trainers and programme managers create cohorts."))


def _trainers_with_creator(*, by, trainers: Iterable) -> list:
    trainers = list(trainers)
    # A trainer who creates a cohort leads it; a manager may create one for other trainers.
    if is_trainer(by) and not (is_programme_manager(by) or is_administrator(by)):
        if all(getattr(t, "pk", t) != by.pk for t in trainers):
            trainers.append(by)
    _check_trainers(trainers)
    return trainers


def _check_trainers(trainers: list) -> None:
    from lms.models import User

    if not trainers:
        raise ValidationError({"trainers": _("A cohort needs at least one trainer.")})
    ids = {getattr(t, "pk", t) for t in trainers}
    with_role = User.objects.filter(pk__in=ids, is_active=True, groups__name=Role.TRAINER)
    if with_role.count() != len(ids):
        raise ValidationError({"trainers": _("Only people with the trainer role lead cohorts.")})


def _source_modules(modules: Iterable[CoursePage]) -> list[CoursePage]:
    pages = list(modules)
    for page in pages:
        source = page.locale.language_code == settings.LANGUAGE_CODE
        if page.alias_of_id or not page.live or not source:
            raise ValidationError(
                {"modules": _("Choose published modules in the source language.")}
            )
    return pages


@transaction.atomic
def cohort_create(
    *, by, modules: Iterable[CoursePage] = (), trainers: Iterable = (), **fields: Any
) -> Cohort:
    """Create a cohort. ``fields`` are the model's plain fields (name, dates, time zone…)."""
    _ensure_may_create(by)
    cohort = Cohort(created_by=by, **fields)
    cohort.full_clean()
    cohort.save()
    # In the order given (``set()`` would insert them in a set's order): the first trainer
    # is the cohort's trainer of record on a tie (``cohorts.cascade.trainer_of_record``).
    ordered = list(dict.fromkeys(getattr(t, "pk", t)
                                 for t in _trainers_with_creator(by=by, trainers=trainers)))
    Cohort.trainers.through.objects.bulk_create(
        [Cohort.trainers.through(cohort=cohort, user_id=pk) for pk in ordered])
    cohort.modules.set(_source_modules(modules))
    return cohort


@transaction.atomic
def cohort_update(
    *, cohort: Cohort, by, modules: Iterable[CoursePage] | None = None,
    trainers: Iterable | None = None, **fields: Any,
) -> Cohort:
    """Change a cohort; new modules enrol its seated members at once."""
    for name, value in fields.items():
        setattr(cohort, name, value)
    cohort.full_clean()
    cohort.save()
    if trainers is not None:
        trainers = list(trainers)
        _check_trainers(trainers)
        cohort.trainers.set(trainers)
    if modules is not None:
        before = set(cohort.modules.values_list("pk", flat=True))
        pages = _source_modules(modules)
        cohort.modules.set(pages)
        added = [page for page in pages if page.pk not in before]
        if added:
            members = cohort.memberships.filter(state=MembershipState.ACTIVE).select_related("user")
            for membership in members:
                _enrol(user=membership.user, modules=added)
    return cohort


def _enrol(*, user, modules: Iterable[CoursePage]) -> None:
    from courses.services import enrolment_create

    for module in modules:
        enrolment_create(user=user, course=module, by_organiser=True)


# --- Memberships --------------------------------------------------------------------------------


def _membership_get_or_create(
    *, cohort: Cohort, user, state: str, by=None
) -> tuple[Membership, bool]:
    membership = Membership.objects.filter(cohort=cohort, user=user).first()
    if membership is not None:
        return membership, False
    now = timezone.now()
    membership = Membership(
        cohort=cohort, user=user, state=state, added_by=by,
        joined_at=now if state == MembershipState.ACTIVE else None,
    )
    membership.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():  # savepoint: a concurrent insert wins, we read it
            membership.save()
    except IntegrityError:
        return Membership.objects.get(cohort=cohort, user=user), False
    return membership, True


def _transition(membership: Membership, *, to: str, from_states: Iterable[str], **fields) -> bool:
    """Change the state only if it still is one of ``from_states`` (the database decides)."""
    updated = Membership.objects.filter(pk=membership.pk, state__in=list(from_states)).update(
        state=to, **fields
    )
    if updated:
        membership.state = to
        for name, value in fields.items():
            setattr(membership, name, value)
    return bool(updated)


@transaction.atomic
def membership_add(*, cohort: Cohort, user, by=None) -> Membership:
    """Add a learner as an active member (idempotent). Reactivates a withdrawn, invited or
    waiting membership; keeps a completed one. A trainer's addition ignores the capacity."""
    membership, created = _membership_get_or_create(
        cohort=cohort, user=user, state=MembershipState.ACTIVE, by=by
    )
    if not created:
        _transition(
            membership, to=MembershipState.ACTIVE,
            from_states=(MembershipState.WITHDRAWN, MembershipState.INVITED,
                         MembershipState.REQUESTED),
            joined_at=timezone.now(), left_at=None,
        )
    if membership.state == MembershipState.ACTIVE:
        _enrol(user=user, modules=cohort.modules.all())
    _navigation_forget(user)
    return membership


def _navigation_forget(user) -> None:
    # "My sessions" appears in the navigation of a person with a membership (cached).
    from lms.navigation import workspaces_forget

    transaction.on_commit(lambda: workspaces_forget(user_pks=[user.pk]))


@transaction.atomic
def membership_withdraw(*, membership: Membership, by=None) -> Membership:
    """Take a learner out of a cohort (their progress is kept). A freed seat of an open cohort
    goes to the first person waiting."""
    cohort = Cohort.objects.select_for_update().get(pk=membership.cohort_id)
    was_active = membership.state == MembershipState.ACTIVE
    changed = _transition(
        membership, to=MembershipState.WITHDRAWN,
        from_states=(MembershipState.ACTIVE, MembershipState.INVITED, MembershipState.REQUESTED),
        left_at=timezone.now(),
    )
    if changed and was_active:
        _waitlist_promote(cohort=cohort)
    return membership


def membership_complete(*, membership: Membership) -> bool:
    """Mark an active member as having completed the cohort. True only for the call that does.

    That call also does what completion leads to (``cohorts.cascade``): the attestation of an
    attendance-only cohort with a template is queued after commit, and a training of trainers
    that promotes automatically makes the member a trainer."""
    with transaction.atomic():
        done = _transition(
            membership, to=MembershipState.COMPLETED, from_states=(MembershipState.ACTIVE,),
            completed_at=timezone.now(),
        )
        if done:
            from .cascade import membership_completed

            membership_completed(membership=membership)
    return done


# --- Open cohorts: requests and the waiting list ---------------------------------------------


def cohort_today(cohort: Cohort) -> date:
    return timezone.now().astimezone(cohort.zone).date()


def cohort_accepts_requests(cohort: Cohort) -> bool:
    """Open, not past its registration deadline nor its end (in the cohort's time zone)."""
    today = cohort_today(cohort)
    deadline = cohort.registration_deadline or cohort.end_date
    return bool(cohort.is_open and today <= deadline and today <= cohort.end_date)


def _seats_free(cohort: Cohort) -> bool:
    if cohort.capacity is None:
        return True
    taken = Membership.objects.filter(cohort=cohort, state=MembershipState.ACTIVE).count()
    return taken < cohort.capacity


@transaction.atomic
def membership_request(*, cohort: Cohort, user) -> Membership:
    """Ask for a place in an open cohort: a member if a seat is free, else on the waiting list
    in arrival order. Asking again changes nothing; after a withdrawal it asks anew."""
    # The lock serialises requests for this cohort: seats are counted after it.
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    existing = Membership.objects.filter(cohort=cohort, user=user).first()
    if existing is not None and existing.state != MembershipState.WITHDRAWN:
        if existing.state == MembershipState.INVITED:
            return membership_add(cohort=cohort, user=user)
        return existing
    if not cohort_accepts_requests(cohort):
        raise MembershipNotAllowed(_("This cohort no longer accepts requests."))
    state = MembershipState.ACTIVE if _seats_free(cohort) else MembershipState.REQUESTED
    now = timezone.now()
    if existing is None:
        membership, created = _membership_get_or_create(cohort=cohort, user=user, state=state)
    else:
        membership, created = existing, False
    if not created:
        # Back from a withdrawal: a new arrival at the end of the queue.
        _transition(
            membership, to=state, from_states=(MembershipState.WITHDRAWN,), requested_at=now,
            left_at=None, joined_at=now if state == MembershipState.ACTIVE else None,
        )
    if membership.state == MembershipState.ACTIVE:
        _enrol(user=user, modules=cohort.modules.all())
    _navigation_forget(user)
    return membership


@transaction.atomic
def membership_cancel(*, cohort: Cohort, user) -> Membership | None:
    """A learner leaves an open cohort or its waiting list; their seat goes to the first
    person waiting (who gets an e-mail). None if they had nothing to cancel."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    membership = Membership.objects.filter(
        cohort=cohort, user=user,
        state__in=(MembershipState.ACTIVE, MembershipState.REQUESTED, MembershipState.INVITED),
    ).first()
    if membership is None:
        return None
    was_active = membership.state == MembershipState.ACTIVE
    if _transition(
        membership, to=MembershipState.WITHDRAWN, from_states=(membership.state,),
        left_at=timezone.now(),
    ) and was_active:
        _waitlist_promote(cohort=cohort)
    return membership


def _waitlist_promote(*, cohort: Cohort) -> list[Membership]:
    """Give free seats to the people waiting, first come first served (cohort row locked)."""
    promoted: list[Membership] = []
    if cohort_today(cohort) > cohort.end_date:
        return promoted
    while _seats_free(cohort):
        waiting = (
            Membership.objects.filter(cohort=cohort, state=MembershipState.REQUESTED)
            .select_related("user").order_by("requested_at", "pk").first()
        )
        if waiting is None:
            break
        if _transition(waiting, to=MembershipState.ACTIVE, from_states=(MembershipState.REQUESTED,),
                       joined_at=timezone.now()):
            _enrol(user=waiting.user, modules=cohort.modules.all())
            promoted.append(waiting)
            _mail_on_commit(
                template="seat_offered", to=waiting.user.email,
                language=waiting.user.preferred_language or cohort.language,
                context={"cohort": cohort, "user": waiting.user},
            )
    return promoted


def waitlist_position(*, membership: Membership) -> int | None:
    """1 for the first person waiting; None if not waiting."""
    if membership.state != MembershipState.REQUESTED:
        return None
    return Membership.objects.filter(
        Q(requested_at__lt=membership.requested_at)
        | Q(requested_at=membership.requested_at, pk__lt=membership.pk),
        cohort_id=membership.cohort_id, state=MembershipState.REQUESTED,
    ).count() + 1


# --- Invitations --------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def invitation_url(invitation: Invitation) -> str:
    with translation.override(invitation.language):
        return _absolute(reverse("cohorts:join", kwargs={"token": invitation.token}))


def _mail_on_commit(*, template: str, to: str, language: str, context: dict) -> None:
    def send() -> None:
        with translation.override(language):
            subject = render_to_string(f"cohorts/email/{template}_subject.txt", context).strip()
            body = render_to_string(f"cohorts/email/{template}.txt", {
                **context, "site_url": settings.SITE_URL,
            })
        send_mail(subject, body, None, [to])

    transaction.on_commit(send)


@transaction.atomic
def invitation_create(*, cohort: Cohort, email: str, language: str = "", by=None) -> Invitation:
    """Invite someone by e-mail, in ``language`` (the cohort's by default). Inviting the same
    address again while the invitation is open sends it again."""
    email = email.strip()
    language = language or cohort.language
    invitation = Invitation.objects.filter(
        cohort=cohort, email__iexact=email, accepted_at__isnull=True
    ).first()
    if invitation is None:
        invitation = Invitation(cohort=cohort, email=email, language=language, invited_by=by)
        invitation.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                invitation.save()
        except IntegrityError:
            invitation = Invitation.objects.get(
                cohort=cohort, email=email, accepted_at__isnull=True
            )
    elif invitation.language != language:
        invitation.language = language
        invitation.save(update_fields=["language"])
    # Someone who already has an account shows in the members list as invited.
    from lms.models import User

    account = User.objects.filter(email__iexact=email, is_active=True).first()
    if account is not None:
        _membership_get_or_create(
            cohort=cohort, user=account, state=MembershipState.INVITED, by=by
        )
    _mail_on_commit(
        template="invitation", to=invitation.email, language=invitation.language,
        context={"cohort": cohort, "invitation": invitation, "inviter": by,
                 "url": invitation_url(invitation)},
    )
    return invitation


class InvitationUsed(MembershipNotAllowed):
    """The invitation was already accepted by someone else."""


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Accept an invitation (once): the person becomes an active member. Accepting again by
    the same person returns their membership; by anyone else it is refused."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None:
        if locked.accepted_by_id != user.pk:
            raise InvitationUsed(_("This invitation has already been used."))
        return Membership.objects.get(cohort_id=locked.cohort_id, user=user)
    Invitation.objects.filter(pk=locked.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), accepted_by=user
    )
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    return membership_add(cohort=locked.cohort, user=user, by=locked.invited_by)


# --- Completion with attendance ---------------------------------------------------------------


def cohort_member_evaluate(*, membership: Membership) -> bool:
    """Re-evaluate the completion of a member's enrolments in the cohort's modules (after an
    attendance mark changed); the membership completes when all of them are completed. In a
    cohort without module, completion is attendance alone (``attestations.attendance_only_due``).
    True when the membership became completed by this call."""
    from courses.completion import enrolment_evaluate

    module_ids = list(Cohort.modules.through.objects.filter(
        cohort_id=membership.cohort_id).values_list("coursepage_id", flat=True))
    if not module_ids:
        # A seminar or workshop series: attendance alone (``cohorts.attestations``).
        from .attestations import attendance_only_due

        if attendance_only_due(membership=membership):
            return membership_complete(membership=membership)
        return False
    enrolments = list(
        Enrolment.objects.filter(user_id=membership.user_id, course_id__in=module_ids)
    )
    was_completed = membership.state == MembershipState.COMPLETED
    evaluated = False
    for enrolment in enrolments:
        if enrolment.status == EnrolmentStatus.ACTIVE:
            evaluated = enrolment_evaluate(enrolment=enrolment) or evaluated
    if evaluated:
        # A module completing completes the membership through its receiver
        # (``cohorts.apps``, on ``enrolment_completed``): read the state it left.
        membership.refresh_from_db(fields=["state", "completed_at"])
        if membership.state == MembershipState.COMPLETED:
            return not was_completed
    done = {e.course_id for e in enrolments if e.status == EnrolmentStatus.COMPLETED}
    if membership.state == MembershipState.ACTIVE and done >= set(module_ids):
        return membership_complete(membership=membership)
    return False
