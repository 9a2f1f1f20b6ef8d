"""Roles and who may see what: the one place the rest of the code asks.

Roles are Django groups, granted by staff in the admin. ``rules`` predicates compose them, and the
selectors in ``lms.selectors`` use the same predicates to scope querysets.
"""

import rules
from django.contrib.auth.models import AnonymousUser


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


@rules.predicate
def manages_member(user, other) -> bool:
    """A programme manager whose scope covers the other user's organisation or country."""
    if other is None or not is_programme_manager(user):
        return False
    scope = getattr(user, "manager_scope", None)
    if scope is None:
        return False
    if other.organisation_id and scope.organisations.filter(pk=other.organisation_id).exists():
        return True
    return bool(other.country and other.country.code in {c.code for c in scope.countries})


may_offer_mfa = is_trainer | is_programme_manager | is_content_editor | is_administrator

rules.add_perm("lms.view_profile", is_self | is_administrator | manages_member)
rules.add_perm("lms.view_reports", is_programme_manager | is_administrator)
rules.add_perm("lms.offer_mfa", may_offer_mfa)
