"""The offline app's weight on a phone's data bundle (bytes, gzip as the server sends them).

- ``offline_shell_kb``: what the service worker precaches for the shell: the files of
  ``lms.views_pwa.SHELL_STATIC`` (gzip level 9, as WhiteNoise's compressed copies) and the
  offline page of one language (the worker caches it for each language visited): target ≤ 60.
- ``offline_module_kb_kit``: downloading the Arabic financial-education kit without video: the
  module manifest, then every page of the manifest as the server really answers it to an
  enrolled learner (gzip) and its assets (gzip for text, file size otherwise): target ≤ 250.
  The manifest's own ``bytes`` estimate is printed beside it (report).
- ``sw_js_kb``: ``/sw.js`` (with its prepended configuration) + ``outbox.js`` + ``offline.js``,
  gzip: target ≤ 15.
- ``lesson_repeat_kb_online``: a downloaded lesson opened again online: the worker's
  conditional GET (request line and headers as Chromium sends them, with the cookies and
  If-None-Match) and the 304 (status line and headers, no body); the shell is read from the
  cache: target ≤ 2.
"""

from __future__ import annotations

import gzip
import json

from bench import figure, setup_django

CHROME_UA = ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
             "Chrome/156.0.0.0 Mobile Safari/537.36")


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _sent(response) -> int:
    """Bytes of a response body as sent: already gzip when GZipMiddleware compressed it."""
    body = _body(response)
    return len(body) if response.get("Content-Encoding") == "gzip" else _gz(body)


def _response_head(response) -> int:
    lines = [f"HTTP/1.1 {response.status_code} {response.reason_phrase}"]
    lines += [f"{name}: {value}" for name, value in response.items()]
    lines += [f"Set-Cookie: {morsel.OutputString()}" for morsel in response.cookies.values()]
    return len(("\r\n".join(lines) + "\r\n\r\n").encode())


def _static_asset(url: str) -> int:
    from django.conf import settings

    from lms.views_pwa import _static_bytes

    data = _static_bytes(url.removeprefix(settings.STATIC_URL))
    text = url.rsplit(".", 1)[-1] in ("css", "js", "svg", "html", "json", "txt")
    return _gz(data) if text else len(data)


def run() -> None:
    setup_django()
    from django.conf import settings
    from django.test import Client
    from wagtail.models import Locale

    from courses import demo, demo_content
    from courses.services import enrolment_create
    from lms.demo import demo_site_ensure
    from lms.views_pwa import SHELL_STATIC, _static_bytes
    from tests.factories import UserFactory

    demo_site_ensure()
    anonymous = Client(HTTP_ACCEPT_ENCODING="gzip")
    offline_page = anonymous.get("/ar/offline/")
    assert offline_page.status_code == 200, offline_page.status_code
    shell = sum(_gz(_static_bytes(name)) for name in SHELL_STATIC) + _sent(offline_page)
    figure("offline_shell_kb", round(shell / 1000, 1), "≤ 60")

    worker = anonymous.get("/sw.js")
    scripts = _gz(_body(worker)) + sum(
        _gz(_static_bytes(name)) for name in ("js/outbox.js", "js/offline.js"))
    figure("sw_js_kb", round(scripts / 1000, 1), "≤ 15")

    [course_fr] = demo.load(modules=[m for m in demo_content.modules()
                                     if m["key"] == "financial-education"])
    course = course_fr.get_translation(Locale.objects.get(language_code="ar")).specific
    learner = UserFactory(preferred_language="ar")
    enrolment_create(user=learner, course=course)
    client = Client(HTTP_ACCEPT_ENCODING="gzip", HTTP_ACCEPT_LANGUAGE="ar")
    client.force_login(learner)
    response = client.get(f"/offline/modules/{course.pk}.json")
    assert response.status_code == 200, response.status_code
    manifest = json.loads(gzip.decompress(response.content)
                          if response.get("Content-Encoding") == "gzip" else response.content)
    total = _sent(response)
    for page in manifest["pages"]:
        page_response = client.get(page["url"])
        assert page_response.status_code == 200, (page["url"], page_response.status_code)
        total += _sent(page_response)
    for asset in manifest["assets"]:
        if asset["url"].startswith(settings.STATIC_URL):
            total += _static_asset(asset["url"])
        else:
            asset_response = client.get(asset["url"])
            total += len(_body(asset_response)) if asset_response.status_code == 200 else 0
    figure("offline_module_kb_kit", round(total / 1000, 1), "≤ 250")
    figure("offline_module_kb_kit_manifest_estimate", round(manifest["bytes"] / 1000, 1),
           "report")

    lesson = next(page for page in manifest["pages"] if page["kind"] == "lesson")
    first = client.get(lesson["url"])
    etag = first["ETag"]
    again = client.get(lesson["url"], HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304, again.status_code
    cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
    request_head = "\r\n".join([
        f"GET {lesson['url']} HTTP/1.1",
        "Host: passerelle.example.org",
        f"User-Agent: {CHROME_UA}",
        "Accept: */*",
        "Accept-Encoding: gzip, deflate, br, zstd",
        "Accept-Language: ar,fr;q=0.9",
        f"If-None-Match: {etag}",
        f"Cookie: {cookies}",
        "Sec-Fetch-Mode: cors", "Sec-Fetch-Site: same-origin", "Sec-Fetch-Dest: empty",
        "Connection: keep-alive",
    ]) + "\r\n\r\n"
    repeat = len(request_head.encode()) + _response_head(again)
    figure("lesson_repeat_kb_online", round(repeat / 1000, 2), "≤ 2")
