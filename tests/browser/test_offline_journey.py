"""The offline app on a phone (Chromium, 360×740, service workers on): install criteria, then
a migrant learner downloads the Arabic financial-education kit, switches to airplane mode,
reads every lesson, answers a check quiz and marks lessons done; back online the outbox is
sent and the server holds exactly one attempt and one completion per action, also when the
same outbox is replayed, when the page closes halfway through a sync, when the session expired
meanwhile, when a second person uses the same phone, and when the quiz changed on the server.

Playwright's ``context.set_offline(True)`` also cuts the service worker's own fetches in this
Chromium, so what the pages show offline comes from the worker's caches."""

import re
import time

import pytest

from tests.conftest import VIEWPORTS, axe_violations, save_screenshot
from tests.helpers import browser_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

KIT_KEY = "financial-education"


@pytest.fixture
def phone(browser):
    """A phone-sized browser profile with service workers allowed (``page_for`` builds its
    contexts without them). CSP is bypassed only so that axe can be injected."""
    contexts = []

    def make(locale: str = "ar"):
        context = browser.new_context(viewport=VIEWPORTS["mobile"], locale=locale,
                                      service_workers="allow", bypass_csp=True)
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def kit_ar(site_tree):
    """The financial-education kit (the real teaching content when present, else the sample
    module) in Arabic, with its lessons in order."""
    from wagtail.models import Locale

    from courses import demo, demo_content
    from courses.models import LessonPage
    from tests.courses.sample_module import SAMPLE_MODULE

    real = [module for module in demo_content.modules() if module["key"] == KIT_KEY]
    [course_fr] = demo.load(modules=real or [SAMPLE_MODULE])
    course = course_fr.get_translation(Locale.objects.get(language_code="ar")).specific
    lessons = list(LessonPage.objects.child_of(course).live().specific().order_by("path"))
    return course, lessons


def _enrolled_learner(course, email="amina@example.org"):
    from courses.services import enrolment_create
    from tests.factories import UserFactory

    user = UserFactory(email=email, preferred_language="ar")
    enrolment_create(user=user, course=course)
    return user


def _assert_accessible(page, where: str):
    violations = axe_violations(page)
    assert not violations, f"{where}: {violations}"


def _controlled(page):
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def _outbox(page) -> list[dict]:
    return page.evaluate("() => PasOutbox.list(document.body.dataset.userId)")


def _pending(page, kind=None) -> int:
    return len([event for event in _outbox(page)
                if event["state"] == "pending" and kind in (None, event["type"])])


def _download(page, live_server, course):
    page.goto(f"{live_server.url}{course.url}")
    _controlled(page)
    box = page.locator("[data-offline-download]")
    box.wait_for(state="visible")
    size = page.locator("[data-offline-size]").inner_text()
    assert re.search(r"\d", size), size
    page.locator("[data-offline-get]").click()
    page.locator(".offline-download.is-downloaded").wait_for()
    return size


def _answer(page, quiz, *, right: bool):
    from courses.selectors import quiz_questions

    for question in quiz_questions(quiz=quiz):
        choices = list(question.choices.all())
        picked = [c for c in choices if c.is_correct == right]
        if question.kind != "multiple":
            picked = picked[:1]
        for choice in picked:
            page.check(f"#choice-{choice.pk}")


def _answer_quiz_offline(page, live_server, lesson, *, right=True):
    page.goto(f"{live_server.url}{lesson.url}")
    _answer(page, lesson.quiz, right=right)
    page.locator("form[data-offline-event=quiz_attempt] button[type=submit]").click()
    page.locator("form[data-offline-event=quiz_attempt] + .offline-note").wait_for()


def _mark_done_offline(page, live_server, lesson):
    page.goto(f"{live_server.url}{lesson.url}")
    page.locator("form[data-offline-event=lesson_complete] button[type=submit]").click()
    page.locator("form[data-offline-event=lesson_complete] + .offline-note").wait_for()


def _wait_until(check, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def _rows(user):
    from courses.models import LessonProgress, QuizAttempt

    return (QuizAttempt.objects.filter(user=user).count(),
            LessonProgress.objects.filter(user=user).count())


def test_app_is_installable_and_its_worker_controls_the_pages(live_server, phone, kit_ar):
    course, _lessons = kit_ar
    user = _enrolled_learner(course)
    page = phone().new_page()
    browser_login(page, live_server, user)
    page.goto(f"{live_server.url}/ar/learning/")
    _controlled(page)
    href = page.locator("link[rel=manifest]").get_attribute("href")
    assert href == "/manifest/ar.webmanifest"
    manifest = page.evaluate("""async (href) => {
        const r = await fetch(href);
        const body = await r.json();
        const icons = await Promise.all(body.icons.map(async i => {
            const x = await fetch(i.src); return [i.sizes, x.status, x.headers.get('Content-Type')];
        }));
        return {type: r.headers.get('Content-Type'), body, icons};
    }""", href)
    assert manifest["type"] == "application/manifest+json"
    body = manifest["body"]
    assert (body["lang"], body["dir"], body["start_url"], body["scope"], body["display"]) == (
        "ar", "rtl", "/ar/learning/", "/", "standalone")
    assert sorted(manifest["icons"]) == [
        ["192x192", 200, "image/png"], ["512x512", 200, "image/png"],
        ["any", 200, "image/svg+xml"]]
    scope = page.evaluate("() => navigator.serviceWorker.getRegistration().then(r => r.scope)")
    assert scope == f"{live_server.url}/"
    # The shell is precached under this worker's version.
    keys = page.evaluate("() => caches.keys()")
    assert [key for key in keys if key.startswith("pas-shell-")], keys
    # My learning: no install prompt on the first visit (and none without the browser's event).
    assert page.locator("[data-install]").is_hidden()
    _assert_accessible(page, "my learning")


def test_arabic_kit_downloaded_learned_offline_and_synced_exactly_once(live_server, phone, kit_ar):
    from courses.models import LessonProgress

    course, lessons = kit_ar
    user = _enrolled_learner(course)
    context = phone()
    page = context.new_page()
    browser_login(page, live_server, user)
    _download(page, live_server, course)
    assert page.locator("html").get_attribute("dir") == "rtl"
    _assert_accessible(page, "module page, downloaded")
    save_screenshot(page, "offline-module-downloaded-ar")

    page.goto(f"{live_server.url}/ar/learning/")
    badge = page.locator(f"[data-offline-url='{course.url}'] [data-offline-badge]")
    badge.wait_for(state="visible")
    page.locator("[data-offline-space]").wait_for(state="visible")
    _assert_accessible(page, "my learning, downloaded")
    save_screenshot(page, "offline-my-learning-ar")

    context.set_offline(True)
    for lesson in lessons:
        page.goto(f"{live_server.url}{lesson.url}")
        assert page.locator("h1").inner_text() == lesson.title
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator("body").get_attribute("data-user-id") == str(user.pk)
    quiz_lesson = next(lesson for lesson in lessons if lesson.quiz_id)
    _answer_quiz_offline(page, live_server, quiz_lesson)
    done = lessons[:3]  # "Mark as done" needs no passed quiz
    for lesson in done:
        _mark_done_offline(page, live_server, lesson)
    assert page.locator("[data-offline-pending]").is_visible()
    kinds = [event["type"] for event in _outbox(page)]
    assert (kinds.count("quiz_attempt"), kinds.count("lesson_complete")) == (1, len(done))
    assert kinds.count("lesson_visit") >= len(lessons)  # the visit beacons, kept for later
    assert page.locator("[data-offline-count]").first.inner_text() == str(len(kinds))
    _assert_accessible(page, "lesson, outbox waiting")
    save_screenshot(page, "offline-outbox-waiting-ar")
    sent_once = _outbox(page)
    # A module that is not downloaded: the offline page, which lists what is.
    page.goto(f"{live_server.url}/ar/learning/modules/")
    page.locator("ul[data-offline-modules] a").first.wait_for()
    assert page.locator("ul[data-offline-modules] a").all_inner_texts() == [course.title]
    assert page.locator("[data-offline-none]").is_hidden()
    _assert_accessible(page, "offline page")
    save_screenshot(page, "offline-page-ar")
    assert _rows(user) == (0, 0)

    context.set_offline(False)
    page.goto(f"{live_server.url}{lessons[0].url}")  # on load, the outbox is sent
    _wait_until(lambda: _outbox(page) == [])
    assert _rows(user) == (1, len(done))
    # Each row was written by an event of the outbox (its id is the write's idempotency key),
    # except the quiz lesson's, done by passing its check quiz before its own "done" arrived.
    keys = LessonProgress.objects.filter(user=user).values_list("idempotency_key", flat=True)
    assert {str(key) for key in keys if key} <= {event["id"] for event in sent_once}

    # The same outbox replayed, twice: answered "already applied" and removed, no new row.
    for _ in range(2):
        page.evaluate("(events) => Promise.all(events.map(e => PasOutbox.add(e)))", sent_once)
        assert _pending(page) == len(sent_once)
        page.reload()  # replayed on load
        _wait_until(lambda: _outbox(page) == [])
    assert _rows(user) == (1, len(done))


def test_closed_mid_sync_and_expired_session_lose_nothing_and_count_once(
        live_server, phone, kit_ar):
    from django.conf import settings

    course, lessons = kit_ar
    user = _enrolled_learner(course)
    context = phone()
    page = context.new_page()
    browser_login(page, live_server, user)
    _download(page, live_server, course)
    context.set_offline(True)
    _mark_done_offline(page, live_server, lessons[0])

    # The session ends while offline: the items stay, the learner is asked to log in again.
    context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    context.set_offline(False)  # the `online` event tries to send: 401
    page.locator("[data-offline-login]").wait_for(state="visible")
    page.locator("[data-offline-send]").click()  # "Send now (1)": still signed out, still kept
    page.locator("[data-offline-status]").wait_for(state="visible")
    assert "/accounts/login/" in page.locator("[data-offline-login]").get_attribute("href")
    assert _pending(page, "lesson_complete") == 1
    assert _rows(user) == (0, 0)
    browser_login(page, live_server, user)
    page.reload()
    _wait_until(lambda: _outbox(page) == [])
    assert _rows(user) == (0, 1)

    # The page closes while the server applies the batch: the answer never reaches the phone.
    context.set_offline(True)
    _mark_done_offline(page, live_server, lessons[1])
    reached = []

    def cut(route):
        reached.append(route.fetch())  # the server applies the events…
        page.close()  # …and the page closes before it reads the answer

    context.route("**/offline/sync/", cut)
    with page.expect_event("close"):
        context.set_offline(False)  # the `online` event starts the replay
    context.unroute("**/offline/sync/")
    assert reached and reached[0].status == 200
    assert _rows(user) == (0, 2)
    page = context.new_page()
    page.goto(f"{live_server.url}{lessons[1].url}")  # resumed on load: "already applied"
    _wait_until(lambda: _outbox(page) == [])
    assert _rows(user) == (0, 2)


def test_second_person_on_the_phone_sees_and_sends_nothing_of_the_first(
        live_server, phone, kit_ar):
    from django.conf import settings

    course, lessons = kit_ar
    first = _enrolled_learner(course)
    second = _enrolled_learner(course, email="karim@example.org")
    context = phone()
    page = context.new_page()
    browser_login(page, live_server, first)
    _download(page, live_server, course)
    context.set_offline(True)
    _mark_done_offline(page, live_server, lessons[0])
    assert _pending(page, "lesson_complete") == 1

    # The first learner's session is gone; the second signs in on the same browser profile.
    context.set_offline(False)
    context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    browser_login(page, live_server, second)
    page.goto(f"{live_server.url}{lessons[0].url}")
    assert page.locator("body").get_attribute("data-user-id") == str(second.pk)
    assert page.locator("[data-offline-pending]").is_hidden()
    assert _outbox(page) == []
    page.goto(f"{live_server.url}/ar/learning/")
    assert page.locator("[data-offline-badge]").is_hidden()
    page.wait_for_timeout(500)  # a replay on load would have sent by now
    assert _rows(first) == (0, 0) and _rows(second) == (0, 0)
    # Offline, the second learner is never shown the first one's downloaded lessons.
    context.set_offline(True)
    page.goto(f"{live_server.url}{lessons[0].url}")
    assert page.locator("body").get_attribute("data-user-id") != str(first.pk)
    assert page.locator("ul[data-offline-modules]").count() == 1
    page.wait_for_timeout(300)  # the list is filled from IndexedDB
    assert page.locator("ul[data-offline-modules] li").count() == 0
    context.set_offline(False)

    # Logging out clears the second learner's offline data and caches.
    _download(page, live_server, course)
    assert f"pas-pages-{second.pk}" in page.evaluate("() => caches.keys()")
    page.locator(".site-menu > summary").click()  # the phone's menu
    with page.expect_navigation():  # offline.js clears this learner's data, then logs out
        page.locator("form[action$='/accounts/logout/'] button").click()
    assert page.locator("body").get_attribute("data-user-id") == ""
    _wait_until(lambda: f"pas-pages-{second.pk}" not in page.evaluate("() => caches.keys()"))
    assert page.evaluate(f"() => PasOutbox.modules('{second.pk}')") == []


def test_quiz_changed_on_the_server_while_offline_is_scored_by_its_rule_and_said(
        live_server, phone, kit_ar):
    from django.utils import timezone, translation
    from django.utils.translation import gettext

    from courses.models import Quiz, QuizAttempt

    course, lessons = kit_ar
    user = _enrolled_learner(course)
    context = phone()
    page = context.new_page()
    browser_login(page, live_server, user)
    _download(page, live_server, course)
    quiz_lesson = next(lesson for lesson in lessons if lesson.quiz_id)
    context.set_offline(True)
    _answer_quiz_offline(page, live_server, quiz_lesson)
    save_screenshot(page, "offline-quiz-queued-ar")

    # Meanwhile an editor raises the pass mark (every language of the quiz: a new updated_at).
    Quiz.objects.filter(translation_key=quiz_lesson.quiz.translation_key).update(
        pass_mark=100, updated_at=timezone.now())

    context.set_offline(False)  # the `online` event sends the outbox
    note = page.locator("[data-offline-bar] .notice").last
    note.wait_for()
    [attempt] = QuizAttempt.objects.filter(user=user)
    score = f"{attempt.score.normalize():f}"
    with translation.override("ar"):
        told = gettext(
            "This quiz was changed after you downloaded it: your answers were scored with its "
            "current version. Your score: %(score)s%%.") % {"score": score}
    assert told in note.inner_text()
    result_url = f"/ar/learning/attempts/{attempt.pk}/?page={quiz_lesson.pk}"
    assert note.locator("a").get_attribute("href") == result_url
    _assert_accessible(page, "lesson, quiz sent")
    save_screenshot(page, "offline-quiz-changed-ar")



DONE_URLS = "**/learning/lessons/*/done/"


def _click_done(page):
    page.locator("form[data-offline-event=lesson_complete] button[type=submit]").click()


def test_network_failing_while_online_queues_the_answer_and_counts_it_once(
        live_server, phone, kit_ar):
    """Coverage comes and goes while ``navigator.onLine`` stays true: a "mark as done" whose
    POST fails on the network goes to the outbox; replayed, it counts once, also when the POST
    did reach the server and only its answer was lost."""
    from courses.models import LessonProgress

    course, lessons = kit_ar
    user = _enrolled_learner(course)
    context = phone()
    # No Background Sync here (it would send the outbox at once, from the worker, where routes
    # do not reach): the outbox is sent by the "Send now" button, so its contents can be read.
    context.add_init_script("delete window.SyncManager")
    page = context.new_page()
    browser_login(page, live_server, user)
    page.goto(f"{live_server.url}{lessons[0].url}")
    _controlled(page)

    # The request never leaves the phone.
    context.route(DONE_URLS, lambda route: route.abort("internetdisconnected"))
    _click_done(page)
    page.locator("form[data-offline-event=lesson_complete] + .offline-note").wait_for()
    assert page.evaluate("() => navigator.onLine") is True
    queued = page.locator("[data-offline-bar]").get_attribute("data-msg-queued")
    assert page.locator("[data-offline-status]").inner_text() == queued
    [event] = _outbox(page)
    assert (event["type"], event["state"]) == ("lesson_complete", "pending")
    assert LessonProgress.objects.filter(user=user).count() == 0
    context.unroute(DONE_URLS)
    page.locator("[data-offline-send]").click()
    _wait_until(lambda: _outbox(page) == [])
    [row] = LessonProgress.objects.filter(user=user)  # kept for the source (French) lesson
    assert (row.lesson.translation_key, str(row.idempotency_key)) == (
        lessons[0].translation_key, event["id"])

    # The POST reaches the server, the answer is lost on the way back.
    reached = []

    def answer_lost(route):
        reached.append(route.fetch(max_redirects=0))
        route.abort("internetdisconnected")

    page.goto(f"{live_server.url}{lessons[1].url}")
    context.route(DONE_URLS, answer_lost)
    _click_done(page)
    page.locator("form[data-offline-event=lesson_complete] + .offline-note").wait_for()
    assert [response.status for response in reached] == [302]
    [event] = _outbox(page)
    posted = LessonProgress.objects.get(
        user=user, lesson__translation_key=lessons[1].translation_key)
    assert str(posted.idempotency_key) == event["id"]  # the same key: the replay is a replay
    context.unroute(DONE_URLS)
    page.locator("[data-offline-send]").click()
    _wait_until(lambda: _outbox(page) == [])
    assert LessonProgress.objects.filter(user=user).count() == 2

    # A working connection: the server's answer is shown as a real form post shows it.
    page.goto(f"{live_server.url}{lessons[2].url}")
    _click_done(page)
    page.wait_for_url(f"{live_server.url}{lessons[3].url}")
    assert page.locator("h1").inner_text() == lessons[3].title
    page.locator(".messages .message--success").wait_for()
    assert _outbox(page) == []
    assert LessonProgress.objects.filter(user=user).count() == 3
    page.go_back()  # the previous lesson, loaded again
    page.wait_for_url(f"{live_server.url}{lessons[2].url}")
    page.locator("h1", has_text=lessons[2].title).wait_for()
