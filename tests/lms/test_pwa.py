"""The installable app's files (lms/views_pwa.py): the service worker at the root with the
headers that let it control the whole site and be revalidated, the per-language manifests that
Chrome's install criteria read, and the links from every page."""

import json
import re

import pytest
from django.contrib.staticfiles import finders

from lms import views_pwa


@pytest.mark.django_db
def test_service_worker_is_served_at_the_root_with_its_headers(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    config = json.loads(re.match(r"self\.PAS = (\{.*\});\n", body).group(1))
    assert config["shell"] == [f"/static/{name}" for name in views_pwa.SHELL_STATIC]
    assert config["offline"] == {"fr": "/fr/offline/", "en": "/en/offline/", "ar": "/ar/offline/"}
    assert "/fr/accounts/logout/" in config["logout"] and "/ar/accounts/logout/" in config["logout"]
    assert re.fullmatch(r"[0-9a-f]{12}", config["version"])
    with open(finders.find("js/sw.js"), encoding="utf-8") as handle:
        source = handle.read()
    # The worker's code, without its opening comment (documentation for developers).
    code = source[source.index("*/") + 2:].lstrip()
    assert code.startswith("/* global PAS") and body.endswith(code)
    assert "Caches\n" not in body and len(body) < len(source)


def test_service_worker_version_follows_the_shell_contents(settings, tmp_path):
    before = views_pwa.worker_config()["version"]
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "site.css").write_text("body { color: red; }")
    settings.STATICFILES_DIRS = [tmp_path, *settings.STATICFILES_DIRS]  # found first
    assert views_pwa.worker_config()["version"] != before


def test_service_worker_refuses_writes(client):
    assert client.post("/sw.js").status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "direction", "start"), [
    ("fr", "ltr", "/fr/learning/"), ("en", "ltr", "/en/learning/"), ("ar", "rtl", "/ar/learning/"),
])
def test_web_manifest_per_language(client, lang, direction, start):
    response = client.get(f"/manifest/{lang}.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["lang"] == lang
    assert manifest["dir"] == direction
    assert manifest["start_url"] == start
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0b5d7a"
    assert manifest["background_color"] == "#ffffff"
    assert manifest["name"] and manifest["short_name"] and len(manifest["short_name"]) <= 12
    sizes = {icon["sizes"]: icon for icon in manifest["icons"]}
    assert set(sizes) == {"any", "192x192", "512x512"}
    assert sizes["any"]["type"] == "image/svg+xml"
    for icon in manifest["icons"]:  # served by WhiteNoise (the browser test fetches them)
        assert finders.find(icon["src"].removeprefix("/static/"))


def test_png_icons_have_their_declared_sizes():
    from PIL import Image

    for size in (192, 512):
        with Image.open(finders.find(f"img/icon-{size}.png")) as image:
            assert image.size == (size, size)


@pytest.mark.django_db
def test_unknown_language_has_no_manifest(client):
    assert client.get("/manifest/de.webmanifest").status_code == 404


@pytest.mark.django_db
def test_pages_link_their_language_manifest_and_say_who_is_signed_in(client, learner, site_tree):
    from tests.helpers import logged_in_client

    anonymous = client.get("/ar/accounts/login/").content.decode()
    assert '<link rel="manifest" href="/manifest/ar.webmanifest">' in anonymous
    assert 'data-user-id="" data-lang="ar"' in anonymous
    assert "/static/js/offline.js" in anonymous and "/static/js/outbox.js" in anonymous
    signed_in = logged_in_client(learner).get("/fr/learning/").content.decode()
    assert '<link rel="manifest" href="/manifest/fr.webmanifest">' in signed_in
    assert f'data-user-id="{learner.pk}" data-lang="fr"' in signed_in
    assert "data-offline-bar" in signed_in and "data-offline-send" in signed_in
