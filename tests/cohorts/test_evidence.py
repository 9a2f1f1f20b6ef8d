"""Evidence: the sign-in sheet PDF (pypdf reads names, per-page codes, 30 rows a page, Arabic
right-to-left), scanned sheets (accepted and refused by content, size, who may download and
delete), phone signatures (the SVG is built from the posted points only; removing resets the
presence to absent, audited). PDFs are rendered only in the tests that read them."""
# ruff: noqa: F811  (fixtures imported from sessions_fixtures)

from __future__ import annotations

import io
import json
from datetime import date, time

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from cohorts import evidence
from cohorts.attendance import register_save
from cohorts.models import Attendance, AttendanceChange, Session, SignInSheetScan
from cohorts.services import membership_add
from lms.models import Organisation, ProgrammeManagerScope
from tests.cohorts.sessions_fixtures import s_cohort, s_member, s_session  # noqa: F401
from tests.factories import ManagerFactory, TrainerFactory
from tests.helpers import logged_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _scan_storage(tmp_path, monkeypatch):
    """Scans of these tests go to a temporary private folder."""
    field = SignInSheetScan._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path / "private"))
    return field.storage


@pytest.fixture(autouse=True)
def _language_reset():
    """A request to an /en/ page leaves English active in this thread (LocaleMiddleware):
    later tests must reverse their URLs in the default language again."""
    yield
    translation.deactivate()


def _png(size=(40, 20)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return buffer.getvalue()


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, "JPEG")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _people(cohort, user_factory, n, **fields):
    """``n`` active members (rows made in bulk: the sheet only reads them)."""
    from cohorts.models import Membership

    people = user_factory.create_batch(n, **fields)
    for i, person in enumerate(people):
        # Long enough to be cut to two lines: the page must still hold 30 rows.
        person.full_name = f"Apprenant {i:03d} Ould Abdallahi Mohamed Lemine Ben Ahmed Salem"
    type(people[0]).objects.bulk_update(people, ["full_name"])
    Membership.objects.bulk_create([Membership(cohort=cohort, user=p) for p in people])
    return people


# --- The sign-in sheet ------------------------------------------------------------------------


def test_sheet_of_200_learners_has_7_pages_of_30_rows_each_with_its_code(
        trainer, s_cohort, s_session, user_factory):
    organisation = Organisation.objects.create(
        name="Confédération nationale des travailleurs du Sénégal, section de Dakar-Plateau",
        type="trade_union")
    _people(s_cohort, user_factory, 200, organisation=organisation)
    url = reverse("cohorts:evidence_sheet", args=[s_cohort.pk, s_session.pk])
    response = logged_in_client(trainer).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="sign-in-{s_session.pk}.pdf"'
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    pages = _pages(response.content)
    assert len(pages) == 7
    code = f"C{s_cohort.pk}-S{s_session.pk}"
    for number, text in enumerate(pages, start=1):
        assert f"{code}-P{number}" in text
        assert f"{number} / 7" in text
        assert s_session.topic in text and "Séminaire Casablanca" in text
        names = {f"Apprenant {i:03d}" for i in range((number - 1) * 30, min(number * 30, 200))}
        assert {n for n in names if n in text} == names
    assert "Apprenant 029" in pages[0] and "Apprenant 030" not in pages[0]
    assert "Apprenant 199" in pages[6] and "Confédération nationale" in pages[6]
    # The labels are in the cohort's language (French by default).
    assert "Feuille d'émargement" in pages[0] or "Sign-in sheet" in pages[0]


def test_sheet_lists_seated_members_only_in_name_order(s_cohort, s_session, user_factory):
    from cohorts.services import membership_withdraw

    b, a, gone = (user_factory(full_name=name) for name in ("Bineta", "Awa", "Withdrawn"))
    long = user_factory(full_name="Zeynab " + "Ould Abdallahi " * 8, email="z@example.org")
    no_name = user_factory(full_name="", email="yacine.s@example.org")
    for person in (b, a, gone, long, no_name):
        membership_add(cohort=s_cohort, user=person)
    membership_withdraw(membership=s_cohort.memberships.get(user=gone), by=None)
    rows = evidence.signin_sheet_rows(session=s_session)
    # Names only (no e-mail address on a sheet that goes round the room), cut to two lines.
    assert [r.name for r in rows] == [
        "yacine.s", "Awa", "Bineta", ("Zeynab " + "Ould Abdallahi " * 8)[:59].rstrip() + "…"]
    rows = rows[1:3]
    pages = evidence.sheet_pages(rows)
    assert len(pages) == 1 and len(pages[0].rows) == 30  # blank rows for walk-ins
    assert [r.name for r in pages[0].rows[2:]] == [""] * 28


def test_arabic_sheet_is_right_to_left_in_arabic(s_cohort, s_session, user_factory):
    s_cohort.language = "ar"
    s_cohort.save()
    user_factory(full_name="Ignored")  # not a member
    for name in ("أمينة تراوري", "Moussa Diop"):
        membership_add(cohort=s_cohort, user=user_factory(full_name=name))
    session = Session.objects.select_related("cohort").get(pk=s_session.pk)
    html = evidence.signin_sheet_html(session=session)
    assert '<html lang="ar" dir="rtl">' in html
    assert '<span dir="rtl">أمينة تراوري</span>' in html
    assert '<span dir="ltr">Moussa Diop</span>' in html
    text = _pages(evidence.signin_sheet_pdf(session=session))[0]
    arabic = [c for c in text if "\u0600" <= c <= "\u06ff" or "\ufb50" <= c <= "\ufeff"]
    assert len(arabic) > 20  # the Arabic labels and the name come out as Arabic text
    assert "Moussa Diop" in text and f"C{s_cohort.pk}-S{session.pk}-P1" in text


def test_sheet_shows_the_session_in_the_cohorts_zone_and_language(trainer, user_factory):
    from cohorts.services import cohort_create

    cohort = cohort_create(by=trainer, modules=[], name="Dakar", start_date=date(2026, 1, 1),
                           end_date=date(2026, 12, 31), time_zone="Africa/Dakar", language="en")
    session = Session.objects.create(cohort=cohort, topic="Rights", date=date(2026, 3, 5),
                                     start_time=time(9, 30), end_time=time(12),
                                     venue="Bourse du travail")
    context = evidence.signin_sheet_context(session=session)
    assert context["date"] == "Thursday March 5, 2026"
    assert (context["times"], context["zone"]) == ("09:30–12:00", "Africa/Dakar")
    assert context["trainers"] == [trainer.full_name or trainer.email.partition("@")[0]]
    html = evidence.signin_sheet_html(session=session)
    assert "Bourse du travail" in html and 'src="static:img/logo.svg"' in html


def test_sheet_renderer_failure_is_explained_not_a_500(trainer, s_cohort, s_session, settings):
    settings.PDF_RENDER_TIMEOUT = 0.001  # the renderer is killed: a real RenderFailed
    url = reverse("cohorts:evidence_sheet", args=[s_cohort.pk, s_session.pk])
    client = logged_in_client(trainer)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("cohorts:evidence_session",
                                           args=[s_cohort.pk, s_session.pk])
    assert "error" in [m.level_tag for m in client.get(response["Location"]).context["messages"]]


def test_evidence_list_queries_do_not_grow_with_sessions_and_scans(
        trainer, s_cohort, s_session):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = logged_in_client(trainer)
    url = reverse("cohorts:evidence_list", args=[s_cohort.pk])
    client.get(url)  # warm the navigation cache
    counts = []
    for _ in range(2):
        for n in range(3):
            session = Session.objects.create(cohort=s_cohort, topic=f"T{n}", date=s_session.date,
                                             start_time=time(1 + n), end_time=time(2 + n))
            evidence.scan_create(session=session, by=trainer,
                                 upload=SimpleUploadedFile("p.png", _png()))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[0] <= 10


def test_sheet_head_answers_headers_without_rendering(trainer, s_cohort, s_session):
    url = reverse("cohorts:evidence_sheet", args=[s_cohort.pk, s_session.pk])
    response = logged_in_client(trainer).head(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="sign-in-{s_session.pk}.pdf"'
    assert not response.has_header("Content-Length")


def test_sheet_is_refused_to_people_out_of_the_cohort(learner, s_cohort, s_session):
    url = reverse("cohorts:evidence_sheet", args=[s_cohort.pk, s_session.pk])
    assert logged_in_client(learner).get(url).status_code == 404
    assert logged_in_client(TrainerFactory()).get(url).status_code == 404


# --- Scanned sheets -----------------------------------------------------------------------------


def _upload(client, cohort, session, name, content, content_type="application/octet-stream"):
    # The English page: its messages are the msgids, whether or not the catalogues have them.
    with translation.override("en"):
        url = reverse("cohorts:evidence_session", args=[cohort.pk, session.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content, content_type)})


@pytest.mark.parametrize(("name", "content", "kept_as"), [
    ("sheet.pdf", PDF, "application/pdf"),
    ("IMG_0001.JPG", None, "image/jpeg"),
    ("scan.png", None, "image/png"),
    ("IMG_0002.HEIC", HEIC, "image/heic"),
    ("photo.pdf", None, "image/png"),  # a real PNG named .pdf is kept as the PNG it is
])
def test_scan_accepted_by_its_content(trainer, s_cohort, s_session, name, content, kept_as):
    content = content if content is not None else (_jpeg() if kept_as == "image/jpeg"
                                                   else _png())
    response = _upload(logged_in_client(trainer), s_cohort, s_session, name, content,
                       "application/pdf")
    assert response.status_code == 302
    scan = SignInSheetScan.objects.get()
    assert (scan.content_type, scan.original_name, scan.size, scan.uploaded_by) == (
        kept_as, name, len(content), trainer)
    assert scan.file.name.startswith(f"evidence/{s_cohort.pk}/{s_session.pk}/")
    assert name not in scan.file.name
    with scan.file.open("rb") as handle:
        assert handle.read() == content


@pytest.mark.parametrize(("name", "content", "message"), [
    ("fake.pdf", b"GIF89a not really an image" + b"\x00" * 100, "PDF, JPEG, PNG or HEIC"),
    ("fake.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 50, "damaged or incomplete"),
    ("cut.pdf", b"%PDF-1.7\n1 0 obj<<>>", "damaged or incomplete"),
    ("script.pdf", b"<script>alert(1)</script>", "PDF, JPEG, PNG or HEIC"),
    ("empty.pdf", b"", "The submitted file is empty."),
])
def test_scan_refused_with_a_clear_error(trainer, s_cohort, s_session, name, content, message):
    response = _upload(logged_in_client(trainer), s_cohort, s_session, name, content)
    assert response.status_code == 400
    assert not SignInSheetScan.objects.exists()
    if message:
        assert message in response.content.decode()


def test_scan_too_large_refused(trainer, s_cohort, s_session, settings):
    big = PDF[:-7] + b"\x00" * (evidence.SCAN_MAX_BYTES - len(PDF) + 8) + b"%%EOF\n"
    response = _upload(logged_in_client(trainer), s_cohort, s_session, "big.pdf", big)
    assert response.status_code == 400
    assert "The file is too large (15.0 MB); the limit is 15 MB." in response.content.decode()
    assert not SignInSheetScan.objects.exists()
    with pytest.raises(Exception) as error:
        evidence.scan_check(SimpleUploadedFile("big.pdf", big))
    assert error.value.code == "too_large"


@pytest.fixture
def scan(trainer, s_cohort, s_session):
    return evidence.scan_create(session=s_session, by=trainer,
                                upload=SimpleUploadedFile("feuille 1.png", _png()))


def test_scan_download_only_for_the_cohorts_trainers_and_managers(
        trainer, learner, s_cohort, s_session, s_member, scan, administrator):
    url = reverse("cohorts:evidence_scan_download", args=[s_cohort.pk, s_session.pk, scan.pk])
    manager_in, manager_out = ManagerFactory(), ManagerFactory()
    ProgrammeManagerScope.objects.create(user=manager_in, countries=["MA"])
    ProgrammeManagerScope.objects.create(user=manager_out, countries=["TN"])
    for user in (trainer, manager_in, administrator):
        response = logged_in_client(user).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"] == (
            f'attachment; filename="sign-in-{s_session.pk}-feuille 1.png"')
        assert "no-store" in response["Cache-Control"]
        assert b"".join(response.streaming_content) == _png()
    for user in (learner, s_member, manager_out, TrainerFactory()):
        assert logged_in_client(user).get(url).status_code == 404
    # Another session's URL does not reach the scan.
    other = Session.objects.create(cohort=s_cohort, topic="Autre", date=s_session.date,
                                   start_time=time(1), end_time=time(2))
    wrong = reverse("cohorts:evidence_scan_download", args=[s_cohort.pk, other.pk, scan.pk])
    assert logged_in_client(trainer).get(wrong).status_code == 404


def test_scans_listed_per_session_and_on_the_cohorts_evidence_list(
        trainer, s_cohort, s_session, scan):
    manager = ManagerFactory()
    ProgrammeManagerScope.objects.create(user=manager, countries=["MA"])
    page = logged_in_client(trainer).get(
        reverse("cohorts:evidence_session", args=[s_cohort.pk, s_session.pk]))
    assert f'data-scan="{scan.pk}"' in page.content.decode()
    listing = logged_in_client(manager).get(reverse("cohorts:evidence_list", args=[s_cohort.pk]))
    body = listing.content.decode()
    assert listing.status_code == 200 and f'data-scan="{scan.pk}"' in body
    assert reverse("cohorts:evidence_scan_download",
                   args=[s_cohort.pk, s_session.pk, scan.pk]) in body
    # The cohort page links to the evidence list (the manager's way in from "Cohorts").
    detail = logged_in_client(manager).get(reverse("cohorts:workspace_detail",
                                                   args=[s_cohort.pk]))
    assert reverse("cohorts:evidence_list", args=[s_cohort.pk]) in detail.content.decode()


def test_scan_deleted_by_uploader_or_manager_after_confirmation_and_logged(
        trainer, s_cohort, s_session, scan, _scan_storage, django_capture_on_commit_callbacks):
    co_trainer = TrainerFactory()
    s_cohort.trainers.add(co_trainer)
    url = reverse("cohorts:evidence_scan_delete", args=[s_cohort.pk, s_session.pk, scan.pk])
    # A co-trainer sees the scan but may not delete what someone else sent.
    assert logged_in_client(co_trainer).get(url).status_code == 403
    assert logged_in_client(co_trainer).post(url).status_code == 403
    client = logged_in_client(trainer)
    assert client.get(url).status_code == 200  # the confirmation page
    assert SignInSheetScan.objects.filter(pk=scan.pk).exists()
    name = scan.file.name
    assert _scan_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):  # the file goes after the commit
        assert client.post(url).status_code == 302
    assert not SignInSheetScan.objects.exists()
    assert not _scan_storage.exists(name)
    entry = LogEntry.objects.get()
    assert (entry.user, entry.action_flag, entry.object_id) == (trainer, DELETION, str(scan.pk))
    assert json.loads(entry.change_message)["deleted"]["name"] == "feuille 1.png"


def test_manager_in_scope_may_delete_a_trainers_scan(s_cohort, s_session, scan):
    manager = ManagerFactory()
    ProgrammeManagerScope.objects.create(user=manager, countries=["MA"])
    url = reverse("cohorts:evidence_scan_delete", args=[s_cohort.pk, s_session.pk, scan.pk])
    assert logged_in_client(manager).post(url).status_code == 302
    assert not SignInSheetScan.objects.exists()


# --- Phone signatures ---------------------------------------------------------------------------


def _strokes(*strokes, width=320, height=120):
    return json.dumps({"width": width, "height": height, "strokes": [list(s) for s in strokes]})


@pytest.fixture
def phone_cohort(s_cohort):
    s_cohort.signatures_on_phone = True
    s_cohort.save()
    return s_cohort


def test_signature_svg_is_built_from_the_points_only():
    svg = evidence.signature_svg_build(_strokes([[0, 0], [160, 60], [320, 120]], [[10, 10]]))
    assert svg == (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100" width="300" height="100">'
        '<path fill="none" stroke="#1d2430" stroke-width="2.5" stroke-linecap="round" '
        # Scaled by min(300 / 320, 100 / 120): the drawing keeps its proportions.
        'stroke-linejoin="round" d="M0.0 0.0 L133.3 50.0 L266.7 100.0 M8.3 8.3 L8.3 8.3"/></svg>')


@pytest.mark.parametrize("posted", [
    '<svg><script>alert(1)</script></svg>',
    json.dumps({"width": 100, "height": 50, "strokes": [[["<script>", 1]]]}),
    json.dumps({"width": 100, "height": 50, "strokes": [[[1, 2, 3]]]}),
    json.dumps({"width": 0, "height": 50, "strokes": [[[1, 2]]]}),
    json.dumps({"width": 100, "height": 50, "strokes": [[[1e400, 2]]]}).replace("inf", "1e400"),
    json.dumps({"width": 100, "height": 50, "strokes": [[[1, 2]]] * 61}),
    json.dumps({"width": 100, "height": 50, "strokes": [[[1, 2]] * 4001]}),
    json.dumps({"width": 100, "height": 50, "strokes": []}),
    json.dumps({"width": 100, "height": 50}),
    json.dumps([1, 2]),
])
def test_malformed_or_oversized_signatures_are_refused(posted):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        evidence.signature_svg_build(posted)


def test_signing_marks_present_stores_sanitised_svg_and_shows_it_on_the_sheet(
        trainer, phone_cohort, s_member, s_session):
    client = logged_in_client(trainer)
    url = reverse("cohorts:evidence_sign", args=[phone_cohort.pk, s_session.pk, s_member.pk])
    assert client.get(url).status_code == 200
    evil = json.dumps({"width": 300, "height": 100, "strokes": [[[1, 2], [30, 40]]],
                       "svg": "<script>alert(1)</script>", "onload": "alert(2)"})
    response = client.post(url, {"strokes": evil})
    assert response.status_code == 302
    row = Attendance.objects.get(session=s_session, user=s_member)
    assert row.status == "present"
    assert row.signature_svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "script" not in row.signature_svg and "alert" not in row.signature_svg
    assert 'd="M1.0 2.0 L30.0 40.0"' in row.signature_svg
    change = AttendanceChange.objects.get(attendance=row)
    assert (change.old_status, change.new_status, change.method, change.changed_by) == (
        "", "present", "signature", trainer)
    # The register says signed; the sheet shows the signature as an image.
    register = client.get(reverse("cohorts:sessions_register",
                                  args=[phone_cohort.pk, s_session.pk])).content.decode()
    assert "data-signed" in register
    html = evidence.signin_sheet_html(session=s_session)
    assert evidence.signature_data_uri(row.signature_svg) in html
    assert "<script" not in html


def test_signing_a_late_learner_keeps_late_and_is_audited(trainer, phone_cohort, s_member,
                                                          s_session):
    register_save(session=s_session, by=trainer, marks={s_member.pk: ("late", "bus")})
    evidence.signature_record(session=s_session, by=trainer, user_id=s_member.pk,
                              posted=_strokes([[1, 1], [2, 2]]))
    row = Attendance.objects.get(session=s_session, user=s_member)
    assert (row.status, row.remark, bool(row.signature_svg)) == ("late", "bus", True)
    last = AttendanceChange.objects.filter(attendance=row).order_by("pk").last()
    assert (last.old_status, last.new_status, last.method) == ("late", "late", "signature")


def test_removing_a_signature_resets_presence_to_absent_audited(trainer, phone_cohort, s_member,
                                                                s_session):
    client = logged_in_client(trainer)
    client.post(reverse("cohorts:evidence_sign", args=[phone_cohort.pk, s_session.pk,
                                                        s_member.pk]),
                {"strokes": _strokes([[5, 5], [50, 50]])})
    response = client.post(reverse("cohorts:evidence_sign_remove",
                                   args=[phone_cohort.pk, s_session.pk, s_member.pk]))
    assert response.status_code == 302
    row = Attendance.objects.get(session=s_session, user=s_member)
    assert (row.status, row.signature_svg) == ("absent", "")
    last = AttendanceChange.objects.filter(attendance=row).order_by("pk").last()
    assert (last.old_status, last.new_status, last.method, last.changed_by) == (
        "present", "absent", "unsigned", trainer)
    assert AttendanceChange.objects.filter(attendance=row).count() == 2


def test_marking_absent_in_the_register_drops_the_signature(trainer, phone_cohort, s_member,
                                                            s_session):
    evidence.signature_record(session=s_session, by=trainer, user_id=s_member.pk,
                              posted=_strokes([[1, 1], [9, 9]]))
    register_save(session=s_session, by=trainer, marks={s_member.pk: ("excused", "")})
    assert Attendance.objects.get(session=s_session, user=s_member).signature_svg == ""


def test_signatures_only_where_the_cohort_signs_on_the_phone(trainer, s_cohort, s_member,
                                                             s_session, user_factory):
    client = logged_in_client(trainer)
    url = reverse("cohorts:evidence_sign", args=[s_cohort.pk, s_session.pk, s_member.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"strokes": _strokes([[1, 1]])}).status_code == 404
    assert not Attendance.objects.exists()
    s_cohort.signatures_on_phone = True
    s_cohort.save()
    stranger = user_factory()
    url = reverse("cohorts:evidence_sign", args=[s_cohort.pk, s_session.pk, stranger.pk])
    assert client.get(url).status_code == 404  # not a member


def test_a_bad_signature_post_keeps_the_form_with_an_error(trainer, phone_cohort, s_member,
                                                           s_session):
    url = reverse("cohorts:evidence_sign", args=[phone_cohort.pk, s_session.pk, s_member.pk])
    response = logged_in_client(trainer).post(url, {"strokes": "<script>alert(1)</script>"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Attendance.objects.exists()
