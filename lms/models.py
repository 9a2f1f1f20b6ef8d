"""Accounts, organisations and roles, plus the site's home page.

The user model carries the few profile fields donors need for reporting (sex, year of birth,
country, organisation) and the record of consent. Nothing else personal is collected.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class OrganisationType(models.TextChoices):
    TRADE_UNION = "trade_union", _("Trade union")
    EMPLOYERS = "employers", _("Employers' organisation")
    EMPLOYMENT_SERVICE = "employment_service", _("Public employment service")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("Labour inspectorate")
    MINISTRY = "ministry", _("Ministry")
    CIVIL_SOCIETY = "civil_society", _("Civil-society organisation")
    TRAINING_PROVIDER = "training_provider", _("Training provider")
    INDIVIDUAL = "individual", _("Migrant or family member / individual")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    """An organisation learners belong to; its type and country feed donor indicators."""

    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=32, choices=OrganisationType.choices)
    country = CountryField(_("country"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Who named it in their profile (empty for organisations created by staff): a learner may
    # create only a few (lms.services.ORGANISATIONS_PER_LEARNER).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisations_created",
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "country", name="organisation_unique_name_country"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country.code})" if self.country else self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address. Roles are groups (see ``lms.access``)."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(
        _("full name"),
        max_length=150,
        help_text=_("As it should appear on your certificates."),
    )
    sex = models.CharField(
        _("sex"),
        max_length=16,
        choices=Sex.choices,
        blank=True,
        help_text=_("Used only for anonymous statistics reported to the programme's funders."),
    )
    year_of_birth = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text=_("Optional. Used only to count participants by age group."),
    )
    country = CountryField(
        _("country"),
        blank=True,
        help_text=_("The country where you live or work, for statistics by country."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        help_text=_("Your trade union, employer, service or association, if any."),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="fr",
        help_text=_("The language of the site and of the e-mails we send you."),
    )
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_policy_version = models.CharField(
        _("privacy policy version"), max_length=20, blank=True
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Designates whether the user can log into the Django admin site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_unique_email_ci"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def profile_complete(self) -> bool:
        return bool(self.full_name and self.sex and self.country)


class ProgrammeManagerScope(models.Model):
    """What a programme manager may report on: some organisations and/or some countries.

    A manager with an empty scope sees nothing; an administrator sees everything.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="manager_scope"
    )
    organisations = models.ManyToManyField(
        Organisation, blank=True, verbose_name=_("organisations")
    )
    countries = CountryField(_("countries"), multiple=True, blank=True)

    class Meta:
        verbose_name = _("programme manager scope")
        verbose_name_plural = _("programme manager scopes")

    def __str__(self) -> str:
        return str(self.user)


class HomeSectionBlock(blocks.StructBlock):
    """A titled section of the home page with text and an optional call to action."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    body = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ul", "ol"])
    link_page = blocks.PageChooserBlock(label=_("Link to page"), required=False)
    link_text = blocks.CharBlock(label=_("Link text"), required=False, max_length=60)

    class Meta:
        template = "blocks/home_section.html"
        icon = "doc-full"
        preview_value = {
            "heading": "Former les formateurs",
            "body": "<p>Des modules pour les syndicats et les employeurs.</p>",
        }


class HomePage(Page):
    """The site root in each language: a hero and editable sections."""

    hero_title = models.CharField(_("hero title"), max_length=120)
    hero_text = RichTextField(_("hero text"), features=["bold", "italic", "link"], blank=True)
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("call-to-action page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_cta_text = models.CharField(_("call-to-action text"), max_length=60, blank=True)
    sections = StreamField(
        [("section", HomeSectionBlock())], blank=True, verbose_name=_("sections")
    )

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("hero_cta_page"),
        FieldPanel("hero_cta_text"),
        FieldPanel("sections"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")
