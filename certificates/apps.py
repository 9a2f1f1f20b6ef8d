from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _on_enrolment_completed(sender, enrolment, **kwargs) -> None:
    """Completion → certificate (README, "Data flow"): queue the issue after the commit."""
    from .services import enqueue_issue

    enqueue_issue(enrolment_id=enrolment.pk)


def _on_final_assessment_passed_again(sender, enrolment, **kwargs) -> None:
    """Passing the final assessment again renews a certificate that expires within 30 days."""
    from .services import enqueue_renewal

    enqueue_renewal(enrolment_id=enrolment.pk)


class CertificatesConfig(AppConfig):
    """Connects the certificates app to the hooks ``courses`` offers (``courses.signals``, the
    outcome registry of ``courses.progress``): ``courses`` cannot import certificates, so this is
    the one place where the flow crosses over. The README's data-flow section lists them."""

    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from courses.progress import register_outcome_provider
        from courses.signals import enrolment_completed, final_assessment_passed_again

        from . import checks  # noqa: F401  (registers the issuer key check)
        from .outcomes import certificate_outcomes

        register_outcome_provider(certificate_outcomes)

        enrolment_completed.connect(
            _on_enrolment_completed, dispatch_uid="certificates.issue_on_completion"
        )
        final_assessment_passed_again.connect(
            _on_final_assessment_passed_again, dispatch_uid="certificates.renew_on_reassessment"
        )
