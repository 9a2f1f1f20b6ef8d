"""Sign up → verify from the outbox → log in → complete profile → Arabic (RTL) → log out."""

import re

import pytest
from django.core import mail

from tests.conftest import axe_violations, save_screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Un-mot-de-passe-solide-42"


def _assert_accessible(page, where: str):
    violations = axe_violations(page)
    assert not violations, f"{where}: {violations}"


def test_signup_verify_login_profile_rtl_logout(live_server, page_for, viewport):
    from lms.demo import demo_site_ensure

    demo_site_ensure()
    mail.outbox.clear()
    email = f"awa.{viewport}@example.org"
    page = page_for(viewport)

    page.goto(f"{live_server.url}/fr/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    _assert_accessible(page, "home")
    if page.locator(".site-menu > summary").is_visible():  # on a phone, the menu is folded
        page.locator(".site-menu > summary").click()
    page.get_by_role("link", name=re.compile("inscri|Sign up", re.I)).first.click()
    _assert_accessible(page, "signup")

    # A first attempt without consent re-displays the form with its error, losing nothing typed.
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.fill("input[name=full_name]", "Awa Ndiaye")
    page.locator("form button[type=submit]").last.click()
    if page.locator("input[name=consent]").count():
        page.check("input[name=consent]")
        page.fill("input[name=password1]", PASSWORD)
        page.fill("input[name=password2]", PASSWORD)
        page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/confirm-email/"))

    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/confirm-email/[^\s]+", mail.outbox[0].body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)
    page.goto(f"{live_server.url}{path}")
    page.locator("form button[type=submit]").last.click()

    page.goto(f"{live_server.url}/fr/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/fr/accounts/profile/"))
    _assert_accessible(page, "profile")

    page.select_option("select[name=sex]", "female")
    page.select_option("select[name=country]", "SN")
    page.fill("input[name=year_of_birth]", "1991")
    page.fill("input[name=new_organisation_name]", "Association des femmes migrantes")
    page.select_option("select[name=new_organisation_type]", "civil_society")
    page.locator("form.stack-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/fr/accounts/profile/"))
    assert page.locator(".message--success").count() == 1

    page.locator(".lang-switcher a[hreflang=ar]").click()
    page.wait_for_url(re.compile(r"/ar/accounts/profile/"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    _assert_accessible(page, "profile (ar)")
    save_screenshot(page, f"accounts-profile-ar-{viewport}")

    page.goto(f"{live_server.url}/ar/")
    save_screenshot(page, f"home-ar-{viewport}")
    if page.locator(".site-menu > summary").is_visible():  # on a phone, the menu is folded
        page.locator(".site-menu > summary").click()
    # Logging out first clears this person's offline data (static/js/offline.js), then posts:
    # wait for that navigation rather than racing it.
    with page.expect_navigation():
        page.locator("form[action$='/accounts/logout/'] button").click()
    page.goto(f"{live_server.url}/ar/accounts/profile/")
    assert "/accounts/login/" in page.url
