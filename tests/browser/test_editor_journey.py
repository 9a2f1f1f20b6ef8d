"""A content editor (not a superuser) translates the intermediation module into Arabic in /cms/,
edits the Arabic copy right-to-left and saves it at once, module and lesson."""

import re

import pytest

from tests.conftest import save_screenshot
from tests.helpers import browser_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MODULE_KEY = "labour-intermediation"
ARABIC_TITLE = "الوساطة الدولية في التشغيل"


def _load_module():
    from courses import demo, demo_content
    from lms.demo import demo_site_ensure

    demo_site_ensure()
    [module] = [m for m in demo_content.modules() if m["key"] == MODULE_KEY]
    [course] = demo.load(modules=[module])
    return course


def _save_draft(page) -> None:
    page.locator("button.action-save").first.click()
    page.wait_for_load_state("networkidle")
    assert not page.locator(".error-message, .help-critical").count(), page.content()[:3000]


def test_editor_translates_the_module_into_arabic_and_saves_it(live_server, page_for):
    from wagtail.models import Locale

    from courses.models import CoursePage, LessonPage
    from lms.access import Role
    from tests.factories import UserFactory

    course_fr = _load_module()
    editor = UserFactory(role=Role.EDITOR, email="editeur@example.org")
    arabic = Locale.objects.get(language_code="ar")
    page = page_for("desktop")
    browser_login(page, live_server, editor)

    # The editor finds "Translate" on the French module.
    page.goto(f"{live_server.url}/cms/pages/{course_fr.pk}/edit/")
    translate_url = f"/cms/translation/submit/page/{course_fr.pk}/"
    assert page.locator("[data-passerelle-locale=fr]").is_visible()
    page.locator("#w-slim-header-buttons .w-dropdown__toggle").click()
    page.get_by_role("link", name=re.compile("Traduire|Translate")).click()
    page.wait_for_url(f"**{translate_url}")
    page.get_by_label(re.compile("العربية")).check()
    page.locator("input[name=include_subtree]").check()
    save_screenshot(page, "editor-translate-form")
    page.locator("input[type=submit]").click()
    page.wait_for_load_state("networkidle")

    course_ar = CoursePage.objects.get(translation_key=course_fr.translation_key, locale=arabic)
    assert page.url.endswith(f"/cms/pages/{course_ar.pk}/edit/")

    # The Arabic copy: its language is in the header, its content fields are right-to-left.
    badge = page.locator("[data-passerelle-locale=ar]")
    assert badge.is_visible() and "العربية" in badge.inner_text()
    assert page.locator("#id_title").get_attribute("dir") == "rtl"
    assert page.locator("#id_summary").get_attribute("dir") == "rtl"
    assert page.locator("#id_slug").get_attribute("dir") != "rtl"
    page.fill("#id_title", ARABIC_TITLE)
    save_screenshot(page, "editor-arabic-module")
    _save_draft(page)
    revision = CoursePage.objects.get(pk=course_ar.pk).get_latest_revision_as_object()
    assert revision.title == ARABIC_TITLE
    assert revision.pre_test.locale == arabic

    # A lesson with its rich text, saved as it is: its check quiz is already the Arabic one.
    lesson_ar = LessonPage.objects.child_of(course_ar).order_by("path").first()
    page.goto(f"{live_server.url}/cms/pages/{lesson_ar.pk}/edit/")
    page.wait_for_selector(".Draftail-Editor")
    assert page.locator(".Draftail-Editor").first.get_attribute("dir") == "rtl"
    assert page.locator("#id_title").get_attribute("dir") == "rtl"
    page.fill("#id_title", "دور الوسيط")
    save_screenshot(page, "editor-arabic-lesson")
    _save_draft(page)
    lesson_revision = LessonPage.objects.get(pk=lesson_ar.pk).get_latest_revision_as_object()
    assert lesson_revision.title == "دور الوسيط"
    if lesson_revision.quiz is not None:
        assert lesson_revision.quiz.locale == arabic
    assert len(lesson_revision.body) == len(LessonPage.objects.get(
        translation_key=lesson_ar.translation_key, locale__language_code="fr").body)

    # A certificate template holds every language at once: each field takes its own direction.
    page.goto(f"{live_server.url}/cms/snippets/certificates/certificatetemplate/add/")
    page.wait_for_selector("#id_title_ar", state="attached")
    assert page.locator("#id_title_ar").get_attribute("dir") == "rtl"
    assert page.locator("#id_body_ar").get_attribute("lang") == "ar"
    assert page.locator("#id_title_fr").get_attribute("dir") == "ltr"
    save_screenshot(page, "editor-certificate-template")
