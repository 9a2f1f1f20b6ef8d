"""Write-side operations on certificates: issue, render, notify, revoke, re-issue, expire, bulk.

``certificate_issue`` is idempotent: the conditional unique constraint on current certificates
decides between concurrent calls, and a row whose PDF was interrupted is finished by the next
call. Callers outside a request (tasks, the sweep) call it again safely as often as they like.
"""

from __future__ import annotations

import logging
import secrets
import tempfile
import zipfile
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from courses.models import CoursePage, Enrolment, EnrolmentStatus
from lms.celery import delay_on_commit
from lms.codes import code_generate
from lms.models import User

from .credentials import STATUS_LIST_SIZE
from .models import (
    BulkIssue,
    BulkIssueItem,
    Certificate,
    CertificateIssueFailure,
    CertificateStatus,
    CertificateTemplate,
    CourseCertificate,
    private_storage,
)
from .rendering import CertificateData, certificate_pdf, verification_url

logger = logging.getLogger(__name__)

DEFAULT_TEMPLATE_TEXTS = {
    "title_fr": "Certificat de réussite",
    "body_fr": "<p>a suivi avec succès le module <strong>{course_title}</strong> "
    "({hours} heures de formation), achevé le {completion_date}.</p>",
    "title_en": "Certificate of achievement",
    "body_en": "<p>has successfully completed the module <strong>{course_title}</strong> "
    "({hours} hours of training) on {completion_date}.</p>",
    "title_ar": "شهادة نجاح",
    "body_ar": "<p>أتمّ بنجاح الوحدة التكوينية <strong>{course_title}</strong> "
    "({hours} ساعات من التكوين) بتاريخ {completion_date}.</p>",
}


class CertificateNotDue(Exception):
    """The enrolment is not completed, or its module awards no certificate."""


def _fallback_template() -> CertificateTemplate:
    # Used when a certificate's template was deleted after issue: the PDF can still be rebuilt.
    return CertificateTemplate(name="default", **DEFAULT_TEMPLATE_TEXTS)


def _course_in(course: CoursePage, language: str) -> CoursePage:
    if course.locale.language_code == language:
        return course
    locale = Locale.objects.filter(language_code=language).first()
    translated = course.get_translation_or_none(locale) if locale else None
    return translated.specific if translated is not None and translated.live else course


def certificate_language(*, user: User, course: CoursePage, template: CertificateTemplate) -> str:
    """The holder's language when the template and the module both exist in it, else French."""
    wanted = user.preferred_language or settings.LANGUAGE_CODE
    if wanted in template.languages() and _course_in(course, wanted).locale.language_code == wanted:
        return wanted
    return "fr" if "fr" in template.languages() else template.languages()[0]


def snapshot_common(*, user: User, template: CertificateTemplate) -> dict:
    """The snapshot fields every certificate shares (holder, issuer, dates), whatever its
    subject: a module certificate here, an attestation in ``cohorts.attestations``."""
    issued = timezone.now()
    return {
        "user": user,
        "template": template if template.pk else None,
        "holder_name": (user.full_name or user.email)[:150],
        "country": user.country.code if user.country else "",
        "organisation": user.organisation.name if user.organisation_id else "",
        "issuer": settings.CERTIFICATE_ISSUER_NAME,
        "created_at": issued,
        "expires_at": issued + relativedelta(months=template.validity_months)
        if template.validity_months else None,
    }


def _snapshot(*, enrolment: Enrolment, template: CertificateTemplate, cohort=None) -> dict:
    user = enrolment.user
    course = enrolment.course
    language = certificate_language(user=user, course=course, template=template)
    localised = _course_in(course, language)
    common = snapshot_common(user=user, template=template)
    return {
        **common,
        "enrolment": enrolment,
        "course": course,
        "course_title": localised.title[:255],
        "course_description": localised.summary,
        "achievement_key": str(course.translation_key),
        "language": language,
        "completion_date": timezone.localdate(enrolment.completed_at or common["created_at"]),
        "hours": course.estimated_hours,
        "grade": enrolment.final_score,
        "competencies": localised.competencies_list,
        **(_cohort_values(cohort=cohort, user=user) if cohort is not None else {}),
    }


def _cohort_values(*, cohort, user) -> dict:
    from cohorts.attestations import cohort_placeholder_values

    return cohort_placeholder_values(cohort=cohort, user_id=user.pk)


def _cohort_template(enrolment: Enrolment):
    """The cohort whose template prints this enrolment's certificate (``cohorts.attestations``:
    the cohort template replaces the module's for that cohort's members), or None.

    Imported late: cohorts depends on certificates (a cohort names a template), and this is
    the one place where certificates asks cohorts something back."""
    from cohorts.attestations import cohort_for_certificate

    return cohort_for_certificate(enrolment=enrolment)


def certificate_insert(*, fields: dict, current: Q) -> tuple[Certificate, bool]:
    """Insert a current certificate with the snapshot ``fields``, or return the current one
    (``current`` names its subject: an enrolment, or a membership for an attestation) that won
    the race: the conditional unique constraints decide."""
    for _attempt in range(10):
        certificate = Certificate(
            **fields, code=code_generate(), status_index=secrets.randbelow(STATUS_LIST_SIZE),
        )
        # The related objects are in hand: skip their existence queries.
        certificate.full_clean(
            exclude=["enrolment", "membership", "user", "course", "template"],
            validate_unique=False, validate_constraints=False,
        )
        try:
            with transaction.atomic():
                certificate.save()
        except IntegrityError:
            existing = Certificate.objects.filter(current, status=CertificateStatus.ISSUED).first()
            if existing is not None:
                return existing, False
            # Otherwise a random code or status index collided: draw again.
            continue
        return certificate, True
    raise RuntimeError("could not allocate a unique certificate code")


def _certificate_create(
    *, enrolment: Enrolment, template: CertificateTemplate, cohort=None
) -> tuple[Certificate, bool]:
    """Insert the current certificate of an enrolment, or return the one that won the race."""
    return certificate_insert(
        fields=_snapshot(enrolment=enrolment, template=template, cohort=cohort),
        current=Q(enrolment=enrolment),
    )


def certificate_data(*, certificate: Certificate) -> CertificateData:
    return CertificateData(
        code=certificate.code,
        language=certificate.language,
        holder_name=certificate.holder_name,
        course_title=certificate.course_title,
        completion_date=certificate.completion_date,
        issued_on=timezone.localdate(certificate.created_at),
        issuer=certificate.issuer,
        hours=certificate.hours,
        grade=certificate.grade,
        country=certificate.country,
        organisation=certificate.organisation,
        competencies=list(certificate.competencies or []),
        expires_on=timezone.localdate(certificate.expires_at) if certificate.expires_at else None,
        cohort=certificate.cohort_name,
        trainer=certificate.trainer_names,
        sessions_attended=certificate.sessions_attended,
    )


def certificate_pdf_render(*, certificate: Certificate) -> bytes:
    template = certificate.template or _fallback_template()
    return certificate_pdf(template=template, data=certificate_data(certificate=certificate))


def certificate_pdf_ensure(*, certificate: Certificate) -> Certificate:
    """Render and store the PDF once; a concurrent renderer's file is discarded, not kept twice."""
    if certificate.pdf:
        return certificate
    content = certificate_pdf_render(certificate=certificate)
    # A random file name: knowing the code does not give the PDF (which holds more than the
    # public page shows); downloads go through an access-checked view.
    name = default_storage.save(
        f"certificates/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.pdf", ContentFile(content)
    )
    updated = Certificate.objects.filter(pk=certificate.pk, pdf="").update(pdf=name)
    if updated:
        certificate.pdf.name = name
    else:
        default_storage.delete(name)
        certificate.refresh_from_db(fields=["pdf"])
    return certificate


def _site_link(view_name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return f"{settings.SITE_URL}{reverse(view_name, kwargs=kwargs or None)}"


def _send(*, user: User, template: str, context: dict) -> None:
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {**context, "user": user, "site_url": settings.SITE_URL,
                   "my_certificates_url": _site_link("certificates:my_certificates", language)}
        subject = " ".join(
            render_to_string(f"certificates/email/{template}_subject.txt", context).split()
        )
        body = render_to_string(f"certificates/email/{template}_body.txt", context)
    message = EmailMultiAlternatives(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, to=[user.email]
    )
    message.send()


def certificate_notify(*, certificate: Certificate) -> bool:
    """E-mail the holder once that their certificate is ready (claimed before sending)."""
    claimed = Certificate.objects.filter(pk=certificate.pk, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return False
    try:
        _send(
            user=certificate.user,
            template="issued",
            context={"certificate": certificate, "verify_url": verification_url(certificate.code)},
        )
    except Exception:
        # Let the task retry the e-mail: un-claim it.
        Certificate.objects.filter(pk=certificate.pk).update(notified_at=None)
        raise
    return True


def _course_template(course) -> CertificateTemplate | None:
    """The template a module awards (``select_related("course__certificate_setting__template")``
    makes this free)."""
    try:
        return course.certificate_setting.template
    except CourseCertificate.DoesNotExist:
        return None


def certificate_issue(*, enrolment: Enrolment, notify: bool = True) -> Certificate:
    """Issue (or finish issuing) the certificate of a completed enrolment. Idempotent.

    Returns the enrolment's latest certificate when it already has one, revoked or not: a
    revoked certificate is not silently issued again (that is what re-issue is for). With
    ``notify=False`` the holder is not e-mailed, now or by the sweep (demo data, imports).
    """
    enrolment = Enrolment.objects.select_related(
        "user__organisation", "course__certificate_setting__template", "course__locale"
    ).get(pk=enrolment.pk)
    existing = (
        Certificate.objects.filter(enrolment=enrolment).order_by("-created_at", "-pk").first()
    )
    if existing is None:
        if enrolment.status != EnrolmentStatus.COMPLETED:
            raise CertificateNotDue(f"enrolment {enrolment.pk} is not completed")
        cohort = _cohort_template(enrolment)
        template = cohort.certificate_template if cohort else _course_template(enrolment.course)
        if template is None:
            raise CertificateNotDue(f"module {enrolment.course_id} awards no certificate")
        existing, _created = _certificate_create(
            enrolment=enrolment, template=template, cohort=cohort
        )
    return certificate_finish(certificate=existing, notify=notify)


def certificate_finish(*, certificate: Certificate, notify: bool = True) -> Certificate:
    """A current certificate's PDF, then the holder's e-mail (once); both idempotent."""
    if certificate.status == CertificateStatus.ISSUED:
        certificate_pdf_ensure(certificate=certificate)
        if notify:
            certificate_notify(certificate=certificate)
        else:
            Certificate.objects.filter(pk=certificate.pk, notified_at__isnull=True).update(
                notified_at=timezone.now()
            )
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by: User | None, reason: str) -> Certificate:
    """Revoke a valid certificate; the record stays and the verification page says why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the revocation.")})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status != CertificateStatus.ISSUED:
        raise ValidationError(_("Only a valid certificate can be revoked."))
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason[:1000]
    certificate.revoked_by = by
    certificate.full_clean(validate_unique=False, validate_constraints=False)
    certificate.save(update_fields=["status", "revoked_at", "revoked_reason", "revoked_by"])
    return certificate


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, by: User | None) -> Certificate:
    """Replace a valid certificate with a new one from today's data (e.g. a corrected name).

    The old record is kept and its code answers "replaced by <new code>". The PDF and the
    e-mail follow after commit, through the issue task.
    """
    old = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if old.status != CertificateStatus.ISSUED:
        raise ValidationError(_("Only a valid certificate can be re-issued."))
    if old.membership_id is not None:
        return _attestation_reissue(old=old, by=by)
    enrolment = Enrolment.objects.select_related(
        "user__organisation", "course__certificate_setting__template", "course__locale"
    ).get(pk=old.enrolment_id)
    cohort = _cohort_template(enrolment)
    template = (cohort.certificate_template if cohort else _course_template(enrolment.course)) \
        or old.template or _fallback_template()
    # Free the "one current certificate" slot first, then fill it with the new one.
    old.status = CertificateStatus.REPLACED
    old.save(update_fields=["status"])
    new, _created = _certificate_create(enrolment=enrolment, template=template, cohort=cohort)
    old.replaced_by = new
    old.save(update_fields=["replaced_by"])
    logger.info("certificate %s replaced by %s (by user %s)", old.code, new.code,
                getattr(by, "pk", None))
    enqueue_issue(enrolment_id=enrolment.pk)
    return new


def _attestation_reissue(*, old: Certificate, by: User | None) -> Certificate:
    """``certificate_reissue`` of an attestation (the old row is locked by the caller)."""
    from cohorts.attestations import (
        _membership_for_issue,
        attestation_enqueue,
        attestation_snapshot,
    )

    membership = _membership_for_issue(old.membership_id)
    template = membership.cohort.certificate_template or old.template or _fallback_template()
    old.status = CertificateStatus.REPLACED
    old.save(update_fields=["status"])
    new, _created = certificate_insert(
        fields=attestation_snapshot(membership=membership, template=template),
        current=Q(membership=membership),
    )
    old.replaced_by = new
    old.save(update_fields=["replaced_by"])
    logger.info("attestation %s replaced by %s (by user %s)", old.code, new.code,
                getattr(by, "pk", None))
    attestation_enqueue(membership_id=membership.pk)
    return new


@transaction.atomic
def certificate_renew(*, enrolment: Enrolment) -> Certificate | None:
    """After the holder passes the final assessment again: a new certificate when the current
    one expires within 30 days (it is replaced), or when the latest one was revoked (it stays
    revoked: passing again is how a revoked holder earns a certificate again).

    Returns None when there is nothing to renew.
    """
    latest = (
        Certificate.objects.select_for_update()
        .filter(enrolment=enrolment).order_by("-created_at", "-pk").first()
    )
    if latest is None:
        return None
    if latest.status == CertificateStatus.REVOKED:
        enrolment = Enrolment.objects.select_related(
            "user__organisation", "course__certificate_setting__template", "course__locale"
        ).get(pk=enrolment.pk)
        cohort = _cohort_template(enrolment)
        template = (cohort.certificate_template if cohort else _course_template(enrolment.course)) \
            or latest.template or _fallback_template()
        new, _created = _certificate_create(enrolment=enrolment, template=template, cohort=cohort)
        enqueue_issue(enrolment_id=enrolment.pk)  # the PDF and the e-mail, after commit
        return new
    if latest.status != CertificateStatus.ISSUED or latest.expires_at is None:
        return None
    if latest.expires_at > timezone.now() + timedelta(days=30):
        return None
    return certificate_reissue(certificate=latest, by=None)


def _renew_url(certificate: Certificate) -> str:
    """The module page in the holder's language (its final assessment renews the certificate)."""
    language = certificate.user.preferred_language or settings.LANGUAGE_CODE
    if certificate.course is None:  # an attestation: nothing to take again
        return _site_link("certificates:my_certificates", language)
    course = _course_in(certificate.course, language)
    url = course.get_url() or ""
    if url.startswith("/"):
        url = f"{settings.SITE_URL}{url}"
    return url or _site_link("certificates:my_certificates", language)


def certificate_expiry_reminders_send() -> int:
    """E-mail each holder once, 30 days before their certificate expires. Returns how many."""
    from .selectors import certificates_due_for_expiry_reminder

    sent = 0
    for certificate in certificates_due_for_expiry_reminder(days=30):
        claimed = Certificate.objects.filter(
            pk=certificate.pk, expiry_reminder_sent_at__isnull=True
        ).update(expiry_reminder_sent_at=timezone.now())
        if not claimed:
            continue
        try:
            renew_url = _renew_url(certificate)
            _send(
                user=certificate.user,
                template="expiry",
                context={
                    "certificate": certificate,
                    "verify_url": verification_url(certificate.code),
                    "renew_url": renew_url,
                },
            )
        except Exception:
            Certificate.objects.filter(pk=certificate.pk).update(expiry_reminder_sent_at=None)
            logger.exception("expiry reminder for %s not sent", certificate.code)
            continue
        sent += 1
    return sent


def certificate_issue_failure_record(
    *, enrolment_id: int, error: str, traceback: str = "", task_id: str = "",
    attempts: int = 1, bulk_id: int | None = None,
) -> CertificateIssueFailure | None:
    """Record an issuance that failed for good, for administrators to see and resolve."""
    if not Enrolment.objects.filter(pk=enrolment_id).exists():
        return None
    failure = CertificateIssueFailure(
        enrolment_id=enrolment_id,
        bulk_id=bulk_id if bulk_id and BulkIssue.objects.filter(pk=bulk_id).exists() else None,
        task_id=task_id[:64],
        error=error[:2000] or "error",
        traceback=traceback[:20000],
        attempts=attempts,
    )
    failure.full_clean()
    failure.save()
    if failure.bulk_id:
        bulk_issue_record(bulk_id=failure.bulk_id, enrolment_id=enrolment_id,
                          outcome=BulkIssueItem.Outcome.FAILED)
    return failure


def certificate_issue_failure_resolve(*, failure: CertificateIssueFailure) -> None:
    failure.resolved_at = timezone.now()
    failure.save(update_fields=["resolved_at"])


def enqueue_issue(*, enrolment_id: int, bulk_id: int | None = None) -> None:
    """Queue the issue task after commit (a lost task is caught by the sweep)."""
    from .tasks import certificate_issue_task

    if bulk_id:
        delay_on_commit(certificate_issue_task, enrolment_id, bulk_id=bulk_id)
    else:
        delay_on_commit(certificate_issue_task, enrolment_id)


def enqueue_renewal(*, enrolment_id: int) -> None:
    """Queue a renewal check after commit (see ``certificate_renew``)."""
    from .tasks import certificate_renew_task

    delay_on_commit(certificate_renew_task, enrolment_id)


def certificates_sweep() -> int:
    """Queue the issue task of every enrolment whose certificate is missing, unfinished (no PDF)
    or whose holder was never told: the issue task finishes each and e-mails the holder once."""
    from .selectors import enrolments_due_for_certificate

    due = list(enrolments_due_for_certificate())
    for enrolment_id in due:
        enqueue_issue(enrolment_id=enrolment_id)
    return len(due)


# --- Bulk issuance -------------------------------------------------------------------------
@transaction.atomic
def bulk_issue_create(*, by: User, course: CoursePage, enrolment_ids: list[int],
                      filters: dict) -> BulkIssue:
    """Record a bulk issuance for a selection and start it after commit."""
    from .tasks import certificates_bulk_issue_task

    bulk = BulkIssue(
        created_by=by, course=course, filters=filters, enrolment_ids=list(enrolment_ids),
        total=len(enrolment_ids),
        status=BulkIssue.Status.PENDING if enrolment_ids else BulkIssue.Status.DONE,
    )
    bulk.full_clean()
    bulk.save()
    if enrolment_ids:
        delay_on_commit(certificates_bulk_issue_task, bulk.pk)
    return bulk


def bulk_issue_start(*, bulk: BulkIssue) -> None:
    """Fan the selection out, one issue task each, so that workers issue in parallel."""
    BulkIssue.objects.filter(pk=bulk.pk, status=BulkIssue.Status.PENDING).update(
        status=BulkIssue.Status.RUNNING
    )
    for enrolment_id in bulk.enrolment_ids:
        enqueue_issue(enrolment_id=enrolment_id, bulk_id=bulk.pk)


def bulk_issue_outcome(*, bulk: BulkIssue, certificate: Certificate) -> str:
    """Issued by this bulk issuance, already held before it, or skipped (revoked): read from the
    certificate itself, so a task that runs twice answers the same."""
    Outcome = BulkIssueItem.Outcome
    if certificate.status != CertificateStatus.ISSUED:
        return Outcome.SKIPPED
    return Outcome.ISSUED if certificate.created_at >= bulk.created_at else Outcome.HELD


def bulk_issue_record(*, bulk_id: int, enrolment_id: int, outcome: str,
                      certificate: Certificate | None = None) -> None:
    """Record what happened to one enrolment of a bulk issuance (once: a row per enrolment),
    and finish the bulk issuance when that was the last one."""
    try:
        with transaction.atomic():
            BulkIssueItem.objects.bulk_create(
                [BulkIssueItem(bulk_id=bulk_id, enrolment_id=enrolment_id, outcome=outcome,
                               certificate=certificate)],
                ignore_conflicts=True,
            )
    except IntegrityError:  # the bulk issuance was deleted meanwhile
        logger.info("bulk issuance %s is gone", bulk_id)
        return
    bulk = BulkIssue.objects.select_related("created_by").filter(pk=bulk_id).first()
    if bulk is None or bulk.is_done or bulk.items.count() < bulk.total:
        return
    # The conditional UPDATE decides which of the last tasks finishes it: the archive is asked
    # for once.
    finished = BulkIssue.objects.filter(pk=bulk_id).exclude(status=BulkIssue.Status.DONE).update(
        status=BulkIssue.Status.DONE
    )
    if finished:
        bulk_archive_request(bulk=bulk, user=bulk.created_by)


def bulk_issue_one(*, bulk_id: int, enrolment: Enrolment) -> Certificate | None:
    """Issue one certificate of a bulk issuance and record the outcome."""
    bulk = BulkIssue.objects.filter(pk=bulk_id).first()
    try:
        certificate = certificate_issue(enrolment=enrolment)
    except CertificateNotDue as exc:
        certificate_issue_failure_record(enrolment_id=enrolment.pk, bulk_id=bulk_id,
                                         error=f"no certificate due: {exc}")
        return None
    if bulk is not None:
        bulk_issue_record(bulk_id=bulk_id, enrolment_id=enrolment.pk,
                          outcome=bulk_issue_outcome(bulk=bulk, certificate=certificate),
                          certificate=certificate)
    return certificate


def _archive_key(certificate_ids: list[int]) -> str:
    return ",".join(str(pk) for pk in sorted(certificate_ids))


def bulk_archive_request(*, bulk: BulkIssue, user: User) -> bool:
    """Ask for the archive of the certificates ``user`` may manage in a bulk issuance now.

    Queues a build unless the stored archive holds exactly those, or a build for exactly those
    was already asked for (a conditional UPDATE claims it). Returns True when one was queued.
    """
    from .selectors import bulk_archive_certificate_ids
    from .tasks import certificates_bulk_archive_task

    key = _archive_key(bulk_archive_certificate_ids(bulk=bulk, user=user))
    if not key or (bulk.archive and bulk.archive_key == key):
        return False
    claimed = BulkIssue.objects.filter(pk=bulk.pk).exclude(archive_wanted_key=key).update(
        archive_wanted_key=key
    )
    if claimed:
        delay_on_commit(certificates_bulk_archive_task, bulk.pk, user.pk)
    return bool(claimed)


def bulk_archive_build(*, bulk: BulkIssue, user: User) -> str:
    """Build the ZIP of the PDFs ``user`` may manage in a bulk issuance into private storage.

    Read from the certificates' stored PDFs (a missing one is rendered here, in the worker).
    Replaces the previous archive; returns the key of what it holds ("" when nothing).
    """
    from .selectors import bulk_archive_certificate_ids

    ids = bulk_archive_certificate_ids(bulk=bulk, user=user)
    key = _archive_key(ids)
    storage = private_storage()
    name = ""
    try:
        if ids:
            with tempfile.TemporaryFile() as spool:
                with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as archive:
                    for certificate in Certificate.objects.filter(pk__in=ids).order_by(
                        "holder_name", "pk"
                    ):
                        certificate = certificate_pdf_ensure(certificate=certificate)
                        safe = "".join(ch if ch.isalnum() else "-"
                                       for ch in certificate.holder_name)
                        with certificate.pdf.open("rb") as handle:
                            archive.writestr(f"{safe[:60]}-{certificate.display_code}.pdf",
                                             handle.read())
                spool.seek(0)
                name = storage.save(f"bulk/{bulk.pk}/{secrets.token_hex(16)}.zip", File(spool))
    except Exception:
        # Let a later request ask again.
        BulkIssue.objects.filter(pk=bulk.pk, archive_wanted_key=key).update(archive_wanted_key="")
        raise
    previous = BulkIssue.objects.filter(pk=bulk.pk).values_list("archive", flat=True).first()
    BulkIssue.objects.filter(pk=bulk.pk).update(archive=name, archive_key=key if name else "")
    if previous and previous != name:
        storage.delete(previous)
    return key
