"""A new version of the offline app on a phone (issue 11, point 5): the worker that controls
the pages is replaced on a next page load (never mid-page), the old shell cache is deleted,
and the lessons the learner downloaded (their data, cached per user, not per version) still
open offline, refreshed to refer to the new shell.

Which load: Chromium activates the new worker as soon as the old one controls no page, or,
after the page asked it to skip waiting, once the old one is idle. Measured here, the second
depends on timing (the old worker is sometimes held for minutes, Chromium's "lame duck" rule,
whatever our worker does). So the test asks what a phone guarantees: the load that finds the
new version installs it; at the latest when the app is next opened (its pages closed, one
opened) the new version controls the page, with its own shell.

A new version is a change of the worker's bytes: here a stylesheet of the shell changes (a
copy of ``css/site.css`` found first through ``STATICFILES_DIRS``), which changes the version
``/sw.js`` prepends (``lms/views_pwa.py`` computes it per request in tests)."""

import pytest
from django.contrib.staticfiles import finders
from playwright.sync_api import Error as PlaywrightError

from lms import views_pwa
from tests.browser.test_offline_journey import (
    _controlled,
    _download,
    _enrolled_learner,
    _wait_until,
    kit_ar,  # noqa: F401 (fixture)
    phone,  # noqa: F401 (fixture)
)
from tests.helpers import browser_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VERSION_JS = """() => new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data.version);
    navigator.serviceWorker.controller.postMessage({type: "version"}, [channel.port2]);
})"""


WAITING_JS = "() => navigator.serviceWorker.getRegistration().then(r => !!r.waiting)"


def _safe(page, script):
    """``page.evaluate``, or None while the page reloads."""
    try:
        return page.evaluate(script)
    except PlaywrightError:
        return None


def _version(page) -> str:
    _controlled(page)
    return page.evaluate(VERSION_JS)


def _new_shell(settings, tmp_path) -> str:
    (tmp_path / "css").mkdir()
    with open(finders.find("css/site.css"), encoding="utf-8") as handle:
        css = handle.read()
    (tmp_path / "css" / "site.css").write_text(css + "\n/* the next release */\n", encoding="utf-8")
    settings.STATICFILES_DIRS = [tmp_path, *settings.STATICFILES_DIRS]  # found first
    return views_pwa.worker_config()["version"]


def test_new_version_takes_over_on_next_load_and_downloads_survive(
        live_server, phone, kit_ar, settings, tmp_path):  # noqa: F811
    course, lessons = kit_ar
    user = _enrolled_learner(course)
    context = phone()
    page = context.new_page()
    browser_login(page, live_server, user)
    _download(page, live_server, course)
    old = views_pwa.worker_config()["version"]
    assert _version(page) == old
    assert f"pas-shell-{old}" in page.evaluate("() => caches.keys()")

    new = _new_shell(settings, tmp_path)
    assert new != old
    # The next page load finds the new worker: it installs, and waits while this page is
    # controlled by the old one (or, if Chromium already freed the old one, takes over).
    page.goto(f"{live_server.url}{lessons[0].url}")
    _wait_until(lambda: _safe(page, WAITING_JS) or _safe(page, VERSION_JS) == new)
    assert _safe(page, VERSION_JS) in (old, new)
    # The app is next opened: its page closed, one opened. The new version controls it.
    page.close()
    page = context.new_page()
    page.goto(f"{live_server.url}{lessons[1].url}")
    _wait_until(lambda: _safe(page, VERSION_JS) == new)
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == lessons[1].title
    assert not page.evaluate(WAITING_JS)
    keys = page.evaluate("() => caches.keys()")
    assert f"pas-shell-{new}" in keys and f"pas-shell-{old}" not in keys, keys
    assert f"pas-pages-{user.pk}" in keys
    # The downloaded pages were fetched again for this version (refreshed on hello).
    _wait_until(lambda: all(record["version"] == new for record in page.evaluate(
        f"() => PasOutbox.pages('{user.pk}')")))

    context.set_offline(True)
    for lesson in lessons:
        page.goto(f"{live_server.url}{lesson.url}")
        assert page.locator("h1").inner_text() == lesson.title
        assert page.locator("body").get_attribute("data-user-id") == str(user.pk)
        # Styled by the new shell's stylesheet, which the worker serves from its cache.
        assert page.evaluate("() => [...document.styleSheets].some(s => s.href && "
                             "s.href.includes('/css/site') && s.cssRules.length > 0)")
    assert _version(page) == new
