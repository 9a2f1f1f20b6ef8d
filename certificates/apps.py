from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

BEAT_SCHEDULE = {
    "certificates-sweep": {
        "task": "certificates.sweep",
        "schedule": timedelta(minutes=10),
        "options": {"expires": 9 * 60},
    },
    "certificates-expiry-reminders": {
        "task": "certificates.expiry_reminders",
        "schedule": timedelta(days=1),
        "options": {"expires": 12 * 3600},
    },
}


def _on_enrolment_completed(sender, enrolment, **kwargs) -> None:
    """Completion is sent inside the completing transaction: queue the issue after commit."""
    from .services import enqueue_issue

    enqueue_issue(enrolment_id=enrolment.pk)


def _on_final_assessment_passed_again(sender, enrolment, **kwargs) -> None:
    """Passing the final assessment again renews a certificate that expires within 30 days."""
    from .services import enqueue_renewal

    enqueue_renewal(enrolment_id=enrolment.pk)


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from django.conf import settings

        settings.CELERY_BEAT_SCHEDULE.update(BEAT_SCHEDULE)
        try:
            from lms.celery import app
        except ImportError:  # pragma: no cover
            app = None
        if app is not None:
            app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **BEAT_SCHEDULE}
        from django.test.signals import setting_changed

        from courses.signals import enrolment_completed, final_assessment_passed_again

        from .pdf_process import renderer_reset

        setting_changed.connect(renderer_reset, dispatch_uid="certificates.renderer_reset")

        enrolment_completed.connect(
            _on_enrolment_completed, dispatch_uid="certificates.issue_on_completion"
        )
        final_assessment_passed_again.connect(
            _on_final_assessment_passed_again, dispatch_uid="certificates.renew_on_reassessment"
        )
