"""The credentials the site serves, checked by a verifier we did not write: openbadgeslib's
``OB3Verifier`` (Open Badges 3.0, VC-JWT, Bitstring Status List), offline.

Everything the verifier fetches (the status list named in the credential) is fetched from the
site through the Django test client, exactly as it is served, with no ``Accept`` header (what
openbadgeslib's own downloader sends); no request leaves the machine. The verification key is
taken from the published JWKS by the token's ``kid``, and the verifier's defaults are kept: the
status list's own signature is verified and must be the issuer's.
"""

import base64
import json
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from certificates import credentials, services
from certificates.models import Certificate
from tests.conftest import IN_CI

if IN_CI:
    import openbadgeslib.ob3 as ob3  # CI installs the dev dependencies: never skipped there
else:
    ob3 = pytest.importorskip("openbadgeslib.ob3")
jwt = pytest.importorskip("jwt")  # PyJWT, openbadgeslib's JOSE layer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings, tmp_path):
    settings.SITE_URL = "https://passerelle.example.org"
    settings.CERTIFICATE_ISSUER_KEY = ""
    settings.CERTIFICATE_ISSUER_KEY_FILE = tmp_path / "issuer_key.pem"
    settings.CERTIFICATE_JWT_ALG = "RS256"
    credentials.issuer_key_reset()
    yield
    credentials.issuer_key_reset()


@pytest.fixture
def fetched(client):
    """openbadgeslib's ``download``: the site's answer through the test client, never the
    network; records what was fetched."""
    seen: list[str] = []

    def download(url: str) -> bytes:
        parts = urlparse(url)
        assert parts.scheme == "https" and parts.netloc == "passerelle.example.org", url
        seen.append(url)
        response = client.get(parts.path, secure=True)
        assert response.status_code == 200, url
        return response.content

    download.seen = seen
    return download


def _served_token(client, certificate: Certificate) -> str:
    response = client.get(f"/verify/{certificate.display_code}/credential.jwt")
    assert response.status_code == 200
    return response.content.decode()


def _verifier_for(client, token: str):
    """An ``OB3Verifier`` holding the key the token's kid names in the published JWKS."""
    kid = jwt.get_unverified_header(token)["kid"]
    (jwk,) = [key for key in client.get("/.well-known/jwks.json").json()["keys"]
              if key["kid"] == kid]
    return ob3.OB3Verifier(pubkey_pem=jwt.PyJWK(jwk).key)


def _verify(client, token: str, download):
    return _verifier_for(client, token).verify(token, check_status=True, download=download)


def test_valid_credential_verifies_with_its_status(client, certificate, fetched):
    token = _served_token(client, certificate)

    credential = _verify(client, token, fetched)

    assert jwt.get_unverified_header(token)["alg"] == "RS256"
    assert credential.issuer.id == "https://passerelle.example.org/issuer"
    assert credential.achievement.name == certificate.course_title
    assert fetched.seen == ["https://passerelle.example.org/credentials/status/1"]


def test_revoked_credential_is_refused(client, certificate, manager, fetched):
    token = _served_token(client, certificate)
    services.certificate_revoke(certificate=certificate, by=manager, reason="Usurpation")

    with pytest.raises(ob3.OB3VerificationError, match="revocation.*is set"):
        _verify(client, token, fetched)
    # Still a genuine signature: only the status says no.
    assert _verifier_for(client, token).verify(token).issuer.id.endswith("/issuer")


def test_reissued_credential_replaces_the_old_one(client, certificate, manager, fetched,
                                                  django_capture_on_commit_callbacks):
    old_token = _served_token(client, certificate)
    with django_capture_on_commit_callbacks(execute=True):
        new = services.certificate_reissue(certificate=certificate, by=manager)

    with pytest.raises(ob3.OB3VerificationError, match="revocation.*is set"):
        _verify(client, old_token, fetched)
    assert _verify(client, _served_token(client, new), fetched).id.endswith(
        f"/verify/{new.display_code}/credential.json"
    )


def test_expired_credential_is_refused(client, certificate, fetched):
    now = timezone.now()
    # Issued 13 months ago with a 12-month validity.
    Certificate.objects.filter(pk=certificate.pk).update(
        created_at=now - timedelta(days=400), expires_at=now - timedelta(days=35)
    )
    certificate.refresh_from_db()

    with pytest.raises(ob3.OB3VerificationError, match="expired"):
        _verify(client, _served_token(client, certificate), fetched)


def test_tampered_credential_is_refused(client, certificate, fetched):
    header, payload, signature = _served_token(client, certificate).split(".")
    body = bytearray(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    at = body.index(certificate.holder_name.encode())
    body[at] ^= 0x20  # one byte: the first letter of the holder's name changes case
    forged = base64.urlsafe_b64encode(bytes(body)).decode().rstrip("=")
    token = ".".join([header, forged, signature])
    assert json.loads(body)  # still a well-formed credential

    with pytest.raises(ob3.OB3VerificationError, match="Invalid signature"):
        _verify(client, token, fetched)


def test_status_list_signed_by_another_key_is_refused(client, certificate, manager, fetched):
    token = _served_token(client, certificate)
    services.certificate_revoke(certificate=certificate, by=manager, reason="Usurpation")
    # Someone controlling the status host serves an "all clear" list under the issuer's name,
    # signed with their own key (openbadgeslib's own signer).
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    status_url = credentials.status_list_url()
    forged_list = ob3.sign_status_list_credential(
        ob3.build_status_list_credential(credentials.issuer_id(), status_url, "revocation",
                                         set_indices=[],
                                         valid_until=timezone.now() + timedelta(days=1)),
        other, "RS256",
    )

    def forged_host(url: str) -> bytes:
        return forged_list.encode() if url == status_url else fetched(url)

    with pytest.raises(ob3.OB3VerificationError, match="proof is invalid"):
        _verify(client, token, forged_host)


def test_unsigned_or_lapsed_status_lists_are_refused(client, certificate, fetched):
    """Why the list is signed and dated: openbadgeslib refuses the JSON-LD one by default, and a
    signed copy past its validUntil."""
    token = _served_token(client, certificate)
    json_ld = client.get("/credentials/status/1", HTTP_ACCEPT="application/vc+ld+json").content
    lapsed = credentials.status_list_jwt(
        [], valid_from=timezone.now() - timedelta(days=2)
    ).encode()

    with pytest.raises(ob3.OB3VerificationError, match="not a signed JWT-VC"):
        _verify(client, token, lambda url: json_ld)
    with pytest.raises(ob3.OB3VerificationError, match="expired"):
        _verify(client, token, lambda url: lapsed)


def test_token_signed_with_the_earlier_ed25519_key_still_verifies(
    client, certificate, settings, fetched
):
    settings.CERTIFICATE_JWT_ALG = "EdDSA"
    credentials.issuer_key_reset()
    eddsa_token = _served_token(client, certificate)
    settings.CERTIFICATE_JWT_ALG = "RS256"  # the deploy that switches to RS256
    credentials.issuer_key_reset()

    assert [key["alg"] for key in client.get("/.well-known/jwks.json").json()["keys"]] == [
        "RS256", "EdDSA"
    ]
    assert jwt.get_unverified_header(eddsa_token)["alg"] == "EdDSA"
    verifier = _verifier_for(client, eddsa_token)
    assert verifier.verify(eddsa_token).id.endswith("/credential.json")
    # Its status list is now signed with RS256: the list's proof binds to the RS256 key.
    rs256 = _verify(client, _served_token(client, certificate), fetched)
    assert rs256.id.endswith("/credential.json")
