"""Evidence of attendance for donors: the printable sign-in sheet, scanned signed sheets and
signatures drawn on the trainer's phone.

**Sign-in sheet** (``signin_sheet_pdf``): one row per seated member (active or completed, in name
order, as the register), ``SHEET_ROWS_PER_PAGE`` rows a page, the last page filled with blank
numbered rows for walk-ins. Pages are cut here rather than by the renderer, so that every page
carries the session's details and the same column heads, and a scanned page stands on its own.
Each page prints its code in the bottom margin box, ``<sheet code>-P<page>`` (``C12-S345-P3``:
cohort, session, page), so that a scanned page is matched to its session by reading it. The sheet
is written in the cohort's language (``translation.override``), right-to-left in Arabic, with
the bundled fonts; every name gets its own direction (WeasyPrint ignores ``dir="auto"`` and
``<bdi>``). The organisation model has no logo, so the header shows the programme's logo
(``static/img/logo.svg``) and the cohort's organisation by name. Names only: a member without a
name is printed by the part of the e-mail address before the "@" (the sheet goes round the room).
The PDF goes through the shared renderer (:mod:`lms.pdf`) like certificates.

**Scans** (``scan_create``): PDF, JPEG, PNG or HEIC (iPhones photograph in HEIC), at most
``SCAN_MAX_BYTES``. The type is read from the content (magic bytes; images are also opened
by Pillow, a PDF must end with ``%%EOF``), never from the name or the browser's content type:
a PNG named ``.pdf`` is kept as the PNG it is, a text file named ``.pdf`` is refused. Files live
in private storage under random names; they are handed out only by an access-checked view,
as attachments, with ``nosniff``. Deleting is for the uploader, a programme manager or an
administrator (who may see the cohort), after a confirmation page; the deletion is written to
Django's admin log (``LogEntry``: who, when, which file of which session).

**Phone signatures** (cohorts with ``signatures_on_phone``): the browser posts the strokes as
lists of points (JSON); the SVG is built here from those numbers only, so no markup a client
sent is ever stored or shown (``signature_svg_build``; sizes capped). Signing marks the learner
present through ``attendance.register_save`` (method ``signature``, audited; a learner already
marked late stays late). Removing a signature sets the learner **absent** (not "unmarked":
the attendance row and its audit history are kept, and the register shows the change) through
the same service (method ``unsigned``); ``register_save`` itself clears the signature of a
learner marked anything but present or late, so the sheet never shows a signature next to an
absence. When the status does not change, an audit row with the same old and new status still
records the signing or the removal.
"""

from __future__ import annotations

import base64
import json
import logging
import math
import os
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.access import is_administrator, is_programme_manager
from lms.pdf import client as pdf_client
from lms.pdf.jobs import render_job, static_text

from .attendance import register_save
from .models import (
    ATTENDED_STATUSES,
    Attendance,
    AttendanceChange,
    AttendanceStatus,
    Cohort,
    Membership,
    MembershipState,
    Session,
    SignInSheetScan,
)

logger = logging.getLogger(__name__)

SHEET_ROWS_PER_PAGE = 30
SHEET_STYLESHEET = "css/cohorts-signin-pdf.css"
SHEET_TEMPLATE = "cohorts/signin_sheet.html"
BIDI_LANGUAGES = {"ar"}
SEATED = (MembershipState.ACTIVE, MembershipState.COMPLETED)


# --- The sign-in sheet --------------------------------------------------------------------------


def sheet_code(session: Session) -> str:
    """The code printed on every page of a session's sheet (the page number follows it)."""
    return f"C{session.cohort_id}-S{session.pk}"


def _text_direction(text: str) -> str:
    from certificates.rendering import text_direction

    return text_direction(text)


SHEET_TEXT_MAX = 60  # characters of a name or organisation: two lines of its column at most


def _fit(text: str) -> str:
    return text if len(text) <= SHEET_TEXT_MAX else text[:SHEET_TEXT_MAX - 1].rstrip() + "…"


def _printed_name(user) -> str:
    return user.full_name.strip() or user.email.partition("@")[0]


def signature_data_uri(svg: str) -> str:
    """A stored signature as an image URL: shown through ``<img>``, an SVG runs nothing."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@dataclass
class SheetRow:
    number: int
    name: str = ""
    name_dir: str = "ltr"
    organisation: str = ""
    organisation_dir: str = "ltr"
    signature: str = ""  # a data: URI, or empty


@dataclass
class SheetPage:
    number: int
    rows: list[SheetRow] = field(default_factory=list)


def signin_sheet_rows(*, session: Session) -> list[SheetRow]:
    """One row per seated member in name order, with their phone signature (two queries)."""
    members = (
        Membership.objects.filter(cohort_id=session.cohort_id, state__in=SEATED)
        .select_related("user", "user__organisation")
        .order_by("user__full_name", "user__email", "pk")
    )
    signatures = dict(
        Attendance.objects.filter(session=session).exclude(signature_svg="")
        .values_list("user_id", "signature_svg")
    )
    rows = []
    for number, membership in enumerate(members, start=1):
        user = membership.user
        name = _fit(_printed_name(user))
        organisation = _fit(user.organisation.name) if user.organisation_id else ""
        svg = signatures.get(user.pk, "")
        rows.append(SheetRow(
            number=number, name=name, name_dir=_text_direction(name),
            organisation=organisation, organisation_dir=_text_direction(organisation),
            signature=signature_data_uri(svg) if svg else "",
        ))
    return rows


def sheet_pages(rows: list[SheetRow]) -> list[SheetPage]:
    """Rows cut into pages of ``SHEET_ROWS_PER_PAGE``; the last page is filled with blank rows."""
    per_page = SHEET_ROWS_PER_PAGE
    count = max(1, math.ceil(len(rows) / per_page))
    padded = rows + [SheetRow(number=n) for n in range(len(rows) + 1, count * per_page + 1)]
    return [SheetPage(number=i + 1, rows=padded[i * per_page:(i + 1) * per_page])
            for i in range(count)]


def signin_sheet_context(*, session: Session) -> dict:
    """Everything the sheet shows, with dates, times and labels in the cohort's language."""
    cohort = session.cohort
    language = cohort.language
    trainers = [_printed_name(t) for t in cohort.trainers.order_by("full_name", "email")]
    with translation.override(language), timezone.override(cohort.zone):
        date_text = formats.date_format(session.date, "DATE_FORMAT")
        weekday = formats.date_format(session.date, "l")
    rows = signin_sheet_rows(session=session)
    organisation = cohort.organisation.name if cohort.organisation_id else ""
    return {
        "language": language,
        "dir": "rtl" if language in BIDI_LANGUAGES else "ltr",
        "cohort": cohort,
        "cohort_dir": _text_direction(cohort.name),
        "session": session,
        "topic_dir": _text_direction(session.topic),
        "venue_dir": _text_direction(session.venue),
        "date": f"{weekday} {date_text}",
        "times": f"{session.start_time:%H:%M}–{session.end_time:%H:%M}",
        "zone": cohort.time_zone,
        "trainers": trainers,
        "organisation": organisation,
        "organisation_dir": _text_direction(organisation),
        "code": sheet_code(session),
        "members": len(rows),
        "pages": sheet_pages(rows),
        "logo": "static:img/logo.svg",
    }


def signin_sheet_html(*, session: Session) -> str:
    context = signin_sheet_context(session=session)
    with translation.override(context["language"]):
        return render_to_string(SHEET_TEMPLATE, context)


def signin_sheet_job(html: str) -> dict:
    """The render job of sheet HTML: its stylesheet and the static files it names."""
    return render_job(html=html, css=static_text(SHEET_STYLESHEET))


def signin_sheet_pdf(*, session: Session) -> bytes:
    """The sign-in sheet of a session as a PDF, from this process's renderer."""
    return pdf_client.render(signin_sheet_job(signin_sheet_html(session=session)))


def sheet_filename(session: Session) -> str:
    return f"sign-in-{session.pk}.pdf"


# --- Scanned sheets -------------------------------------------------------------------------

SCAN_MAX_BYTES = 15 * 1024 * 1024
SCAN_TYPES = {  # content type → file extension used for downloads
    "application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/heic": "heic",
}
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
SCAN_TYPE_ERROR = gettext_lazy(
    "This file is not a PDF, JPEG, PNG or HEIC file. Scan the sheet or photograph it, "
    "then send that file.")


def scan_detect(head: bytes) -> str | None:
    """The content type from a file's first bytes, or None for anything we do not keep."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "image/heic"
    return None


def _image_is_whole(upload) -> bool:
    from PIL import Image

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.verify()
    except Exception:  # noqa: BLE001 - any decoder error means: not a usable image
        return False
    finally:
        upload.seek(0)
    return True


def _pdf_is_whole(upload) -> bool:
    size = upload.size
    upload.seek(max(0, size - 2048))
    tail = upload.read()
    upload.seek(0)
    return b"%%EOF" in tail


def scan_check(upload) -> str:
    """The content type of an uploaded scan, or a translated ``ValidationError``."""
    if upload is None or not upload.size:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > SCAN_MAX_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB. Scan in lower "
              "resolution or photograph the page.") % {
                "size": formats.number_format(upload.size / 1024 / 1024, 1),
                "limit": SCAN_MAX_BYTES // 1024 // 1024},
            code="too_large")
    upload.seek(0)
    content_type = scan_detect(upload.read(16))
    upload.seek(0)
    if content_type is None:
        raise ValidationError(SCAN_TYPE_ERROR, code="type")
    whole = (_pdf_is_whole(upload) if content_type == "application/pdf"
             else content_type == "image/heic" or _image_is_whole(upload))
    if not whole:
        raise ValidationError(
            _("This file is damaged or incomplete. Send it again."), code="damaged")
    return content_type


def _clean_name(name: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    base = "".join(c for c in base if c.isprintable() and c not in '"<>|:*?')
    return base[:200] or "scan"


def scan_create(*, session: Session, by, upload) -> SignInSheetScan:
    """Keep a scanned sheet of ``session`` in private storage (validated by its content)."""
    content_type = scan_check(upload)
    scan = SignInSheetScan(
        session=session, original_name=_clean_name(upload.name), content_type=content_type,
        size=upload.size, uploaded_by=by,
    )
    upload.seek(0)
    scan.file.save("scan", upload, save=False)
    try:
        scan.save()
    except Exception:
        scan.file.delete(save=False)
        raise
    return scan


def scan_may_delete(*, scan: SignInSheetScan, user) -> bool:
    """The uploader, a programme manager or an administrator (who already see the cohort)."""
    return bool(scan.uploaded_by_id == user.pk or is_programme_manager(user)
                or is_administrator(user))


def scan_delete(*, scan: SignInSheetScan, by) -> None:
    """Delete a scan and its file; the deletion is written to the admin log."""
    from django.contrib.admin.models import DELETION, LogEntry
    from django.contrib.contenttypes.models import ContentType

    if not scan_may_delete(scan=scan, user=by):
        raise PermissionDenied
    message = json.dumps({"deleted": {
        "session": scan.session_id, "cohort": scan.session.cohort_id,
        "name": scan.original_name, "size": scan.size, "uploaded_by": scan.uploaded_by_id,
        "uploaded_at": scan.uploaded_at.isoformat(),
    }})
    with transaction.atomic():
        LogEntry.objects.create(
            user_id=by.pk, content_type=ContentType.objects.get_for_model(SignInSheetScan),
            object_id=str(scan.pk), object_repr=str(scan)[:200], action_flag=DELETION,
            change_message=message,
        )
        name = scan.file.name
        scan.delete()
        transaction.on_commit(lambda: scan.file.storage.delete(name))
    logger.info("sign-in sheet scan %s deleted by %s", message, by.pk)


def scan_filename(scan: SignInSheetScan) -> str:
    stem = os.path.splitext(scan.original_name)[0] or "scan"
    return f"sign-in-{scan.session_id}-{stem}.{SCAN_TYPES.get(scan.content_type, 'bin')}"


def scans_of_session(*, session: Session) -> QuerySet[SignInSheetScan]:
    return session.scans.select_related("uploaded_by").order_by("-uploaded_at", "-pk")


def scan_get_for_session(*, session: Session, pk: int) -> SignInSheetScan:
    scan = session.scans.select_related("uploaded_by", "session").filter(pk=pk).first()
    if scan is None:
        raise Http404
    return scan


def evidence_of_cohort(*, cohort: Cohort) -> list[Session]:
    """The cohort's sessions with their scans and counts of signatures and attendance
    (two queries whatever the number of sessions and scans)."""
    return list(
        cohort.sessions.annotate(
            signatures=Count("attendance", filter=~Q(attendance__signature_svg="")),
            attended=Count("attendance", filter=Q(attendance__status__in=ATTENDED_STATUSES)),
        ).prefetch_related(Prefetch(
            "scans", queryset=SignInSheetScan.objects.select_related("uploaded_by")
            .order_by("-uploaded_at", "-pk")))
        .order_by("date", "start_time", "pk")
    )


# --- Phone signatures -----------------------------------------------------------------------

SIGNATURE_WIDTH, SIGNATURE_HEIGHT = 300, 100  # the stored SVG's viewBox
SIGNATURE_MAX_STROKES = 60
SIGNATURE_MAX_POINTS = 4000
SIGNATURE_MAX_POST = 200_000  # characters of posted JSON
SIGNATURE_MAX_SVG = 64_000
SIGNATURE_ERROR = gettext_lazy("The signature could not be read. Ask the learner to sign again.")


def _number(value) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError("not a number")
    return float(value)


def signature_svg_build(posted: str) -> str:
    """An SVG of the strokes in ``posted`` (``{"width", "height", "strokes": [[[x, y], …]]}``),
    built from its numbers alone and scaled into a 300 × 100 box; ``ValidationError`` if the
    data are malformed, too large or empty."""
    try:
        if not isinstance(posted, str) or len(posted) > SIGNATURE_MAX_POST:
            raise ValueError("too large")
        data = json.loads(posted)
        width, height = _number(data["width"]), _number(data["height"])
        strokes = data["strokes"]
        if width <= 0 or height <= 0 or not isinstance(strokes, list):
            raise ValueError("bad box")
        if len(strokes) > SIGNATURE_MAX_STROKES:
            raise ValueError("too many strokes")
        scale = min(SIGNATURE_WIDTH / width, SIGNATURE_HEIGHT / height)
        paths, total = [], 0
        for stroke in strokes:
            if not isinstance(stroke, list):
                raise ValueError("bad stroke")
            total += len(stroke)
            if total > SIGNATURE_MAX_POINTS:
                raise ValueError("too many points")
            points = []
            for point in stroke:
                if not isinstance(point, list) or len(point) != 2:
                    raise ValueError("bad point")
                x = min(max(_number(point[0]) * scale, 0), SIGNATURE_WIDTH)
                y = min(max(_number(point[1]) * scale, 0), SIGNATURE_HEIGHT)
                points.append(f"{x:.1f} {y:.1f}")
            if len(points) == 1:
                points.append(points[0])  # a dot
            if points:
                paths.append("M" + " L".join(points))
    except (ValueError, TypeError, KeyError, json.JSONDecodeError) as error:
        raise ValidationError(SIGNATURE_ERROR, code="invalid") from error
    if not paths:
        raise ValidationError(_("Nothing was drawn: ask the learner to sign in the box."),
                              code="empty")
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIGNATURE_WIDTH} '
        f'{SIGNATURE_HEIGHT}" width="{SIGNATURE_WIDTH}" height="{SIGNATURE_HEIGHT}">'
        '<path fill="none" stroke="#1d2430" stroke-width="2.5" stroke-linecap="round" '
        f'stroke-linejoin="round" d="{" ".join(paths)}"/></svg>'
    )
    if len(svg) > SIGNATURE_MAX_SVG:
        raise ValidationError(SIGNATURE_ERROR, code="too_large")
    return svg


def signature_signer_get(*, session: Session, user_id: int) -> Membership:
    """The seated member who signs, on a cohort that signs on the phone; else 404."""
    if not session.cohort.signatures_on_phone:
        raise Http404
    membership = (Membership.objects.select_related("user")
                  .filter(cohort_id=session.cohort_id, user_id=user_id, state__in=SEATED).first())
    if membership is None:
        raise Http404
    return membership


def attendance_of(*, session: Session, user_id: int) -> Attendance | None:
    return Attendance.objects.filter(session=session, user_id=user_id).first()


def _audit_unchanged(*, session: Session, user_id: int, by, method: str) -> None:
    row = Attendance.objects.get(session=session, user_id=user_id)
    AttendanceChange.objects.create(
        attendance=row, changed_by=by, method=method, old_status=row.status,
        new_status=row.status, old_remark=row.remark, new_remark=row.remark)


@transaction.atomic
def signature_record(*, session: Session, by, user_id: int, posted: str) -> Attendance:
    """Store the learner's signature (an SVG built from ``posted``) and mark them present."""
    membership = signature_signer_get(session=session, user_id=user_id)
    svg = signature_svg_build(posted)
    current = attendance_of(session=session, user_id=user_id)
    status = current.status if current and current.attended else AttendanceStatus.PRESENT
    remark = current.remark if current else ""
    changed = register_save(session=session, by=by, marks={user_id: (status, remark)},
                            method="signature")
    if not changed:
        _audit_unchanged(session=session, user_id=user_id, by=by, method="signature")
    Attendance.objects.filter(session=session, user_id=membership.user_id).update(
        signature_svg=svg, marked_by=by, marked_at=timezone.now())
    return Attendance.objects.get(session=session, user_id=user_id)


@transaction.atomic
def signature_remove(*, session: Session, by, user_id: int) -> Attendance | None:
    """Remove the learner's signature: their presence goes back to absent (audited)."""
    signature_signer_get(session=session, user_id=user_id)
    current = attendance_of(session=session, user_id=user_id)
    if current is None or not current.signature_svg:
        return current
    changed = register_save(session=session, by=by,
                            marks={user_id: (AttendanceStatus.ABSENT, current.remark)},
                            method="unsigned")
    if not changed:
        _audit_unchanged(session=session, user_id=user_id, by=by, method="unsigned")
    # register_save clears the signature of an absence; an absence signed earlier than that
    # rule (or a status left unchanged) is cleared here.
    Attendance.objects.filter(pk=current.pk).update(signature_svg="")
    return Attendance.objects.get(pk=current.pk)
