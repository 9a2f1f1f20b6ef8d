from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig

# What translating needs on top of editing (``wagtail.contrib.simple_translation``): the global
# "submit translation" permission. Page permissions are granted on the root page by
# ``roles_ensure``, so they cover every locale's home page and tree; quizzes (the translatable
# snippets) come with the editors' content models.
EDITOR_TRANSLATION_PERMISSIONS = (("simple_translation", "submit_translation"),)


def _editor_translation_ensure() -> None:
    from django.contrib.auth.models import Group, Permission

    from .access import Role

    editors = Group.objects.filter(name=Role.EDITOR).first()
    if editors is None:
        return
    for app_label, codename in EDITOR_TRANSLATION_PERMISSIONS:
        editors.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        )


def _ensure_roles(**kwargs) -> None:
    from .services import roles_ensure

    roles_ensure()
    _editor_translation_ensure()


class LmsConfig(AppConfig):
    default = True
    name = "lms"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        from django.apps import apps

        from .navigation import connect_signals

        connect_signals()  # a change of role clears the cached navigation

        # Roles are data the code relies on: they exist after every migrate, tests included.
        # They are set once every app's permissions exist: after the last app's post_migrate.
        post_migrate.connect(
            _ensure_roles, sender=list(apps.get_app_configs())[-1], dispatch_uid="lms.roles"
        )


class PasserelleUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin with our forms: e-mail login and a single full-name field."""

    user_viewset = "lms.viewsets.UserViewSet"
