"""Forms of the sessions area: a session of a cohort."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import LessonPage

from .forms import DateInput
from .models import Cohort, Session


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class SessionForm(forms.ModelForm):
    """Date and wall-clock times in the cohort's zone; lessons of the cohort's modules."""

    lessons = forms.ModelMultipleChoiceField(
        label=_("linked lessons"), required=False, queryset=LessonPage.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Session
        fields = ["topic", "date", "start_time", "end_time", "venue", "online_url", "lessons"]
        widgets = {"date": DateInput(), "start_time": TimeInput(), "end_time": TimeInput()}

    def __init__(self, *args, cohort: Cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        lessons = LessonPage.objects.none()
        for module in cohort.modules.all():
            lessons = lessons | LessonPage.objects.live().descendant_of(module)
        self.fields["lessons"].queryset = lessons.order_by("path")
        zone = cohort.time_zone
        for name in ("start_time", "end_time"):
            self.fields[name].help_text = _("In the cohort's time zone (%(zone)s).") % {
                "zone": zone}

    def session_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in (
            "topic", "date", "start_time", "end_time", "venue", "online_url", "lessons")}
