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

        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .models import Cohort

        forget = progress.modules_with_attendance_forget
        post_save.connect(forget, sender=Cohort, dispatch_uid="cohorts.attendance-modules.save")
        post_delete.connect(forget, sender=Cohort, dispatch_uid="cohorts.attendance-modules.del")
        m2m_changed.connect(
            forget, sender=Cohort.modules.through, dispatch_uid="cohorts.attendance-modules.m2m"
        )

        # cascade: completing a cohort's last module online completes the membership.
        from courses.signals import enrolment_completed

        from .cascade import on_enrolment_completed

        enrolment_completed.connect(
            on_enrolment_completed, dispatch_uid="cohorts.cascade.enrolment_completed"
        )
