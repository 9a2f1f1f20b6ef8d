"""Public verification: unknown codes explained on the form, HEAD answered, the signed status list
(content negotiation, validity), RS256 keys whose kid is a URL serving that key."""

import json
import re
from datetime import datetime
from urllib.parse import urlparse

import pytest
from django.utils import translation

from certificates import credentials, services
from certificates.credentials import jwt_verify, status_list_is_revoked

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NO_SUCH_CODE = "No certificate has this code — check it and try again."
UNKNOWN = ["ZZZZ-ZZZZ-ZZZZ", "2222-3333-4444", "abcd efgh jkmn"]


@pytest.fixture(autouse=True)
def _keys(settings, tmp_path):
    settings.CERTIFICATE_ISSUER_KEY = ""
    settings.CERTIFICATE_ISSUER_KEY_FILE = tmp_path / "issuer_key.pem"
    settings.CERTIFICATE_JWT_ALG = "RS256"
    credentials.issuer_key_reset()
    yield
    credentials.issuer_key_reset()


def _seconds(value: str) -> int:
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


# --- 22: a wrong code stays on the form, explained ----------------------------------------------


def test_unknown_code_in_the_form_stays_on_the_form_with_the_explanation(client, certificate):
    response = client.get("/verify/", {"code": "zzzz-zzzz-zzzz"}, **EN)

    assert response.status_code == 200
    html = response.content.decode()
    assert NO_SUCH_CODE in html
    assert "field--error" in html
    assert 'name="code"' in html and 'value="zzzz-zzzz-zzzz"' in html  # what was typed stays
    assert 'action="/verify/"' in html


def test_every_unknown_code_gets_the_same_answer_and_the_same_work(
    client, certificate, django_assert_num_queries
):
    pages = []
    for code in UNKNOWN:
        with django_assert_num_queries(1):  # one lookup, whatever the code
            response = client.get("/verify/", {"code": code}, **EN)
        assert response.status_code == 200
        # (random per-request tokens, CSRF and CSP nonces, left out)
        page = re.sub(r'(nonce|name="csrfmiddlewaretoken" value)="[^"]*"', "",
                      response.content.decode())
        pages.append(page.replace(code, "<code>").replace(code.replace(" ", "+"), "<code>"))
    assert pages[0] == pages[1] == pages[2]
    # A real code costs the same single lookup before it is sent on to its page.
    with django_assert_num_queries(1):
        response = client.get("/verify/", {"code": certificate.code}, **EN)
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{certificate.display_code}/"


def test_malformed_code_in_the_form_gets_the_format_hint(client, certificate):
    html = client.get("/verify/", {"code": "123"}, **EN).content.decode()

    assert "A code has 12 letters and digits" in html
    assert NO_SUCH_CODE not in html
    blank = client.get("/verify/", {"code": " "}, **EN)
    assert blank.status_code == 200 and "field--error" in blank.content.decode()
    assert "field--error" not in client.get("/verify/", **EN).content.decode()


def test_form_lookups_are_rate_limited(client, certificate, settings):
    settings.CERTIFICATE_VERIFY_RATE_LIMIT = 3
    for code in UNKNOWN:
        assert client.get("/verify/", {"code": code}).status_code == 200

    response = client.get("/verify/", {"code": certificate.code})

    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert client.get("/verify/").status_code == 200  # the empty form is not a lookup
    assert client.get("/verify/", {"code": certificate.code},
                      REMOTE_ADDR="10.9.8.7").status_code == 302


@pytest.mark.parametrize("code", ["ZZZZ-ZZZZ-ZZZZ", "not-a-code"])
def test_unknown_code_in_the_url_is_a_404_with_the_explanation_and_the_form(
    client, certificate, code
):
    response = client.get(f"/verify/{code}/", **EN)

    assert response.status_code == 404
    assert "Location" not in response  # not redirected to a language-prefixed URL
    html = response.content.decode()
    assert NO_SUCH_CODE in html
    assert f'value="{code}"' in html and 'action="/verify/"' in html
    assert response["X-Robots-Tag"].startswith("noindex")
    for suffix in ("credential.json", "credential.jwt"):
        assert client.get(f"/verify/{code}/{suffix}").status_code == 404


def test_unknown_code_in_the_url_is_explained_in_the_visitors_language(client, certificate):
    """Runs after the lead merges locale/pending (the French text is new)."""
    html = client.get("/verify/ZZZZ-ZZZZ-ZZZZ/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    with translation.override("fr"):
        expected = translation.gettext(NO_SUCH_CODE)
    assert expected != NO_SUCH_CODE
    assert expected in html


# --- 26: HEAD ------------------------------------------------------------------------------------


def _public_urls(certificate, client) -> list[str]:
    kid = client.get("/.well-known/jwks.json").json()["keys"][0]["kid"]
    return [
        "/verify/",
        f"/verify/{certificate.display_code}/",
        f"/verify/{certificate.display_code}/credential.json",
        f"/verify/{certificate.display_code}/credential.jwt",
        "/.well-known/jwks.json",
        urlparse(kid).path,
        "/credentials/status/1",
        "/credentials/status/1.jwt",
        "/issuer",
        f"/achievements/{certificate.achievement_key}",
    ]


def test_public_endpoints_answer_head_with_headers_and_no_body(client, certificate):
    for url in _public_urls(certificate, client):
        got = client.get(url)
        head = client.head(url)

        assert got.status_code == 200, url
        assert head.status_code == 200, url
        assert head.content == b"", url
        assert head["Content-Type"] == got["Content-Type"], url
        assert client.post(url).status_code == 405, url  # still read-only


# --- 23: the signed status list ----------------------------------------------------------------


def test_status_list_is_served_signed_with_a_validity_window(client, certificate, settings):
    key_set = client.get("/.well-known/jwks.json").json()

    for response in (
        client.get("/credentials/status/1.jwt"),
        client.get("/credentials/status/1"),  # no preference stated: the signed one
        client.get("/credentials/status/1", HTTP_ACCEPT="application/vc+jwt"),
        client.get("/credentials/status/1", HTTP_ACCEPT="application/jwt"),
    ):
        assert response.status_code == 200
        assert response["Content-Type"] in {"application/jwt", "application/vc+jwt"}
        payload = jwt_verify(response.content.decode(), key_set=key_set)
        assert payload["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
        assert payload["id"] == f"{settings.SITE_URL}/credentials/status/1"
        assert _seconds(payload["validUntil"]) - _seconds(payload["validFrom"]) == 86400
        assert payload["exp"] == _seconds(payload["validUntil"])
    assert client.get("/credentials/status/1", HTTP_ACCEPT="application/vc+jwt")[
        "Content-Type"] == "application/vc+jwt"
    # HTTP caches keep it for minutes, far less than its validity; the answer depends on Accept.
    assert "max-age=300" in response["Cache-Control"]
    assert "Accept" in response["Vary"]


@pytest.mark.parametrize(
    "accept", ["application/vc+ld+json", "application/ld+json", "application/json",
               "text/html,application/xhtml+xml,*/*;q=0.8"],
)
def test_status_list_json_ld_for_json_and_html_clients(client, certificate, accept):
    response = client.get("/credentials/status/1", HTTP_ACCEPT=accept)

    assert response["Content-Type"] == "application/vc+ld+json"
    body = json.loads(response.content)
    assert body["credentialSubject"]["type"] == "BitstringStatusList"
    assert _seconds(body["validUntil"]) > _seconds(body["validFrom"])
    assert json.loads(client.get("/credentials/status/1", {"format": "json"}).content)["id"]


def test_signed_status_list_shows_a_revocation_at_once(client, certificate, manager):
    def revoked() -> bool:
        payload = jwt_verify(client.get("/credentials/status/1.jwt").content.decode())
        return status_list_is_revoked(payload["credentialSubject"]["encodedList"],
                                      certificate.status_index)

    assert not revoked()
    services.certificate_revoke(certificate=certificate, by=manager, reason="x")
    assert revoked()  # the cached signed list is keyed by the list: no stale copy


# --- 24: RS256, every key published, each kid dereferenceable ----------------------------------


def test_credential_jwt_is_rs256_and_its_kid_serves_its_key(client, certificate, settings):
    token = client.get(f"/verify/{certificate.display_code}/credential.jwt").content.decode()
    header = json.loads(credentials_b64(token.split(".")[0]))
    key_set = client.get("/.well-known/jwks.json").json()

    assert header["alg"] == "RS256" and header["typ"] == "JWT"
    assert header["kid"].startswith(f"{settings.SITE_URL}/.well-known/jwks/")
    response = client.get(urlparse(header["kid"]).path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwk+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    single = response.json()
    assert single in key_set["keys"]
    assert single["kid"] == header["kid"] and single["alg"] == "RS256"
    assert {"d", "p", "q"}.isdisjoint(single)
    assert jwt_verify(token, key_set={"keys": [single]})["id"].endswith("/credential.json")
    assert client.get("/.well-known/jwks/not-a-key.json").status_code == 404


def test_jwks_keeps_the_earlier_ed25519_key(client, certificate, settings, tmp_path):
    path = tmp_path / "two.pem"
    old = credentials.issuer_key_generate("EdDSA")
    credentials.issuer_key_write(path, [credentials.issuer_key_generate("RS256"), old])
    settings.CERTIFICATE_ISSUER_KEY_FILE = path

    keys = client.get("/.well-known/jwks.json").json()["keys"]

    assert [key["alg"] for key in keys] == ["RS256", "EdDSA"]
    for key in keys:
        assert client.get(urlparse(key["kid"]).path).json() == key
    assert keys[1]["kid"].endswith(f"/{old.thumbprint()}.json")


def test_achievement_is_served_and_unknown_ones_are_404(client, certificate):
    response = client.get(f"/achievements/{certificate.achievement_key}")

    assert response.status_code == 200
    assert response.json()["type"] == ["Achievement"]
    assert response.json()["name"] == certificate.course_title
    assert client.get("/achievements/3f1c6a0e-6f6e-4d1a-9a53-2f4c0f1d8b7e").status_code == 404


def credentials_b64(part: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def test_missing_issuer_key_is_reported_by_the_system_checks(settings, tmp_path):
    """Production settings never generate a key: the deploy's `check` names what is missing."""
    from certificates.checks import issuer_key_check
    from certificates.credentials import issuer_key_reset

    settings.CERTIFICATE_ISSUER_KEY_AUTOGENERATE = False
    settings.CERTIFICATE_ISSUER_KEY = ""
    settings.CERTIFICATE_ISSUER_KEY_FILE = str(tmp_path / "absent.pem")
    issuer_key_reset()
    try:
        errors = issuer_key_check()
    finally:
        issuer_key_reset()
    assert [error.id for error in errors] == ["certificates.E001"]
    assert "certificate_issuer_key --add" in errors[0].msg
    assert not (tmp_path / "absent.pem").exists()


def test_configured_issuer_key_passes_the_system_checks():
    from certificates.checks import issuer_key_check

    assert issuer_key_check() == []
