"""Training modules: the page tree (catalogue → module → lesson), quizzes and learner records.

Content lives in Wagtail pages and snippets, edited and translated in ``/cms/``. Learner state
(enrolments, lesson progress, quiz attempts) lives in plain models with unique constraints and
always points to the *source-locale* (French) page or quiz, so progress is counted per module
whatever language the learner reads it in. Reads go through ``courses.selectors``, writes
through ``courses.services``.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, F, IntegerField, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail.url_routing import RouteResult

from .blocks import LessonStreamBlock


class Audience(models.TextChoices):
    TRADE_UNIONS = "trade_unions", _("Trade unions")
    EMPLOYERS = "employers", _("Employers")
    MIGRANTS_FAMILIES = "migrants_families", _("Migrant workers and their families")
    TRAINERS = "trainers", _("Trainers")
    LABOUR_INSPECTORS = "labour_inspectors", _("Labour inspectors")
    EMPLOYMENT_COUNSELLORS = "employment_counsellors", _("Employment-service counsellors")


class Topic(models.TextChoices):
    FINANCIAL_EDUCATION = "financial_education", _("Financial education")
    LABOUR_INTERMEDIATION = "labour_intermediation", _("International labour intermediation")
    LABOUR_INSPECTION = "labour_inspection", _("Labour inspection and rights")
    SKILLS_CERTIFICATION = "skills_certification", _("Skills certification")


class EnrolmentMode(models.TextChoices):
    OPEN = "open", _("Open: learners enrol themselves")
    COHORT = "cohort", _("Cohort only: a trainer or programme enrols learners")


class QuizPurpose(models.TextChoices):
    CHECK = "check", _("Check (inside a lesson)")
    PRE_TEST = "pre_test", _("Pre-test")
    POST_TEST = "post_test", _("Post-test")
    FINAL = "final", _("Final assessment")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True / false")


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("In progress")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AudienceTag(models.Model):
    """One of the six fixed target audiences, stored as rows so pages can filter on them.

    The rows are created by the migration; the label shown is the translated choice label.
    """

    code = models.CharField(_("code"), max_length=32, choices=Audience.choices, unique=True)

    class Meta:
        verbose_name = _("target audience")
        verbose_name_plural = _("target audiences")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.get_code_display())


# --- Quizzes ----------------------------------------------------------------------------------


class Quiz(TranslatableMixin, ClusterableModel):
    """A set of ordered questions, edited as a snippet and translatable like pages.

    Quizzes are translatable (``TranslatableMixin``): the "Translate" action copies a quiz with its
    questions and choices into another locale, keeping the same ``translation_key``. Attempts are
    recorded against the source-locale quiz, so the attempt limit and the best score are shared
    by all languages of the same quiz.
    """

    title = models.CharField(_("title"), max_length=200)
    purpose = models.CharField(
        _("purpose"), max_length=16, choices=QuizPurpose.choices, default=QuizPurpose.CHECK
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"), null=True, blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for unlimited attempts."),
    )
    intro = models.TextField(_("instructions"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("purpose"),
        FieldPanel("pass_mark"),
        FieldPanel("max_attempts"),
        FieldPanel("intro"),
        InlinePanel("questions", label=_("Questions"), min_num=1),
    ]

    search_fields = [index.SearchField("title"), index.FilterField("locale_id")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self) -> str:
        return self.title

    @property
    def is_diagnostic(self) -> bool:
        """A pre-test shows what the learner already knows: no pass mark, nobody "passes"."""
        return self.purpose == QuizPurpose.PRE_TEST


class Question(ClusterableModel, Orderable):
    """One question of a quiz; its choices are ordered and carry their own feedback."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(
        _("kind"), max_length=16, choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    text = models.TextField(_("question"))
    explanation = models.TextField(
        _("explanation"), blank=True, help_text=_("Shown after the learner has answered.")
    )

    panels = [
        FieldPanel("kind"),
        FieldPanel("text"),
        FieldPanel("explanation"),
        InlinePanel("choices", label=_("Choices"), min_num=2),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_multiple(self) -> bool:
        return self.kind == QuestionKind.MULTIPLE


class Choice(Orderable):
    """A possible answer; ``is_correct`` never reaches the page before the learner submits."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("answer"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)
    feedback = models.TextField(_("feedback"), blank=True)

    panels = [FieldPanel("text"), FieldPanel("is_correct"), FieldPanel("feedback")]

    class Meta(Orderable.Meta):
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.text[:80]


# --- Pages ------------------------------------------------------------------------------------


class CourseIndexPage(Page):
    """The catalogue of training modules in one language, under that language's home page."""

    intro = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["lms.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("module catalogue")

    def route(self, request, path_components):
        # The module (of its own type, from the content cache: no query when warm) instead of
        # Wagtail's two queries (child, then .specific); the module routes whatever follows.
        # Anything else: Wagtail's routing.
        if path_components:
            from . import selectors

            course = selectors.module_by_url_path(
                url_path=f"{self.url_path}{path_components[0]}/"
            )
            if course is not None:
                return course.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(
            selectors.catalogue_context(index=self, params=request.GET, request=request)
        )
        return context


class CoursePage(Page):
    """A training module: what it teaches, to whom, how to enrol and how it is completed.

    Required lessons are all its live, non-optional lessons; if it has a final assessment, the
    learner's best score must also reach that quiz's pass mark (see ``courses.completion``).
    """

    key = models.SlugField(
        _("module key"), max_length=80, blank=True, db_index=True,
        help_text=_("Stable identifier shared by all translations (used by imports)."),
    )
    summary = models.TextField(_("summary"), help_text=_("One or two sentences."))
    objectives = models.TextField(
        _("learning objectives"), blank=True, help_text=_("One per line.")
    )
    topic = models.CharField(_("topic"), max_length=32, choices=Topic.choices)
    audiences = ParentalManyToManyField(AudienceTag, verbose_name=_("target audiences"), blank=True)
    estimated_hours = models.DecimalField(
        _("estimated hours"), max_digits=5, decimal_places=1, default=1,
        validators=[MinValueValidator(0)],
    )
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    competencies = models.TextField(
        _("competencies"), blank=True, help_text=_("One per line; printed on the certificate.")
    )
    enrolment_mode = models.CharField(
        _("enrolment"), max_length=8, choices=EnrolmentMode.choices, default=EnrolmentMode.OPEN
    )
    join_instructions = models.TextField(
        _("how to join"), blank=True,
        help_text=_("For cohort-only modules: who to contact to join a group."),
    )
    pre_test = models.ForeignKey(
        Quiz, verbose_name=_("pre-test"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    final_assessment = models.ForeignKey(
        Quiz, verbose_name=_("final assessment"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("If set, the learner's best score must reach its pass mark to complete."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("objectives"),
        MultiFieldPanel([
            FieldPanel("topic"),
            FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
            FieldPanel("estimated_hours"),
            FieldPanel("prerequisites"),
            FieldPanel("competencies"),
        ], heading=_("About the module")),
        MultiFieldPanel([
            FieldPanel("enrolment_mode"),
            FieldPanel("join_instructions"),
        ], heading=_("Enrolment")),
        MultiFieldPanel([
            FieldPanel("pre_test"),
            FieldPanel("final_assessment"),
        ], heading=_("Assessment")),
    ]
    promote_panels = Page.promote_panels + [FieldPanel("key")]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("objectives"),
        index.SearchField("competencies"),
        index.FilterField("topic"),
    ]

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")

    @property
    def is_cohort_only(self) -> bool:
        return self.enrolment_mode == EnrolmentMode.COHORT

    @property
    def objectives_list(self) -> list[str]:
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]

    @property
    def competencies_list(self) -> list[str]:
        return [line.strip() for line in self.competencies.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        for field in ("pre_test", "final_assessment"):
            quiz = getattr(self, field)
            if quiz is not None and quiz.locale_id != self.locale_id:
                raise ValidationError(
                    {field: _("Choose the quiz in the same language as the page.")}
                )

    def route(self, request, path_components):
        # A lesson comes in one query with its check quiz, and is handed this module as a
        # route keyword (so the lesson page needs no query for its parent). Other sub-pages
        # and sub-URLs route as Wagtail routes them.
        if path_components:
            lesson = (
                LessonPage.objects.filter(url_path=f"{self.url_path}{path_components[0]}/")
                .select_related("quiz").first()
            )
            if lesson is not None:
                if not self.live:  # an unpublished module hides its lessons
                    raise Http404
                result = lesson.route(request, path_components[1:])
                if result.page is lesson:
                    return RouteResult(lesson, args=result.args,
                                       kwargs={**(result.kwargs or {}), "module": self})
                return result
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.course_page_context(course=self, user=request.user))
        return context

    def serve(self, request, *args, **kwargs):
        # Conditional GETs (ETag, 304) for the offline app: courses.offline.
        from .offline import serve_module

        return serve_module(self, request, super().serve, *args, **kwargs)


class LessonPage(Page):
    """One lesson of a module: short, readable on a phone, with an optional check quiz."""

    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(LessonStreamBlock(), verbose_name=_("content"), blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=15)
    is_optional = models.BooleanField(
        _("optional"), default=False, help_text=_("Optional lessons do not count for completion.")
    )
    quiz = models.ForeignKey(
        Quiz, verbose_name=_("check quiz"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Passing it marks the lesson as done."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("quiz"),
        FieldPanel("estimated_minutes"),
        FieldPanel("is_optional"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def clean(self):
        super().clean()
        if self.quiz is not None and self.quiz.locale_id != self.locale_id:
            raise ValidationError({"quiz": _("Choose the quiz in the same language as the page.")})

    def get_context(self, request, *args, module=None, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(
            selectors.lesson_page_context(lesson=self, request=request, module=module)
        )
        return context

    def serve(self, request, *args, **kwargs):
        # Conditional GETs (ETag, 304) for the offline app: courses.offline.
        from .offline import serve_lesson

        return serve_lesson(self, request, super().serve, *args, **kwargs)


# --- Learner records --------------------------------------------------------------------------


def _count(queryset) -> Coalesce:
    """A scalar subquery counting a queryset's rows (0, never NULL)."""
    return Coalesce(
        Subquery(
            queryset.order_by().annotate(_one=Value(1)).values("_one")
            .annotate(n=Count("*")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


class EnrolmentQuerySet(models.QuerySet):
    def with_progress(self) -> EnrolmentQuerySet:
        """Annotate what ``courses.progress`` needs, for any number of enrolments in one query.

        ``progress_required`` / ``progress_done``: required lessons and how many are done;
        ``progress_first_required_undone_key``: the first required lesson not done (link);
        ``progress_first_undone_key``, ``progress_last_lesson_key``, ``progress_last_lesson_done``:
        for "resume"; ``progress_final_quiz_id``, ``progress_final_pass_mark``,
        ``progress_final_best``: the final assessment and the learner's best score on it.
        """
        lessons = LessonPage.objects.filter(
            path__startswith=OuterRef("course__path"),
            depth=OuterRef("course__depth") + 1,
            live=True,
        )
        required = lessons.filter(is_optional=False)
        done = LessonProgress.objects.filter(
            user=OuterRef("user"),
            lesson__path__startswith=OuterRef("course__path"),
            lesson__depth=OuterRef("course__depth") + 1,
            lesson__live=True,
            lesson__is_optional=False,
        )
        not_done = ~Exists(
            LessonProgress.objects.filter(user=OuterRef(OuterRef("user")), lesson=OuterRef("pk"))
        )
        best = (
            QuizAttempt.objects.filter(
                user=OuterRef("user"), quiz=OuterRef("course__final_assessment")
            ).order_by().values("quiz").annotate(best=Max("score")).values("best")[:1]
        )
        return self.annotate(
            progress_required=_count(required),
            progress_done=_count(done),
            progress_first_required_undone_key=Subquery(
                required.filter(not_done).order_by("path").values("translation_key")[:1]
            ),
            progress_first_undone_key=Subquery(
                lessons.filter(not_done).order_by("path").values("translation_key")[:1]
            ),
            progress_last_lesson_key=F("last_lesson__translation_key"),
            progress_last_lesson_done=Exists(
                LessonProgress.objects.filter(user=OuterRef("user"), lesson=OuterRef("last_lesson"))
            ),
            progress_final_quiz_id=F("course__final_assessment_id"),
            progress_final_pass_mark=F("course__final_assessment__pass_mark"),
            progress_final_best=Subquery(
                best, output_field=models.DecimalField(max_digits=5, decimal_places=2)
            ),
        )


class Enrolment(models.Model):
    """A learner in a module (source-locale page). One row per learner × module."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrolments")
    status = models.CharField(
        _("status"), max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    final_score = models.DecimalField(
        _("final score"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    last_lesson = models.ForeignKey(
        LessonPage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="enrolment_unique_user_course"),
            models.CheckConstraint(
                condition=models.Q(final_score__isnull=True)
                | models.Q(final_score__gte=0, final_score__lte=100),
                name="enrolment_final_score_0_100",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="completed") | models.Q(completed_at__isnull=False),
                name="enrolment_completed_has_date",
            ),
        ]
        indexes = [models.Index(fields=["course", "status"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.course_id} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == EnrolmentStatus.ACTIVE

    @property
    def is_completed(self) -> bool:
        return self.status == EnrolmentStatus.COMPLETED

    @property
    def is_withdrawn(self) -> bool:
        return self.status == EnrolmentStatus.WITHDRAWN


class LessonProgress(models.Model):
    """A lesson (source-locale page) a learner has completed. One row per learner × lesson.

    ``idempotency_key`` (like ``QuizAttempt``'s) is the client-generated key of the request
    that created the row: the row *is* the result, so a replay finds it by (user, key) and
    changes nothing. Keys live on the rows rather than in a generic event table because each
    write here creates exactly one row, and the unique constraint on that row decides races.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="progress")
    completed_at = models.DateTimeField(_("completed at"), auto_now_add=True)
    idempotency_key = models.UUIDField(_("idempotency key"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lesson_progress_unique"),
            models.UniqueConstraint(
                fields=["user", "idempotency_key"], name="lesson_progress_unique_key",
                condition=models.Q(idempotency_key__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ✓ {self.lesson_id}"


class QuizAttempt(models.Model):
    """One submitted attempt. ``quiz`` is the source-locale quiz (limits and best score are
    shared across languages); ``answered_quiz`` is the language version actually answered.
    ``idempotency_key``: replaying a submission with the same key returns this attempt."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    answered_quiz = models.ForeignKey(
        Quiz, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    number = models.PositiveSmallIntegerField(
        _("attempt number"), validators=[MinValueValidator(1)]
    )
    answers = models.JSONField(_("answers"), default=dict)
    score = models.DecimalField(
        _("score"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    passed = models.BooleanField(_("passed"), default=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    idempotency_key = models.UUIDField(_("idempotency key"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz", "number"], name="quiz_attempt_unique_number"
            ),
            models.UniqueConstraint(
                fields=["user", "idempotency_key"], name="quiz_attempt_unique_key",
                condition=models.Q(idempotency_key__isnull=False),
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=100), name="quiz_attempt_score_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.quiz_id} #{self.number}: {self.score}"
