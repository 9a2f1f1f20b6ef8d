"""Write-side operations for accounts, organisations and roles."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import ngettext

from .access import Role
from .models import Organisation, OrganisationType, User
from .validators import plain_name

# Page permissions a content editor holds on the whole tree.
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
# Content models a content editor may add and change. Learner records (enrolments, attempts,
# certificates, failures) are deliberately absent: editors never see personal data.
EDITOR_MODELS = {
    "courses": ("quiz", "question", "choice", "audiencetag"),
    "certificates": (
        "certificatetemplate", "certificatetemplatelogo", "certificatetemplatesignatory",
        "coursecertificate",
    ),
}


def roles_ensure() -> None:
    """Create the role groups and give them their permissions. Safe to run at every migrate."""
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in Role.ALL}
    editors = groups[Role.EDITOR]
    admin_access = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    editors.permissions.add(*admin_access)
    for app_label, models in EDITOR_MODELS.items():
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label, content_type__model__in=models
            ).exclude(codename__startswith="delete_")
        )
    root = Page.get_first_root_node()
    if root is not None:
        for codename in EDITOR_PAGE_PERMISSIONS:
            perm = Permission.objects.filter(
                content_type__app_label="wagtailcore", codename=codename
            ).first()
            if perm:
                GroupPagePermission.objects.get_or_create(group=editors, page=root, permission=perm)
    collection = Collection.get_first_root_node()
    if collection is not None:
        for app, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
            for action in ("add", "change", "choose"):
                perm = Permission.objects.filter(
                    content_type__app_label=app, codename=f"{action}_{model}"
                ).first()
                if perm:
                    GroupCollectionPermission.objects.get_or_create(
                        group=editors, collection=collection, permission=perm
                    )


def role_grant(*, user: User, role: str) -> None:
    """Put a user in a role group (administrator is the superuser flag)."""
    if role == "administrator":
        user.is_superuser = True
        user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
        return
    user.groups.add(Group.objects.get(name=role))
    if role == Role.EDITOR and not user.is_staff:
        # Staff status shows editors Wagtail's user bar on the site (and only them).
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if hasattr(user, "_passerelle_groups"):
        del user._passerelle_groups


def user_record_consent(*, user: User, version: str | None = None) -> User:
    """Record that the user accepted the privacy policy now, and which version."""
    user.consent_at = timezone.now()
    user.consent_policy_version = version or settings.PRIVACY_POLICY_VERSION
    user.save(update_fields=["consent_at", "consent_policy_version"])
    return user


# How many organisations one learner may name in their profile; staff create any number.
ORGANISATIONS_PER_LEARNER = 3


def organisation_creation_check(*, created_by: User | None) -> None:
    """Refuse a new organisation from a learner who already named the most they may."""
    if created_by is not None and created_by.pk and (
        Organisation.objects.filter(created_by=created_by).count() >= ORGANISATIONS_PER_LEARNER
    ):
        raise ValidationError(
            ngettext(
                "You have already added %(count)d organisation: choose yours from the list.",
                "You have already added %(count)d organisations: choose yours from the list.",
                ORGANISATIONS_PER_LEARNER,
            ) % {"count": ORGANISATIONS_PER_LEARNER},
            code="too_many_organisations",
        )


def organisation_get_or_create(
    *,
    name: str,
    type: str = OrganisationType.OTHER,
    country: str = "",
    created_by: User | None = None,
) -> Organisation:
    """Find an organisation by name and country, case-insensitively, or create it.

    The name is plain text (no markup, no direction controls); a learner (``created_by``) who
    already named ``ORGANISATIONS_PER_LEARNER`` organisations gets a ValidationError.
    """
    name = plain_name(name)
    existing = Organisation.objects.filter(name__iexact=name, country=country).first()
    if existing:
        return existing
    organisation_creation_check(created_by=created_by)
    organisation = Organisation(name=name, type=type, country=country, created_by=created_by)
    organisation.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:  # created concurrently
        return Organisation.objects.get(name__iexact=name, country=country)
    return organisation


@transaction.atomic
def user_profile_update(*, user: User, data: dict) -> User:
    """Save the profile fields of ``data`` (cleaned form data) onto the user."""
    new_name = data.pop("new_organisation_name", "")
    new_type = data.pop("new_organisation_type", "") or OrganisationType.OTHER
    for field, value in data.items():
        setattr(user, field, value)
    if new_name:
        user.organisation = organisation_get_or_create(
            name=new_name, type=new_type, country=str(user.country or ""), created_by=user
        )
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def organisation_merge(*, keep: Organisation, duplicates: list[Organisation]) -> Organisation:
    """Fold duplicate organisations into ``keep`` and delete them.

    Everything that points at a duplicate follows ``keep``: members, manager scopes, and any
    other app's foreign keys or many-to-many links (found from the model, so apps that land
    later are covered). Returns ``keep``.
    """
    duplicate_ids = [o.pk for o in duplicates if o.pk != keep.pk]
    if not duplicate_ids:
        return keep
    list(Organisation.objects.select_for_update().filter(pk__in=[keep.pk, *duplicate_ids]))
    for relation in Organisation._meta.get_fields():
        if relation.is_relation and relation.auto_created and not relation.concrete:
            if relation.many_to_many:
                through = relation.through
                source = next(
                    f for f in through._meta.fields
                    if f.is_relation and f.related_model is relation.related_model
                )
                target = next(
                    f for f in through._meta.fields
                    if f.is_relation and f.related_model is Organisation
                )
                owners = set(through.objects.filter(
                    **{f"{target.attname}__in": duplicate_ids}
                ).values_list(source.attname, flat=True))
                already = set(through.objects.filter(
                    **{target.attname: keep.pk, f"{source.attname}__in": owners}
                ).values_list(source.attname, flat=True))
                through.objects.bulk_create(
                    [through(**{source.attname: o, target.attname: keep.pk})
                     for o in owners - already]
                )
                through.objects.filter(**{f"{target.attname}__in": duplicate_ids}).delete()
            else:
                field = relation.field
                relation.related_model._base_manager.filter(
                    **{f"{field.name}__in": duplicate_ids}
                ).update(**{field.name: keep})
    Organisation.objects.filter(pk__in=duplicate_ids).delete()
    return keep


def email_verification_resend(*, request, email: str) -> bool:
    """Send the confirmation link again to an address still waiting for it; nothing for an
    unknown or already confirmed one. allauth's per-address limit applies. True if sent."""
    from allauth.account.internal.flows.email_verification import (
        send_verification_email_to_address,
    )
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.filter(email__iexact=email.strip(), verified=False).first()
    if address is None:
        return False
    return bool(send_verification_email_to_address(request, address, signup=True))
