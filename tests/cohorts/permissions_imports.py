"""Rows of the permission table (tests/cohorts/test_permissions.py) for the roster imports."""

from django.core.files.uploadedfile import SimpleUploadedFile

ROSTER = b"E-mail,Full name\r\nperm.table@example.org,Perm Table\r\n"


def _roster():
    return SimpleUploadedFile("roster.csv", ROSTER, content_type="text/csv")


def _import(w):
    # A checked roster of the cohort, made on first use (ready to import).
    if "roster_import" not in w:
        from cohorts.imports import roster_import_create

        w["roster_import"] = roster_import_create(
            cohort=w["cohort"], upload=_roster(), by=w["users"]["trainer"], language="fr")
    return {"pk": w["cohort"].pk, "import_pk": w["roster_import"].pk}


def rows():
    from tests.cohorts.test_permissions import COHORT_PAGE, COHORT_POST

    def cohort(w):
        return {"pk": w["cohort"].pk}

    return [
        ("get", "cohorts:import_start", cohort, COHORT_PAGE, None),
        ("post", "cohorts:import_start", cohort, COHORT_POST, lambda w: {"file": _roster()}),
        ("get", "cohorts:import_template_csv", cohort, COHORT_PAGE, None),
        ("get", "cohorts:import_template_xlsx", cohort, COHORT_PAGE, None),
        ("get", "cohorts:import_detail", _import, COHORT_PAGE, None),
        ("get", "cohorts:import_status", _import, COHORT_PAGE, None),
        # The first allowed role imports it; the others are sent back to its page (302).
        ("post", "cohorts:import_commit", _import, COHORT_POST, {}),
    ]
