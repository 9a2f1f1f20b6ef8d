"""The certificate as an outcome of a completed module, on the courses pages (9.12)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates import services
from certificates.models import Certificate
from certificates.outcomes import certificate_outcomes
from tests.factories import course_create, enrolment_completed

pytestmark = pytest.mark.django_db


def test_my_learning_and_the_module_page_link_to_the_certificate(client, certificate, learner,
                                                                 course):
    client.force_login(learner)
    download = reverse("certificates:download", args=[certificate.display_code])
    for url in (reverse("courses:my_learning"), course.get_url()):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'href="{download}"' in html, url
        assert "Télécharger votre certificat" in html, url  # "Download your certificate"


def test_a_certificate_being_prepared_says_so_then_links(client, completed_enrolment, learner,
                                                        course):
    client.force_login(learner)
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert "Votre certificat est en cours de préparation" in html  # completed, the task not run yet
    certificate = services.certificate_issue(enrolment=completed_enrolment, notify=False)
    Certificate.objects.filter(pk=certificate.pk).update(pdf="")  # issued, PDF not stored yet
    html = client.get(course.get_url()).content.decode()
    assert "Votre certificat est en cours de préparation" in html
    services.certificate_pdf_ensure(certificate=Certificate.objects.get(pk=certificate.pk))
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert reverse("certificates:download", args=[certificate.display_code]) in html


def test_a_revoked_certificate_is_shown_as_revoked(client, certificate, learner, manager):
    services.certificate_revoke(certificate=certificate, by=manager, reason="Erreur")
    client.force_login(learner)
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert "Votre certificat a été révoqué" in html
    assert reverse("certificates:download", args=[certificate.display_code]) not in html


def test_outcomes_take_one_query_whatever_the_number_of_enrolments(site_tree, learner,
                                                                   certificate_template,
                                                                   user_factory):
    enrolments = []
    for i in range(4):
        course = course_create(site_tree, template=certificate_template, slug=f"m-{i}")
        enrolment = enrolment_completed(user=learner, course=course)
        if i % 2:
            services.certificate_issue(enrolment=enrolment, notify=False)
        enrolments.append(enrolment)
    with CaptureQueriesContext(connection) as queries:
        outcomes = certificate_outcomes(user=learner, enrolments=enrolments)
    assert len(queries) == 1
    assert [outcomes[e.pk].state for e in enrolments] == ["pending", "ready", "pending", "ready"]
    # Someone else's enrolments give nothing away.
    assert certificate_outcomes(user=user_factory(), enrolments=enrolments) == {}
