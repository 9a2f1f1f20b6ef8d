"""Roster imports of a cohort: upload, template files, preview, progress and commit."""

from django.urls import path

from lms import converters  # noqa: F401  (registers <id:…>)

from . import views_imports as views

urlpatterns = [
    path("<id:pk>/import/", views.import_start, name="import_start"),
    path("<id:pk>/import/template.csv", views.import_template, {"fmt": "csv"},
         name="import_template_csv"),
    path("<id:pk>/import/template.xlsx", views.import_template, {"fmt": "xlsx"},
         name="import_template_xlsx"),
    path("<id:pk>/import/<id:import_pk>/", views.import_detail, name="import_detail"),
    path("<id:pk>/import/<id:import_pk>/status.json", views.import_status,
         name="import_status"),
    path("<id:pk>/import/<id:import_pk>/commit/", views.import_commit, name="import_commit"),
]
