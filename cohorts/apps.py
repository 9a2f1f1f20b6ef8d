from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Cohorts and workshops")

    def ready(self) -> None:
        # Registers the attendance requirement with courses.progress (and the join options).
        from . import progress  # noqa: F401
        from .selectors import register_join_provider

        register_join_provider()
