"""A programme manager reaches certificate management from the navigation, on a phone (menu
folded behind its button, one compact header row) and on a desktop; tap targets are at least
24×24 px (WCAG 2.2, 2.5.8)."""

import re

import pytest

from tests.conftest import axe_violations, save_screenshot
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MIN_TARGET_PX = 24


def _box(locator) -> dict:
    return locator.evaluate(
        "el => { const r = el.getBoundingClientRect(); return {w: r.width, h: r.height}; }"
    )


def _too_small(page, selector: str) -> list[str]:
    """The visible elements matching ``selector`` smaller than 24×24 px."""
    return page.evaluate(
        """([selector, min]) => [...document.querySelectorAll(selector)]
            .filter(el => el.getClientRects().length)
            .map(el => [el, el.getBoundingClientRect()])
            .filter(([el, r]) => r.width < min || r.height < min)
            .map(([el, r]) => `${el.outerHTML.slice(0, 80)}: ${r.width}×${r.height}`)""",
        [selector, MIN_TARGET_PX],
    )


def test_manager_reaches_certificate_management(live_server, page_for, viewport, site_tree,
                                                manager):
    page = page_for(viewport, "fr-FR")
    browser_login(page, live_server, manager)
    page.goto(f"{live_server.url}/fr/")

    header = page.locator(".site-header")
    manage_link = page.locator('.site-nav [data-workspace="certificates_manage"] a')
    menu_button = page.locator(".site-menu > summary")
    if viewport == "mobile":
        # One compact row: the nav is folded behind a named, focusable disclosure button.
        assert _box(header)["h"] < 80, _box(header)
        assert not manage_link.is_visible()
        assert menu_button.is_visible()
        assert menu_button.inner_text().strip() == "Menu"
        button = _box(menu_button)
        assert button["w"] >= MIN_TARGET_PX and button["h"] >= MIN_TARGET_PX
        # Keyboard: Tab reaches the button, Enter opens the menu.
        menu_button.focus()
        page.keyboard.press("Enter")
        assert page.locator(".site-menu").get_attribute("open") is not None
        assert manage_link.is_visible()
        save_screenshot(page, "navigation-manager-menu-open-mobile")
    else:
        assert not menu_button.is_visible()
        assert manage_link.is_visible()
    assert axe_violations(page) == []
    assert _too_small(page, ".site-header a, .site-header summary, .site-header button, "
                            ".site-footer a") == []
    save_screenshot(page, f"navigation-manager-home-{viewport}")

    manage_link.click()
    page.wait_for_url(re.compile(r"/fr/certificates/manage/$"))
    assert page.locator("h1").inner_text() != ""
    assert axe_violations(page) == []
    save_screenshot(page, f"navigation-manager-certificates-{viewport}")

    # The home page also lists the manager's workspaces.
    page.goto(f"{live_server.url}/fr/")
    page.locator('.workspaces [data-workspace="certificates_manage"]').click()
    page.wait_for_url(re.compile(r"/fr/certificates/manage/$"))


def test_phone_header_is_one_row_in_arabic_and_targets_are_big_enough(live_server, page_for,
                                                                      site_tree, learner):
    from wagtail.models import Locale

    from courses import demo
    from courses.models import LessonPage
    from courses.services import enrolment_create
    from tests.courses.sample_module import SAMPLE_MODULE

    [course_fr] = demo.load(modules=[SAMPLE_MODULE])
    enrolment_create(user=learner, course=course_fr)
    course = course_fr.get_translation(Locale.objects.get(language_code="ar")).specific
    lesson = LessonPage.objects.child_of(course).live().filter(quiz__isnull=False).first()
    page = page_for("mobile", "ar")
    browser_login(page, live_server, learner)
    for url in ["/ar/", "/ar/learning/", course.url, lesson.url]:
        page.goto(f"{live_server.url}{url}")
        assert _box(page.locator(".site-header"))["h"] < 80, url
    save_screenshot(page, "navigation-lesson-ar-mobile")
    # Breadcrumbs, radios, check boxes and the footer's links are at least 24×24 px.
    assert page.locator(".choice input").count()
    assert _too_small(page, ".choice input, .breadcrumb a, .site-footer a, .pager a") == []

    # A question with a very long word stays inside its box on a 360 px phone.
    crossing = page.evaluate("""() => {
        const legend = document.querySelector('.question legend');
        legend.append(' ' + 'مؤسسة-الوساطة-الخاصة-للتوظيف-الدولي'.repeat(4)
                      + ' https://www.ilo.org/global/topics/labour-migration/fair-recruitment');
        const box = legend.closest('.question').getBoundingClientRect();
        const r = legend.getBoundingClientRect();
        return r.left < box.left - 1 || r.right > box.right + 1
            || document.documentElement.scrollWidth > window.innerWidth;
    }""")
    assert not crossing
