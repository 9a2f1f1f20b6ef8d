"""The attendance register offline (issue 11, point 6): a trainer opens a session's register
online (the service worker keeps that page in the trainer's own cache), the connection goes,
two learners are marked present and the register saved: the marks wait in the outbox; back
online they are synced, with the time they were marked on the phone and the method "sync".
A participant card scanned meanwhile joins the outbox the same way (method "card")."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.browser.test_offline_journey import (
    _controlled,
    _outbox,
    _wait_until,
    phone,  # noqa: F401 (fixture)
)
from tests.cohorts.sessions_fixtures import session_build
from tests.conftest import axe_violations, save_screenshot
from tests.helpers import browser_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_trainer_marks_the_register_offline_and_it_is_synced_once(
        live_server, phone, trainer, user_factory):  # noqa: F811
    from cohorts import checkin
    from cohorts.models import Attendance, AttendanceChange
    from cohorts.services import cohort_create, membership_add

    today = timezone.localdate()
    cohort = cohort_create(by=trainer, modules=[], name="Séminaire Dakar",
                           start_date=today - timedelta(days=2),
                           end_date=today + timedelta(days=20), time_zone="Africa/Dakar")
    learners = [user_factory(full_name="Awa Diop"), user_factory(full_name="Binta Sow")]
    for learner in learners:
        membership_add(cohort=cohort, user=learner)
    absent = user_factory(full_name="Coumba Fall")
    membership_add(cohort=cohort, user=absent)
    carded = user_factory(full_name="Dior Ndiaye")  # no phone: her participant card is scanned
    membership_add(cohort=cohort, user=carded)
    session = session_build(cohort=cohort)
    with translation.override("fr"):
        register = reverse("cohorts:sessions_register", args=[cohort.pk, session.pk])
        home = reverse("cohorts:sessions_list", args=[cohort.pk])

    context = phone(locale="fr-FR")
    page = context.new_page()
    browser_login(page, live_server, trainer)
    page.goto(f"{live_server.url}{home}")
    _controlled(page)
    page.goto(f"{live_server.url}{register}")  # opened online: kept for this trainer
    _wait_until(lambda: page.evaluate(
        f"""() => caches.open('pas-pages-{trainer.pk}').then(c => c.match('{register}'))
            .then(r => !!r)"""))

    context.set_offline(True)
    page.reload()  # from the worker's cache
    assert page.locator("body").get_attribute("data-user-id") == str(trainer.pk)
    assert page.locator(".register-row").count() == 4
    before = timezone.now()
    for learner in learners:
        page.locator(f"input[name='status-{learner.pk}'][value='present']").check()
    page.locator("button[name=action][value=save]").click()
    page.locator("form[data-offline-event=attendance_register] + .offline-note").wait_for()
    [event] = _outbox(page)
    assert (event["type"], event["url"], event["fields"]["action"]) == (
        "attendance_register", register, "save")
    # A participant card scanned offline: the phone opens the card's URL, the worker shows
    # the page kept for it, and "Mark present" queues the scan for that URL.
    with translation.override("fr"):
        card = reverse("cohorts:sessions_card_scan", args=[checkin.card_token(carded)])
    page.goto(f"{live_server.url}{card}")
    assert page.url == f"{live_server.url}{card}"
    save_screenshot(page, "offline-card-scan-fr")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Marquer présent").click()
    page.locator("form[data-offline-event=card_checkin] + .offline-note").wait_for()
    assert [e["type"] for e in _outbox(page)] == ["attendance_register", "card_checkin"]
    assert _outbox(page)[1]["url"] == card
    assert Attendance.objects.count() == 0

    context.set_offline(False)  # the `online` event sends the outbox
    _wait_until(lambda: _outbox(page) == [])
    rows = {row.user_id: row for row in Attendance.objects.filter(session=session)}
    assert set(rows) == {learner.pk for learner in learners} | {carded.pk}
    for row in rows.values():
        assert row.status == "present"
        assert before - timedelta(seconds=5) <= row.device_marked_at <= timezone.now()
    changes = AttendanceChange.objects.filter(attendance__session=session)
    assert sorted(changes.values_list("method", flat=True)) == ["card", "sync", "sync"]

    # Online, the register is posted by fetch (offline.js) and the answer shown as a real post
    # shows it: the register again, with its message (the form's buttons are named "action").
    page.goto(f"{live_server.url}{register}")
    page.locator(f"input[name='status-{absent.pk}'][value='absent']").check()
    page.locator("button[name=action][value=save]").click()
    page.locator(".messages .message--success").wait_for()
    assert page.url == f"{live_server.url}{register}"
    assert Attendance.objects.get(session=session, user=absent).status == "absent"
    assert _outbox(page) == []
