"""Module manifests and conditional GETs of the offline app (courses.offline, CONTRACT): sizes
and ETags are those of the pages' real responses, media apart, 304 on revalidation, no
correct answer in anything downloaded, Arabic right to left, nothing for those not allowed."""

import pytest
import wagtail_factories
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.rich_text import RichText

from courses.models import Choice, LessonPage

pytestmark = pytest.mark.django_db


def manifest_url(course) -> str:
    return f"/offline/modules/{course.pk}.json"


@pytest.fixture
def ar_course(course_page, translation):
    return translation("ar", course_page)


@pytest.fixture
def phone(learner_client):
    """The learner's browser as the app has it: signed in, holding a CSRF cookie."""
    assert learner_client.get("/offline/csrf/").status_code == 200
    return learner_client


def test_manifest_sizes_and_etags_are_those_of_the_pages(phone, enrolled, ar_course):
    response = phone.get(manifest_url(ar_course))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"
    manifest = response.json()
    assert [page["kind"] for page in manifest["pages"]] == [
        "module", "lesson", "lesson", "quiz", "quiz", "quiz"]
    for entry in manifest["pages"]:
        assert entry["url"].startswith("/ar/")
        page = phone.get(entry["url"], HTTP_ACCEPT_ENCODING="gzip")
        assert page.status_code == 200, entry["url"]
        assert page["Content-Encoding"] == "gzip"
        assert page["ETag"] == entry["etag"]
        # GZipMiddleware pads with 1–100 random bytes (the manifest counts the mean), and the
        # CSRF token and form keys are random: the real size varies by about ±50 bytes.
        assert abs(len(page.content) - entry["bytes"]) <= 90, entry["url"]
    assert manifest["bytes"] == (sum(p["bytes"] for p in manifest["pages"])
                                 + sum(a["bytes"] for a in manifest["assets"]))


def test_arabic_module_is_right_to_left(phone, enrolled, ar_course):
    manifest = phone.get(manifest_url(ar_course)).json()
    assert manifest["module"] | {"version": None} == {
        "id": ar_course.pk, "title": ar_course.title, "url": ar_course.url, "lang": "ar",
        "dir": "rtl", "version": None}
    lesson = phone.get(manifest["pages"][1]["url"]).content.decode()
    assert '<html lang="ar" dir="rtl">' in lesson


def test_media_are_listed_apart_with_their_sizes(phone, enrolled, lessons):
    image = wagtail_factories.ImageFactory()
    audio = get_document_model().objects.create(
        title="Budget", file=ContentFile(b"\x00" * 1234, name="budget.mp3"))
    lesson = lessons[1]
    lesson.body = [
        ("paragraph", RichText("<p>Texte</p>")),
        ("image", {"image": image, "alt": "Un carnet", "caption": ""}),
        ("video", {"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "title": "Vidéo",
                   "duration": "3:10", "poster": None, "transcript": RichText("<p>t</p>")}),
        ("audio", {"title": "Écouter", "file": audio, "transcript": RichText("")}),
    ]
    lesson.save_revision().publish()
    manifest = phone.get(manifest_url(lessons[0].get_parent())).json()
    assert manifest["media"] == [
        {"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "bytes": None, "kind": "video",
         "title": "Vidéo"},
        {"url": audio.url, "bytes": 1234, "kind": "audio", "title": "Écouter"},
    ]
    assert manifest["media_bytes"] == 1234
    [asset] = manifest["assets"]
    assert asset["url"].startswith("/media/images/") and asset["url"].endswith(".webp")
    assert asset["bytes"] == default_storage.size(asset["url"].removeprefix("/media/")) > 0
    assert manifest["bytes"] == sum(p["bytes"] for p in manifest["pages"]) + asset["bytes"]


@pytest.mark.parametrize("kind", ["module", "lesson", "quiz"])
def test_a_revalidation_is_a_304_with_headers_only(phone, enrolled, course_page, kind):
    manifest = phone.get(manifest_url(course_page)).json()
    entry = next(page for page in manifest["pages"] if page["kind"] == kind)
    not_modified = phone.get(entry["url"], HTTP_IF_NONE_MATCH=entry["etag"])
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == entry["etag"]
    assert not_modified["Cache-Control"] == "private, no-cache"
    assert "Cookie" in not_modified["Vary"]


def test_the_learners_progress_changes_the_etag(phone, enrolled, lessons):
    url = lessons[1].url
    etag = phone.get(url)["ETag"]
    assert phone.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    phone.post(f"/fr/learning/lessons/{lessons[0].pk}/done/")
    # The page showing "Lesson marked as done." is never stored, so never shown again by a 304.
    with_message = phone.get(url, HTTP_IF_NONE_MATCH=etag)
    assert with_message.status_code == 200 and "ETag" not in with_message
    assert with_message["Cache-Control"] == "private, no-store"
    fresh = phone.get(url, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag


def test_the_manifest_itself_revalidates(phone, enrolled, course_page):
    first = phone.get(manifest_url(course_page))
    again = phone.get(manifest_url(course_page), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_another_reader_never_matches_the_etag(phone, enrolled, lessons, user_factory):
    etag = phone.get(lessons[0].url)["ETag"]
    other = user_factory()
    second = Client()
    second.force_login(other)
    assert second.get(lessons[0].url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_no_correct_answer_is_in_any_downloaded_page(phone, enrolled, course_page, ar_course):
    secrets = [choice.feedback for choice in Choice.objects.all() if choice.feedback]
    assert secrets
    for course in (course_page, ar_course):
        for entry in phone.get(manifest_url(course)).json()["pages"]:
            html = phone.get(entry["url"]).content.decode()
            assert "is_correct" not in html, entry["url"]
            assert not [secret for secret in secrets if secret in html], entry["url"]


def test_a_learner_who_may_enrol_gets_the_lessons_without_the_quizzes(phone, course_page):
    manifest = phone.get(manifest_url(course_page)).json()
    assert [page["kind"] for page in manifest["pages"]] == ["module", "lesson", "lesson"]


def test_not_visible_to_someone_not_allowed(phone, loaded, client, course_page):
    assert phone.get(manifest_url(loaded["cohort"])).status_code == 404  # not a member
    lesson = LessonPage.objects.child_of(course_page).first()
    assert phone.get(manifest_url(lesson)).status_code == 404  # not a module


def test_signed_out_is_401_json(client, course_page):
    response = client.get(manifest_url(course_page))
    assert response.status_code == 401 and response.json() == {"login_url": "/fr/accounts/login/"}


@pytest.mark.parametrize(("language", "direction"), [("fr", "ltr"), ("ar", "rtl"),
                                                     ("en", "ltr")])
def test_the_offline_page_is_public_per_language_and_holds_nobodys_data(
    phone, learner, language, direction
):
    response = phone.get(f"/{language}/offline/")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert "<ul data-offline-modules" in html
    assert "csrfmiddlewaretoken" not in html and learner.email not in html
    assert 'data-user-id=""' in html


def test_a_revalidation_costs_less_than_a_render_and_only_headers(phone, enrolled, lessons):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = lessons[0].url
    phone.get(url)  # warm the content caches
    with CaptureQueriesContext(connection) as rendered:
        etag = phone.get(url)["ETag"]
    with CaptureQueriesContext(connection) as revalidated:
        response = phone.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    # Wagtail's routing and the learner-state stamp; nothing of the page's own context.
    assert len(revalidated) < len(rendered)
    assert sum(len(k) + len(v) + 4 for k, v in response.items()) < 1024
