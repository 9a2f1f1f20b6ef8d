"""The fixtures of the whole suite: users per role and their signed-in clients, the demo site
tree, the sample module (``course_page``) and a module that awards a certificate
(``certified_course``), eager Celery on request (``celery_eager``), a real browser.

Builders are in ``tests/factories.py``; ``run_concurrently`` is in ``tests/helpers.py``.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the main thread; Django's ORM must still be usable
# from the test body (the live server runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "var" / "artifacts"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached fragments must not leak from one test to the next."""
    from django.conf import settings
    from django.core.cache import cache
    from django.core.cache.backends.redis import RedisCache

    prefix = settings.CACHES["default"].get("KEY_PREFIX")
    if prefix and isinstance(cache, RedisCache):
        # Under pytest-xdist the workers share one Redis database, where clear() is FLUSHDB:
        # delete this worker's keys only.
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()
    yield


@pytest.fixture
def site_tree(db):
    """The three locales and a published home page per language, as `make run` creates them."""
    from lms.demo import demo_site_ensure

    return demo_site_ensure()


# --- Celery -----------------------------------------------------------------------------------
@pytest.fixture
def celery_eager(settings):
    """Run tasks in-process when they are queued, for a test that wants their outcome (a PDF,
    an e-mail) rather than the fact that they were queued. The test settings queue them only
    (on an in-memory broker unless ``CELERY_BROKER_URL`` is set): prefer asserting the enqueue
    with ``django_capture_on_commit_callbacks`` and calling the task or service directly."""
    from lms.celery import app

    previous = app.conf.task_always_eager  # read before the override: Celery reads lazily
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


# --- People -----------------------------------------------------------------------------------
@pytest.fixture
def user_factory(db):
    from tests.factories import UserFactory

    return UserFactory


@pytest.fixture
def learner(db):
    from tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def trainer(db):
    from tests.factories import TrainerFactory

    return TrainerFactory()


@pytest.fixture
def manager(db):
    from tests.factories import ManagerFactory

    return ManagerFactory()


@pytest.fixture
def editor(db):
    from tests.factories import EditorFactory

    return EditorFactory()


@pytest.fixture
def administrator(db):
    from tests.factories import AdministratorFactory

    return AdministratorFactory()


@pytest.fixture
def manager_in_scope(manager, learner):
    """A programme manager whose scope (the learner's country) covers the learner."""
    from lms.models import ProgrammeManagerScope

    ProgrammeManagerScope.objects.create(user=manager, countries=[learner.country.code])
    return manager


def _client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def learner_client(client, learner):
    """Pytest-django's ``client``, signed in as ``learner`` (the same object as ``client``)."""
    client.force_login(learner)
    return client


@pytest.fixture
def trainer_client(db, trainer):
    return _client_for(trainer)


@pytest.fixture
def manager_client(db, manager):
    return _client_for(manager)


@pytest.fixture
def editor_client(db, editor):
    return _client_for(editor)


@pytest.fixture
def administrator_client(db, administrator):
    return _client_for(administrator)


# --- Content ----------------------------------------------------------------------------------
@pytest.fixture
def loaded(site_tree):
    """The sample open module (fr, en, ar) and a cohort-only module (fr) of
    ``tests/courses/sample_module.py``, loaded by the demo loader as `make run` loads content.
    Returns {"open": fr CoursePage, "cohort": fr CoursePage}."""
    from courses import demo
    from tests.courses.sample_module import COHORT_MODULE, SAMPLE_MODULE

    open_course, cohort_course = demo.load(modules=[SAMPLE_MODULE, COHORT_MODULE])
    return {"open": open_course, "cohort": cohort_course}


@pytest.fixture
def course_page(loaded):
    """The module learners take in the tests: the French sample module (two lessons, the first
    with a check quiz, a pre-test and a final assessment; translated into English and Arabic)."""
    return loaded["open"]


@pytest.fixture
def lessons(course_page):
    """The lessons of ``course_page``, in order."""
    from courses.models import LessonPage

    return list(LessonPage.objects.child_of(course_page).order_by("path"))


@pytest.fixture
def translation():
    """The translation of a page in a language: translation("en", page)."""
    from wagtail.models import Locale

    def get(code, page):
        return page.get_translation(Locale.objects.get(language_code=code)).specific

    return get


@pytest.fixture
def enrolled(learner, course_page):
    """The learner's enrolment in ``course_page``."""
    from courses.services import enrolment_create

    return enrolment_create(user=learner, course=course_page)


# --- Certificates -----------------------------------------------------------------------------
@pytest.fixture
def certificate_template(db):
    from tests.factories import template_create

    return template_create()


@pytest.fixture
def certified_course(site_tree, certificate_template):
    """A French module without lessons that awards ``certificate_template``: the certificate
    tests complete enrolments directly (``enrolment_completed``)."""
    from tests.factories import course_create

    return course_create(site_tree, template=certificate_template)


@pytest.fixture
def completed_enrolment(learner, certified_course):
    from tests.factories import enrolment_completed

    return enrolment_completed(user=learner, course=certified_course)


@pytest.fixture
def certificate(completed_enrolment):
    """The learner's certificate for ``certified_course``, issued (PDF included) and e-mailed."""
    from certificates.services import certificate_issue

    return certificate_issue(enrolment=completed_enrolment)


# --- Browser ----------------------------------------------------------------------------------
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORTS = {"mobile": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}


def _unavailable(reason: str):
    # In CI a browser test never skips: a missing browser is a failure.
    if IN_CI:
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def browser(_django_db_helper):
    """A Chromium per test, started after the database fixture.

    Playwright's sync API runs the test body in a greenlet with its own context variables, where
    Django's connection objects are new; the database set-up and teardown (serialized rollback)
    must happen outside it, so the browser starts after them and stops before them.
    """
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} not found (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        _unavailable("playwright is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # Close the connections the test body opened in Playwright's context, so that the test
        # database can be dropped at the end of the session.
        from django.db import connections

        connections.close_all()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def page_for(browser):
    """Open a browser page at a viewport; CSP is bypassed only so that axe can be injected."""
    contexts = []

    def make(viewport: str = "mobile", locale: str = "fr-FR"):
        context = browser.new_context(viewport=VIEWPORTS[viewport], locale=locale, bypass_csp=True)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core in the page; return the violations of the given impacts."""
    if not AXE.exists():
        _unavailable("axe-core is not installed (npm install)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def save_screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


_skipped_in_browser: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and "tests/browser" in report.nodeid.replace("\\", "/"):
        _skipped_in_browser.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if IN_CI and _skipped_in_browser and session.exitstatus == 0:
        print("\nbrowser tests were skipped in CI:", *_skipped_in_browser, sep="\n  ")
        session.exitstatus = 1


def pytest_collection_modifyitems(items):
    """Every transactional test restores the serialized database (serialized_rollback).

    A transactional test without it flushes at teardown and sends ``post_migrate``, which
    re-creates the roles while the data migrations' rows (the root page, locales) are gone;
    the next test restoring the serialized database then collides with those roles. Making
    every one of them restore keeps the suite independent of its order."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction"):
            continue
        if not marker.kwargs.get("serialized_rollback"):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)
