"""Learner and manager pages (under the language prefix)."""

from django.urls import path

import lms.converters  # noqa: F401  (registers <id:…>, ids that fit the database)

from . import views

app_name = "certificates"
urlpatterns = [
    path("", views.my_certificates, name="my_certificates"),
    path("<str:code>/download/", views.download, name="download"),
    path("manage/", views.manage, name="manage"),
    path("manage/bulk/", views.bulk_new, name="bulk_new"),
    path("manage/bulk/<id:pk>/", views.bulk_detail, name="bulk_detail"),
    path("manage/bulk/<id:pk>/status.json", views.bulk_status, name="bulk_status"),
    path("manage/bulk/<id:pk>/certificates.zip", views.bulk_zip, name="bulk_zip"),
    path("manage/bulk/<int:pk>/archive/", views.bulk_archive, name="bulk_archive"),
    path("manage/<str:code>/revoke/", views.revoke, name="revoke"),
    path("manage/<str:code>/reissue/", views.reissue, name="reissue"),
]
