"""Open Badges 3.0 credentials: schema validity, VC-JWT signature, JWKS, status list, issuer key."""

import base64
import gzip
import json
import os
import stat
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from certificates import credentials
from certificates.credentials import (
    CredentialData,
    credential_build,
    credential_sign_jwt,
    issuer_profile,
    jwks,
    jwt_verify,
    status_list_credential,
    status_list_is_revoked,
    status_list_jwt,
)

# 1EdTech's Open Badges 3.0 JSON schemas, as published under
# https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ (copied here so the test never skips).
SCHEMAS = Path(__file__).resolve().parent / "schemas"
SITE = "https://passerelle.example.org"


def b64url_decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwt_parts(token: str) -> tuple[dict, dict, bytes]:
    header, payload, signature = token.split(".")
    return (
        json.loads(b64url_decode(header)),
        json.loads(b64url_decode(payload)),
        b64url_decode(signature),
    )


def verify_with_jwks(token: str, key_set: dict) -> dict:
    """Check a compact JWS with nothing but the published JWKS and `cryptography`."""
    header, payload, signature = jwt_parts(token)
    (jwk,) = [key for key in key_set["keys"] if key["kid"] == header["kid"]]
    signing_input = token.rsplit(".", 1)[0].encode()
    if jwk["kty"] == "RSA":
        assert header["alg"] == "RS256"
        numbers = rsa.RSAPublicNumbers(
            int.from_bytes(b64url_decode(jwk["e"])), int.from_bytes(b64url_decode(jwk["n"]))
        )
        numbers.public_key().verify(  # raises InvalidSignature
            signature, signing_input, padding.PKCS1v15(), hashes.SHA256()
        )
    else:
        assert header["alg"] == "EdDSA"
        public = Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))
        public.verify(signature, signing_input)  # raises InvalidSignature
    return payload


def thumbprint(jwk: dict) -> str:
    """RFC 7638: SHA-256 over the required members, in lexicographic order, no whitespace."""
    import hashlib

    names = ("e", "kty", "n") if jwk["kty"] == "RSA" else ("crv", "kty", "x")
    canonical = json.dumps({name: jwk[name] for name in names}, separators=(",", ":"))
    return b64url_encode(hashlib.sha256(canonical.encode()).digest())


def kid_url(value: str) -> str:
    return f"{SITE}/.well-known/jwks/{value}.json"


@pytest.fixture(autouse=True)
def issuer_settings(settings, tmp_path):
    settings.SITE_URL = SITE
    settings.CERTIFICATE_ISSUER_NAME = "Passerelle"
    settings.CERTIFICATE_ISSUER_KEY = ""
    settings.CERTIFICATE_ISSUER_KEY_FILE = tmp_path / "keys" / "issuer_key.pem"
    settings.CERTIFICATE_ISSUER_KEY_AUTOGENERATE = True
    settings.CERTIFICATE_JWT_ALG = "RS256"
    credentials.issuer_key_reset()
    yield settings
    credentials.issuer_key_reset()


@pytest.fixture(params=["RS256", "EdDSA"])
def alg(request, settings):
    """Each signing algorithm the setting offers."""
    settings.CERTIFICATE_JWT_ALG = request.param
    credentials.issuer_key_reset()
    return request.param


@pytest.fixture
def credential_data():
    return CredentialData(
        code="7KQ2-M9XD-3FHT",
        holder_name="Amina El Idrissi",
        course_title="Éducation financière",
        course_description="Gérer son budget et ses transferts d'argent.",
        criteria="Suivre les six leçons et réussir l'évaluation finale (70 % minimum).",
        competencies=["Établir un budget mensuel", "Comparer le coût des transferts"],
        hours=Decimal("6.00"),
        grade=Decimal("85.50"),
        language="fr",
        issued_at=datetime(2025, 3, 14, 9, 26, 53, 589000, tzinfo=UTC),
        valid_until=datetime(2028, 3, 14, 9, 26, 53, tzinfo=UTC),
        status_index=4242,
        achievement_id=f"{SITE}/achievements/3f1c6a0e-6f6e-4d1a-9a53-2f4c0f1d8b7e",
    )


@pytest.fixture(scope="module")
def ob_validator():
    from jsonschema import Draft201909Validator
    from referencing import Registry, Resource

    loaded = {
        name: json.loads((SCHEMAS / f"ob_v3p0_{name}.schema.json").read_text())
        for name in ("achievementcredential", "profile")
    }
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in loaded.values()
    )

    def validator(name: str) -> Draft201909Validator:
        schema = loaded[name]
        Draft201909Validator.check_schema(schema)
        return Draft201909Validator(
            schema, registry=registry, format_checker=Draft201909Validator.FORMAT_CHECKER
        )

    return validator


def assert_valid(validator, document):
    errors = sorted(validator.iter_errors(document), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


# --- The credential -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"grade": None, "hours": None, "valid_until": None, "competencies": []},
        {"language": "ar", "holder_name": "أمينة الإدريسي", "course_title": "التثقيف المالي"},
        {"language": "en", "criteria": "", "status_index": 0},
    ],
    ids=["full", "minimal", "arabic", "english-no-criteria"],
)
def test_credential_build_validates_against_ob3_schema(ob_validator, credential_data, changes):
    credential = credential_build(replace(credential_data, **changes))

    assert_valid(ob_validator("achievementcredential"), credential)
    json.dumps(credential)  # plain JSON: no Decimal or datetime left


def test_credential_build_shape(credential_data):
    credential = credential_build(credential_data)

    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["id"] == f"{SITE}/verify/7KQ2-M9XD-3FHT/credential.json"
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"] == {
        "id": f"{SITE}/issuer",
        "type": ["Profile"],
        "name": "Passerelle",
        "url": SITE,
    }
    assert credential["validFrom"] == "2025-03-14T09:26:53Z"
    assert credential["validUntil"] == "2028-03-14T09:26:53Z"
    subject = credential["credentialSubject"]
    assert subject["identifier"] == [
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": "Amina El Idrissi",
        }
    ]
    assert subject["licenseNumber"] == "7KQ2-M9XD-3FHT"
    achievement = subject["achievement"]
    assert achievement["id"] == credential_data.achievement_id
    assert achievement["achievementType"] == "Certificate"
    assert achievement["tag"] == credential_data.competencies
    for competency in credential_data.competencies:
        assert f"- {competency}" in achievement["criteria"]["narrative"]
    assert credential_data.criteria in achievement["criteria"]["narrative"]
    assert subject["result"][0]["value"] == "85.5"
    assert subject["result"][0]["resultDescription"] == achievement["resultDescription"][0]["id"]
    assert credential["credentialStatus"] == {
        "id": f"{SITE}/credentials/status/1#4242",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "4242",
        "statusListCredential": f"{SITE}/credentials/status/1",
    }


def test_credential_build_omits_optional_parts(credential_data):
    credential = credential_build(
        replace(credential_data, grade=None, valid_until=None, competencies=[])
    )

    assert "validUntil" not in credential
    assert "result" not in credential["credentialSubject"]
    assert "tag" not in credential["credentialSubject"]["achievement"]
    assert "resultDescription" not in credential["credentialSubject"]["achievement"]


def test_credential_build_rejects_naive_dates_and_bad_index(credential_data):
    with pytest.raises(ValueError):
        credential_build(replace(credential_data, issued_at=datetime(2025, 3, 14)))  # noqa: DTZ001
    with pytest.raises(ValueError):
        credential_build(replace(credential_data, status_index=credentials.STATUS_LIST_SIZE))


def test_issuer_profile_validates_against_profile_schema(ob_validator):
    document = issuer_profile(standalone=True)

    assert_valid(ob_validator("profile"), document)
    assert document["id"] == f"{SITE}/issuer"


# --- VC-JWT and JWKS ----------------------------------------------------------------------------


def test_credential_jwt_verifies_with_published_jwks(credential_data, alg):
    credential = credential_build(credential_data)
    token = credential_sign_jwt(credential)
    key_set = jwks()

    payload = verify_with_jwks(token, key_set)
    header, _, _ = jwt_parts(token)

    claims = {name: payload.pop(name) for name in ("iss", "jti", "nbf", "exp") if name in payload}
    assert payload == credential
    assert claims == {
        "iss": f"{SITE}/issuer",
        "jti": credential["id"],
        "nbf": int(datetime(2025, 3, 14, 9, 26, 53, tzinfo=UTC).timestamp()),
        "exp": int(datetime(2028, 3, 14, 9, 26, 53, tzinfo=UTC).timestamp()),
    }
    assert "sub" not in payload  # the subject has no id, only an identifier
    assert "vc" not in payload
    assert set(header) == {"alg", "typ", "kid", "jwk"}
    assert header["alg"] == alg
    assert header["typ"] == "JWT"
    assert "d" not in header["jwk"]
    assert header["kid"] == kid_url(thumbprint(header["jwk"]))


def test_credential_jwt_without_valid_until_has_no_exp(credential_data):
    token = credential_sign_jwt(credential_build(replace(credential_data, valid_until=None)))

    assert "exp" not in verify_with_jwks(token, jwks())


def test_jwks_publishes_the_public_key_with_thumbprint_kid(credential_data, alg):
    key_set = jwks()

    (jwk,) = key_set["keys"]
    if alg == "EdDSA":
        assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519"
        assert jwk["use"] == "sig" and jwk["alg"] == "EdDSA"
    else:
        assert jwk["kty"] == "RSA" and jwk["e"] == "AQAB"
        assert len(b64url_decode(jwk["n"])) * 8 >= 2048
        assert jwk["use"] == "sig" and jwk["alg"] == "RS256"
    assert "d" not in jwk and "p" not in jwk
    # The kid is a URL naming the RFC 7638 thumbprint (it serves that one JWK).
    assert jwk["kid"] == kid_url(thumbprint(jwk))

    header, _, _ = jwt_parts(credential_sign_jwt(credential_build(credential_data)))
    assert header["kid"] == jwk["kid"]
    public = "x" if alg == "EdDSA" else "n"
    assert header["jwk"][public] == jwk[public]


def test_credential_jwt_verifies_with_joserfc_keyset(credential_data):
    credential = credential_build(credential_data)

    payload = jwt_verify(credential_sign_jwt(credential), key_set=jwks())

    assert {k: v for k, v in payload.items() if k not in {"iss", "jti", "nbf", "exp"}} == credential


def test_tampered_credential_jwt_fails_verification(credential_data):
    token = credential_sign_jwt(credential_build(credential_data))
    header, payload, signature = token.split(".")
    forged = json.loads(b64url_decode(payload))
    forged["credentialSubject"]["identifier"][0]["identityHash"] = "Mallory"
    tampered = ".".join([header, b64url_encode(json.dumps(forged).encode()), signature])
    flipped = bytearray(b64url_decode(signature))
    flipped[0] ^= 0x01
    bad_signature = ".".join([header, payload, b64url_encode(bytes(flipped))])

    for bad in (tampered, bad_signature):
        with pytest.raises(InvalidSignature):
            verify_with_jwks(bad, jwks())
        with pytest.raises(ValueError):
            jwt_verify(bad)


def test_credential_jwt_does_not_verify_with_another_key(
    credential_data, settings, tmp_path, alg
):
    token = credential_sign_jwt(credential_build(credential_data))
    old_keys = jwks()
    settings.CERTIFICATE_ISSUER_KEY_FILE = tmp_path / "other.pem"
    credentials.issuer_key_reset()
    other_keys = jwks()
    other_keys["keys"][0]["kid"] = old_keys["keys"][0]["kid"]  # same kid, different key

    public = "x" if alg == "EdDSA" else "n"
    assert other_keys["keys"][0][public] != old_keys["keys"][0][public]
    with pytest.raises(InvalidSignature):
        verify_with_jwks(token, other_keys)
    with pytest.raises(ValueError):
        jwt_verify(token, key_set=other_keys)


# --- Bitstring Status List ----------------------------------------------------------------------


def test_status_list_round_trip():
    revoked = {0, 7, 8, 4242, 131071}
    listing = status_list_credential(revoked)

    assert listing["id"] == f"{SITE}/credentials/status/1"
    assert listing["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    subject = listing["credentialSubject"]
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == "revocation"
    encoded = subject["encodedList"]
    assert encoded.startswith("u") and "=" not in encoded
    bits = gzip.decompress(b64url_decode(encoded[1:]))
    assert len(bits) == 131072 // 8
    assert bits[0] == 0b1000_0001 and bits[1] == 0b1000_0000  # index 0 is the left-most bit
    for index in revoked:
        assert status_list_is_revoked(encoded, index)
    for index in (1, 6, 9, 4241, 4243, 131070):
        assert not status_list_is_revoked(encoded, index)


def test_status_list_matches_credential_status_entry(credential_data):
    entry = credential_build(credential_data)["credentialStatus"]
    listing = status_list_credential([credential_data.status_index])

    assert entry["statusListCredential"] == listing["id"]
    assert entry["statusPurpose"] == listing["credentialSubject"]["statusPurpose"]
    assert status_list_is_revoked(
        listing["credentialSubject"]["encodedList"], int(entry["statusListIndex"])
    )
    assert not status_list_is_revoked(
        status_list_credential([])["credentialSubject"]["encodedList"], 4242
    )


def test_status_list_rejects_bad_sizes_and_indices():
    with pytest.raises(ValueError):
        status_list_credential([], size=1024)  # below the 16 KB privacy minimum
    with pytest.raises(ValueError):
        status_list_credential([131072])
    with pytest.raises(ValueError):
        status_list_credential([-1])


def test_status_list_jwt_verifies(alg):
    valid_from = datetime(2025, 3, 14, 10, 0, tzinfo=UTC)
    token = status_list_jwt([3], valid_from=valid_from)

    payload = verify_with_jwks(token, jwks())
    assert payload["validFrom"] == "2025-03-14T10:00:00Z"
    assert payload["validUntil"] == "2025-03-15T10:00:00Z"  # one day, the default
    assert payload["nbf"] == int(valid_from.timestamp())
    assert payload["exp"] == int((valid_from + timedelta(days=1)).timestamp())
    assert payload["sub"] == f"{SITE}/credentials/status/1#list"
    assert status_list_is_revoked(payload["credentialSubject"]["encodedList"], 3)


# --- The issuer key -----------------------------------------------------------------------------


def test_issuer_key_generated_in_development_with_0600(settings, tmp_path, caplog):
    path = tmp_path / "var" / "dev_key.pem"
    settings.CERTIFICATE_ISSUER_KEY_FILE = path

    kid = jwks()["keys"][0]["kid"]

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "Generated a development issuer key" in caplog.text
    credentials.issuer_key_reset()
    assert jwks()["keys"][0]["kid"] == kid  # reloaded from the file, not regenerated


def test_issuer_key_missing_in_production_raises(settings, tmp_path):
    settings.DEBUG = False
    settings.CERTIFICATE_ISSUER_KEY_AUTOGENERATE = False
    settings.CERTIFICATE_ISSUER_KEY_FILE = tmp_path / "absent.pem"

    with pytest.raises(ImproperlyConfigured, match="certificate_issuer_key"):
        credentials.issuer_key()
    assert not (tmp_path / "absent.pem").exists()


def test_issuer_key_missing_under_production_settings_module_raises(
    settings, tmp_path, monkeypatch
):
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "lms.settings.production")
    del settings.CERTIFICATE_ISSUER_KEY_AUTOGENERATE
    settings.DEBUG = False
    settings.CERTIFICATE_ISSUER_KEY_FILE = tmp_path / "absent.pem"

    with pytest.raises(ImproperlyConfigured):
        credentials.issuer_key()


@pytest.mark.parametrize("key_alg", ["RS256", "EdDSA"])
def test_issuer_key_from_environment_pem_and_jwk(settings, key_alg):
    settings.CERTIFICATE_JWT_ALG = key_alg
    key = credentials.issuer_key_generate()
    expected_kid = kid_url(key.thumbprint())

    settings.CERTIFICATE_ISSUER_KEY = credentials.issuer_key_pem(key).replace("\n", "\\n")
    assert jwks()["keys"][0]["kid"] == expected_kid

    settings.CERTIFICATE_ISSUER_KEY = json.dumps(key.as_dict(private=True))
    assert jwks()["keys"][0]["kid"] == expected_kid
    assert not Path(settings.CERTIFICATE_ISSUER_KEY_FILE).exists()


@pytest.mark.parametrize(
    "kind", ["public-jwk", "p256-pem", "garbage", "rsa-1024-pem", "public-rsa-jwk"]
)
def test_issuer_key_rejects_wrong_keys(settings, kind):
    key = credentials.issuer_key_generate("EdDSA")
    settings.CERTIFICATE_ISSUER_KEY = {
        "public-jwk": json.dumps(key.as_dict(private=False)),
        "p256-pem": generate_private_key(SECP256R1())
        .private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        .decode(),
        "garbage": "not a key",
        "rsa-1024-pem": rsa.generate_private_key(public_exponent=65537, key_size=1024)
        .private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        .decode(),
        "public-rsa-jwk": json.dumps(credentials.issuer_key_generate("RS256").as_dict(
            private=False)),
    }[kind]

    with pytest.raises(ImproperlyConfigured, match="CERTIFICATE_ISSUER_KEY"):
        credentials.issuer_key()


# --- Management command -------------------------------------------------------------------------


def test_command_writes_key_file_0600_and_refuses_to_overwrite(settings, tmp_path):
    path = tmp_path / "secrets" / "issuer_key.pem"
    settings.CERTIFICATE_ISSUER_KEY_FILE = path
    out = StringIO()

    call_command("certificate_issuer_key", stdout=out)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    pem = path.read_text()
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    kid = jwks()["keys"][0]["kid"]
    assert f"kid: {kid}" in out.getvalue()

    with pytest.raises(CommandError, match="--force"):
        call_command("certificate_issuer_key", stdout=StringIO())
    assert path.read_text() == pem

    call_command("certificate_issuer_key", "--force", stdout=StringIO())
    assert path.read_text() != pem
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert jwks()["keys"][0]["kid"] != kid  # the command dropped the cached key
    assert [p.name for p in path.parent.iterdir()] == ["issuer_key.pem"]


def test_command_print_outputs_pem_only(settings, tmp_path):
    path = tmp_path / "issuer_key.pem"
    settings.CERTIFICATE_ISSUER_KEY_FILE = path
    out, err = StringIO(), StringIO()

    call_command("certificate_issuer_key", "--print", stdout=out, stderr=err)

    assert not path.exists()
    pem = out.getvalue()
    assert pem.startswith("-----BEGIN PRIVATE KEY-----") and pem.rstrip().endswith("-----")
    settings.CERTIFICATE_ISSUER_KEY = pem
    assert f"kid: {jwks()['keys'][0]['kid']}" in err.getvalue()


def test_key_file_is_not_world_readable_even_with_permissive_umask(settings, tmp_path):
    old = os.umask(0)
    try:
        settings.CERTIFICATE_ISSUER_KEY_FILE = tmp_path / "umask.pem"
        call_command("certificate_issuer_key", stdout=StringIO())
    finally:
        os.umask(old)

    assert stat.S_IMODE((tmp_path / "umask.pem").stat().st_mode) == 0o600


def test_credential_dates_are_rfc3339_with_z(credential_data):
    credential = credential_build(replace(credential_data, issued_at=datetime.now(UTC)))

    for field in ("validFrom", "validUntil", "awardedDate"):
        value = credential[field]
        assert value.endswith("Z")
        assert datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None
    assert datetime.fromisoformat(credential["validFrom"].replace("Z", "+00:00")) <= datetime.now(
        UTC
    ) + timedelta(seconds=1)


# --- RS256 next to an earlier Ed25519 key -------------------------------------------------------


def _legacy_eddsa_token(key, credential: dict) -> str:
    """A token as the previous release signed it: EdDSA, ``kid`` the bare thumbprint."""
    from joserfc import jws

    header = {"alg": "EdDSA", "typ": "JWT", "kid": key.thumbprint(),
              "jwk": {name: key.as_dict(private=False)[name] for name in ("kty", "crv", "x")}}
    payload = {**credential, **credentials.jwt_claims(credential)}
    return jws.serialize_compact(header, json.dumps(payload).encode(), key,
                                 algorithms=["EdDSA"], registry=credentials._REGISTRY)


def test_development_adds_an_rsa_key_to_an_ed25519_key_file(settings, tmp_path, credential_data,
                                                            caplog):
    path = tmp_path / "dev.pem"
    settings.CERTIFICATE_ISSUER_KEY_FILE = path
    old = credentials.issuer_key_generate("EdDSA")
    credentials.issuer_key_write(path, old)
    credential = credential_build(credential_data)
    legacy = _legacy_eddsa_token(old, credential)

    key_set = jwks()

    assert [key["alg"] for key in key_set["keys"]] == ["RS256", "EdDSA"]  # the signer first
    assert key_set["keys"][1]["kid"] == kid_url(old.thumbprint())
    assert path.read_text().count("-----BEGIN PRIVATE KEY-----") == 2
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "Added a development RS256 issuer key" in caplog.text
    token = credential_sign_jwt(credential)
    assert jwt_parts(token)[0]["alg"] == "RS256"
    assert verify_with_jwks(token, key_set)["id"] == credential["id"]
    # What the Ed25519 key signed before still verifies against the published set.
    assert jwt_verify(legacy, key_set=key_set)["id"] == credential["id"]
    credentials.issuer_key_reset()
    assert jwks() == key_set  # reloaded, nothing added twice


def test_production_with_only_an_ed25519_key_refuses_rs256(settings, tmp_path):
    settings.CERTIFICATE_ISSUER_KEY_AUTOGENERATE = False
    settings.DEBUG = False
    path = tmp_path / "prod.pem"
    credentials.issuer_key_write(path, credentials.issuer_key_generate("EdDSA"))
    settings.CERTIFICATE_ISSUER_KEY_FILE = path
    pem = path.read_text()

    with pytest.raises(ImproperlyConfigured, match="--add"):
        credentials.issuer_key()
    assert path.read_text() == pem  # nothing generated behind production's back

    settings.CERTIFICATE_JWT_ALG = "EdDSA"  # the option stays available
    assert jwks()["keys"][0]["alg"] == "EdDSA"


def test_environment_can_carry_both_keys(settings):
    rsa_key = credentials.issuer_key_generate("RS256")
    ed_key = credentials.issuer_key_generate("EdDSA")
    settings.CERTIFICATE_ISSUER_KEY = (
        credentials.issuer_key_pem(ed_key) + credentials.issuer_key_pem(rsa_key)
    ).replace("\n", "\\n")

    assert [key["kid"] for key in jwks()["keys"]] == [
        kid_url(rsa_key.thumbprint()), kid_url(ed_key.thumbprint())
    ]
    settings.CERTIFICATE_ISSUER_KEY = json.dumps(
        {"keys": [ed_key.as_dict(private=True), rsa_key.as_dict(private=True)]}
    )
    assert jwks()["keys"][0]["kid"] == kid_url(rsa_key.thumbprint())


def test_unknown_algorithm_setting_is_refused(settings):
    settings.CERTIFICATE_JWT_ALG = "HS256"

    with pytest.raises(ImproperlyConfigured, match="CERTIFICATE_JWT_ALG"):
        credentials.issuer_key()


def test_token_with_another_algorithm_than_its_key_is_refused(credential_data):
    token = credential_sign_jwt(credential_build(credential_data))
    key_set = jwks()
    key_set["keys"][0]["kty"] = "OKP"

    with pytest.raises(ValueError):
        jwt_verify(token, key_set=key_set)


def test_command_add_keeps_the_earlier_keys(settings, tmp_path):
    path = tmp_path / "issuer_key.pem"
    settings.CERTIFICATE_ISSUER_KEY_FILE = path
    settings.CERTIFICATE_ISSUER_KEY_AUTOGENERATE = False  # as in production
    call_command("certificate_issuer_key", "--alg", "EdDSA", stdout=StringIO())
    settings.CERTIFICATE_JWT_ALG = "EdDSA"
    old_kid = jwks()["keys"][0]["kid"]
    settings.CERTIFICATE_JWT_ALG = "RS256"
    out = StringIO()

    call_command("certificate_issuer_key", "--add", stdout=out)

    key_set = jwks()
    assert [key["alg"] for key in key_set["keys"]] == ["RS256", "EdDSA"]
    assert key_set["keys"][1]["kid"] == old_kid
    assert f"kid: {key_set['keys'][0]['kid']}" in out.getvalue()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# --- The signed status list is republished before it lapses -------------------------------------


def test_published_status_list_is_reused_until_the_list_changes(settings):
    from django.core.cache import cache

    cache.clear()
    first = credentials.status_list_jwt_published([3, 5])

    assert credentials.status_list_jwt_published([5, 3]) == first  # cached, not re-signed
    changed = credentials.status_list_jwt_published([3, 5, 8])
    assert changed != first
    assert status_list_is_revoked(
        jwt_verify(changed)["credentialSubject"]["encodedList"], 8
    )
    payload = jwt_verify(first)
    lifetime = _numeric(payload["validUntil"]) - _numeric(payload["validFrom"])
    assert lifetime == settings.CERTIFICATE_STATUS_LIST_VALIDITY
    # The cached copy is replaced well before it lapses.
    assert credentials.status_list_refresh() <= lifetime / 4


def test_status_list_refresh_stays_below_validity(settings):
    settings.CERTIFICATE_STATUS_LIST_VALIDITY = 600
    settings.CERTIFICATE_STATUS_LIST_REFRESH = 3600  # misconfigured: longer than validity

    assert credentials.status_list_refresh() == 150


def _numeric(value: str) -> int:
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())
