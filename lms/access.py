"""Roles and who may see what: the one place the rest of the code asks.

Roles are Django groups, granted by staff in the admin. ``rules`` predicates compose them. Whom
a role lets someone see is decided once here, as ``Q`` objects on the user's own columns
(``users_in_scope_q``, ``organisations_in_scope_q``); the predicates and every selector
(``lms.selectors``, ``certificates.selectors``) use them, so the rule cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import rules
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q


class Role:
    """Group names. Learner is everyone signed in; administrator is a superuser."""

    TRAINER = "Trainers"
    MANAGER = "Programme managers"
    EDITOR = "Content editors"

    ALL = (TRAINER, MANAGER, EDITOR)


def _in_group(user, name: str) -> bool:
    if not user or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return False
    # One query per request for all of a user's groups, cached on the instance.
    cache = getattr(user, "_passerelle_groups", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._passerelle_groups = cache
    return name in cache


@rules.predicate
def is_administrator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_superuser and user.is_active)


@rules.predicate
def is_trainer(user) -> bool:
    return _in_group(user, Role.TRAINER)


@rules.predicate
def is_programme_manager(user) -> bool:
    return _in_group(user, Role.MANAGER)


@rules.predicate
def is_content_editor(user) -> bool:
    return _in_group(user, Role.EDITOR)


@rules.predicate
def is_learner(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def is_self(user, other) -> bool:
    return bool(other is not None and user.is_authenticated and user.pk == other.pk)


# --- Scope: whom a role lets someone see ---------------------------------------------------
# A ``Q`` that matches nothing: Django drops it from an OR and answers an AND with no rows,
# without a query.
NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class ManagerScope:
    """A programme manager's scope as plain ids, read once: organisations and country codes."""

    organisation_ids: frozenset[int]
    country_codes: frozenset[str]

    def covers(self, *, organisation_id: int | None, country: str) -> bool:
        return bool(
            (organisation_id is not None and organisation_id in self.organisation_ids)
            or (country and country in self.country_codes)
        )


def manager_scope_get(user) -> ManagerScope | None:
    """The scope of a programme manager (two small queries), or None for anyone else."""
    if not is_programme_manager(user):
        return None
    from .models import ProgrammeManagerScope

    scope = ProgrammeManagerScope.objects.filter(user=user).first()
    if scope is None:
        return None
    return ManagerScope(
        organisation_ids=frozenset(scope.organisations.values_list("pk", flat=True)),
        country_codes=frozenset(country.code for country in scope.countries),
    )


def _prefixed(via: str, lookup: str) -> str:
    return f"{via}__{lookup}" if via else lookup


def trainer_learner_ids(user) -> frozenset[int]:
    """Ids of the learners in the cohorts ``user`` trains (one query, cached on the instance);
    empty for anyone who is not a trainer. Withdrawn members stay: their records are the
    cohort's history."""
    if not is_trainer(user):
        return frozenset()
    cached = getattr(user, "_passerelle_trainees", None)
    if cached is None:
        from cohorts.models import Membership

        cached = frozenset(
            Membership.objects.filter(cohort__trainers=user)
            .exclude(user_id=user.pk).values_list("user_id", flat=True).distinct()
        )
        user._passerelle_trainees = cached
    return cached


def trainer_learners_q(user, *, via: str = "") -> Q:
    """Learners a trainer may follow: the members of the cohorts the user trains, as
    ``Q(pk__in=[ids])`` read once, never as a join that multiplies rows.
    ``via`` prefixes the lookups for a query on another model (``via="user"`` on certificates).
    """
    ids = trainer_learner_ids(user)
    if not ids:
        return NOTHING
    return Q(**{_prefixed(via, "pk__in"): sorted(ids)})


def trains_learner(user, other) -> bool:
    """The predicate twin of ``trainer_learners_q``."""
    return bool(other is not None and other.pk in trainer_learner_ids(user))


def users_in_scope_q(user, *, via: str = "") -> Q:
    """Users whose records ``user`` may see through a role, themselves not included.

    Everyone for an administrator; the members of a programme manager's organisations and
    countries; a trainer's learners. Built on the user's own columns (``organisation_id``,
    ``country``) with the scope's ids read once, so it needs no join and no ``distinct()`` and
    aggregates over 100,000 learners. ``via`` prefixes the lookups (``via="user"`` on a model
    with a foreign key to the user).
    """
    if is_administrator(user):
        return Q()
    q = trainer_learners_q(user, via=via)
    scope = manager_scope_get(user)
    if scope is not None:
        if scope.organisation_ids:
            q |= Q(**{_prefixed(via, "organisation_id__in"): sorted(scope.organisation_ids)})
        if scope.country_codes:
            q |= Q(**{_prefixed(via, "country__in"): sorted(scope.country_codes)})
    return q


def organisations_in_scope_q(user) -> Q:
    """Organisations ``user`` may report on: all for an administrator, a manager's scope (its
    organisations and every organisation of its countries), none for anyone else."""
    if is_administrator(user):
        return Q()
    scope = manager_scope_get(user)
    if scope is None:
        return NOTHING
    q = NOTHING
    if scope.organisation_ids:
        q |= Q(pk__in=sorted(scope.organisation_ids))
    if scope.country_codes:
        q |= Q(country__in=sorted(scope.country_codes))
    return q


@rules.predicate
def manages_member(user, other) -> bool:
    """A programme manager whose scope covers the other user's organisation or country."""
    if other is None:
        return False
    scope = manager_scope_get(user)
    return scope is not None and scope.covers(
        organisation_id=other.organisation_id, country=str(other.country or "")
    )


@rules.predicate
def has_in_scope(user, other) -> bool:
    """The predicate twin of ``users_in_scope_q``: ``user`` sees ``other`` through a role."""
    if other is None:
        return False
    return bool(
        is_administrator(user) or manages_member(user, other) or trains_learner(user, other)
    )


may_offer_mfa = is_trainer | is_programme_manager | is_content_editor | is_administrator

rules.add_perm("lms.view_profile", is_self | has_in_scope)
rules.add_perm("lms.view_reports", is_programme_manager | is_administrator)
rules.add_perm("lms.offer_mfa", may_offer_mfa)
