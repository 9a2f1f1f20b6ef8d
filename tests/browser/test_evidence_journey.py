"""Browser journey at 360×740 (evidence): on a cohort that signs on the phone, a trainer opens
the register, has a learner sign with a finger (pointer events on the canvas), sees "Signed",
downloads the sign-in sheet (a real PDF with the learner's name and the page code, read by
pypdf) and sends the scanned signed sheet; axe-core finds nothing serious on the pages."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.conftest import ARTIFACTS, axe_violations, save_screenshot
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def test_learner_signs_on_the_phone_and_trainer_prints_and_sends_the_sheet(
        live_server, page_for, trainer, user_factory, tmp_path):
    from pypdf import PdfReader

    from cohorts.models import Attendance, SignInSheetScan
    from cohorts.services import cohort_create, membership_add
    from tests.cohorts.sessions_fixtures import session_build

    today = timezone.localdate()
    cohort = cohort_create(by=trainer, modules=[], name="Atelier Bamako",
                           start_date=today - timedelta(days=2),
                           end_date=today + timedelta(days=20), time_zone="Africa/Bamako",
                           signatures_on_phone=True)
    learner = user_factory(full_name="Awa Signataire")
    membership_add(cohort=cohort, user=learner)
    session = session_build(cohort=cohort, venue="Bourse du travail")

    page = page_for("mobile", locale="en-GB")
    browser_login(page, live_server, trainer)
    page.goto(f"{live_server.url}{_en('cohorts:sessions_register', cohort.pk, session.pk)}")
    page.get_by_role("link", name="Sign on the phone · Awa Signataire").click()
    page.wait_for_url(f"**{_en('cohorts:evidence_sign', cohort.pk, session.pk, learner.pk)}")
    canvas = page.locator("canvas")
    assert canvas.is_visible()
    assert page.get_by_role("button", name="Save the signature").is_disabled()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] * 0.7)
    page.mouse.down()
    for step in range(1, 15):
        y = box["height"] * (0.7 - (step % 4) * 0.1)
        page.mouse.move(box["x"] + 20 + step * 15, box["y"] + y)
    page.mouse.up()
    assert axe_violations(page) == []
    save_screenshot(page, "evidence-sign-360")
    page.get_by_role("button", name="Save the signature").click()
    page.wait_for_url(f"**{_en('cohorts:sessions_register', cohort.pk, session.pk)}")
    assert page.locator("[data-signed]").count() == 1
    row = Attendance.objects.get(session=session, user=learner)
    assert row.status == "present" and row.signature_svg.count(" L") >= 10

    page.goto(f"{live_server.url}{_en('cohorts:evidence_session', cohort.pk, session.pk)}")
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Print the sign-in sheet (PDF)").click()
    assert download.value.suggested_filename == f"sign-in-{session.pk}.pdf"
    pdf = (tmp_path / "sheet.pdf")
    download.value.save_as(pdf)
    text = PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text()
    assert "Awa Signataire" in text and f"C{cohort.pk}-S{session.pk}-P1" in text

    # The "scan" sent back is the sheet itself (a PDF), as a trainer's scanner would send it.
    page.set_input_files("input[type=file]", str(pdf))
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_load_state()
    scan = SignInSheetScan.objects.get(session=session)
    assert (scan.content_type, scan.original_name) == ("application/pdf", "sheet.pdf")
    assert page.locator(f"[data-scan='{scan.pk}']").count() == 1
    save_screenshot(page, "evidence-session-360")
    page.goto(f"{live_server.url}{_en('cohorts:evidence_list', cohort.pk)}")
    assert axe_violations(page) == []
    save_screenshot(page, "evidence-list-360")
    assert ARTIFACTS.exists()
    scan.file.delete(save=False)
