"""At 360 px: a trainer creates a cohort from "My cohorts", adds a learner found by e-mail,
opens the progress table; a learner requests a place in an open cohort from the cohort-only
module's page. axe-core finds no serious or critical violation; screenshots saved."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import axe_violations, save_screenshot
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("viewport", ["mobile"], indirect=True)
def test_trainer_workspace_and_open_cohort(live_server, page_for, viewport, loaded, trainer,
                                           user_factory):
    from cohorts.models import Cohort, Membership, MembershipState

    module = loaded["cohort"]
    amina = user_factory(full_name="Amina Diallo", email="amina@example.org")
    page = page_for(viewport, "fr-FR")
    browser_login(page, live_server, trainer)

    page.goto(f"{live_server.url}/fr/cohorts/")
    save_screenshot(page, "cohorts-workspace-list-mobile")
    assert axe_violations(page) == []
    page.locator("a.button[href$='/cohorts/new/']").click()
    page.fill("#id_name", "Dakar 2026")
    today = timezone.localdate()
    page.fill("#id_start_date", today.isoformat())
    page.fill("#id_end_date", (today + timedelta(days=20)).isoformat())
    page.select_option("#id_time_zone", "Africa/Dakar")
    page.check(f"input[name='modules'][value='{module.pk}']")
    page.check("#id_is_open")
    page.fill("#id_capacity", "1")
    save_screenshot(page, "cohorts-workspace-form-mobile")
    assert axe_violations(page) == []
    # Enter in a text field submits with the form's default button (the one "Create" button).
    page.press("#id_name", "Enter")
    page.wait_for_url(re.compile(r"/cohorts/[0-9]+/$"))
    cohort = Cohort.objects.get(name="Dakar 2026")
    save_screenshot(page, "cohorts-workspace-detail-mobile")
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/fr/cohorts/{cohort.pk}/members/?q=amina@example.org")
    page.locator("form[action$='/members/add/'] button").click()
    page.wait_for_url("**/members/")
    assert Membership.objects.get(cohort=cohort, user=amina).state == MembershipState.ACTIVE
    save_screenshot(page, "cohorts-workspace-members-mobile")
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/fr/cohorts/{cohort.pk}/progress/")
    assert "Amina Diallo" in page.content()
    save_screenshot(page, "cohorts-workspace-progress-mobile")
    assert axe_violations(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360

    # A learner finds the open cohort on the module page: full, so the waiting list.
    learner = user_factory(full_name="Moussa Keita")
    other = page_for(viewport, "fr-FR")
    browser_login(other, live_server, learner)
    other.goto(f"{live_server.url}{module.url}")
    other.locator(f"a[href$='/cohorts/open/{cohort.pk}/']").first.click()
    other.locator(f"form[action$='/open/{cohort.pk}/request/'] button").click()
    other.wait_for_url(f"**/cohorts/open/{cohort.pk}/")
    assert Membership.objects.get(cohort=cohort, user=learner).state == MembershipState.REQUESTED
    save_screenshot(other, "cohorts-open-cohort-waiting-mobile")
    assert axe_violations(other) == []
