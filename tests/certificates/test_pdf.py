"""PDF content and looks: text extracted with poppler, page 1 compared with approved PNGs."""

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from certificates.models import CertificateTemplate
from certificates.rendering import (
    CertificateData,
    certificate_job,
    certificate_pdf,
    text_direction,
)
from certificates.services import certificate_issue
from tests.certificates.conftest import REFERENCE_DIR
from tests.conftest import ARTIFACTS, IN_CI
from tests.factories import course_create, enrolment_completed, template_create

BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftotext") and not IN_CI, reason="poppler-utils is not installed"
)


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return " ".join(BIDI_MARKS.sub("", out).split())


def pdf_pages(pdf: bytes) -> int:
    from io import BytesIO

    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


def page_png(pdf: bytes, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile",
                    str(source), str(ARTIFACTS / name)], check=True)
    return ARTIFACTS / f"{name}.png"


def differing_fraction(a: Path, b: Path) -> float:
    """Share of pixels whose colour differs noticeably (anti-aliasing noise is ignored)."""
    first, second = Image.open(a).convert("L"), Image.open(b).convert("L")
    if first.size != second.size:
        return 1.0
    diff = ImageChops.difference(first, second).point(lambda v: 255 if v > 48 else 0)
    histogram = diff.histogram()
    return histogram[255] / (first.size[0] * first.size[1])


def fixed_data(language: str) -> CertificateData:
    names = {"fr": "Aminata Traoré", "ar": "أمينة تراوري"}
    titles = {"fr": "Éducation financière pour les travailleurs migrants",
              "ar": "التربية المالية للعمال المهاجرين"}
    return CertificateData(
        code="7KQ2M9XD3FHT", language=language, holder_name=names[language],
        course_title=titles[language], completion_date=date(2026, 3, 14),
        issued_on=date(2026, 3, 15), issuer="Passerelle", hours=Decimal("6"),
        grade=Decimal("85"), country="SN", organisation="CNTS",
    )


# --- text ------------------------------------------------------------------------------------
@needs_poppler
@pytest.mark.django_db
def test_french_certificate_text(certificate, learner, tmp_path):
    text = pdf_text(certificate.pdf.read(), tmp_path)
    assert learner.full_name in text
    assert certificate.course_title in text
    assert certificate.display_code in text
    assert f"http://127.0.0.1:8000/verify/{certificate.display_code}/" in text


@needs_poppler
@pytest.mark.django_db
def test_arabic_certificate_text(site_tree, learner, certificate_template, tmp_path):
    course = course_create(site_tree, template=certificate_template, slug="budget",
                           translations={"ar": "التربية المالية للعمال المهاجرين"})
    learner.full_name = "أمينة تراوري"
    learner.preferred_language = "ar"
    learner.save()
    certificate = certificate_issue(enrolment=enrolment_completed(user=learner, course=course))
    assert certificate.language == "ar"
    text = pdf_text(certificate.pdf.read(), tmp_path)
    assert "أمينة تراوري" in text
    assert "التربية المالية للعمال المهاجرين" in text
    assert certificate.display_code in text
    assert f"/verify/{certificate.display_code}/" in text


@needs_poppler
@pytest.mark.django_db
def test_arabic_name_on_a_french_certificate_and_overlong_names_stay_on_one_page(
    certificate_template, tmp_path
):
    data = fixed_data("fr")
    data.holder_name = "فاطمة الزهراء بنت محمد"
    pdf = certificate_pdf(template=certificate_template, data=data)
    assert "فاطمة الزهراء بنت محمد" in pdf_text(pdf, tmp_path)
    data.holder_name = "Maria " + " ".join(["de los Santos Oliveira-Fernandes"] * 4)
    data.holder_name = data.holder_name[:150]
    pdf = certificate_pdf(template=certificate_template, data=data)
    assert pdf_pages(pdf) == 1
    assert "Oliveira-Fernandes" in pdf_text(pdf, tmp_path)


def test_text_direction_from_the_first_strong_character():
    assert text_direction("أمينة Traoré") == "rtl"
    assert text_direction("Aminata أمينة") == "ltr"
    assert text_direction("12 - أمينة") == "rtl"
    assert text_direction("") == "ltr"


def _logo(name: str, colour: str):
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import ImageDraw
    from wagtail.images.models import Image as WagtailImage

    canvas = Image.new("RGB", (240, 100), "white")
    draw = ImageDraw.Draw(canvas)
    draw.rounded_rectangle((4, 4, 236, 96), radius=18, outline=colour, width=8)
    draw.ellipse((24, 24, 76, 76), fill=colour)
    draw.rectangle((96, 34, 210, 66), fill=colour)
    buffer = BytesIO()
    canvas.save(buffer, "PNG")
    return WagtailImage.objects.create(
        title=name, file=ImageFile(BytesIO(buffer.getvalue()), name=f"{name}.png")
    )


def reference_template(language: str):
    """A realistic template: two partner logos, two signatories."""
    from certificates.models import CertificateTemplateLogo, CertificateTemplateSignatory

    template = template_create(name=f"Référence {language}")
    for i, (name, colour) in enumerate((("Partenaire A", "#0b5d7a"), ("Partenaire B", "#b3541e"))):
        CertificateTemplateLogo.objects.create(template=template, image=_logo(name, colour),
                                               name=name, sort_order=i)
    signatories = {
        "fr": [("Leïla Trabelsi", "Directrice du programme"), ("Moussa Diop", "Formateur")],
        "ar": [("ليلى الطرابلسي", "مديرة البرنامج"), ("موسى ديوب", "مكوّن")],
    }[language]
    for i, (name, title) in enumerate(signatories):
        CertificateTemplateSignatory.objects.create(template=template, name=name, title=title,
                                                    sort_order=i)
    return CertificateTemplate.objects.get(pk=template.pk)


# --- looks -----------------------------------------------------------------------------------
@needs_poppler
@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_certificate_page_matches_the_approved_image(language, settings):
    settings.SITE_URL = "https://passerelle.example.org"
    template = reference_template(language)
    pdf = certificate_pdf(template=template, data=fixed_data(language))
    assert pdf_pages(pdf) == 1
    rendered = page_png(pdf, f"certificate-{language}")
    reference = REFERENCE_DIR / f"certificate-{language}.png"
    if not reference.exists():
        if IN_CI:
            pytest.fail(f"missing reference image {reference}")
        shutil.copy(rendered, reference)
        pytest.skip(f"reference image created: {reference}, look at it and keep it")
    fraction = differing_fraction(rendered, reference)
    assert fraction < 0.004, (
        f"{rendered} differs from {reference} on {fraction:.2%} of its pixels"
    )


# --- what the renderer is handed (the renderer itself: tests/lms/test_pdf.py) -----------------
def test_certificate_job_hands_over_its_fonts_and_only_the_images_the_template_shows(
    certificate_template,
):
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    from certificates.models import CertificateTemplateLogo
    from certificates.rendering import certificate_context

    buffer = BytesIO()
    PILImage.new("RGB", (40, 20), "#c33").save(buffer, "PNG")
    logo = Image.objects.create(title="Logo", file=ImageFile(buffer, name="logo.png"))
    CertificateTemplateLogo.objects.create(template=certificate_template, image=logo, name="OIT")
    context = certificate_context(template=certificate_template, data=fixed_data("fr"))
    [rendition] = context["media_files"]
    assert rendition.startswith("images/") and context["logos"][0]["url"] == f"media:{rendition}"
    # The HTML may name any media file: only those the caller lists are handed over.
    html = ('<img src="media:certificates/2026/someone-else.pdf">'
            '<img src="media:../secret.png"><img src="static:../../etc/passwd">')
    job = certificate_job(html, media=[rendition, "../secret.png"])
    assert set(job["static"]) == {
        "fonts/NotoSans-Regular.ttf", "fonts/NotoSans-Bold.ttf", "fonts/NotoSerif-Bold.ttf",
        "fonts/NotoNaskhArabic-Regular.ttf", "fonts/NotoNaskhArabic-Bold.ttf",
        "fonts/Amiri-Bold.ttf",
    }
    assert set(job["media"]) == {rendition}
    assert certificate_pdf(template=certificate_template, data=fixed_data("fr")).startswith(
        b"%PDF-"
    )


def test_pdf_fonts_are_bundled_and_subset(tmp_path):
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts is not installed")

    from django.db import connection  # noqa: F401 - keeps Django configured

    template = _unsaved_template()
    for language in ("fr", "ar"):
        pdf = certificate_pdf(template=template, data=fixed_data(language))
        path = tmp_path / f"{language}.pdf"
        path.write_bytes(pdf)
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
        assert "Passerelle" in fonts  # the bundled faces, under their private family names
        # Subset fonts have a "ABCDEF+" prefix; every embedded font is a subset.
        names = [line.split()[0] for line in fonts.splitlines()[2:] if line.strip()]
        assert names and all(re.match(r"[A-Z]{6}\+", name) for name in names), fonts
        assert len(pdf) < 60 * 1024


def _unsaved_template():
    from certificates.services import DEFAULT_TEMPLATE_TEXTS

    return CertificateTemplate(name="x", **DEFAULT_TEMPLATE_TEXTS)


if os.environ.get("CERTIFICATES_REFRESH_REFERENCES"):  # pragma: no cover
    for stale in REFERENCE_DIR.glob("certificate-*.png"):
        stale.unlink()


def test_django_processes_never_import_weasyprint():
    """WeasyPrint lives in the renderer only: that keeps a worker under its memory budget."""
    script = (
        "import sys, django; django.setup()\n"
        "from certificates.models import CertificateTemplate\n"
        "from certificates.rendering import certificate_pdf, sample_data\n"
        "from certificates.services import DEFAULT_TEMPLATE_TEXTS\n"
        "import certificates.tasks, certificates.views, certificates.wagtail_hooks\n"
        "template = CertificateTemplate(name='x', **DEFAULT_TEMPLATE_TEXTS)\n"
        "assert certificate_pdf(template=template, data=sample_data()).startswith(b'%PDF-')\n"
        "print(sorted(name for name in sys.modules if name.startswith('weasyprint')))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.test"}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                         timeout=120, check=True, cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "[]"
