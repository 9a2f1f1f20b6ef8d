"""Read-side queries for certificates, scoped to who asks: the one place access is decided."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django_countries import countries

from courses.models import CoursePage, Enrolment, EnrolmentStatus
from lms.access import (
    is_administrator,
    is_programme_manager,
    manager_scope_get,
    users_in_scope_q,
)
from lms.codes import code_normalise
from lms.models import User
from lms.selectors import users_visible_to

from .models import (
    BulkIssue,
    BulkIssueItem,
    Certificate,
    CertificateIssueFailure,
    CertificateStatus,
)
from .rendering import verification_url

# A certificate row without its PDF after this long was interrupted (worker killed, broker lost).
STALE_WITHOUT_PDF = timedelta(minutes=10)
# A holder not e-mailed this long after issue is owed the e-mail (the task that should have sent
# it was lost); older than OWED_WINDOW, the e-mail would come too late to be of use.
NOTIFICATION_OWED_AFTER = timedelta(minutes=5)
NOTIFICATION_OWED_WINDOW = timedelta(days=7)


def may_manage_certificates(user: User) -> bool:
    return bool(is_programme_manager(user) or is_administrator(user))


def certificate_find_public(*, code: str) -> Certificate | None:
    """The certificate a verification code names (any status), or None.

    One query whatever was typed, a malformed code included (it looks up a code no certificate
    can have), so that every unknown code costs the same.
    """
    canonical = code_normalise(code) or ""
    # An attestation's verification page shows its cohort (name, dates, city): same query.
    return (
        Certificate.objects.select_related("replaced_by", "membership__cohort")
        .filter(code=canonical).first()
    )


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


@dataclass(frozen=True)
class HolderCertificateRow:
    """One certificate on the holder's page, with what they may do with it."""

    certificate: Certificate
    status: str  # valid / expired / revoked / replaced
    verify_url: str
    module_url: str = ""  # where a revoked holder takes the final assessment again

    @property
    def may_download(self) -> bool:
        return self.status in ("valid", "expired")

    @property
    def may_share(self) -> bool:
        """A link for an employer only while the certificate says something true."""
        return self.status in ("valid", "expired")

    @property
    def is_revoked(self) -> bool:
        return self.status == "revoked"

    @property
    def is_expired(self) -> bool:
        return self.status == "expired"


def holder_certificate_rows(*, user: User) -> list[HolderCertificateRow]:
    """The holder's certificates as shown on "My certificates" (one query)."""
    rows = []
    for c in certificates_for_holder(user=user).select_related("course"):
        status = c.public_status
        rows.append(HolderCertificateRow(
            certificate=c, status=status, verify_url=verification_url(c.code),
            module_url=(c.course.get_url() or "") if status == "revoked" and c.course else "",
        ))
    return rows


@dataclass(frozen=True)
class CertificateSearch:
    certificates: QuerySet[Certificate]
    query: str  # as searched: printable characters only, at most 100
    status: str  # "" when not a known status


def certificates_search(*, user: User, query: str = "", status: str = "") -> CertificateSearch:
    """The managed certificates matching a name, module title or code, and a status."""
    qs = certificates_managed_by(user=user)
    # Printable characters only: PostgreSQL refuses NUL bytes in a query parameter.
    query = "".join(ch for ch in query if ch.isprintable()).strip()[:100]
    if query:
        canonical = code_normalise(query)
        qs = qs.filter(Q(holder_name__icontains=query) | Q(course_title__icontains=query)
                       | (Q(code=canonical) if canonical else Q(pk__in=[])))
    if status in CertificateStatus.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    return CertificateSearch(certificates=qs, query=query, status=status)


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
    """Completed enrolments of modules with a template that still lack a certificate, its PDF,
    or the e-mail telling the holder (the issue task finishes each; it e-mails once).

    Enrolments with an open failure are left to an administrator: the sweep does not retry
    forever what failed every time.
    """
    now = timezone.now()
    has_certificate = Certificate.objects.filter(enrolment=OuterRef("pk"))
    current = Certificate.objects.filter(enrolment=OuterRef("pk"), status=CertificateStatus.ISSUED)
    unfinished = current.filter(pdf="", created_at__lt=now - STALE_WITHOUT_PDF)
    not_told = current.filter(
        notified_at__isnull=True,
        created_at__lt=now - NOTIFICATION_OWED_AFTER,
        created_at__gte=now - NOTIFICATION_OWED_WINDOW,
    )
    open_failure = CertificateIssueFailure.objects.filter(
        enrolment=OuterRef("pk"), resolved_at__isnull=True
    )
    return (
        Enrolment.objects.filter(
            status=EnrolmentStatus.COMPLETED, course__certificate_setting__isnull=False
        )
        .filter(~Exists(has_certificate) | Exists(unfinished) | Exists(not_told))
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


def bulk_archive_certificate_ids(*, bulk: BulkIssue, user: User) -> list[int]:
    """The certificates of a bulk issuance that go into ``user``'s archive now: valid ones the
    bulk issued or found held, among those ``user`` may still manage (scope read today)."""
    in_bulk = bulk.items.filter(
        outcome__in=[BulkIssueItem.Outcome.ISSUED, BulkIssueItem.Outcome.HELD],
        certificate__isnull=False,
    ).values("certificate_id")
    return list(
        certificates_managed_by(user=user)
        .filter(pk__in=in_bulk, status=CertificateStatus.ISSUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def bulk_archive_state(*, bulk: BulkIssue, user: User) -> str:
    """"waiting" (still issuing), "empty" (no PDF to hand out), "ready" (the stored archive holds
    exactly what ``user`` may manage now), "preparing" (a build for that is queued) or "stale"."""
    if not bulk.is_done:
        return "waiting"
    key = ",".join(map(str, bulk_archive_certificate_ids(bulk=bulk, user=user)))
    if not key:
        return "empty"
    if bulk.archive and bulk.archive_key == key:
        return "ready"
    return "preparing" if bulk.archive_wanted_key == key else "stale"


def bulk_progress(*, bulk: BulkIssue, user: User) -> dict:
    """What a bulk issuance did so far, outcome by outcome (one query), and its archive."""
    Outcome = BulkIssueItem.Outcome
    counts = dict(bulk.items.values_list("outcome").annotate(n=Count("pk")).order_by())
    progress = {outcome: counts.get(outcome, 0) for outcome in Outcome.values}
    processed = sum(progress.values())
    return {
        "total": bulk.total,
        "processed": processed,
        **progress,
        "finished": bulk.is_done,
        "archive": bulk_archive_state(bulk=bulk, user=user),
    }


def bulk_country_choices(*, user: User) -> list[tuple[str, str]]:
    """The countries a bulk issuance may filter on: every country for an administrator, a
    programme manager's scope countries and those of the learners they manage otherwise."""
    if is_administrator(user):
        return list(countries)
    scope = manager_scope_get(user)
    codes = set(scope.country_codes) if scope else set()
    codes.update(
        users_visible_to(user=user).exclude(country="").values_list("country", flat=True)
        .distinct().order_by()
    )
    return [(code, name) for code, name in countries if code in codes]
