"""Forms of the verification, learner and manager pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.codes import code_normalise
from lms.validators import no_bidi_controls


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=64,
        help_text=_("The 12 letters and digits printed on the certificate, e.g. 7KQ2-M9XD-3FHT."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                      "spellcheck": "false", "inputmode": "text"}),
    )

    def clean_code(self) -> str:
        canonical = code_normalise(self.cleaned_data["code"])
        if canonical is None:
            raise forms.ValidationError(
                _("A code has 12 letters and digits, for example 7KQ2-M9XD-3FHT.")
            )
        return canonical


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the revocation"),
        max_length=1000,
        validators=[no_bidi_controls],  # shown on the public verify page: no reordering tricks
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the public verification page."),
    )


class ModelChoiceField(forms.ModelChoiceField):
    """A choice whose id no database integer can hold is an invalid choice, not a 500."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class BulkIssueForm(forms.Form):
    """Which completed enrolments to issue certificates for; refuses a selection matching
    nobody before anything runs (``enrolment_ids`` holds the match once valid)."""

    course = ModelChoiceField(label=_("Module"), queryset=None)
    organisation = ModelChoiceField(
        label=_("Organisation"), queryset=None, required=False, empty_label=_("All")
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    completed_from = forms.DateField(
        label=_("Completed from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    completed_to = forms.DateField(
        label=_("Completed until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, courses, organisations, countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.enrolment_ids: list[int] = []
        self.fields["course"].queryset = courses
        self.fields["organisation"].queryset = organisations
        self.fields["country"].choices = [("", _("All")), *countries]

    def clean(self):
        from .selectors import enrolments_for_bulk

        data = super().clean()
        start, end = data.get("completed_from"), data.get("completed_to")
        if start and end and start > end:
            self.add_error("completed_to", _("The end date is before the start date."))
        if self.errors or not data.get("course"):
            return data
        self.enrolment_ids = list(enrolments_for_bulk(
            user=self.user, course=data["course"],
            organisation_id=data["organisation"].pk if data.get("organisation") else None,
            country=data.get("country") or "",
            completed_from=start, completed_to=end,
        ).values_list("pk", flat=True))
        if not self.enrolment_ids:
            raise forms.ValidationError(
                _("No completed enrolment matches this selection."), code="empty"
            )
        return data

    def filters(self) -> dict:
        """The selection as recorded with the bulk issuance."""
        data = self.cleaned_data
        start, end = data["completed_from"], data["completed_to"]
        return {
            "organisation": data["organisation"].pk if data["organisation"] else None,
            "country": data["country"] or "",
            "completed_from": start.isoformat() if start else None,
            "completed_to": end.isoformat() if end else None,
        }
