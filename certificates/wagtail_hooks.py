"""Wagtail admin: certificate templates (with a "Preview PDF" action) and issue failures."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, SnippetViewSetGroup

from lms.wagtail_hooks import ContentSnippetViewSet, RecordSnippetViewSet

from .models import (
    LANGUAGE_CODES,
    CertificateIssueFailure,
    CertificateTemplate,
    CourseCertificate,
)

LANGUAGE_LABELS = {"fr": _("French"), "en": _("English"), "ar": _("Arabic")}


def preview_pdf_view(request, pk: int):
    """The template rendered as a PDF with sample data, in ``?lang=`` (fr by default)."""
    from lms.pdf.client import RenderFailed

    from .rendering import certificate_pdf, sample_data

    template = get_object_or_404(CertificateTemplate, pk=pk)
    if not request.user.has_perm("certificates.change_certificatetemplate"):
        raise PermissionDenied
    language = request.GET.get("lang", "fr")
    if language not in LANGUAGE_CODES:
        raise Http404
    try:
        pdf = certificate_pdf(template=template, data=sample_data(language=language))
    except (KeyError, ValidationError) as exc:  # a template saved before validation existed
        return HttpResponse(
            _("This template cannot be rendered: %(error)s") % {"error": exc}, status=400,
            content_type="text/plain; charset=utf-8",
        )
    except RenderFailed as exc:  # e.g. a body so long that rendering passed the time limit
        return HttpResponse(
            _("The PDF could not be produced: %(error)s") % {"error": exc}, status=503,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="preview-{template.pk}-{language}.pdf"'
    return response


def _preview_buttons(template: CertificateTemplate, *, priority: int = 5) -> list[Button]:
    url = reverse("certificate_template_preview_pdf", args=[template.pk])
    return [
        Button(
            _("Preview PDF (%(language)s)") % {"language": LANGUAGE_LABELS[code]},
            url=f"{url}?lang={code}",
            icon_name="doc-full",
            priority=priority + i,
            attrs={"target": "_blank", "rel": "noopener"},
        )
        for i, code in enumerate(template.languages())
    ]


class CertificateTemplateEditView(EditView):
    @cached_property
    def header_more_buttons(self):
        return [*super().header_more_buttons, *_preview_buttons(self.object, priority=40)]


class CertificateTemplateViewSet(ContentSnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = _("Certificate templates")
    list_display = ["name", "orientation", "validity_months", "updated_at"]
    search_fields = ["name", "title_fr", "title_en", "title_ar"]
    edit_view_class = CertificateTemplateEditView


class CourseCertificateViewSet(ContentSnippetViewSet):
    """Which template each module awards (a module without one awards no certificate)."""

    model = CourseCertificate
    icon = "link"
    menu_label = _("Module certificates")
    list_display = ["course", "template"]


class CertificateIssueFailureViewSet(RecordSnippetViewSet):
    model = CertificateIssueFailure
    icon = "warning"
    menu_label = _("Issue failures")
    list_display = ["enrolment", "error", "attempts", "created_at", "resolved_at"]
    list_filter = ["resolved_at"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "enrolment", "error", "attempts", "task_id", "created_at", "resolved_at", "traceback",
    ]
    # Administrators only mark a failure as resolved (after fixing its cause): the next sweep
    # then issues the certificate.
    form_fields = ["resolved_at"]


class CertificatesGroup(SnippetViewSetGroup):
    items = (CertificateTemplateViewSet, CourseCertificateViewSet, CertificateIssueFailureViewSet)
    menu_icon = "doc-full"
    menu_label = _("Certificates")
    menu_name = "certificates"
    menu_order = 250


register_snippet(CertificatesGroup)


@hooks.register("register_admin_urls")
def register_preview_url():
    return [
        path(
            "certificates/templates/<int:pk>/preview.pdf",
            preview_pdf_view,
            name="certificate_template_preview_pdf",
        )
    ]


@hooks.register("register_snippet_listing_buttons")
def template_listing_buttons(snippet, user, next_url=None):
    if isinstance(snippet, CertificateTemplate):
        return _preview_buttons(snippet)
    return []
