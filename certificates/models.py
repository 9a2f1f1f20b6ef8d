"""Certificates: the templates editors design, the certificates issued from them, their lifecycle.

A ``Certificate`` is a plain model pointing at the enrolment it certifies, with an immutable
snapshot of what it says (name, module, date, hours, grade, issuer), a random verification code
and the PDF in Django's storage. Revocation and re-issue keep the record; a conditional unique
constraint makes a second *current* certificate for the same holder and module impossible.

An **attestation of participation** is the same kind of certificate (PDF, verification page,
Open Badges credential) whose subject is a cohort membership instead of an enrolment: a seminar
or workshop series without an online module (``cohorts.attestations``). Exactly one of
``enrolment`` and ``membership`` is set (a check constraint), and one current attestation per
membership (a conditional unique constraint) decides between concurrent issuances. Its
``course_title`` snapshot holds the cohort's name, so every list that shows a certificate's
title shows the cohort.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.models import Orderable

from lms.codes import code_display
from lms.storage import private_storage

from .placeholders import placeholder_help, validate_template_text

LANGUAGE_CODES = ("fr", "en", "ar")


class Orientation(models.TextChoices):
    LANDSCAPE = "landscape", _("Landscape (A4)")
    PORTRAIT = "portrait", _("Portrait (A4)")


BODY_HELP = format_lazy(
    _("Simple HTML (p, br, strong, em, ul, ol, li, span, small) and placeholders: {}."),
    placeholder_help(),
)
TITLE_HELP = _("Plain text; placeholders are allowed.")


class CertificateTemplate(ClusterableModel):
    """How a module's certificate looks and what it says, per language (a Wagtail snippet).

    French is required; a certificate in English or Arabic uses those texts when filled in.
    """

    name = models.CharField(_("name"), max_length=120, unique=True)
    title_fr = models.CharField(
        _("title (French)"), max_length=200, help_text=TITLE_HELP
    )
    body_fr = models.TextField(_("text (French)"), help_text=BODY_HELP)
    title_en = models.CharField(
        _("title (English)"), max_length=200, blank=True, help_text=TITLE_HELP
    )
    body_en = models.TextField(_("text (English)"), blank=True, help_text=BODY_HELP)
    title_ar = models.CharField(
        _("title (Arabic)"), max_length=200, blank=True, help_text=TITLE_HELP
    )
    body_ar = models.TextField(_("text (Arabic)"), blank=True, help_text=BODY_HELP)
    orientation = models.CharField(
        _("orientation"), max_length=12, choices=Orientation.choices, default=Orientation.LANDSCAPE
    )
    background_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("background image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional, printed under the whole page: keep it light."),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("validity (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a certificate that never expires (e.g. 36 for three years)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("orientation"), FieldPanel("validity_months")]),
        FieldPanel("background_image"),
    ]
    text_panels = [
        MultiFieldPanel([FieldPanel("title_fr"), FieldPanel("body_fr")], heading=_("French")),
        MultiFieldPanel([FieldPanel("title_en"), FieldPanel("body_en")], heading=_("English")),
        MultiFieldPanel([FieldPanel("title_ar"), FieldPanel("body_ar")], heading=_("Arabic")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(panels, heading=_("Layout")),
            ObjectList(text_panels, heading=_("Texts")),
            ObjectList(
                [InlinePanel("logos", label=_("Partner logo"), max_num=6)], heading=_("Logos")
            ),
            ObjectList(
                [InlinePanel("signatories", label=_("Signatory"), max_num=3)],
                heading=_("Signatories"),
            ),
        ]
    )

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        for code in LANGUAGE_CODES:
            for field, html in ((f"title_{code}", False), (f"body_{code}", True)):
                try:
                    validate_template_text(getattr(self, field), html=html)
                except ValidationError as exc:
                    errors[field] = exc.messages
            if bool(getattr(self, f"title_{code}")) != bool(getattr(self, f"body_{code}")):
                errors.setdefault(f"body_{code}", []).append(
                    _("Fill in both the title and the text of a language, or neither.")
                )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # Whatever saves a template (admin, demo, shell), a template that saves always renders.
        self.clean()
        super().save(*args, **kwargs)

    def languages(self) -> list[str]:
        return [code for code in LANGUAGE_CODES if getattr(self, f"title_{code}")]

    def texts_for(self, language: str) -> tuple[str, str, str]:
        """(language actually used, title, body): French when the language is not filled in."""
        if language not in LANGUAGE_CODES or not getattr(self, f"title_{language}"):
            language = "fr"
        return language, getattr(self, f"title_{language}"), getattr(self, f"body_{language}")


class CourseCertificate(models.Model):
    """Which template a module awards: one row per module (its source-locale page).

    The link lives here, not on the page, so that ``courses`` knows nothing of certificates:
    the dependency runs certificates → courses only. A module without a row awards nothing.
    """

    course = models.OneToOneField(
        "courses.CoursePage", on_delete=models.CASCADE, primary_key=True,
        related_name="certificate_setting", verbose_name=_("training module"),
    )
    template = models.ForeignKey(
        CertificateTemplate, on_delete=models.CASCADE, related_name="courses",
        verbose_name=_("certificate template"),
    )

    panels = [FieldPanel("course"), FieldPanel("template")]

    class Meta:
        verbose_name = _("module certificate")
        verbose_name_plural = _("module certificates")

    def __str__(self) -> str:
        return f"{self.course} → {self.template}"

    def clean(self) -> None:
        super().clean()
        # Learner records point at the source-locale (French) page: so does this link.
        if self.course_id and self.course.locale.language_code != settings.LANGUAGE_CODE:
            raise ValidationError(
                {"course": _("Choose the module in its source language (French).")}
            )


class CertificateTemplateLogo(Orderable):
    """A partner logo printed at the top of the certificate."""

    template = ParentalKey(CertificateTemplate, on_delete=models.CASCADE, related_name="logos")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("logo"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(
        _("partner name"), max_length=120, help_text=_("Used as the logo's text alternative.")
    )

    panels = [FieldPanel("image"), FieldPanel("name")]

    class Meta(Orderable.Meta):
        verbose_name = _("partner logo")


class CertificateTemplateSignatory(Orderable):
    """A person who signs the certificate: name, title and an optional signature image."""

    template = ParentalKey(
        CertificateTemplate, on_delete=models.CASCADE, related_name="signatories"
    )
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("title"), max_length=160, blank=True)
    signature = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("name"), FieldPanel("title"), FieldPanel("signature")]

    class Meta(Orderable.Meta):
        verbose_name = _("signatory")


class CertificateStatus(models.TextChoices):
    ISSUED = "issued", _("Valid")
    REVOKED = "revoked", _("Revoked")
    REPLACED = "replaced", _("Replaced")


class Certificate(models.Model):
    """One certificate awarded for one completed enrolment (or, as an attestation of
    participation, one completed cohort membership), with a snapshot of what it says.

    The snapshot fields never change after issue (a correction is a re-issue: a new certificate
    replaces this one, which is kept). At most one certificate per holder and module, and per
    enrolment, is *current* (status "issued"): a database constraint, not application code,
    decides when two issuances race.
    """

    enrolment = models.ForeignKey(
        "courses.Enrolment", null=True, blank=True, on_delete=models.CASCADE,
        related_name="certificates",
    )
    # An attestation of participation: the cohort membership it attests (no enrolment).
    membership = models.ForeignKey(
        "cohorts.Membership", null=True, blank=True, on_delete=models.CASCADE,
        related_name="attestations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("module"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    code = models.CharField(_("verification code"), max_length=12, unique=True, editable=False)
    status_index = models.PositiveIntegerField(unique=True, editable=False)
    template = models.ForeignKey(
        CertificateTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Snapshot: what the certificate says, frozen at issue.
    holder_name = models.CharField(_("holder name"), max_length=150)
    course_title = models.CharField(_("module title"), max_length=255)
    course_description = models.TextField(_("module description"), blank=True)
    achievement_key = models.CharField(max_length=64, blank=True)
    language = models.CharField(_("language"), max_length=8)
    completion_date = models.DateField(_("completion date"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.DecimalField(_("grade"), max_digits=5, decimal_places=2, null=True, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    competencies = models.JSONField(_("competencies"), default=list, blank=True)
    issuer = models.CharField(_("issuer"), max_length=200)
    # The cohort placeholders ({cohort}, {trainer}, {sessions_attended}), frozen at issue, for a
    # certificate printed from a cohort's template (blank otherwise).
    cohort_name = models.CharField(_("cohort"), max_length=200, blank=True)
    trainer_names = models.CharField(_("trainers"), max_length=500, blank=True)
    sessions_attended = models.CharField(_("sessions attended"), max_length=20, blank=True)
    # Lifecycle.
    pdf = models.FileField(_("PDF"), upload_to="certificates/%Y/%m/", blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=CertificateStatus.choices,
        default=CertificateStatus.ISSUED,
    )
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaced_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaces"
    )
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    expiry_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("issued at"), default=timezone.now, editable=False)

    SNAPSHOT_FIELDS = (
        "enrolment_id", "user_id", "course_id", "code", "status_index", "holder_name",
        "course_title", "course_description", "achievement_key", "language", "completion_date",
        "hours", "grade", "country", "organisation", "competencies", "issuer", "created_at",
        "membership_id", "cohort_name", "trainer_names", "sessions_attended",
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=Q(status="issued"),
                name="certificate_one_current_per_holder_course",
            ),
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(status="issued"),
                name="certificate_one_current_per_enrolment",
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | Q(revoked_at__isnull=False),
                name="certificate_revoked_has_date",
            ),
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(status="issued"),
                name="certificate_one_current_per_membership",
            ),
            models.CheckConstraint(
                condition=(Q(enrolment__isnull=False, membership__isnull=True)
                           | Q(enrolment__isnull=True, membership__isnull=False)),
                name="certificate_enrolment_xor_membership",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.display_code} — {self.holder_name}"

    def save(self, *args, **kwargs):
        # What a certificate says never changes once issued: correct it by re-issuing.
        update_fields = kwargs.get("update_fields")
        if not self._state.adding and self.pk:
            fields = [
                name for name in self.SNAPSHOT_FIELDS
                if update_fields is None or name in update_fields
                or name.removesuffix("_id") in update_fields
            ]
            stored = (
                Certificate.objects.filter(pk=self.pk).values(*fields).first() if fields else None
            )
            changed = [name for name in fields if stored and stored[name] != getattr(self, name)]
            if changed:
                raise ValidationError(
                    _("A certificate cannot be changed once issued (%(fields)s): re-issue it.")
                    % {"fields": ", ".join(changed)}
                )
        super().save(*args, **kwargs)

    @property
    def display_code(self) -> str:
        return code_display(self.code)

    @property
    def is_attestation(self) -> bool:
        """An attestation of participation in a cohort (no module)."""
        return self.membership_id is not None

    @property
    def is_issued(self) -> bool:
        """Current (not revoked, not replaced); it may have expired."""
        return self.status == CertificateStatus.ISSUED

    @property
    def is_expired(self) -> bool:
        return bool(
            self.status == CertificateStatus.ISSUED
            and self.expires_at is not None
            and self.expires_at <= timezone.now()
        )

    @property
    def public_status(self) -> str:
        """valid / revoked / replaced / expired, as the verification page says it."""
        if self.status == CertificateStatus.ISSUED:
            return "expired" if self.is_expired else "valid"
        return self.status


class CertificateIssueFailure(models.Model):
    """An issuance that failed after every retry: shown to administrators, never retried alone.

    The sweep skips enrolments with an open failure; resolving it (after fixing the cause) lets
    the next sweep issue the certificate.
    """

    enrolment = models.ForeignKey(
        "courses.Enrolment", verbose_name=_("enrolment"), on_delete=models.CASCADE,
        related_name="certificate_failures",
    )
    bulk = models.ForeignKey(
        "BulkIssue", null=True, blank=True, on_delete=models.SET_NULL, related_name="failures"
    )
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    error = models.TextField(_("error"))
    traceback = models.TextField(_("traceback"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    created_at = models.DateTimeField(_("failed at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate issue failure")
        verbose_name_plural = _("certificate issue failures")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.error[:60]}"


class BulkIssue(models.Model):
    """A programme manager's bulk issuance: the selection, what happened to each enrolment of
    it (``items``) and the archive of the PDFs, built by a task into private storage."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Issuing")
        DONE = "done", _("Done")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="+")
    filters = models.JSONField(default=dict, blank=True)
    enrolment_ids = models.JSONField(default=list, blank=True)
    total = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    # The archive of the PDFs and the certificates it holds ("id,id,…"); a download serves it
    # only while that is still what the downloader may manage (see ``selectors.bulk_archive``).
    archive = models.FileField(upload_to="bulk/", storage=private_storage, blank=True,
                               editable=False)
    archive_key = models.TextField(blank=True, editable=False)
    # The certificates a build was last asked for: claims the build, so it is queued once.
    archive_wanted_key = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("bulk issuance")
        verbose_name_plural = _("bulk issuances")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.course} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE


class BulkIssueItem(models.Model):
    """What a bulk issuance did for one enrolment of its selection: one row each, so a task
    that runs twice counts once."""

    class Outcome(models.TextChoices):
        ISSUED = "issued", _("Issued")
        HELD = "held", _("Already held")
        SKIPPED = "skipped", _("Skipped (revoked)")
        FAILED = "failed", _("Failed")

    bulk = models.ForeignKey(BulkIssue, on_delete=models.CASCADE, related_name="items")
    enrolment = models.ForeignKey("courses.Enrolment", on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    certificate = models.ForeignKey(
        Certificate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("bulk issuance item")
        verbose_name_plural = _("bulk issuance items")
        constraints = [
            models.UniqueConstraint(
                fields=["bulk", "enrolment"], name="bulk_item_one_per_enrolment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bulk_id}: {self.enrolment_id} {self.outcome}"
