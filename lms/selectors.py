"""Read-side queries for accounts and organisations, already scoped to who asks."""

from django.db.models import Q, QuerySet

from .access import is_administrator, organisations_in_scope_q, users_in_scope_q
from .models import Organisation, User


def organisations_visible_to(*, user: User) -> QuerySet[Organisation]:
    """Organisations a user may report on: all for administrators, the scope for managers."""
    if is_administrator(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(organisations_in_scope_q(user))


def users_visible_to(*, user: User) -> QuerySet[User]:
    """Users whose records a user may see: themselves, and whoever their role's scope covers.

    One ``WHERE`` on the user's own columns (see ``lms.access.users_in_scope_q``): no join, no
    ``DISTINCT``, so it can be aggregated and counted at any size.
    """
    if is_administrator(user):
        return User.objects.all()
    if not user.is_authenticated:
        return User.objects.none()
    return User.objects.filter(Q(pk=user.pk) | users_in_scope_q(user))


def organisation_choices() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("name")
