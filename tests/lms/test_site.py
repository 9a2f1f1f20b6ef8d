"""Site shell: languages and right-to-left, 404s, the health check, security headers."""

import re

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("prefix", "lang", "direction", "text"),
    [
        ("fr", "fr", "ltr", "Se former pour une migration de travail équitable"),
        ("en", "en", "ltr", "Training for fair labour migration"),
        ("ar", "ar", "rtl", "التكوين من أجل هجرة عمل عادلة"),
    ],
)
def test_home_page_in_each_language_with_lang_and_dir(
    client, site_tree, prefix, lang, direction, text
):
    response = client.get(f"/{prefix}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert text in html
    assert 'href="#main"' in html and '<main id="main"' in html


def test_root_redirects_to_a_language_prefix(client, site_tree):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ar").headers["Location"] == "/ar/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de").headers["Location"] == "/fr/"


def test_language_switcher_keeps_the_page(client, site_tree):
    html = client.get("/fr/privacy/").content.decode()
    switcher = html[html.index('class="lang-switcher"') :]
    assert 'href="/en/privacy/"' in switcher and 'href="/ar/privacy/"' in switcher
    assert 'aria-current="true" lang="fr"' in switcher


def test_language_switcher_links_page_translations(client, site_tree):
    html = client.get("/ar/").content.decode()
    assert re.search(r'href="/fr/"[^>]*hreflang="fr"', html)
    assert re.search(r'href="/en/"[^>]*hreflang="en"', html)


@pytest.mark.parametrize(
    ("url", "lang", "text"),
    [
        ("/xx/nothing/", "fr", "Page introuvable"),
        ("/ar/nothing-here/", "ar", 'dir="rtl"'),
        ("/en/nothing-here/", "en", "Page not found"),
    ],
)
def test_unknown_pages_give_a_translated_404(client, site_tree, url, lang, text):
    response = client.get(url, follow=True)
    assert response.status_code == 404
    html = response.content.decode()
    assert f'lang="{lang}"' in html
    assert text in html


def test_privacy_policy_page_shows_the_version(client, settings):
    settings.PRIVACY_POLICY_VERSION = "2026-11"
    response = client.get("/fr/privacy/")
    assert response.status_code == 200
    assert "2026-11" in response.content.decode()


def test_dates_are_formatted_per_locale():
    import datetime

    from django.utils import formats, translation

    day = datetime.date(2026, 3, 8)
    with translation.override("fr"):
        assert formats.date_format(day) == "8 mars 2026"
    with translation.override("en"):
        assert "March" in formats.date_format(day)


def test_content_security_policy_requires_a_nonce_for_scripts(client, site_tree):
    response = client.get("/fr/")
    policy = response.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", policy).group(1)
    assert "unsafe-inline" not in script_src
    assert "'nonce'" not in script_src  # the placeholder is never sent as such
    assert script_src.strip().startswith("'self'")


def test_healthz_reports_every_component(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}


DEAD_REDIS = "redis://127.0.0.1:1/0"


@override_settings(
    CACHES={"default": {"BACKEND": "lms.cache.ResilientRedisCache", "LOCATION": DEAD_REDIS}}
)
def test_healthz_names_the_cache_when_redis_is_down_and_pages_still_render(client, site_tree):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"].startswith("down")
    assert client.get("/fr/").status_code == 200


@override_settings(CELERY_BROKER_URL=DEAD_REDIS, CELERY_TASK_ALWAYS_EAGER=False)
def test_healthz_names_the_broker_when_it_is_down(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("down")


def test_language_switcher_on_unprefixed_pages_posts_to_set_language(client, rf):
    from django.template import Context, Template
    from django.urls import reverse

    request = rf.get("/healthz")
    html = Template("{% load passerelle %}{% language_switcher %}").render(
        Context({"request": request})
    )
    assert f'action="{reverse("set_language")}"' in html
    assert 'name="language" value="ar"' in html
    response = client.post(reverse("set_language"), {"language": "ar", "next": "/fr/privacy/"})
    assert response.status_code == 302
    assert response["Location"] == "/ar/privacy/"


def test_media_is_served_but_certificate_pdfs_are_not(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "logo.txt").write_text("public")
    (tmp_path / "certificates" / "2026").mkdir(parents=True)
    (tmp_path / "certificates" / "2026" / "x.pdf").write_bytes(b"%PDF-1.7 private")
    assert client.get("/media/images/logo.txt").status_code == 200
    assert client.get("/media/certificates/2026/x.pdf").status_code == 404
    assert client.get("/media//certificates/2026/x.pdf").status_code == 404
    assert client.get("/media/images/../certificates/2026/x.pdf").status_code == 404


def test_media_names_longer_than_a_file_system_allows_answer_404(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "images").mkdir()
    assert client.get("/media/images/" + "x" * 300 + ".png").status_code == 404
    assert client.get("/media/images/" + "é" * 130 + ".png").status_code == 404  # 260 bytes


def test_documents_of_a_login_restricted_collection_are_never_public_media(
    client, learner, settings, tmp_path
):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.models import Collection, CollectionViewRestriction

    settings.MEDIA_ROOT = tmp_path
    restricted = Collection.get_first_root_node().add_child(name="Union members only")
    CollectionViewRestriction.objects.create(
        collection=restricted, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = get_document_model().objects.create(
        title="Internal guide", collection=restricted,
        file=ContentFile(b"members only", name="guide.txt"),
    )
    assert (tmp_path / document.file.name).read_bytes() == b"members only"
    assert document.file.name.startswith("documents/")
    # Links point at Wagtail's view, which asks for a login; the media URL serves nothing.
    assert document.url == f"/documents/{document.pk}/guide.txt"
    assert client.get(f"/media/{document.file.name}").status_code == 404
    assert client.get(f"/media/images/../{document.file.name}").status_code == 404
    view = client.get(document.url)
    assert view.status_code == 302 and "/accounts/login/" in view["Location"]
    client.force_login(learner)
    assert b"".join(client.get(document.url).streaming_content) == b"members only"
