"""Forms of the trainer workspace: a cohort, an invitation, the member search."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage

from .models import PROGRAMME_TIME_ZONES, Cohort
from .selectors import trainers_choosable


def time_zone_choices() -> list[tuple[str, str]]:
    """The programme's zones first, then every other IANA zone."""
    others = sorted(zoneinfo.available_timezones() - set(PROGRAMME_TIME_ZONES))
    return [(zone, zone) for zone in PROGRAMME_TIME_ZONES] + [(zone, zone) for zone in others]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CohortForm(forms.ModelForm):
    """Create or edit a cohort. Modules are live source-language modules; trainers are people
    with the Trainer role whom the user may name (``selectors.trainers_choosable``)."""

    time_zone = forms.ChoiceField(label=_("time zone"), choices=time_zone_choices)
    modules = forms.ModelMultipleChoiceField(
        label=_("modules"), required=False, queryset=CoursePage.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for a seminar or workshop series without an online module."),
    )
    trainers = forms.ModelMultipleChoiceField(
        label=_("trainers"), queryset=CoursePage.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Cohort
        fields = [
            "name", "organisation", "delivery_mode", "country", "city", "start_date",
            "end_date", "time_zone", "language", "min_attendance_percent",
            "is_training_of_trainers", "auto_promote", "signatures_on_phone", "is_open",
            "capacity", "registration_deadline",
        ]
        widgets = {
            "start_date": DateInput(), "end_date": DateInput(),
            "registration_deadline": DateInput(),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modules"].queryset = (
            CoursePage.objects.live().filter(locale__language_code=settings.LANGUAGE_CODE,
                                             alias_of__isnull=True)
            .order_by("title")
        )
        self.fields["trainers"].queryset = trainers_choosable(user=user)
        self.fields["trainers"].label_from_instance = lambda u: u.get_full_name() or u.email
        if self.instance.pk:
            self.initial.setdefault("modules", list(self.instance.modules.all()))
            self.initial.setdefault("trainers", list(self.instance.trainers.all()))
        elif "trainers" not in self.initial:
            self.initial["trainers"] = [user.pk]

    def cohort_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("modules", None)
        data.pop("trainers", None)
        return data


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES)


class MemberSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or e-mail address"), required=False, max_length=200,
        help_text=_("An exact e-mail address finds any account; a name finds the learners of "
                    "your organisation and of your cohorts."),
    )
