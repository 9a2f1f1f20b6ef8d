"""Certificate HTML, filled in the holder's language, and its PDF from the WeasyPrint renderer.

The HTML is built here, in the Django process; the PDF comes from a WeasyPrint-only child process
(``pdf_engine``, driven by ``pdf_process``) that keeps one font configuration for all its renders
(measured in shared/notes/weasyprint-certificates.md: memory flat, 20–25 % faster) and is handed
only the static and media files the certificate names. Layout is block flow (no column flexbox).
Fonts come from ``static/fonts`` under private family names, so the PDF looks the same on every
server whatever fonts it has installed. Arabic certificates are laid out right-to-left; codes and
URLs sit in one ``<span dir="ltr">`` each.
"""

from __future__ import annotations

import functools
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html import unescape as html_unescape
from pathlib import PurePosixPath

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.safestring import mark_safe
from django_countries import countries

from lms.codes import code_display

from . import pdf_process
from .placeholders import placeholders_fill

STYLESHEET = "css/certificates-pdf.css"
PAGE_SIZES = {"landscape": "A4 landscape", "portrait": "A4 portrait"}
BIDI_LANGUAGES = {"ar"}

# The fixed wording of the certificate itself, per language. Deliberately not in the UI's
# gettext catalogues: a certificate is a document whose wording is reviewed once per language
# and must not change when someone edits a UI translation (the approved reference images in
# tests/certificates/reference/ pin it). Editors change the rest through the template.
CERTIFICATE_LABELS = {
    "fr": {
        "awarded": "Ce certificat est décerné à",
        "issued": "Délivré par {issuer} le {date}.",
        "valid_until": "Valable jusqu'au {date}.",
        "code": "Code de vérification",
        "check": "Vérifiez ce certificat sur",
    },
    "en": {
        "awarded": "This certificate is awarded to",
        "issued": "Issued by {issuer} on {date}.",
        "valid_until": "Valid until {date}.",
        "code": "Verification code",
        "check": "Check this certificate at",
    },
    "ar": {
        "awarded": "تُمنح هذه الشهادة إلى",
        "issued": "صدرت عن {issuer} بتاريخ {date}.",
        "valid_until": "صالحة حتى {date}.",
        "code": "رمز التحقق",
        "check": "تحقّق من صحة هذه الشهادة على",
    },
}


# --- files handed to the renderer -------------------------------------------------------------
_lock = threading.Lock()
_template_cache: dict[int, tuple] = {}
REFERENCE = re.compile(r"""\b(static|media):/*([^"'()\s<>]+)""")
# Media a certificate may show: Wagtail images and their renditions (logos, signatures,
# background), never other media such as other people's certificate PDFs.
MEDIA_PREFIXES = ("images/", "original_images/")


def _safe_name(scheme: str, name: str) -> bool:
    if not name or name.startswith("/") or ".." in PurePosixPath(name).parts:
        return False
    return scheme == "static" or name.startswith(MEDIA_PREFIXES)


@functools.lru_cache(maxsize=64)
def _static_source(name: str) -> str | bytes:
    """A static file as a path the renderer can open, or as bytes (collected static on S3…)."""
    path = finders.find(name)
    if path:
        return str(path)
    with staticfiles_storage.open(name) as handle:
        return handle.read()


def _media_source(name: str) -> str | bytes:
    """A media file through the storage API: a local path, or its bytes for a remote storage."""
    try:
        return default_storage.path(name)
    except NotImplementedError:  # S3-compatible storage: no local path
        with default_storage.open(name) as handle:
            return handle.read()


def _read_static(name: str) -> bytes:
    source = _static_source(name)
    if isinstance(source, bytes):
        return source
    with open(source, "rb") as handle:
        return handle.read()


@functools.lru_cache(maxsize=len(PAGE_SIZES))
def stylesheet_text(orientation: str) -> str:
    """The certificate stylesheet with the page size of one orientation (read once per process)."""
    size = PAGE_SIZES.get(orientation, PAGE_SIZES["landscape"])
    return _read_static(STYLESHEET).decode("utf-8") + f"\n@page {{ size: {size}; margin: 0; }}\n"


def render_job(html: str, *, orientation: str = "landscape") -> dict:
    """What the renderer needs for one PDF: the HTML, the stylesheet and the files they name.

    Only ``static:`` and ``media:`` files named in the HTML or stylesheet are handed over, under
    safe names; the renderer refuses every other URL (see ``pdf_engine.LocalURLFetcher``).
    """
    css = stylesheet_text(orientation)
    files: dict[str, dict] = {"static": {}, "media": {}}
    for scheme, name in REFERENCE.findall(css + html):
        name = html_unescape(name)
        if name in files[scheme] or not _safe_name(scheme, name):
            continue
        try:
            files[scheme][name] = (_static_source if scheme == "static" else _media_source)(name)
        except (OSError, ValueError, SuspiciousFileOperation):
            continue  # a missing file renders as missing (WeasyPrint logs it), as before
    return {"html": html, "css": css, **files}


# --- content --------------------------------------------------------------------------------
def text_direction(text: str) -> str:
    """"rtl" or "ltr" from the first strong character (WeasyPrint ignores dir="auto" and <bdi>)."""
    for char in text or "":
        kind = unicodedata.bidirectional(char)
        if kind in {"R", "AL"}:
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def verification_url(code: str) -> str:
    return f"{settings.SITE_URL}/verify/{code_display(code)}/"


@dataclass
class CertificateData:
    """Everything a certificate says: the issued snapshot, or sample data for a preview."""

    code: str
    language: str
    holder_name: str
    course_title: str
    completion_date: date
    issued_on: date
    issuer: str
    hours: Decimal | None = None
    grade: Decimal | None = None
    country: str = ""  # ISO code
    organisation: str = ""
    competencies: list[str] = field(default_factory=list)
    expires_on: date | None = None


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return formats.number_format(value.normalize() if isinstance(value, Decimal) else value)


def _qr_svg(url: str) -> str:
    qr = segno.make(url, error="m", micro=False)
    return qr.svg_inline(scale=1, border=0, omitsize=True, dark="#1d2430")


def _image_url(image, spec: str) -> str | None:
    if image is None:
        return None
    rendition = image.get_rendition(spec)
    return f"media:{rendition.file.name}"


def _template_parts(template) -> dict:
    return {
        "background_url": _image_url(
            template.background_image, "max-1754x1754|format-jpeg|jpegquality-60"
        ),
        "logos": [
            {"url": _image_url(logo.image, "max-360x160|format-png"), "name": logo.name}
            for logo in template.logos.all()
        ],
        "signatories": [
            {
                "name": s.name,
                "name_dir": text_direction(s.name),
                "title": s.title,
                "signature_url": _image_url(s.signature, "max-360x120|format-png"),
            }
            for s in template.signatories.all()
        ],
    }


def template_parts(template) -> dict:
    """Logos, signatories and background of a template, resolved to local URLs.

    Cached per process for a saved template: editing it in the admin saves the template row
    (``updated_at``) along with its inline logos and signatories, which changes the key.
    """
    if template.pk is None or template.updated_at is None:
        return _template_parts(template)
    with _lock:
        cached = _template_cache.get(template.pk)
    now = time.monotonic()
    if cached is None or cached[0] != template.updated_at or now - cached[1] > 600:
        # (also refreshed every 10 minutes: a replaced image file gets new renditions)
        cached = (template.updated_at, now, _template_parts(template))
        with _lock:
            _template_cache[template.pk] = cached
    return cached[2]


def certificate_context(*, template, data: CertificateData) -> dict:
    """Template context for the PDF: texts filled in the certificate's language."""
    language, title, body = template.texts_for(data.language)
    name_dir = text_direction(data.holder_name)
    with translation.override(language):
        completion = formats.date_format(data.completion_date, "DATE_FORMAT")
        values = {
            "learner_name": data.holder_name,
            "course_title": data.course_title,
            "completion_date": completion,
            "hours": _number(data.hours),
            "grade": _number(data.grade),
            "country": str(countries.name(data.country)) if data.country else "",
            "organisation": data.organisation,
            "competencies": " · ".join(data.competencies),
            "cohort": "",
            "trainer": "",
        }
        # Names people type and module titles may be in the other script: give them their own
        # direction so that their words stay in order inside the surrounding text.
        wrap = {
            key: '<span dir="{}">{}</span>'.format(
                text_direction(values[key]), placeholders_fill("{" + key + "}", values)
            )
            for key in ("learner_name", "course_title", "organisation")
            if values[key]
        }
        url = verification_url(data.code)
        labels = CERTIFICATE_LABELS.get(language, CERTIFICATE_LABELS["fr"])
        issued_on = formats.date_format(data.issued_on, "DATE_FORMAT")
        expires_on = formats.date_format(data.expires_on, "DATE_FORMAT") if data.expires_on else ""
        return {
            "labels": labels,
            "issued_line": labels["issued"].format(issuer=data.issuer, date=issued_on),
            "valid_until_line": labels["valid_until"].format(date=expires_on)
            if expires_on else "",
            "language": language,
            "dir": "rtl" if language in BIDI_LANGUAGES else "ltr",
            "orientation": template.orientation,
            "title": mark_safe(placeholders_fill(title, values, wrap=wrap)),
            "body": mark_safe(placeholders_fill(body, values, wrap=wrap)),
            "holder_name": data.holder_name,
            "holder_dir": name_dir,
            "holder_size": "xlong" if len(data.holder_name) > 60 else
            "long" if len(data.holder_name) > 34 else "normal",
            "issuer": data.issuer,
            "code": code_display(data.code),
            "verification_url": url,
            "qr_svg": mark_safe(_qr_svg(url)),
            **template_parts(template),
        }


def certificate_html(*, template, data: CertificateData) -> str:
    context = certificate_context(template=template, data=data)
    with translation.override(context["language"]):
        return render_to_string("certificates/certificate_pdf.html", context)


def html_to_pdf(html: str, *, orientation: str = "landscape") -> bytes:
    """Render certificate HTML in this process's WeasyPrint renderer (``pdf_process``)."""
    return pdf_process.renderer().render(render_job(html, orientation=orientation))


def certificate_pdf(*, template, data: CertificateData) -> bytes:
    """The PDF of a certificate (or of a preview with sample data)."""
    return html_to_pdf(certificate_html(template=template, data=data),
                       orientation=template.orientation)


def sample_data(*, language: str = "fr") -> CertificateData:
    """Plausible data for the admin's "Preview PDF"."""
    today = date.today()  # noqa: DTZ011 - a calendar date for a sample, no time involved
    with translation.override(language):
        titles = {
            "fr": "Éducation financière pour les travailleurs migrants et leurs familles",
            "en": "Financial education for migrant workers and their families",
            "ar": "التربية المالية للعمال المهاجرين وأسرهم",
        }
        return CertificateData(
            code="7KQ2M9XD3FHT",
            language=language,
            holder_name="أمينة تراوري" if language == "ar" else "Aminata Traoré",
            course_title=titles.get(language, titles["fr"]),
            completion_date=today,
            issued_on=today,
            issuer=settings.CERTIFICATE_ISSUER_NAME,
            hours=Decimal("6"),
            grade=Decimal("85"),
            country="SN",
            organisation="Confédération nationale des travailleurs du Sénégal",
            competencies=["Budget", "Épargne", "Transferts d'argent"],
            expires_on=None,
        )
