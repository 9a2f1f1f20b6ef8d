"""Open Badges 3.0 credentials for certificates: build, sign, publish the keys and the status list.

Functions over a frozen :class:`CredentialData` snapshot (``credential_data_for`` takes it from a
certificate); no database access here (the cache keeps the signed status list).

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
  (credentialSubject.id, only when the subject has one) added at the top level; there is no
  VCDM 1.1 ``vc`` wrapper. The JOSE header is exactly the set OB 3.0 allows: ``alg``, ``typ``
  "JWT" (OB 3.0 says "If present, MUST be set to JWT"; VC-JOSE-COSE's ``vc+jwt`` would break
  OB 3.0 verifiers), ``kid`` and ``jwk`` (the public key, for verifiers that do not dereference
  ``kid``; they then match it against the key set).
* **Algorithm**: ``settings.CERTIFICATE_JWT_ALG``, "RS256" by default because OB 3.0 §8.2 makes
  RS256 the minimum every verifier supports (1EdTech's validator accepts only RS256 and ES256);
  "EdDSA" (Ed25519) stays available. "EdDSA" rather than RFC 9864's "Ed25519": wallets and OB
  verifiers do not know the new name yet.
* **Keys**: every configured key is published in ``/.well-known/jwks.json``, so tokens signed
  with an earlier key (an Ed25519 key before RS256) keep verifying. A key's ``kid`` is a URL,
  ``{SITE_URL}/.well-known/jwks/<RFC 7638 thumbprint>.json``, which serves that one JWK; tokens
  signed before kids were URLs carry the bare thumbprint, which ``jwt_verify`` also accepts.
* **Status list**: W3C Bitstring Status List v1.0, one list of 131,072 entries (the 16 KB minimum)
  at ``{SITE_URL}/credentials/status/1``; a set bit means revoked. It is also served signed (a
  VC-JWT like the credentials), valid for ``CERTIFICATE_STATUS_LIST_VALIDITY`` seconds, so a
  verifier can refuse a stale copy; ``status_list_jwt_published`` re-signs it when the list
  changes and at the latest every ``CERTIFICATE_STATUS_LIST_REFRESH`` seconds (shorter).

Key material: ``settings.CERTIFICATE_ISSUER_KEY`` (one or more PEM blocks, a JWK or a JWK Set of
RSA (2048 bits or more) or Ed25519 private keys), else the PEM file
``settings.CERTIFICATE_ISSUER_KEY_FILE``, made by ``manage.py certificate_issuer_key``. The first
key of the type ``CERTIFICATE_JWT_ALG`` needs signs. When no key file exists, development and
test settings generate it (and add a key of the needed type to an existing file); any other
settings refuse to sign (``ImproperlyConfigured``), because a silently generated key in
production would make every credential unverifiable after the next deploy.
"""

from __future__ import annotations

import base64
import fcntl
import functools
import gzip
import hashlib
import json
import logging
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext
from joserfc import jws
from joserfc.errors import JoseError, UnsupportedAlgorithmError
from joserfc.jwk import JWKRegistry, OKPKey, RSAKey
from joserfc.jws import JWSAlgModel, JWSRegistry

if TYPE_CHECKING:
    from .models import Certificate

logger = logging.getLogger(__name__)

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA_URL = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
# Signing algorithm -> the JWK key type ("kty") it needs.
JWT_ALGORITHMS = {"RS256": "RSA", "EdDSA": "OKP"}
JWT_TYP = "JWT"
RSA_KEY_BITS = 2048  # what RS256 verifiers expect; shorter keys are refused
STATUS_LIST_SIZE = 131072  # Bitstring Status List v1.0: at least 16 KB uncompressed, for privacy
STATUS_PURPOSE = "revocation"
_JWT_CLAIMS = ("iss", "jti", "nbf", "exp", "sub")

IssuerKey = RSAKey | OKPKey


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


def achievement_url(key: str) -> str:
    return f"{_site_url()}/achievements/{key}"


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


def credential_data_for(certificate: Certificate) -> CredentialData:
    """The public facts of a certificate's snapshot (the score stays private)."""
    with translation.override(certificate.language):
        if certificate.membership_id is not None:  # an attestation of participation
            criteria = gettext(
                "Attended the workshops of “%(title)s” (%(attended)s sessions)."
            ) % {"title": certificate.course_title, "attended": certificate.sessions_attended}
        else:
            criteria = gettext(
                "Completed every required lesson of the module “%(title)s” and passed its final "
                "assessment."
            ) % {"title": certificate.course_title}
    return CredentialData(
        code=certificate.display_code,
        holder_name=certificate.holder_name,
        course_title=certificate.course_title,
        course_description=certificate.course_description or certificate.course_title,
        criteria=criteria,
        competencies=list(certificate.competencies or []),
        hours=certificate.hours,
        grade=None,  # public pages show nothing personal beyond the name
        language=certificate.language,
        issued_at=certificate.created_at,
        valid_until=certificate.expires_at,
        status_index=certificate.status_index,
        achievement_id=achievement_url(certificate.achievement_key),
    )


def credential_for(certificate: Certificate) -> dict[str, Any]:
    """The unsigned credential a certificate's public URLs serve."""
    return credential_build(credential_data_for(certificate))


# --- Signing ------------------------------------------------------------------------------------


class _Registry(JWSRegistry):
    """Allows RS256 and EdDSA only, without joserfc's RFC 9864 deprecation warning on EdDSA;
    room in the header for an RSA public key (``jwk``)."""

    max_header_length = 2048

    def get_alg(self, name: str) -> JWSAlgModel:
        if name not in JWT_ALGORITHMS:
            raise UnsupportedAlgorithmError(f"Algorithm of '{name}' is not allowed")
        return self.algorithms[name]


_REGISTRY = _Registry(algorithms=list(JWT_ALGORITHMS))


def jwt_alg() -> str:
    """The algorithm new tokens are signed with (``settings.CERTIFICATE_JWT_ALG``)."""
    alg = getattr(settings, "CERTIFICATE_JWT_ALG", "RS256")
    if alg not in JWT_ALGORITHMS:
        raise ImproperlyConfigured(
            f"CERTIFICATE_JWT_ALG must be one of {', '.join(JWT_ALGORITHMS)}, not {alg!r}."
        )
    return alg


def key_alg(key: IssuerKey) -> str:
    return "RS256" if isinstance(key, RSAKey) else "EdDSA"


def _alg_for_kty(kty: str) -> str:
    for alg, key_type in JWT_ALGORITHMS.items():
        if key_type == kty:
            return alg
    raise ValueError(f"No signing algorithm for key type {kty!r}.")


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
    """The credential as a VC-JWT: compact JWS, payload = credential + JWT claims."""
    if any(claim in credential for claim in _JWT_CLAIMS):
        raise ValueError("The credential already carries JWT claims.")
    key = issuer_key()
    alg = key_alg(key)
    public = public_jwk(key)
    header = {
        "alg": alg,
        "typ": JWT_TYP,
        "kid": public["kid"],
        "jwk": _public_members(key),
    }
    payload = {**credential, **jwt_claims(credential)}
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return jws.serialize_compact(header, body, key, algorithms=[alg], registry=_REGISTRY)


def _kid_matches(published: str | None, token_kid: str | None) -> bool:
    if not published or not token_kid:
        return False
    # Tokens signed before kids were URLs name the key by its bare thumbprint.
    return token_kid in (published, published.rsplit("/", 1)[-1].removesuffix(".json"))


def jwt_verify(token: str, *, key_set: dict[str, Any] | None = None) -> dict[str, Any]:
    """The verified payload of a JWT signed by an issuer key (or by a key in ``key_set``).

    Raises ``ValueError`` when the signature, the key or the algorithm is wrong.
    """
    keys = (key_set or jwks())["keys"]
    try:
        header = jws.extract_compact(token.encode(), registry=_REGISTRY).headers()
        matching = [item for item in keys if _kid_matches(item.get("kid"), header.get("kid"))]
        if not matching:
            raise ValueError("No key in the key set matches the token's kid.")
        public_key = JWKRegistry.import_key(matching[0])
        alg = _alg_for_kty(matching[0]["kty"])
        if header.get("alg") != alg:
            raise ValueError(f"The token's algorithm is not {alg}, the key's.")
        verified = jws.deserialize_compact(token, public_key, algorithms=[alg], registry=_REGISTRY)
    except (JoseError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"Invalid credential token: {exc}") from exc
    return json.loads(verified.payload)


# --- The issuer keys ----------------------------------------------------------------------------


def issuer_key_generate(alg: str | None = None) -> IssuerKey:
    """A new private key for ``alg`` (default: the configured algorithm)."""
    if (alg or jwt_alg()) == "RS256":
        return RSAKey.import_key(rsa.generate_private_key(public_exponent=65537,
                                                          key_size=RSA_KEY_BITS))
    return OKPKey.import_key(Ed25519PrivateKey.generate())


def issuer_key_pem(key: IssuerKey) -> str:
    """PKCS#8 PEM of the private key, for the key file or the environment."""
    private = key.private_key
    assert private is not None
    return private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def _pems(keys: IssuerKey | Sequence[IssuerKey]) -> bytes:
    keys = [keys] if isinstance(keys, RSAKey | OKPKey) else list(keys)
    return "".join(issuer_key_pem(key) for key in keys).encode()


def issuer_key_write(
    path: Path, keys: IssuerKey | Sequence[IssuerKey], *, overwrite: bool = False
) -> None:
    """Write the key(s) as PEM, readable by the owner only (0600); refuse to replace unless told."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = _pems(keys)
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


def issuer_key_append(path: Path, *, alg: str, source: str, only_if_missing: bool) -> IssuerKey:
    """Add a new ``alg`` key at the end of the key file (the earlier keys stay published).

    Under an exclusive lock, so that processes starting together add one key, not one each.
    With ``only_if_missing``, an ``alg`` key already in the file is returned instead.
    """
    with open(path, "r+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        keys = _keys_from_text(handle.read().decode(), source)
        existing = [key for key in keys if key_alg(key) == alg]
        if only_if_missing and existing:
            return existing[0]
        key = issuer_key_generate(alg)
        handle.seek(0, os.SEEK_END)
        handle.write(b"\n" + _pems(key))
        handle.flush()
        os.fsync(handle.fileno())
        return key


_PEM_BLOCK = re.compile(r"-----BEGIN [A-Z0-9 ]+-----.+?-----END [A-Z0-9 ]+-----", re.S)


def _key_checked(key: Any, source: str) -> IssuerKey:
    if isinstance(key, RSAKey) and key.is_private:
        size = key.private_key.key_size  # type: ignore[union-attr]
        if size < RSA_KEY_BITS:
            raise ImproperlyConfigured(f"{source}: an RSA key of {size} bits is too short.")
        return key
    if isinstance(key, OKPKey) and key.is_private and key.curve_name == "Ed25519":
        return key
    raise ImproperlyConfigured(f"{source} must hold RSA or Ed25519 private keys only.")


def _keys_from_text(text: str, source: str) -> list[IssuerKey]:
    text = text.strip()
    try:
        if text.startswith("{"):
            data = json.loads(text)
            items = data["keys"] if isinstance(data.get("keys"), list) else [data]
            keys = [JWKRegistry.import_key(item) for item in items]
        elif "-----BEGIN" in text:
            # One-line environment variables often carry the PEM with literal "\n".
            blocks = _PEM_BLOCK.findall(text.replace("\\n", "\n"))
            keys = []
            for block in blocks:
                private = serialization.load_pem_private_key(block.encode(), password=None)
                if isinstance(private, rsa.RSAPrivateKey):
                    if private.key_size < RSA_KEY_BITS:
                        raise ImproperlyConfigured(
                            f"{source}: an RSA key of {private.key_size} bits is too short."
                        )
                    keys.append(RSAKey.import_key(private))
                elif isinstance(private, Ed25519PrivateKey):
                    keys.append(OKPKey.import_key(private))
                else:
                    raise ValueError(f"unsupported key type {type(private).__name__}")
        else:
            raise ValueError("expected PEM blocks or a JWK (Set) JSON object")
    except ImproperlyConfigured:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, JoseError) as exc:
        raise ImproperlyConfigured(
            f"{source} is not an RSA or Ed25519 private key: {exc}"
        ) from exc
    if not keys:
        raise ImproperlyConfigured(f"{source} holds no key.")
    return [_key_checked(key, source) for key in keys]


def _autogenerate_allowed() -> bool:
    explicit = getattr(settings, "CERTIFICATE_ISSUER_KEY_AUTOGENERATE", None)
    if explicit is not None:
        return bool(explicit)
    # The environment, not settings.SETTINGS_MODULE, which reads None under override_settings.
    module = os.environ.get("DJANGO_SETTINGS_MODULE", "").rsplit(".", 1)[-1]
    return bool(settings.DEBUG) or module in {"test", "tests"}


def _missing_key_message(source: str, alg: str) -> str:
    kind = "an RSA" if alg == "RS256" else "an Ed25519"
    return (
        f"No Open Badges issuer key for {alg}: {source} needs {kind} private key. Set "
        "CERTIFICATE_ISSUER_KEY (PEM blocks or JWK JSON) or run `manage.py "
        "certificate_issuer_key --add` to add one to CERTIFICATE_ISSUER_KEY_FILE (earlier keys "
        "stay published, so what they signed keeps verifying)."
    )


@functools.lru_cache(maxsize=1)
def issuer_keys() -> tuple[IssuerKey, ...]:
    """Every issuer private key, loaded once per process; the signing key first."""
    alg = jwt_alg()
    configured = getattr(settings, "CERTIFICATE_ISSUER_KEY", "") or ""
    if configured.strip():
        keys = _keys_from_text(configured, "CERTIFICATE_ISSUER_KEY")
        source = "CERTIFICATE_ISSUER_KEY"
    else:
        key_file = getattr(settings, "CERTIFICATE_ISSUER_KEY_FILE", None)
        path = Path(key_file) if key_file else None
        source = f"CERTIFICATE_ISSUER_KEY_FILE ({path})"
        if path is not None and path.exists():
            if path.stat().st_mode & 0o077:
                logger.warning("Issuer key file %s is readable by other users; chmod 600 it.",
                               path)
            keys = _keys_from_text(path.read_text(), source)
            if not any(key_alg(key) == alg for key in keys) and _autogenerate_allowed():
                key = issuer_key_append(path, alg=alg, source=source, only_if_missing=True)
                keys = _keys_from_text(path.read_text(), source)
                logger.warning("Added a development %s issuer key to %s (kid %s).", alg, path,
                               key.thumbprint())
        elif path is None or not _autogenerate_allowed():
            raise ImproperlyConfigured(_missing_key_message(source, alg))
        else:
            key = issuer_key_generate(alg)
            try:
                issuer_key_write(path, key)
            except FileExistsError:  # another process generated it first: use theirs
                pass
            else:
                logger.warning(
                    "Generated a development issuer key in %s (kid %s). Production must "
                    "configure its own.", path, key.thumbprint(),
                )
            keys = _keys_from_text(path.read_text(), source)
    signing = [key for key in keys if key_alg(key) == alg]
    if not signing:
        raise ImproperlyConfigured(_missing_key_message(source, alg))
    return (signing[0], *[key for key in keys if key is not signing[0]])


def issuer_key() -> IssuerKey:
    """The private key new tokens are signed with."""
    return issuer_keys()[0]


def issuer_key_reset() -> None:
    """Forget the cached keys (tests, or after the command wrote a new one)."""
    issuer_keys.cache_clear()


@receiver(setting_changed)
def _issuer_key_setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith(("CERTIFICATE_ISSUER_KEY", "CERTIFICATE_JWT_ALG")) or setting in {
        "DEBUG", "SITE_URL",
    }:
        issuer_key_reset()


def key_id(thumbprint: str) -> str:
    """A key's ``kid``: the URL that serves its JWK alone."""
    return f"{_site_url()}/.well-known/jwks/{thumbprint}.json"


def _public_members(key: IssuerKey) -> dict[str, str]:
    """The RFC 7638 required members of the public key (what the token header carries)."""
    public = key.as_dict(private=False)
    names = ("kty", "n", "e") if isinstance(key, RSAKey) else ("kty", "crv", "x")
    return {name: public[name] for name in names}


def public_jwk(key: IssuerKey | None = None) -> dict[str, Any]:
    """A public key (the signing key by default) as a JWK, ``kid`` being its URL."""
    key = key or issuer_key()
    return {
        **_public_members(key),
        "kid": key_id(key.thumbprint()),
        "use": "sig",
        "alg": key_alg(key),
    }


def jwks() -> dict[str, Any]:
    """The JWK Set published at ``/.well-known/jwks.json``: every key, the signing key first."""
    return {"keys": [public_jwk(key) for key in issuer_keys()]}


def public_jwk_by_thumbprint(thumbprint: str) -> dict[str, Any] | None:
    """The published JWK whose RFC 7638 thumbprint is ``thumbprint`` (what its kid serves)."""
    for key in issuer_keys():
        if key.thumbprint() == thumbprint:
            return public_jwk(key)
    return None


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


def status_list_validity() -> timedelta:
    """How long a published status list is valid (``validUntil`` - ``validFrom``)."""
    return timedelta(seconds=getattr(settings, "CERTIFICATE_STATUS_LIST_VALIDITY", 86400))


def status_list_refresh() -> int:
    """Seconds a signed status list is reused before it is signed again: well below validity."""
    validity = status_list_validity().total_seconds()
    refresh = getattr(settings, "CERTIFICATE_STATUS_LIST_REFRESH", 3600)
    return int(min(refresh, validity / 4))


def status_list_credential(
    revoked_indices: Iterable[int],
    size: int = STATUS_LIST_SIZE,
    *,
    valid_from: datetime | None = None,
) -> dict[str, Any]:
    """The platform's ``BitstringStatusListCredential`` (revocation), unsigned."""
    list_id = status_list_url()
    valid_from = valid_from or timezone.now()
    return {
        "@context": [VC_CONTEXT],
        "id": list_id,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_profile(),
        "validFrom": _datetime_z(valid_from),
        "validUntil": _datetime_z(valid_from + status_list_validity()),
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


def status_list_jwt_published(revoked_indices: Iterable[int]) -> str:
    """The signed status list to serve now: re-signed when the list or the key changes, and
    every ``status_list_refresh()`` seconds, so a served copy always has most of its validity
    left (HTTP caches add at most their max-age, a few minutes, on top)."""
    indices = sorted(set(revoked_indices))
    digest = hashlib.sha256(
        f"{public_jwk()['kid']}|{','.join(map(str, indices))}".encode()
    ).hexdigest()
    cache_key = f"certificates:status-list-jwt:{digest}"
    token = cache.get(cache_key)
    if token is None:
        token = status_list_jwt(indices)
        cache.set(cache_key, token, timeout=status_list_refresh())
    return token
