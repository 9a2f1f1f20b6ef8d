"""The roster import pages: upload, template files, preview and report, progress, commit.

Thin views: every page goes through ``selectors.cohort_get_for_user`` (404 for a cohort out of
sight) and an import is looked up within its cohort (an import of another cohort is a 404);
writes go through ``cohorts.imports``. GETs never write; the progress page works without
JavaScript (it refreshes itself) and survives a reload (the state is the import row).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import imports, selectors
from .forms_imports import RosterUploadForm
from .models import Cohort, RosterImport

RUNNING = (RosterImport.Status.CHECKING, RosterImport.Status.IMPORTING)
DELIMITERS = {"comma": gettext_lazy("comma"), "semicolon": gettext_lazy("semicolon"),
              "tab": gettext_lazy("tab")}


def _import_get(request: HttpRequest, pk: int, import_pk: int) -> tuple[Cohort, RosterImport]:
    cohort = selectors.cohort_get_for_user(user=request.user, pk=pk)
    return cohort, get_object_or_404(RosterImport, pk=import_pk, cohort=cohort)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def import_start(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_get_for_user(user=request.user, pk=pk)
    form = (RosterUploadForm(request.POST, request.FILES) if request.method == "POST"
            else RosterUploadForm())
    if request.method == "POST" and form.is_valid():
        roster_import = imports.roster_import_create(
            cohort=cohort, upload=form.cleaned_data["file"], by=request.user,
            language=translation.get_language() or "",
        )
        return redirect("cohorts:import_detail", pk=cohort.pk, import_pk=roster_import.pk)
    return render(request, "cohorts/imports_start.html", {
        "cohort": cohort, "form": form, "columns": imports.COLUMNS,
        "max_rows": number_format(imports.MAX_ROWS, force_grouping=True),
        "recent": list(cohort.imports.order_by("-created_at")[:5]),
    }, status=400 if form.is_bound else 200)


@require_GET
@login_required
def import_template(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    selectors.cohort_get_for_user(user=request.user, pk=pk)
    name = _("roster-template")
    if fmt == "csv":
        response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            imports.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.{fmt}")
    return response


@require_GET
@login_required
@never_cache
def import_detail(request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
    cohort, roster_import = _import_get(request, pk, import_pk)
    report = roster_import.report or {}
    return render(request, "cohorts/imports_detail.html", {
        "cohort": cohort, "roster_import": roster_import, "report": report,
        "running": roster_import.status in RUNNING,
        "stale": imports.roster_import_is_stale(roster_import=roster_import),
        "progress": imports.roster_import_progress(roster_import=roster_import),
        "to_import": sum((report.get("counts") or {}).get(k, 0) for k in (
            imports.ADD, imports.ACTIVATE, imports.INVITE)),
        "counts": report.get("counts") or {},
        "delimiter": DELIMITERS.get(report.get("delimiter", ""), ""),
        "error_more": max(report.get("error_count", 0) - len(report.get("errors", [])), 0),
        "notice_more": max(report.get("notice_count", 0) - len(report.get("notices", [])), 0),
    })


@require_GET
@login_required
@never_cache
def import_status(request: HttpRequest, pk: int, import_pk: int) -> JsonResponse:
    cohort, roster_import = _import_get(request, pk, import_pk)
    processed = imports.roster_import_progress(roster_import=roster_import)
    total = roster_import.total_rows
    if total:
        text = _("%(done)s of %(total)s rows") % {"done": number_format(processed),
                                                  "total": number_format(total)}
    else:
        text = _("%(done)s rows read") % {"done": number_format(processed)} if processed else ""
    return JsonResponse({
        "status": roster_import.status, "text": text,
        "label": roster_import.get_status_display(),
        "running": roster_import.status in RUNNING,
        "processed": processed,
        "total": total,
        "url": reverse("cohorts:import_detail", kwargs={"pk": cohort.pk,
                                                        "import_pk": roster_import.pk}),
    })


@require_POST
@login_required
def import_commit(request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
    cohort, roster_import = _import_get(request, pk, import_pk)
    if imports.roster_import_start(roster_import=roster_import, by=request.user):
        if roster_import.status == RosterImport.Status.DONE:
            messages.success(request, _("The roster has been imported."))
    elif roster_import.status not in RUNNING:
        messages.info(request, _("This roster cannot be imported in its present state."))
    return redirect("cohorts:import_detail", pk=cohort.pk, import_pk=roster_import.pk)
