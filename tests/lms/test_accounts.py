"""Sign-up, verification, login and profile through the real allauth views and mail backend."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from lms.models import User

pytestmark = pytest.mark.django_db

SIGNUP = "/fr/accounts/signup/"
LOGIN = "/fr/accounts/login/"


def _signup(client, **overrides):
    data = {
        "email": "awa@example.org",
        "password1": "Un-mot-de-passe-solide-42",
        "password2": "Un-mot-de-passe-solide-42",
        "full_name": "Awa Ndiaye",
        "consent": "on",
    }
    data.update(overrides)
    return client.post(SIGNUP, data)


def test_signup_records_consent_and_sends_a_verification_email(client, settings):
    settings.PRIVACY_POLICY_VERSION = "2026-11"
    response = _signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="awa@example.org")
    assert user.full_name == "Awa Ndiaye"
    assert user.consent_at is not None and user.consent_policy_version == "2026-11"
    assert user.preferred_language == "fr"
    assert len(mail.outbox) == 1
    assert "awa@example.org" in mail.outbox[0].to
    assert re.search(r"/fr/accounts/confirm-email/[^/\s]+/", mail.outbox[0].body)


def test_signup_email_is_written_in_the_language_of_the_site(client):
    client.post(
        "/ar/accounts/signup/",
        {
            "email": "fatima@example.org",
            "password1": "Un-mot-de-passe-solide-42",
            "password2": "Un-mot-de-passe-solide-42",
            "full_name": "فاطمة",
            "consent": "on",
        },
    )
    assert User.objects.get(email="fatima@example.org").preferred_language == "ar"
    assert "/ar/accounts/confirm-email/" in mail.outbox[0].body


def test_unverified_user_cannot_log_in_until_verified(client):
    _signup(client)
    response = client.post(
        LOGIN, {"login": "awa@example.org", "password": "Un-mot-de-passe-solide-42"}
    )
    assert response.status_code == 302
    assert "confirm-email" in response["Location"] or "verification" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_signup_with_an_existing_email_does_not_reveal_the_account(client, learner):
    response = _signup(client, email=learner.email)
    # Same answer as a fresh sign-up: redirect to "check your e-mail"; no second account.
    assert response.status_code == 302
    assert User.objects.filter(email__iexact=learner.email).count() == 1


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "<script>@x.org", "x" * 300 + "@a.org"])
def test_signup_rejects_malformed_emails_with_a_message(client, email):
    response = _signup(client, email=email)
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not User.objects.filter(full_name="Awa Ndiaye").exists()


def test_signup_with_script_in_name_re_displays_the_form_with_the_error(client):
    response = _signup(client, full_name="<script>alert(1)</script>")
    assert response.status_code == 200
    assert "full_name" in response.context["form"].errors
    assert b"<script>alert(1)</script>" not in response.content


def test_login_failures_are_rate_limited_without_revealing_the_account(client, learner):
    first = client.post(LOGIN, {"login": learner.email, "password": "wrong"})
    unknown = client.post(LOGIN, {"login": "nobody@example.org", "password": "wrong"})
    # The same message whether the account exists or not.
    assert first.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()
    for _ in range(5):
        response = client.post(LOGIN, {"login": learner.email, "password": "wrong"})
    errors = " ".join(response.context["form"].non_field_errors())
    assert response.status_code == 200  # the form again, with the reason
    assert "Trop de tentatives" in errors
    # Even the right password is refused while the limit holds.
    blocked = client.post(
        LOGIN, {"login": learner.email, "password": "correct horse battery staple"}
    )
    assert "_auth_user_id" not in client.session
    assert blocked.status_code == 200


def test_login_with_incomplete_profile_goes_to_the_profile(client, user_factory):
    user = user_factory(sex="", country="")
    response = client.post(LOGIN, {"login": user.email, "password": "correct horse battery staple"})
    assert response.status_code == 302
    assert response["Location"] == reverse("profile")


def test_profile_requires_login(client):
    response = client.get("/fr/accounts/profile/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_profile_save_switches_to_the_preferred_language(learner_client, learner):
    response = learner_client.post(
        "/fr/accounts/profile/",
        {
            "full_name": "Fatima Zahra",
            "sex": "female",
            "year_of_birth": "",
            "country": "MA",
            "organisation": "",
            "new_organisation_name": "",
            "new_organisation_type": "",
            "preferred_language": "ar",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/ar/accounts/profile/"
    learner.refresh_from_db()
    assert learner.preferred_language == "ar"


def test_profile_errors_redisplay_with_messages(learner_client):
    response = learner_client.post("/fr/accounts/profile/", {"full_name": "", "sex": ""})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "aria-invalid" in response.content.decode()


def test_email_verification_then_login_then_profile(client):
    _signup(client)
    link = re.search(r"(/fr/accounts/confirm-email/[^/\s]+/)", mail.outbox[0].body).group(1)
    assert client.post(link).status_code == 302
    assert EmailAddress.objects.get(email="awa@example.org").verified
    response = client.post(
        LOGIN, {"login": "awa@example.org", "password": "Un-mot-de-passe-solide-42"}
    )
    assert response["Location"] == reverse("profile")


def test_admin_logins_go_through_allauth(client):
    for url in ("/cms/login/", "/django-admin/login/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"], url


def test_two_factor_setup_is_offered_to_trainers(client, trainer):
    client.force_login(trainer)
    profile = client.get("/fr/accounts/profile/").content.decode()
    assert "/fr/accounts/2fa/" in profile
    assert client.get("/fr/accounts/2fa/").status_code == 200
    # Activating a second factor asks for the password again first.
    activate = client.get("/fr/accounts/2fa/totp/activate/")
    assert "/accounts/reauthenticate/" in activate["Location"]


def test_two_factor_link_is_not_shown_to_learners(learner_client):
    assert "/accounts/2fa/" not in learner_client.get("/fr/accounts/profile/").content.decode()


def test_content_editor_reaches_the_wagtail_admin_and_a_learner_does_not(client, editor, learner):
    from lms.access import Role
    from lms.services import role_grant

    role_grant(user=editor, role=Role.EDITOR)
    client.force_login(editor)
    assert client.get("/cms/").status_code == 200
    client.force_login(learner)
    response = client.get("/cms/")
    assert response.status_code == 302 and response["Location"].startswith("/cms/login/")


# --- Lockout cannot be used as a weapon (issue 9, point 29) -----------------------------------
ATTACKER, OFFICE, HOME = "203.0.113.66", "198.51.100.10", "192.0.2.44"
RIGHT = "correct horse battery staple"


def _login(client, email, password, ip):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)


def test_failed_logins_from_another_ip_do_not_lock_the_real_user_out(client, learner):
    from django.test import Client

    for _ in range(8):
        _login(client, learner.email, "guess", ATTACKER)
    blocked = _login(client, learner.email, RIGHT, ATTACKER)
    assert "_auth_user_id" not in client.session and blocked.status_code in (200, 429)
    owner = Client()
    assert _login(owner, learner.email, RIGHT, HOME).status_code == 302
    assert owner.session["_auth_user_id"] == str(learner.pk)


def test_ten_failures_in_a_shared_office_do_not_lock_every_account_there(user_factory):
    from django.test import Client

    colleagues = [user_factory() for _ in range(12)]
    for colleague in colleagues[:-1]:
        _login(Client(), colleague.email, "typo", OFFICE)
    last = Client()
    assert _login(last, colleagues[-1].email, RIGHT, OFFICE).status_code == 302
    assert last.session["_auth_user_id"] == str(colleagues[-1].pk)


def test_password_reset_works_while_the_account_is_locked(client, learner):
    for _ in range(6):
        _login(client, learner.email, "guess", HOME)
    assert "_auth_user_id" not in client.session
    mail.outbox.clear()
    response = client.post(
        "/fr/accounts/password/reset/", {"email": learner.email}, REMOTE_ADDR=HOME
    )
    assert response.status_code == 302
    link = re.search(r"(/fr/accounts/password/reset/key/[^\s]+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, REMOTE_ADDR=HOME)["Location"]
    new = "Un-nouveau-mot-de-passe-77"
    response = client.post(form_url, {"password1": new, "password2": new}, REMOTE_ADDR=HOME)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(learner.pk)  # logged in by the reset
    client.logout()
    assert _login(client, learner.email, new, HOME).status_code == 302


# --- Client IP from a trusted proxy only (point 34) -------------------------------------------
def test_client_ip_ignores_forwarded_headers_unless_a_proxy_is_trusted(rf, settings):
    from lms.ratelimit import client_ip

    forged = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4",
              "HTTP_X_REAL_IP": "5.6.7.8"}
    assert client_ip(rf.get("/", **forged)) == "10.0.0.2"
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    assert client_ip(rf.get("/", **forged)) == "5.6.7.8"
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # Our one proxy appends the peer it saw: the last entry; what the client wrote is ignored.
    assert client_ip(rf.get("/", **{**forged, "HTTP_X_FORWARDED_FOR": "1.2.3.4, 9.9.9.9"})) == (
        "9.9.9.9"
    )


def test_verify_lookups_are_limited_per_client_behind_a_trusted_proxy(client, settings):
    from lms.ratelimit import rate_limit_exceeded

    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    from django.test import RequestFactory

    def hit(ip):
        request = RequestFactory().get("/verify/", REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP=ip)
        return rate_limit_exceeded(request, scope="test-verify", limit=3)

    assert [hit("1.1.1.1") for _ in range(4)] == [False, False, False, True]
    assert hit("2.2.2.2") is False  # another visitor behind the same proxy has their own limit


# --- Sign-up does the same work whether the address has an account (point 30) -----------------
HASHES = []


class CountingHasher:
    """MD5 for speed; counts every password hashed."""

    def __new__(cls):
        from django.contrib.auth.hashers import MD5PasswordHasher

        class Counting(MD5PasswordHasher):
            algorithm = "md5"

            def encode(self, password, salt):
                HASHES.append(1)
                return super().encode(password, salt)

        return Counting()


def test_signup_hashes_a_password_and_sends_one_mail_whether_or_not_the_account_exists(
    client, learner, settings
):
    settings.PASSWORD_HASHERS = ["tests.lms.test_accounts.CountingHasher"]
    work = {}
    for label, email in (("new", "nouvelle@example.org"), ("existing", learner.email)):
        HASHES.clear()
        mail.outbox.clear()
        assert _signup(client, email=email).status_code == 302
        work[label] = (len(HASHES), len(mail.outbox))
        client.logout()
    assert work["new"] == work["existing"] == (1, 1)


# --- Sign-up keeps where the person was going; "send the link again" (point 14) ---------------
MODULE = "/fr/learning/modules/"


def test_signup_from_a_module_comes_back_to_it_after_verification_and_login(client):
    from urllib.parse import unquote

    assert 'name="next"' in client.get(f"{SIGNUP}?next={MODULE}").content.decode()
    response = _signup(client, next=MODULE)
    assert response.status_code == 302
    link = re.search(r"(/fr/accounts/confirm-email/[^\s]+)", mail.outbox[0].body).group(1)
    assert MODULE in unquote(unquote(link))  # ?next= the login, itself ?next= the module
    page = client.get(link).content.decode()
    assert 'name="next"' in page
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    login_url = confirmed["Location"]
    assert login_url.startswith(LOGIN) and MODULE in unquote(login_url)
    response = client.post(
        login_url, {"login": "awa@example.org", "password": "Un-mot-de-passe-solide-42"}
    )
    assert response.status_code == 302
    assert response["Location"] == MODULE


def test_check_your_email_page_sends_the_link_again_rate_limited(client):
    from django.core.cache import cache

    _signup(client, next=MODULE)
    page = client.get("/fr/accounts/confirm-email/")
    html = page.content.decode()
    assert 'action="/fr/accounts/confirm-email/resend/"' in html
    assert 'value="awa@example.org"' in html
    cache.clear()  # allauth allows one mail per address every 3 minutes: let that pass
    response = client.post("/fr/accounts/confirm-email/resend/", {"email": "awa@example.org"})
    assert response.status_code == 302 and response["Location"] == "/fr/accounts/confirm-email/"
    assert len(mail.outbox) == 2
    from urllib.parse import unquote

    assert MODULE in unquote(unquote(mail.outbox[1].body))
    # An unknown address gets the same answer and no mail.
    unknown = client.post("/fr/accounts/confirm-email/resend/", {"email": "x@example.org"})
    assert unknown.status_code == 302 and len(mail.outbox) == 2
    # A few per client, then "please wait".
    for _ in range(2):
        limited = client.post("/fr/accounts/confirm-email/resend/", {"email": "x@example.org"})
    assert limited.status_code == 429


# --- Arabic sign-up messages (point 15). These two need the lead's merge of
# locale/pending/accounts.json: they fail until the catalogue is compiled. ---------------------
def test_arabic_signup_shows_password_messages_in_arabic(client):
    response = client.post(
        "/ar/accounts/signup/",
        {"email": "fatima@example.org", "password1": "abc", "password2": "abc",
         "full_name": "فاطمة", "consent": "on"},
    )
    errors = " ".join(response.context["form"].errors["password1"])
    assert "mot de passe" not in errors and "password" not in errors.lower()
    assert "كلمة المرور هذه قصيرة جدًا" in errors


def test_one_arabic_term_for_password():
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("ar"):
        for msgid in (
            "Password",
            "Please enter a correct %(username)s and password. Note that both fields may be "
            "case-sensitive.",
        ):
            text = gettext(msgid)
            assert "كلمة المرور" in text and "كلمة السر" not in text, text
