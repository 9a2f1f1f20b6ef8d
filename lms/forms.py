"""Sign-up and profile forms. Each field says why we ask for it."""

import unicodedata

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries import countries, countries_context

from .models import Organisation, OrganisationType, User
from .selectors import organisation_choices
from .services import organisation_creation_check, user_record_consent
from .validators import plain_name

NAME_MAX_LENGTH = User._meta.get_field("full_name").max_length


def validate_person_name(value: str) -> str:
    """Normalise a typed name and refuse what cannot be a name (markup, control characters)."""
    value = " ".join(unicodedata.normalize("NFC", value).split())
    if not value:
        raise ValidationError(_("Please enter your full name."), code="required")
    if any(ch in value for ch in "<>{}[]\\") or any(
        unicodedata.category(ch).startswith("C") for ch in value
    ):
        raise ValidationError(
            _("A name cannot contain the characters < > { } [ ] \\ or invisible characters."),
            code="invalid",
        )
    if len(value) > NAME_MAX_LENGTH:
        raise ValidationError(
            _("Please shorten your name to %(max)d characters.") % {"max": NAME_MAX_LENGTH},
            code="max_length",
        )
    return value


# The programme's countries come first in the country list, then every country.
PROGRAMME_COUNTRIES = ("MA", "TN", "MR", "LY", "SN", "ML", "BJ", "CM")


def country_choices() -> list:
    """An empty first choice (selected until one is made), then two groups: the programme's
    countries, and every country by name. No separator line a person could pick."""
    with countries_context(first=[], first_by_language={}):
        every = [(country.code, country.name) for country in countries if country.code]
    names = dict(every)
    return [
        ("", _("Choose your country")),
        (_("Programme countries"), [(code, names[code]) for code in PROGRAMME_COUNTRIES]),
        (_("All countries"), every),
    ]


class SignupForm(forms.Form):
    """Extra sign-up fields for allauth: the name for certificates and consent to processing."""

    field_order = ["full_name", "email", "password1", "password2", "consent"]

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=NAME_MAX_LENGTH * 2,  # checked precisely in clean, with a clearer message
        help_text=_("As it should appear on your certificates."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree to the processing of my personal data as described in the privacy policy."
        ),
        error_messages={"required": _("You must accept the privacy policy to create an account.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].help_text = format_html(
            '<a href="{}">{}</a>', reverse("privacy"), _("Read the privacy policy")
        )

    def clean_full_name(self) -> str:
        return validate_person_name(self.cleaned_data["full_name"])

    def signup(self, request, user: User) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.preferred_language = (request.LANGUAGE_CODE or settings.LANGUAGE_CODE)[:2]
        user.save(update_fields=["full_name", "preferred_language"])
        user_record_consent(user=user)


class ProfileForm(forms.ModelForm):
    """The profile fields used for donor reporting, each explained next to the field."""

    new_organisation_name = forms.CharField(
        label=_("Or name your organisation"),
        max_length=200,
        required=False,
        help_text=_("If your organisation is not in the list above."),
    )
    new_organisation_type = forms.ChoiceField(
        label=_("Type of that organisation"),
        choices=[("", "---------")] + list(OrganisationType.choices),
        required=False,
    )

    class Meta:
        model = User
        fields = [
            "full_name",
            "sex",
            "year_of_birth",
            "country",
            "organisation",
            "preferred_language",
        ]
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "year_of_birth": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sex"].required = True
        self.fields["country"].required = True
        self.fields["country"].choices = country_choices()
        self.fields["organisation"].queryset = organisation_choices()
        self.fields["organisation"].empty_label = _("None: I take part as an individual")
        self.fields["full_name"].max_length = None  # validated in clean_full_name

    def clean_full_name(self) -> str:
        return validate_person_name(self.cleaned_data["full_name"])

    def clean_year_of_birth(self) -> int | None:
        year = self.cleaned_data.get("year_of_birth")
        this_year = timezone.now().year
        if year is not None and not (this_year - 110 <= year <= this_year - 10):
            raise ValidationError(
                _("Enter a year between %(first)d and %(last)d, or leave it empty.")
                % {"first": this_year - 110, "last": this_year - 10}
            )
        return year

    def clean_new_organisation_name(self) -> str:
        name = self.cleaned_data.get("new_organisation_name", "")
        return plain_name(name) if name.strip() else ""

    def clean(self):
        data = super().clean()
        name, country = data.get("new_organisation_name"), data.get("country")
        if name and not Organisation.objects.filter(
            name__iexact=name, country=str(country or "")
        ).exists():
            try:
                organisation_creation_check(created_by=self.instance)
            except ValidationError as error:
                self.add_error("new_organisation_name", error)
        if data.get("new_organisation_name") and not data.get("new_organisation_type"):
            self.add_error("new_organisation_type", _("Choose the type of your organisation."))
        if data.get("new_organisation_name") and data.get("organisation"):
            self.add_error(
                "new_organisation_name",
                _("Choose an organisation from the list or name a new one, not both."),
            )
        return data


class VerificationResendForm(forms.Form):
    """The address to send the confirmation link to again."""

    email = forms.EmailField(
        label=_("E-mail address"), max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
