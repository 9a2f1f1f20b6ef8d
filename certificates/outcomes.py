"""What a completed module led to, as the courses pages show it (``courses.progress``): the
holder's certificate, being prepared, or revoked. Registered in ``CertificatesConfig.ready``."""

from collections.abc import Sequence

from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from courses.models import Enrolment, EnrolmentStatus
from courses.progress import Outcome
from lms.codes import code_display
from lms.models import User

from .models import Certificate, CertificateStatus, CourseCertificate


def certificate_outcomes(*, user: User, enrolments: Sequence[Enrolment]) -> dict[int, Outcome]:
    """The latest certificate of each of the user's enrolments, in one query: ready (a link to
    the PDF), pending (issued without its PDF yet, or due and not issued yet) or revoked."""
    ids = [enrolment.pk for enrolment in enrolments]
    if not ids:
        return {}
    latest = Certificate.objects.filter(enrolment=OuterRef("pk")).order_by("-created_at", "-pk")
    rows = (
        Enrolment.objects.filter(pk__in=ids, user=user)
        .annotate(
            awards=Exists(CourseCertificate.objects.filter(course_id=OuterRef("course_id"))),
            certificate_code=Subquery(latest.values("code")[:1]),
            certificate_status=Subquery(latest.values("status")[:1]),
            certificate_pdf=Subquery(latest.values("pdf")[:1]),
        )
        .values_list("pk", "status", "awards", "certificate_code", "certificate_status",
                     "certificate_pdf")
    )
    outcomes: dict[int, Outcome] = {}
    for pk, status, awards, code, certificate_status, pdf in rows:
        if code is None:
            if status == EnrolmentStatus.COMPLETED and awards:
                outcomes[pk] = Outcome(_("Your certificate is being prepared"), None, "pending")
        elif certificate_status == CertificateStatus.ISSUED:
            outcomes[pk] = (
                Outcome(_("Download your certificate"),
                        reverse("certificates:download", kwargs={"code": code_display(code)}),
                        "ready")
                if pdf else Outcome(_("Your certificate is being prepared"), None, "pending")
            )
        elif certificate_status == CertificateStatus.REVOKED:
            outcomes[pk] = Outcome(_("Your certificate was revoked"),
                                   reverse("certificates:my_certificates"), "revoked")
    return outcomes
