"""The Wagtail admin (/cms/) as each role meets it: who gets in, what they may choose and change."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.snippets.models import get_snippet_models

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHOOSER = "/cms/snippets/choose/{app}/{model}/"
# A 404 under /cms/ is answered by Django's LocaleMiddleware with a redirect to the same path
# under the default language (/fr/cms/…), which is a 404 too: the same as any unknown URL.
LISTING = "/cms/snippets/{app}/{model}/"


@pytest.fixture
def roles(learner, trainer, manager, editor, administrator):
    return {"learner": learner, "trainer": trainer, "manager": manager, "editor": editor,
            "administrator": administrator}


# --- /cms/ for people without admin access ----------------------------------------------------


@pytest.mark.parametrize("role", ["learner", "trainer", "manager"])
def test_cms_answers_403_to_signed_in_users_without_access(client, roles, role):
    client.force_login(roles[role])
    response = client.get("/cms/")
    assert response.status_code == 302
    assert response["Location"] == "/cms/login/?next=/cms/"
    forbidden = client.get(response["Location"])
    assert forbidden.status_code == 403
    html = forbidden.content.decode()
    assert "Vous n’avez pas accès à l’interface d’édition" in html  # their language: fr
    assert 'href="/fr/"' in html  # their preferred language's home page
    # Following every redirect ends on that page: no loop between /cms/ and the login.
    final = client.get("/cms/pages/", follow=True)
    assert final.status_code == 403
    assert len(final.redirect_chain) == 1


@pytest.mark.parametrize("role", ["editor", "administrator"])
def test_cms_opens_for_editors_and_administrators(client, roles, role):
    client.force_login(roles[role])
    assert client.get("/cms/").status_code == 200
    # Already signed in, the admin's login page sends them on.
    response = client.get("/cms/login/?next=/cms/pages/")
    assert response.status_code == 302 and response["Location"] == "/cms/pages/"


def test_cms_sends_anonymous_visitors_to_allauths_login(client):
    response = client.get("/cms/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/fr/accounts/login/?next=")
    assert response.status_code == 200


def test_cms_forbidden_page_follows_the_users_language(client):
    arabic_learner = UserFactory(preferred_language="ar")
    client.force_login(arabic_learner)
    response = client.get("/cms/login/?next=/cms/")
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert 'href="/ar/"' in html


def test_cms_forbidden_page_is_translated(client):
    """Passes once the lead has merged locale/pending/admin.json (a new msgid)."""
    client.force_login(UserFactory(preferred_language="fr"))
    html = client.get("/cms/login/?next=/cms/").content.decode()
    assert "Vous n’avez pas accès à l’interface d’édition" in html


# --- Wagtail's password reset -----------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "/cms/password_reset/",
    "/cms/password_reset/done/",
    "/cms/password_reset/confirm/MQ/set-password/",
    "/cms/password_reset/complete/",
])
def test_wagtail_password_reset_goes_to_allauths(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password")


def test_wagtail_password_reset_form_sends_no_email(client, learner):
    for _ in range(8):
        response = client.post("/cms/password_reset/", {"email": learner.email})
        assert response.status_code == 302
        assert response["Location"] == reverse("account_reset_password")
    assert mail.outbox == []


def test_wagtail_login_page_offers_no_password_reset_of_its_own(settings):
    from wagtail.admin.views.account import password_reset_enabled

    assert password_reset_enabled() is False


# --- Snippet choosers and listings ------------------------------------------------------------

# (app, model) → expected status for an editor, for an administrator.
CHOOSER_TABLE = {
    ("courses", "quiz"): (200, 200),
    ("certificates", "certificatetemplate"): (200, 200),
    ("lms", "organisation"): (403, 200),
    ("certificates", "certificateissuefailure"): (404, 404),
}
LISTING_TABLE = {
    ("courses", "quiz"): (200, 200),
    ("certificates", "certificatetemplate"): (200, 200),
    ("certificates", "certificateissuefailure"): (404, 200),
}
LEARNER_RECORDS = [
    ("certificates", "certificate"), ("certificates", "certificateissuefailure"),
    ("certificates", "bulkissue"), ("certificates", "bulkissueitem"),
    ("courses", "enrolment"), ("courses", "lessonprogress"), ("courses", "quizattempt"),
    ("lms", "user"),
]


def status(client, url: str, **headers) -> int:
    """The final status, following only the LocaleMiddleware's redirect of a 404."""
    response = client.get(url, **headers)
    if response.status_code == 302 and response["Location"] == f"/fr{url}":
        response = client.get(response["Location"], **headers)
        assert response.status_code == 404
    return response.status_code


@pytest.mark.parametrize(("app", "model"), list(CHOOSER_TABLE))
@pytest.mark.parametrize("ajax", [False, True], ids=["page", "modal"])
def test_snippet_chooser_table(client, editor, administrator, app, model, ajax):
    headers = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"} if ajax else {}
    for user, expected in zip((editor, administrator), CHOOSER_TABLE[(app, model)], strict=True):
        client.force_login(user)
        for suffix in ("", "results/"):
            url = CHOOSER.format(app=app, model=model) + suffix
            assert status(client, url, **headers) == expected, (user, url)


@pytest.mark.parametrize(("app", "model"), list(LISTING_TABLE))
def test_snippet_listing_table(client, editor, administrator, app, model):
    for user, expected in zip((editor, administrator), LISTING_TABLE[(app, model)], strict=True):
        client.force_login(user)
        assert status(client, LISTING.format(app=app, model=model)) == expected, user


def test_chooser_never_shows_a_holder_to_an_editor(client, editor, site_tree):
    from certificates.models import CertificateIssueFailure
    from courses import demo
    from courses.models import Enrolment
    from tests.courses.sample_module import SAMPLE_MODULE

    [course] = demo.load(modules=[SAMPLE_MODULE])
    holder = UserFactory(full_name="Awa Diop", email="awa.diop@example.org")
    enrolment = Enrolment.objects.create(user=holder, course=course)
    failure = CertificateIssueFailure.objects.create(enrolment=enrolment, error="boom")
    client.force_login(editor)
    for url in (
        CHOOSER.format(app="certificates", model="certificateissuefailure"),
        CHOOSER.format(app="certificates", model="certificateissuefailure") + "results/?q=awa",
        CHOOSER.format(app="certificates", model="certificateissuefailure")
        + f"chosen/{failure.pk}/",
        LISTING.format(app="certificates", model="certificateissuefailure"),
        LISTING.format(app="certificates", model="certificateissuefailure")
        + f"inspect/{failure.pk}/",
    ):
        response = client.get(url, follow=True)
        assert response.status_code == 404, url
        assert b"awa.diop" not in response.content and b"Awa Diop" not in response.content


def test_learner_records_are_never_choosable_snippets():
    from django.urls import NoReverseMatch

    from lms.wagtail_hooks import ContentSnippetViewSet, RecordSnippetViewSet

    registered = {(m._meta.app_label, m._meta.model_name): m for m in get_snippet_models()}
    for key, model in registered.items():
        viewset = model.snippet_viewset
        # Every snippet says which it is: a new viewset must choose (see lms/wagtail_hooks.py).
        assert isinstance(viewset, ContentSnippetViewSet | RecordSnippetViewSet), key
        if key in LEARNER_RECORDS:
            assert isinstance(viewset, RecordSnippetViewSet), key
            with pytest.raises(NoReverseMatch):
                reverse(viewset.chooser_viewset.get_url_name("choose"))


# --- E-mail changes in /cms/account/ ----------------------------------------------------------


@pytest.mark.parametrize("role", ["editor", "administrator"])
def test_cms_account_has_no_email_field_and_points_to_allauth(client, roles, role):
    user = roles[role]
    client.force_login(user)
    response = client.get("/cms/account/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="name_email-email"' not in html
    assert f'href="{reverse("account_email")}"' in html
    client.post("/cms/account/", {"name_email-email": "taken-over@example.org"})
    user.refresh_from_db()
    assert user.email != "taken-over@example.org"

