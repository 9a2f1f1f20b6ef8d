"""Roster imports: the fixture corpus (encodings, delimiters, XLSX title rows, empty rows and
formulas, odd headers, missing columns, invalid e-mails, duplicates, an image renamed .csv),
10,000 rows, a 20 MB file, the all-or-nothing commit and its side effects (memberships,
enrolments, invitations mailed in their language), the pages and the Celery path."""
# ruff: noqa: F811  (fixtures imported from core_fixtures)

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from cohorts import imports
from cohorts.imports import roster_import_create, roster_import_start, roster_parse
from cohorts.models import Invitation, Membership, MembershipState, RosterImport
from cohorts.services import membership_add, membership_withdraw
from cohorts.tasks import roster_import_check_task, roster_import_commit_task
from courses.models import Enrolment
from lms.models import User
from tests.cohorts.core_fixtures import cohort, cohort_build, cohort_module, member  # noqa: F401
from tests.helpers import logged_in_client

pytestmark = pytest.mark.django_db

FILES = Path(__file__).resolve().parent / "roster_files"


def _data(name: str) -> bytes:
    return (FILES / name).read_bytes()


def _parse(name: str):
    return roster_parse(data=_data(name), cohort=None)


def _rows(check) -> list[tuple]:
    return [(r.number, r.email, r.full_name, r.language) for r in check.rows]


def _errors(check) -> list[tuple]:
    return [(e["row"], e["message"]) for e in check.errors]


def _upload(data: bytes, name: str = "roster.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _csv(lines: list[str]) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode()


# --- Reading the corpus -------------------------------------------------------------------------


def test_utf8_comma_csv():
    check = _parse("utf8_comma.csv")
    assert (check.kind, check.encoding, check.delimiter, check.header_row) == (
        "csv", "utf-8", ",", 1)
    assert _rows(check) == [
        (2, "amina.diallo@example.org", "Amina Diallo", "fr"),
        (3, "youssef.benali@example.org", "يوسف بن علي", "ar"),
        (4, "grace.mensah@example.org", "Grace Mensah", "en"),
    ]
    assert check.error_count == 0


def test_utf8_bom_semicolon_csv_with_french_headers():
    check = _parse("utf8_bom_semicolon.csv")
    assert (check.encoding, check.delimiter) == ("utf-8-sig", ";")
    assert check.columns == {"email": "Courriel", "full_name": "Nom complet", "language": "Langue"}
    assert _rows(check) == [(2, "chloe.leroy@example.org", "Chloé Leroy", "fr"),
                            (3, "hafsa.ait@example.org", "Hafsa Aït Ahmed", "")]


def test_windows_1252_csv():
    check = _parse("cp1252_semicolon.csv")
    assert (check.encoding, check.delimiter) == ("cp1252", ";")
    assert [r.full_name for r in check.rows] == ["Hélène Koné", "François Mbarga",
                                                 "Océane Guèye"]


def test_latin1_bytes_outside_windows_1252_still_read():
    # 0x81 is undefined in Windows-1252: Latin-1 is the last resort and never fails.
    check = roster_parse(data=b"E-mail;Nom\r\na@example.org;Z\x81\xe9\r\n", cohort=None)
    assert check.encoding == "latin-1" and check.error_count == 1  # \x81 is a control character


def test_tab_delimited_utf16_csv():
    data = "E-mail\tFull name\r\nx@example.org\tXavier Dupont\r\n".encode("utf-16")
    check = roster_parse(data=data, cohort=None)
    assert (check.encoding, check.delimiter) == ("utf-16", "\t")
    assert _rows(check) == [(2, "x@example.org", "Xavier Dupont", "")]


def test_odd_headers_spacing_capitals_and_ignored_columns():
    check = _parse("odd_headers.csv")
    assert set(check.columns) == {"email", "full_name", "language"}
    assert check.ignored_columns == ["Téléphone"]
    # Row 3 is empty (only delimiters): skipped, and row numbers stay those of the sheet.
    assert _rows(check) == [(2, "ibrahima.ndiaye@example.org", "Ibrahima Ndiaye", "ar"),
                            (4, "mariam.coulibaly@example.org", "Mariam Coulibaly", "")]


def test_arabic_headers_and_language_names():
    check = _parse("arabic_headers.csv")
    assert _rows(check) == [(2, "salma.idrissi@example.org", "سلمى الإدريسي", "ar")]


def test_first_name_and_surname_columns_make_the_full_name():
    check = roster_parse(data=_csv(["Prénom;Nom;Courriel", "Aïssata;Diop;a.diop@example.org"]),
                         cohort=None)
    assert _rows(check) == [(2, "a.diop@example.org", "Aïssata Diop", "")]


def test_xlsx_merged_title_row_empty_rows_and_formula_values():
    check = _parse("roster.xlsx")
    assert (check.kind, check.header_row) == ("xlsx", 3)
    assert check.columns == {"email": "Courriel", "full_name": "Nom complet"}
    assert check.ignored_columns == ["Nom", "Prénom"]
    # D4 and D6 are formulas (=B4&" "&C4): their saved values are read.
    assert _rows(check) == [(4, "fatou.sow@example.org", "Fatou Sow", ""),
                            (6, "moussa.keita@example.org", "Moussa Keïta", ""),
                            (7, "awa.traore@example.org", "Awa Traoré", "")]


def test_xlsx_formulas_without_saved_values_are_explained_per_row():
    with translation.override("en"):
        check = _parse("formulas_not_computed.xlsx")
    message = ("A cell of this row holds a formula whose result was not saved: open the file "
               "in Excel or LibreOffice and save it again, or paste the values instead of the "
               "formulas.")
    assert _errors(check) == [(4, message), (6, message)]
    assert check.error_count == 2 and _rows(check) == [(7, "awa.traore@example.org",
                                                        "Awa Traoré", "")]


def test_missing_required_column_is_named():
    with translation.override("en"):
        check = _parse("missing_column.csv")
    assert _errors(check) == [(1, "Required column missing: « Full name ».")]
    assert check.rows == []


def test_invalid_emails_names_and_languages_by_row():
    with translation.override("en"):
        check = _parse("invalid_emails.csv")
    assert [r.number for r in check.rows] == [2]
    assert _errors(check) == [
        (3, "« not-an-email » is not a valid e-mail address."),
        (4, "« two@@example.org » is not a valid e-mail address."),
        (5, "« spaced name@example.org » is not a valid e-mail address."),
        (6, "Remove the invisible text-direction characters from this text."),
        (6, "« bidi\u202e@example.org » is not a valid e-mail address."),
        (7, "A name cannot contain the characters < > { } [ ] \\ or invisible characters."),
        (8, "The e-mail address is missing."),
        (9, "The full name is missing."),
        (10, "Unknown language « klingon »: write fr, en or ar, or leave it empty."),
    ]


def test_duplicates_inside_the_file_name_both_rows():
    with translation.override("en"):
        check = _parse("duplicates.csv")
    assert _errors(check) == [
        (4, "Rows 2 and 4 have the same e-mail address Dup.Person@Example.org.")]


def test_image_renamed_csv_is_not_a_spreadsheet():
    with translation.override("en"):
        check = _parse("image.csv")
        assert _errors(check) == [(None, "This file is not a spreadsheet. Upload a .csv or "
                                         ".xlsx file (the template below is one).")]
        with pytest.raises(imports.RosterFileError):
            imports.file_kind(b"%PDF-1.7\n")
        with pytest.raises(imports.RosterFileError, match="old Excel"):
            imports.file_kind(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def test_no_header_row_found():
    check = roster_parse(data=_csv(["a@example.org,Amina"]), cohort=None)
    assert check.error_count == 1 and check.errors[0]["row"] is None


@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_the_template_files_read_back_in_each_language(language):
    with translation.override(language):
        headers = imports.template_headers()
        for data in (imports.template_csv(), imports.template_xlsx()):
            check = roster_parse(data=data, cohort=None)
            assert set(check.columns) == {"email", "full_name", "language"}
            assert list(check.columns.values()) == headers
            assert _rows(check) == [(2, "amina.diallo@example.org", "Amina Diallo", "")]
    assert imports.template_csv().startswith(b"\xef\xbb\xbf")


# --- The service: check, then all or nothing ------------------------------------------------


def _ready(cohort, data: bytes, by, name="roster.csv") -> RosterImport:
    roster_import = roster_import_create(cohort=cohort, upload=_upload(data, name), by=by,
                                         language="fr")
    return roster_import


def test_import_adds_accounts_reactivates_and_invites_the_others(
        cohort, cohort_module, trainer, member, user_factory, celery_eager,
        django_capture_on_commit_callbacks):
    has_account = user_factory(email="has.account@example.org")
    withdrawn = user_factory(email="was.here@example.org")
    membership_withdraw(membership=membership_add(cohort=cohort, user=withdrawn))
    data = _csv([
        "E-mail,Full name,Language",
        f"{has_account.email.upper()},Has Account,",
        f"{withdrawn.email},Was Here,",
        f"{member.email},Amina Member,",
        "new.person@example.org,New Person,ar",
        "autre.personne@example.org,Autre Personne,",
    ])
    roster_import = _ready(cohort, data, trainer)
    assert roster_import.status == RosterImport.Status.READY
    assert roster_import.report["counts"] == {"add": 1, "activate": 1, "invite": 2, "member": 1}
    assert [n["row"] for n in roster_import.report["notices"]] == [4]
    assert Invitation.objects.filter(cohort=cohort).count() == 0  # nothing written yet
    stored = roster_import.file.name
    assert roster_import.file.storage.exists(stored)

    with django_capture_on_commit_callbacks(execute=True):
        assert roster_import_start(roster_import=roster_import, by=trainer) is True
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.DONE
    states = dict(Membership.objects.filter(cohort=cohort).values_list("user__email", "state"))
    assert states == {has_account.email: "active", withdrawn.email: "active",
                      member.email: "active"}
    assert Membership.objects.get(cohort=cohort, user=has_account).added_by == trainer
    assert set(Enrolment.objects.filter(course=cohort_module).values_list(
        "user__email", flat=True)) == {has_account.email, withdrawn.email, member.email}
    invitations = {i.email: i for i in Invitation.objects.filter(cohort=cohort)}
    assert {e: i.language for e, i in invitations.items()} == {
        "new.person@example.org": "ar", "autre.personne@example.org": cohort.language}
    # One e-mail per invitation, in its language, carrying its sign-up link.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(invitations)
    arabic = next(m for m in mail.outbox if m.to == ["new.person@example.org"])
    token = invitations["new.person@example.org"].token
    assert f"/ar/cohorts/join/{token}/" in arabic.body
    assert any("\u0600" <= ch <= "\u06ff" for ch in arabic.subject + arabic.body)
    french = next(m for m in mail.outbox if m.to == ["autre.personne@example.org"])
    assert "/fr/cohorts/join/" in french.body and "Bonjour" in french.body
    assert roster_import.report["invitation_ids"] == []  # sent once
    assert User.objects.filter(email="new.person@example.org").exists() is False
    # The roster (names and addresses) is not kept once imported.
    assert roster_import.file.name == "" and not roster_import.file.storage.exists(stored)


def test_one_invalid_row_writes_nothing(cohort, trainer, user_factory):
    person = user_factory(email="good@example.org")
    roster_import = _ready(cohort, _csv(["E-mail,Full name", "good@example.org,Good",
                                         "new@example.org,New", "bad-address,Bad"]), trainer)
    assert roster_import.status == RosterImport.Status.INVALID
    assert roster_import.report["error_count"] == 1
    assert roster_import.report["errors"][0]["row"] == 4
    assert roster_import.file.name == ""  # deleted: a corrected file is a new upload
    assert roster_import_start(roster_import=roster_import, by=trainer) is False
    assert not Membership.objects.filter(cohort=cohort, user=person).exists()
    assert not Invitation.objects.filter(cohort=cohort).exists()


def test_duplicates_and_existing_members_in_the_corpus(cohort, trainer, user_factory):
    membership_add(cohort=cohort, user=user_factory(email="member.already@example.org"))
    roster_import = _ready(cohort, _data("duplicates.csv"), trainer)
    assert roster_import.status == RosterImport.Status.INVALID
    assert [e["row"] for e in roster_import.report["errors"]] == [4]
    fixed = _data("duplicates.csv").replace(b"Dup.Person@Example.org", b"other@example.org")
    roster_import = _ready(cohort, fixed, trainer)
    assert roster_import.status == RosterImport.Status.READY
    assert [n["row"] for n in roster_import.report["notices"]] == [3]  # a note, not an error


def test_commit_happens_once(cohort, trainer, django_capture_on_commit_callbacks):
    roster_import = _ready(cohort, _data("utf8_comma.csv"), trainer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert roster_import_start(roster_import=roster_import, by=trainer) is True
        assert roster_import_start(roster_import=roster_import, by=trainer) is False
    # A task delivered again finds the import done and changes nothing.
    assert roster_import_commit_task(roster_import.pk, trainer.pk) == "done"
    assert Invitation.objects.filter(cohort=cohort).count() == 3
    enqueued = [c for c in callbacks if c.__qualname__.startswith("delay_on_commit")]
    assert len(enqueued) == 1  # the invitations' e-mail task, once (besides the file's deletion)


def test_commit_checks_again_and_writes_nothing_if_an_account_changed(
        cohort, trainer, user_factory):
    person = user_factory(email="soon.gone@example.org")
    roster_import = _ready(cohort, _csv(["E-mail,Full name", "soon.gone@example.org,Soon Gone",
                                         "fresh@example.org,Fresh"]), trainer)
    assert roster_import.status == RosterImport.Status.READY
    User.objects.filter(pk=person.pk).update(is_active=False)
    roster_import_start(roster_import=roster_import, by=trainer)
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.INVALID
    assert [e["row"] for e in roster_import.report["errors"]] == [2]
    assert not Membership.objects.filter(cohort=cohort).exists()
    assert not Invitation.objects.filter(cohort=cohort).exists()


def test_a_member_added_by_hand_meanwhile_is_not_duplicated(cohort, trainer, user_factory):
    person = user_factory(email="meanwhile@example.org")
    roster_import = _ready(cohort, _csv(["E-mail,Full name", "meanwhile@example.org,M"]),
                           trainer)
    assert roster_import.report["counts"]["add"] == 1
    membership_add(cohort=cohort, user=person)
    roster_import_start(roster_import=roster_import, by=trainer)
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.DONE
    assert Membership.objects.filter(cohort=cohort, user=person).count() == 1


def test_an_open_invitation_is_sent_again_not_duplicated(
        cohort, trainer, celery_eager, django_capture_on_commit_callbacks):
    from cohorts.services import invitation_create

    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(cohort=cohort, email="Again@example.org", language="fr", by=trainer)
    mail.outbox.clear()
    roster_import = _ready(cohort, _csv(["E-mail,Full name,Language",
                                         "again@example.org,Again,en"]), trainer)
    with django_capture_on_commit_callbacks(execute=True):
        roster_import_start(roster_import=roster_import, by=trainer)
    invitation = Invitation.objects.get(cohort=cohort)
    assert invitation.language == "en"
    assert [m.to for m in mail.outbox] == [["Again@example.org"]]
    assert "/en/cohorts/join/" in mail.outbox[0].body


def test_ten_thousand_rows_through_the_celery_path(
        cohort, cohort_module, trainer, celery_eager, django_capture_on_commit_callbacks):
    accounts = [User(email=f"learner{i}@example.org", full_name=f"Learner {i}", password="!")
                for i in range(9_000)]
    User.objects.bulk_create(accounts, batch_size=1000)
    lines = ["Courriel;Nom complet"] + [f"learner{i}@example.org;Learner {i}"
                                        for i in range(10_000)]
    data = _csv(lines)
    assert len(data) > imports.SYNC_CHECK_BYTES
    with django_capture_on_commit_callbacks(execute=True):
        roster_import = _ready(cohort, data, trainer)
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.READY
    assert roster_import.total_rows == 10_000
    assert roster_import.report["counts"] == {"add": 9_000, "activate": 0, "invite": 1_000,
                                              "member": 0}
    assert len(roster_import.report["preview"]) == imports.PREVIEW_ROWS
    with django_capture_on_commit_callbacks(execute=True):
        roster_import_start(roster_import=roster_import, by=trainer)
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.DONE
    assert roster_import.processed_rows == 10_000
    assert Membership.objects.filter(cohort=cohort, state=MembershipState.ACTIVE).count() == 9_000
    assert Enrolment.objects.filter(course=cohort_module).count() == 9_000
    assert Invitation.objects.filter(cohort=cohort).count() == 1_000
    assert len(mail.outbox) == 1_000


def test_a_20_mb_file_is_refused_before_parsing(cohort, trainer):
    client = logged_in_client(trainer)
    big = b"E-mail,Full name\r\n" + b"x" * imports.MAX_BYTES
    response = client.post(reverse("cohorts:import_start", args=[cohort.pk]),
                           {"file": _upload(big)})
    assert response.status_code == 400
    error = response.context["form"].errors.as_data()["file"][0]
    assert error.code == "too_big" and error.params["max"] == "20,0\xa0Mio"
    assert not RosterImport.objects.exists()


def test_a_file_just_under_the_limit_gets_a_report_not_a_fault(cohort, trainer):
    # ~20 MB of one long invalid row: read, checked, reported (no crash, nothing written).
    data = b"E-mail,Full name\r\n" + b"not-an-email," + b"y" * (imports.MAX_BYTES - 40) + b"\r\n"
    assert len(data) <= imports.MAX_BYTES
    check = roster_parse(data=data, cohort=None)
    assert check.error_count >= 1 and check.rows == []


# --- Pages ----------------------------------------------------------------------------------


def test_upload_page_documents_the_columns_and_offers_templates(cohort, trainer):
    client = logged_in_client(trainer)
    response = client.get(reverse("cohorts:import_start", args=[cohort.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for key in ("email", "full_name", "language"):
        assert f'data-column="{key}"' in html
    csv_response = client.get(reverse("cohorts:import_template_csv", args=[cohort.pk]))
    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    assert "attachment" in csv_response["Content-Disposition"]
    xlsx = client.get(reverse("cohorts:import_template_xlsx", args=[cohort.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content), read_only=True).worksheets[0]
    with translation.override("fr"):
        assert list(next(sheet.iter_rows(values_only=True))) == imports.template_headers()


def test_the_workspace_links_to_the_import(cohort, trainer):
    response = logged_in_client(trainer).get(reverse("cohorts:workspace_detail",
                                                     args=[cohort.pk]))
    assert reverse("cohorts:import_start", args=[cohort.pk]).encode() in response.content


def test_upload_preview_and_commit_in_the_browser_flow(cohort, trainer, user_factory):
    person = user_factory(email="amina.diallo@example.org")
    client = logged_in_client(trainer)
    response = client.post(reverse("cohorts:import_start", args=[cohort.pk]),
                           {"file": _upload(_data("utf8_comma.csv"))})
    roster_import = RosterImport.objects.get(cohort=cohort)
    detail = reverse("cohorts:import_detail", args=[cohort.pk, roster_import.pk])
    assert response.status_code == 302 and response["Location"] == detail
    page = client.get(detail)
    html = page.content.decode()
    assert page.status_code == 200 and 'data-status="ready"' in html
    assert [f'data-row="{n}"' in html for n in (2, 3, 4)] == [True, True, True]
    assert "data-import-commit" in html
    assert 'data-count="invite"><bdi dir="ltr" class="num">2<' in html
    assert not Membership.objects.filter(cohort=cohort).exists()
    response = client.post(reverse("cohorts:import_commit", args=[cohort.pk, roster_import.pk]))
    assert response.status_code == 302 and response["Location"] == detail
    assert Membership.objects.get(cohort=cohort, user=person).state == "active"
    assert Invitation.objects.filter(cohort=cohort).count() == 2
    assert 'data-status="done"' in client.get(detail).content.decode()


def test_a_file_that_is_not_a_spreadsheet_is_refused_on_upload(cohort, trainer):
    client = logged_in_client(trainer)
    response = client.post(reverse("cohorts:import_start", args=[cohort.pk]),
                           {"file": _upload(_data("image.csv"))})
    assert response.status_code == 400
    assert response.context["form"].errors.as_data()["file"][0].code == "not_a_spreadsheet"
    assert not RosterImport.objects.exists()


def test_an_upload_without_a_file_is_refused(cohort, trainer):
    response = logged_in_client(trainer).post(reverse("cohorts:import_start", args=[cohort.pk]))
    assert response.status_code == 400
    assert response.context["form"].errors.as_data()["file"][0].code == "required"


def test_invalid_file_page_lists_rows_and_offers_a_new_upload(cohort, trainer):
    client = logged_in_client(trainer)
    client.post(reverse("cohorts:import_start", args=[cohort.pk]),
                {"file": _upload(_data("invalid_emails.csv"))})
    roster_import = RosterImport.objects.get(cohort=cohort)
    assert roster_import.status == "invalid"
    html = client.get(reverse("cohorts:import_detail", args=[cohort.pk, roster_import.pk])
                      ).content.decode()
    assert "data-import-errors" in html and "data-import-commit" not in html
    assert html.count("<li><strong>") == roster_import.report["error_count"]


def test_an_import_of_another_cohort_is_404(cohort, trainer):
    other = cohort_build(by=trainer, name="Dakar")
    roster_import = _ready(other, _data("utf8_comma.csv"), trainer)
    client = logged_in_client(trainer)
    for name in ("cohorts:import_detail", "cohorts:import_status"):
        assert client.get(reverse(name, args=[cohort.pk, roster_import.pk])).status_code == 404
    response = client.post(reverse("cohorts:import_commit", args=[cohort.pk, roster_import.pk]))
    assert response.status_code == 404
    roster_import.refresh_from_db()
    assert roster_import.status == "ready"


def test_big_file_is_checked_in_celery_with_a_progress_page(cohort, trainer,
                                                            django_capture_on_commit_callbacks):
    data = _csv(["E-mail,Full name"] + [f"p{i}@example.org,Person {i}" for i in range(2_000)])
    client = logged_in_client(trainer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("cohorts:import_start", args=[cohort.pk]),
                               {"file": _upload(data)})
    assert len(callbacks) == 1  # the check task, enqueued after commit
    roster_import = RosterImport.objects.get(cohort=cohort)
    assert roster_import.status == "checking"
    page = client.get(response["Location"]).content.decode()
    assert "data-import-progress" in page and 'http-equiv="refresh"' in page
    assert "js/cohorts-import" in page
    status_url = reverse("cohorts:import_status", args=[cohort.pk, roster_import.pk])
    assert client.get(status_url).json()["running"] is True
    assert roster_import_check_task(roster_import.pk) == "ready"
    status = client.get(status_url).json()
    assert (status["status"], status["running"], status["total"]) == ("ready", False, 2_000)
    # Committing 2,000 rows goes to Celery too; the page shows the progress until it is done.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("cohorts:import_commit", args=[cohort.pk, roster_import.pk]))
    assert len(callbacks) == 1
    assert client.get(status_url).json()["status"] == "importing"
    assert "data-import-progress" in client.get(response["Location"]).content.decode()
    assert roster_import_commit_task(roster_import.pk, trainer.pk) == "done"
    assert Invitation.objects.filter(cohort=cohort).count() == 2_000


def test_a_check_whose_task_was_lost_says_so(cohort, trainer):
    from datetime import timedelta

    from django.utils import timezone

    data = _csv(["E-mail,Full name"] + [f"p{i}@example.org,Person {i}" for i in range(2_000)])
    roster_import = _ready(cohort, data, trainer)  # queued, never run (no worker here)
    client = logged_in_client(trainer)
    url = reverse("cohorts:import_detail", args=[cohort.pk, roster_import.pk])
    assert "data-import-stale" not in client.get(url).content.decode()
    RosterImport.objects.filter(pk=roster_import.pk).update(
        created_at=timezone.now() - timedelta(hours=1))
    assert "data-import-stale" in client.get(url).content.decode()
