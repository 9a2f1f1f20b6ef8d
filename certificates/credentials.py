"""Open Badges 3.0 credentials for certificates: build, sign, publish the key and the status list.

Pure functions over a frozen :class:`CredentialData` snapshot; no database access here.

Shapes and the choices behind them:

* **Credential**: an ``OpenBadgeCredential`` in the W3C VC Data Model 2.0 as profiled by
  1EdTech Open Badges 3.0, valid against 1EdTech's JSON schema. Its ``id`` is the public,
  dereferenceable ``{SITE_URL}/verify/<code>/credential.json``; the issuer is an embedded
  ``Profile`` whose ``id`` is ``{SITE_URL}/issuer``.
* **Holder**: OB 3.0 has no ``name`` on ``AchievementSubject``, and a subject without ``id`` MUST
  carry an ``identifier``. The holder's name goes there as an ``IdentityObject``
  (``identityType`` "name", ``hashed`` false): the public verification page already shows the
  name, so hashing it would hide nothing; no e-mail or other personal data is included.
* **Certificate code**: it names one award, not the achievement, so it is in the credential
  ``id`` and in ``credentialSubject.licenseNumber`` (the per-award number OB 3.0 provides), not in
  ``achievement.humanCode``, which would differ between holders of the same achievement.
* **Competencies**: they have no framework URL, which ``Alignment`` requires, so they are
  ``achievement.tag`` entries and a Markdown list in ``criteria.narrative`` (with the hours).
* **VC-JWT**: OB 3.0 §8.2 "JSON Web Token Proof Format" (the 2024 text, VCDM 2.0 /
  VC-JOSE-COSE): the JWT payload IS the credential, with the registered claims ``iss``
  (issuer.id), ``jti`` (id), ``nbf`` (validFrom), ``exp`` (validUntil, when set) and ``sub``
  (credentialSubject.id, only when the subject has one, which ours does not) added at the top
  level; there is no VCDM 1.1 ``vc`` wrapper. The JOSE header is exactly the set OB 3.0 allows:
  ``alg`` "EdDSA", ``typ`` "JWT" (OB 3.0 says "If present, MUST be set to JWT"; VC-JOSE-COSE's
  ``vc+jwt`` would break OB 3.0 verifiers), ``kid`` (the RFC 7638 thumbprint, also the ``kid`` in
  ``/.well-known/jwks.json``) and ``jwk`` (the public key, so OB 3.0 verifiers that do not
  dereference a bare ``kid`` can still check the signature, then match it against the JWKS).
  "EdDSA" rather than RFC 9864's "Ed25519": wallets and OB verifiers do not know the new name yet.
* **Status list**: W3C Bitstring Status List v1.0, one list of 131,072 entries (the 16 KB minimum)
  at ``{SITE_URL}/credentials/status/1``; a set bit means revoked.

Key: ``settings.CERTIFICATE_ISSUER_KEY`` (PEM or JWK JSON of an Ed25519 private key), else the PEM
file ``settings.CERTIFICATE_ISSUER_KEY_FILE``, made by ``manage.py certificate_issuer_key``. When
neither exists, development and test settings generate the file; any other settings refuse to
start signing (``ImproperlyConfigured``), because a silently generated key in production would
make every credential unverifiable after the next deploy.
"""

from __future__ import annotations

import base64
import functools
import gzip
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext
from joserfc import jws
from joserfc.errors import JoseError, UnsupportedAlgorithmError
from joserfc.jwk import OKPKey
from joserfc.jws import JWSAlgModel, JWSRegistry

logger = logging.getLogger(__name__)

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA_URL = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
JWT_ALG = "EdDSA"
JWT_TYP = "JWT"
STATUS_LIST_SIZE = 131072  # Bitstring Status List v1.0: at least 16 KB uncompressed, for privacy
STATUS_PURPOSE = "revocation"
_JWT_CLAIMS = ("iss", "jti", "nbf", "exp", "sub")


@dataclass(frozen=True)
class CredentialData:
    """The immutable facts one credential asserts, taken from a certificate's snapshot."""

    code: str  # verification code, e.g. "7KQ2-M9XD-3FHT"
    holder_name: str
    course_title: str
    course_description: str
    criteria: str  # narrative: what the holder had to do
    competencies: list[str]
    hours: Decimal | None
    grade: Decimal | None
    language: str  # "fr" | "en" | "ar"
    issued_at: datetime  # aware
    valid_until: datetime | None  # aware
    status_index: int  # position in the platform's status list (unique per certificate)
    achievement_id: str  # stable URL of the module's achievement


# --- URLs and the issuer ------------------------------------------------------------------------


def _site_url() -> str:
    return str(settings.SITE_URL).rstrip("/")


def credential_url(code: str) -> str:
    """The public URL of a certificate's credential, also its ``id``."""
    return f"{_site_url()}/verify/{quote(code, safe='-')}/credential.json"


def issuer_id() -> str:
    return f"{_site_url()}/issuer"


def status_list_url() -> str:
    return f"{_site_url()}/credentials/status/1"


def issuer_profile(*, standalone: bool = False) -> dict[str, Any]:
    """The issuer ``Profile``; ``standalone`` adds ``@context`` for serving it at ``/issuer``."""
    profile: dict[str, Any] = {
        "id": issuer_id(),
        "type": ["Profile"],
        "name": settings.CERTIFICATE_ISSUER_NAME,
        "url": _site_url(),
    }
    if standalone:
        return {"@context": [VC_CONTEXT, OB_CONTEXT], **profile}
    return profile


# --- Building the credential --------------------------------------------------------------------


def _datetime_z(value: datetime) -> str:
    if timezone.is_naive(value):
        raise ValueError("Credential dates must be timezone-aware.")
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _decimal_text(value: Decimal) -> str:
    # "85.00" -> "85", "12.50" -> "12.5", never "1E+2".
    return f"{value.normalize():f}"


def _criteria_narrative(data: CredentialData) -> str:
    parts = [data.criteria.strip()] if data.criteria.strip() else []
    if data.hours is not None:
        parts.append(
            gettext("Learning time: %(hours)s hours") % {"hours": _decimal_text(data.hours)}
        )
    if data.competencies:
        items = "\n".join(f"- {competency}" for competency in data.competencies)
        parts.append(f"{gettext('Competencies')}:\n\n{items}")
    return "\n\n".join(parts) or data.course_description


def credential_build(data: CredentialData) -> dict[str, Any]:
    """The unsigned ``OpenBadgeCredential`` (VCDM 2.0) for one certificate."""
    if not 0 <= data.status_index < STATUS_LIST_SIZE:
        raise ValueError(f"status_index must be in [0, {STATUS_LIST_SIZE}).")
    with translation.override(data.language):
        achievement: dict[str, Any] = {
            "id": data.achievement_id,
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": data.course_title,
            "description": data.course_description,
            "criteria": {"narrative": _criteria_narrative(data)},
            "inLanguage": data.language,
        }
        if data.competencies:
            achievement["tag"] = list(data.competencies)
        subject: dict[str, Any] = {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": data.holder_name,
                }
            ],
            "licenseNumber": data.code,
            "achievement": achievement,
        }
        if data.grade is not None:
            score_id = f"{data.achievement_id}#final-score"
            achievement["resultDescription"] = [
                {
                    "id": score_id,
                    "type": ["ResultDescription"],
                    "name": gettext("Final assessment score"),
                    "resultType": "Percent",
                    "valueMin": "0",
                    "valueMax": "100",
                }
            ]
            subject["result"] = [
                {
                    "type": ["Result"],
                    "resultDescription": score_id,
                    "value": _decimal_text(data.grade),
                }
            ]

    valid_from = _datetime_z(data.issued_at)
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_url(data.code),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": data.course_title,
        "description": data.course_description,
        "issuer": issuer_profile(),
        "validFrom": valid_from,
        "awardedDate": valid_from,
        "credentialSubject": subject,
        "credentialSchema": [{"id": OB_SCHEMA_URL, "type": "1EdTechJsonSchemaValidator2019"}],
        "credentialStatus": {
            "id": f"{status_list_url()}#{data.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": STATUS_PURPOSE,
            "statusListIndex": str(data.status_index),
            "statusListCredential": status_list_url(),
        },
    }
    if data.valid_until is not None:
        credential["validUntil"] = _datetime_z(data.valid_until)
    return credential


# --- Signing ------------------------------------------------------------------------------------


class _EdDSARegistry(JWSRegistry):
    """Allows only "EdDSA", without joserfc's RFC 9864 deprecation warning on every call."""

    def get_alg(self, name: str) -> JWSAlgModel:
        if name != JWT_ALG:
            raise UnsupportedAlgorithmError(f"Algorithm of '{name}' is not allowed")
        return self.algorithms[name]


_REGISTRY = _EdDSARegistry(algorithms=[JWT_ALG])


def _numeric_date(value: str) -> int:
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


def _issuer_of(credential: dict[str, Any]) -> str:
    issuer = credential["issuer"]
    return issuer if isinstance(issuer, str) else issuer["id"]


def jwt_claims(credential: dict[str, Any]) -> dict[str, Any]:
    """The registered JWT claims OB 3.0 §8.2 derives from a credential."""
    claims: dict[str, Any] = {
        "iss": _issuer_of(credential),
        "jti": credential["id"],
        "nbf": _numeric_date(credential["validFrom"]),
    }
    if "validUntil" in credential:
        claims["exp"] = _numeric_date(credential["validUntil"])
    subject = credential.get("credentialSubject")
    if isinstance(subject, dict) and subject.get("id"):
        claims["sub"] = subject["id"]
    return claims


def credential_sign_jwt(credential: dict[str, Any]) -> str:
    """The credential as a VC-JWT: compact JWS, EdDSA, payload = credential + JWT claims."""
    if any(claim in credential for claim in _JWT_CLAIMS):
        raise ValueError("The credential already carries JWT claims.")
    key = issuer_key()
    public = public_jwk()
    header = {
        "alg": JWT_ALG,
        "typ": JWT_TYP,
        "kid": public["kid"],
        "jwk": {name: public[name] for name in ("kty", "crv", "x")},
    }
    payload = {**credential, **jwt_claims(credential)}
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return jws.serialize_compact(header, body, key, algorithms=[JWT_ALG], registry=_REGISTRY)


def jwt_verify(token: str, *, key_set: dict[str, Any] | None = None) -> dict[str, Any]:
    """The verified payload of a JWT signed by the issuer key (or by a key in ``key_set``).

    Raises ``ValueError`` when the signature, the key or the algorithm is wrong.
    """
    keys = (key_set or jwks())["keys"]
    try:
        header = jws.extract_compact(token.encode()).headers()
        matching = [item for item in keys if item.get("kid") == header.get("kid")]
        if not matching:
            raise ValueError("No key in the key set matches the token's kid.")
        public_key = OKPKey.import_key(matching[0])
        verified = jws.deserialize_compact(
            token, public_key, algorithms=[JWT_ALG], registry=_REGISTRY
        )
    except (JoseError, ValueError) as exc:
        raise ValueError(f"Invalid credential token: {exc}") from exc
    return json.loads(verified.payload)


# --- The issuer key -----------------------------------------------------------------------------


def issuer_key_generate() -> OKPKey:
    return OKPKey.import_key(Ed25519PrivateKey.generate())


def issuer_key_pem(key: OKPKey) -> str:
    """PKCS#8 PEM of the private key, for the key file or the environment."""
    private = key.private_key
    assert private is not None
    return private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def issuer_key_write(path: Path, key: OKPKey, *, overwrite: bool = False) -> None:
    """Write the key as PEM, readable by its owner only (0600); refuse to replace unless told."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = issuer_key_pem(key).encode()
    if not overwrite:
        # O_EXCL: two processes generating at once cannot both win.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _key_from_text(text: str, source: str) -> OKPKey:
    text = text.strip()
    try:
        if text.startswith("{"):
            key = OKPKey.import_key(json.loads(text))
        elif "-----BEGIN" in text:
            # One-line environment variables often carry the PEM with literal "\n".
            key = OKPKey.import_key(text.replace("\\n", "\n").encode())
        else:
            raise ValueError("expected a PEM block or a JWK JSON object")
    except (ValueError, TypeError, JoseError) as exc:
        raise ImproperlyConfigured(f"{source} is not an Ed25519 private key: {exc}") from exc
    if key.curve_name != "Ed25519" or not key.is_private:
        raise ImproperlyConfigured(f"{source} must be an Ed25519 private key.")
    return key


def _autogenerate_allowed() -> bool:
    explicit = getattr(settings, "CERTIFICATE_ISSUER_KEY_AUTOGENERATE", None)
    if explicit is not None:
        return bool(explicit)
    # The environment, not settings.SETTINGS_MODULE, which reads None under override_settings.
    module = os.environ.get("DJANGO_SETTINGS_MODULE", "").rsplit(".", 1)[-1]
    return bool(settings.DEBUG) or module in {"test", "tests"}


@functools.lru_cache(maxsize=1)
def issuer_key() -> OKPKey:
    """The issuer's Ed25519 private key, loaded once per process."""
    configured = getattr(settings, "CERTIFICATE_ISSUER_KEY", "") or ""
    if configured.strip():
        return _key_from_text(configured, "CERTIFICATE_ISSUER_KEY")
    key_file = getattr(settings, "CERTIFICATE_ISSUER_KEY_FILE", None)
    path = Path(key_file) if key_file else None
    if path is not None and path.exists():
        if path.stat().st_mode & 0o077:
            logger.warning("Issuer key file %s is readable by other users; chmod 600 it.", path)
        return _key_from_text(path.read_text(), f"CERTIFICATE_ISSUER_KEY_FILE ({path})")
    if path is None or not _autogenerate_allowed():
        raise ImproperlyConfigured(
            "No Open Badges issuer key: set CERTIFICATE_ISSUER_KEY (PEM or JWK JSON of an Ed25519 "
            "private key) or run `manage.py certificate_issuer_key` to create "
            f"CERTIFICATE_ISSUER_KEY_FILE ({path})."
        )
    key = issuer_key_generate()
    try:
        issuer_key_write(path, key)
    except FileExistsError:  # another process generated it first: use theirs
        return _key_from_text(path.read_text(), f"CERTIFICATE_ISSUER_KEY_FILE ({path})")
    logger.warning(
        "Generated a development issuer key in %s (kid %s). Production must configure its own.",
        path,
        key.thumbprint(),
    )
    return key


def issuer_key_reset() -> None:
    """Forget the cached key (tests, or after the command wrote a new one)."""
    issuer_key.cache_clear()


@receiver(setting_changed)
def _issuer_key_setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CERTIFICATE_ISSUER_KEY") or setting == "DEBUG":
        issuer_key_reset()


def public_jwk() -> dict[str, Any]:
    """The issuer's public key as a JWK, ``kid`` being its RFC 7638 thumbprint."""
    key = issuer_key()
    public = key.as_dict(private=False)
    return {
        "kty": public["kty"],
        "crv": public["crv"],
        "x": public["x"],
        "kid": key.thumbprint(),
        "use": "sig",
        "alg": JWT_ALG,
    }


def jwks() -> dict[str, Any]:
    """The JWK Set published at ``/.well-known/jwks.json``."""
    return {"keys": [public_jwk()]}


# --- Bitstring Status List ----------------------------------------------------------------------


def _status_bits(revoked_indices: Iterable[int], size: int) -> bytes:
    if size < STATUS_LIST_SIZE or size % 8:
        raise ValueError(f"size must be a multiple of 8 and at least {STATUS_LIST_SIZE}.")
    bits = bytearray(size // 8)
    for index in revoked_indices:
        if not 0 <= index < size:
            raise ValueError(f"Status index {index} is outside the list of {size} entries.")
        # Index 0 is the most significant (left-most) bit of the first byte.
        bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


def status_list_encode(revoked_indices: Iterable[int], size: int = STATUS_LIST_SIZE) -> str:
    """``encodedList``: multibase base64url (``u``, no padding) of the GZIP-compressed bitstring."""
    compressed = gzip.compress(_status_bits(revoked_indices, size), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def status_list_is_revoked(encoded_list: str, index: int) -> bool:
    """Whether bit ``index`` is set in an ``encodedList`` (what a verifier does)."""
    if not encoded_list.startswith("u"):
        raise ValueError("encodedList must be multibase base64url (prefix 'u').")
    body = encoded_list[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    if not 0 <= index < len(bits) * 8:
        raise ValueError(f"Status index {index} is outside the list.")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(
    revoked_indices: Iterable[int],
    size: int = STATUS_LIST_SIZE,
    *,
    valid_from: datetime | None = None,
) -> dict[str, Any]:
    """The platform's ``BitstringStatusListCredential`` (revocation), unsigned."""
    list_id = status_list_url()
    return {
        "@context": [VC_CONTEXT],
        "id": list_id,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_profile(),
        "validFrom": _datetime_z(valid_from or timezone.now()),
        "credentialSubject": {
            "id": f"{list_id}#list",
            "type": "BitstringStatusList",
            "statusPurpose": STATUS_PURPOSE,
            "encodedList": status_list_encode(revoked_indices, size),
        },
    }


def status_list_jwt(
    revoked_indices: Iterable[int],
    size: int = STATUS_LIST_SIZE,
    *,
    valid_from: datetime | None = None,
) -> str:
    """The status list credential signed like the certificates' credentials."""
    return credential_sign_jwt(status_list_credential(revoked_indices, size, valid_from=valid_from))
