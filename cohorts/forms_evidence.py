"""Forms of the evidence area: a scanned sign-in sheet, a signature drawn on the phone.

Both only carry the input; the checks (content type by magic bytes, size, the SVG built from
the posted points) are the services' in ``cohorts.evidence``, so that whatever calls them is
held to the same rules.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import evidence


class ScanUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Scanned or photographed sheet"),
        help_text=_("PDF, JPEG, PNG or HEIC, at most 15 MB."),
        widget=forms.ClearableFileInput(attrs={
            "accept": "application/pdf,image/jpeg,image/png,image/heic,.heic,.pdf,.jpg,.jpeg,.png",
        }),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.content_type = evidence.scan_check(upload)
        return upload


class SignatureForm(forms.Form):
    """The strokes as JSON points, filled in by ``static/js/cohorts-signature.js``."""

    strokes = forms.CharField(widget=forms.HiddenInput, max_length=evidence.SIGNATURE_MAX_POST,
                              error_messages={"required": evidence.SIGNATURE_ERROR,
                                              "max_length": evidence.SIGNATURE_ERROR})

