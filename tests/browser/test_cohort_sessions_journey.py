"""Browser journey at 360×740: a trainer schedules a session and marks the register; a learner
checks in through the QR code on the trainer's screen, decoded from a screenshot by zbarimg."""

import shutil
import subprocess
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.conftest import ARTIFACTS, axe_violations, save_screenshot
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _en(name, *args, **kwargs):
    with translation.override("en"):
        return reverse(name, args=args, kwargs=kwargs)


def test_trainer_schedules_marks_and_learner_checks_in_by_qr(live_server, page_for, settings,
                                                              trainer, user_factory):
    from cohorts.models import Attendance
    from cohorts.services import cohort_create, membership_add

    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        pytest.fail("zbarimg not found (apt-get install zbar-tools)")
    settings.SITE_URL = live_server.url
    today = timezone.localdate()
    cohort = cohort_create(by=trainer, modules=[], name="Séminaire Dakar",
                           start_date=today - timedelta(days=2),
                           end_date=today + timedelta(days=20), time_zone="Africa/Dakar")
    learner = user_factory(full_name="Awa Learner")
    other = user_factory(full_name="Binta Other")
    membership_add(cohort=cohort, user=learner)
    membership_add(cohort=cohort, user=other)

    page = page_for("mobile", locale="en-GB")
    browser_login(page, live_server, trainer)
    local = datetime.now(tz=cohort.zone)
    start = max(local - timedelta(hours=1), local.replace(hour=0, minute=0))
    end = min(local + timedelta(hours=1), local.replace(hour=23, minute=59))
    page.goto(f"{live_server.url}{_en('cohorts:sessions_create', cohort.pk)}")
    page.fill("#id_topic", "Droits des travailleurs")
    page.fill("#id_date", start.date().isoformat())
    page.fill("#id_start_time", start.strftime("%H:%M"))
    page.fill("#id_end_time", end.strftime("%H:%M"))
    page.fill("#id_venue", "Bourse du travail")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**{_en('cohorts:sessions_list', cohort.pk)}")
    assert "Africa/Dakar" in page.content()
    assert axe_violations(page) == []
    save_screenshot(page, "cohort-sessions-list-360")
    session = cohort.sessions.get()

    page.goto(f"{live_server.url}{_en('cohorts:sessions_register', cohort.pk, session.pk)}")
    page.fill("#register-q", "binta")
    assert page.locator(".register-row:visible").count() == 1
    page.locator(f"input[name='status-{other.pk}'][value='present']").check()
    page.fill(f"#remark-{other.pk}", "arrivée à l'heure")
    assert axe_violations(page) == []
    save_screenshot(page, "cohort-sessions-register-360")
    page.get_by_role("button", name="Save the register").click()
    page.locator(".messages .message--success").wait_for()  # posted by fetch (offline.js)
    assert Attendance.objects.get(user=other).status == "present"

    page.goto(f"{live_server.url}{_en('cohorts:sessions_qr', cohort.pk, session.pk)}")
    assert axe_violations(page) == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "cohort-sessions-qr-360.png"
    page.locator("[data-checkin-svg]").screenshot(path=str(shot))
    decoded = subprocess.run([zbarimg, "--raw", "-q", str(shot)], capture_output=True,
                             text=True, timeout=30, check=True).stdout.strip()
    assert decoded.startswith(f"{live_server.url}/") and "/checkin/" in decoded

    learner_page = page_for("mobile", locale="en-GB")
    browser_login(learner_page, live_server, learner)
    learner_page.goto(decoded)
    learner_page.get_by_role("button", name="Check me in").click()
    learner_page.wait_for_load_state()
    assert "checked in" in learner_page.content()
    assert Attendance.objects.get(user=learner).status == "present"
    assert axe_violations(learner_page) == []
    save_screenshot(learner_page, "cohort-sessions-my-sessions-360")
