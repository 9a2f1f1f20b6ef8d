"""The cohort progress table as CSV and XLSX, with spreadsheet formula injection neutralised.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with
``'`` so that a spreadsheet shows it as text instead of running it (a learner's name is theirs
to choose). XLSX is written by openpyxl in write-only mode (rows streamed, constant memory).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell value safe to open in a spreadsheet (numbers and dates pass unchanged)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(DANGEROUS_STARTS):
        return "'" + value
    return value


def progress_columns() -> list[tuple[str, str]]:
    """(sort key, heading) of the progress table, in order."""
    return [
        ("name", _("Learner")),
        ("module", _("Module")),
        ("requirements", _("Requirements met")),
        ("lessons", _("Lessons done")),
        ("last_activity", _("Last activity")),
        ("pre_test", _("Pre-test score")),
        ("final", _("Best final score")),
        ("attendance", _("Attendance")),
    ]


def _headings() -> list[str]:
    return [_("Learner"), _("E-mail address"), _("Organisation"), _("Module"), _("State"),
            _("Requirements met"), _("Requirements"), _("Lessons done"), _("Required lessons"),
            _("Last activity"), _("Pre-test score"), _("Best final score"),
            _("Sessions attended"), _("Attendance (%)")]


def _number(value):
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal) else value


def _cells(row: dict) -> list:
    last = row["last_activity"]
    if isinstance(last, datetime):
        last = timezone.localtime(last).replace(tzinfo=None, microsecond=0)
    user = row["user"]
    return [
        row["name"], user.email, user.organisation.name if user.organisation else "",
        row["module_title"],
        _("Completed") if row["complete"] else str(row["membership"].get_state_display()),
        row["requirements_met"], row["requirements_total"],
        row["lessons_done"], row["lessons_total"], last,
        _number(row["pre_test"]), _number(row["final"]), row["attended"],
        None if row["attendance"] is None else round(row["attendance"], 1),
    ]


def _filename(cohort, ext: str) -> str:
    return f"{slugify(cohort.name) or 'cohort'}-progress.{ext}"


def progress_csv_response(*, cohort, rows: list[dict]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in _headings()])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in _cells(row)])
    # BOM: Excel opens UTF-8 (accents, Arabic names) correctly only with it.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(cohort, "csv")}"'
    return response


def progress_xlsx_response(*, cohort, rows: list[dict]) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Progress")[:31])
    sheet.append([neutralise(h) for h in _headings()])
    for row in rows:
        sheet.append([neutralise(cell) for cell in _cells(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(cohort, "xlsx")}"'
    return response
