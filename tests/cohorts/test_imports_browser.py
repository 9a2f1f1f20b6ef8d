"""At 360 px: a trainer opens the roster import from the cohort's page, uploads the XLSX of the
corpus (title row, empty rows, formulas), reads the preview and imports (the upload page is
also checked in Arabic, right to left); a bigger file shows
the progress bar, which follows the check (JavaScript polling) and turns into the report.
axe-core finds no serious or critical violation; screenshots saved."""

import re
from pathlib import Path

import pytest

from tests.cohorts.core_fixtures import cohort_build
from tests.conftest import axe_violations, save_screenshot
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FILES = Path(__file__).resolve().parent / "roster_files"


@pytest.mark.parametrize("viewport", ["mobile"], indirect=True)
def test_trainer_imports_a_roster_on_a_phone(live_server, page_for, viewport, loaded, trainer,
                                             user_factory, tmp_path):
    from cohorts.models import Invitation, Membership, RosterImport
    from cohorts.tasks import roster_import_check_task

    cohort = cohort_build(by=trainer, modules=[loaded["cohort"]], name="Dakar 2026")
    fatou = user_factory(full_name="Fatou Sow", email="fatou.sow@example.org")
    page = page_for(viewport, "fr-FR")
    browser_login(page, live_server, trainer)

    page.goto(f"{live_server.url}/fr/cohorts/{cohort.pk}/")
    page.locator(f"a[href$='/cohorts/{cohort.pk}/import/']").first.click()
    page.wait_for_url(f"**/cohorts/{cohort.pk}/import/")
    assert page.locator("[data-column]").count() == 3
    save_screenshot(page, "cohorts-import-start-mobile")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.set_input_files("#id_file", str(FILES / "roster.xlsx"))
    page.locator("form[data-import-upload] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/import/[0-9]+/$"))
    assert page.locator("[data-status=ready]").count() == 1
    assert [page.locator(f"li[data-row='{n}']").count() for n in (4, 6, 7)] == [1, 1, 1]
    save_screenshot(page, "cohorts-import-preview-mobile")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("[data-import-commit]").click()
    page.wait_for_selector("[data-status=done]")
    assert Membership.objects.get(cohort=cohort, user=fatou).state == "active"
    assert set(Invitation.objects.filter(cohort=cohort).values_list("email", flat=True)) == {
        "moussa.keita@example.org", "awa.traore@example.org"}
    save_screenshot(page, "cohorts-import-done-mobile")
    assert axe_violations(page) == []

    # The same pages right to left: the report of the import just done, and the upload page.
    page.goto(f"{live_server.url}/ar/cohorts/{cohort.pk}/import/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    save_screenshot(page, "cohorts-import-start-mobile-ar")
    assert axe_violations(page) == []

    # A file above a few hundred rows is checked by a task; the page polls and follows it.
    big = tmp_path / "grande-liste.csv"
    big.write_text("Courriel;Nom complet\r\n" + "".join(
        f"personne{i}@example.org;Personne {i}\r\n" for i in range(3_000)), encoding="utf-8")
    page.goto(f"{live_server.url}/fr/cohorts/{cohort.pk}/import/")
    page.set_input_files("#id_file", str(big))
    page.locator("form[data-import-upload] button[type=submit]").click()
    page.wait_for_selector("[data-import-progress]")
    save_screenshot(page, "cohorts-import-progress-mobile")
    assert axe_violations(page) == []
    roster_import = RosterImport.objects.get(cohort=cohort, status="checking")
    assert roster_import_check_task(roster_import.pk) == "ready"
    page.wait_for_selector("[data-status=ready]", timeout=15_000)  # no reload by hand
    assert page.locator("[data-import-commit]").count() == 1
