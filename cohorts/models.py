"""Cohorts: groups of learners led by trainers, their workshop sessions and attendance.

A ``Cohort`` follows one or more modules (source-locale pages) and may meet in person. Learner
records are plain rows with unique constraints that decide races: one ``Membership`` per
learner × cohort, one ``Attendance`` per learner × session, one ``TrainerPromotion`` per
person. Every change of an attendance mark is kept in ``AttendanceChange``. Times of sessions
are wall-clock times in the cohort's time zone (what the trainer typed and the room's clock
says); ``Session.starts_at``/``ends_at`` give the aware instants.

Donor indicators count these rows in single aggregates (participants by sex × age × country ×
organisation type through ``Membership.user``; attendance per session; cascade depth through
``TrainerPromotion``), so nothing here is denormalised into JSON.
"""

import secrets
import uuid
import zoneinfo
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from lms.storage import private_storage

# The programme's time zones first; any IANA zone is accepted.
PROGRAMME_TIME_ZONES = (
    "Africa/Casablanca", "Africa/Tunis", "Africa/Nouakchott", "Africa/Tripoli", "Africa/Dakar",
    "Africa/Bamako", "Africa/Porto-Novo", "Africa/Douala", "Europe/Paris", "Europe/Brussels",
    "Europe/Madrid", "Europe/Rome", "UTC",
)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone."), code="time_zone")


def _new_secret() -> str:
    return secrets.token_hex(32)


class DeliveryMode(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    BLENDED = "blended", _("Blended (online and in person)")


class MembershipState(models.TextChoices):
    INVITED = "invited", _("Invited")
    REQUESTED = "requested", _("Waiting list")
    ACTIVE = "active", _("Active")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", _("Completed")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


# Statuses that count as having attended a session (excused does not count, nor absent).
ATTENDED_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class Cohort(models.Model):
    """A group of learners led by one or more trainers through modules and workshops."""

    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        "lms.Organisation", verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="cohorts",
    )
    modules = models.ManyToManyField(
        "courses.CoursePage", verbose_name=_("modules"), blank=True, related_name="cohorts",
        help_text=_("Leave empty for a seminar or workshop series without an online module."),
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("trainers"), related_name="cohorts_led",
    )
    country = CountryField(_("country"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    delivery_mode = models.CharField(
        _("delivery mode"), max_length=16, choices=DeliveryMode.choices,
        default=DeliveryMode.BLENDED,
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Africa/Casablanca",
        validators=[validate_time_zone],
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="fr",
        help_text=_("Of invitations, reminders and the printed sign-in sheet."),
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"), default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Share of the sessions a learner must attend to complete (0: no minimum)."),
    )
    is_training_of_trainers = models.BooleanField(_("training of trainers"), default=False)
    auto_promote = models.BooleanField(
        _("promote to trainer automatically"), default=False,
        help_text=_("Training of trainers only: completing the cohort makes the learner a "
                    "trainer without waiting for a programme manager."),
    )
    certificate_template = models.ForeignKey(
        "certificates.CertificateTemplate", verbose_name=_("certificate template"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Printed for this cohort instead of the module's template; "
                    "{cohort}, {trainer} and {sessions_attended} can be used."),
    )
    signatures_on_phone = models.BooleanField(
        _("learners sign on the trainer's phone"), default=False,
    )
    # Open cohorts: people ask for a place; beyond the capacity they join the waiting list.
    is_open = models.BooleanField(_("open to requests"), default=False)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no limit."),
    )
    registration_deadline = models.DateField(_("registration deadline"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="cohort_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(min_attendance_percent__lte=100), name="cohort_min_attendance_0_100"
            ),
        ]
        indexes = [models.Index(fields=["country", "start_date"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})
        if self.auto_promote and not self.is_training_of_trainers:
            raise ValidationError(
                {"auto_promote": _("Only a training of trainers promotes its learners.")}
            )

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_in_person(self) -> bool:
        return self.delivery_mode != DeliveryMode.ONLINE


class Membership(models.Model):
    """A learner in a cohort. One row per learner × cohort; the state says where they are."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=MembershipState.choices,
        default=MembershipState.ACTIVE,
    )
    # Arrival order of requests: the waiting list is promoted in this order.
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    joined_at = models.DateTimeField(_("joined at"), null=True, blank=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="membership_unique"),
        ]
        indexes = [
            models.Index(fields=["cohort", "state", "requested_at"]),
            models.Index(fields=["user", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} ∈ {self.cohort_id} ({self.state})"

    @property
    def is_active(self) -> bool:
        return self.state == MembershipState.ACTIVE

    @property
    def is_waiting(self) -> bool:
        return self.state == MembershipState.REQUESTED

    @property
    def is_invited(self) -> bool:
        return self.state == MembershipState.INVITED


class Invitation(models.Model):
    """An e-mail invitation: its link signs the person up (or in) and lands them in the cohort."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    token = models.CharField(max_length=64, unique=True, default=_new_secret, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "email"], condition=Q(accepted_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.cohort_id}"


class Session(models.Model):
    """A workshop of a cohort: a date and wall-clock times in the cohort's time zone."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    topic = models.CharField(_("topic"), max_length=200)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    lessons = models.ManyToManyField(
        "courses.LessonPage", verbose_name=_("linked lessons"), blank=True, related_name="+"
    )
    # Secret of the rotating check-in QR code (HMAC over the time step, like TOTP).
    checkin_secret = models.CharField(max_length=64, default=_new_secret, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="session_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["cohort", "date"]), models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.topic} ({self.date})"

    def clean(self) -> None:
        super().clean()
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The session ends before it starts.")})

    def _aware(self, value) -> datetime:
        return datetime.combine(self.date, value, tzinfo=self.cohort.zone)

    @property
    def starts_at(self) -> datetime:
        return self._aware(self.start_time)

    @property
    def ends_at(self) -> datetime:
        return self._aware(self.end_time)


class Attendance(models.Model):
    """A learner's presence at a session. One row per learner × session; changes are audited."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(_("status"), max_length=16, choices=AttendanceStatus.choices)
    remark = models.CharField(_("remark"), max_length=300, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("marked at"), auto_now=True)
    # When a trainer's phone or a learner's scan recorded it (offline marks sync later).
    device_marked_at = models.DateTimeField(null=True, blank=True)
    signature_svg = models.TextField(blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="attendance_unique"),
        ]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.session_id}: {self.status}"

    @property
    def attended(self) -> bool:
        return self.status in ATTENDED_STATUSES


class AttendanceChange(models.Model):
    """Audit of an attendance mark: who changed it, when, from what to what."""

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    device_time = models.DateTimeField(null=True, blank=True)
    method = models.CharField(max_length=16, default="register")  # register, qr, card, sync
    old_status = models.CharField(max_length=16, blank=True)
    new_status = models.CharField(max_length=16)
    old_remark = models.CharField(max_length=300, blank=True)
    new_remark = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("attendance change")
        verbose_name_plural = _("attendance changes")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.attendance_id}: {self.old_status or '∅'} → {self.new_status}"


def _evidence_path(instance, filename: str) -> str:
    return f"evidence/{instance.session.cohort_id}/{instance.session_id}/{uuid.uuid4().hex}"


class SignInSheetScan(models.Model):
    """A scanned signed sign-in sheet (PDF or photo): evidence for donors, never public."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="scans")
    file = models.FileField(_("file"), upload_to=_evidence_path, storage=private_storage)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("scanned sign-in sheet")
        verbose_name_plural = _("scanned sign-in sheets")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name or self.file.name


class RosterImport(models.Model):
    """A roster file being checked or imported into a cohort (all rows or none)."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking")
        INVALID = "invalid", _("Has errors")
        READY = "ready", _("Ready to import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="imports")
    # Private: a roster holds names and e-mail addresses; only the import's views read it.
    file = models.FileField(upload_to="roster-imports/", storage=private_storage)
    original_name = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CHECKING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")

    def __str__(self) -> str:
        return f"{self.original_name} → {self.cohort_id} ({self.status})"


class TrainerPromotion(models.Model):
    """A learner who became a trainer: by whom, after which cohort — the cascade's lineage.

    ``trained_by`` is a trainer of that cohort; following ``trained_by`` upwards gives the
    depth of the cascade, and the cohorts led by the people promoted give its reach.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trainer_promotion"
    )
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.SET_NULL, related_name="promotions"
    )
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="trainees_promoted",
    )
    promoted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    promoted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("trainer promotion")
        verbose_name_plural = _("trainer promotions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(trained_by=F("user")), name="promotion_not_self_trained"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} (trainer since {self.promoted_at:%Y-%m-%d})"
