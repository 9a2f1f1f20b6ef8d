import json
import re

import pytest
from django.urls import reverse

from certificates import services
from certificates.models import BulkIssue, Certificate, CertificateStatus
from tests.factories import enrolment_completed

pytestmark = pytest.mark.django_db


# --- Public verification ----------------------------------------------------------------------
def test_verify_page_shows_the_allowed_fields_only(client, certificate, learner):
    response = client.get(f"/verify/{certificate.display_code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert learner.full_name in html
    assert certificate.course_title in html
    assert certificate.display_code in html
    assert "Passerelle" in html
    assert 'class="badge badge--ok"' in html
    # Nothing else personal: no e-mail, grade, country or organisation.
    assert learner.email not in html
    # (random per-request tokens, such as CSP nonces, may contain any digits: left out)
    fixed = re.sub(r'(nonce|name="csrfmiddlewaretoken" value)="[^"]*"', "", html)
    assert "85" not in fixed.replace(certificate.display_code, "")
    assert "Maroc" not in html and "Morocco" not in html
    assert response["X-Robots-Tag"].startswith("noindex")


def test_verify_page_normalises_the_code(client, certificate, certified_course, user_factory):
    other = services.certificate_issue(
        enrolment=enrolment_completed(user=user_factory(), course=certified_course), notify=False
    )
    typed = certificate.display_code.lower().replace("-", " ")
    response = client.get(f"/verify/{typed}/")
    assert response.status_code == 200
    html = response.content.decode()
    # The certificate whose code was typed, not another one.
    assert certificate.display_code in html and certificate.holder_name in html
    assert other.display_code not in html and other.holder_name not in html


def test_verify_unknown_code_is_a_plain_404(client, certificate):
    assert client.get("/verify/ZZZZ-ZZZZ-ZZZZ/").status_code == 404
    assert client.get("/verify/not-a-code/").status_code == 404


def test_verify_form_redirects_to_the_canonical_page(client, certificate):
    response = client.get("/verify/", {"code": certificate.code.lower()})
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{certificate.display_code}/"
    response = client.get("/verify/", {"code": "123"})
    assert response.status_code == 200 and b"field--error" in response.content


def test_verify_is_rate_limited_per_ip(client, certificate, settings):
    for _ in range(30):
        assert client.get("/verify/ZZZZ-ZZZZ-ZZZZ/").status_code == 404
    response = client.get(f"/verify/{certificate.display_code}/")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    # Another address is not affected.
    assert client.get(f"/verify/{certificate.display_code}/",
                      REMOTE_ADDR="10.1.2.3").status_code == 200


def test_verify_shows_revocation_date_and_reason(client, certificate, manager):
    services.certificate_revoke(certificate=certificate, by=manager, reason="Identité usurpée")
    html = client.get(f"/verify/{certificate.display_code}/").content.decode()
    assert "badge--bad" in html
    assert "Identité usurpée" in html


def test_verify_old_code_says_replaced_by_the_new_one(client, certificate, manager,
                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        new = services.certificate_reissue(certificate=certificate, by=manager)
    html = client.get(f"/verify/{certificate.display_code}/").content.decode()
    assert new.display_code in html
    assert f"/verify/{new.display_code}/" in html


def test_credential_endpoints(client, certificate):
    response = client.get(f"/verify/{certificate.display_code}/credential.json")
    assert response.status_code == 200
    credential = json.loads(response.content)
    assert "OpenBadgeCredential" in credential["type"]
    assert certificate.display_code in credential["id"]
    assert credential["credentialStatus"]["statusListIndex"] == str(certificate.status_index)
    token = client.get(f"/verify/{certificate.display_code}/credential.jwt").content.decode()
    assert token.count(".") == 2
    jwks = client.get("/.well-known/jwks.json").json()
    assert jwks["keys"][0]["kid"]
    from certificates.credentials import jwt_verify

    claims = jwt_verify(token, key_set=jwks)
    assert claims["id"] == credential["id"]
    assert client.get("/issuer").json()["name"] == "Passerelle"


def test_status_list_marks_revoked_certificates(client, certificate, manager):
    from certificates.credentials import status_list_is_revoked

    def revoked() -> bool:
        # JSON-LD when asked for; a client stating no preference gets the signed list.
        body = json.loads(client.get("/credentials/status/1",
                                     HTTP_ACCEPT="application/vc+ld+json").content)
        return status_list_is_revoked(body["credentialSubject"]["encodedList"],
                                      certificate.status_index)

    assert not revoked()
    services.certificate_revoke(certificate=certificate, by=manager, reason="x")
    assert revoked()


# --- Learner ----------------------------------------------------------------------------------
def test_my_certificates_lists_own_certificates(client, certificate, learner, user_factory):
    client.force_login(learner)
    html = client.get(reverse("certificates:my_certificates")).content.decode()
    assert certificate.course_title in html
    assert certificate.display_code in html
    assert f"/verify/{certificate.display_code}/" in html
    assert "data-copy" in html
    client.force_login(user_factory())
    html = client.get(reverse("certificates:my_certificates")).content.decode()
    assert certificate.display_code not in html


def test_my_certificates_needs_login(client):
    response = client.get(reverse("certificates:my_certificates"))
    assert response.status_code == 302


def test_holder_downloads_the_pdf(client, certificate, learner):
    client.force_login(learner)
    response = client.get(reverse("certificates:download", args=[certificate.display_code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_download_explains_when_the_pdf_cannot_be_produced_and_works_later(client, certificate,
                                                                           learner, settings):
    from certificates.views import PDF_UNAVAILABLE

    Certificate.objects.filter(pk=certificate.pk).update(pdf="")
    # A renderer that must answer within a millisecond never does: the PDF fails.
    settings.PDF_RENDER_TIMEOUT = 0.001
    client.force_login(learner)
    url = reverse("certificates:download", args=[certificate.display_code])
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("certificates:my_certificates")
    assert [str(m) for m in response.context["messages"]] == [str(PDF_UNAVAILABLE)]
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED and not certificate.pdf
    settings.PDF_RENDER_TIMEOUT = 60
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_download_is_404_for_other_learners_and_managers_out_of_scope(client, certificate,
                                                                       user_factory, manager):
    url = reverse("certificates:download", args=[certificate.display_code])
    client.force_login(user_factory())
    assert client.get(url).status_code == 404
    client.force_login(manager)  # no scope
    assert client.get(url).status_code == 404


def test_manager_in_scope_and_administrator_may_download(client, certificate, manager_in_scope,
                                                         administrator):
    url = reverse("certificates:download", args=[certificate.display_code])
    for user in (manager_in_scope, administrator):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_revoked_certificate_pdf_is_refused_with_410(client, certificate, learner, manager):
    services.certificate_revoke(certificate=certificate, by=manager, reason="Erreur")
    client.force_login(learner)
    response = client.get(reverse("certificates:download", args=[certificate.display_code]))
    assert response.status_code == 410
    assert "Erreur" in response.content.decode()


# --- Managers ---------------------------------------------------------------------------------
def test_manager_revokes_with_a_reason(client, certificate, manager_in_scope):
    client.force_login(manager_in_scope)
    url = reverse("certificates:revoke", args=[certificate.display_code])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 200  # form error, nothing revoked
    assert Certificate.objects.get().status == CertificateStatus.ISSUED
    response = client.post(url, {"reason": "Doublon"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.revoked_by == manager_in_scope


def test_manager_pages_are_404_for_learners_and_out_of_scope(client, certificate, learner,
                                                             manager, trainer):
    urls = [
        reverse("certificates:manage"),
        reverse("certificates:revoke", args=[certificate.display_code]),
        reverse("certificates:reissue", args=[certificate.display_code]),
        reverse("certificates:bulk_new"),
    ]
    for user in (learner, trainer):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
    client.force_login(manager)  # a manager, but the learner is not in their scope
    assert client.get(urls[1]).status_code == 404
    assert certificate.display_code not in client.get(urls[0]).content.decode()


def test_manager_reissues(client, certificate, manager_in_scope,
                          django_capture_on_commit_callbacks):
    client.force_login(manager_in_scope)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates:reissue", args=[certificate.display_code]))
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REPLACED


def test_manage_list_searches(client, certificate, administrator):
    client.force_login(administrator)
    html = client.get(reverse("certificates:manage"), {"q": certificate.code.lower()}).content
    assert certificate.display_code.encode() in html


@pytest.mark.parametrize("query,searched", [
    ("\x00", ""), ("a\x00b", "ab"), ("%", "%"), ("'; --", "'; --"), ("x" * 500, "x" * 100),
])
def test_manage_list_survives_hostile_searches(client, certificate, administrator, query,
                                               searched):
    client.force_login(administrator)
    response = client.get(reverse("certificates:manage"), {"q": query, "page": "-3",
                                                            "status": "<x>"})
    assert response.status_code == 200
    # Unprintable characters are dropped and the rest searched as text: the certificate is
    # listed when nothing is left to search or when its holder or module contains the rest.
    text = f"{certificate.holder_name} {certificate.course_title}".lower()
    listed = searched == "" or searched in text
    assert (certificate.display_code in response.content.decode()) == listed


def test_bulk_issue_with_progress_and_zip(client, course, manager_in_scope, user_factory,
                                          django_capture_on_commit_callbacks, settings,
                                          celery_eager):
    import io
    import zipfile
    from pathlib import Path

    learners = [user_factory(country="MA") for _ in range(3)] + [user_factory(country="SN")]
    for user in learners:
        enrolment_completed(user=user, course=course)
    client.force_login(manager_in_scope)
    assert client.get(reverse("certificates:bulk_new")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates:bulk_new"),
                               {"course": course.pk, "country": "MA"})
    assert response.status_code == 302
    bulk = BulkIssue.objects.get()
    assert bulk.total == 3  # the Senegalese learner is filtered out (and out of scope)
    status = client.get(reverse("certificates:bulk_status", args=[bulk.pk])).json()
    assert status == {"total": 3, "processed": 3, "issued": 3, "held": 0, "skipped": 0,
                      "failed": 0, "finished": True, "archive": "ready"}
    detail = client.get(reverse("certificates:bulk_detail", args=[bulk.pk])).content.decode()
    assert "<progress" in detail
    response = client.get(reverse("certificates:bulk_zip", args=[bulk.pk]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert len(archive.namelist()) == 3
    assert all(archive.read(name).startswith(b"%PDF-") for name in archive.namelist())
    # Built by the task into private storage, outside the public media folder.
    bulk.refresh_from_db()
    assert Path(bulk.archive.path).is_relative_to(settings.PRIVATE_STORAGE_ROOT)
    assert not Path(bulk.archive.path).is_relative_to(Path(settings.MEDIA_ROOT))


def test_bulk_pages_belong_to_their_creator(client, course, manager_in_scope, manager, learner):
    bulk = services.bulk_issue_create(by=manager_in_scope, course=course, enrolment_ids=[],
                                      filters={})
    client.force_login(learner)
    assert client.get(reverse("certificates:bulk_status", args=[bulk.pk])).status_code == 404


MY_CERTIFICATES_MAX_QUERIES = 4
VERIFY_MAX_QUERIES = 3
MANAGE_MAX_QUERIES = 7


def test_pages_run_a_constant_number_of_queries(
    client, site_tree, learner, certificate_template, administrator,
    django_assert_num_queries, django_assert_max_num_queries,
):
    from tests.factories import course_create

    def add_certificate(i: int):
        course = course_create(site_tree, template=certificate_template, slug=f"module-{i}")
        return services.certificate_issue(
            enrolment=enrolment_completed(user=learner, course=course), notify=False
        )

    first = add_certificate(0)
    pages = [
        (learner, reverse("certificates:my_certificates"), MY_CERTIFICATES_MAX_QUERIES),
        (learner, f"/verify/{first.display_code}/", VERIFY_MAX_QUERIES),
        (administrator, reverse("certificates:manage"), MANAGE_MAX_QUERIES),
    ]
    counts = []
    for user, url, ceiling in pages:
        client.force_login(user)
        client.get(url)  # fills the caches
        with django_assert_max_num_queries(ceiling) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    for i in range(1, 4):
        add_certificate(i)
    for (user, url, _ceiling), count in zip(pages, counts, strict=True):
        client.force_login(user)
        client.get(url)
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200


def test_served_credentials_validate_against_the_open_badges_schema(client, site_tree, learner):
    from pathlib import Path

    from tests.factories import course_create, template_create

    schemas = Path(__file__).resolve().parent / "schemas"  # 1EdTech's published schemas
    from jsonschema import Draft201909Validator
    from referencing import Registry, Resource

    loaded = {name: json.loads((schemas / f"ob_v3p0_{name}.schema.json").read_text())
              for name in ("achievementcredential", "profile")}
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in loaded.values()
    )

    def errors(name: str, document: dict) -> list[str]:
        validator = Draft201909Validator(loaded[name], registry=registry,
                                         format_checker=Draft201909Validator.FORMAT_CHECKER)
        return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(document)]

    course = course_create(site_tree, template=template_create(validity_months=36),
                           slug="valide", translations={"ar": "وحدة"})
    learner.preferred_language = "ar"
    learner.save()
    certificate = services.certificate_issue(
        enrolment=enrolment_completed(user=learner, course=course)
    )
    credential = client.get(f"/verify/{certificate.display_code}/credential.json").json()
    assert credential["validUntil"]
    assert errors("achievementcredential", credential) == []
    assert errors("profile", client.get("/issuer").json()) == []


# --- Bulk issuance: honest counts, no empty archive, scope re-checked at download ---------------
def _zip_names(response) -> list[str]:
    import io
    import zipfile

    assert response.status_code == 200, response
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()


def test_bulk_reports_issued_held_skipped_separately_and_offers_no_empty_archive(
    client, course, manager_in_scope, user_factory, django_capture_on_commit_callbacks,
    celery_eager,
):
    revoked_holder = user_factory(country="MA")
    revoked = services.certificate_issue(
        enrolment=enrolment_completed(user=revoked_holder, course=course), notify=False
    )
    services.certificate_revoke(certificate=revoked, by=manager_in_scope, reason="Fraude")
    client.force_login(manager_in_scope)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates:bulk_new"), {"course": course.pk, "country": "MA"})
    bulk = BulkIssue.objects.get()
    status = client.get(reverse("certificates:bulk_status", args=[bulk.pk])).json()
    # The module's only learner was revoked: nothing issued, and no archive to offer.
    assert status == {"total": 1, "processed": 1, "issued": 0, "held": 0, "skipped": 1,
                      "failed": 0, "finished": True, "archive": "empty"}
    detail = client.get(reverse("certificates:bulk_detail", args=[bulk.pk])).content.decode()
    assert reverse("certificates:bulk_zip", args=[bulk.pk]) not in detail.split(
        'data-archive-state="ready" hidden')[0]
    assert "Ignorés (révoqués)" in detail  # "Skipped (revoked)"
    response = client.get(reverse("certificates:bulk_zip", args=[bulk.pk]))
    assert response.status_code == 302 and not bulk.archive
    assert Certificate.objects.filter(user=revoked_holder).count() == 1  # not issued again

    # Someone who already holds theirs is counted as such, and their PDF is in the archive.
    holder = user_factory(country="MA")
    held = services.certificate_issue(
        enrolment=enrolment_completed(user=holder, course=course), notify=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates:bulk_new"), {"course": course.pk, "country": "MA"})
    second = BulkIssue.objects.latest("created_at")
    status = client.get(reverse("certificates:bulk_status", args=[second.pk])).json()
    assert (status["issued"], status["held"], status["skipped"]) == (0, 1, 1)
    names = _zip_names(client.get(reverse("certificates:bulk_zip", args=[second.pk])))
    assert names == [f"{held.holder_name.replace(' ', '-')}-{held.display_code}.pdf"]


def test_bulk_form_explains_an_empty_selection_and_starts_nothing(
    client, course, manager_in_scope, user_factory,
):
    enrolment_completed(user=user_factory(country="SN"), course=course)  # not in the selection
    client.force_login(manager_in_scope)
    response = client.post(reverse("certificates:bulk_new"), {"course": course.pk,
                                                               "country": "MA"})
    assert response.status_code == 200
    assert "Aucune inscription terminée ne correspond à cette sélection." in (
        response.content.decode()
    )
    assert not BulkIssue.objects.exists()


def test_bulk_form_rejects_an_oversized_module_id(client, course, manager_in_scope):
    client.force_login(manager_in_scope)
    response = client.post(reverse("certificates:bulk_new"), {"course": str(2**64)})
    assert response.status_code == 200
    assert response.context["form"].errors["course"]


def test_bulk_form_offers_the_managers_scope_countries_only(client, course, manager,
                                                             administrator):
    from lms.models import ProgrammeManagerScope

    ProgrammeManagerScope.objects.create(user=manager, countries=["TN", "MA", "SN"])
    client.force_login(manager)
    choices = client.get(reverse("certificates:bulk_new")).context["form"].fields[
        "country"].choices
    assert sorted(code for code, _label in choices if code) == ["MA", "SN", "TN"]
    client.force_login(administrator)
    choices = client.get(reverse("certificates:bulk_new")).context["form"].fields[
        "country"].choices
    assert len(choices) > 200


def test_bulk_archive_rechecks_scope_at_download(client, course, manager_in_scope, user_factory,
                                                 django_capture_on_commit_callbacks, celery_eager):
    staying, leaving = user_factory(country="MA"), user_factory(country="MA")
    for user in (staying, leaving):
        enrolment_completed(user=user, course=course)
    client.force_login(manager_in_scope)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates:bulk_new"), {"course": course.pk, "country": "MA"})
    bulk = BulkIssue.objects.get()
    zip_url = reverse("certificates:bulk_zip", args=[bulk.pk])
    assert len(_zip_names(client.get(zip_url))) == 2
    gone = Certificate.objects.get(user=leaving)

    leaving.country = "FR"  # moves out of the manager's scope
    leaving.save()
    assert client.get(reverse("certificates:download", args=[gone.display_code])
                      ).status_code == 404
    # The stored archive still holds their PDF: it is not served any more.
    response = client.get(zip_url)
    assert response.status_code == 302
    assert client.get(reverse("certificates:bulk_status", args=[bulk.pk])
                      ).json()["archive"] == "stale"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates:bulk_archive", args=[bulk.pk]))
    names = _zip_names(client.get(zip_url))
    assert len(names) == 1 and gone.display_code not in names[0]


def test_bulk_archive_request_is_queued_once(course, manager_in_scope, user_factory,
                                            django_capture_on_commit_callbacks):
    enrolment = enrolment_completed(user=user_factory(country="MA"), course=course)
    services.certificate_issue(enrolment=enrolment, notify=False)
    bulk = services.bulk_issue_create(by=manager_in_scope, course=course,
                                      enrolment_ids=[enrolment.pk], filters={})
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.bulk_issue_start(bulk=bulk)
    assert len(callbacks) == 1  # the one issue task
    from certificates.models import BulkIssueItem

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for _ in range(2):  # a redelivered task records the same outcome once
            services.bulk_issue_one(bulk_id=bulk.pk, enrolment=enrolment)
        bulk.refresh_from_db()
        assert not services.bulk_archive_request(bulk=bulk, user=manager_in_scope)
    assert len(callbacks) == 1  # one archive build, asked by the task that finished the bulk
    assert BulkIssueItem.objects.get(bulk=bulk).outcome == BulkIssueItem.Outcome.HELD


# --- Revoked: the holder sees the status and the way back, no link to share -------------------
def test_revoked_holder_sees_the_status_and_the_path_but_no_link_to_share(
    client, certificate, learner, manager,
):
    services.certificate_revoke(certificate=certificate, by=manager, reason="Erreur de saisie")
    client.force_login(learner)
    html = client.get(reverse("certificates:my_certificates")).content.decode()
    assert "badge--bad" in html and "Erreur de saisie" in html
    assert "Link to share with an employer" not in html and "data-copy" not in html
    assert "réussissez à nouveau l" in html  # "pass the module's final assessment again"
    assert certificate.course.get_url() in html
    assert reverse("certificates:download", args=[certificate.display_code]) not in html


def test_revocation_screen_promises_only_what_exists(client, certificate, manager_in_scope):
    client.force_login(manager_in_scope)
    html = client.get(reverse("certificates:revoke", args=[certificate.display_code])
                      ).content.decode()
    assert "completing the module again" not in html
    assert "en réussissant à nouveau l" in html  # "by passing the … final assessment again"


def test_manage_table_shows_the_status_badge_and_keeps_dates_on_one_line(client, certificate,
                                                                         administrator):
    client.force_login(administrator)
    html = client.get(reverse("certificates:manage")).content.decode()
    assert 'class="certificate-table"' in html
    assert '<td class="nowrap">' in html
    assert 'class="badge badge--ok"' in html
