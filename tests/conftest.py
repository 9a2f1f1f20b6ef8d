"""Shared fixtures: users per role, logged-in clients, the demo site tree, a real browser."""

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
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def site_tree(db):
    """The three locales and a published home page per language, as `make run` creates them."""
    from lms.demo import demo_site_ensure

    return demo_site_ensure()


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
    from lms.access import Role
    from tests.factories import UserFactory

    return UserFactory(role=Role.TRAINER)


@pytest.fixture
def manager(db):
    from lms.access import Role
    from tests.factories import UserFactory

    return UserFactory(role=Role.MANAGER)


@pytest.fixture
def editor(db):
    from lms.access import Role
    from tests.factories import UserFactory

    return UserFactory(role=Role.EDITOR)


@pytest.fixture
def administrator(db):
    from tests.factories import UserFactory

    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


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
