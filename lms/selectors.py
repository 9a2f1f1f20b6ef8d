"""Read-side queries for accounts and organisations, already scoped to who asks."""

from django.db.models import Q, QuerySet

from .access import is_administrator, is_programme_manager
from .models import Organisation, User


def organisations_visible_to(*, user: User) -> QuerySet[Organisation]:
    """Organisations a user may report on: all for administrators, the scope for managers."""
    if is_administrator(user):
        return Organisation.objects.all()
    if not is_programme_manager(user):
        return Organisation.objects.none()
    scope = getattr(user, "manager_scope", None)
    if scope is None:
        return Organisation.objects.none()
    countries = [c.code for c in scope.countries]
    return Organisation.objects.filter(
        Q(pk__in=scope.organisations.values("pk")) | Q(country__in=countries)
    ).distinct()


def users_visible_to(*, user: User) -> QuerySet[User]:
    """Learners whose records a user may see: themselves, or their manager scope."""
    if is_administrator(user):
        return User.objects.all()
    if not is_programme_manager(user):
        return User.objects.filter(pk=user.pk) if user.is_authenticated else User.objects.none()
    scope = getattr(user, "manager_scope", None)
    if scope is None:
        return User.objects.filter(pk=user.pk)
    countries = [c.code for c in scope.countries]
    return User.objects.filter(
        Q(pk=user.pk) | Q(organisation__in=scope.organisations.all()) | Q(country__in=countries)
    ).distinct()


def organisation_choices() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("name")
