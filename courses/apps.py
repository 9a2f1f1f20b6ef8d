from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Training modules")

    def ready(self) -> None:
        from . import selectors

        selectors.connect_cache_invalidation()
