"""Rows of the permission table (tests/cohorts/test_permissions.py) for the evidence area.

The sheet is asked with HEAD (same access check, no PDF rendered: the PDF tests are in
test_evidence.py). The cohort signs on the phone and gets a fresh member for the signature
rows (the table's member is withdrawn by an earlier row in some worlds); the scan is sent by
the cohort's trainer, so the trainer, a manager in scope and an administrator may delete it.
"""

from __future__ import annotations


def _png() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return buffer.getvalue()


def _scan(w):
    if "scan" not in w:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from cohorts.evidence import scan_create
        from tests.cohorts.test_permissions import _session

        w["scan"] = scan_create(session=_session(w), by=w["users"]["trainer"],
                                upload=SimpleUploadedFile("page-1.png", _png()))
    return w["scan"]


def _signer(w):
    if "signer" not in w:
        from cohorts.services import membership_add
        from tests.factories import UserFactory

        w["cohort"].signatures_on_phone = True
        w["cohort"].save(update_fields=["signatures_on_phone"])
        w["signer"] = UserFactory()
        membership_add(cohort=w["cohort"], user=w["signer"])
    return w["signer"]


def rows():
    from tests.cohorts.test_permissions import COHORT_PAGE, COHORT_POST, _s

    def scan_kwargs(w):
        return {**_s(w), "scan_pk": _scan(w).pk}

    def sign_kwargs(w):
        return {**_s(w), "user_pk": _signer(w).pk}

    return [
        ("get", "cohorts:evidence_list", lambda w: {"pk": w["cohort"].pk}, COHORT_PAGE, None),
        ("head", "cohorts:evidence_sheet", _s, COHORT_PAGE, None),
        ("get", "cohorts:evidence_session", _s, COHORT_PAGE, None),
        ("get", "cohorts:evidence_scan_download", scan_kwargs, COHORT_PAGE, None),
        ("get", "cohorts:evidence_scan_delete", scan_kwargs, COHORT_PAGE, None),
        ("get", "cohorts:evidence_sign", sign_kwargs, COHORT_PAGE, None),
        ("post", "cohorts:evidence_sign_remove", sign_kwargs, COHORT_POST, {}),
    ]
