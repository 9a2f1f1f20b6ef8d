"""Read-side queries for certificates, scoped to who asks: the one place access is decided."""

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from courses.models import CoursePage, Enrolment, EnrolmentStatus
from lms.access import is_administrator, is_programme_manager, users_in_scope_q
from lms.codes import code_normalise
from lms.models import User
from lms.selectors import users_visible_to

from .models import BulkIssue, Certificate, CertificateIssueFailure, CertificateStatus

# A certificate row without its PDF after this long was interrupted (worker killed, broker lost).
STALE_WITHOUT_PDF = timedelta(minutes=10)


def may_manage_certificates(user: User) -> bool:
    return bool(is_programme_manager(user) or is_administrator(user))


def certificate_find_public(*, code: str) -> Certificate | None:
    """The certificate a verification code names (any status), or None.

    One query whatever was typed, a malformed code included (it looks up a code no certificate
    can have), so that every unknown code costs the same.
    """
    canonical = code_normalise(code) or ""
    return Certificate.objects.select_related("replaced_by").filter(code=canonical).first()


def certificate_get_public(*, code: str) -> Certificate:
    """The certificate a verification code names (any status), or 404."""
    certificate = certificate_find_public(code=code)
    if certificate is None:
        raise Http404
    return certificate


def certificate_for_achievement(*, key: str) -> Certificate | None:
    """The latest certificate awarding the achievement ``key``: what its ``Achievement`` is
    built from (it describes what holders were certified for, nothing about a holder)."""
    return Certificate.objects.filter(achievement_key=key).order_by("-created_at", "-pk").first()


def certificates_for_holder(*, user: User) -> QuerySet[Certificate]:
    """A learner's certificates, current ones first, with what replaced them."""
    return (
        Certificate.objects.filter(user=user)
        .select_related("replaced_by")
        .order_by("status", "-created_at")
    )


def certificates_managed_by(*, user: User) -> QuerySet[Certificate]:
    """Certificates a programme manager (their scope) or an administrator (all) may manage."""
    if is_administrator(user):
        qs = Certificate.objects.all()
    elif is_programme_manager(user):
        # The scope as one WHERE on the holder's columns (one join, no DISTINCT).
        qs = Certificate.objects.filter(Q(user=user) | users_in_scope_q(user, via="user"))
    else:
        return Certificate.objects.none()
    return qs.select_related("user", "replaced_by").order_by("-created_at")


def certificate_get_for_download(*, user: User, code: str) -> Certificate:
    """The holder's own certificate, or one a manager may manage; 404 for anyone else."""
    canonical = code_normalise(code)
    if canonical is None or not user.is_authenticated:
        raise Http404
    certificate = Certificate.objects.filter(code=canonical, user=user).first()
    if certificate is None:
        certificate = certificates_managed_by(user=user).filter(code=canonical).first()
    if certificate is None:
        raise Http404
    return certificate


def certificate_get_for_manager(*, user: User, code: str) -> Certificate:
    canonical = code_normalise(code)
    certificate = (
        certificates_managed_by(user=user).filter(code=canonical).first() if canonical else None
    )
    if certificate is None:
        raise Http404
    return certificate


def certificate_current_for_enrolment(*, enrolment_id: int) -> Certificate | None:
    """The latest certificate of an enrolment, whatever its status (revoked ones included)."""
    return (
        Certificate.objects.filter(enrolment_id=enrolment_id).order_by("-created_at", "-pk").first()
    )


def courses_with_certificates() -> QuerySet[CoursePage]:
    """Source-locale modules that award a certificate (for the bulk issuance form)."""
    return (
        CoursePage.objects.filter(certificate_setting__isnull=False)
        .filter(Exists(Enrolment.objects.filter(course=OuterRef("pk"))))
        .order_by("title")
    )


def enrolments_for_bulk(
    *,
    user: User,
    course: CoursePage,
    organisation_id: int | None = None,
    country: str = "",
    completed_from: date | None = None,
    completed_to: date | None = None,
) -> QuerySet[Enrolment]:
    """Completed enrolments of a module a manager may issue certificates for, filtered."""
    if not may_manage_certificates(user):
        return Enrolment.objects.none()
    qs = Enrolment.objects.filter(course=course, status=EnrolmentStatus.COMPLETED)
    if not is_administrator(user):
        qs = qs.filter(user__in=users_visible_to(user=user).values("pk"))
    if organisation_id:
        qs = qs.filter(user__organisation_id=organisation_id)
    if country:
        qs = qs.filter(user__country=country)
    if completed_from:
        qs = qs.filter(completed_at__date__gte=completed_from)
    if completed_to:
        qs = qs.filter(completed_at__date__lte=completed_to)
    return qs.order_by("pk")


def enrolments_due_for_certificate(*, limit: int = 500) -> QuerySet[Enrolment]:
    """Completed enrolments of modules with a template that still lack a certificate (or its PDF).

    Enrolments with an open failure are left to an administrator: the sweep does not retry
    forever what failed every time.
    """
    stale = timezone.now() - STALE_WITHOUT_PDF
    has_certificate = Certificate.objects.filter(enrolment=OuterRef("pk"))
    unfinished = Certificate.objects.filter(
        enrolment=OuterRef("pk"), status=CertificateStatus.ISSUED, pdf="", created_at__lt=stale
    )
    open_failure = CertificateIssueFailure.objects.filter(
        enrolment=OuterRef("pk"), resolved_at__isnull=True
    )
    return (
        Enrolment.objects.filter(
            status=EnrolmentStatus.COMPLETED, course__certificate_setting__isnull=False
        )
        .filter(~Exists(has_certificate) | Exists(unfinished))
        .exclude(Exists(open_failure))
        .order_by("completed_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def certificates_due_for_expiry_reminder(*, days: int = 30) -> QuerySet[Certificate]:
    now = timezone.now()
    return Certificate.objects.filter(
        status=CertificateStatus.ISSUED,
        expires_at__gt=now,
        expires_at__lte=now + timedelta(days=days),
        expiry_reminder_sent_at__isnull=True,
    ).select_related("user", "course__locale")


def revoked_status_indices() -> list[int]:
    """Status-list positions of certificates that are no longer valid (revoked or replaced)."""
    return list(
        Certificate.objects.filter(
            Q(status=CertificateStatus.REVOKED) | Q(status=CertificateStatus.REPLACED)
        ).values_list("status_index", flat=True)
    )


def bulk_get_for_user(*, user: User, pk: int) -> BulkIssue:
    bulk = BulkIssue.objects.select_related("course").filter(pk=pk).first()
    if bulk is None or not may_manage_certificates(user):
        raise Http404
    if bulk.created_by_id != user.pk and not is_administrator(user):
        raise Http404
    return bulk


def bulk_progress(*, bulk: BulkIssue) -> dict:
    done = bulk.certificates.count()
    failed = (
        CertificateIssueFailure.objects.filter(bulk=bulk)
        .values("enrolment_id").distinct().count()
    )
    finished = bulk.status == BulkIssue.Status.DONE or done + failed >= bulk.total
    return {"total": bulk.total, "done": done, "failed": failed, "finished": finished}
