"""Production settings: hardened, and refusing to start without real secrets."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "SECRET_KEY": "k" * 20 + "-production-secret-for-the-deploy-check-" + "z" * 20,
    "DATABASE_URL": "postgres://passerelle@127.0.0.1:5432/passerelle",
    "ALLOWED_HOSTS": "passerelle.example.org",
    "SITE_URL": "https://passerelle.example.org",
    "CACHE_URL": "redis://127.0.0.1:6379/2",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def _rsa_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


PRODUCTION_ENV["CERTIFICATE_ISSUER_KEY"] = _rsa_pem()


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env},
        capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_prints_no_issue_with_production_settings():
    result = _manage("check", "--deploy", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_check_refuses_a_missing_issuer_key(tmp_path):
    env = {**PRODUCTION_ENV, "CERTIFICATE_ISSUER_KEY": "",
           "CERTIFICATE_ISSUER_KEY_FILE": str(tmp_path / "absent.pem")}
    result = _manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "certificates.E001" in result.stderr
    assert not (tmp_path / "absent.pem").exists()


def test_production_refuses_the_development_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": "insecure-dev-key-change-me-in-production"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_sqlite():
    env = {**PRODUCTION_ENV, "DATABASE_URL": "sqlite:////tmp/passerelle.sqlite3"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_production_serves_no_media_and_documents_only_through_wagtail():
    show = "from django.conf import settings as s; print(s.SERVE_MEDIA, s.WAGTAILDOCS_SERVE_METHOD)"
    result = _manage("shell", "--no-imports", "-c", show, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "serve_view"]
    serving = {**PRODUCTION_ENV, "SERVE_MEDIA": "true"}
    result = _manage("shell", "--no-imports", "-c", show, env=serving)
    assert result.stdout.split() == ["True", "serve_view"]


def test_trusted_proxy_settings_come_from_the_environment():
    show = (
        "from django.conf import settings as s; "
        "print(s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER, s.ALLAUTH_TRUSTED_PROXY_COUNT)"
    )
    result = _manage("shell", "--no-imports", "-c", show, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["None", "0"]
    proxied = {
        **PRODUCTION_ENV, "TRUSTED_CLIENT_IP_HEADER": "X-Real-IP", "TRUSTED_PROXY_COUNT": "1"
    }
    result = _manage("shell", "--no-imports", "-c", show, env=proxied)
    assert result.stdout.split() == ["X-Real-IP", "1"]
