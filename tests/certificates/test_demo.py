import io

import pytest

from certificates.models import Certificate, CertificateTemplate
from courses.models import CoursePage

pytestmark = pytest.mark.django_db


def test_demo_learner_holds_the_financial_education_certificate_idempotently(site_tree):
    from certificates import demo as certificates_demo
    from courses import demo as courses_demo

    courses_demo.load(stdout=io.StringIO())
    out = io.StringIO()
    certificate = certificates_demo.load(stdout=out)
    again = certificates_demo.load(stdout=io.StringIO())
    assert certificate is not None and again.pk == certificate.pk
    assert Certificate.objects.count() == 1
    assert certificate.user.email == "aminata@passerelle.test"
    assert certificate.user.check_password("passerelle-demo")
    assert certificate.user.emailaddress_set.get().verified
    assert certificate.user.consent_at is not None
    assert certificate.pdf.name
    assert CertificateTemplate.objects.count() == 1
    assert not CoursePage.objects.filter(
        certificate_setting__isnull=True, locale__language_code="fr"
    ).exists()
    assert certificate.display_code in out.getvalue()
