"""`make run` loads the demo with `load_demo_content`: everything a newcomer sees, idempotently."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from lms.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db

MODULE_SLUGS = {
    "fr": 4,
    "en": 4,
    "ar": 1,
}


def _counts():
    from wagtail.models import Page

    from certificates.models import Certificate
    from courses.models import Enrolment, Quiz
    from lms.models import User

    return (Page.objects.count(), Quiz.objects.count(), User.objects.count(),
            Enrolment.objects.count(), Certificate.objects.count())


def test_load_demo_content_twice_keeps_data_and_serves_the_catalogues(client):
    out = StringIO()
    call_command("load_demo_content", stdout=out)
    first = _counts()
    call_command("load_demo_content", stdout=StringIO())
    assert _counts() == first
    assert DEMO_PASSWORD in out.getvalue()

    for language, expected in MODULE_SLUGS.items():
        html = client.get(f"/{language}/modules/").content.decode()
        cards = set(re.findall(rf'href="(/{language}/modules/[^/"]+/)"', html))
        assert len(cards) == expected, (language, cards)

    for email, *_ in DEMO_ACCOUNTS + [("aminata@passerelle.test",)]:
        response = client.post("/fr/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert "_auth_user_id" in client.session, email
        client.logout()
