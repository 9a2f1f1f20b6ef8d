"""Evidence: the printable sign-in sheet, scanned sheets, phone signatures, the cohort's list."""

from django.urls import path

from lms import converters  # noqa: F401  (registers <id:…>)

from . import views_evidence as views

urlpatterns = [
    path("<id:pk>/evidence/", views.evidence_list, name="evidence_list"),
    path("<id:pk>/sessions/<id:session_pk>/sign-in.pdf", views.evidence_sheet,
         name="evidence_sheet"),
    path("<id:pk>/sessions/<id:session_pk>/evidence/", views.evidence_session,
         name="evidence_session"),
    path("<id:pk>/sessions/<id:session_pk>/evidence/<id:scan_pk>/download/",
         views.evidence_scan_download, name="evidence_scan_download"),
    path("<id:pk>/sessions/<id:session_pk>/evidence/<id:scan_pk>/delete/",
         views.evidence_scan_delete, name="evidence_scan_delete"),
    path("<id:pk>/sessions/<id:session_pk>/sign/<id:user_pk>/", views.evidence_sign,
         name="evidence_sign"),
    path("<id:pk>/sessions/<id:session_pk>/sign/<id:user_pk>/remove/",
         views.evidence_sign_remove, name="evidence_sign_remove"),
]
