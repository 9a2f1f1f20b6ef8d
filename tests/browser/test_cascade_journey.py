"""Browser journey at 360×740: a programme manager promotes a learner who completed a training
of trainers in one click; the trainer who trained them opens their family tree in Arabic
(right to left). axe-core finds no serious or critical violation; screenshots saved."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.conftest import axe_violations, save_screenshot
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _url(name, language, *args):
    with translation.override(language):
        return reverse(name, args=args)


def test_manager_promotes_and_trainer_reads_the_tree(live_server, page_for, user_factory):
    from cohorts.models import TrainerPromotion
    from cohorts.services import cohort_create, membership_add, membership_complete
    from lms.models import ProgrammeManagerScope
    from tests.factories import ManagerFactory, TrainerFactory

    lead = TrainerFactory(full_name="Moussa Diallo")
    manager = ManagerFactory(full_name="Nadia Manager")
    ProgrammeManagerScope.objects.create(user=manager, countries=["MA"])
    today = timezone.localdate()
    cohort = cohort_create(
        by=lead, modules=[], name="Formation de formateurs Casablanca", country="MA",
        city="Casablanca", start_date=today - timedelta(days=10),
        end_date=today - timedelta(days=1), time_zone="Africa/Casablanca",
        is_training_of_trainers=True,
    )
    learner = user_factory(full_name="خديجة العلوي")
    membership_complete(membership=membership_add(cohort=cohort, user=learner))

    page = page_for("mobile", locale="en-GB")
    browser_login(page, live_server, manager)
    page.goto(f"{live_server.url}{_url('cohorts:cascade_pending', 'en')}")
    assert axe_violations(page) == []
    save_screenshot(page, "cascade-pending-360")
    page.get_by_role("button", name="Promote to trainer").click()
    page.wait_for_url(f"**{_url('cohorts:cascade_pending', 'en')}")
    assert TrainerPromotion.objects.filter(user=learner, trained_by=lead).count() == 1
    assert "Nobody is awaiting promotion." in page.content()

    page = page_for("mobile", locale="ar")
    browser_login(page, live_server, lead)
    page.goto(f"{live_server.url}{_url('cohorts:cascade_tree', 'ar')}")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.locator(f'[data-trainer="{learner.pk}"][data-level="2"]').count() == 1
    assert page.locator(".cascade-reach").get_attribute("data-depth") == "2"
    assert axe_violations(page) == []
    save_screenshot(page, "cascade-tree-ar-360")
