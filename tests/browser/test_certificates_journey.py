"""A learner completes a module, finds, downloads and verifies the certificate; a manager
revokes it and the public page says so."""

import pytest

from tests.conftest import axe_violations, save_screenshot
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _complete_module(site_tree, learner):
    """The learner finishes the module's only lesson: the completion engine issues the
    certificate through the task (run in-process: the test asks for ``celery_eager``)."""
    from courses.models import LessonPage
    from courses.services import enrolment_create, lesson_progress_complete
    from tests.factories import course_create, template_create

    course = course_create(site_tree, template=template_create(), slug="budget-familial",
                           title="Budget familial")
    lesson = LessonPage(title="Faire un budget", slug="faire-un-budget")
    course.add_child(instance=lesson)
    lesson.save_revision().publish()
    enrolment_create(user=learner, course=course)
    lesson_progress_complete(user=learner, lesson=lesson)
    return course


def test_certificate_journey(live_server, page_for, viewport, site_tree, learner, manager,
                             tmp_path, celery_eager):
    from certificates.models import Certificate
    from lms.models import ProgrammeManagerScope

    learner.full_name = "Aminata Traoré"
    learner.save()
    _complete_module(site_tree, learner)
    certificate = Certificate.objects.get(user=learner)
    ProgrammeManagerScope.objects.create(user=manager, countries=[learner.country.code])

    # The learner sees it in "My certificates" and downloads it.
    page = page_for(viewport, "fr-FR")
    browser_login(page, live_server, learner)
    page.goto(f"{live_server.url}/fr/certificates/")
    page.get_by_role("heading", name="Budget familial").wait_for()
    assert certificate.display_code in page.content()
    save_screenshot(page, f"certificates-my-certificates-{viewport}")
    assert axe_violations(page) == []
    with page.expect_download() as download_info:
        # Selectors by URL, not by text: the labels are translated.
        page.locator(f'a[href$="/{certificate.display_code}/download/"]').first.click()
    path = tmp_path / "certificate.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")

    # The same page in Arabic is laid out right to left, with the code left to right.
    page.goto(f"{live_server.url}/ar/certificates/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator(".code").first.get_attribute("dir") == "ltr"
    save_screenshot(page, f"certificates-my-certificates-ar-{viewport}")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/fr/certificates/")

    # The verification page says valid.
    page.locator(f'a[href="/verify/{certificate.display_code}/"]').first.click()
    page.wait_for_url(f"**/verify/{certificate.display_code}/")
    assert page.locator(".badge--ok").is_visible()
    assert "Aminata Traoré" in page.content()
    save_screenshot(page, f"certificates-verify-valid-{viewport}")
    assert axe_violations(page) == []

    # A manager revokes it with a reason.
    manager_page = page_for(viewport, "fr-FR")
    browser_login(manager_page, live_server, manager)
    manager_page.goto(
        f"{live_server.url}/fr/certificates/manage/{certificate.display_code}/revoke/"
    )
    assert axe_violations(manager_page) == []
    manager_page.locator("#id_reason").fill("Erreur de saisie du nom")
    manager_page.locator("main form button[type=submit]").click()
    manager_page.wait_for_url("**/certificates/manage/")
    save_screenshot(manager_page, f"certificates-manage-{viewport}")

    # The public page now says revoked, and why.
    page.goto(f"{live_server.url}/verify/{certificate.display_code}/")
    assert page.locator(".badge--bad").is_visible()
    assert "Erreur de saisie du nom" in page.content()
    save_screenshot(page, f"certificates-verify-revoked-{viewport}")
    assert axe_violations(page) == []
