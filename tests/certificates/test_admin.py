import pytest
from django.urls import reverse

from certificates.models import CertificateTemplate
from certificates.services import DEFAULT_TEMPLATE_TEXTS, certificate_issue_failure_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_preview_pdf_with_sample_data(admin_client, certificate_template, language):
    url = reverse("certificate_template_preview_pdf", args=[certificate_template.pk])
    response = admin_client.get(url, {"lang": language})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_preview_pdf_that_cannot_be_produced_says_why(admin_client, certificate_template,
                                                     settings):
    settings.PDF_RENDER_TIMEOUT = 0.001
    url = reverse("certificate_template_preview_pdf", args=[certificate_template.pk])
    response = admin_client.get(url, {"lang": "fr"})
    assert response.status_code == 503
    assert "took more than" in response.content.decode()


def test_preview_pdf_needs_the_permission(client, learner, certificate_template):
    client.force_login(learner)
    url = reverse("certificate_template_preview_pdf", args=[certificate_template.pk])
    response = client.get(url)
    # Wagtail sends a signed-in user without admin access to its login page.
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_listing_and_edit_view_offer_the_preview(admin_client, certificate_template):
    listing = admin_client.get(reverse("wagtailsnippets_certificates_certificatetemplate:list"))
    preview = reverse("certificate_template_preview_pdf", args=[certificate_template.pk])
    assert preview in listing.content.decode()
    edit = admin_client.get(
        reverse("wagtailsnippets_certificates_certificatetemplate:edit",
                args=[certificate_template.pk])
    )
    assert edit.status_code == 200
    assert preview in edit.content.decode()


def _form_data(**overrides) -> dict:
    data = {"name": "Nouveau", "orientation": "landscape", "validity_months": "",
            **DEFAULT_TEMPLATE_TEXTS}
    for prefix in ("logos", "signatories"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    data.update(overrides)
    return data


def test_admin_refuses_an_unknown_placeholder_with_a_clear_message(admin_client):
    url = reverse("wagtailsnippets_certificates_certificatetemplate:add")
    response = admin_client.post(url, _form_data(body_fr="<p>Bravo {prenom}</p>"))
    assert response.status_code == 200
    assert "{prenom}" in response.content.decode()
    assert not CertificateTemplate.objects.filter(name="Nouveau").exists()
    response = admin_client.post(url, _form_data())
    assert response.status_code == 302
    assert CertificateTemplate.objects.filter(name="Nouveau").exists()


def test_failures_are_listed_for_administrators(admin_client, completed_enrolment):
    certificate_issue_failure_record(enrolment_id=completed_enrolment.pk, error="RuntimeError: x")
    response = admin_client.get(
        reverse("wagtailsnippets_certificates_certificateissuefailure:list")
    )
    assert response.status_code == 200
    assert "RuntimeError: x" in response.content.decode()
