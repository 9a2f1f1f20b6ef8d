"""Forms of the verification, learner and manager pages."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from lms.codes import code_normalise


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
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the public verification page."),
    )


class BulkIssueForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Module"), queryset=None)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=None, required=False, empty_label=_("All")
    )
    country = LazyTypedChoiceField(
        label=_("Country"), choices=[("", _("All"))] + list(countries), required=False
    )
    completed_from = forms.DateField(
        label=_("Completed from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    completed_to = forms.DateField(
        label=_("Completed until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, courses, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        self.fields["organisation"].queryset = organisations

    def clean(self):
        data = super().clean()
        start, end = data.get("completed_from"), data.get("completed_to")
        if start and end and start > end:
            self.add_error("completed_to", _("The end date is before the start date."))
        return data
