"""Write-side operations for accounts, organisations and roles."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.utils import timezone

from .access import Role
from .models import Organisation, OrganisationType, User

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


def organisation_get_or_create(
    *, name: str, type: str = OrganisationType.OTHER, country: str = ""
) -> Organisation:
    """Find an organisation by name and country, case-insensitively, or create it."""
    name = " ".join(name.split())
    existing = Organisation.objects.filter(name__iexact=name, country=country).first()
    if existing:
        return existing
    organisation = Organisation(name=name, type=type, country=country)
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
            name=new_name, type=new_type, country=str(user.country or "")
        )
    user.full_clean(exclude=["password"])
    user.save()
    return user
