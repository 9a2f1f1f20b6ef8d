"""The roster upload form: size and kind are checked before anything is parsed or stored."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .imports import MAX_BYTES, RosterFileError, file_kind


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file (.csv or .xlsx)"),
        help_text=_("At most 20 MB. The first sheet of an Excel file is read."),
        widget=forms.ClearableFileInput(attrs={
            "accept": ".csv,.xlsx,text/csv,"
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # The size the upload handler counted: refused before a byte is parsed.
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("This file is %(size)s; the limit is %(max)s. Split the roster into several "
                  "files."),
                params={"size": filesizeformat(upload.size), "max": filesizeformat(MAX_BYTES)},
                code="too_big",
            )
        if upload.size == 0:
            raise forms.ValidationError(_("This file is empty."), code="empty")
        upload.seek(0)
        head = upload.read(4096)
        upload.seek(0)
        try:
            file_kind(head)
        except RosterFileError as error:
            raise forms.ValidationError(str(error), code="not_a_spreadsheet") from error
        return upload
