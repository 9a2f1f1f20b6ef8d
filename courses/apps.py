from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Training modules")

    def ready(self) -> None:
        from wagtail.signals import copy_for_translation_done

        from . import selectors, translation

        selectors.connect_cache_invalidation()
        copy_for_translation_done.connect(
            translation.on_copy_for_translation_done, dispatch_uid="courses-translation-quizzes"
        )
