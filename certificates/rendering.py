"""Certificate HTML, filled in the holder's language, and its PDF from the shared renderer.

The HTML is built here, in the Django process; :mod:`lms.pdf` turns it into a PDF, handed only
the stored images the template shows (logos, signatures, background). Layout is block flow.
Fonts come from ``static/fonts`` under private family names, so the PDF looks the same on every
server whatever fonts it has installed. Arabic certificates are laid out right-to-left; codes and
URLs sit in one ``<span dir="ltr">`` each.
"""

from __future__ import annotations

import functools
import threading
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.safestring import mark_safe
from django_countries import countries

from lms.codes import code_display
from lms.pdf import client as pdf_client
from lms.pdf.jobs import render_job, static_text

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


# --- the stylesheet and the files handed to the renderer ----------------------------------------
_lock = threading.Lock()
_template_cache: dict[int, tuple] = {}


@functools.lru_cache(maxsize=len(PAGE_SIZES))
def stylesheet_text(orientation: str) -> str:
    """The certificate stylesheet with the page size of one orientation (read once per process)."""
    size = PAGE_SIZES.get(orientation, PAGE_SIZES["landscape"])
    return static_text(STYLESHEET) + f"\n@page {{ size: {size}; margin: 0; }}\n"


def certificate_job(
    html: str, *, orientation: str = "landscape", media: Iterable[str] = ()
) -> dict:
    """The render job of certificate HTML: its stylesheet, the fonts it names and ``media``."""
    return render_job(html=html, css=stylesheet_text(orientation), media=media)


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
    # A cohort's template: its name, its trainers, "5 / 8" (see cohorts.attestations).
    cohort: str = ""
    trainer: str = ""
    sessions_attended: str = ""


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return formats.number_format(value.normalize() if isinstance(value, Decimal) else value)


def _qr_svg(url: str) -> str:
    qr = segno.make(url, error="m", micro=False)
    return qr.svg_inline(scale=1, border=0, omitsize=True, dark="#1d2430")


def _rendition_name(image, spec: str) -> str | None:
    return image.get_rendition(spec).file.name if image is not None else None


def _media_url(name: str | None) -> str | None:
    return f"media:{name}" if name else None


def _template_parts(template) -> dict:
    background = _rendition_name(
        template.background_image, "max-1754x1754|format-jpeg|jpegquality-60"
    )
    logos = [(_rendition_name(logo.image, "max-360x160|format-png"), logo.name)
             for logo in template.logos.all()]
    signatories = [(s, _rendition_name(s.signature, "max-360x120|format-png"))
                   for s in template.signatories.all()]
    return {
        "background_url": _media_url(background),
        "logos": [{"url": _media_url(name), "name": alt} for name, alt in logos],
        "signatories": [
            {
                "name": s.name,
                "name_dir": text_direction(s.name),
                "title": s.title,
                "signature_url": _media_url(signature),
            }
            for s, signature in signatories
        ],
        # The stored files the certificate shows: the only ones the renderer is handed.
        "media_files": [name for name in [background, *(n for n, _ in logos),
                                          *(n for _, n in signatories)] if name],
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
            "cohort": data.cohort,
            "trainer": data.trainer,
            "sessions_attended": data.sessions_attended,
        }
        # Names people type and module titles may be in the other script: give them their own
        # direction so that their words stay in order inside the surrounding text.
        wrap = {
            key: '<span dir="{}">{}</span>'.format(
                text_direction(values[key]), placeholders_fill("{" + key + "}", values)
            )
            # ("5 / 8" too: with spaces around the slash, a right-to-left line would swap it)
            for key in ("learner_name", "course_title", "organisation", "cohort", "trainer",
                        "sessions_attended")
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


def _html(context: dict) -> str:
    with translation.override(context["language"]):
        return render_to_string("certificates/certificate_pdf.html", context)


def certificate_html(*, template, data: CertificateData) -> str:
    return _html(certificate_context(template=template, data=data))


def html_to_pdf(html: str, *, orientation: str = "landscape", media: Iterable[str] = ()) -> bytes:
    """Certificate HTML (with the stored files it shows) to PDF, in this process's renderer."""
    return pdf_client.render(certificate_job(html, orientation=orientation, media=media))


def certificate_pdf(*, template, data: CertificateData) -> bytes:
    """The PDF of a certificate (or of a preview with sample data)."""
    context = certificate_context(template=template, data=data)
    return html_to_pdf(_html(context), orientation=template.orientation,
                       media=context["media_files"])


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
            cohort="Dakar 2026",
            trainer="Moussa Diallo",
            sessions_attended="5 / 8",
        )
